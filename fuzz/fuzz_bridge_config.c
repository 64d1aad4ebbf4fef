/* SPDX-License-Identifier: MIT */
/*
 * fuzz_bridge_config — libFuzzer target for the [bridge <id>] reader
 * (firmware-bridge/bridge_config.c).
 *
 * Feeds arbitrary bytes to jh_bridge_config_parse from an exact-size heap
 * copy, so any read past the end is caught by ASan. Beyond "no crash, no
 * sanitizer report" it checks what bridge_main.c relies on: a refusal comes
 * with a message naming the file, and an accepted section has a valid id,
 * 1..32 devices at distinct addresses 1..247 of a known kind, a standard baud
 * rate and bus timing the master accepts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge_config.h"
#include "protocol.h"
#include "fuzz_target.h"

static void check(const jh_bridge_config *bc)
{
    bus_master m;
    if (!jh_valid_id(bc->id) || bc->n_dev < 1 || bc->n_dev > BM_MAX_DEVICES ||
        !jh_serial_baud_valid(bc->baud) || bm_init(&m, &bc->bus) != 0 ||
        !memchr(bc->device, 0, sizeof bc->device) || bc->status_interval_s < 1)
        abort();
    for (int i = 0; i < bc->n_dev; i++) {
        const jh_bridge_device *d = &bc->dev[i];
        if (d->addr < BUS_ADDR_MIN || d->addr > BUS_ADDR_MAX || !jh_valid_id(d->counter) ||
            (d->type != BUS_DEV_KEYPAD && d->type != BUS_DEV_RATING_PAD) ||
            bm_add_device(&m, (uint8_t)d->addr, (uint8_t)d->type) != 0)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static jh_bridge_config bc;
    char err[512];
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    /* Both ways of choosing the section: the first one, and by id. */
    for (int by_id = 0; by_id < 2; by_id++) {
        err[0] = '\0';
        if (jh_bridge_config_parse(&bc, text, size, "f.ini", by_id ? "b1" : NULL, err, sizeof err) == 0)
            check(&bc);
        else if (strncmp(err, "f.ini", 5) != 0 || strchr(err, '\n'))
            abort();
    }
    free(text);
    return 0;
}
