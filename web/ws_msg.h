/* SPDX-License-Identifier: MIT */
/*
 * ws_msg — what a browser may say on the console's WebSockets, parsed strictly.
 *
 * Owns: turning one WebSocket message into a jh_ws_msg or a refusal code,
 * before anything else looks at it: at most JH_WS_MSG_MAX bytes, UTF-8, one
 * JSON object without repeated keys, a known "type", and each field of the
 * right type. Staff sockets (/ws) accept only
 *   {"type":"cmd", "id":"<1-63 visible ASCII>", "csrf":"...", "op":"<op>",
 *    "counter"?: "<id>", ...the op's own fields}
 * and citizen sockets (/ws/t/<token>) only {"type":"rate", "score":1..5}
 * (an "id" string is allowed and echoed). The op's own fields are not judged
 * here: the engine parses them strictly when the command arrives
 * (docs/protocol.md); "by" and "reply_to" are the server's to set and are
 * refused. Whether csrf is the session's token is for the caller of this
 * parser to check (it knows the session); a missing one is refused here.
 *
 * Refusal codes: too-large, bad-json (also: not UTF-8), unknown-type,
 * missing-field, bad-field, csrf. No I/O; fuzzed by fuzz/fuzz_ws_msg.c.
 */
#ifndef JH_WS_MSG_H
#define JH_WS_MSG_H

#include <stddef.h>

#include <cjson/cJSON.h>

#define JH_WS_MSG_MAX 8192
#define JH_WS_FIELDS_MAX 64 /* top-level members of one message */

typedef enum { JH_WS_STAFF, JH_WS_CITIZEN } jh_ws_socket_kind;
typedef enum { JH_WS_CMD, JH_WS_RATE } jh_ws_type;

typedef struct {
    jh_ws_type type;
    char id[64];      /* "" when the message had none (rate) */
    char csrf[64];
    char op[32];
    char counter[32]; /* "" when not given */
    int score;        /* rate */
    cJSON *fields;    /* cmd: the message without type, id and csrf, to send on (owned) */
} jh_ws_msg;

typedef struct {
    char code[24];
    char message[200];
    char id[64]; /* the message's id when it could be read, so the refusal can be matched */
} jh_ws_error;

/* 0 with *m filled (free with jh_ws_msg_clear), or -1 with *e filled and *m empty. */
int jh_ws_msg_parse(const char *buf, size_t len, jh_ws_socket_kind kind, jh_ws_msg *m, jh_ws_error *e);

void jh_ws_msg_clear(jh_ws_msg *m);

#endif
