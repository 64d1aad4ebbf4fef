// SPDX-License-Identifier: MIT
// refusals.js — a refusal code in plain words, Chinese first with English beside.
//
// Owns: the table from the stable error codes (the engine's in docs/protocol.md, the web
// server's and this page's own: not-ready, timeout, disconnected, network) to what a
// member of staff reads. Where the op says more ("不能暂停：正在办理 A012") the sentence
// names it; the engine's own message is kept beside for anything the table does not know.

const OP = {
  "call-next": {zh: "呼叫", en: "call"},
  call: {zh: "指定呼叫", en: "call that ticket"},
  recall: {zh: "重呼", en: "recall"},
  finish: {zh: "办结", en: "finish"},
  "no-show": {zh: "标记过号", en: "mark a no-show"},
  pause: {zh: "暂停", en: "pause"},
  resume: {zh: "恢复", en: "resume"},
  transfer: {zh: "转移", en: "transfer"},
  requeue: {zh: "重新排队", en: "re-queue"},
  flag: {zh: "标记绿色通道", en: "flag green channel"},
  take: {zh: "取号", en: "issue a ticket"},
  logout: {zh: "退出", en: "sign out"},
  "invite-rating": {zh: "邀请评价", en: "invite a rating"},
  notice: {zh: "发布公告", en: "set the notice"},
  open: {zh: "开放", en: "open"},
  close: {zh: "关闭", en: "close"},
  "end-day": {zh: "结束今天", en: "end the day"},
  "alert-ack": {zh: "确认告警", en: "acknowledge the alert"},
};

// ctx: {op, ticket (the counter's current ticket), target (the ticket or counter named)}
const WORDS = {
  // engine, docs/protocol.md
  "not-logged-in": () => ["此窗口还没有人上岗，请先登录", "Nobody is signed in at this counter: sign in first"],
  "no-current-ticket": () => ["当前没有正在办理的号", "No ticket is being served now"],
  serving: (c) => ["不能" + opZh(c) + "：正在办理 " + (c.ticket || "当前号") + "，请先办结或转移",
    "Cannot " + opEn(c) + ": serving " + (c.ticket || "a ticket") + " — finish or transfer it first"],
  "staff-busy": () => ["您正在另一个窗口办理业务，请先在那里办结", "You are serving at another counter: finish there first"],
  "unknown-ticket": (c) => ["今天没有 " + (c.target || "这个") + " 号", "There is no ticket " + (c.target || "like that") + " today"],
  "not-waiting": (c) => [(c.target || "这个号") + " 不在等候中（已叫过、已办结或已过号）", (c.target || "That ticket") + " is not waiting (called, done or missed)"],
  "not-no-show": (c) => [(c.target || "这个号") + " 不是过号，不能重新排队", (c.target || "That ticket") + " is not a no-show: it cannot be re-queued"],
  "not-paused": () => ["窗口没有暂停", "The counter is not paused"],
  "same-counter": () => ["不能转移到本窗口", "Cannot transfer to this same counter"],
  "no-counter": () => ["没有窗口办理这项业务", "No counter serves that service"],
  "unknown-service": () => ["没有这项业务", "No such service"],
  "unknown-counter": () => ["没有这个窗口", "No such counter"],
  closed: () => ["大厅或该业务已停止取号", "The hall or the service is closed"],
  limit: () => ["今天的号已取完", "Today's tickets for that service are used up"],
  "no-ticket-to-rate": () => ["没有可评价的已办结业务", "Nothing finished here to rate"],
  "already-rated": () => ["这次服务已经评价过了", "This service has already been rated"],
  "missing-field": (c) => [c.line ? "第 " + c.line + " 行缺少必填内容" : "缺少必填内容", "Something required is missing" + said(c)],
  "bad-field": (c) => [c.line ? "CSV 第 " + c.line + " 行有误，整个文件没有导入" : "填写的内容不符合要求", "Something entered is not valid" + said(c)],
  "staff-exists": (c) => ["工号 " + (c.target || "") + " 已在名册中", "Staff id " + (c.target || "") + " is already in the roster"],
  internal: () => ["系统存储出错，操作没有生效，请稍后再试", "The box could not store it: nothing changed, try again"],
  "wrong-origin": () => ["这个操作不能从这里发出", "That operation cannot be sent from here"],
  "unknown-op": () => ["系统不认识这个操作（版本不符？）", "The system does not know that operation (version mismatch?)"],
  // staff identity (engine)
  "unknown-staff": () => ["没有这个工号", "No such staff id"],
  "bad-secret": () => ["工号或密码不对", "Wrong staff id or secret"],
  locked: (c) => ["多次输错，账号已锁定" + (c.until ? "，请 " + c.until + " 后再试" : "") + "或找值班长解锁",
    "Too many failures: the account is locked" + (c.until ? " until " + c.until : "") + " — or ask the supervisor"],
  "staff-disabled": () => ["账号已停用，请找管理员", "This account is disabled: ask the administrator"],
  "not-allowed-here": () => ["您不能在这个窗口上岗", "You may not serve at this counter"],
  forbidden: () => ["您的岗位不能做这个操作", "Your role may not do that"],
  "unknown-token": () => ["找不到这张票", "Ticket not found"],
  // web server
  csrf: () => ["页面已过期，请刷新后再试", "The page expired: reload it and try again"],
  "rate-limited": () => ["尝试太频繁，请一分钟后再试", "Too many attempts: wait a minute"],
  "bad-request": (c) => ["登录信息不完整或有误", "The sign-in was incomplete or malformed" + said(c)],
  unavailable: () => ["叫号系统暂时没有回应，请稍后再试", "The hall's system is not answering: try again shortly"],
  "bad-json": () => ["页面发送的内容有误，请刷新", "The page sent something malformed: reload it"],
  "unknown-type": () => ["页面版本与服务器不符，请刷新", "Page and server versions differ: reload the page"],
  "too-large": () => ["内容太长", "Too long"],
  // this page
  "not-ready": () => ["正在连接服务器，请稍候再试", "Connecting to the server: try again in a moment"],
  timeout: () => ["服务器没有回应，结果未知：请看当前状态", "No answer from the server: check the state before trying again"],
  disconnected: () => ["连接中断，结果未知：请看当前状态", "Connection lost: check the state before trying again"],
  network: () => ["连不上服务器，请检查网络", "Cannot reach the server: check the network"],
};

// The engine's own words for a field it refused ("csv line 3: roles: …"), which name the field.
function said(c) {
  return c.message ? ": " + c.message : "";
}

function opZh(c) {
  return (OP[c.op] || {zh: "操作"}).zh;
}

function opEn(c) {
  return (OP[c.op] || {en: "do that"}).en;
}

// {code, zh, en} for a refusal code (with the server's message when the code is unknown).
export function explain(code, ctx, message) {
  const c = Object.assign({message}, ctx || {});
  const f = WORDS[code];
  if (f) {
    const [zh, en] = f(c);
    return {code, zh, en};
  }
  return {code, zh: "未能" + opZh(c) + "（" + code + "）", en: message || "Could not " + opEn(c) + " (" + code + ")"};
}

export function opLabel(op) {
  return OP[op] || {zh: op, en: op};
}
