/* SPDX-License-Identifier: MIT */
/*
 * sim_clock — see sim_clock.h. The ticks sit on a fixed grid (multiples of
 * JH_SIM_TICK_MS since the epoch) rather than counting from wherever a clock
 * started, so where a simulation began never shifts them.
 */
#include "sim_clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int jh_sim_clock_advance(int64_t *now, int64_t to, jh_sim_tick_fn tick, void *ctx, char *err,
                         size_t errlen)
{
    if (to < *now) {
        snprintf(err, errlen, "the clock is at %lld ms and never goes back (asked for %lld)",
                 (long long)*now, (long long)to);
        return -1;
    }
    int n = 0;
    int64_t t = (*now / JH_SIM_TICK_MS + 1) * JH_SIM_TICK_MS;
    for (; t <= to; t += JH_SIM_TICK_MS, n++) {
        if (tick(ctx, t, err, errlen) < 0)
            return -1;
        *now = t;
    }
    *now = to;
    return n;
}

int64_t jh_sim_clock_day_start(const jh_hall_config *cfg, int yyyymmdd)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = yyyymmdd / 10000 - 1900;
    tm.tm_mon = yyyymmdd / 100 % 100 - 1;
    tm.tm_mday = yyyymmdd % 100;
    tm.tm_min = cfg->reset_min; /* mktime carries minutes past 59 into hours, and resolves DST */
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    return t == (time_t)-1 ? -1 : (int64_t)t * 1000;
}
