// SPDX-License-Identifier: MIT
// ws.js — the console's one WebSocket to jiaohao-web (docs/console.md, CONSOLE contract).
//
// Owns: connecting to /ws (staff) or /ws/t/<token> (citizen), reconnecting with a growing
// delay after a drop, parsing the server's JSON, and for staff commands one promise per
// command id: cmd(op, fields) adds the session's csrf token and a fresh id, and settles
// when the reply with that id comes back (or on a timeout, or when the socket drops,
// since then nobody can say whether the command was applied).

const MAX_DELAY_MS = 8000;
const REPLY_TIMEOUT_MS = 10000;

export class Refusal extends Error {
  constructor(reply) {
    super(reply.message || reply.error || "refused");
    this.code = reply.error || "unknown";
    this.reply = reply;
  }
}

function wsUrl(path) {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  return proto + "//" + location.host + path;
}

// Socket: a reconnecting JSON WebSocket. handlers: {message(obj), status(text)} where
// status is "connecting", "open" or "closed" (a reconnect is then on its way, unless stop()).
export class Socket {
  constructor(path, handlers) {
    this.path = path;
    this.handlers = handlers;
    this.delay = 500;
    this.ws = null;
    this.stopped = false;
    this.timer = null;
  }

  start() {
    this.stopped = false;
    this.open();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.ws) this.ws.close();
  }

  open() {
    this.handlers.status("connecting");
    const ws = new WebSocket(wsUrl(this.path));
    this.ws = ws;
    ws.onopen = () => {
      this.delay = 500;
      this.handlers.status("open");
    };
    ws.onmessage = (ev) => {
      let msg;
      try {
        msg = JSON.parse(ev.data);
      } catch (e) {
        return; // the server only sends JSON; a broken frame is dropped, not fatal
      }
      if (msg && typeof msg === "object") this.handlers.message(msg);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.handlers.status("closed");
      if (this.stopped) return;
      // A little jitter so a hall's forty PCs do not all come back in the same millisecond.
      const wait = this.delay * (0.75 + Math.random() * 0.5);
      this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
      this.timer = setTimeout(() => this.open(), wait);
    };
  }

  send(obj) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(obj));
    return true;
  }

  get isOpen() {
    return !!this.ws && this.ws.readyState === WebSocket.OPEN;
  }
}

// StaffSocket: /ws for a signed-in member of staff. handlers: {hello(msg), state(msg),
// event(msg), bye(msg), status(text)}. cmd() before the hello is refused "not-ready".
export class StaffSocket {
  constructor(handlers) {
    this.handlers = handlers;
    this.csrf = null;
    this.pending = new Map();
    this.seq = 0;
    this.prefix = "b" + Math.random().toString(36).slice(2, 8);
    this.socket = new Socket("/ws", {
      message: (m) => this.onMessage(m),
      status: (s) => this.onStatus(s),
    });
  }

  start() {
    this.socket.start();
  }

  stop() {
    this.socket.stop();
  }

  onStatus(s) {
    if (s !== "open") {
      this.csrf = null;
      this.failAll("disconnected");
    }
    this.handlers.status(s);
  }

  onMessage(m) {
    switch (m.type) {
      case "hello":
        this.csrf = m.csrf;
        this.handlers.hello(m);
        break;
      case "state":
        this.handlers.state(m);
        break;
      case "event":
        this.handlers.event(m);
        break;
      case "reply":
        this.settle(m);
        break;
      case "bye":
        this.socket.stop();
        this.handlers.bye(m);
        break;
      default:
        break; // a newer server may send more types; they are not ours to guess
    }
  }

  // cmd(op, fields) → Promise of the reply (ok:true); rejects with a Refusal
  // (code = the server's or engine's error code, or "not-ready", "timeout", "disconnected").
  cmd(op, fields) {
    if (!this.csrf || !this.socket.isOpen) return Promise.reject(new Refusal({error: "not-ready"}));
    const id = this.prefix + "-" + ++this.seq;
    const msg = Object.assign({}, fields || {}, {type: "cmd", id, csrf: this.csrf, op});
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Refusal({error: "timeout"}));
      }, REPLY_TIMEOUT_MS);
      this.pending.set(id, {resolve, reject, timer});
      if (!this.socket.send(msg)) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new Refusal({error: "not-ready"}));
      }
    });
  }

  settle(reply) {
    const p = this.pending.get(reply.id);
    if (!p) return; // a reply without our id (bad-json of a frame we never sent): nothing waits
    this.pending.delete(reply.id);
    clearTimeout(p.timer);
    if (reply.ok) p.resolve(reply);
    else p.reject(new Refusal(reply));
  }

  failAll(code) {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Refusal({error: code}));
      this.pending.delete(id);
    }
  }
}
