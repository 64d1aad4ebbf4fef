// SPDX-License-Identifier: MIT
// dom.js — the only way the console's pages build their screens.
//
// Owns: making elements and setting their text. Everything here goes through
// createElement and textContent, never innerHTML, so a staff name, a pause message or
// a notice that contains "<img onerror=…>" is shown as those characters and never
// becomes markup (tests/web/browser checks it; test_static.py forbids innerHTML).

// el("div", {className: "x", dataset: {k: "v"}, onclick: fn}, child, "text", …)
// Children may be nodes, strings (become text), numbers, null/false (skipped) or arrays.
export function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key in node && key !== "list" && key !== "form") node[key] = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else if (c instanceof Node) node.appendChild(c);
    else node.appendChild(document.createTextNode(String(c)));
  }
}

// A Chinese label with its English beside it: <span class="bi"><span lang=zh>…</span><span lang=en>…</span></span>.
export function bi(zh, en, className) {
  return el("span", {className: className ? "bi " + className : "bi"},
    el("span", {className: "zh", lang: "zh-CN"}, zh),
    en ? el("span", {className: "en", lang: "en"}, en) : null);
}

export function $(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error("no element #" + id);
  return node;
}

export function setText(node, text) {
  const s = text === null || text === undefined ? "" : String(text);
  if (node.textContent !== s) node.textContent = s;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

// Replaces a node's children by the given ones (same forms as el()).
export function fill(node, ...children) {
  clear(node);
  append(node, children);
  return node;
}

export function show(node, visible) {
  node.hidden = !visible;
}

// modal(dialog, submit): wires a <dialog> holding one <form>: its .cancel buttons close
// it, submitting calls submit() (sync or async), which returns true to close it.
// Returns open(), which shows it and focuses its first field.
export function modal(dialog, submit) {
  const form = dialog.querySelector("form");
  for (const b of dialog.querySelectorAll(".cancel")) b.addEventListener("click", () => dialog.close());
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (await submit()) dialog.close();
  });
  return () => {
    if (!dialog.open) dialog.showModal();
    const first = form.querySelector("input, select, textarea, .choices button");
    if (first) first.focus();
  };
}

// choices(container, items, selected, onPick): one button per {value, zh, en}; the picked
// one gets class "on". Returns get() → the picked value.
export function choices(container, items, selected, onPick) {
  let current = selected;
  const buttons = items.map((it) => el("button", {type: "button", dataset: {value: it.value},
    className: it.value === current ? "on" : "", onclick: () => {
      current = it.value;
      for (const b of buttons) b.classList.toggle("on", b.dataset.value === current);
      if (onPick) onPick(current);
    }}, it.zh, it.en ? el("span", {className: "en"}, it.en) : null));
  fill(container, buttons);
  return () => current;
}

// A ticket label as typed: trimmed, upper case ("a012 " → "A012").
export function ticketOf(input) {
  return input.value.trim().toUpperCase();
}

export function anyDialogOpen() {
  return !!document.querySelector("dialog[open]");
}
