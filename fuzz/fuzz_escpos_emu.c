/* SPDX-License-Identifier: MIT */
/*
 * fuzz_escpos_emu — the printer emulator's ESC/POS interpreter and real-time
 * scanner on arbitrary bytes, split into arbitrary reads (the first byte
 * picks the paper width and the read size), with every cut ticket turned
 * into its JSON record as the emulator does.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "emu_escpos.h"
#include "emu_json.h"
#include "fuzz_target.h"

static void on_ticket(const jh_emu_ticket *t, void *ctx)
{
    (void)ctx;
    free(jh_emu_ticket_json(t, 1, 48));
}

static void on_gs_r(int n, void *ctx)
{
    (void)n;
    (void)ctx;
}

static void on_dle_eot(int n, void *ctx)
{
    if (n < 1 || n > 4)
        abort();
    ++*(int *)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    jh_emu_hooks hooks = {.on_ticket = on_ticket, .on_gs_r = on_gs_r};
    jh_emu_parser *p = jh_emu_parser_new(data[0] & 1 ? 32 : 48, &hooks);
    if (!p)
        return 0;
    size_t step = (data[0] >> 1) + 1;
    jh_emu_rt rt = {0};
    int hits = 0;
    for (size_t i = 1; i < size; i += step) {
        size_t n = size - i < step ? size - i : step;
        jh_emu_rt_scan(&rt, data + i, n, on_dle_eot, &hits);
        jh_emu_parser_feed(p, data + i, n);
    }
    free(jh_emu_ticket_json(jh_emu_parser_pending(p), 0, 48));
    jh_emu_parser_free(p);
    return 0;
}
