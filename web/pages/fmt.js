// SPDX-License-Identifier: MIT
// fmt.js — how the console writes durations, times and the hall's words.
//
// Owns: durations (12:05, 约 12 分钟 / about 12 min), times of day in the hall's own zone
// (read from the ISO strings the caller publishes, which carry the hall's UTC offset, so
// the PC's zone never matters), an estimate of the box's clock (learned from the `at` of
// each event as it arrives: a simulated hall or a PC with a wrong clock still counts
// right), and the bilingual labels of statuses, priorities, roles, alerts and devices.

// ---------------------------------------------------------------- durations

// 65 → "1:05", 3725 → "1:02:05"; null → "—".
export function clock(seconds) {
  if (typeof seconds !== "number" || !isFinite(seconds) || seconds < 0) return "—";
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const two = (n) => (n < 10 ? "0" + n : String(n));
  return h > 0 ? h + ":" + two(m) + ":" + two(r) : m + ":" + two(r);
}

// A wait as people say it: {zh: "约 12 分钟", en: "about 12 min"}.
export function minutes(seconds) {
  if (typeof seconds !== "number" || !isFinite(seconds) || seconds < 0) return {zh: "—", en: ""};
  if (seconds < 60) return {zh: "不到 1 分钟", en: "under a minute"};
  const m = Math.round(seconds / 60);
  if (m < 60) return {zh: "约 " + m + " 分钟", en: "about " + m + " min"};
  const h = Math.floor(m / 60), r = m % 60;
  return {zh: "约 " + h + " 小时" + (r ? " " + r + " 分钟" : ""), en: "about " + h + " h" + (r ? " " + r + " min" : "")};
}

// Short form for tables: "12 分钟".
export function mins(seconds) {
  if (typeof seconds !== "number" || !isFinite(seconds) || seconds < 0) return "—";
  return Math.round(seconds / 60) + " 分钟";
}

// ---------------------------------------------------------------- times

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

// "2026-11-23T09:05:07+08:00" → "09:05" (the hall's own time: the string is in its zone).
export function hhmm(iso) {
  const m = typeof iso === "string" ? ISO.exec(iso) : null;
  return m ? m[4] + ":" + m[5] : "—";
}

export function hhmmss(iso) {
  const m = typeof iso === "string" ? ISO.exec(iso) : null;
  return m ? m[4] + ":" + m[5] + ":" + (m[6] || "00") : "—";
}

// "2026-11-23T09:05:07+08:00" → "2026-11-23 09:05".
export function dateTime(iso) {
  const m = typeof iso === "string" ? ISO.exec(iso) : null;
  return m ? m[1] + "-" + m[2] + "-" + m[3] + " " + m[4] + ":" + m[5] : "—";
}

// 20261123 → "2026-11-23".
export function day(n) {
  const s = String(n || "");
  return /^\d{8}$/.test(s) ? s.slice(0, 4) + "-" + s.slice(4, 6) + "-" + s.slice(6) : "—";
}

function offsetMinutes(zone) {
  if (zone === "Z") return 0;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
}

// The box's clock as this page knows it: Date.now() + skew, where skew is learned from
// events (their `at` is the box's time of a moment that is "now" when they arrive).
let skewMs = 0;
let hallOffsetMin = null;

export function learnClock(iso) {
  const t = parseIso(iso);
  if (t === null) return;
  skewMs = t - Date.now();
  const m = ISO.exec(iso);
  hallOffsetMin = offsetMinutes(m[7]);
}

// Learns only the hall's UTC offset (from any published time, even an old one).
export function learnZone(iso) {
  const m = typeof iso === "string" ? ISO.exec(iso) : null;
  if (m && hallOffsetMin === null) hallOffsetMin = offsetMinutes(m[7]);
}

export function parseIso(iso) {
  if (typeof iso !== "string" || !ISO.test(iso)) return null;
  const t = Date.parse(iso);
  return isNaN(t) ? null : t;
}

export function boxNowMs() {
  return Date.now() + skewMs;
}

// Seconds from an ISO time until the box's now (never negative).
export function secondsSince(iso) {
  const t = parseIso(iso);
  return t === null ? null : Math.max(0, (boxNowMs() - t) / 1000);
}

// The hall's wall clock now, "HH:MM" (in its zone once one time was seen).
export function hallClock() {
  const off = hallOffsetMin === null ? -new Date().getTimezoneOffset() : hallOffsetMin;
  const d = new Date(boxNowMs() + off * 60000);
  const two = (n) => (n < 10 ? "0" + n : String(n));
  return two(d.getUTCHours()) + ":" + two(d.getUTCMinutes());
}

// "17:30" today in the hall's zone → an ISO string with the hall's offset; if that time
// already passed today, the same time tomorrow. null for a malformed time.
export function isoAtHallTime(hm) {
  const m = /^(\d{2}):(\d{2})$/.exec(hm || "");
  if (!m) return null;
  const off = hallOffsetMin === null ? -new Date().getTimezoneOffset() : hallOffsetMin;
  const local = new Date(boxNowMs() + off * 60000); // its UTC fields are the hall's wall clock
  let t = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), Number(m[1]), Number(m[2]));
  if (t <= local.getTime()) t += 86400000;
  const d = new Date(t);
  const two = (n) => (n < 10 ? "0" + n : String(n));
  const sign = off < 0 ? "-" : "+", a = Math.abs(off);
  return d.getUTCFullYear() + "-" + two(d.getUTCMonth() + 1) + "-" + two(d.getUTCDate()) + "T" +
    two(d.getUTCHours()) + ":" + two(d.getUTCMinutes()) + ":00" + sign + two(Math.floor(a / 60)) + ":" + two(a % 60);
}

// ---------------------------------------------------------------- labels

export const COUNTER_STATUS = {
  serving: {zh: "办理中", en: "Serving"},
  idle: {zh: "空闲", en: "Idle"},
  paused: {zh: "暂停", en: "Paused"},
  closed: {zh: "未上岗", en: "Closed"},
};

export const PRIORITY = {
  none: {zh: "普通", en: "Regular"},
  elderly: {zh: "高龄老人", en: "Senior citizen"},
  disabled: {zh: "残疾人", en: "Person with disability"},
  pregnant: {zh: "孕妇", en: "Pregnant woman"},
  other: {zh: "其他行动不便", en: "Other limited mobility"},
};

// The same, short enough for a row of buttons.
export const PRIORITY_SHORT = {
  none: {zh: "普通", en: "Regular"},
  elderly: {zh: "老人", en: "Senior"},
  disabled: {zh: "残疾", en: "Disabled"},
  pregnant: {zh: "孕妇", en: "Pregnant"},
  other: {zh: "其他", en: "Other"},
};

export const ROLES = {
  staff: {zh: "窗口人员", en: "Counter staff"},
  guide: {zh: "导办", en: "Guide"},
  supervisor: {zh: "值班长", en: "Supervisor"},
  admin: {zh: "管理员", en: "Administrator"},
};

export const TICKET_STATUS = {
  waiting: {zh: "等候中", en: "Waiting"},
  called: {zh: "已叫号", en: "Called"},
  finished: {zh: "已办结", en: "Done"},
  "no-show": {zh: "已过号", en: "Missed"},
  voided: {zh: "已作废", en: "Void"},
  expired: {zh: "已过期", en: "Expired"},
};

export const ALERT_KIND = {
  "long-wait": {zh: "等候过久", en: "Long wait"},
  overrun: {zh: "办理超时", en: "Service overrun"},
  "staff-locked": {zh: "账号锁定", en: "Account locked"},
  "printer": {zh: "打印机", en: "Printer"},
  "device-offline": {zh: "设备离线", en: "Device offline"},
  "kiosk-out": {zh: "取号机停用", en: "Kiosk out of service"},
};

export const PRINTER = {
  ready: {zh: "正常", en: "Ready"},
  "paper-near-end": {zh: "纸将用完", en: "Paper low"},
  "paper-out": {zh: "缺纸", en: "Out of paper"},
  "cover-open": {zh: "盖子未关", en: "Cover open"},
  offline: {zh: "脱机", en: "Offline"},
  error: {zh: "故障", en: "Error"},
};

// Pause reasons: the code goes into `pause {reason}` (the audit and the reports keep it).
export const PAUSE_REASONS = [
  {code: "fetch-materials", zh: "取材料", en: "Fetching documents"},
  {code: "consult", zh: "请示 / 会商", en: "Consulting"},
  {code: "break", zh: "临时离开", en: "Short break"},
  {code: "handover", zh: "交接班", en: "Handover"},
  {code: "system-fault", zh: "系统故障", en: "System fault"},
  {code: "meeting", zh: "开会", en: "Meeting"},
  {code: "other", zh: "其他", en: "Other"},
];

// Public pause messages (去向留言) offered as templates; the strip and the main board show them.
export const PAUSE_TEMPLATES = [
  "去3楼档案室取材料，10分钟后回",
  "请示领导，5分钟后回",
  "交接班，请稍候",
  "系统故障，正在处理，请稍候",
  "本窗口暂停服务，请到其他窗口办理",
];

export const RATINGS = [
  {score: 5, zh: "非常满意", en: "Very satisfied"},
  {score: 4, zh: "满意", en: "Satisfied"},
  {score: 3, zh: "基本满意", en: "Fair"},
  {score: 2, zh: "不满意", en: "Dissatisfied"},
  {score: 1, zh: "非常不满意", en: "Very dissatisfied"},
];

export function label(table, key) {
  return table[key] || {zh: String(key === null || key === undefined ? "—" : key), en: ""};
}

// UTF-8 length of a string (the engine's limits are in bytes: message 511, reason 127).
export function utf8Bytes(s) {
  return new TextEncoder().encode(s || "").length;
}
