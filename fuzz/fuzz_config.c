/* SPDX-License-Identifier: MIT */
/*
 * fuzz_config — libFuzzer target for the hall config reader (common/config: ini_reader.c,
 * hall_keys.c, hall_checks.c).
 *
 * Feeds arbitrary bytes to jh_config_parse from an exact-size heap copy, so any
 * read past the end is caught by ASan. Beyond "no crash, no sanitizer report" it
 * checks what callers rely on: a refusal always comes with a one-line message
 * starting with the file name, and an accepted hall is internally consistent
 * (counts in range, counter services point at real services, hours well-formed,
 * every text NUL-terminated within its field).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hall_config.h"
#include "fuzz_target.h"

static void check_hall(const jh_hall_config *c)
{
    if (c->n_services < 1 || c->n_services > JH_MAX_SERVICES || c->n_counters < 0 ||
        c->n_counters > JH_MAX_COUNTERS || c->n_kiosks < 0 || c->n_kiosks > JH_MAX_KIOSKS)
        abort();
    if (!memchr(c->site, 0, sizeof c->site) || !memchr(c->name_zh, 0, sizeof c->name_zh) ||
        c->reset_min < 0 || c->reset_min >= 24 * 60 || c->broker_port < 1 || c->broker_port > 65535)
        abort();
    for (int i = 0; i < c->n_services; i++) {
        const jh_service_config *s = &c->services[i];
        if (s->first_number < 1 || s->first_number > s->last_number || s->daily_limit < 1 ||
            s->daily_limit > s->last_number - s->first_number + 1 || s->width < 1 || s->width > 6 ||
            s->n_materials < 0 || s->n_materials > JH_MAX_MATERIALS)
            abort();
        for (int d = 0; d < 7; d++) {
            if (s->n_hours[d] < 0 || s->n_hours[d] > JH_MAX_HOURS_PER_DAY)
                abort();
            for (int h = 0; h < s->n_hours[d]; h++) {
                const jh_hours *w = &s->hours[d][h];
                if (w->open_min < c->reset_min || w->open_min >= w->close_min ||
                    w->close_min > 24 * 60 || (h > 0 && s->hours[d][h - 1].close_min > w->open_min))
                    abort();
            }
        }
    }
    for (int i = 0; i < c->n_counters; i++) {
        const jh_counter_config *k = &c->counters[i];
        if (k->n_services < 1 || k->n_services > c->n_services)
            abort();
        for (int j = 0; j < k->n_services; j++)
            if (k->services[j] < 0 || k->services[j] >= c->n_services)
                abort();
        if (jh_config_counter_index(c, k->id) != i)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static jh_hall_config *cfg;
    if (!cfg && !(cfg = calloc(1, sizeof *cfg)))
        abort();
    char *copy = malloc(size ? size : 1);
    if (!copy)
        abort();
    memcpy(copy, data, size);
    char err[512];
    err[0] = '\0';
    if (jh_config_parse(cfg, copy, size, "f.ini", err, sizeof err) == 0)
        check_hall(cfg);
    else if (strncmp(err, "f.ini", 5) != 0 || strchr(err, '\n'))
        abort();
    free(copy);
    return 0;
}
