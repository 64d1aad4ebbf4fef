// SPDX-License-Identifier: MIT
// t.js — the citizen's ticket page, public and read-only.
//
// Owns: reading the token from the address (/t/<token>), following that one ticket over
// /ws/t/<token> (the server sends its status on connect and on each change), showing the
// number, service, people ahead and estimated wait, a large "请到 N 号窗口 / Please go to
// window N" with a vibration where the phone allows, and after service the same five-level
// rating as the counter's pad, sent once (a second one is refused by the engine and said so).
// Nothing here reaches beyond the box: the hall's Wi-Fi alone is enough.

import {$, el, fill, setText} from "./dom.js";
import {Socket} from "./ws.js";
import {RATINGS} from "./fmt.js";
import {explain} from "./refusals.js";

const token = decodeURIComponent(location.pathname.replace(/^\/t\//, ""));
let last = null;      // the latest ticket data
let rating = false;   // a rate message is on its way
let sock = null;
let dead = false;     // the token is unknown: no reconnecting

function status(kind, zh, en) {
  const s = $("status");
  s.className = "status" + (kind ? " " + kind : "");
  fill(s, el("div", {className: "main"}, zh), el("span", {className: "en"}, en));
}

function draw(t) {
  setText($("num"), t.ticket || "");
  fill($("svc"), t.service_name || "", el("span", {className: "en"}, t.service_name_en || ""));
  document.title = (t.ticket || "") + " · 我的排队号 My ticket";
  $("facts").hidden = t.status !== "waiting";
  switch (t.status) {
    case "waiting":
      if (t.ahead > 0) status("", "前面还有 " + t.ahead + " 人", t.ahead + (t.ahead === 1 ? " person" : " people") + " ahead of you");
      else status("", "下一位就是您，请留意叫号", "You are next: please listen for your number");
      setText($("ahead"), String(t.ahead ?? "—"));
      // the number alone, large; the unit is in the label (a phone's half width holds no 约 13 分钟)
      setText($("ewt"), typeof t.ewt_s !== "number" ? "—" : t.ewt_s < 60 ? "<1" : String(Math.round(t.ewt_s / 60)));
      break;
    case "called": {
      const n = t.counter_number ?? "";
      status("called", "请到 " + n + " 号窗口", "Please go to window " + n);
      break;
    }
    case "finished":
      status("done", "已办结，谢谢", "Done. Thank you");
      break;
    case "no-show":
      status("missed", "已过号，请到导办台", "Your number was missed: please see the guide desk");
      break;
    case "voided":
      status("gone", "此号已作废", "This ticket was cancelled");
      break;
    case "expired":
      status("gone", "此号已过期", "This ticket has expired");
      break;
    default:
      status("", t.status || "", "");
  }
  drawRating(t);
}

function drawRating(t) {
  const open = !!t.can_rate && !t.rated;
  $("rate").hidden = !open;
  for (const b of $("rate-buttons").querySelectorAll("button")) b.disabled = rating;
  if (t.rated) say("谢谢您的评价", "Thank you for your rating");
}

function say(zh, en, kind) {
  const s = $("rate-said");
  s.hidden = false;
  s.className = "status " + (kind || "done");
  fill(s, el("div", {className: "main"}, zh), el("span", {className: "en"}, en));
}

function onTicket(m) {
  if (m.data === null || m.error) {
    dead = true;
    sock.stop();
    setText($("live"), "");
    const w = explain(m.error || "unknown-token", {});
    setText($("num"), "—");
    status("gone", w.zh, w.en);
    $("facts").hidden = true;
    $("rate").hidden = true;
    return;
  }
  const was = last ? last.status : null;
  last = m.data;
  draw(last);
  if (last.status === "called" && was !== null && was !== "called" && navigator.vibrate) navigator.vibrate([400, 150, 400, 150, 400]);
}

function onReply(m) {
  rating = false;
  if (m.ok) {
    last = Object.assign({}, last, {rated: true, can_rate: false});
    $("rate").hidden = true;
    say("谢谢您的评价", "Thank you for your rating");
  } else {
    const w = explain(m.error || "unknown", {op: "rate"});
    say(w.zh, w.en, "missed");
    if (last) drawRating(last);
  }
}

function rate(score) {
  if (rating || !last || last.rated) return;
  if (!sock.send({type: "rate", score})) {
    say("网络中断，请稍后再评", "No connection: please try again in a moment", "missed");
    return;
  }
  rating = true;
  drawRating(last);
}

function live(s) {
  if (dead) return;
  if (s !== "open" && rating) {
    rating = false; // the answer is lost with the socket: the next status says if it counted
    if (last) drawRating(last);
  }
  const l = $("live");
  l.className = "live" + (s === "open" ? "" : " bad");
  setText(l, s === "open" ? "● 实时更新 / Live" : "正在重新连接… / Reconnecting…");
}

function start() {
  fill($("rate-buttons"), RATINGS.map((r) => el("button", {type: "button", dataset: {score: String(r.score)}, onclick: () => rate(r.score)},
    r.zh, el("span", {className: "en"}, r.en))));
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(token)) {
    const w = explain("unknown-token", {});
    status("gone", w.zh, w.en);
    return;
  }
  sock = new Socket("/ws/t/" + encodeURIComponent(token), {
    message: (m) => {
      if (m.type === "ticket") onTicket(m);
      else if (m.type === "reply") onReply(m);
    },
    status: live,
  });
  sock.start();
}

start();
