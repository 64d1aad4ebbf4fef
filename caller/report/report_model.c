/* SPDX-License-Identifier: MIT */
/*
 * report_model — attribution of tickets, pauses and logins to report rows
 * (see report_model.h and docs/reports.md "Definitions").
 */
#include "report_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall_time.h"
#include "ticket_store.h"

/* ---- groups ---- */

static void group_free(jh_report_group *g)
{
    jh_sample_free(&g->wait);
    jh_sample_free(&g->wait_green);
    jh_sample_free(&g->wait_normal);
    jh_sample_free(&g->service);
}

static void list_free(jh_group_list *l)
{
    for (int i = 0; i < l->n; i++)
        group_free(&l->g[i]);
    free(l->g);
    *l = (jh_group_list){0};
}

/* The row with `key`, added (with `order`) when missing; NULL when out of memory. */
static jh_report_group *list_get(jh_group_list *l, const char *key, int order)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->g[i].key, key) == 0)
            return &l->g[i];
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 16;
        jh_report_group *g = realloc(l->g, (size_t)cap * sizeof *g);
        if (!g)
            return NULL;
        l->g = g;
        l->cap = cap;
    }
    jh_report_group *g = &l->g[l->n++];
    memset(g, 0, sizeof *g);
    snprintf(g->key, sizeof g->key, "%s", key);
    snprintf(g->name_zh, sizeof g->name_zh, "%s", key);
    g->order = order;
    return g;
}

static int by_order(const void *a, const void *b)
{
    const jh_report_group *x = a, *y = b;
    return x->order != y->order ? (x->order > y->order) - (x->order < y->order)
                                : strcmp(x->key, y->key);
}

/* Rows that are neither configured nor in the config come last, by key. */
#define UNCONFIGURED_ORDER 1000000

/* ---- set-up ---- */

static int add_configured(jh_report *r)
{
    const jh_hall_config *cfg = r->cfg;
    for (int i = 0; i < cfg->n_counters; i++) {
        const jh_counter_config *c = &cfg->counters[i];
        jh_report_group *g = list_get(&r->counters, c->id, c->number);
        if (!g)
            return -1;
        snprintf(g->name_zh, sizeof g->name_zh, "%s", c->name_zh);
        snprintf(g->name_en, sizeof g->name_en, "%s", c->name_en);
    }
    for (int i = 0; i < cfg->n_services; i++) {
        const jh_service_config *s = &cfg->services[i];
        jh_report_group *g = list_get(&r->services, s->code, i);
        if (!g)
            return -1;
        snprintf(g->name_zh, sizeof g->name_zh, "%s", s->name_zh);
        snprintf(g->name_en, sizeof g->name_en, "%s", s->name_en);
        g->target_s = s->target_service_s;
    }
    return 0;
}

static int add_days(jh_report *r)
{
    for (int i = 0; i < r->period.n_days; i++) {
        int day = jh_day_add(r->period.first_day, i);
        char key[16];
        snprintf(key, sizeof key, "%d", day);
        jh_report_group *g = list_get(&r->days, key, day);
        if (!g)
            return -1;
        jh_day_text(day, g->name_zh, sizeof g->name_zh);
        /* a copy, not snprintf: within one struct gcc -O0 cannot rule out overlap (-Wrestrict) */
        memcpy(g->name_en, g->name_zh, sizeof g->name_en);
    }
    return 0;
}

int jh_report_init(jh_report *r, const jh_hall_config *cfg, const jh_period *period,
                   int64_t now_ms, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    r->cfg = cfg;
    r->period = *period;
    r->now_ms = now_ms;
    snprintf(r->summary.key, sizeof r->summary.key, "all");
    snprintf(r->summary.name_zh, sizeof r->summary.name_zh, "%s", cfg->name_zh);
    snprintf(r->summary.name_en, sizeof r->summary.name_en, "%s", cfg->name_en);
    for (int h = 0; h < 24; h++) {
        jh_report_group *g = &r->hours[h];
        snprintf(g->key, sizeof g->key, "%02d", h);
        snprintf(g->name_zh, sizeof g->name_zh, "%02d:00–%02d:00", h, h + 1);
        /* a copy, not snprintf: within one struct gcc -O0 cannot rule out overlap (-Wrestrict) */
        memcpy(g->name_en, g->name_zh, sizeof g->name_en);
        g->order = h;
    }
    if (cfg->timezone[0] && jh_time_set_zone(cfg->timezone, err, errlen) < 0)
        return -1;
    if (add_configured(r) < 0 || add_days(r) < 0) {
        snprintf(err, errlen, "out of memory");
        jh_report_free(r);
        return -1;
    }
    return 0;
}

void jh_report_free(jh_report *r)
{
    group_free(&r->summary);
    for (int h = 0; h < 24; h++)
        group_free(&r->hours[h]);
    list_free(&r->counters);
    list_free(&r->staff);
    list_free(&r->services);
    list_free(&r->days);
    free(r->pause_rows);
    free(r->flagged);
    r->pause_rows = NULL;
    r->flagged = NULL;
}

/* ---- tickets ---- */

static int hour_of(int64_t t_ms)
{
    int weekday, minute;
    jh_local_weekday_minute(t_ms, &weekday, &minute);
    return minute / 60;
}

static int is_status(const char *status, jh_ticket_status s)
{
    return strcmp(status, jh_ticket_status_name(s)) == 0;
}

static int add_arrival(jh_report_group *g, const jh_report_ticket *t)
{
    g->tickets++;
    g->green += t->priority != JH_PRIO_NONE;
    g->voided += is_status(t->status, JH_TS_VOIDED);
    g->expired += is_status(t->status, JH_TS_EXPIRED);
    g->open += is_status(t->status, JH_TS_WAITING) || is_status(t->status, JH_TS_CALLED);
    if (!t->called_at)
        return 0;
    double wait_s = (double)(t->called_at - t->issued_at) / 1000.0;
    jh_sample *kind = t->priority != JH_PRIO_NONE ? &g->wait_green : &g->wait_normal;
    return jh_sample_add(&g->wait, wait_s) < 0 || jh_sample_add(kind, wait_s) < 0 ? -1 : 0;
}

static int add_outcome(jh_report_group *g, const jh_report_ticket *t, int target_s)
{
    if (is_status(t->status, JH_TS_NO_SHOW)) {
        g->no_show++;
        return 0;
    }
    if (!is_status(t->status, JH_TS_FINISHED))
        return 0;
    g->served++;
    g->overruns += target_s > 0 && t->service_s > target_s; /* as the engine flags it live */
    if (t->rating) {
        g->ratings++;
        g->flagged += t->suspicious != 0;
        g->satisfied += !t->suspicious && t->rating >= 4;
    }
    return jh_sample_add(&g->service, t->service_s);
}

static int add_both(jh_report_group *g, const jh_report_ticket *t, int target_s)
{
    if (!g)
        return -1;
    return add_arrival(g, t) < 0 || add_outcome(g, t, target_s) < 0 ? -1 : 0;
}

static int note_flagged(jh_report *r, const jh_report_ticket *t)
{
    if (r->n_flagged == r->cap_flagged) {
        int cap = r->cap_flagged ? r->cap_flagged * 2 : 16;
        jh_flagged_row *f = realloc(r->flagged, (size_t)cap * sizeof *f);
        if (!f)
            return -1;
        r->flagged = f;
        r->cap_flagged = cap;
    }
    jh_flagged_row *f = &r->flagged[r->n_flagged++];
    memset(f, 0, sizeof *f);
    f->day = t->day;
    snprintf(f->label, sizeof f->label, "%s", t->label);
    snprintf(f->counter, sizeof f->counter, "%s", t->counter);
    snprintf(f->staff_id, sizeof f->staff_id, "%s", t->staff_id);
    snprintf(f->flags, sizeof f->flags, "%s", t->rating_flags);
    f->score = t->rating;
    f->rated_at = t->rated_at;
    return 0;
}

/* The hour a ticket's outcome belongs to; -1 when it has none. */
static int outcome_hour(const jh_report_ticket *t)
{
    if (is_status(t->status, JH_TS_FINISHED) && t->finished_at)
        return hour_of(t->finished_at);
    if (is_status(t->status, JH_TS_NO_SHOW) && t->last_called_at)
        return hour_of(t->last_called_at);
    return -1;
}

static int add_hours(jh_report *r, const jh_report_ticket *t, int target_s)
{
    int out = outcome_hour(t);
    if (add_arrival(&r->hours[hour_of(t->issued_at)], t) < 0)
        return -1;
    return out >= 0 ? add_outcome(&r->hours[out], t, target_s) : 0;
}

int jh_report_add_ticket(jh_report *r, const jh_report_ticket *t)
{
    char day[16];
    int si = jh_config_service_index(r->cfg, t->service);
    int target_s = si >= 0 ? r->cfg->services[si].target_service_s : 0;
    snprintf(day, sizeof day, "%d", t->day);
    if (add_both(&r->summary, t, target_s) < 0 ||
        add_both(list_get(&r->services, t->service, UNCONFIGURED_ORDER), t, target_s) < 0 ||
        add_both(list_get(&r->days, day, t->day), t, target_s) < 0 || add_hours(r, t, target_s) < 0)
        return -1;
    if (t->counter[0] && add_both(list_get(&r->counters, t->counter, UNCONFIGURED_ORDER), t, target_s) < 0)
        return -1;
    if (t->staff_id[0] && add_both(list_get(&r->staff, t->staff_id, 0), t, target_s) < 0)
        return -1;
    return t->rating && t->suspicious ? note_flagged(r, t) : 0;
}

/* ---- pauses and logins ---- */

/* Length of [from, to), an open end counting up to the report's `now`. */
static int64_t span_ms(const jh_report *r, int64_t from, int64_t to)
{
    int64_t end = to ? to : r->now_ms;
    return end > from ? end - from : 0;
}

static int note_pause_reason(jh_report *r, const char *counter, const char *staff_id,
                             const char *reason, int64_t ms)
{
    for (int i = 0; i < r->n_pause_rows; i++) {
        jh_pause_row *p = &r->pause_rows[i];
        if (!strcmp(p->counter, counter) && !strcmp(p->staff_id, staff_id) && !strcmp(p->reason, reason)) {
            p->count++;
            p->ms += ms;
            return 0;
        }
    }
    if (r->n_pause_rows == r->cap_pause_rows) {
        int cap = r->cap_pause_rows ? r->cap_pause_rows * 2 : 16;
        jh_pause_row *p = realloc(r->pause_rows, (size_t)cap * sizeof *p);
        if (!p)
            return -1;
        r->pause_rows = p;
        r->cap_pause_rows = cap;
    }
    jh_pause_row *p = &r->pause_rows[r->n_pause_rows++];
    memset(p, 0, sizeof *p);
    snprintf(p->counter, sizeof p->counter, "%s", counter);
    snprintf(p->staff_id, sizeof p->staff_id, "%s", staff_id);
    snprintf(p->reason, sizeof p->reason, "%s", reason);
    p->count = 1;
    p->ms = ms;
    p->order = jh_config_counter_index(r->cfg, counter);
    p->order = p->order < 0 ? UNCONFIGURED_ORDER : p->order;
    return 0;
}

/* The rows a counter's time goes to: hall, day, counter and (when known) staff.
 * Returns how many, or -1 when out of memory. */
static int time_rows(jh_report *r, int day, const char *counter, const char *staff_id,
                     jh_report_group *rows[4])
{
    char key[16];
    int n = 3;
    snprintf(key, sizeof key, "%d", day);
    rows[0] = &r->summary;
    rows[1] = list_get(&r->days, key, day);
    rows[2] = list_get(&r->counters, counter, UNCONFIGURED_ORDER);
    if (staff_id[0])
        rows[n++] = list_get(&r->staff, staff_id, 0);
    for (int i = 0; i < n; i++)
        if (!rows[i])
            return -1;
    return n;
}

int jh_report_add_pause(jh_report *r, int day, const char *counter, const char *staff_id,
                        const char *reason, int64_t started_at, int64_t ended_at)
{
    jh_report_group *rows[4];
    int64_t ms = span_ms(r, started_at, ended_at);
    int n = time_rows(r, day, counter, staff_id, rows);
    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        rows[i]->pauses++;
        rows[i]->pause_ms += ms;
    }
    return note_pause_reason(r, counter, staff_id, reason, ms);
}

int jh_report_add_session(jh_report *r, int day, const char *counter, const char *staff_id,
                          const char *staff_name, int64_t login_at, int64_t logout_at)
{
    jh_report_group *rows[4];
    int n = time_rows(r, day, counter, staff_id, rows);
    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++)
        rows[i]->duty_ms += span_ms(r, login_at, logout_at);
    if (n == 4 && staff_name[0]) /* rows come oldest first: the latest name wins */
        snprintf(rows[3]->name_zh, sizeof rows[3]->name_zh, "%s", staff_name);
    return 0;
}

/* ---- finishing ---- */

static int pause_order(const void *a, const void *b)
{
    const jh_pause_row *x = a, *y = b;
    int c = x->order != y->order ? (x->order > y->order) - (x->order < y->order)
                                 : strcmp(x->counter, y->counter);
    c = c ? c : strcmp(x->staff_id, y->staff_id);
    return c ? c : strcmp(x->reason, y->reason);
}

static int hour_active(const jh_report_group *g)
{
    return g->tickets || g->served || g->no_show;
}

/* The hours from the earliest opening to the latest closing of any service. */
static void opening_span(const jh_hall_config *cfg, int *first, int *last)
{
    *first = 24;
    *last = -1;
    for (int s = 0; s < cfg->n_services; s++)
        for (int d = 0; d < 7; d++)
            for (int k = 0; k < cfg->services[s].n_hours[d]; k++) {
                const jh_hours *h = &cfg->services[s].hours[d][k];
                if (h->open_min / 60 < *first)
                    *first = h->open_min / 60;
                if ((h->close_min - 1) / 60 > *last)
                    *last = (h->close_min - 1) / 60;
            }
}

void jh_report_finish(jh_report *r)
{
    jh_group_list *lists[] = {&r->counters, &r->staff, &r->services, &r->days};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        if (lists[i]->n) /* an empty list has no array, and qsort wants one */
            qsort(lists[i]->g, (size_t)lists[i]->n, sizeof *lists[i]->g, by_order);
    if (r->n_pause_rows)
        qsort(r->pause_rows, (size_t)r->n_pause_rows, sizeof *r->pause_rows, pause_order);
    opening_span(r->cfg, &r->first_hour, &r->last_hour);
    for (int h = 0; h < 24; h++)
        if (hour_active(&r->hours[h])) {
            r->first_hour = h < r->first_hour ? h : r->first_hour;
            r->last_hour = h > r->last_hour ? h : r->last_hour;
        }
    if (r->last_hour < r->first_hour) { /* no hours and no activity: show the working day */
        r->first_hour = 8;
        r->last_hour = 17;
    }
}

double jh_group_satisfaction(const jh_report_group *g)
{
    int counted = g->ratings - g->flagged;
    return counted > 0 ? 100.0 * g->satisfied / counted : -1;
}

int jh_group_meets_line(const jh_report_group *g)
{
    double rate = jh_group_satisfaction(g);
    return rate < 0 ? -1 : rate >= JH_SATISFACTION_LINE;
}
