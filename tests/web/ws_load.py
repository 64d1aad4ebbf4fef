#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""ws_load — many WebSockets held open on jiaohao-web at once, for measuring it (stdlib only).

Owns: opening N staff sockets (/ws, one session cookie per line of a file)
and M citizen sockets (/ws/t/<token>), keeping them all open for a while and
reading (and counting) everything the server sends, answering its pings.
Prints one JSON line: sockets opened, refused, messages and bytes received.
A measuring tool for people (docs and reports quote what it showed), not a test.

  ws_load.py --base ws://127.0.0.1:PORT --origin http://127.0.0.1:PORT
             [--cookies FILE] [--staff N] [--citizens M] [--token T] [--hold S]
"""
import argparse
import json
import os
import selectors
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ws_client import WsClient  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--origin", required=True)
    ap.add_argument("--cookies")
    ap.add_argument("--staff", type=int, default=0)
    ap.add_argument("--citizens", type=int, default=0)
    ap.add_argument("--token", default="AbCdEfGhIjKlMnOpQrSt-_")
    ap.add_argument("--hold", type=float, default=10)
    a = ap.parse_args()
    cookies = open(a.cookies).read().split() if a.cookies else []
    socks, refused = [], 0
    t0 = time.time()
    for i in range(a.staff):
        c = WsClient(a.base + "/ws", a.origin, "jh_session=" + cookies[i % len(cookies)])
        (socks.append(c) if c.status == 101 else None)
        refused += c.status != 101
    for i in range(a.citizens):
        c = WsClient(a.base + "/ws/t/" + a.token, a.origin)
        (socks.append(c) if c.status == 101 else None)
        refused += c.status != 101
    opened_s = time.time() - t0
    sel = selectors.DefaultSelector()
    for c in socks:
        c.sock.setblocking(False)
        sel.register(c.sock, selectors.EVENT_READ, c)
    msgs = nbytes = 0
    end = time.time() + a.hold
    while time.time() < end:
        for key, _ in sel.select(timeout=0.2):
            c = key.data
            try:
                chunk = c.sock.recv(65536)
            except BlockingIOError:
                continue
            if not chunk:
                sel.unregister(c.sock)
                continue
            c.buf += chunk
            nbytes += len(chunk)
            while len(c.buf) >= 2:  # count whole frames; answer pings
                b1, b2 = c.buf[0], c.buf[1]
                n, off = b2 & 0x7F, 2
                if n == 126:
                    if len(c.buf) < 4:
                        break
                    n, off = struct.unpack("!H", c.buf[2:4])[0], 4
                elif n == 127:
                    if len(c.buf) < 10:
                        break
                    n, off = struct.unpack("!Q", c.buf[2:10])[0], 10
                if len(c.buf) < off + n:
                    break
                payload, c.buf = c.buf[off:off + n], c.buf[off + n:]
                if b1 & 0x0F == 9:
                    c.sock.setblocking(True)
                    c.sock.sendall(c._frame(10, payload))
                    c.sock.setblocking(False)
                elif b1 & 0x80:
                    msgs += 1
    print(json.dumps({"open": len(socks), "refused": refused, "open_s": round(opened_s, 2),
                      "messages": msgs, "bytes": nbytes}))
    for c in socks:
        c.sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
