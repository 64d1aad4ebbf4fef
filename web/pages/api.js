// SPDX-License-Identifier: MIT
// api.js — the console's three HTTP calls (docs/console.md, CONSOLE contract).
//
// Owns: POST /api/login, POST /api/logout (with the X-CSRF-Token header) and GET /api/me,
// each answered as {status, body}. The session itself is the HttpOnly cookie the
// server sets: this page never sees or stores it.

async function call(method, path, body, csrf) {
  const headers = {"Accept": "application/json"};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (csrf) headers["X-CSRF-Token"] = csrf;
  let res;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (e) {
    return {status: 0, body: {ok: false, error: "network"}};
  }
  let parsed = null;
  try {
    parsed = await res.json();
  } catch (e) {
    parsed = null;
  }
  if (!parsed || typeof parsed !== "object") parsed = {ok: res.ok, error: res.ok ? undefined : "http-" + res.status};
  return {status: res.status, body: parsed};
}

export function login(staffId, secret, counter) {
  const body = {staff_id: staffId, secret};
  if (counter) body.counter = counter;
  return call("POST", "/api/login", body);
}

export function logout(csrf) {
  return call("POST", "/api/logout", {}, csrf);
}

export function me() {
  return call("GET", "/api/me");
}
