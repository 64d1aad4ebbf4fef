#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""test_e2e.py — the console end to end: Chromium → jiaohao-web → broker → jiaohao-caller → boards.

Owns: the issue's browser tests against the real parts (hall.py): sign in at a counter and
call next, then the main board's frame and event/called show the same ticket and the staff
name from the roster; pause with a message and see it on the strip's frame; a guide flags a
ticket and the next call picks it by the policy; the supervisor sees an overrun alert and
acknowledges it; a citizen's page follows a ticket to "called" and rates it once (a second
rating is refused). Skipped (exit 77) with the reason when jiaohao-web (or the browser) is
not there. Frames and pages are copied to $JH_SHOTS (default <build>/browser-shots).

    JH_BIN_DIR=build/bin /usr/bin/python3 tests/web/browser/test_e2e.py [-v]
"""

import json
import os
import shutil
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import browser as br  # noqa: E402
import hall as hl  # noqa: E402

BIN = os.path.abspath(os.environ.get("JH_BIN_DIR") or os.path.join(hl.SOURCE, "build", "bin"))
SHOTS = os.environ.get("JH_SHOTS") or os.path.join(os.path.dirname(BIN), "browser-shots")


def why_skip():
    for prog in ("jiaohao-caller", "jiaohao-display", "jiaohao-web"):
        if not os.access(os.path.join(BIN, prog), os.X_OK):
            return "no %s in %s (the console's server is built on the wt-web branch; these tests run once it is here)" % (prog, BIN)
    for tool in ("mosquitto", "mosquitto_pub", "mosquitto_sub"):
        if not shutil.which(tool):
            return "no " + tool
    return br.missing()


def keys():
    from selenium.webdriver.common.keys import Keys
    return Keys


class EndToEnd(unittest.TestCase):
    def setUp(self):
        self.hall = hl.Hall(BIN).start()
        self.browsers = []
        os.makedirs(SHOTS, exist_ok=True)

    def failed(self):
        r = getattr(self._outcome, "result", None)
        return bool(r and any(t is self for t, _ in r.errors + r.failures))

    def tearDown(self):
        failed = self.failed()
        for b in self.browsers:
            b.quit()
        if failed or os.environ.get("JH_VERBOSE"):
            for name in ("web", "caller"):
                sys.stderr.write("== %s log\n%s\n" % (name, self.hall.log(name)))
        self.hall.stop()

    def browser(self, size="pc"):
        b = br.Browser(size)
        self.browsers.append(b)
        return b

    def keep(self, png, name):
        shutil.copy(png, os.path.join(SHOTS, name + ".png"))

    def counter_pc(self, counter="c01", staff="1001"):
        b = self.browser("pc")
        b.sign_in(self.hall.url, staff, hl.SECRETS[staff], counter)
        b.wait(lambda: b.driver.current_url.endswith("/counter"), 10, "the counter page")
        b.wait_live()
        b.wait_text("#counter-name", "1号窗口" if counter == "c01" else "")
        return b

    def called(self, ticket):
        return self.hall.wait_msg("events", lambda t, m: t == "event/called" and m.get("ticket") == ticket,
                                  what="event/called " + ticket)

    def test_sign_in_call_next_board_and_event_agree(self):
        self.hall.take("A")
        b = self.counter_pc()
        b.press(keys().F1)
        b.wait_text("#ticket", "A001")
        b.wait_text("#bar", "已呼叫 A001")
        ev = self.called("A001")
        self.assertEqual((ev["counter"], ev["staff_id"], ev["staff_name"]), ("c01", "1001", "王芳"),
                         "the name on event/called is the roster's")
        png, _, it = self.hall.wait_board("main", "hero.ticket", "A001")
        self.assertTrue(self.hall.pixels_say(png, it, "A001"), "A001 in the main board's pixels")
        self.assertFalse(self.hall.pixels_say(png, it, "A007"), "the probe tells A007 from A001")
        png, _, it = self.hall.wait_board("main", "counter.c01.staff", "王芳")
        self.assertTrue(self.hall.pixels_say(png, it, it["text"]), "the staff name in the board's pixels")
        self.keep(png, "e2e-main-called")
        b.shot(os.path.join(SHOTS, "e2e-counter-called.png"))
        self.assertIn("王芳", b.text("#staff-name"))

    def test_pause_message_on_the_strip(self):
        msg = "去3楼档案室取材料，10分钟后回"
        b = self.counter_pc()
        b.press(keys().F5)
        b.wait_css("#dlg-pause[open]")
        b.click("#pause-reasons button[data-value='fetch-materials']")
        b.type_into("#pause-message", msg)
        b.click("#pause-go")
        b.wait_text("#bar", "已暂停")
        ev = self.hall.wait_msg("events", lambda t, m: t == "event/paused", what="event/paused")
        self.assertEqual((ev["counter"], ev["message"], ev["reason"]), ("c01", msg, "fetch-materials"))
        b.wait_text("#pause-note", msg)
        png, _, it = self.hall.wait_board("strip1", "strip.message", msg)
        self.assertTrue(self.hall.pixels_say(png, it, msg), "the message in the strip's pixels")
        self.assertFalse(self.hall.pixels_say(png, it, "去3楼档案室取材料，20分钟后回"))
        self.keep(png, "e2e-strip-paused")
        b.press(keys().F5)  # paused: F5 resumes
        self.hall.wait_msg("events", lambda t, m: t == "event/resumed", what="event/resumed")

    def test_guide_flag_then_the_next_call_by_policy(self):
        for _ in range(3):
            self.hall.take("A")
        g = self.browser("pc")
        g.sign_in(self.hall.url, "2001", hl.SECRETS["2001"])
        g.wait(lambda: g.driver.current_url.endswith("/guide"), 10, "the guide page")
        g.wait_live()
        g.type_into("#find-ticket", "a003")
        g.click("#form-find button")
        g.click("#flag-kinds button[data-value='elderly']")
        g.click("#flag-go")
        g.wait_text("#bar", "A003 已标记为绿色通道")
        b = self.counter_pc()
        b.press(keys().F1)
        ev = self.hall.wait_msg("events", lambda t, m: t == "event/called", what="event/called")
        self.assertEqual(ev["ticket"], "A003", "strict policy: the flagged ticket first")
        self.assertEqual(ev["priority"], "elderly")
        self.assertEqual(ev["reason"]["rule"], "green-first")
        b.wait_text("#ticket", "A003")

    def test_supervisor_sees_an_overrun_and_acknowledges_it(self):
        self.hall.take("A")
        b = self.counter_pc()
        b.press(keys().F1)
        self.called("A001")
        s = self.browser("pc")
        s.sign_in(self.hall.url, "3001", hl.SECRETS["3001"])
        s.wait(lambda: s.driver.current_url.endswith("/supervisor") or s.find_all("#choose:not([hidden])"), 10,
               "the supervisor page or the choice of pages")
        if not s.driver.current_url.endswith("/supervisor"):
            s.click("#pages button")
            s.wait(lambda: s.driver.current_url.endswith("/supervisor"), 10, "the supervisor page")
        s.wait_live()
        s.wait_css(".tile.serving[data-counter='c01']")
        self.hall.move_clock("2026-11-23T09:17:00+08:00")  # past service A's 15-minute target
        self.hall.wait_msg("events", lambda t, m: t == "event/alert" and m.get("kind") == "overrun", what="overrun alert")
        s.wait_text("#alerts", "办理超时")  # as it happens (event/alert)
        s.wait_css(".tile.overrun[data-counter='c01']")
        buttons = s.wait(lambda: s.find_all("#alerts button[data-alert]"), 10,
                         "an alert to acknowledge (the engine's retained state/alerts with ids, CONSOLE.md)")
        alert_id = buttons[0].get_attribute("data-alert")
        buttons[0].click()
        s.wait_text("#bar", "告警已确认")
        s.wait_text("#alerts", "已确认 3001")
        retained = self.hall.retained("display", "state/alerts")
        acked = [a for a in retained["alerts"] if a["id"] == alert_id]
        self.assertEqual(acked[0].get("acked_by"), "3001", json.dumps(retained, ensure_ascii=False))
        s.shot(os.path.join(SHOTS, "e2e-supervisor-acked.png"))

    def test_citizen_page_follows_to_called_and_rates_once(self):
        r = self.hall.take("B")
        token = r.get("token")
        self.assertRegex(token or "", r"^[A-Za-z0-9_-]{22}$",
                         "the take reply carries the ticket's token (the engine's ticket tokens, CONSOLE.md)")
        p = self.browser("phone")
        p.get(self.hall.url + "/t/" + token)
        p.wait_text("#num", "B001")
        p.wait(lambda: "前面" in p.text("#status") or "下一位" in p.text("#status"), what="waiting")
        b = self.counter_pc()
        b.press(keys().F1)
        self.called("B001")
        p.wait_text("#status", "请到 1 号窗口", timeout=10)
        p.shot(os.path.join(SHOTS, "e2e-citizen-called.png"))
        b.press(keys().F3)
        self.hall.wait_msg("events", lambda t, m: t == "event/finished" and m.get("ticket") == "B001", what="finished")
        p.wait_css("#rate:not([hidden])", timeout=10)
        p.click("#rate-buttons button[data-score='5']")
        p.wait_text("#rate-said", "谢谢您的评价")
        ev = self.hall.wait_msg("events", lambda t, m: t == "event/rated", what="event/rated")
        self.assertEqual((ev["ticket"], ev["score"]), ("B001", 5))
        # a second rating, straight on the citizen's socket: refused, and nothing is rated again
        second = p.driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            const ws = new WebSocket(location.origin.replace('http', 'ws') + '/ws/t/' + arguments[0]);
            ws.onmessage = (e) => { const m = JSON.parse(e.data);
              if (m.type === 'ticket') ws.send(JSON.stringify({type: 'rate', score: 1}));
              else if (m.type === 'reply') { done(m); ws.close(); } };
            setTimeout(() => done(null), 8000);""", token)
        self.assertIsNotNone(second, "no reply to the second rating")
        self.assertFalse(second["ok"])
        self.assertEqual(second.get("error"), "already-rated")
        time.sleep(0.5)
        rated = [m for t, m in self.hall.lines("events") if t == "event/rated"]
        self.assertEqual(len(rated), 1, "rated once")


if __name__ == "__main__":
    why = why_skip()
    if why:
        print("SKIP: " + why)
        sys.exit(77)
    unittest.main()
