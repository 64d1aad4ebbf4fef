// SPDX-License-Identifier: MIT
// pause.js — the pause dialog the counter and the supervisor share.
//
// Owns: the reason list (its code goes to the engine as `reason`), the public message's
// templates and free text with its byte count (the engine takes at most 511 bytes), and
// checking both before the page sends `pause`. The dialog's markup is in the page
// (#pause-reasons, #pause-templates, #pause-message, optional #pause-bytes).

import {$, el, fill, setText, modal, choices} from "./dom.js";
import {utf8Bytes, PAUSE_REASONS, PAUSE_TEMPLATES} from "./fmt.js";

const MAX_MESSAGE = 511;

// pauseDialog(dialog, say, submit) → open(message): submit(reason, message) sends it.
export function pauseDialog(dialog, say, submit) {
  const reasons = PAUSE_REASONS.map((r) => ({value: r.code, zh: r.zh, en: r.en}));
  const box = $("pause-message");
  let getReason = choices($("pause-reasons"), reasons, null);
  const count = () => {
    const b = document.getElementById("pause-bytes");
    if (b) setText(b, utf8Bytes(box.value) + " / " + MAX_MESSAGE + " 字节 bytes");
  };
  fill($("pause-templates"), PAUSE_TEMPLATES.map((t) => el("button", {type: "button", onclick: () => { box.value = t; count(); }}, t)));
  box.addEventListener("input", count);
  const open = modal(dialog, () => {
    const reason = getReason();
    const message = box.value.trim();
    if (!reason) {
      say("error", "请选择暂停原因", "Choose a reason for the pause");
      return false;
    }
    if (utf8Bytes(message) > MAX_MESSAGE) {
      say("error", "留言太长（最多 511 字节，约 170 个汉字）", "The message is too long (511 bytes at most)");
      return false;
    }
    submit(reason, message);
    return true;
  });
  dialog.addEventListener("close", () => { getReason = choices($("pause-reasons"), reasons, null); });
  return (message) => {
    box.value = message || "";
    count();
    open();
  };
}
