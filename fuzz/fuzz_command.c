/* SPDX-License-Identifier: MIT */
/*
 * fuzz_command — libFuzzer target for the command parser (common/protocol/protocol.c).
 *
 * Feeds arbitrary bytes as a payload from each origin kind. Beyond "no crash,
 * no sanitizer report", it checks two properties the daemon relies on: every
 * refusal has a code and a message, and every accepted command survives
 * jh_command_to_json → jh_command_parse unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"
#include "fuzz_target.h"

static void check_one(const uint8_t *data, size_t size, const jh_origin *origin)
{
    jh_command cmd, again;
    jh_error err;
    if (jh_command_parse((const char *)data, size, origin, &cmd, &err) != 0) {
        if (!err.code[0] || !err.message[0])
            abort();
        char *reply = jh_reply_error_json(cmd.id, &err);
        if (!reply)
            abort();
        free(reply);
        return;
    }
    char *json = jh_command_to_json(&cmd);
    if (!json)
        abort();
    if (jh_command_parse(json, strlen(json), origin, &again, &err) != 0 ||
        memcmp(&cmd, &again, sizeof cmd) != 0)
        abort();
    free(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const jh_origin origins[] = {
        {JH_ORIGIN_KIOSK, "k1"}, {JH_ORIGIN_COUNTER, "c03"}, {JH_ORIGIN_ADMIN, "admin"}};
    for (size_t i = 0; i < 3; i++)
        check_one(data, size, &origins[i]);
    return 0;
}
