/* SPDX-License-Identifier: MIT */
/*
 * sim_engine — the engine in this process as the hall a simulated day is
 * played in (jh_sim_run, sim_run.h).
 *
 * Does what jiaohao-caller --sim-clock does with the same commands, without
 * the broker: applies each at the clock's moment, ticks as sim_clock.h says,
 * and hands the outbox on as the daemon would (counting the alerts), so the
 * store ends the same as the daemon's. It can also say what a take would be
 * promised (jh_engine_estimate), which the daemon does not publish.
 */
#include <stdlib.h>
#include <string.h>

#include "sim_clock.h"
#include "sim_run.h"

typedef struct {
    jh_engine *e;
    int64_t now;
    int started; /* the clock is unset until the first advance */
    int alerts_wait, alerts_overrun;
} engine_hall;

static char *engine_send(void *ctx, const jh_origin *origin, const jh_command *cmd, char *err,
                         size_t errlen)
{
    engine_hall *h = ctx;
    jh_outcome out;
    char *reply = NULL;
    if (jh_engine_apply(h->e, origin, cmd, h->now, &out, err, errlen) == 0) {
        reply = out.reply;
        out.reply = NULL;
    }
    jh_outcome_free(&out);
    return reply;
}

/* Hands the outbox on as the daemon would, counting the alerts. */
static void drain_outbox(engine_hall *h)
{
    jh_event ev;
    int64_t last = 0;
    while (jh_engine_outbox_next(h->e, last, &ev) == 1) {
        last = ev.seq;
        if (!strcmp(ev.kind, "alert")) {
            int wait = strstr(ev.payload, "\"kind\":\"long-wait\"") != NULL;
            h->alerts_wait += wait;
            h->alerts_overrun += !wait;
        }
        jh_event_free(&ev);
    }
    if (last)
        jh_engine_outbox_ack(h->e, last);
}

static int engine_tick(void *ctx, int64_t at, char *err, size_t errlen)
{
    engine_hall *h = ctx;
    jh_outcome out;
    int rc = jh_engine_tick(h->e, at, &out, err, errlen);
    jh_outcome_free(&out);
    if (rc == 0)
        drain_outbox(h);
    return rc;
}

static int engine_advance(void *ctx, int64_t to, char *err, size_t errlen)
{
    engine_hall *h = ctx;
    if (!h->started) { /* like a daemon started with --sim-clock at `to` */
        h->started = 1;
        h->now = to;
        return 0;
    }
    return jh_sim_clock_advance(&h->now, to, engine_tick, h, err, errlen) < 0 ? -1 : 0;
}

static int engine_estimate(void *ctx, int service, int green, jh_estimate *out)
{
    engine_hall *h = ctx;
    return jh_engine_estimate(h->e, service, green, h->now, out);
}

static void engine_alerts(void *ctx, int *long_wait, int *overrun)
{
    engine_hall *h = ctx;
    *long_wait = h->alerts_wait;
    *overrun = h->alerts_overrun;
}

int jh_sim_run(jh_engine *e, const jh_hall_config *cfg, const jh_sim_day *day,
               jh_sim_result *res, char *err, size_t errlen)
{
    engine_hall h = {.e = e};
    jh_sim_hall hall = {&h, engine_send, engine_advance, engine_estimate, engine_alerts};
    return jh_sim_play(&hall, cfg, day, res, err, errlen);
}
