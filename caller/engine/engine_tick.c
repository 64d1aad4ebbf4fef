/* SPDX-License-Identifier: MIT */
/*
 * engine_tick — time passing: the day rollover, what tick marks dirty, and alerts.
 *
 * Owns: when the business day moves on (lazily, on the first apply or tick
 * of the new day: yesterday's open tickets expire, counters reset, old
 * command records and events are pruned), which retained states a second's
 * passing changed (a service opening or closing, its estimated wait, a
 * counter starting to overrun), and the alerts of live supervision, each
 * sent once per ticket: long-wait and overrun (and, engine_auth.c's, once
 * per lock: staff-locked).
 */
#include "engine_int.h"

#include <stdio.h>
#include <string.h>

#include "hall_time.h"

#define COMMAND_KEEP_MS (48LL * 3600 * 1000) /* resends come within seconds; two days is ample */
#define EVENT_KEEP_MS (7LL * 24 * 3600 * 1000)
#define ALERT_BATCH 64 /* long-wait alerts per tick; the rest follow on the next ticks */

int eng_rollover(jh_engine *e, int64_t now, jh_outcome *out, int *day)
{
    jh_hall_row h;
    if (jh_store_hall_get(e->st, &h) < 0)
        return -1;
    int today = jh_business_day(e->cfg, now);
    /* Only forward: a clock set back must not reopen a finished day's numbering. */
    if (today <= h.day) {
        *day = h.day;
        return 0;
    }
    h.day = *day = today;
    if (jh_store_expire_before(e->st, today, NULL) < 0 ||
        jh_store_waiting_clear_before(e->st, today) < 0 ||
        jh_store_counters_reset(e->st, now) < 0 ||
        jh_store_command_prune(e->st, now - COMMAND_KEEP_MS) < 0 ||
        jh_store_event_prune(e->st, now - EVENT_KEEP_MS) < 0 || jh_store_hall_set(e->st, &h) < 0)
        return -1;
    eng_mark_all(e->cfg, out);
    return 0;
}

static int tick_rollover(jh_engine *e, int64_t now, jh_outcome *out)
{
    jh_hall_row h;
    int day;
    if (jh_store_hall_get(e->st, &h) < 0)
        return -1;
    if (jh_business_day(e->cfg, now) <= h.day)
        return 0;
    if (jh_store_begin(e->st) < 0)
        return -1;
    if (eng_rollover(e, now, out, &day) < 0 || jh_store_commit(e->st) < 0) {
        jh_store_rollback(e->st);
        memset(out, 0, sizeof *out);
        return -1;
    }
    return 0;
}

/* Marks services whose openness or estimated wait changed since the last tick. */
static int tick_services(jh_engine *e, int64_t now, jh_outcome *out)
{
    jh_hall_row h;
    if (jh_store_hall_get(e->st, &h) < 0 || eng_ewt_snapshot(e, h.day, now) < 0)
        return -1;
    for (int i = 0; i < e->cfg->n_services; i++) {
        const jh_service_config *s = &e->cfg->services[i];
        int open = h.open && jh_service_open_at(s, now, NULL);
        int ewt = jh_ewt_estimate(&e->snap, i, 0);
        if (open != e->svc_open[i] || ewt != e->svc_ewt[i])
            out->service_dirty[i] = 1;
        e->svc_open[i] = (signed char)open;
        e->svc_ewt[i] = ewt;
    }
    return 0;
}

int eng_counter_overrun(jh_engine *e, const jh_counter_row *c, int64_t now, jh_ticket *t,
                        int *serving_s, int *overrun)
{
    *serving_s = *overrun = 0;
    int rc = c->ticket_id ? jh_store_ticket_by_id(e->st, c->ticket_id, t) : 0;
    if (rc <= 0)
        return rc;
    const jh_service_config *s = eng_service_cfg(e->cfg, t->service, NULL);
    *serving_s = (int)((now - t->session_at) / 1000);
    *overrun = s && s->target_service_s > 0 && *serving_s > s->target_service_s;
    return 1;
}

/* Marks counters whose overrun flipped; lists the overrunning tickets not yet alerted. */
static int tick_counters(jh_engine *e, int64_t now, jh_outcome *out, int64_t *to_alert, int *n_alert)
{
    jh_counter_row c;
    jh_ticket t;
    int serving_s, overrun;
    *n_alert = 0;
    for (int i = 0; i < e->cfg->n_counters; i++) {
        int rc = jh_store_counter_get(e->st, e->cfg->counters[i].id, &c);
        if (rc < 0 || (rc && eng_counter_overrun(e, &c, now, &t, &serving_s, &overrun) < 0))
            return -1;
        if (rc == 0)
            overrun = 0;
        if (overrun != e->ctr_overrun[i])
            out->counter_dirty[i] = 1;
        e->ctr_overrun[i] = (signed char)overrun;
        if (overrun && !t.overrun_alerted)
            to_alert[(*n_alert)++] = t.id;
    }
    return 0;
}

/* ---------- alerts (live supervision) ---------- */

static void alert_ticket_fields(eng_op *x, jh_event_kind kind, const jh_ticket *t, jh_event_payload *ev)
{
    eng_event_init(x, kind, ev);
    snprintf(ev->ticket, sizeof ev->ticket, "%s", t->label);
    eng_service_ident(x->cfg, t->service, ev);
    snprintf(ev->priority, sizeof ev->priority, "%s", eng_prio_name(t->priority));
}

/* A ticket waiting past [dispatch] wait_alert_minutes: event alert, kind long-wait. */
static int alert_long_wait(eng_op *x, int64_t id)
{
    jh_ticket t;
    jh_event_payload ev;
    if (jh_store_ticket_by_id(x->st, id, &t) != 1)
        return -1;
    t.wait_alerted = 1;
    jh_day_stats d = {.alerts_wait = 1};
    if (jh_store_ticket_update(x->st, &t) < 0 || jh_store_stats_add(x->st, t.day, &d) < 0)
        return -1;
    alert_ticket_fields(x, JH_EVENT_ALERT_LONG_WAIT, &t, &ev);
    /* a transfer directed at one counter names it; else null */
    snprintf(ev.counter, sizeof ev.counter, "%s", t.target_counter);
    ev.waited_s = x->now > t.queue_key ? (int)((x->now - t.queue_key) / 1000) : 0;
    ev.limit_s = x->cfg->wait_alert_s;
    return eng_event_emit(x, &ev, 0);
}

/* A counter's current service past its service's target: event alert, kind overrun. */
static int alert_overrun(eng_op *x, int64_t id)
{
    jh_ticket t;
    jh_event_payload ev;
    if (jh_store_ticket_by_id(x->st, id, &t) != 1)
        return -1;
    const jh_service_config *s = eng_service_cfg(x->cfg, t.service, NULL);
    t.overrun_alerted = 1;
    jh_day_stats d = {.alerts_overrun = 1};
    if (jh_store_ticket_update(x->st, &t) < 0 || jh_store_stats_add(x->st, t.day, &d) < 0)
        return -1;
    alert_ticket_fields(x, JH_EVENT_ALERT_OVERRUN, &t, &ev);
    eng_counter_ident(x->cfg, t.counter, &ev);
    snprintf(ev.staff_id, sizeof ev.staff_id, "%s", t.staff_id);
    ev.serving_s = (int)((x->now - t.session_at) / 1000);
    ev.limit_s = s ? s->target_service_s : 0;
    return eng_event_emit(x, &ev, 0);
}

static int alerts_in_tx(eng_op *x, const jh_queue_head *waits, int n_waits, const int64_t *overruns,
                        int n_overruns)
{
    for (int i = 0; i < n_waits; i++)
        if (alert_long_wait(x, waits[i].id) < 0)
            return -1;
    for (int i = 0; i < n_overruns; i++)
        if (alert_overrun(x, overruns[i]) < 0)
            return -1;
    return 0;
}

/* Sends each due alert once: the mark on the ticket and the event commit together. */
static int tick_alerts(jh_engine *e, int64_t now, jh_outcome *out, const int64_t *overruns,
                       int n_overruns)
{
    jh_queue_head waits[ALERT_BATCH];
    int n_waits;
    eng_op x;
    if (jh_store_wait_due(e->st, now - e->cfg->wait_alert_s * 1000LL, waits, ALERT_BATCH,
                          &n_waits) < 0)
        return -1;
    if (n_waits == 0 && n_overruns == 0)
        return 0;
    memset(&x, 0, sizeof x);
    x.e = e;
    x.cfg = e->cfg;
    x.st = e->st;
    x.now = now;
    x.out = out;
    if (jh_store_begin(e->st) < 0)
        return -1;
    if (alerts_in_tx(&x, waits, n_waits, overruns, n_overruns) < 0 || jh_store_commit(e->st) < 0) {
        jh_store_rollback(e->st);
        out->n_events = 0;
        return -1;
    }
    return 0;
}

/* Once a second over every counter: one read transaction, as for the states;
 * it ends before tick_alerts begins its write transaction. */
static int tick_reads(jh_engine *e, int64_t now, jh_outcome *out, int64_t *overruns, int *n_overruns)
{
    int began = jh_store_read_begin(e->st);
    int rc = tick_services(e, now, out) < 0 || tick_counters(e, now, out, overruns, n_overruns) < 0
                 ? -1
                 : 0;
    jh_store_read_end(e->st, began);
    return rc;
}

/* The [staff] roster's new rows, when no command has written them yet. */
static int tick_seed(jh_engine *e, int64_t now)
{
    jh_hall_row h;
    if (!e->seed)
        return 0;
    if (jh_store_begin(e->st) < 0)
        return -1;
    if (jh_store_hall_get(e->st, &h) < 0 || eng_roster_seed_write(e, now, h.day) < 0 ||
        jh_store_commit(e->st) < 0) {
        jh_store_rollback(e->st);
        return -1;
    }
    eng_roster_seed_free(e);
    return 0;
}

int jh_engine_tick(jh_engine *e, int64_t now_ms, jh_outcome *out, char *err, size_t errlen)
{
    int64_t overruns[JH_MAX_COUNTERS];
    int n_overruns;
    memset(out, 0, sizeof *out);
    if (tick_rollover(e, now_ms, out) < 0 || tick_seed(e, now_ms) < 0 ||
        tick_reads(e, now_ms, out, overruns, &n_overruns) < 0 ||
        tick_alerts(e, now_ms, out, overruns, n_overruns) < 0 ||
        eng_staff_lock_alerts(e, now_ms, out) < 0) {
        snprintf(err, errlen, "store: %s", jh_store_errmsg(e->st));
        return -1;
    }
    return 0;
}
