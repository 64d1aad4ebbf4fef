# SPDX-License-Identifier: MIT
"""browser.py — Debian's Chromium, headless, driven through chromedriver by Selenium.

Owns: starting one browser at a given screen size (a counter PC's 1366×768 or a phone's
390×844, set through the DevTools protocol so the page sees exactly that viewport), the
waits every test needs (text shown, element present), pressing keys, signing in through
the real sign-in page, and screenshots. Tests skip (exit 77) when the packages are missing.
"""

import os
import shutil
import time

SIZES = {"pc": (1366, 768, False), "phone": (390, 844, True)}
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def missing():
    """Why the browser tests cannot run here, or None."""
    for p in (CHROMIUM, CHROMEDRIVER):
        if not os.access(p, os.X_OK):
            return "no %s (apt-get install chromium chromium-driver)" % p
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "no python3-selenium (run with Debian's /usr/bin/python3)"
    return None


class Browser:
    def __init__(self, size="pc"):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for a in ("--headless=new", "--disable-gpu", "--no-first-run", "--disable-extensions",
                  "--disable-dev-shm-usage", "--hide-scrollbars", "--force-color-profile=srgb",
                  "--lang=zh-CN", "--window-size=%d,%d" % SIZES[size][:2]):
            opts.add_argument(a)
        if os.geteuid() == 0:
            opts.add_argument("--no-sandbox")
        self.profile = None
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
        self.driver.set_script_timeout(10)
        self.resize(size)

    def resize(self, size):
        w, h, mobile = SIZES[size]
        self.size = size
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": w, "height": h, "deviceScaleFactor": 1, "mobile": mobile})

    def quit(self):
        try:
            self.driver.quit()
        except Exception:  # the browser may already be gone; nothing to clean then
            pass

    # ------------------------------------------------------------ page access
    def get(self, url):
        self.driver.get(url)

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def find(self, css):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        from selenium.webdriver.common.by import By
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css):
        els = self.find_all(css)
        return els[0].text if els else ""

    def wait(self, cond, timeout=8.0, what="condition"):
        """Polls cond() until it is truthy; returns its value or raises AssertionError."""
        end = time.monotonic() + timeout
        last = None
        while time.monotonic() < end:
            try:
                last = cond()
                if last:
                    return last
            except Exception as e:  # an element not there yet is the usual reason
                last = e
            time.sleep(0.05)
        raise AssertionError("timed out waiting for %s (last: %r)" % (what, last))

    def wait_text(self, css, needle, timeout=8.0):
        return self.wait(lambda: needle in self.text(css), timeout, "%r in %s (now %r)" % (needle, css, self.text(css)))

    def wait_css(self, css, timeout=8.0):
        return self.wait(lambda: self.find_all(css), timeout, css)

    def wait_live(self, timeout=8.0):
        """Until the page's socket is open (the header's connection badge says so)."""
        return self.wait(lambda: "ok" in (self.find("#conn").get_attribute("class") or ""), timeout, "socket open")

    def press(self, key, css="body"):
        """Sends one key (a selenium Keys value or text) to the focused element or css."""
        from selenium.webdriver.common.action_chains import ActionChains
        ActionChains(self.driver).send_keys(key).perform()

    def type_into(self, css, text, clear=True):
        e = self.find(css)
        if clear:
            e.clear()
        e.send_keys(text)

    def click(self, css):
        self.find(css).click()

    # ------------------------------------------------------------ the console
    def sign_in(self, base, staff_id, secret, counter=""):
        self.get(base + "/")
        self.wait_css("#staff_id")
        self.type_into("#staff_id", staff_id)
        self.type_into("#secret", secret)
        self.type_into("#counter", counter)
        self.click("#go")

    def shot_parts(self, path):
        """The whole page in screen-high parts: path-1.png, path-2.png, … (for people to look at)."""
        import base64
        w, h, _ = SIZES[self.size]
        height = self.js("return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)")
        out = []
        for i, y in enumerate(range(0, height, h)):
            shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": y, "width": w, "height": min(h, height - y), "scale": 1}})
            p = "%s-%d.png" % (path[:-4], i + 1)
            with open(p, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
            out.append(p)
        return out

    def shot(self, path, full=False):
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        if not full:
            self.driver.save_screenshot(path)
            return path
        import base64
        w, h, _ = SIZES[self.size]
        height = self.js("return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)")
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": w, "height": max(h, height), "scale": 1}})
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        return path


def which(name):
    return shutil.which(name)
