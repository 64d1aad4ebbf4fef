// SPDX-License-Identifier: MIT
// state.js — what the console knows of the hall: the latest retained state per topic.
//
// Owns: the map topic → {data, at} fed by the server's "state" messages ("hall",
// "service/<id>", "counter/<id>", "alerts", "devices/<id>"), and telling the page when
// something changed. It never guesses: it holds what the caller published, and `at`
// (the browser's monotonic clock when it arrived) so a page can run a timer on from a
// published duration without trusting the PC's clock against the box's.

export class HallState {
  constructor() {
    this.topics = new Map();
    this.listeners = [];
  }

  apply(msg) {
    if (typeof msg.topic !== "string") return;
    if (msg.data === null || msg.data === undefined) this.topics.delete(msg.topic);
    else this.topics.set(msg.topic, {data: msg.data, at: performance.now()});
    for (const fn of this.listeners) fn(msg.topic);
  }

  clear() {
    this.topics.clear();
    for (const fn of this.listeners) fn(null);
  }

  onChange(fn) {
    this.listeners.push(fn);
  }

  get(topic) {
    const e = this.topics.get(topic);
    return e ? e.data : null;
  }

  // Seconds since the state of `topic` arrived (0 when unknown).
  age(topic) {
    const e = this.topics.get(topic);
    return e ? (performance.now() - e.at) / 1000 : 0;
  }

  // Every state under "prefix/", as [{id, data}], in the order of `sortKey(data)`.
  list(prefix, sortKey) {
    const out = [];
    for (const [topic, e] of this.topics) {
      if (topic.startsWith(prefix + "/")) out.push({id: topic.slice(prefix.length + 1), data: e.data});
    }
    const key = sortKey || ((d) => 0);
    out.sort((a, b) => {
      const ka = key(a.data), kb = key(b.data);
      if (ka < kb) return -1;
      if (ka > kb) return 1;
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
    return out;
  }

  hall() {
    return this.get("hall");
  }

  counters() {
    return this.list("counter", (d) => (typeof d.number === "number" ? d.number : 9999));
  }

  services() {
    return this.list("service", (d) => d.service || "");
  }

  devices() {
    return this.list("devices");
  }

  alerts() {
    const a = this.get("alerts");
    return a && Array.isArray(a.alerts) ? a.alerts : [];
  }

  // The seconds a counter has served its current ticket now: the published serving_s
  // plus the time since that state arrived.
  servingNow(counterId) {
    const topic = "counter/" + counterId;
    const d = this.get(topic);
    if (!d || d.status !== "serving") return null;
    return (typeof d.serving_s === "number" ? d.serving_s : 0) + this.age(topic);
  }
}
