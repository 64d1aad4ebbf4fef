// SPDX-License-Identifier: MIT
// admin.js — administration, for role `admin`.
//
// Owns: the roster table from `staff-list` (no secret or hash ever reaches the page) with
// add (`staff-add`), edit (`staff-update`), disable / enable, reset secret
// (`staff-set-secret`) and CSV import (`staff-import`, the whole file or nothing: the
// engine refuses it with the bad line's number); the audit search (`audit`); device health
// from devices/*; links to the month's reports and the online backup. Editing the hall's
// INI stays a file on the box.

import {$, el, fill, setText, modal} from "./dom.js";
import {startPage} from "./shell.js";
import {dateTime, hhmm, label, ROLES, PRINTER} from "./fmt.js";
import {explain} from "./refusals.js";

const MAX_IMPORT_BYTES = 7000; // a WebSocket message is at most 8 KiB with its envelope
const ROLE_LIST = ["staff", "guide", "supervisor", "admin"];

let page = null;
let roster = [];
let editing = null; // staff_id being edited, or null when adding
let secretFor = null;
let importCsv = null;
let openStaff, openSecret, openImport;
let roleSet = new Set();

function list(s) {
  return String(s || "").split(/[,;，\s]+/).map((x) => x.trim()).filter(Boolean);
}

// ------------------------------------------------------------ roster

async function loadRoster() {
  const r = await page.run("staff-list", {}, {ok: () => null});
  if (!r) return;
  roster = Array.isArray(r.staff) ? r.staff : [];
  drawRoster();
}

function drawRoster() {
  const f = $("roster-filter").value.trim().toLowerCase();
  const rows = roster.filter((s) => !f || String(s.staff_id).toLowerCase().includes(f) || String(s.name || "").toLowerCase().includes(f));
  fill($("roster"), rows.length ? rows.map((s) => {
    const locked = s.locked_until ? el("span", {className: "badge red"}, "锁定至 " + hhmm(s.locked_until), el("span", {className: "en"}, "locked")) : null;
    const state = s.enabled === false ? el("span", {className: "badge"}, "停用", el("span", {className: "en"}, "disabled"))
      : locked || el("span", {className: "badge green"}, "正常", el("span", {className: "en"}, "active"));
    return el("tr", {className: s.enabled === false ? "disabled" : "", dataset: {staff: s.staff_id}},
      el("td", {}, s.staff_id), el("td", {}, s.name || ""), el("td", {className: "hide-phone"}, s.department || ""),
      el("td", {}, el("div", {className: "roles"}, (s.roles || []).map((r) => el("span", {className: "badge blue", title: label(ROLES, r).en}, label(ROLES, r).zh)))),
      el("td", {className: "hide-phone"}, (s.counters || []).join(", ") || "任意 any"),
      el("td", {className: "hide-phone"}, (s.covers || []).join(", ")),
      el("td", {className: "keep"}, state),
      el("td", {className: "keep"}, el("div", {className: "ops"},
        el("button", {type: "button", className: "act small", dataset: {op: "edit"}, onclick: () => edit(s)}, "编辑", el("span", {className: "en"}, "Edit")),
        s.enabled === false
          ? el("button", {type: "button", className: "act small", dataset: {op: "enable"}, onclick: () => setEnabled(s, true)}, "启用", el("span", {className: "en"}, "Enable"))
          : el("button", {type: "button", className: "act small danger", dataset: {op: "disable"}, onclick: () => setEnabled(s, false)}, "停用", el("span", {className: "en"}, "Disable")),
        el("button", {type: "button", className: "act small", dataset: {op: "secret"}, onclick: () => resetSecret(s)}, "重置密码", el("span", {className: "en"}, "Reset secret")))));
  }) : el("tr", {}, el("td", {colSpan: 8, className: "empty"}, roster.length ? "没有符合的人员 / Nobody matches" : "名册为空 / The roster is empty")));
}

function rolesPicker(selected) {
  roleSet = new Set(selected);
  const box = $("s-roles");
  fill(box, ROLE_LIST.map((r) => el("button", {type: "button", className: roleSet.has(r) ? "on" : "", dataset: {value: r}, onclick: (ev) => {
    if (roleSet.has(r)) roleSet.delete(r);
    else roleSet.add(r);
    ev.currentTarget.classList.toggle("on", roleSet.has(r));
  }}, ROLES[r].zh, el("span", {className: "en"}, ROLES[r].en))));
}

function edit(s) {
  editing = s ? s.staff_id : null;
  fill($("dlg-staff-h"), s ? "编辑 " : "新增人员 ", el("span", {className: "en"}, s ? "Edit " + s.staff_id : "Add staff"));
  $("s-id").value = s ? s.staff_id : "";
  $("s-id").readOnly = !!s;
  $("s-name").value = s ? s.name || "" : "";
  $("s-dept").value = s ? s.department || "" : "";
  $("s-counters").value = s ? (s.counters || []).join(",") : "";
  $("s-services").value = s ? (s.services || []).join(",") : "";
  $("s-covers").value = s ? (s.covers || []).join(",") : "";
  $("s-secret").value = "";
  $("s-secret-box").hidden = !!s;
  rolesPicker(s ? s.roles || [] : ["staff"]);
  openStaff();
}

async function saveStaff() {
  const fields = {
    staff_id: $("s-id").value.trim(), name: $("s-name").value.trim(), department: $("s-dept").value.trim(),
    roles: ROLE_LIST.filter((r) => roleSet.has(r)), counters: list($("s-counters").value),
    services: list($("s-services").value), covers: list($("s-covers").value),
  };
  if (!fields.staff_id || !fields.name) {
    page.say("error", "工号和姓名必填", "Staff id and name are required");
    return false;
  }
  if (!fields.roles.length) {
    page.say("error", "请至少选择一个岗位", "Choose at least one role");
    return false;
  }
  const op = editing ? "staff-update" : "staff-add";
  if (!editing) {
    fields.secret = $("s-secret").value;
    if (!fields.secret) {
      page.say("error", "新增人员需要初始密码", "A new member of staff needs an initial secret");
      return false;
    }
  }
  const r = await page.run(op, fields, {context: () => ({target: fields.staff_id}),
    ok: () => [(editing ? "已保存 " : "已新增 ") + fields.name, (editing ? "Saved " : "Added ") + fields.staff_id]});
  $("s-secret").value = "";
  if (r) loadRosterQuietly();
  return !!r;
}

function setEnabled(s, on) {
  const op = on ? "staff-update" : "staff-disable";
  const fields = on ? {staff_id: s.staff_id, enabled: true} : {staff_id: s.staff_id};
  page.run(op, fields, {key: op + s.staff_id, ok: () => on ? ["已启用 " + s.name, "Enabled " + s.staff_id] : ["已停用 " + s.name, "Disabled " + s.staff_id]})
    .then((r) => { if (r) loadRosterQuietly(); });
}

function resetSecret(s) {
  secretFor = s.staff_id;
  setText($("secret-who"), s.staff_id + " " + (s.name || ""));
  $("secret-1").value = "";
  $("secret-2").value = "";
  openSecret();
}

async function saveSecret() {
  const a = $("secret-1").value, b = $("secret-2").value;
  if (!a) {
    page.say("error", "请输入新密码", "Enter the new secret");
    return false;
  }
  if (a !== b) {
    page.say("error", "两次输入的密码不一致", "The two secrets differ");
    return false;
  }
  const r = await page.run("staff-set-secret", {staff_id: secretFor, secret: a}, {context: () => ({target: secretFor}),
    ok: () => ["已重置 " + secretFor + " 的密码", "Secret reset for " + secretFor]});
  $("secret-1").value = "";
  $("secret-2").value = "";
  if (r) loadRosterQuietly();
  return !!r;
}

async function loadRosterQuietly() {
  try {
    const r = await page.sock.cmd("staff-list", {});
    roster = Array.isArray(r.staff) ? r.staff : [];
    drawRoster();
  } catch (e) {
    // the action itself was said in the bar; a failed reload leaves the old table
  }
}

// ------------------------------------------------------------ import

async function pickImport(file) {
  if (!file) return;
  const text = await file.text();
  const bytes = new TextEncoder().encode(text).length;
  $("import-file").value = "";
  if (bytes > MAX_IMPORT_BYTES) {
    page.say("error", "文件太大（" + bytes + " 字节），请分成每份不超过 " + MAX_IMPORT_BYTES + " 字节的文件导入",
      "File too large (" + bytes + " bytes): import it in files of at most " + MAX_IMPORT_BYTES + " bytes");
    return;
  }
  importCsv = text;
  const lines = text.split(/\r?\n/).filter((l) => l.trim() && !l.trim().startsWith("#"));
  setText($("import-summary"), file.name + "：" + lines.length + " 行 / lines, " + bytes + " 字节 / bytes");
  openImport();
}

async function doImport() {
  const r = await page.run("staff-import", {csv: importCsv}, {
    ok: (rep) => ["已导入：新增 " + (rep.added ?? 0) + " 人，更新 " + (rep.updated ?? 0) + " 人",
      "Imported: " + (rep.added ?? 0) + " added, " + (rep.updated ?? 0) + " updated"]});
  importCsv = null;
  if (r) loadRosterQuietly();
  return true;
}

// ------------------------------------------------------------ audit

async function searchAudit() {
  const fields = {limit: 200};
  const sid = $("audit-staff").value.trim(), c = $("audit-counter").value.trim(), t = $("audit-ticket").value.trim().toUpperCase();
  const d = $("audit-day").value;
  if (sid) fields.staff_id = sid;
  if (c) fields.counter = c;
  if (t) fields.ticket = t;
  if (d) fields.day = Number(d.replace(/-/g, ""));
  const r = await page.run("audit", fields, {ok: (rep) => {
    const n = (rep.rows || rep.entries || []).length;
    return ["找到 " + n + " 条记录", n + " entries"];
  }});
  if (!r) return;
  const rows = r.rows || r.entries || [];
  fill($("audit"), rows.length ? rows.map((a) => {
    const ok = a.result === "ok";
    const w = ok ? null : explain(a.result, {op: a.op});
    return el("tr", {},
      el("td", {className: "nowrap"}, dateTime(a.at)), el("td", {}, a.by || "—"), el("td", {className: "hide-phone"}, a.device || ""),
      el("td", {className: "nowrap"}, a.op || ""), el("td", {}, a.target || ""), el("td", {className: "hide-phone"}, a.detail || ""),
      el("td", {}, ok ? el("span", {className: "badge green"}, "ok") : el("span", {className: "badge red", title: w.zh + " / " + w.en}, a.result)));
  }) : el("tr", {}, el("td", {colSpan: 7, className: "empty"}, "没有记录 / No entries")));
}

// ------------------------------------------------------------ devices and reports

function drawDevices() {
  const devs = page.state.devices();
  fill($("devices"), devs.length ? devs.map(({id, data: d}) => {
    const bits = [];
    if (d.printer) {
      const p = label(PRINTER, d.printer);
      bits.push("打印机 " + p.zh + " / printer " + p.en);
    }
    if (Array.isArray(d.keypads)) {
      const off = d.keypads.filter((k) => k.online === false);
      bits.push(d.keypads.length + " 台呼叫器/评价器 keypads & pads" + (off.length ? "，离线 offline: " + off.map((k) => k.counter + "#" + k.addr).join(", ") : ""));
    }
    if (d.version) bits.push("版本 version " + d.version);
    const bad = d.online === false || (d.printer && d.printer !== "ready") || (Array.isArray(d.keypads) && d.keypads.some((k) => k.online === false));
    return el("tr", {}, el("td", {}, el("b", {}, id)),
      el("td", {}, d.online === false ? el("span", {className: "badge red"}, "离线 offline") : el("span", {className: "badge " + (bad ? "amber" : "green")}, bad ? "注意 check" : "正常 ok")),
      el("td", {}, bits.join("；")));
  }) : el("tr", {}, el("td", {className: "empty"}, "没有设备状态 / No device status")));
}

function drawReports() {
  const m = $("report-month").value;
  const month = /^\d{4}-\d{2}$/.test(m) ? m : null;
  const link = (href, zh, en) => el("li", {}, el("a", {href, download: ""}, zh), el("span", {className: "en"}, " " + en));
  fill($("report-links"),
    month ? link("/reports/" + month + "/", month + " 月报（CSV 和图表）", "the month's report: CSV and charts") : el("li", {className: "muted"}, "请选择月份 / choose a month"),
    link("/api/backup", "下载在线备份", "download an online backup of the store"));
}

function build() {
  openStaff = modal($("dlg-staff"), saveStaff);
  openSecret = modal($("dlg-secret"), saveSecret);
  openImport = modal($("dlg-import"), doImport);
  $("roster-filter").addEventListener("input", drawRoster);
  $("roster-reload").addEventListener("click", loadRoster);
  $("roster-add").addEventListener("click", () => edit(null));
  $("import-file").addEventListener("change", (ev) => pickImport(ev.target.files[0]));
  $("form-audit").addEventListener("submit", (ev) => { ev.preventDefault(); searchAudit(); });
  const now = new Date();
  $("report-month").value = now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0");
  $("report-month").addEventListener("change", drawReports);
  drawReports();
}

build();
startPage({
  roles: ["admin"],
  hello: () => loadRosterQuietly(),
  state: (topic) => { if (page && topic && topic.startsWith("devices/")) drawDevices(); },
}).then((p) => {
  page = p;
  if (p) drawDevices();
});
