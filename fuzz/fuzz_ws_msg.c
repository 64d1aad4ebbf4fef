/* SPDX-License-Identifier: MIT */
/*
 * fuzz_ws_msg — libFuzzer target for the console's browser message parser (web/ws_msg.c).
 *
 * Feeds arbitrary bytes as a message on a staff socket and on a citizen
 * socket. Beyond "no crash, no sanitizer report", it checks what jiaohao-web
 * relies on: every refusal has a code and a message and leaves nothing to
 * free; an accepted command has an id, a csrf and an op, and what it would
 * send on is a JSON object without the browser's type/id/csrf and without
 * by/reply_to; a role check on it never fails to answer; an accepted rating
 * has a score 1..5.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"
#include "role_check.h"
#include "ws_msg.h"

static void check_cmd(const jh_ws_msg *m)
{
    if (!m->id[0] || !m->csrf[0] || !m->op[0] || !cJSON_IsObject(m->fields))
        abort();
    static const char *const gone[] = {"type", "id", "csrf", "by", "reply_to"};
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        if (cJSON_GetObjectItemCaseSensitive(m->fields, gone[i]))
            abort();
    char *text = cJSON_PrintUnformatted(m->fields);
    if (!text)
        abort();
    free(text);
    jh_asker who = {.roles = JH_ROLE_STAFF | JH_ROLE_SUPERVISOR, .counter = "c01"};
    jh_route r;
    char code[32] = "", why[200] = "";
    if (jh_role_check(&who, m->op, m->counter, &r, code, sizeof code, why, sizeof why) != 0 &&
        (!code[0] || !why[0]))
        abort();
}

static void check_one(const uint8_t *data, size_t size, jh_ws_socket_kind kind)
{
    jh_ws_msg m;
    jh_ws_error e;
    if (jh_ws_msg_parse((const char *)data, size, kind, &m, &e) != 0) {
        if (!e.code[0] || !e.message[0] || m.fields)
            abort();
        return;
    }
    if (kind == JH_WS_STAFF)
        check_cmd(&m);
    else if (m.type != JH_WS_RATE || m.score < 1 || m.score > 5 || m.fields)
        abort();
    jh_ws_msg_clear(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_one(data, size, JH_WS_STAFF);
    check_one(data, size, JH_WS_CITIZEN);
    return 0;
}
