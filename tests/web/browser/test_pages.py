#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""test_pages.py — the console pages' own logic, in Chromium, against the test stand-in.

Owns: what the pages do by themselves, whatever the server: the counter's keys F1–F8 send
the right op (with the session's csrf and the counter, once per press, F5 never reloading),
dialogs refuse to send without what the engine requires, refusal codes are said in plain
words, HTML in a staff name, pause message or notice is shown as text, the citizen page
follows its ticket and rates once, a dropped socket comes back, a "bye" signs out.
The stand-in (fake_server.py) only records and answers; what jiaohao-web and the engine
decide is tested against them (tests/web/, test_e2e.py).

    /usr/bin/python3 tests/web/browser/test_pages.py [-v] [TestCounterKeys]   (exit 77: no browser)
"""

import os
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import browser as br  # noqa: E402
import fixture  # noqa: E402

PAGES_DIR = os.path.join(HERE, "..", "..", "..", "web", "pages")
SRV = None


def setUpModule():
    global SRV
    from fake_server import FakeConsole
    SRV = FakeConsole(PAGES_DIR).start()


def tearDownModule():
    SRV.stop()


def keys():
    from selenium.webdriver.common.keys import Keys
    return Keys


class PageCase(unittest.TestCase):
    size = "pc"

    @classmethod
    def setUpClass(cls):
        cls.b = br.Browser(cls.size)

    @classmethod
    def tearDownClass(cls):
        cls.b.quit()

    def setUp(self):
        SRV.reset()
        self.b.driver.delete_all_cookies()

    def wait_cmds(self, op, n=1, timeout=6.0):
        return self.b.wait(lambda: len(SRV.commands_of(op)) >= n and SRV.commands_of(op), timeout, "%d× %s" % (n, op))

    def session_of(self, staff_id):
        with SRV.lock:
            return [s for s in SRV.sessions.values() if s["staff_id"] == staff_id][-1]

    def open_as(self, staff_id, page, counter=""):
        self.b.sign_in(SRV.url, staff_id, fixture.SECRET, counter)
        if page == "supervisor" and staff_id == "3001" and not counter:
            self.b.wait_css("#choose:not([hidden])")
            self.b.click("#pages button")
        self.b.wait(lambda: self.b.driver.current_url.endswith("/" + page), what="/" + page)
        self.b.wait_live()
        time.sleep(0.2)  # the snapshot after the hello

    def bar(self):
        return self.b.text("#bar")

    def no_markup(self, css):
        """No element was made from text inside css, and no injected script ran."""
        self.assertEqual(self.b.js("return document.querySelectorAll(arguments[0] + ' img, ' + arguments[0] + ' .pwn').length", css), 0)
        self.assertIsNone(self.b.js("return window.__pwned === undefined ? null : window.__pwned"))


class TestCounterKeys(PageCase):
    def setUp(self):
        super().setUp()
        self.open_as("1001", "counter", "c01")
        self.csrf = self.session_of("1001")["csrf"]

    def press(self, key):
        self.b.press(key)

    def check_cmd(self, cmd, op):
        self.assertEqual(cmd["op"], op)
        self.assertEqual(cmd["type"], "cmd")
        self.assertEqual(cmd["csrf"], self.csrf, "every command carries the session's csrf token")
        self.assertEqual(cmd["counter"], "c01")
        self.assertRegex(cmd["id"], r"^[\x21-\x7e]{1,63}$")

    def test_keys_are_shown_on_the_page(self):
        labels = [self.b.text("#key-F%d" % i) for i in range(1, 9)]
        for i, text in enumerate(labels, 1):
            self.assertIn("F%d" % i, text)
        self.assertIn("呼叫下一位", labels[0])
        self.assertIn("Invite rating", labels[7])

    def test_direct_keys_send_their_op(self):
        K = keys()
        for key, op in ((K.F1, "call-next"), (K.F2, "recall"), (K.F3, "finish"), (K.F4, "no-show"),
                        (K.F8, "invite-rating")):
            self.press(key)
            cmds = self.wait_cmds(op)
            self.check_cmd(cmds[-1], op)
        ids = [c["id"] for c in SRV.commands]
        self.assertEqual(len(ids), len(set(ids)), "a fresh id per command")
        self.assertEqual(len(SRV.commands), 5, "one command per key press")

    def test_f5_pauses_with_reason_and_message_and_never_reloads(self):
        self.b.js("window.__still_here = 42")
        self.press(keys().F5)
        self.b.wait_css("#dlg-pause[open]")
        self.assertEqual(self.b.js("return window.__still_here"), 42, "F5 must not reload the page")
        self.b.click("#pause-go")  # no reason chosen: nothing is sent
        self.b.wait_text("#bar", "请选择暂停原因")
        self.assertEqual(SRV.commands_of("pause"), [])
        self.b.click("#pause-reasons button[data-value='fetch-materials']")
        self.b.click("#pause-templates button")
        self.b.type_into("#pause-message", "，谢谢", clear=False)
        self.b.click("#pause-go")
        cmd = self.wait_cmds("pause")[0]
        self.check_cmd(cmd, "pause")
        self.assertEqual(cmd["reason"], "fetch-materials")
        self.assertEqual(cmd["message"], "去3楼档案室取材料，10分钟后回，谢谢")
        self.b.wait_text("#bar", "已暂停")

    def test_f5_resumes_when_paused(self):
        st = dict(SRV.states["counter/c01"], status="paused", ticket=None, message="午休")
        SRV.push_state("counter/c01", st)
        self.b.wait_text("#key-F5", "恢复")
        self.press(keys().F5)
        self.check_cmd(self.wait_cmds("resume")[0], "resume")
        self.assertEqual(SRV.commands_of("pause"), [])

    def test_f6_transfers_to_a_service_or_counter_from_the_lists(self):
        self.press(keys().F6)
        self.b.wait_css("#dlg-transfer[open]")
        services = self.b.js("return [...document.querySelectorAll('#transfer-service option')].map(o => o.value)")
        counters = self.b.js("return [...document.querySelectorAll('#transfer-counter option')].map(o => o.value)")
        self.assertEqual(services, ["", "A", "B", "C", "D", "E", "QY"], "services from the retained states")
        self.assertNotIn("c01", counters, "not to the counter itself")
        self.assertIn("c10", counters)
        from selenium.webdriver.support.ui import Select
        Select(self.b.find("#transfer-counter")).select_by_value("c06")
        self.b.find("#form-transfer button[type=submit]").click()
        cmd = self.wait_cmds("transfer")[0]
        self.check_cmd(cmd, "transfer")
        self.assertEqual(cmd["to_counter"], "c06")
        self.assertNotIn("to_service", cmd)

    def test_f7_needs_a_reason(self):
        self.press(keys().F7)
        self.b.wait_css("#dlg-call[open]")
        self.b.type_into("#call-ticket", "a020")
        self.b.find("#form-call button[type=submit]").click()
        self.b.wait_text("#bar", "必须填写原因")
        self.assertEqual(SRV.commands_of("call"), [])
        self.b.type_into("#call-reason", "预约")
        self.b.find("#form-call button[type=submit]").click()
        cmd = self.wait_cmds("call")[0]
        self.check_cmd(cmd, "call")
        self.assertEqual((cmd["ticket"], cmd["reason"]), ("A020", "预约"))

    def test_keys_do_nothing_while_a_dialog_is_open(self):
        self.press(keys().F7)
        self.b.wait_css("#dlg-call[open]")
        self.press(keys().F1)
        time.sleep(0.4)
        self.assertEqual(SRV.commands_of("call-next"), [])

    def test_a_second_press_while_the_first_is_in_flight_sends_nothing(self):
        def slow(cmd):
            time.sleep(0.8)
            return {"ok": True, "ticket": "A013"}
        SRV.replies["call-next"] = slow
        self.press(keys().F1)
        self.press(keys().F1)
        self.wait_cmds("call-next")
        time.sleep(1.2)
        self.assertEqual(len(SRV.commands_of("call-next")), 1, "a bouncing key must not call twice")
        self.b.wait_text("#bar", "已呼叫 A013")

    def test_served_time_turns_amber_then_red(self):
        base = dict(SRV.states["counter/c01"], status="serving", ticket="A012", service="A", overrun=False)
        SRV.push_state("counter/c01", dict(base, serving_s=100))
        self.b.wait(lambda: self.b.find("#served").get_attribute("class") == "served", what="green")
        SRV.push_state("counter/c01", dict(base, serving_s=800))  # target 900 s: 89 %
        self.b.wait(lambda: "amber" in self.b.find("#served").get_attribute("class"), what="amber")
        SRV.push_state("counter/c01", dict(base, serving_s=960))
        self.b.wait(lambda: "red" in self.b.find("#served").get_attribute("class"), what="red")
        self.b.wait_text("#served-words", "超时 1:0")

    def test_requeue_sends_the_ticket(self):
        self.b.click("#requeue-btn")
        self.b.wait_css("#dlg-requeue[open]")
        self.b.type_into("#requeue-ticket", " a007 ")
        self.b.find("#form-requeue button[type=submit]").click()
        self.assertEqual(self.wait_cmds("requeue")[0]["ticket"], "A007")
        self.b.wait_text("#bar", "A007 已重新排队")


class TestRefusalWords(PageCase):
    def test_counter_refusals_in_plain_words(self):
        self.open_as("1001", "counter", "c01")
        cases = [
            ("call-next", keys().F1, {"ok": False, "error": "not-logged-in", "message": "nobody"}, "此窗口还没有人上岗"),
            ("finish", keys().F3, {"ok": False, "error": "no-current-ticket", "message": "x"}, "当前没有正在办理的号"),
            ("recall", keys().F2, {"ok": False, "error": "forbidden", "message": "x"}, "您的岗位不能做这个操作"),
            ("invite-rating", keys().F8, {"ok": False, "error": "csrf"}, "页面已过期"),
            ("no-show", keys().F4, {"ok": False, "error": "made-up-code", "message": "engine says so"}, "made-up-code"),
        ]
        for op, key, reply, words in cases:
            SRV.replies[op] = reply
            self.b.press(key)
            self.b.wait_text("#bar", words)
            self.assertIn("error", self.b.find("#bar").get_attribute("class"))
        self.assertIn("engine says so", self.bar(), "an unknown code keeps the engine's message")

    def test_pause_while_serving_names_the_ticket(self):
        self.open_as("1001", "counter", "c01")
        SRV.replies["pause"] = {"ok": False, "error": "serving", "message": "finish first"}
        self.b.press(keys().F5)
        self.b.wait_css("#dlg-pause[open]")
        self.b.click("#pause-reasons button[data-value='break']")
        self.b.click("#pause-go")
        self.b.wait_text("#bar", "不能暂停：正在办理 A012")
        self.assertIn("Cannot pause: serving A012", self.bar())

    def test_sign_in_refusals(self):
        cases = [("1001", "0000", "", "工号或密码不对"), ("9999", "1234", "", "没有这个工号"),
                 ("1003", "1234", "", "账号已锁定"), ("1004", "1234", "", "账号已停用"),
                 ("1001", "1234", "c09", "您不能在这个窗口上岗"), ("", "", "", "请填写工号和密码")]
        SRV.login_refusal = ("bad-request", 400)
        self.b.sign_in(SRV.url, "1001", "1234", "c99")
        self.b.wait_text("#bar", "登录信息不完整或有误")
        SRV.login_refusal = None
        for sid, secret, counter, words in cases:
            self.b.sign_in(SRV.url, sid, secret, counter)
            self.b.wait_text("#bar", words)
            self.assertTrue(self.b.driver.current_url.startswith(SRV.url + "/"), "still on the sign-in page")
            self.assertEqual(self.b.find("#secret").get_attribute("value"), "", "the secret is cleared")
        SRV.login_refusal = ("rate-limited", 429)
        self.b.sign_in(SRV.url, "1001", "1234", "c01")
        self.b.wait_text("#bar", "尝试太频繁")


class TestTextNeverMarkup(PageCase):
    EVIL = '<img src=x onerror="window.__pwned=1"><b class="pwn">王</b>芳'

    def test_staff_name_in_the_header_and_card(self):
        self.open_as("1099", "counter", "c05")
        self.b.wait_text("#who", "<img src=x")
        self.no_markup("body")
        # the name the boards show comes from the counter's state (the roster's, via the engine)
        SRV.push_state("counter/c05", dict(SRV.states["counter/c05"], staff_name=self.EVIL))
        self.b.wait_text("#staff-name", '<b class="pwn">王</b>芳')
        self.assertEqual(self.b.text("#avatar"), "<", "the avatar's first character, as text")
        self.no_markup("body")

    def test_supervisor_map_message_and_notice_preview(self):
        self.open_as("3001", "supervisor")
        SRV.push_state("counter/c03", dict(SRV.states["counter/c03"], staff_name=self.EVIL, message=self.EVIL + " 10分钟后回"))
        self.b.wait(lambda: self.EVIL in self.b.text(".tile[data-counter='c03']"), what="name and message as text")
        self.no_markup("#map")
        self.b.type_into("#notice-text", self.EVIL)
        self.b.wait_text("#notice-preview", "<img src=x")
        self.assertEqual(self.b.js("return document.getElementById('notice-preview').children.length"), 0)
        SRV.push_state("hall", dict(SRV.states["hall"], notice=self.EVIL))
        self.b.wait_text("#notice-now", '<b class="pwn">王</b>')
        self.no_markup("body")

    def test_roster_and_audit(self):
        self.open_as("4001", "admin")
        self.b.wait_css("#roster tr[data-staff='1099']")
        self.assertIn('<img src=x onerror="window.__pwned=1">', self.b.text("#roster tr[data-staff='1099']"))
        self.no_markup("body")


class TestCitizenPage(PageCase):
    size = "phone"

    def setUp(self):
        super().setUp()
        self.b.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {
            "source": "window.__vibes = []; navigator.vibrate = (p) => { window.__vibes.push(p); return true; };"})

    def test_follows_the_ticket_to_called(self):
        tok = "Wq3m0aZ1bC2dE3fG4hI5jK"
        self.b.get(SRV.url + "/t/" + tok)
        self.b.wait_text("#status", "前面还有 3 人")
        self.assertEqual(self.b.text("#num"), "A015")
        self.assertEqual(self.b.text("#ewt"), "13", "780 s: 13 minutes")
        SRV.set_ticket(tok, dict(SRV.tickets[tok], ahead=0))
        self.b.wait_text("#status", "下一位就是您")
        SRV.set_ticket(tok, dict(SRV.tickets[tok], status="called", counter_number=5, counter_name="5号窗口"))
        self.b.wait_text("#status", "请到 5 号窗口")
        self.assertIn("Please go to window 5", self.b.text("#status"))
        self.assertEqual(len(self.b.js("return window.__vibes")), 1, "one vibration on the call")
        self.assertFalse(self.b.find("#facts").is_displayed())

    def test_rates_once(self):
        tok = "Fn5bV6cX7zL8kJ9hG0fD1s"
        self.b.get(SRV.url + "/t/" + tok)
        self.b.wait_css("#rate:not([hidden])")
        self.b.click("#rate-buttons button[data-score='4']")
        self.b.wait_text("#rate-said", "谢谢您的评价")
        self.assertFalse(self.b.find("#rate").is_displayed(), "no second rating from this page")
        self.assertEqual([r["score"] for r in SRV.rates], [4])
        self.b.get(SRV.url + "/t/" + tok)  # the same ticket opened again: rated
        self.b.wait_text("#rate-said", "谢谢您的评价")
        self.assertFalse(self.b.find("#rate").is_displayed())
        self.assertEqual(len(SRV.rates), 1)

    def test_a_refused_rating_is_said(self):
        tok = "Fn5bV6cX7zL8kJ9hG0fD1s"
        self.b.get(SRV.url + "/t/" + tok)
        self.b.wait_css("#rate:not([hidden])")
        with SRV.lock:  # rated meanwhile on the counter's pad: the page does not know yet
            SRV.tickets[tok] = dict(SRV.tickets[tok], rated=True)
        self.b.click("#rate-buttons button[data-score='5']")
        self.b.wait_text("#rate-said", "这次服务已经评价过了")

    def test_unknown_token_stops(self):
        self.b.get(SRV.url + "/t/AAAAAAAAAAAAAAAAAAAAAA")
        self.b.wait_text("#status", "找不到这张票")
        n = SRV.ws_connects
        time.sleep(1.5)
        self.assertEqual(SRV.ws_connects, n, "no reconnecting for an unknown token")


class TestSession(PageCase):
    def test_bye_signs_out_with_the_reason(self):
        self.open_as("1001", "counter", "c01")
        SRV.bye("idle")
        self.b.wait(lambda: "bye=idle" in self.b.driver.current_url, what="back at sign-in")
        self.b.wait_text("#bar", "长时间没有操作")

    def test_reconnects_after_a_drop(self):
        self.open_as("1001", "counter", "c01")
        n = SRV.ws_connects
        SRV.drop_connections()
        self.b.wait(lambda: SRV.ws_connects > n, what="a new socket")
        self.b.wait_live()
        self.b.press(keys().F1)
        self.wait_cmds("call-next")

    def test_sign_out(self):
        self.open_as("2001", "guide")
        csrf = self.session_of("2001")["csrf"]
        self.b.click("#signout")
        self.b.wait(lambda: "bye=logout" in self.b.driver.current_url, what="signed out")
        self.b.wait_text("#bar", "已退出")
        with SRV.lock:
            self.assertNotIn(csrf, [s["csrf"] for s in SRV.sessions.values()])

    def test_staff_without_a_counter_chooses_one(self):
        self.b.sign_in(SRV.url, "1001", fixture.SECRET, "")
        self.b.wait_css("#choose:not([hidden])")
        labels = [e.text for e in self.b.find_all("#pages button")]
        self.assertTrue(any("c02" in t for t in labels), labels)
        [e for e in self.b.find_all("#pages button") if "c02" in e.text][0].click()
        self.b.wait(lambda: self.b.driver.current_url.endswith("/counter"), what="the counter page")
        self.assertEqual([(l["staff_id"], l.get("counter")) for l in SRV.logins], [("1001", None), ("1001", "c02")],
                         "signed in again at the counter with the secret still in the form")
        self.b.wait_live()
        self.assertIn("@ c02", self.b.text("#who"))

    def test_pages_need_a_session_and_the_role(self):
        self.b.get(SRV.url + "/supervisor")
        self.b.wait(lambda: "bye=signed-out" in self.b.driver.current_url, what="sent to sign in")
        self.open_as("2001", "guide")
        self.b.get(SRV.url + "/admin")
        self.b.wait_text("#bar", "您的岗位不能打开此页")
        self.assertEqual(SRV.commands, [])


class TestGuide(PageCase):
    def test_find_flag_and_issue(self):
        self.open_as("2001", "guide")
        self.b.type_into("#find-ticket", "c015")
        self.b.click("#form-find button")
        self.b.wait_text("#found-where", "正在 6号窗口 办理")
        self.b.type_into("#find-ticket", "a019")
        self.b.click("#form-find button")
        self.b.wait_text("#found-where", "14 人等候")
        self.b.click("#flag-go")
        self.b.wait_text("#bar", "请先查找号码并选择")
        self.b.click("#flag-kinds button[data-value='disabled']")
        self.b.type_into("#flag-note", "坐轮椅")
        self.b.click("#flag-go")
        cmd = self.wait_cmds("flag")[0]
        self.assertEqual((cmd["ticket"], cmd["priority"], cmd["reason"]), ("A019", "disabled", "坐轮椅"))
        self.assertEqual(cmd["counter"], "c01", "a counter op: through a staffed counter serving service A")
        self.b.click("#take-services button[data-value='D']")
        self.b.click("#take-priority button[data-value='pregnant']")
        self.b.click("#take-go")
        cmd = self.wait_cmds("take")[0]
        self.assertEqual((cmd["service"], cmd["priority"], cmd["lang"]), ("D", "pregnant", "zh"))
        self.b.wait_text("#issued-label", "D046")
        self.assertIn("/t/Gd2kQ9wX4mN7pR1sT5vY8z", self.b.text("#issued-link"))


class TestSupervisor(PageCase):
    def setUp(self):
        super().setUp()
        self.open_as("3001", "supervisor")

    def test_ack_an_alert(self):
        self.b.click("#alerts button[data-alert='al-31']")
        self.assertEqual(self.wait_cmds("alert-ack")[0]["alert"], "al-31")
        self.assertEqual(self.b.find_all("#alerts button[data-alert='al-27']"), [], "an acknowledged alert has no button")
        self.b.wait_text("#alerts", "打印机纸将用完")  # device health among the alerts

    def test_pause_on_behalf_and_resume(self):
        self.b.click(".tile[data-counter='c05'] button[data-op='pause']")
        self.b.wait_css("#dlg-pause[open]")
        self.b.click("#pause-reasons button[data-value='meeting']")
        self.b.type_into("#pause-message", "开会，15分钟后回")
        self.b.find("#dlg-pause button[type=submit]").click()
        cmd = self.wait_cmds("pause")[0]
        self.assertEqual((cmd["counter"], cmd["reason"], cmd["message"]), ("c05", "meeting", "开会，15分钟后回"))
        self.b.click(".tile[data-counter='c03'] button[data-op='resume']")
        self.assertEqual(self.wait_cmds("resume")[0]["counter"], "c03")

    def test_notice_with_expiry_close_a_service_end_the_day(self):
        self.b.type_into("#notice-text", "系统升级")
        self.b.js("document.getElementById('notice-until').value = '17:30'")
        self.b.click("#notice-go")
        cmd = self.wait_cmds("notice")[0]
        self.assertEqual(cmd["message"], "系统升级")
        self.assertRegex(cmd["until"], r"^\d{4}-\d{2}-\d{2}T17:30:00\+08:00$", "the hall's zone, not the PC's")
        self.b.click("#queues button[data-service='A'][data-op='close']")
        self.assertEqual(self.wait_cmds("close")[0]["service"], "A")
        self.b.wait_text("#bar", "A 已停止取号")
        SRV.replies["close"] = {"ok": True, "open": False}  # a caller that closed the whole hall
        self.b.click("#queues button[data-service='B'][data-op='close']")
        self.b.wait_text("#bar", "整个大厅已停止取号")
        self.b.click("#end-day-go")
        self.b.wait_css("#dlg-end[open]")
        self.b.find("#dlg-end .cancel").click()
        time.sleep(0.3)
        self.assertEqual(SRV.commands_of("end-day"), [], "cancel sends nothing")
        self.b.click("#end-day-go")
        self.b.find("#dlg-end button[type=submit]").click()
        self.wait_cmds("end-day")
        self.b.wait_text("#bar", "12 个号作废")


class TestAdmin(PageCase):
    def setUp(self):
        super().setUp()
        self.open_as("4001", "admin")
        self.b.wait_css("#roster tr[data-staff]")

    def test_add_staff(self):
        self.b.click("#roster-add")
        self.b.wait_css("#dlg-staff[open]")
        self.b.type_into("#s-id", "1010")
        self.b.type_into("#s-name", "林芳")
        self.b.click("#s-roles button[data-value='guide']")
        self.b.type_into("#s-counters", "c01, c02")
        self.b.type_into("#s-secret", "correct horse")
        self.b.find("#dlg-staff button[type=submit]").click()
        cmd = self.wait_cmds("staff-add")[0]
        self.assertEqual(cmd["roles"], ["staff", "guide"])
        self.assertEqual(cmd["counters"], ["c01", "c02"])
        self.assertEqual(cmd["secret"], "correct horse")
        self.assertEqual(self.b.find("#s-secret").get_attribute("value"), "", "the secret does not stay in the form")

    def test_reset_secret_must_match(self):
        self.b.click("#roster tr[data-staff='1001'] button[data-op='secret']")
        self.b.type_into("#secret-1", "abcdefgh")
        self.b.type_into("#secret-2", "abcdefgX")
        self.b.find("#dlg-secret button[type=submit]").click()
        self.b.wait_text("#bar", "两次输入的密码不一致")
        self.assertEqual(SRV.commands_of("staff-set-secret"), [])
        self.b.type_into("#secret-2", "abcdefgh")
        self.b.find("#dlg-secret button[type=submit]").click()
        cmd = self.wait_cmds("staff-set-secret")[0]
        self.assertEqual((cmd["staff_id"], cmd["secret"]), ("1001", "abcdefgh"))

    def test_import_csv(self):
        csv = "staff_id,name,department,roles,counters,services,covers,secret\n1020,周明,社保,staff,c01;c02,A,,4821\n"
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
            f.write(csv)
        try:
            self.b.find("#import-file").send_keys(f.name)
            self.b.wait_css("#dlg-import[open]")
            self.b.wait_text("#import-summary", "2 行")
            self.b.find("#dlg-import button[type=submit]").click()
            self.assertEqual(self.wait_cmds("staff-import")[0]["csv"], csv)
            self.b.wait_text("#bar", "新增 1 人")
            SRV.replies["staff-import"] = {"ok": False, "error": "bad-field", "line": 2,
                                           "message": "csv line 2: roles: 'boss' is not a role"}
            self.b.find("#import-file").send_keys(f.name)
            self.b.wait_css("#dlg-import[open]")
            self.b.find("#dlg-import button[type=submit]").click()
            self.b.wait_text("#bar", "CSV 第 2 行有误，整个文件没有导入")
            self.assertIn("'boss' is not a role", self.bar(), "the engine's words name the field")
        finally:
            os.unlink(f.name)

    def test_too_large_an_import_is_refused_before_sending(self):
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
            f.write("1,名字,部门,staff,,,,1234\n" * 400)
        try:
            self.b.find("#import-file").send_keys(f.name)
            self.b.wait_text("#bar", "文件太大")
            self.assertEqual(SRV.commands_of("staff-import"), [])
        finally:
            os.unlink(f.name)

    def test_audit_search(self):
        self.b.type_into("#audit-staff", "1001")
        self.b.js("document.getElementById('audit-day').value = '2026-11-23'")
        self.b.click("#form-audit button")
        cmd = self.wait_cmds("audit")[0]
        self.assertEqual((cmd["staff_id"], cmd["day"]), ("1001", 20261123))
        self.b.wait_text("#audit", "bad-secret")


if __name__ == "__main__":
    why = br.missing()
    if why:
        print("SKIP: " + why)
        sys.exit(77)
    unittest.main()
