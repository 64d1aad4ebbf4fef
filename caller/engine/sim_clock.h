/* SPDX-License-Identifier: MIT */
/*
 * sim_clock — how time passes in a simulated hall: only when told.
 *
 * Owns the one rule both simulated halls follow, so a day played through the
 * engine directly (sim_run.c) and the same day played through jiaohao-caller
 * --sim-clock over MQTT (mqtt_front.c, the admin op `clock`) tick the engine
 * at the same moments and end with the same store: moving the clock from
 * `now` to `to` ticks the engine at every multiple of JH_SIM_TICK_MS (epoch
 * ms) in (now, to], in order, each at its own moment. A real daemon ticks
 * about once a wall-clock second; 15 virtual seconds keeps a day's ticks
 * cheap while every alert still comes within 15 s of its moment.
 */
#ifndef JH_SIM_CLOCK_H
#define JH_SIM_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "hall_config.h"

#define JH_SIM_TICK_MS 15000

/* One engine tick at `at`; 0, or -1 with a message in err. */
typedef int (*jh_sim_tick_fn)(void *ctx, int64_t at, char *err, size_t errlen);

/*
 * Moves *now forward to `to`, ticking on the way. Returns the number of
 * ticks, or -1 with a message when `to` is before *now (the clock never goes
 * back) or a tick failed (then *now is the moment of the last good tick).
 */
int jh_sim_clock_advance(int64_t *now, int64_t to, jh_sim_tick_fn tick, void *ctx, char *err,
                         size_t errlen);

/*
 * Where the simulated clock of business day YYYYMMDD starts: that date at
 * [hall] reset_at, hall time (the process zone must be the hall's). Both the
 * daemon's `--sim-clock DATE` and the engine-level driver start there, so
 * neither ticks before the other. -1 when the date is not a real one.
 */
int64_t jh_sim_clock_day_start(const jh_hall_config *cfg, int yyyymmdd);

#endif
