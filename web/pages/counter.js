// SPDX-License-Identifier: MIT
// counter.js — the counter workstation (窗口呼叫器), for role `staff`.
//
// Owns: the keys F1–F8 (and their buttons), the dialogs for pause, transfer, call a
// specific ticket and re-queue, and drawing the counter's retained state: the current
// ticket with its service, priority, calls, waited time and the time served so far against
// the service's target (amber from 80 %, red at the overrun), the queue of the services it
// serves, and its figures today. Every command goes through shell.run, which says the
// engine's answer in plain words. The engine decides everything; this page only asks.

import {$, el, fill, setText, modal, ticketOf, anyDialogOpen} from "./dom.js";
import {startPage} from "./shell.js";
import {clock, minutes, mins, hhmm, label, COUNTER_STATUS, PRIORITY} from "./fmt.js";
import {pauseDialog} from "./pause.js";

const AMBER_AT = 0.8; // of the service's target time

const KEYS = [
  {key: "F1", op: "call-next", zh: "呼叫下一位", en: "Call next", primary: true},
  {key: "F2", op: "recall", zh: "重呼", en: "Recall"},
  {key: "F3", op: "finish", zh: "办结", en: "Finish"},
  {key: "F4", op: "no-show", zh: "过号", en: "No-show"},
  {key: "F5", op: "pause", zh: "暂停 / 恢复", en: "Pause / resume"},
  {key: "F6", op: "transfer", zh: "转移", en: "Transfer"},
  {key: "F7", op: "call", zh: "指定呼叫", en: "Call a ticket"},
  {key: "F8", op: "invite-rating", zh: "邀请评价", en: "Invite rating"},
];

const CALL_REASONS = ["预约号优先 / appointment", "转入业务 / transferred in", "补交材料后继续办理 / came back with documents",
  "值班长安排 / supervisor's request"];

let page = null;
let lastCall = null; // {ticket, waited_s, at} of this counter's latest called event

function me() {
  return page ? page.me.counter : null;
}

function counterState() {
  return page && me() ? page.state.get("counter/" + me()) : null;
}

function send(op, fields, okWords) {
  const c = counterState();
  return page.run(op, Object.assign({counter: me()}, fields || {}), {
    context: () => ({ticket: c && c.ticket, target: fields && (fields.ticket || fields.to_counter)}),
    ok: okWords,
  });
}

// ------------------------------------------------------------ the keys

const actions = {
  "call-next": () => send("call-next", {}, (r) => r.ticket
    ? ["已呼叫 " + r.ticket + (r.finished ? "（" + r.finished + " 已办结）" : ""), "Called " + r.ticket]
    : ["现在没有人等候", "Nobody is waiting"]),
  recall: () => send("recall", {}, (r) => r.no_show
    ? [r.ticket + " 重呼次数已满，已记为过号", r.ticket + ": recall limit reached, marked as a no-show"]
    : ["已重呼 " + r.ticket + "（第 " + r.call_count + " 次）", "Recalled " + r.ticket + " (call " + r.call_count + ")"]),
  finish: () => send("finish", {}, (r) => [r.ticket + " 已办结，用时 " + clock(r.service_s), r.ticket + " done in " + clock(r.service_s)]),
  "no-show": () => send("no-show", {}, (r) => [r.ticket + " 已记为过号", r.ticket + " marked as a no-show"]),
  pause: () => {
    const c = counterState();
    if (c && c.status === "paused") {
      send("resume", {}, () => ["已恢复服务", "Resumed"]);
      return;
    }
    openPause();
  },
  transfer: () => openTransfer(),
  call: () => openCall(),
  "invite-rating": () => send("invite-rating", {}, () => ["已邀请群众评价", "The citizen was invited to rate"]),
};

function buildKeys() {
  fill($("keys"), KEYS.map((k) => el("button", {type: "button", className: "act" + (k.primary ? " primary" : ""),
    id: "key-" + k.key, dataset: {op: k.op}, onclick: () => actions[k.op]()},
  el("kbd", {}, k.key), el("span", {className: "zh"}, k.zh), el("span", {className: "en"}, k.en))));
  document.addEventListener("keydown", (ev) => {
    const k = KEYS.find((x) => x.key === ev.key);
    if (!k) return;
    // F5 reloads and F1 opens help in a browser: the counter's keys win, always.
    ev.preventDefault();
    if (ev.repeat || anyDialogOpen() || !page) return;
    actions[k.op]();
  });
}

// ------------------------------------------------------------ dialogs

let openPauseDlg, openTransferDlg, openCallDlg, openRequeueDlg;

function buildDialogs() {
  openPauseDlg = pauseDialog($("dlg-pause"), (k, zh, en) => page.say(k, zh, en), (reason, message) =>
    send("pause", {reason, message}, () => [message ? "已暂停，留言：" + message : "已暂停", message ? "Paused: " + message : "Paused"]));

  openTransferDlg = modal($("dlg-transfer"), () => {
    const toService = $("transfer-service").value, toCounter = $("transfer-counter").value;
    if (!toService && !toCounter) {
      page.say("error", "请选择要转到的业务或窗口", "Choose a service or a counter to transfer to");
      return false;
    }
    const fields = {};
    if (toService) fields.to_service = toService;
    if (toCounter) fields.to_counter = toCounter;
    send("transfer", fields, (r) => [r.ticket + " 已转出", r.ticket + " transferred"]);
    return true;
  });

  fill($("call-reasons"), CALL_REASONS.map((r) => el("option", {value: r})));
  openCallDlg = modal($("dlg-call"), () => {
    const ticket = ticketOf($("call-ticket")), reason = $("call-reason").value.trim();
    if (!ticket) {
      page.say("error", "请输入号码", "Enter the ticket number");
      $("call-ticket").focus();
      return false;
    }
    if (!reason) {
      page.say("error", "指定呼叫必须填写原因", "A reason is required to call a specific ticket");
      $("call-reason").focus();
      return false;
    }
    send("call", {ticket, reason}, (r) => ["已呼叫 " + r.ticket, "Called " + r.ticket]);
    $("call-ticket").value = "";
    $("call-reason").value = "";
    return true;
  });

  openRequeueDlg = modal($("dlg-requeue"), () => {
    const ticket = ticketOf($("requeue-ticket"));
    if (!ticket) {
      page.say("error", "请输入号码", "Enter the ticket number");
      return false;
    }
    send("requeue", {ticket}, (r) => [r.ticket + " 已重新排队" + (r.requeue === "keep" ? "（保留原位置）" : "（排在队尾）"),
      r.ticket + " re-queued" + (r.requeue === "keep" ? " (original place)" : " (at the end)")]);
    $("requeue-ticket").value = "";
    return true;
  });
  $("requeue-btn").addEventListener("click", () => openRequeueDlg());
}

function openPause() {
  const c = counterState();
  openPauseDlg(c && c.message ? c.message : "");
}

function openTransfer() {
  const c = counterState();
  setText($("transfer-ticket"), c && c.ticket ? c.ticket : "");
  const services = page.state.services();
  fill($("transfer-service"), el("option", {value: ""}, "— 不换业务 / keep the service —"),
    services.map((s) => el("option", {value: s.data.service || s.id}, (s.data.service || s.id) + " " + (s.data.name || "") + " / " + (s.data.name_en || ""))));
  const counters = page.state.counters().filter((x) => x.id !== me());
  fill($("transfer-counter"), el("option", {value: ""}, "— 任意窗口 / any counter —"),
    counters.map((x) => el("option", {value: x.id},
      (x.data.name || x.id) + " / " + (x.data.name_en || "") + " · " + label(COUNTER_STATUS, x.data.status).zh)));
  openTransferDlg();
}

function openCall() {
  openCallDlg();
}

// ------------------------------------------------------------ drawing

function drawCurrent() {
  const c = counterState();
  const st = c ? c.status : null;
  const s = label(COUNTER_STATUS, st || "closed");
  const badge = $("status");
  badge.className = "badge " + ({serving: "green", idle: "blue", paused: "amber"}[st] || "");
  fill(badge, s.zh, el("span", {className: "en"}, s.en));
  setText($("counter-name"), c ? (c.name || me()) + " " + (c.name_en || "") : me() || "");
  setText($("since"), c && c.since ? "自 " + hhmm(c.since) + " 起 / since " + hhmm(c.since) : "");
  const serving = c && c.ticket;
  const t = $("ticket");
  t.className = serving ? "ticket" : "ticket none";
  setText(t, serving ? c.ticket : st === "paused" ? "暂停中" : "无 / none");
  const svc = serving ? page.state.get("service/" + c.service) : null;
  setText($("f-service"), serving ? (c.service + " " + (svc ? svc.name + " / " + svc.name_en : "")) : "—");
  const prio = serving ? label(PRIORITY, c.priority || "none") : null;
  fill($("f-priority"), prio ? el("span", {className: c.priority && c.priority !== "none" ? "badge prio" : ""}, prio.zh + " / " + prio.en) : "—");
  const hall = page.state.hall();
  const limit = hall && typeof hall.recall_limit === "number" ? hall.recall_limit : null;
  setText($("f-calls"), serving ? "第 " + (c.call_count || 1) + " 次" + (limit !== null ? "（可重呼 " + limit + " 次）" : "") +
    " / call " + (c.call_count || 1) + (limit !== null ? " of " + (limit + 1) : "") : "—");
  const waited = serving && lastCall && lastCall.ticket === c.ticket ? lastCall.waited_s : null;
  setText($("f-waited"), waited !== null ? minutes(waited).zh + " / " + minutes(waited).en : "—");
  const note = $("pause-note");
  note.hidden = st !== "paused";
  if (st === "paused") fill(note, "去向留言 / Message: ", c.message ? c.message : "（无 / none）");
  drawServed();
  drawKeys(c);
}

function drawServed() {
  const c = counterState();
  const box = $("served");
  if (!c || c.status !== "serving" || !c.ticket) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const svc = page.state.get("service/" + c.service);
  const target = svc && typeof svc.target_service_s === "number" && svc.target_service_s > 0 ? svc.target_service_s : null;
  const now = page.state.servingNow(me()) || 0;
  const over = c.overrun || (target !== null && now >= target);
  const frac = target ? now / target : 0;
  box.className = "served" + (over ? " red" : frac >= AMBER_AT ? " amber" : "");
  $("served-fill").style.width = Math.min(100, Math.round(frac * 100)) + "%";
  setText($("served-words"), over && target ? "超时 " + clock(now - target) + " / over by " + clock(now - target)
    : "已办理 " + clock(now) + " / served " + clock(now));
  setText($("target-words"), target ? "目标 " + clock(target) + " / target" : "");
}

function drawKeys(c) {
  const st = c ? c.status : "closed";
  const serving = c && c.ticket;
  const on = {
    "call-next": st !== "closed", recall: !!serving, finish: !!serving, "no-show": !!serving,
    pause: st !== "closed", transfer: !!serving, call: st !== "closed", "invite-rating": st !== "closed",
  };
  for (const k of KEYS) {
    const b = $("key-" + k.key);
    b.classList.toggle("dim", !on[k.op]);
    if (k.op === "pause") fill(b, el("kbd", {}, k.key), el("span", {className: "zh"}, st === "paused" ? "恢复服务" : "暂停"),
      el("span", {className: "en"}, st === "paused" ? "Resume" : "Pause"));
  }
}

function drawStaff() {
  const c = counterState();
  const name = (c && c.staff_name) || page.me.name || "";
  setText($("avatar"), name ? Array.from(name)[0] : "");
  setText($("staff-name"), name);
  setText($("staff-line"), "工号 " + (page.me.staff_id || "") + " · " + (c ? (c.name || "") + " " + (c.name_en || "") : me() || ""));
}

function drawQueue() {
  const c = counterState();
  const mine = c && Array.isArray(c.services) ? c.services : null;
  const rows = page.state.services().filter((s) => !mine || mine.includes(s.data.service || s.id));
  fill($("queue"), rows.length ? rows.map((s) => {
    const d = s.data;
    return el("tr", {},
      el("td", {}, el("span", {className: "nowrap"}, el("b", {}, d.service || s.id), " ", d.name || ""),
        d.open === false ? el("span", {className: "badge"}, "停止取号 closed") : null, el("span", {className: "sub"}, d.name_en || "")),
      el("td", {className: "num"}, String(d.waiting ?? "—")),
      el("td", {className: "num"}, String(d.waiting_priority ?? "—")),
      el("td", {className: "num hide-phone"}, typeof d.oldest_wait_s === "number" ? mins(d.oldest_wait_s) : "—"),
      el("td", {className: "num"}, mins(d.ewt_s)));
  }) : el("tr", {}, el("td", {colSpan: 5, className: "empty"}, "还没有业务状态 / No service state yet")));
  const next = c && c.next ? c.next : null;
  setText($("next-up"), next && next.ticket ? "下一位 Next: " + next.ticket + (next.text ? " — " + next.text : "") : "");
}

function drawFigures() {
  const c = counterState();
  const t = c && c.today ? c.today : {};
  const fig = (v, zh, en) => el("div", {className: "figure"}, el("div", {className: "v"}, v), el("div", {className: "k"}, zh, el("span", {className: "en"}, en)));
  fill($("figures"),
    fig(typeof t.served === "number" ? String(t.served) : "—", "已办结", "Served"),
    fig(typeof t.mean_service_s === "number" ? clock(t.mean_service_s) : "—", "平均办理", "Mean service"),
    fig(typeof t.satisfaction_pct === "number" ? Math.round(t.satisfaction_pct) + "%" : "—", "满意率", "Satisfaction"));
}

function drawAll() {
  drawCurrent();
  drawStaff();
  drawQueue();
  drawFigures();
}

// ------------------------------------------------------------ start

function onEvent(m) {
  const d = m.data || {};
  if ((m.kind === "called" || m.kind === "recalled") && d.counter === me()) {
    if (m.kind === "called") lastCall = {ticket: d.ticket, waited_s: d.waited_s, at: d.at};
    drawCurrent();
  }
}

buildKeys();
buildDialogs();
startPage({
  roles: ["staff"],
  hello: () => {
    if (!page.me.counter) page.say("error", "本次登录没有选择窗口，请退出后选择窗口再登录", "Signed in without a counter: sign out and choose one");
    drawAll();
  },
  state: () => drawAll(),
  event: onEvent,
  tick: () => { if (page) drawServed(); },
}).then((p) => {
  page = p;
  if (p) drawAll();
});
