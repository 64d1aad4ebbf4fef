// SPDX-License-Identifier: MIT
// guide.js — the guide desk (导办台), for role `guide`.
//
// Owns: finding a ticket by its number in the hall's live state (which counter serves it,
// when it was called, how long its service's queue is), flagging it green channel with the
// kind and a note (`flag`; the server adds who), re-queueing a no-show who came back
// (`requeue`; both counter ops, sent through a counter of the ticket's service), issuing a ticket for someone who cannot use the kiosk (`take`, shown large
// to copy or print, with its phone link), and every service's queue and estimated wait.
// Whether a ticket still waits is the engine's answer to flag/requeue, said in plain words.

import {$, el, fill, setText, choices, ticketOf} from "./dom.js";
import {startPage} from "./shell.js";
import {minutes, mins, hhmm, PRIORITY, PRIORITY_SHORT} from "./fmt.js";

let page = null;
let found = null; // the ticket label last looked up
const FLAGS = ["elderly", "disabled", "pregnant", "other"].map((k) => ({value: k, zh: PRIORITY_SHORT[k].zh, en: PRIORITY_SHORT[k].en}));
let getFlag = () => null;
let getService = () => null;
let getPriority = () => "none";
let getLang = () => "zh";

function serviceOfLabel(label) {
  const m = /^([A-Z]+)(\d+)$/.exec(label);
  return m ? {code: m[1], n: Number(m[2])} : null;
}

// What the live states say about a ticket, as [zh, en] lines.
function whereIs(label) {
  const lines = [];
  const at = page.state.counters().find((c) => c.data.ticket === label);
  if (at) {
    lines.push(["正在 " + (at.data.name || at.id) + " 办理", "Being served at " + (at.data.name_en || at.id)]);
    return lines;
  }
  const hall = page.state.hall();
  const call = hall && Array.isArray(hall.last_called) ? hall.last_called.find((c) => c.ticket === label) : null;
  if (call) lines.push([hhmm(call.at) + " 已叫到 " + call.counter_number + " 号窗口", "Called to window " + call.counter_number + " at " + hhmm(call.at)]);
  const p = serviceOfLabel(label);
  const svc = p ? page.state.get("service/" + p.code) : null;
  if (!svc) {
    lines.push(["没有这个号码的业务", "No service has numbers like that"]);
    return lines;
  }
  const next = svc.next_ticket ? serviceOfLabel(svc.next_ticket) : null;
  if (next && p.n >= next.n) {
    lines.push(["今天还没有发出这个号", "Not issued yet today"]);
    return lines;
  }
  lines.push([svc.name + "：" + svc.waiting + " 人等候（绿色通道 " + svc.waiting_priority + "），" + minutes(svc.ewt_s).zh,
    svc.name_en + ": " + svc.waiting + " waiting (" + svc.waiting_priority + " green), " + minutes(svc.ewt_s).en]);
  return lines;
}

// flag and requeue are counter ops (docs/protocol.md): the console names a counter for
// them. requeue needs someone signed in there, flag does not; either way the ticket goes
// back to its service's queue, whichever counter carried the command. So: a staffed
// counter that serves the ticket's service, else any staffed one, else any.
function counterFor(label) {
  const p = serviceOfLabel(label);
  const all = page.state.counters();
  const serves = (c) => !p || !Array.isArray(c.data.services) || c.data.services.includes(p.code);
  const staffed = (c) => c.data.status && c.data.status !== "closed";
  const pick = all.find((c) => serves(c) && staffed(c)) || all.find(staffed) || all.find(serves) || all[0];
  return pick ? pick.id : null;
}

function find() {
  const label = ticketOf($("find-ticket"));
  if (!label) {
    page.say("error", "请输入号码", "Enter the ticket number");
    return;
  }
  found = label;
  $("found").hidden = false;
  drawFound();
}

function drawFound() {
  if (!found) return;
  setText($("found-label"), found);
  fill($("found-where"), whereIs(found).map(([zh, en]) => el("div", {}, zh, el("span", {className: "en"}, " " + en))));
}

async function flag() {
  const kind = getFlag();
  if (!found || !kind) {
    page.say("error", "请先查找号码并选择绿色通道类别", "Find the ticket and choose the kind first");
    return;
  }
  const fields = {ticket: found, priority: kind, counter: counterFor(found)};
  const note = $("flag-note").value.trim();
  if (note) fields.reason = note;
  const r = await page.run("flag", fields, {
    context: () => ({target: found}),
    ok: (rep) => [rep.ticket + " 已标记为绿色通道：" + PRIORITY[kind].zh, rep.ticket + " flagged green channel: " + PRIORITY[kind].en],
  });
  if (r) $("flag-note").value = "";
}

function requeue() {
  if (!found) {
    page.say("error", "请先查找号码", "Find the ticket first");
    return;
  }
  page.run("requeue", {ticket: found, counter: counterFor(found)}, {
    context: () => ({target: found}),
    ok: (r) => [r.ticket + " 已重新排队" + (r.requeue === "keep" ? "（保留原位置）" : "（排在队尾）"),
      r.ticket + " re-queued" + (r.requeue === "keep" ? " (original place)" : " (at the end)")],
  });
}

async function take() {
  const service = getService();
  if (!service) {
    page.say("error", "请选择业务", "Choose a service");
    return;
  }
  const fields = {service, priority: getPriority(), lang: getLang()};
  const r = await page.run("take", fields, {ok: (rep) => ["已取号 " + rep.ticket, "Issued " + rep.ticket]});
  if (!r) return;
  $("issued").hidden = false;
  setText($("issued-label"), r.ticket);
  fill($("issued-service"), r.service_name || "", el("span", {className: "en"}, " " + (r.service_name_en || "")));
  const w = minutes(r.ewt_s);
  setText($("issued-wait"), "前面 " + r.ahead + " 人，" + w.zh + " / " + r.ahead + " ahead, " + w.en);
  setText($("issued-link"), r.token ? "手机查看 / On your phone: " + location.origin + "/t/" + r.token : "");
}

function drawQueues() {
  const rows = page.state.services();
  fill($("queues"), rows.length ? rows.map(({id, data: d}) => el("tr", {},
    el("td", {}, el("span", {className: "nowrap"}, el("b", {}, d.service || id), " ", d.name || ""), d.open === false ? el("span", {className: "badge"}, "停止取号 closed") : null,
      el("span", {className: "sub"}, d.name_en || "")),
    el("td", {className: "num"}, String(d.waiting ?? "—")),
    el("td", {className: "num"}, String(d.waiting_priority ?? "—")),
    el("td", {className: "num"}, mins(d.ewt_s)),
    el("td", {className: "hide-phone"}, d.next_ticket || "—"))) : el("tr", {}, el("td", {className: "empty"}, "—")));
  const hall = page.state.hall();
  const calls = hall && Array.isArray(hall.last_called) ? hall.last_called : [];
  fill($("calls"), calls.length ? calls.slice(0, 6).map((c) => el("tr", {},
    el("td", {}, el("b", {}, c.ticket)), el("td", {}, c.counter_number + " 号窗口 / window " + c.counter_number),
    el("td", {className: "num"}, hhmm(c.at)))) : el("tr", {}, el("td", {className: "empty"}, "—")));
  const svcItems = rows.filter((s) => s.data.open !== false).map(({id, data: d}) => ({value: d.service || id, zh: (d.service || id) + " " + (d.name || ""), en: d.name_en}));
  const keep = getService();
  const key = svcItems.map((s) => s.value).join(",");
  if ($("take-services").dataset.key !== key) {
    $("take-services").dataset.key = key;
    getService = choices($("take-services"), svcItems, svcItems.some((s) => s.value === keep) ? keep : null);
  }
  drawFound();
}

function build() {
  getFlag = choices($("flag-kinds"), FLAGS, null);
  getPriority = choices($("take-priority"), ["none", "elderly", "disabled", "pregnant", "other"].map((k) => ({value: k, zh: PRIORITY_SHORT[k].zh, en: PRIORITY_SHORT[k].en})), "none");
  getLang = choices($("take-lang"), [{value: "zh", zh: "中文"}, {value: "en", zh: "English"}], "zh");
  $("form-find").addEventListener("submit", (ev) => { ev.preventDefault(); find(); });
  $("flag-go").addEventListener("click", flag);
  $("requeue-go").addEventListener("click", requeue);
  $("take-go").addEventListener("click", take);
  $("issued-print").addEventListener("click", () => window.print());
}

build();
startPage({roles: ["guide", "supervisor", "admin"], state: () => { if (page) drawQueues(); }}).then((p) => {
  page = p;
  if (p) drawQueues();
});
