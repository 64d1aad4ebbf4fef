#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""test_static.py — rules the console's page files keep, checked by reading them (no browser).

Owns: no way to turn text into markup (innerHTML, outerHTML, insertAdjacentHTML,
document.write, eval, new Function, string timers); nothing fetched from outside the box
(no http(s):// or protocol-relative URL, no @import, no web font); nothing the server's
Content-Security-Policy (default-src 'self') would block (inline scripts or styles, on*=
attributes, javascript: URLs); every page declares UTF-8 (else CJK garbles) and a viewport;
every asset and module a page names exists and is named from the root (the citizen page
lives under /t/); every file starts with its SPDX line and says what it owns.
"""

import os
import re
import sys
import unittest

PAGES = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "web", "pages"))


def files(ext):
    return sorted(os.path.join(PAGES, f) for f in os.listdir(PAGES) if f.endswith(ext))


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def code_only(js):
    """The JavaScript without its comments and string contents' URLs in comments."""
    js = re.sub(r"/\*.*?\*/", "", js, flags=re.S)
    return re.sub(r"(^|[^:\\])//[^\n]*", r"\1", js)


class PageFiles(unittest.TestCase):
    def test_there_are_pages(self):
        for name in ("index.html", "counter.html", "guide.html", "supervisor.html", "admin.html", "t.html",
                     "ws.js", "state.js", "fmt.js", "dom.js", "style.css"):
            self.assertTrue(os.path.isfile(os.path.join(PAGES, name)), name)

    def test_no_text_becomes_markup(self):
        bad = re.compile(r"\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\s*\(|new\s+Function|"
                         r"setTimeout\s*\(\s*[\"'`]|setInterval\s*\(\s*[\"'`]|createContextualFragment|DOMParser")
        for path in files(".js"):
            for n, line in enumerate(code_only(read(path)).splitlines(), 1):
                self.assertIsNone(bad.search(line), "%s:%d: %s" % (os.path.basename(path), n, line.strip()))

    def test_nothing_from_outside_the_box(self):
        url = re.compile(r"https?://|[\"'(]//[a-z0-9]|@import|@font-face|(?<![A-Za-z])url\(\s*[\"']?(?!/|data:)[a-z]")
        for path in files(".js") + files(".css") + files(".html"):
            text = read(path)
            if path.endswith(".js"):
                text = code_only(text)
            for n, line in enumerate(text.splitlines(), 1):
                self.assertIsNone(url.search(line), "%s:%d: %s" % (os.path.basename(path), n, line.strip()))

    def test_nothing_the_csp_blocks(self):
        for path in files(".html"):
            html = read(path)
            name = os.path.basename(path)
            for m in re.finditer(r"<script\b([^>]*)>(.*?)</script>", html, re.S):
                self.assertIn("src=", m.group(1), name + ": inline script")
                self.assertEqual(m.group(2).strip(), "", name + ": inline script")
                self.assertIn('type="module"', m.group(1), name + ": scripts are modules")
            self.assertNotRegex(html, r"<style\b", name + ": inline style element")
            self.assertNotRegex(html, r"\sstyle\s*=", name + ": style attribute")
            self.assertNotRegex(html, r"\son[a-z]+\s*=", name + ": inline event handler")
            self.assertNotRegex(html, r"javascript:", name)

    def test_pages_declare_utf8_and_a_viewport(self):
        for path in files(".html"):
            html = read(path)
            self.assertRegex(html, r'<meta charset="utf-8">', os.path.basename(path))
            self.assertIn('name="viewport"', html, os.path.basename(path))
            self.assertIn('lang="zh-CN"', html, os.path.basename(path))

    def test_assets_and_imports_exist_named_from_the_root(self):
        for path in files(".html"):
            for ref in re.findall(r'(?:src|href)="([^"#]+)"', read(path)):
                self.assertTrue(ref.startswith("/"), "%s: %s (the citizen page is under /t/)" % (os.path.basename(path), ref))
                if ref.endswith((".js", ".css")):
                    self.assertTrue(os.path.isfile(os.path.join(PAGES, ref.lstrip("/"))), "%s: %s" % (path, ref))
        for path in files(".js"):
            for ref in re.findall(r'^import .* from "([^"]+)";', read(path), re.M):
                self.assertTrue(ref.startswith("./"), "%s: %s" % (path, ref))
                self.assertTrue(os.path.isfile(os.path.join(PAGES, ref[2:])), "%s: %s" % (path, ref))

    def test_spdx_and_owns(self):
        for path in files(".js") + files(".css"):
            text = read(path)
            first = text.splitlines()[0]
            self.assertIn("SPDX-License-Identifier: MIT", first, path)
            self.assertIn("Owns:", text[:1500], path)
        for path in files(".html"):
            self.assertIn("SPDX-License-Identifier: MIT", read(path).splitlines()[1], path)

    def test_counter_keys_match_the_contract(self):
        js = read(os.path.join(PAGES, "counter.js"))
        want = {"F1": "call-next", "F2": "recall", "F3": "finish", "F4": "no-show", "F5": "pause",
                "F6": "transfer", "F7": "call", "F8": "invite-rating"}
        got = dict(re.findall(r'key: "(F\d)", op: "([a-z-]+)"', js))
        self.assertEqual(got, want)


if __name__ == "__main__":
    unittest.main()
