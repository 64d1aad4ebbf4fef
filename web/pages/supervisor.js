// SPDX-License-Identifier: MIT
// supervisor.js — the hall supervisor (大厅值班长), for roles `supervisor` and `admin`.
//
// Owns: the hall map (every counter: status, staff, current ticket, time served so far with
// overruns in red, pause message and how long it has been paused; pause or resume on the
// staff's behalf), the queues per service with open/close, the alerts (the engine's
// retained state/alerts with acknowledge, plus device health from devices/*: printers,
// keypads, boards, kiosks), today's figures, the boards' notice with a preview and an
// expiry, opening and closing the hall, and ending the day behind a confirmation.

import {$, el, fill, setText, modal} from "./dom.js";
import {startPage} from "./shell.js";
import {clock, mins, hhmm, label, secondsSince, isoAtHallTime, COUNTER_STATUS, PRINTER, ALERT_KIND} from "./fmt.js";
import {pauseDialog} from "./pause.js";

let page = null;
let pauseFor = null; // the counter id the pause dialog is for
let openPause = null;
let openEnd = null;
const liveAlerts = []; // event/alert seen before the retained list caught up

// ------------------------------------------------------------ hall map

function tile({id, data: c}) {
  const st = c.status || "closed";
  const s = label(COUNTER_STATUS, st);
  const serving = st === "serving" && c.ticket;
  const {now, over} = serving ? isOver(id, c) : {now: null, over: false};
  const ops = [];
  if (st === "paused") ops.push(el("button", {type: "button", className: "act small", dataset: {counter: id, op: "resume"}, onclick: () => resume(id)}, "恢复", el("span", {className: "en"}, "Resume")));
  else if (st !== "closed") ops.push(el("button", {type: "button", className: "act small", dataset: {counter: id, op: "pause"}, onclick: () => pauseCounter(id)}, "暂停", el("span", {className: "en"}, "Pause")));
  return el("div", {className: "tile " + st + (over ? " overrun" : ""), dataset: {counter: id}},
    el("div", {className: "head"}, el("span", {className: "num"}, String(c.number ?? id)),
      el("span", {className: "staff"}, c.staff_name || ""),
      el("span", {className: "badge " + ({serving: "green", idle: "blue", paused: "amber"}[st] || ""), title: s.en}, s.zh)),
    el("div", {className: "body"},
      serving ? el("span", {className: "tk"}, c.ticket) : null,
      serving ? el("span", {className: "time"}, servedText(now, over)) : null,
      st === "paused" ? el("span", {className: "muted paused-for"}, pausedText(c)) : null,
      ops.length ? el("span", {className: "ops"}, ops) : null),
    st === "paused" ? el("div", {className: "msg"}, c.message || "（无留言 / no message）") : null);
}

function servedText(now, over) {
  return clock(now) + (over ? " 超时" : "");
}

function pausedText(c) {
  return "已停 " + clock(secondsSince(c.since));
}

function isOver(id, c) {
  const now = page.state.servingNow(id);
  const svc = page.state.get("service/" + c.service);
  const target = svc && svc.target_service_s ? svc.target_service_s : null;
  return {now, over: !!(c.overrun || (target && now >= target))};
}

// Each second: only the running times (rebuilding the tiles would swallow a click).
function tickMap() {
  for (const t of $("map").querySelectorAll(".tile")) {
    const id = t.dataset.counter;
    const c = page.state.get("counter/" + id);
    if (!c) continue;
    const time = t.querySelector(".time");
    if (time && c.status === "serving") {
      const {now, over} = isOver(id, c);
      setText(time, servedText(now, over));
      t.classList.toggle("overrun", over);
    }
    const p = t.querySelector(".paused-for");
    if (p) setText(p, pausedText(c));
  }
}

function drawMap() {
  const counters = page.state.counters();
  fill($("map"), counters.length ? counters.map(tile) : el("div", {className: "empty"}, "还没有窗口状态 / No counter state yet"));
  const hall = page.state.hall();
  const b = $("hall-open");
  if (hall) {
    b.className = "badge " + (hall.open ? "green" : "red");
    fill(b, hall.open ? "开放" : "停止取号", el("span", {className: "en"}, hall.open ? "Open" : "Closed"));
  }
}

function pauseCounter(id) {
  pauseFor = id;
  const c = page.state.get("counter/" + id) || {};
  setText($("pause-counter"), c.name || id);
  openPause(c.message || "");
}

function resume(id) {
  page.run("resume", {counter: id}, {key: "resume-" + id, ok: () => ["已恢复 " + id, "Resumed " + id]});
}

// ------------------------------------------------------------ queues

function drawQueues() {
  const counters = page.state.counters();
  fill($("queues"), page.state.services().map(({id, data: d}) => {
    const code = d.service || id;
    const open = counters.filter((c) => c.data.status !== "closed" && Array.isArray(c.data.services) && c.data.services.includes(code));
    const known = counters.some((c) => Array.isArray(c.data.services));
    return el("tr", {},
      el("td", {}, el("span", {className: "nowrap"}, el("b", {}, code), " ", d.name || ""), el("span", {className: "sub"}, d.name_en || "")),
      el("td", {className: "num"}, String(d.waiting ?? "—")),
      el("td", {className: "num"}, String(d.waiting_priority ?? "—")),
      el("td", {className: "num hide-phone"}, typeof d.oldest_wait_s === "number" ? mins(d.oldest_wait_s) : "—"),
      el("td", {className: "num"}, mins(d.ewt_s)),
      el("td", {className: "num hide-phone"}, known ? String(open.length) : "—"),
      el("td", {}, d.open === false
        ? el("button", {type: "button", className: "act small", dataset: {service: code, op: "open"}, onclick: () => openService(code, true)}, "开放", el("span", {className: "en"}, "Open"))
        : el("button", {type: "button", className: "act small", dataset: {service: code, op: "close"}, onclick: () => openService(code, false)}, "停止", el("span", {className: "en"}, "Close"))));
  }));
}

// A caller that does not know `service` on open/close ignores it (unknown fields are
// ignored, docs/protocol.md) and opens or closes the whole hall: only a reply naming the
// service says that one service changed, anything else is said as what it was.
async function openService(code, open) {
  const r = await page.run(open ? "open" : "close", {service: code}, {key: "svc-" + code, ok: () => null});
  if (!r) return;
  if (r.service === code) page.say("ok", open ? code + " 已开放取号" : code + " 已停止取号", open ? code + " open" : code + " closed");
  else page.say("error", open ? "注意：整个大厅已开放（此叫号系统不能单独开放一项业务）" : "注意：整个大厅已停止取号（此叫号系统不能单独关闭一项业务）",
    open ? "Note: the whole hall opened (this caller cannot open one service alone)"
      : "Note: the whole hall closed (this caller cannot close one service alone)");
}

// ------------------------------------------------------------ alerts

function deviceAlerts() {
  const out = [];
  for (const {id, data: d} of page.state.devices()) {
    if (d.online === false) {
      out.push({kind: "device-offline", device: id, detail: id + " 离线 / offline"});
      continue;
    }
    if (d.printer && d.printer !== "ready") {
      const p = label(PRINTER, d.printer);
      out.push({kind: "printer", device: id, detail: id + " 打印机" + p.zh + " / printer " + p.en.toLowerCase()});
    }
    if (d.out_of_service || d.service === false) out.push({kind: "kiosk-out", device: id, detail: id + " 停用 / out of service"});
    for (const k of Array.isArray(d.keypads) ? d.keypads : []) {
      if (k.online === false) {
        out.push({kind: "device-offline", device: id, detail: (k.kind === "pad" ? "评价器" : "呼叫器") + " " + (k.counter || "") +
          "（" + id + " #" + k.addr + "）离线 / " + (k.kind === "pad" ? "rating pad" : "keypad") + " offline"});
      }
    }
  }
  return out;
}

function alertRow(a) {
  const k = label(ALERT_KIND, a.kind);
  const device = !a.id;
  const acked = !!a.acked_by;
  const right = device ? el("span", {className: "badge amber"}, "设备", el("span", {className: "en"}, "Device"))
    : acked ? el("span", {className: "muted"}, "已确认 " + a.acked_by + " " + hhmm(a.acked_at))
      : el("button", {type: "button", className: "act small", dataset: {alert: a.id}, onclick: () => ack(a.id)}, "确认", el("span", {className: "en"}, "Ack"));
  return el("div", {className: "alert" + (acked ? " acked" : "") + (device ? " device" : ""), dataset: {alert: a.id || ""}},
    el("div", {}, el("div", {className: "what"}, (a.at ? hhmm(a.at) + " " : "") + k.zh, el("span", {className: "en"}, " " + k.en)),
      el("div", {className: "detail"}, a.detail || [a.ticket, a.counter, a.staff_id].filter(Boolean).join(" · "))),
    right);
}

function drawAlerts() {
  const retained = page.state.alerts();
  const ids = new Set(retained.map((a) => a.id));
  const extra = liveAlerts.filter((a) => !a.id || !ids.has(a.id));
  const engine = retained.concat(extra);
  const open = engine.filter((a) => !a.acked_by);
  const acked = engine.filter((a) => a.acked_by);
  const devices = deviceAlerts();
  const all = open.concat(devices, acked);
  fill($("alerts"), all.length ? all.map(alertRow) : el("div", {className: "empty"}, "没有告警 / No alerts"));
  const n = open.length + devices.length;
  const c = $("alert-count");
  c.hidden = n === 0;
  setText(c, String(n));
}

function ack(id) {
  page.run("alert-ack", {alert: id}, {key: "ack-" + id, ok: () => ["告警已确认", "Alert acknowledged"]});
}

// ------------------------------------------------------------ today

function drawToday() {
  const hall = page.state.hall();
  const t = hall && hall.today ? hall.today : {};
  const num = (v) => (typeof v === "number" ? String(v) : "—");
  const fig = (v, zh, en, cls) => el("div", {className: "figure" + (cls ? " " + cls : "")}, el("div", {className: "v"}, v), el("div", {className: "k"}, zh, el("span", {className: "en"}, en)));
  fill($("today"),
    fig(num(t.issued), "取号", "Issued"),
    fig(num(t.served), "办结", "Served"),
    fig(num(t.waiting), "等候", "Waiting"),
    fig(num(t.no_shows), "过号", "No-shows"),
    fig(typeof t.mean_wait_s === "number" ? mins(t.mean_wait_s) : "—", "平均等候", "Mean wait"),
    fig(typeof t.p90_wait_s === "number" ? mins(t.p90_wait_s) : "—", "90% 等候", "p90 wait"),
    fig(typeof t.satisfaction_pct === "number" ? t.satisfaction_pct.toFixed(1) + "%" : "—", "满意率", "Satisfaction"),
    fig(typeof t.ewt_accuracy_pct === "number" ? Math.round(t.ewt_accuracy_pct) + "%" : "—", "预计准确", "Estimate accuracy"),
    fig(num(t.overruns), "超时", "Overruns"));
}

// ------------------------------------------------------------ notice, open/close, end of day

function drawNotice() {
  const text = $("notice-text").value;
  const p = $("notice-preview");
  p.className = "board-preview" + (text.trim() ? "" : " emptyp");
  setText(p, text.trim() ? text : "（大屏不显示公告 / no notice on the boards）");
  const hall = page.state.hall();
  setText($("notice-now"), hall && hall.notice ? "现在 Now: " + hall.notice + (hall.notice_until ? " — 至 until " + hhmm(hall.notice_until) : "") : "现在没有公告 / No notice now");
}

function publishNotice(clear) {
  const message = clear ? "" : $("notice-text").value.trim();
  if (!clear && !message) {
    page.say("error", "请输入公告内容", "Enter the notice text");
    return;
  }
  const fields = {message};
  const until = $("notice-until").value;
  if (!clear && until) {
    const iso = isoAtHallTime(until);
    if (!iso) {
      page.say("error", "有效时间格式不对", "The expiry time is not valid");
      return;
    }
    fields.until = iso;
  }
  page.run("notice", fields, {ok: () => clear ? ["公告已清除", "Notice cleared"] : ["公告已发布", "Notice published"]}).then((r) => {
    if (r && clear) {
      $("notice-text").value = "";
      drawNotice();
    }
  });
}

function build() {
  openPause = pauseDialog($("dlg-pause"), (k, zh, en) => page.say(k, zh, en), (reason, message) =>
    page.run("pause", {counter: pauseFor, reason, message}, {key: "pause-" + pauseFor,
      context: () => ({ticket: (page.state.get("counter/" + pauseFor) || {}).ticket}),
      ok: () => ["已代为暂停 " + pauseFor, "Paused " + pauseFor]}));
  openEnd = modal($("dlg-end"), () => {
    page.run("end-day", {}, {ok: (r) => ["今天已结束，" + (r.expired ?? 0) + " 个号作废", "Day ended: " + (r.expired ?? 0) + " tickets expired"]});
    return true;
  });
  $("notice-text").addEventListener("input", drawNotice);
  $("notice-go").addEventListener("click", () => publishNotice(false));
  $("notice-clear").addEventListener("click", () => publishNotice(true));
  $("hall-open-go").addEventListener("click", () => page.run("open", {}, {ok: () => ["大厅已开放", "The hall is open"]}));
  $("hall-close-go").addEventListener("click", () => page.run("close", {}, {ok: () => ["大厅已停止取号", "The hall stopped issuing tickets"]}));
  $("end-day-go").addEventListener("click", () => {
    const t = (page.state.hall() || {}).today || {};
    setText($("end-waiting"), "现在仍有 " + (t.waiting ?? "?") + " 人等候 / " + (t.waiting ?? "?") + " still waiting");
    openEnd();
  });
}

function drawAll() {
  drawMap();
  drawQueues();
  drawAlerts();
  drawToday();
  drawNotice();
}

build();
startPage({
  roles: ["supervisor", "admin"],
  state: () => { if (page) drawAll(); },
  event: (m) => {
    if (m.kind === "alert" && m.data) {
      liveAlerts.unshift(m.data);
      liveAlerts.length = Math.min(liveAlerts.length, 50);
      if (page) drawAlerts();
    }
  },
  tick: () => { if (page) tickMap(); },
}).then((p) => {
  page = p;
  if (p) drawAll();
});
