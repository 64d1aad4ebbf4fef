#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ws_client — a small RFC 6455 WebSocket client for jiaohao-web's tests (stdlib only).

Owns: the opening handshake (with the Origin and Cookie a browser would send),
client framing (masked text frames, optionally split into fragments), reading
frames (text, close, ping answered with pong), and a command line for shell
tests that prints what happened, one line each:

    HTTP <status>              the handshake's answer (101 when upgraded)
    msg <json>                 each message the server sent
    closed <code>              the server's close frame (or "closed -1": connection dropped)

  ws_client.py URL [--origin O] [--cookie C] [--send JSON]... [--send-raw-size N]
               [--fragment N] [--after-type TYPE] [--until-type TYPE] [--count N] [--timeout S]

--send messages go out once a message of --after-type arrived (default: at
once); the client stops after --count messages of --until-type (default: any
type), at a close, or after --timeout seconds. A test tool, not part of the box.
"""
import argparse
import base64
import hashlib
import json
import os
import socket
import ssl
import struct
import sys
import time
import urllib.parse

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class WsClient:
    def __init__(self, url, origin=None, cookie=None, timeout=5.0):
        u = urllib.parse.urlparse(url)
        self.host, self.port = u.hostname, u.port or (443 if u.scheme == "wss" else 80)
        self.path = u.path or "/"
        sock = socket.create_connection((self.host, self.port), timeout=timeout)
        if u.scheme == "wss":
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            sock = ctx.wrap_socket(sock, server_hostname=self.host)
        self.sock = sock
        self.buf = b""
        self.closed = None
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {self.path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Upgrade: websocket",
                 "Connection: Upgrade", f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        if origin:
            lines.append(f"Origin: {origin}")
        if cookie:
            lines.append(f"Cookie: {cookie}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = self._read_until(b"\r\n\r\n")
        status_line = head.split(b"\r\n", 1)[0].decode(errors="replace")
        self.status = int(status_line.split()[1]) if len(status_line.split()) > 1 else 0
        self.headers = head.decode(errors="replace")
        if self.status == 101:
            want = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
            if want not in self.headers:
                raise RuntimeError("bad Sec-WebSocket-Accept")

    def _read_until(self, marker):
        while marker not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            self.buf += chunk
        i = self.buf.find(marker)
        if i < 0:
            data, self.buf = self.buf, b""
            return data
        data, self.buf = self.buf[:i], self.buf[i + len(marker):]
        return data

    def _read_exact(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed")
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def _frame(self, opcode, payload, fin=True):
        head = bytes([(0x80 if fin else 0) | opcode])
        n = len(payload)
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack("!Q", n)
        mask = os.urandom(4)
        body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        return head + mask + body

    def send_text(self, text, fragment=0, opcode=1):
        data = text.encode() if isinstance(text, str) else text
        if fragment <= 0 or fragment >= len(data):
            self.sock.sendall(self._frame(opcode, data))
            return
        parts = [data[i:i + fragment] for i in range(0, len(data), fragment)]
        for i, p in enumerate(parts):
            self.sock.sendall(self._frame(opcode if i == 0 else 0, p, fin=(i == len(parts) - 1)))

    def recv(self, timeout=5.0):
        """The next text message (str), or None at a close / timeout (self.closed says which)."""
        self.sock.settimeout(timeout)
        message = b""
        while True:
            try:
                b1, b2 = self._read_exact(2)
            except (ConnectionError, OSError) as e:
                if isinstance(e, socket.timeout):
                    return None
                self.closed = -1
                return None
            opcode, n = b1 & 0x0F, b2 & 0x7F
            if n == 126:
                n = struct.unpack("!H", self._read_exact(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self._read_exact(8))[0]
            payload = self._read_exact(n)
            if opcode == 8:
                self.closed = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                try:
                    self.sock.sendall(self._frame(8, payload[:2]))
                except OSError:
                    pass
                return None
            if opcode == 9:
                self.sock.sendall(self._frame(10, payload))
                continue
            if opcode in (0, 1, 2):
                message += payload
                if b1 & 0x80:
                    return message.decode()

    def close(self):
        try:
            self.sock.sendall(self._frame(8, struct.pack("!H", 1000)))
        except OSError:
            pass
        self.sock.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--origin")
    ap.add_argument("--cookie")
    ap.add_argument("--send", action="append", default=[])
    ap.add_argument("--send-raw-size", type=int, default=0, help="also send a text message of N bytes")
    ap.add_argument("--send-binary", action="store_true", help="also send one binary message")
    ap.add_argument("--fragment", type=int, default=0)
    ap.add_argument("--after-type")
    ap.add_argument("--until-type")
    ap.add_argument("--count", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=5.0)
    a = ap.parse_args()
    try:
        c = WsClient(a.url, a.origin, a.cookie, timeout=a.timeout)
    except OSError as e:
        print(f"HTTP 0 {e}")
        return 0
    print(f"HTTP {c.status}", flush=True)
    if c.status != 101:
        return 0
    pending = list(a.send)
    sent = False

    def send_all():
        for m in pending:
            c.send_text(m, a.fragment)
        if a.send_raw_size:
            c.send_text("x" * a.send_raw_size, a.fragment)
        if a.send_binary:
            c.send_text(b"\x00\x01binary", 0, opcode=2)

    if not a.after_type:
        send_all()
        sent = True
    seen = 0
    end = time.time() + a.timeout
    while time.time() < end:
        m = c.recv(timeout=max(0.05, end - time.time()))
        if m is None:
            if c.closed is not None:
                print(f"closed {c.closed}", flush=True)
                return 0
            continue
        print(f"msg {m}", flush=True)
        try:
            t = json.loads(m).get("type")
        except ValueError:
            t = None
        if not sent and t == a.after_type:
            send_all()
            sent = True
        if a.count and (a.until_type is None or t == a.until_type):
            seen += 1
            if seen >= a.count:
                break
    c.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
