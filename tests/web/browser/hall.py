# SPDX-License-Identifier: MIT
"""hall.py — a whole throw-away hall for the console's end-to-end browser tests.

Owns: a temp dir with a test hall config (the integration tests' hall of
tests/integration/lib.sh, plus a staff roster, the console's [web] section and two
boards), a real mosquitto configured by scripts/broker-config on a free loopback port, the
real jiaohao-caller (on a simulated clock, so a test can move time to an overrun), the
real jiaohao-display for the main board and counter c01's strip (SDL dummy driver, a frame
saved on SIGUSR1 with its layout record), the real jiaohao-web, and MQTT from outside with
mosquitto_pub/mosquitto_sub. stop() ends every process it started, by its pid, and removes
the dir (kept with JH_KEEP=1 for a look after a failure).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

SOURCE = os.environ.get("JH_SOURCE_DIR") or os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
SITE = "test-hall"
PREFIX = "jh/v1/" + SITE + "/"
SIM_START = "2026-11-23T09:00:00+08:00"  # a Monday; the test hall is open around the clock

# The roster the tests sign in with: staff_id,name,department,roles,counters,services,covers,secret
ROSTER = [
    ("1001", "王芳", "社保科", "staff", "c01;c02", "A;B", "", "2468"),
    ("1002", "李静", "医保科", "staff", "c02", "A", "1001", "1357"),
    ("2001", "陈晨", "导办台", "guide", "", "", "", "guide-secret-1"),
    ("3001", "张伟", "大厅", "supervisor;staff", "", "", "", "super-secret-1"),
    ("4001", "刘洋", "信息科", "admin", "", "", "", "admin-secret-1"),
]
SECRETS = {r[0]: r[7] for r in ROSTER}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Hall:
    def __init__(self, bin_dir, web=True):
        self.bin = bin_dir
        self.web = web  # False: no console (and no [staff]/[web] config), to check this harness alone
        self.plugin = os.environ.get("JH_BROKER_PLUGIN") or os.path.join(os.path.dirname(bin_dir), "lib", "jh_broker_guard.so")
        self.probe = os.environ.get("JH_PROBE") or os.path.join(os.path.dirname(bin_dir), "tests", "png_probe")
        self.dir = tempfile.mkdtemp(prefix="jh-browser.")
        self.conf = os.path.join(self.dir, "hall.ini")
        self.broker_dir = os.path.join(self.dir, "broker")
        self.cred = os.path.join(self.broker_dir, "credentials")
        self.procs = {}
        self.port = None
        self.web_port = None
        self.url = None

    # ------------------------------------------------------------ start and stop
    def start(self):
        env = dict(os.environ, JH_BIN_DIR=self.bin, JH_BROKER_PLUGIN=self.plugin)
        for _ in range(6):
            self.port, self.web_port = free_port(), free_port()
            self.url = "http://127.0.0.1:%d" % self.web_port
            self.write_config()
            subprocess.run(["bash", os.path.join(SOURCE, "scripts", "broker-config"), "--config", self.conf,
                            "--out", self.broker_dir, "--port", str(self.port), "--run-as", os.environ.get("USER") or
                            subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip()],
                           check=True, env=env, stdout=subprocess.DEVNULL)
            self.spawn("broker", ["mosquitto", "-c", os.path.join(self.broker_dir, "mosquitto.conf")])
            if self.wait_port(self.port, "broker"):
                break
            self.kill("broker")
        else:
            raise RuntimeError("could not start mosquitto")
        self.listen("events", "display", "event/#")
        self.spawn("caller", [os.path.join(self.bin, "jiaohao-caller"), "--config", self.conf, "--sim-clock", SIM_START])
        self.wait_online()
        denv = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
        for board in ("main", "strip1"):
            self.spawn("display-" + board, [os.path.join(self.bin, "jiaohao-display"), "--config", self.conf, "--id", board,
                                            "--screenshot-signal", self.path(board + ".png"),
                                            "--layout-out", self.path(board + ".json")], env=denv)
        if self.web:
            self.spawn("web", [os.path.join(self.bin, "jiaohao-web"), "--config", self.conf])
            self.wait_http()
        for board in ("main", "strip1"):
            self.wait_log("display-" + board, "display " + board + ": ")
        return self

    def stop(self):
        for name in list(self.procs):
            self.kill(name)
        if os.environ.get("JH_KEEP") == "1":
            print("hall kept in " + self.dir)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    def write_config(self):
        os.makedirs(self.dir, exist_ok=True)
        with open(self.path("staff.csv"), "w", encoding="utf-8") as f:
            for row in ROSTER:
                f.write(",".join(row) + "\n")
        with open(self.conf, "w", encoding="utf-8") as f:
            f.write("""[hall]
site = {site}
name_zh = 测试大厅
name_en = Test Hall
timezone = Asia/Shanghai
data_dir = {dir}/data

[broker]
host = 127.0.0.1
port = {port}
credentials_dir = {cred}

[dispatch]
policy = strict
recall_limit = 2
requeue = back

{console}[service A]
name_zh = 社保业务
name_en = Social Insurance
numbers = 1-999
hours = mon-sun 00:00-24:00
target_minutes = 15

[service B]
name_zh = 医保业务
name_en = Medical Insurance
numbers = 1-999
hours = mon-sun 00:00-24:00
target_minutes = 10

[counter c01]
number = 1
name_zh = 1号窗口
name_en = Window 1
services = A,B

[counter c02]
number = 2
name_zh = 2号窗口
name_en = Window 2
services = A

[kiosk k1]
services = A,B

[display main]
layout = main
history = 8

[display strip1]
layout = strip
counter = c01
""".format(site=SITE, dir=self.dir, port=self.port, cred=self.cred,
           console=self.console_config() if self.web else ""))

    def console_config(self):
        return """[staff]
roster = staff.csv

[web]
listen = 127.0.0.1:{web_port}
pages = {pages}

""".format(web_port=self.web_port, pages=os.path.join(SOURCE, "web", "pages"))

    def spawn(self, name, argv, env=None):
        log = open(self.path(name + ".log"), "ab")
        self.procs[name] = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.dir)
        log.close()

    def kill(self, name, sig=signal.SIGTERM):
        p = self.procs.pop(name, None)
        if p is None or p.poll() is not None:
            return
        p.send_signal(sig)
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()

    def alive(self, name):
        p = self.procs.get(name)
        return p is not None and p.poll() is None

    def log(self, name, tail=30):
        try:
            with open(self.path(name + ".log"), encoding="utf-8", errors="replace") as f:
                return "".join(f.readlines()[-tail:])
        except OSError:
            return ""

    def wait_port(self, port, name, timeout=5.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if not self.alive(name):
                return False
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    return True
            time.sleep(0.05)
        return False

    def wait_online(self, timeout=10.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            s = self.retained("display", "status/caller")
            if s and s.get("online"):
                return
            if not self.alive("caller"):
                break
            time.sleep(0.1)
        raise RuntimeError("jiaohao-caller never came online:\n" + self.log("caller"))

    def wait_http(self, timeout=10.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if not self.alive("web"):
                break
            try:
                with urllib.request.urlopen(self.url + "/", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("jiaohao-web never answered on %s:\n%s" % (self.url, self.log("web")))

    def wait_log(self, name, text, timeout=10.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if text in self.log(name, 200):
                return
            time.sleep(0.05)
        raise RuntimeError("%s never logged %r:\n%s" % (name, text, self.log(name)))

    # ------------------------------------------------------------ MQTT from outside
    def pw(self, user):
        with open(os.path.join(self.cred, user + ".pw")) as f:
            return f.readline().strip()

    def mqtt_args(self, user):
        return ["-h", "127.0.0.1", "-p", str(self.port), "-u", user, "-P", self.pw(user), "-I", user + ":"]

    def pub(self, user, suffix, payload):
        subprocess.run(["mosquitto_pub"] + self.mqtt_args(user) + ["-q", "1", "-t", PREFIX + suffix,
                       "-m", json.dumps(payload, ensure_ascii=False)], check=True)

    def retained(self, user, suffix):
        r = subprocess.run(["mosquitto_sub"] + self.mqtt_args(user) + ["-t", PREFIX + suffix, "--retained-only", "-W", "1"],
                           capture_output=True, text=True)
        line = r.stdout.strip().splitlines()
        try:
            return json.loads(line[0]) if line else None
        except ValueError:
            return None

    def listen(self, name, user, filt):
        """A background subscriber writing one payload per line to <dir>/<name>.mqtt."""
        out = open(self.path(name + ".mqtt"), "ab")
        self.procs["sub-" + name] = subprocess.Popen(
            ["mosquitto_sub"] + self.mqtt_args(user) + ["-q", "1", "-t", PREFIX + filt, "-F", "%t %p"],
            stdout=out, stderr=subprocess.DEVNULL)
        out.close()
        time.sleep(0.3)  # subscribed before anything this test waits for is published

    def lines(self, name):
        out = []
        try:
            with open(self.path(name + ".mqtt"), encoding="utf-8") as f:
                for line in f:
                    topic, _, payload = line.rstrip("\n").partition(" ")
                    try:
                        out.append((topic[len(PREFIX):], json.loads(payload)))
                    except ValueError:
                        pass
        except OSError:
            pass
        return out

    def wait_msg(self, name, pred, timeout=10.0, what="message"):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for topic, m in self.lines(name):
                if pred(topic, m):
                    return m
            time.sleep(0.05)
        raise AssertionError("no %s on %s: %s" % (what, name, self.lines(name)[-5:]))

    def cmd(self, user, topic_suffix, payload, timeout=10.0):
        """One command as `user` (a kiosk, counter or admin) and its reply."""
        key = "reply-" + user
        if "sub-" + key not in self.procs:
            self.listen(key, user, "reply/" + user)
        self.pub(user, topic_suffix, dict(payload, reply_to=user))
        return self.wait_msg(key, lambda t, m: m.get("id") == payload["id"], timeout, "reply to " + payload["id"])

    def take(self, service="A", priority="none", n=[0]):
        n[0] += 1
        r = self.cmd("k1", "kiosk/k1/cmd", {"id": "t%d-%d" % (os.getpid(), n[0]), "op": "take", "service": service,
                                            "priority": priority})
        assert r.get("ok"), r
        return r

    def move_clock(self, iso):
        r = self.cmd("admin", "admin/cmd", {"id": "clk-" + iso, "op": "clock", "to": iso})
        assert r.get("ok"), r
        return r

    # ------------------------------------------------------------ boards
    def board(self, board):
        """A fresh frame of a board: (png path, layout record)."""
        png, js = self.path(board + ".png"), self.path(board + ".json")
        for p in (png, js):
            if os.path.exists(p):
                os.unlink(p)
        self.procs["display-" + board].send_signal(signal.SIGUSR1)
        end = time.monotonic() + 5
        while time.monotonic() < end:
            if os.path.exists(png) and os.path.exists(js):
                try:
                    with open(js, encoding="utf-8") as f:
                        return png, json.load(f)
                except ValueError:
                    pass  # still being written
            time.sleep(0.05)
        raise AssertionError("board %s saved no frame on SIGUSR1:\n%s" % (board, self.log("display-" + board)))

    @staticmethod
    def item(layout, tag):
        for it in layout.get("items", []):
            if it.get("tag") == tag:
                return it
        return None

    def wait_board(self, board, tag, text, timeout=15.0):
        """Frames until `text` is drawn at `tag` (by the layout record); the last frame."""
        end = time.monotonic() + timeout
        while True:
            png, layout = self.board(board)
            it = self.item(layout, tag)
            if it and text in (it.get("text") or ""):
                return png, layout, it
            if time.monotonic() > end:
                raise AssertionError("board %s never showed %r at %s (now %r)" % (board, text, tag, it and it.get("text")))
            time.sleep(0.2)

    def pixels_say(self, png, it, text):
        """png_probe's verdict that `text` is what the pixels at the item show (True/False)."""
        args = [self.probe, "text", png] + [str(it[k]) for k in ("x", "y", "w", "h", "px")] + [
            "1" if it.get("bold") else "0", "1" if it.get("solid") else "0", text, "0.8"]
        if it.get("vx") is not None:
            args += [str(it[k]) for k in ("vx", "vy", "vw", "vh")]
        return subprocess.run(args, capture_output=True).returncode == 0
