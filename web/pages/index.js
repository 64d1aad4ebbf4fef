// SPDX-License-Identifier: MIT
// index.js — the sign-in page.
//
// Owns: the form (staff id, secret, counter), saying a refused sign-in in plain words
// from its code, remembering this PC's counter (localStorage: a counter PC stays at its
// window; ?counter=c03 in the address sets it), and sending the person on to their page.
// With no counter, or several roles, it offers the pages (and counters) they may open;
// the secret stays in the form only until the page is left.

import {$, el, fill} from "./dom.js";
import * as api from "./api.js";
import {explain} from "./refusals.js";
import {sayTo} from "./shell.js";
import {hhmm} from "./fmt.js";

const BYE = {
  logout: ["已退出", "Signed out"],
  idle: ["长时间没有操作，已自动退出，请重新登录", "Signed out after a long idle time: sign in again"],
  "day-reset": ["新的一天开始，请重新登录", "A new business day began: sign in again"],
  expired: ["登录已失效，请重新登录", "Your session ended: sign in again"],
  "signed-out": ["请先登录", "Please sign in"],
};

const PAGES = {
  counter: ["窗口呼叫器", "Counter workstation"],
  guide: ["导办台", "Guide desk"],
  supervisor: ["大厅值班长", "Hall supervisor"],
  admin: ["管理", "Administration"],
};

const params = new URLSearchParams(location.search);
const bar = $("bar");

function remembered() {
  try {
    return JSON.parse(localStorage.getItem("jh-counters") || "[]").filter((c) => typeof c === "string");
  } catch (e) {
    return [];
  }
}

function remember(counter) {
  const list = [counter].concat(remembered().filter((c) => c !== counter)).slice(0, 8);
  try {
    localStorage.setItem("jh-counters", JSON.stringify(list));
  } catch (e) {
    // private mode: the PC just does not remember its counter
  }
}

function setup() {
  const fromUrl = params.get("counter");
  const known = remembered();
  if (fromUrl && /^[A-Za-z0-9-]{1,31}$/.test(fromUrl)) $("counter").value = fromUrl;
  else if (known.length) $("counter").value = known[0];
  fill($("counters"), known.map((c) => el("option", {value: c})));
  const bye = BYE[params.get("bye")];
  if (bye) sayTo(bar, params.get("bye") === "logout" ? "ok" : "info", bye[0], bye[1]);
  $("form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    submit($("counter").value.trim());
  });
}

async function submit(counter) {
  const staffId = $("staff_id").value.trim();
  const secret = $("secret").value;
  if (!staffId || !secret) {
    sayTo(bar, "error", "请填写工号和密码", "Enter your staff id and secret");
    (staffId ? $("secret") : $("staff_id")).focus();
    return;
  }
  $("go").disabled = true;
  const r = await api.login(staffId, secret, counter || undefined);
  $("go").disabled = false;
  if (!r.body.ok) {
    refused(r.body, counter);
    return;
  }
  if (counter) remember(counter);
  next(r.body);
}

function refused(body, counter) {
  const code = body.error || "network";
  const w = explain(code, {op: "login", until: body.until ? hhmm(body.until) : null, target: counter}, body.message);
  sayTo(bar, "error", w.zh, w.en);
  $("secret").value = "";
  $("secret").focus();
}

// After a sign-in: straight to the counter when signed in at one, else the choice.
function next(session) {
  const wanted = params.get("next");
  const roles = session.roles || [];
  if (session.counter && roles.includes("staff")) {
    location.replace("/counter");
    return;
  }
  const pages = [];
  if (roles.includes("guide")) pages.push("guide");
  if (roles.includes("supervisor")) pages.push("supervisor");
  if (roles.includes("admin")) pages.push("admin");
  const counters = roles.includes("staff") ? (session.counters || []) : [];
  if (wanted && pages.some((p) => "/" + p === wanted)) {
    location.replace(wanted);
    return;
  }
  if (pages.length === 1 && !roles.includes("staff")) {
    location.replace("/" + pages[0]);
    return;
  }
  offer(session, pages, counters);
}

function offer(session, pages, counters) {
  $("form").hidden = true;
  $("choose").hidden = false;
  sayTo(bar, "ok", "您好，" + (session.name || session.staff_id), "Hello, " + (session.name || session.staff_id));
  const items = pages.map((p) => el("button", {className: "primary", type: "button", onclick: () => location.assign("/" + p)},
    PAGES[p][0], el("span", {className: "en"}, PAGES[p][1])));
  // Serving at a counter needs the secret again (the server uses it for that login only).
  for (const c of counters) {
    items.push(el("button", {type: "button", onclick: () => { $("form").hidden = false; $("choose").hidden = true; $("counter").value = c; submit(c); }},
      "在 " + c + " 窗口上岗", el("span", {className: "en"}, "Serve at counter " + c)));
  }
  // `counters: []` is "any counter" (docs/protocol.md): then the person types this PC's.
  if ((session.roles || []).includes("staff") && counters.length === 0) {
    items.push(el("button", {type: "button", onclick: () => {
      $("form").hidden = false;
      $("choose").hidden = true;
      sayTo(bar, "info", "请填写本机所在的窗口，再登录一次", "Enter this PC's counter and sign in again");
      $("counter").focus();
    }}, "在窗口上岗", el("span", {className: "en"}, "Serve at a counter")));
  }
  if (!items.length) items.push(el("p", {}, "您的账号没有可打开的页面 / Your account has no page to open"));
  fill($("pages"), items);
}

setup();
