/* SPDX-License-Identifier: MIT */
/*
 * fuzz_display_state — the boards' parser of the caller's state and events.
 *
 * One input is a sequence of messages separated by 0x1E; in each, the first
 * byte picks a topic (state/counter/…, state/service/…, state/hall,
 * status/caller, event/…, foreign or malformed topics) and the rest is the
 * payload. Every message goes through jh_board_apply on one board, so the
 * fuzzer explores sequences (history merging, seq gaps, resets), and each call
 * it yields is composed into a voice script as the app would.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "board_state.h"
#include "voice.h"
#include "fuzz_target.h"

static const char *topics[] = {
    "jh/v1/f/state/counter/c01", "jh/v1/f/state/counter/c02", "jh/v1/f/state/counter/x-9",
    "jh/v1/f/state/service/A",   "jh/v1/f/state/service/QY",  "jh/v1/f/state/hall",
    "jh/v1/f/status/caller",     "jh/v1/f/event/called",      "jh/v1/f/event/recalled",
    "jh/v1/f/event/finished",    "jh/v1/f/event/",            "jh/v1/f/state/counter/a/b",
    "jh/v1/g/state/hall",        "jh/v1/f",                   "",
    "jh/v1/f/state/counter/c0123456789012345678901234567890",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static jh_board *b;
    static jh_voice_script script;
    if (!b)
        b = malloc(sizeof *b);
    jh_board_init(b, "f");
    size_t at = 0;
    while (at < size) {
        const uint8_t *end = memchr(data + at, 0x1E, size - at);
        size_t len = end ? (size_t)(end - (data + at)) : size - at;
        if (len > 0) {
            const char *topic = topics[data[at] % (sizeof topics / sizeof topics[0])];
            jh_board_update up;
            char err[256];
            if (jh_board_apply(b, topic, data + at + 1, len - 1, &up, err, sizeof err) == 0 &&
                up.kind == JH_UPDATE_CALL)
                jh_voice_compose(&script, up.call.ticket, up.call.counter_number, 2, err, sizeof err);
        }
        at += len + 1;
    }
    for (int i = 0; i < b->n_counters; i++) /* everything stored is clean, terminated text */
        if (strlen(b->counters[i].message) >= sizeof b->counters[i].message)
            abort();
    return 0;
}
