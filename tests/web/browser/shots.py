#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""shots.py — screenshots of every console page at 1366×768 and 390×844.

Owns: driving each page against the test stand-in (fake_server.py: canned hall states,
so the pictures are repeatable) into <out>/console-<page>-<pc|phone>.png — the pictures in
docs/images/ and the README. Each page is shown as its user sees it at a glance; the
phone ones are full-page (scrolling) unless a dialog is open, the PC ones the screen only.

    /usr/bin/python3 tests/web/browser/shots.py [--out docs/images] [--only counter]
"""

import argparse
import datetime
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import browser as br  # noqa: E402
from fake_server import FakeConsole  # noqa: E402
import fixture  # noqa: E402

PAGES_DIR = os.path.join(HERE, "..", "..", "..", "web", "pages")
# Every picture is taken at this moment of the hall's day (the canned states and the
# browser's clock alike), so a second run gives the same pictures.
FIXED = datetime.datetime(2026, 11, 23, 10, 15, 0, tzinfo=fixture.ZONE)
FREEZE = """(() => {
  // time stands still on these pages: the served-so-far and paused-for counters too
  const base = %d, t0 = performance.now(), Real = Date;
  performance.now = () => t0;
  class FixedDate extends Real {
    constructor(...a) { if (a.length) super(...a); else super(base); }
    static now() { return base; }
  }
  window.Date = FixedDate;
})();""" % int(FIXED.timestamp() * 1000)


def settle(b):
    b.wait_live()
    time.sleep(0.4)


def signin(b, srv, out, size):
    b.get(srv.url + "/?counter=c01")
    b.wait_css("#staff_id")
    b.type_into("#staff_id", "1001")
    b.type_into("#secret", "0000")
    b.click("#go")
    b.wait_text("#bar", "密码")
    time.sleep(0.2)
    yield "signin"


def counter(b, srv, out, size):
    b.sign_in(srv.url, "1001", fixture.SECRET, "c01")
    b.wait(lambda: b.driver.current_url.endswith("/counter"))
    settle(b)
    srv.push_event("called", {"ticket": "A012", "counter": "c01", "waited_s": 1385, "at": fixture.iso(0)})
    time.sleep(0.3)
    yield "counter"
    b.press(br_keys().F5)
    b.wait_css("#dlg-pause[open]")
    b.click("#pause-reasons button[data-value='fetch-materials']")
    b.click("#pause-templates button")
    time.sleep(0.2)
    yield "counter-pause"


def guide(b, srv, out, size):
    b.sign_in(srv.url, "2001", fixture.SECRET)
    b.wait(lambda: b.driver.current_url.endswith("/guide"))
    settle(b)
    b.type_into("#find-ticket", "a019")
    b.click("#form-find button")
    b.click("#flag-kinds button[data-value='elderly']")
    b.click("#take-services button[data-value='B']")
    b.click("#take-go")
    b.wait_css("#issued:not([hidden])")
    time.sleep(0.2)
    yield "guide"


def supervisor(b, srv, out, size):
    b.sign_in(srv.url, "3001", fixture.SECRET)
    b.wait_css("#choose:not([hidden])")
    b.click("#pages button")
    b.wait(lambda: b.driver.current_url.endswith("/supervisor"))
    settle(b)
    b.type_into("#notice-text", "今天 16:30 起暂停办理不动产登记，请提前取号。Real-estate registration stops at 16:30 today.")
    time.sleep(0.2)
    yield "supervisor"


def admin(b, srv, out, size):
    b.sign_in(srv.url, "4001", fixture.SECRET)
    b.wait(lambda: b.driver.current_url.endswith("/admin"))
    settle(b)
    b.wait_css("#roster tr[data-staff]")
    b.click("#form-audit button")
    b.wait_css("#audit tr td")
    time.sleep(0.2)
    yield "admin"


def citizen(b, srv, out, size):
    b.get(srv.url + "/t/Wq3m0aZ1bC2dE3fG4hI5jK")
    b.wait_text("#status", "前面")
    time.sleep(0.2)
    yield "citizen-waiting"
    b.get(srv.url + "/t/Rt7yU8iO9pA0sD1fG2hJ3k")
    b.wait_text("#status", "请到")
    time.sleep(1.0)
    yield "citizen-called"
    b.get(srv.url + "/t/Fn5bV6cX7zL8kJ9hG0fD1s")
    b.wait_css("#rate:not([hidden])")
    time.sleep(0.2)
    yield "citizen-rate"


def br_keys():
    from selenium.webdriver.common.keys import Keys
    return Keys


SCENES = [signin, counter, guide, supervisor, admin, citizen]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "..", "..", "..", "docs", "images"))
    ap.add_argument("--only", default="")
    ap.add_argument("--sizes", default="pc,phone")
    ap.add_argument("--parts", action="store_true", help="also screen-high parts of each page, for review")
    a = ap.parse_args()
    why = br.missing()
    if why:
        print("shots: " + why, file=sys.stderr)
        return 77
    fixture.FIXED_NOW = FIXED
    try:  # a fixed port: the guide's phone link is in a picture
        srv = FakeConsole(PAGES_DIR, port=18088).start()
    except OSError:
        srv = FakeConsole(PAGES_DIR).start()
    made = []
    try:
        for size in a.sizes.split(","):
            for scene in SCENES:
                if a.only and scene.__name__ != a.only:
                    continue
                srv.reset()
                b = br.Browser(size)
                b.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FREEZE})
                b.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {  # the called pulse stands still too
                    "features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})
                try:
                    for name in scene(b, srv, a.out, size):
                        path = os.path.join(a.out, "console-%s-%s.png" % (name, size))
                        b.js("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur && "
                             "!document.querySelector('dialog[open]') && document.activeElement.blur()")
                        # a dialog's backdrop covers the screen only: those stay screen-sized
                        b.shot(path, full=(size == "phone" and not name.endswith("-pause")))
                        made.append(path)
                        if a.parts:
                            made.extend(b.shot_parts(path))
                finally:
                    b.quit()
    finally:
        srv.stop()
    for p in made:
        print(os.path.relpath(p))
    return 0


if __name__ == "__main__":
    sys.exit(main())
