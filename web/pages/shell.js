// SPDX-License-Identifier: MIT
// shell.js — what every staff page shares: the session check, the socket, the header
// (hall, page, who is signed in, the connection, the hall's clock, sign out) and the
// message bar where every command's outcome is said in plain words.
//
// Owns: startPage(), which a page calls once; it returns the page's context
// {sock, state, me, run, say}. run(op, fields, opts) sends one command, refuses to send
// the same op again while one is in flight (a bouncing key must not call twice), and
// shows the outcome.

import {$, el, fill, setText} from "./dom.js";
import {StaffSocket} from "./ws.js";
import {HallState} from "./state.js";
import * as api from "./api.js";
import {explain, opLabel} from "./refusals.js";
import {hallClock, learnClock, learnZone} from "./fmt.js";

function signInAgain(reason) {
  location.replace("/?" + new URLSearchParams({bye: reason, next: location.pathname}).toString());
}

export async function startPage(opts) {
  const first = await api.me();
  if (first.status === 401 || first.status === 403) {
    signInAgain("signed-out");
    return null;
  }
  if (first.status !== 200) {
    sayTo($("bar"), "error", "连不上服务器，请刷新重试", "Cannot reach the console server: reload to retry");
    return null;
  }
  const ctx = new PageContext(first.body, opts);
  if (!ctx.allowed()) {
    sayTo($("bar"), "error", "您的岗位不能打开此页", "Your role may not open this page");
    fill($("main"), el("p", {className: "big-refusal"}, el("a", {href: "/"}, "返回登录 / Back to sign-in")));
    return null;
  }
  ctx.start();
  return ctx;
}

class PageContext {
  constructor(me, opts) {
    this.me = me;
    this.opts = opts;
    this.state = new HallState();
    this.inflight = new Set();
    this.leaving = false; // signing out or told "bye": a closed socket is no news then
    this.bar = $("bar");
    this.sock = new StaffSocket({
      hello: (m) => this.onHello(m),
      state: (m) => this.onState(m),
      event: (m) => this.onEvent(m),
      bye: (m) => {
        this.leaving = true;
        signInAgain(m.reason || "signed-out");
      },
      status: (s) => this.onStatus(s),
    });
  }

  allowed() {
    const roles = this.me.roles || [];
    return this.opts.roles.some((r) => roles.includes(r));
  }

  start() {
    this.renderWho();
    $("signout").addEventListener("click", () => this.signOut());
    setInterval(() => this.tick(), 1000);
    this.tick();
    this.sock.start();
  }

  onHello(m) {
    this.me = Object.assign({}, this.me, m);
    this.state.clear(); // a fresh snapshot follows the hello
    this.renderWho();
    if (this.opts.hello) this.opts.hello(m);
  }

  onState(m) {
    const d = m.data || {};
    learnZone(d.since || d.at || (m.topic === "hall" && d.last_called && d.last_called[0] && d.last_called[0].at));
    this.state.apply(m);
    setText($("clock"), hallClock());
    if (m.topic === "hall") setText($("hall-name"), d.name || "");
    if (this.opts.state) this.opts.state(m.topic);
  }

  onEvent(m) {
    if (m.data && m.data.at) {
      learnClock(m.data.at);
      setText($("clock"), hallClock());
    }
    if (this.opts.event) this.opts.event(m);
  }

  onStatus(s) {
    const conn = $("conn");
    document.body.classList.toggle("offline", s !== "open");
    if (s === "open") {
      conn.className = "conn ok";
      fill(conn, "在线", el("span", {className: "en"}, "Live"));
    } else {
      conn.className = "conn bad";
      fill(conn, "重新连接中…", el("span", {className: "en"}, "Reconnecting"));
      // A socket that cannot come back may mean the session ended (idle, restart of the
      // server): then sign in again instead of retrying for ever.
      if (s === "closed" && !this.leaving) api.me().then((r) => { if (r.status === 401 && !this.leaving) signInAgain("expired"); });
    }
  }

  renderWho() {
    const who = $("who");
    const parts = [el("span", {className: "name"}, this.me.name || ""), el("span", {className: "id"}, this.me.staff_id || "")];
    if (this.me.counter) parts.push(el("span", {className: "at"}, "@ " + this.me.counter));
    fill(who, parts);
  }

  tick() {
    setText($("clock"), hallClock());
    if (this.opts.tick) this.opts.tick();
  }

  async signOut() {
    const csrf = this.sock.csrf || this.me.csrf;
    const r = await api.logout(csrf);
    if (r.status === 200 || r.status === 401) {
      this.leaving = true;
      this.sock.stop();
      location.replace("/?bye=logout");
      return;
    }
    this.sayRefusal("logout", r.body.error || "network", {}, r.body.message);
  }

  say(kind, zh, en) {
    sayTo(this.bar, kind, zh, en);
  }

  sayRefusal(op, code, context, message) {
    const w = explain(code, Object.assign({op}, context), message);
    this.say("error", w.zh, w.en);
    return w;
  }

  // Sends one command. opts: {context: () → for the refusal words, ok: (reply) → [zh, en] or null
  // (say nothing), key: what counts as the same command in flight (default the op)}.
  // Resolves to the reply, or null when refused (already said) or already in flight.
  async run(op, fields, opts) {
    const o = opts || {};
    const key = o.key || op;
    if (this.inflight.has(key)) return null;
    this.inflight.add(key);
    document.body.classList.add("busy");
    try {
      const reply = await this.sock.cmd(op, fields);
      if (o.ok) {
        const words = o.ok(reply); // null: nothing worth saying (a reload)
        if (words) this.say("ok", words[0], words[1]);
      } else {
        const l = opLabel(op);
        this.say("ok", l.zh + "：完成", l.en + ": done");
      }
      return reply;
    } catch (e) {
      const extra = e.reply && e.reply.line ? {line: e.reply.line} : {};
      this.sayRefusal(op, e.code || "network", Object.assign(extra, o.context ? o.context() : {}), e.reply ? e.reply.message : undefined);
      return null;
    } finally {
      this.inflight.delete(key);
      if (this.inflight.size === 0) document.body.classList.remove("busy");
    }
  }
}

export function sayTo(bar, kind, zh, en) {
  bar.hidden = false;
  bar.className = "bar " + kind;
  fill(bar, el("span", {className: "zh"}, zh), el("span", {className: "en"}, en || ""));
}
