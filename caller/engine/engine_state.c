/* SPDX-License-Identifier: MIT */
/*
 * engine_state — the retained states and the estimated wait, read from the store.
 *
 * Owns: what state/counter, state/service and state/hall say (filled into the
 * protocol's structs, state_payload.h, and encoded by its codec), the day's
 * running figures of state/hall "today", and the hall as the estimator
 * (ewt.c) sees it: queues, recent service times, counters at work. Reads only;
 * each public call runs in one read transaction.
 */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall_time.h"
#include "state_payload.h"

#define LAST_CALLED_MAX 10

/* ---------- the hall as the estimator sees it ---------- */

/* The queues of `day` and their recent mean service times, into the estimator's snapshot. */
static int snapshot_queues(jh_engine *e, int day, jh_ewt_hall *h)
{
    jh_numbering_row n;
    double mean;
    int n_recent;
    h->n_queues = e->cfg->n_services;
    for (int i = 0; i < e->cfg->n_services; i++) {
        const jh_service_config *s = &e->cfg->services[i];
        if (jh_store_numbering_get(e->st, day, s->code, &n) < 0 ||
            jh_store_recent_service_mean(e->st, s->code, JH_EWT_SAMPLE, &mean, &n_recent) < 0)
            return -1;
        h->q[i].waiting = n.waiting;
        h->q[i].waiting_green = n.waiting_priority;
        h->q[i].mean_s = jh_ewt_service_mean(mean, n_recent, s->target_service_s);
    }
    return 0;
}

/* Counters logged in and not paused, with their serving order and how long
 * their current case should still take (0 with none). */
static int snapshot_counters(jh_engine *e, int64_t now, jh_ewt_hall *h)
{
    h->n_counters = 0;
    if (jh_store_counters_brief(e->st, e->cfg, e->brief) < 0)
        return -1;
    for (int i = 0; i < e->cfg->n_counters; i++) {
        const jh_counter_config *cc = &e->cfg->counters[i];
        const jh_counter_brief *b = &e->brief[i];
        int si = -1;
        if (!b->found || (b->status != JH_CS_IDLE && b->status != JH_CS_SERVING))
            continue;
        jh_ewt_counter *k = &h->c[h->n_counters++];
        memcpy(k->services, cc->services, sizeof k->services);
        k->n_services = cc->n_services;
        k->busy_s = 0;
        if (b->has_ticket)
            eng_service_cfg(e->cfg, b->service, &si);
        if (si >= 0)
            k->busy_s = jh_ewt_remaining(h->q[si].mean_s, (double)(now - b->session_at) / 1000);
    }
    return 0;
}

int eng_ewt_snapshot(jh_engine *e, int day, int64_t now)
{
    return snapshot_queues(e, day, &e->snap) < 0 || snapshot_counters(e, now, &e->snap) < 0 ? -1 : 0;
}

int eng_service_ewt(jh_engine *e, int day, int si, int green, int64_t now, int *ewt)
{
    if (eng_ewt_snapshot(e, day, now) < 0)
        return -1;
    *ewt = jh_ewt_estimate(&e->snap, si, green);
    return 0;
}

/* ---------- state/counter/<id> ---------- */

static char *print_and_free(cJSON *o)
{
    char *s = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return s;
}

static int counter_state_ticket(jh_engine *e, const jh_counter_row *c, int64_t now, jh_counter_state *s)
{
    jh_ticket t;
    int rc = eng_counter_overrun(e, c, now, &t, &s->serving_s, &s->overrun);
    if (rc == 1) {
        snprintf(s->ticket, sizeof s->ticket, "%s", t.label);
        snprintf(s->service, sizeof s->service, "%s", t.service);
        snprintf(s->priority, sizeof s->priority, "%s", eng_prio_name(t.priority));
        s->call_count = t.session_calls;
    }
    return rc;
}

static char *counter_state_reads(jh_engine *e, int ci, int64_t now_ms)
{
    jh_counter_row c;
    jh_counter_state s;
    if (ci < 0 || ci >= e->cfg->n_counters ||
        jh_store_counter_get(e->st, e->cfg->counters[ci].id, &c) != 1)
        return NULL;
    const jh_counter_config *cc = &e->cfg->counters[ci];
    memset(&s, 0, sizeof s);
    snprintf(s.counter, sizeof s.counter, "%s", cc->id);
    s.number = cc->number;
    snprintf(s.name, sizeof s.name, "%s", cc->name_zh);
    snprintf(s.name_en, sizeof s.name_en, "%s", cc->name_en);
    snprintf(s.status, sizeof s.status, "%s", eng_status_word(c.status));
    snprintf(s.staff_id, sizeof s.staff_id, "%s", c.staff_id);
    snprintf(s.staff_name, sizeof s.staff_name, "%s", c.staff_name);
    snprintf(s.message, sizeof s.message, "%s", c.message);
    eng_time(c.since, s.since);
    counter_state_ticket(e, &c, now_ms, &s); /* a ticket that cannot be read shows as none */
    return print_and_free(jh_counter_state_encode(&s));
}

/* ---------- state/service/<code> ---------- */

static void service_state_fields(jh_engine *e, int si, const jh_hall_row *h,
                                 const jh_numbering_row *n, int64_t now, jh_service_state *st)
{
    const jh_service_config *s = &e->cfg->services[si];
    int64_t next_open = 0;
    int open = h->open && jh_service_open_at(s, now, &next_open);
    int number = n->issued == 0 ? s->first_number : n->last_number + 1;
    int can_issue = number <= s->last_number && (s->daily_limit <= 0 || n->issued < s->daily_limit);
    st->open = open;
    eng_time(open || !h->open ? 0 : next_open, st->next_open);
    st->waiting = n->waiting;
    st->waiting_priority = n->waiting_priority;
    if (can_issue)
        eng_format_label(s, number, st->next_ticket, sizeof st->next_ticket);
    snprintf(st->last_called, sizeof st->last_called, "%s", n->last_called);
    st->day = h->day;
}

static char *service_state_reads(jh_engine *e, int si, int64_t now_ms)
{
    jh_hall_row h;
    jh_numbering_row n;
    jh_service_state st;
    int ewt;
    if (si < 0 || si >= e->cfg->n_services || jh_store_hall_get(e->st, &h) < 0)
        return NULL;
    const jh_service_config *s = &e->cfg->services[si];
    if (jh_store_numbering_get(e->st, h.day, s->code, &n) < 0 ||
        eng_service_ewt(e, h.day, si, 0, now_ms, &ewt) < 0)
        return NULL;
    memset(&st, 0, sizeof st);
    snprintf(st.service, sizeof st.service, "%s", s->code);
    snprintf(st.name, sizeof st.name, "%s", s->name_zh);
    snprintf(st.name_en, sizeof st.name_en, "%s", s->name_en);
    service_state_fields(e, si, &h, &n, now_ms, &st);
    st.ewt_s = ewt;
    st.target_service_s = s->target_service_s;
    return print_and_free(jh_service_state_encode(&st));
}

/* ---------- state/hall ---------- */

static int last_called(jh_engine *e, int day, jh_hall_state *hs)
{
    jh_call_row rows[LAST_CALLED_MAX];
    int n;
    if (jh_store_last_calls(e->st, day, rows, LAST_CALLED_MAX, &n) < 0)
        return -1;
    for (int i = 0; i < n && i < JH_LAST_CALLED_CAP; i++) {
        jh_last_call *r = &hs->last_called[i];
        int ci = jh_config_counter_index(e->cfg, rows[i].counter);
        snprintf(r->ticket, sizeof r->ticket, "%s", rows[i].label);
        snprintf(r->counter, sizeof r->counter, "%s", rows[i].counter);
        r->counter_number = ci >= 0 ? e->cfg->counters[ci].number : -1;
        eng_time(rows[i].at, r->at);
        hs->n_last_called = i + 1;
    }
    return 0;
}

/* Nearest-rank p90 of the day's first-call waits from the histogram: the top of
 * the bucket that holds it, so at most JH_WAIT_BUCKET_S above the exact figure. */
static int wait_p90(jh_engine *e, int day, const jh_day_stats *d, int64_t *p90)
{
    int64_t rank = (d->called * 9 + 9) / 10, seen = 0;
    *p90 = 0;
    if (jh_store_wait_hist_get(e->st, day, e->wait_hist) < 0)
        return -1;
    for (int b = 0; b < JH_WAIT_BUCKETS; b++) {
        seen += e->wait_hist[b];
        if (seen >= rank) {
            int64_t top = (int64_t)(b + 1) * JH_WAIT_BUCKET_S - 1;
            *p90 = top < d->wait_max_s ? top : d->wait_max_s;
            break;
        }
    }
    return 0;
}

/* Waiting tickets of the day, and counters by status. */
static int today_live(jh_engine *e, int day, jh_hall_today *t)
{
    jh_numbering_row n;
    int64_t by_status[JH_CS_COUNT] = {0};
    for (int i = 0; i < e->cfg->n_services; i++) {
        if (jh_store_numbering_get(e->st, day, e->cfg->services[i].code, &n) < 0)
            return -1;
        t->waiting += n.waiting;
        t->waiting_green += n.waiting_priority;
    }
    if (jh_store_counters_brief(e->st, e->cfg, e->brief) < 0)
        return -1;
    for (int i = 0; i < e->cfg->n_counters; i++)
        if (e->brief[i].found && (unsigned)e->brief[i].status < JH_CS_COUNT)
            by_status[e->brief[i].status]++;
    t->serving = by_status[JH_CS_SERVING];
    t->counters_open = by_status[JH_CS_IDLE] + by_status[JH_CS_SERVING];
    t->counters_paused = by_status[JH_CS_PAUSED];
    return 0;
}

/* The rounded mean, or null of nothing (a clock set back can make it negative). */
static int64_t mean_of(int64_t sum, int64_t n) { return n > 0 ? (sum + n / 2) / n : JH_COUNT_NULL; }

static void today_figures(const jh_day_stats *d, int64_t p90, jh_hall_today *t)
{
    int64_t judged = d->ratings - d->ratings_flagged;
    t->issued = d->issued;
    t->issued_green = d->issued_green;
    t->served = d->served;
    t->served_green = d->served_green;
    t->no_shows = d->no_shows;
    t->voided = d->voided;
    t->expired = d->expired;
    t->mean_wait_s = mean_of(d->wait_sum_s, d->called);
    t->p90_wait_s = d->called > 0 ? p90 : JH_COUNT_NULL;
    t->max_wait_s = d->called > 0 ? d->wait_max_s : JH_COUNT_NULL;
    t->mean_service_s = mean_of(d->service_sum_s, d->served);
    t->overruns = d->overruns;
    t->ratings = d->ratings;
    /* as the reports: unflagged ratings of 4 or 5, one decimal */
    t->satisfaction_pct = judged > 0 ? (double)((d->satisfied * 1000 + judged / 2) / judged) / 10 : -1;
}

/* state/hall "today": the business day's running figures (docs/engine.md "Live supervision"). */
static int today_reads(jh_engine *e, int day, jh_hall_today *t)
{
    jh_day_stats d;
    int64_t p90;
    if (jh_store_stats_get(e->st, day, &d) < 0 || wait_p90(e, day, &d, &p90) < 0)
        return -1;
    today_figures(&d, p90, t);
    return today_live(e, day, t);
}

static char *hall_state_reads(jh_engine *e, int64_t now_ms)
{
    jh_hall_row h;
    jh_hall_state *hs;
    (void)now_ms;
    if (jh_store_hall_get(e->st, &h) < 0 || !(hs = calloc(1, sizeof *hs)))
        return NULL;
    char *text = NULL;
    if (last_called(e, h.day, hs) == 0 && today_reads(e, h.day, &hs->today) == 0) {
        snprintf(hs->site, sizeof hs->site, "%s", e->cfg->site);
        snprintf(hs->name, sizeof hs->name, "%s", e->cfg->name_zh);
        snprintf(hs->name_en, sizeof hs->name_en, "%s", e->cfg->name_en);
        hs->open = h.open;
        snprintf(hs->notice, sizeof hs->notice, "%s", h.notice);
        hs->day = h.day;
        hs->seq = h.seq;
        text = print_and_free(jh_hall_state_encode(hs));
    }
    free(hs);
    return text;
}

/* ---------- estimated wait, explained ---------- */

static int estimate_reads(jh_engine *e, int si, int green, int64_t now_ms, jh_estimate *out)
{
    jh_hall_row h;
    memset(out, 0, sizeof *out);
    if (si < 0 || si >= e->cfg->n_services || jh_store_hall_get(e->st, &h) < 0 ||
        eng_ewt_snapshot(e, h.day, now_ms) < 0)
        return -1;
    const jh_ewt_queue *q = &e->snap.q[si];
    out->ahead = green ? q->waiting_green : q->waiting;
    out->open_counters = jh_ewt_counters_for(&e->snap, si);
    out->mean_service_s = q->mean_s;
    out->ewt_s = jh_ewt_estimate(&e->snap, si, green);
    out->simple_s = jh_ewt_seconds(out->ahead, q->mean_s, out->open_counters);
    return 0;
}

/* The front calls these outside any command, a whole round after each one;
 * each reads every counter (and its ticket), so each runs in one read
 * transaction rather than a few hundred auto-commit statements. */
char *jh_engine_counter_state(jh_engine *e, int ci, int64_t now_ms)
{
    int began = jh_store_read_begin(e->st);
    char *s = counter_state_reads(e, ci, now_ms);
    jh_store_read_end(e->st, began);
    return s;
}

char *jh_engine_service_state(jh_engine *e, int si, int64_t now_ms)
{
    int began = jh_store_read_begin(e->st);
    char *s = service_state_reads(e, si, now_ms);
    jh_store_read_end(e->st, began);
    return s;
}

char *jh_engine_hall_state(jh_engine *e, int64_t now_ms)
{
    int began = jh_store_read_begin(e->st);
    char *s = hall_state_reads(e, now_ms);
    jh_store_read_end(e->st, began);
    return s;
}

int jh_engine_estimate(jh_engine *e, int si, int green, int64_t now_ms, jh_estimate *out)
{
    int began = jh_store_read_begin(e->st);
    int rc = estimate_reads(e, si, green, now_ms, out);
    jh_store_read_end(e->st, began);
    return rc;
}
