/* SPDX-License-Identifier: MIT */
/*
 * ws_api — the console's WebSockets (CONSOLE.md "WebSocket").
 *
 *   /ws            staff, with the session cookie and the server's own Origin:
 *                  hello, then the snapshot of every retained state, then each
 *                  state change and event; commands checked against the role
 *                  table and sent on, their answers relayed with the browser's id;
 *                  bye (logout, idle, day-reset) before the server closes it.
 *   /ws/t/<token>  a citizen's phone, no cookie: the ticket (asked of the caller
 *                  with ticket-status on connect, again on each event about that
 *                  ticket or its queue, and every 30 s), and one "rate".
 *
 * Owns: admitting an upgrade (path, Origin, cookie; refused with 403 before
 * the handshake), each socket's outgoing queue (out_queue.c) and the framing
 * of incoming messages (at most JH_WS_MSG_MAX bytes, parsed by ws_msg.c),
 * and which socket gets what.
 */
#ifndef JH_WS_API_H
#define JH_WS_API_H

#include "web_app.h"

/* LWS_CALLBACK_HTTP_CONFIRM_UPGRADE on the http protocol: 0 to let it upgrade,
 * 1 after answering 403 (nothing upgraded). */
int jh_ws_confirm_upgrade(jh_web *w, struct lws *wsi, const char *upgrade);

/* The "jh" protocol's callback (libwebsockets' lws_callback_function). */
int jh_ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len);

/* From the relay: a state changed, an event came, an answer for a socket. */
void jh_ws_on_state(jh_web *w, const char *topic, const char *data, size_t len);
void jh_ws_on_event(jh_web *w, const char *kind, const char *data, size_t len, const cJSON *ev);
void jh_ws_on_reply(jh_web *w, uint64_t owner, int tag, const char *browser_id, const cJSON *reply);

/* Says bye (reason: logout, idle, day-reset) on every socket of the session, then closes them. */
void jh_ws_end_session(jh_web *w, uint64_t session, const char *reason);

/* Once in a while: citizens' tickets asked again when due. */
void jh_ws_pump(jh_web *w, int64_t now_ms);

#endif
