#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""fake_server.py — a TEST STAND-IN for jiaohao-web, for page screenshots and page logic only.

Owns: speaking the console contract (docs/console.md; /work/briefs/CONSOLE.md) to a browser
with Python's standard library alone: the static pages with the contract's routes and
security headers, /api/login|logout|me with a cookie session and a csrf token, the staff
WebSocket /ws (hello, a snapshot of canned states, replies to commands) and the citizen's
/ws/t/<token>. It holds no queue: a command gets a canned reply (or the one a test set),
and states change only when a test pushes them. Every command it receives is recorded so
a test can check what the page sent.

It is NOT the server: what jiaohao-web really does (role checks, relaying to the caller,
rate limits) is tested against jiaohao-web itself (tests/web/, e2e_test.py). Never make
this the only test of such a behaviour.

    /usr/bin/python3 tests/web/browser/fake_server.py [--port 8088]   # pages by hand
"""

import argparse
import base64
import hashlib
import http.server
import json
import mimetypes
import os
import secrets
import socket
import struct
import threading
import time
import urllib.parse

import fixture

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
PAGE_ROUTES = {"/": "index.html", "/counter": "counter.html", "/guide": "guide.html",
               "/supervisor": "supervisor.html", "/admin": "admin.html"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; connect-src 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

# The reply a command gets unless a test says otherwise: shaped like the engine's.
def default_reply(cmd, server):
    op = cmd.get("op")
    c = cmd.get("counter")
    st = server.states.get("counter/" + c, {}) if c else {}
    if op == "call-next":
        return {"ticket": "A013", "service": "A", "counter": c, "call_count": 1, "waited_s": 312}
    if op == "call":
        return {"ticket": cmd.get("ticket"), "counter": c, "call_count": 1}
    if op == "recall":
        return {"ticket": st.get("ticket") or "A012", "call_count": (st.get("call_count") or 1) + 1}
    if op in ("finish",):
        return {"ticket": st.get("ticket") or "A012", "finished": st.get("ticket") or "A012", "service_s": 754}
    if op == "no-show":
        return {"ticket": st.get("ticket") or "A012", "no_show": True}
    if op == "transfer":
        return {"ticket": st.get("ticket") or "A012", "to_counter": cmd.get("to_counter"),
                "service": cmd.get("to_service") or st.get("service")}
    if op == "requeue":
        return {"ticket": cmd.get("ticket"), "requeue": "back"}
    if op == "pause":
        return {"message": cmd.get("message", "")}
    if op == "flag":
        return {"ticket": cmd.get("ticket"), "priority": cmd.get("priority")}
    if op == "take":
        svc = server.states.get("service/" + str(cmd.get("service")), {})
        return {"ticket": cmd.get("service", "A") + "046", "service": cmd.get("service", "A"),
                "service_name": svc.get("name", ""), "service_name_en": svc.get("name_en", ""),
                "priority": cmd.get("priority", "none"),
                "ahead": 14, "ewt_s": 1320, "issued_at": fixture.iso(), "day": fixture.today(), "kiosk": "guide",
                "lang": "zh", "token": "Gd2kQ9wX4mN7pR1sT5vY8z"}
    if op == "staff-list":
        return {"staff": fixture.staff_list()}
    if op == "audit":
        return {"rows": fixture.audit_rows()}
    if op == "staff-import":
        return {"added": 1, "updated": 0}
    if op == "notice":
        return {"notice": cmd.get("message", "")}
    if op in ("open", "close"):  # as the contract's new open/close {service?} answers
        out = {"open": op == "open"}
        if cmd.get("service"):
            out["service"] = cmd["service"]
        return out
    if op == "end-day":
        return {"open": False, "expired": 12}
    return {}


class FakeConsole:
    """The stand-in. start() serves on 127.0.0.1:<port> (0 = any free port)."""

    def __init__(self, pages_dir, port=0):
        self.pages_dir = os.path.abspath(pages_dir)
        self.lock = threading.Lock()
        self.sessions = {}   # cookie token → session dict
        self.commands = []   # every cmd a staff socket sent, as parsed JSON
        self.rates = []      # every citizen rate message, with its token
        self.logins = []     # every /api/login body
        self.replies = {}    # op → reply dict ({"ok": False, ...} to refuse) or callable(cmd) → dict
        self.login_refusal = None  # (code, http status) to refuse every sign-in, e.g. ("rate-limited", 429)
        self.states = fixture.all_states()
        self.tickets = {k: dict(v) for k, v in fixture.TOKENS.items()}
        self.staff_socks = []
        self.citizen_socks = []  # (token, conn)
        self.ws_connects = 0
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), self._handler_class())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self.thread = None

    # ---------------------------------------------------------------- test side
    def start(self):
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.drop_connections()
        self.httpd.shutdown()
        self.httpd.server_close()

    def reset(self):
        with self.lock:
            self.commands.clear()
            self.rates.clear()
            self.logins.clear()
            self.replies.clear()
            self.login_refusal = None
            self.states = fixture.all_states()
            self.tickets = {k: dict(v) for k, v in fixture.TOKENS.items()}
        self.drop_connections()

    def commands_of(self, op):
        with self.lock:
            return [c for c in self.commands if c.get("op") == op]

    def push_state(self, topic, data):
        with self.lock:
            self.states[topic] = data
            socks = list(self.staff_socks)
        for conn in socks:
            conn.send_json({"type": "state", "topic": topic, "data": data})

    def push_event(self, kind, data):
        with self.lock:
            socks = list(self.staff_socks)
        for conn in socks:
            conn.send_json({"type": "event", "kind": kind, "data": data})

    def bye(self, reason):
        with self.lock:
            socks = list(self.staff_socks)
        for conn in socks:
            conn.send_json({"type": "bye", "reason": reason})
            conn.close()

    def set_ticket(self, token, data):
        with self.lock:
            self.tickets[token] = data
            socks = [c for t, c in self.citizen_socks if t == token]
        for conn in socks:
            conn.send_json({"type": "ticket", "data": data})

    def drop_connections(self):
        with self.lock:
            socks = list(self.staff_socks) + [c for _, c in self.citizen_socks]
        for conn in socks:
            conn.close()

    # ---------------------------------------------------------------- server side
    def new_session(self, staff_id, account, counter):
        token = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
        s = {"staff_id": staff_id, "name": account["name"], "roles": account["roles"],
             "counters": account["counters"], "counter": counter, "csrf": secrets.token_urlsafe(24)}
        with self.lock:
            self.sessions[token] = s
        return token, s

    def login(self, body):
        with self.lock:
            self.logins.append(body)
        if self.login_refusal:
            code, status = self.login_refusal
            return status, {"ok": False, "error": code, "message": code}, None
        sid, secret, counter = body.get("staff_id"), body.get("secret"), body.get("counter")
        if not isinstance(sid, str) or not isinstance(secret, str) or not sid or not secret:
            return 400, {"ok": False, "error": "bad-request", "message": "staff_id and secret required"}, None
        a = fixture.ROSTER.get(sid)
        if a is None:
            return 401, {"ok": False, "error": "unknown-staff", "message": "no such staff"}, None
        if a.get("disabled"):
            return 403, {"ok": False, "error": "staff-disabled", "message": "disabled"}, None
        if a.get("locked"):
            return 403, {"ok": False, "error": "locked", "message": "locked", "until": fixture.iso(-5)}, None
        if secret != fixture.SECRET:
            return 401, {"ok": False, "error": "bad-secret", "message": "wrong secret"}, None
        if counter and counter not in a["counters"]:
            return 403, {"ok": False, "error": "not-allowed-here", "message": "not here"}, None
        token, s = self.new_session(sid, a, counter or None)
        out = {"ok": True, "staff_id": sid, "name": s["name"], "roles": s["roles"], "counters": s["counters"],
               "counter": s["counter"], "csrf": s["csrf"]}
        return 200, out, token

    def on_cmd(self, conn, session, msg):
        mid = msg.get("id")
        if msg.get("csrf") != session["csrf"]:
            conn.send_json({"type": "reply", "id": mid, "ok": False, "error": "csrf"})
            return
        with self.lock:
            self.commands.append(msg)
            r = self.replies.get(msg.get("op"))
        if callable(r):
            r = r(msg)
        if r is None:
            r = dict(default_reply(msg, self), ok=True)
        out = {"type": "reply", "id": mid, "ok": True}
        out.update(r)
        conn.send_json(out)

    def on_rate(self, conn, token, msg):
        with self.lock:
            self.rates.append({"token": token, "score": msg.get("score")})
            t = self.tickets.get(token)
        if t is None:
            conn.send_json({"type": "reply", "ok": False, "error": "unknown-token"})
            return
        if t.get("rated"):
            conn.send_json({"type": "reply", "ok": False, "error": "already-rated"})
            return
        if not t.get("can_rate"):
            conn.send_json({"type": "reply", "ok": False, "error": "no-ticket-to-rate"})
            return
        conn.send_json({"type": "reply", "ok": True})
        self.set_ticket(token, dict(t, rated=True, can_rate=False))

    def _handler_class(self):
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt, *args):
                pass

            def session(self):
                cookie = self.headers.get("Cookie", "")
                for part in cookie.split(";"):
                    k, _, v = part.strip().partition("=")
                    if k == "jh_session":
                        with server.lock:
                            return v, server.sessions.get(v)
                return None, None

            def reply(self, status, body, ctype="application/json", extra=None):
                data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for k, v in SECURITY_HEADERS.items():
                    self.send_header(k, v)
                if self.path.startswith("/api"):
                    self.send_header("Cache-Control", "no-store")
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def static(self, name):
                path = os.path.join(server.pages_dir, name)
                if "/" in name or not os.path.isfile(path):
                    self.reply(404, b"not found", "text/plain")
                    return
                ctype = {"js": "text/javascript", "css": "text/css", "html": "text/html"}.get(
                    name.rsplit(".", 1)[-1], mimetypes.guess_type(name)[0] or "application/octet-stream")
                with open(path, "rb") as f:
                    self.reply(200, f.read(), ctype + "; charset=utf-8")

            def do_GET(self):
                path = urllib.parse.urlsplit(self.path).path
                if path in ("/ws",) or path.startswith("/ws/t/"):
                    self.websocket(path)
                elif path in PAGE_ROUTES:
                    self.static(PAGE_ROUTES[path])
                elif path.startswith("/t/"):
                    self.static("t.html")
                elif path == "/api/me":
                    _, s = self.session()
                    if s is None:
                        self.reply(401, {"ok": False, "error": "signed-out"})
                    else:
                        self.reply(200, {k: s[k] for k in ("staff_id", "name", "roles", "counter", "csrf")})
                else:
                    self.static(path.lstrip("/"))

            def body(self):
                n = int(self.headers.get("Content-Length") or 0)
                try:
                    return json.loads(self.rfile.read(n) or b"{}")
                except ValueError:
                    return None

            def do_POST(self):
                path = urllib.parse.urlsplit(self.path).path
                b = self.body()  # always read: what is left would prefix the next request
                if path == "/api/login":
                    if not isinstance(b, dict):
                        self.reply(400, {"ok": False, "error": "bad-request"})
                        return
                    status, out, token = server.login(b)
                    extra = {"Set-Cookie": "jh_session=%s; HttpOnly; SameSite=Strict; Path=/" % token} if token else None
                    self.reply(status, out, extra=extra)
                elif path == "/api/logout":
                    token, s = self.session()
                    if s is None:
                        self.reply(401, {"ok": False, "error": "signed-out"})
                    elif self.headers.get("X-CSRF-Token") != s["csrf"]:
                        self.reply(403, {"ok": False, "error": "csrf"})
                    else:
                        with server.lock:
                            server.sessions.pop(token, None)
                        self.reply(200, {"ok": True})
                else:
                    self.reply(404, {"ok": False, "error": "not-found"})

            def websocket(self, path):
                staff = path == "/ws"
                _, s = self.session()
                origin = self.headers.get("Origin")
                if origin != server.url or (staff and s is None):
                    self.reply(403, {"ok": False, "error": "forbidden"})
                    return
                key = self.headers.get("Sec-WebSocket-Key", "")
                accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
                self.send_response(101)
                self.send_header("Upgrade", "websocket")
                self.send_header("Connection", "Upgrade")
                self.send_header("Sec-WebSocket-Accept", accept)
                self.end_headers()
                self.wfile.flush()
                self.close_connection = True
                conn = WsConn(self.connection)
                with server.lock:
                    server.ws_connects += 1
                if staff:
                    self.staff_loop(conn, s)
                else:
                    self.citizen_loop(conn, path[len("/ws/t/"):])

            def staff_loop(self, conn, s):
                conn.send_json(dict({"type": "hello"}, **{k: s[k] for k in ("staff_id", "name", "roles", "counter", "csrf")}))
                with server.lock:
                    snapshot = list(server.states.items())
                    server.staff_socks.append(conn)
                for topic, data in snapshot:
                    conn.send_json({"type": "state", "topic": topic, "data": data})
                try:
                    for text in conn.messages():
                        try:
                            msg = json.loads(text)
                        except ValueError:
                            conn.send_json({"type": "reply", "ok": False, "error": "bad-json"})
                            continue
                        if not isinstance(msg, dict) or msg.get("type") != "cmd":
                            conn.send_json({"type": "reply", "ok": False, "error": "unknown-type"})
                            continue
                        server.on_cmd(conn, s, msg)
                finally:
                    with server.lock:
                        if conn in server.staff_socks:
                            server.staff_socks.remove(conn)

            def citizen_loop(self, conn, token):
                with server.lock:
                    t = server.tickets.get(token)
                if t is None:
                    conn.send_json({"type": "ticket", "data": None, "error": "unknown-token"})
                    conn.close()
                    return
                with server.lock:
                    server.citizen_socks.append((token, conn))
                conn.send_json({"type": "ticket", "data": t})
                try:
                    for text in conn.messages():
                        try:
                            msg = json.loads(text)
                        except ValueError:
                            msg = None
                        if isinstance(msg, dict) and msg.get("type") == "rate":
                            server.on_rate(conn, token, msg)
                        else:
                            conn.send_json({"type": "reply", "ok": False, "error": "unknown-type"})
                finally:
                    with server.lock:
                        if (token, conn) in server.citizen_socks:
                            server.citizen_socks.remove((token, conn))

        return Handler


class WsConn:
    """One RFC 6455 connection, server side: text frames out, client frames in."""

    def __init__(self, sock):
        self.sock = sock
        self.send_lock = threading.Lock()
        self.closed = False

    def _read(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise ConnectionError("closed")
            buf += chunk
        return buf

    def messages(self):
        """Yields each text message until the peer closes."""
        parts = []
        try:
            while not self.closed:
                b0, b1 = self._read(2)
                op, n = b0 & 0x0F, b1 & 0x7F
                if n == 126:
                    n = struct.unpack(">H", self._read(2))[0]
                elif n == 127:
                    n = struct.unpack(">Q", self._read(8))[0]
                mask = self._read(4) if b1 & 0x80 else b"\0\0\0\0"
                data = bytes(c ^ mask[i % 4] for i, c in enumerate(self._read(n)))
                if op == 8:
                    break
                if op == 9:
                    self._frame(10, data)
                    continue
                if op in (1, 0):
                    parts.append(data)
                    if b0 & 0x80:
                        yield b"".join(parts).decode("utf-8", "replace")
                        parts = []
        except (ConnectionError, OSError, ValueError):
            pass
        self.close()

    def _frame(self, op, data):
        head = bytes([0x80 | op])
        n = len(data)
        if n < 126:
            head += bytes([n])
        elif n < 65536:
            head += bytes([126]) + struct.pack(">H", n)
        else:
            head += bytes([127]) + struct.pack(">Q", n)
        with self.send_lock:
            if self.closed:
                return
            try:
                self.sock.sendall(head + data)
            except OSError:
                self.closed = True

    def send_json(self, obj):
        self._frame(1, json.dumps(obj, ensure_ascii=False).encode())

    def close(self):
        if self.closed:
            return
        self._frame(8, struct.pack(">H", 1000))
        self.closed = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser(description="test stand-in for jiaohao-web (pages by hand, screenshots)")
    ap.add_argument("--port", type=int, default=8088)
    ap.add_argument("--pages", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "web", "pages"))
    a = ap.parse_args()
    srv = FakeConsole(a.pages, a.port).start()
    print("fake console (TEST STAND-IN) on %s — every secret is %s; staff ids: %s"
          % (srv.url, fixture.SECRET, ", ".join(sorted(fixture.ROSTER))), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        srv.stop()


if __name__ == "__main__":
    main()
