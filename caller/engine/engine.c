/*
 * engine — the queue engine: the one owner of a hall's state (engine.h).
 *
 * Owns the rules: what each operation may do, in which state, from whom; the
 * refusal codes; the day rollover; the JSON of replies, events and retained
 * states. It keeps no queue state in memory — every fact lives in the store
 * (ticket_store.c), so a restart or a kill -9 loses nothing — apart from what
 * tick last saw, which only decides what to mark dirty.
 *
 * One apply = one transaction: BEGIN IMMEDIATE, the lazy day rollover, the
 * duplicate check, then the operation inside a savepoint. A refusal rolls the
 * savepoint back, so whatever an operation wrote before it found a reason to
 * refuse is undone, and then only the command record (the refusal reply) is
 * written. Events are written to the outbox in the same transaction. The
 * choice between waiting tickets is dispatch.c's; the estimated wait is ewt.c's.
 */
#include "engine.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "ewt.h"
#include "hall_time.h"
#include "rating_rule.h"
#include "ticket_store.h"

#define LAST_CALLED_MAX 10
#define COMMAND_KEEP_MS (48LL * 3600 * 1000) /* resends come within seconds; two days is ample */
#define EVENT_KEEP_MS (7LL * 24 * 3600 * 1000)
#define TOO_FAST_MS 1000
#define ALERT_BATCH 64 /* long-wait alerts per tick; the rest follow on the next ticks */

struct jh_engine {
    const jh_hall_config *cfg;
    jh_store *st;
    jh_dispatch_params dp;
    /* What tick last saw, to mark only changes dirty. Memory only: after a
     * restart the front republishes every retained state anyway. */
    signed char svc_open[JH_MAX_SERVICES];
    int svc_ewt[JH_MAX_SERVICES];
    signed char ctr_overrun[JH_MAX_COUNTERS];
    jh_ewt_hall snap; /* scratch for the estimator: too large for the stack */
    int wait_hist[JH_WAIT_BUCKETS]; /* scratch for the hall state's p90 */
    jh_counter_brief brief[JH_MAX_COUNTERS]; /* scratch: every counter at a glance */
};

/* One command being applied. */
typedef struct {
    jh_engine *e;
    const jh_hall_config *cfg;
    jh_store *st;
    const jh_origin *origin;
    const jh_command *cmd;
    int64_t now;
    int day;
    int ci;            /* origin's counter index, or -1 */
    jh_outcome *out;
    cJSON *reply;      /* the success reply under construction */
    int refused;
    char code[32];
    char message[256];
} op_ctx;

/* ---------- small helpers ---------- */

static int refuse(op_ctx *x, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int refuse(op_ctx *x, const char *code, const char *fmt, ...)
{
    va_list ap;
    x->refused = 1;
    snprintf(x->code, sizeof x->code, "%s", code);
    va_start(ap, fmt);
    vsnprintf(x->message, sizeof x->message, fmt, ap);
    va_end(ap);
    return 0;
}

static void iso(int64_t ms, char buf[40]) { jh_time_iso8601(ms, buf, 40); }

static void add_iso(cJSON *o, const char *key, int64_t ms)
{
    char buf[40];
    if (ms) {
        iso(ms, buf);
        cJSON_AddStringToObject(o, key, buf);
    } else {
        cJSON_AddNullToObject(o, key);
    }
}

static void add_str_or_null(cJSON *o, const char *key, const char *s)
{
    if (s && *s)
        cJSON_AddStringToObject(o, key, s);
    else
        cJSON_AddNullToObject(o, key);
}

static const char *prio_name(int p)
{
    return (p >= 0 && p < JH_PRIO_COUNT) ? jh_priority_name((jh_priority)p) : "none";
}

static const jh_service_config *service_cfg(const jh_hall_config *cfg, const char *code, int *idx)
{
    int i = jh_config_service_index(cfg, code);
    if (idx)
        *idx = i;
    return i >= 0 ? &cfg->services[i] : NULL;
}

static void mark_service(op_ctx *x, const char *code)
{
    int i = jh_config_service_index(x->cfg, code);
    if (i >= 0)
        x->out->service_dirty[i] = 1;
}

static void mark_counter(op_ctx *x, const char *id)
{
    int i = jh_config_counter_index(x->cfg, id);
    if (i >= 0)
        x->out->counter_dirty[i] = 1;
}

static void mark_all(const jh_hall_config *cfg, jh_outcome *out)
{
    memset(out->service_dirty, 1, (size_t)cfg->n_services);
    memset(out->counter_dirty, 1, (size_t)cfg->n_counters);
    out->hall_dirty = 1;
}

/* Adds to today's running figures; they are part of state/hall. */
static int stats_add(op_ctx *x, const jh_day_stats *d)
{
    x->out->hall_dirty = 1;
    return jh_store_stats_add(x->st, x->day, d);
}

/* "A" + 12 at width 3 → "A012". Codes are 1–2 letters, so JH_ID_LEN always fits. */
static void format_label(const jh_service_config *s, int number, char *buf, size_t len)
{
    int n = snprintf(buf, len, "%s%0*d", s->code, s->width > 0 ? s->width : 1, number);
    if (n < 0 || (size_t)n >= len)
        buf[0] = '\0';
}

static int counter_serves(const jh_counter_config *cc, int service_index)
{
    for (int i = 0; i < cc->n_services; i++)
        if (cc->services[i] == service_index)
            return 1;
    return 0;
}

static int any_counter_serves(const jh_hall_config *cfg, int service_index)
{
    for (int c = 0; c < cfg->n_counters; c++)
        if (counter_serves(&cfg->counters[c], service_index))
            return 1;
    return 0;
}

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
            service_cfg(e->cfg, b->service, &si);
        if (si >= 0)
            k->busy_s = jh_ewt_remaining(h->q[si].mean_s, (double)(now - b->session_at) / 1000);
    }
    return 0;
}

/* The hall as the estimator sees it (into e->snap). */
static int ewt_snapshot(jh_engine *e, int day, int64_t now)
{
    return snapshot_queues(e, day, &e->snap) < 0 || snapshot_counters(e, now, &e->snap) < 0 ? -1 : 0;
}

/* Estimated wait of a ticket taken now in service si (before it is stored). */
static int service_ewt(jh_engine *e, int day, int si, int green, int64_t now, int *ewt)
{
    if (ewt_snapshot(e, day, now) < 0)
        return -1;
    *ewt = jh_ewt_estimate(&e->snap, si, green);
    return 0;
}

/* ---------- events ---------- */

/* Starts an event: takes the next seq and puts it first in the payload. */
static cJSON *event_begin(op_ctx *x)
{
    int64_t seq;
    if (jh_store_next_seq(x->st, &seq) < 0)
        return NULL;
    cJSON *ev = cJSON_CreateObject();
    cJSON_AddNumberToObject(ev, "seq", (double)seq);
    return ev;
}

/* Writes the event to the outbox and frees it. */
static int event_end(op_ctx *x, const char *kind, cJSON *ev)
{
    if (!ev)
        return -1;
    int64_t seq = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(ev, "seq"));
    char *text = cJSON_PrintUnformatted(ev);
    cJSON_Delete(ev);
    if (!text)
        return -1;
    int rc = jh_store_event_add(x->st, seq, kind, text, x->now);
    free(text);
    if (rc == 0)
        x->out->n_events++;
    return rc;
}

/* Copies every field of `from` except seq into the reply. */
static void reply_merge(op_ctx *x, const cJSON *from)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, from)
        cJSON_AddItemToObject(x->reply, it->string, cJSON_Duplicate(it, 1));
}

static void add_counter_ident(op_ctx *x, cJSON *o, const char *counter_id)
{
    int i = jh_config_counter_index(x->cfg, counter_id);
    cJSON_AddStringToObject(o, "counter", counter_id);
    if (i < 0)
        return;
    cJSON_AddNumberToObject(o, "counter_number", x->cfg->counters[i].number);
    cJSON_AddStringToObject(o, "counter_name", x->cfg->counters[i].name_zh);
    cJSON_AddStringToObject(o, "counter_name_en", x->cfg->counters[i].name_en);
}

static void add_service_ident(op_ctx *x, cJSON *o, const char *code)
{
    const jh_service_config *s = service_cfg(x->cfg, code, NULL);
    cJSON_AddStringToObject(o, "service", code);
    cJSON_AddStringToObject(o, "service_name", s ? s->name_zh : "");
    cJSON_AddStringToObject(o, "service_name_en", s ? s->name_en : "");
}

/* The fields a board needs to announce a call or a recall. */
static void add_call_fields(op_ctx *x, cJSON *o, const jh_ticket *t, const jh_counter_row *c)
{
    cJSON_AddStringToObject(o, "ticket", t->label);
    add_counter_ident(x, o, c->id);
    add_service_ident(x, o, t->service);
    cJSON_AddStringToObject(o, "priority", prio_name(t->priority));
    cJSON_AddNumberToObject(o, "call_count", t->session_calls);
    cJSON_AddStringToObject(o, "staff_id", c->staff_id);
    cJSON_AddStringToObject(o, "staff_name", c->staff_name);
    add_iso(o, "at", x->now);
}

/* ---------- counter life cycle ---------- */

static int load_counter(op_ctx *x, jh_counter_row *c)
{
    int rc = jh_store_counter_get(x->st, x->cfg->counters[x->ci].id, c);
    if (rc == 0)
        snprintf(x->message, sizeof x->message, "counter row missing");
    return rc == 1 ? 0 : -1;
}

/* Loads the origin's counter and refuses unless someone is logged in. 1 = go on. */
static int need_login(op_ctx *x, jh_counter_row *c)
{
    if (load_counter(x, c) < 0)
        return -1;
    if (c->status == JH_CS_CLOSED || !c->staff_id[0]) {
        refuse(x, "not-logged-in", "counter %s: nobody is logged in", c->id);
        return 0;
    }
    return 1;
}

/* Loads the counter's current ticket. 1 = there is one. */
static int need_current(op_ctx *x, const jh_counter_row *c, jh_ticket *t)
{
    int rc = c->ticket_id ? jh_store_ticket_by_id(x->st, c->ticket_id, t) : 0;
    if (rc == 0)
        refuse(x, "no-current-ticket", "counter %s has no current ticket", c->id);
    return rc;
}

static void set_status(op_ctx *x, jh_counter_row *c, jh_counter_status s)
{
    c->status = s;
    c->since = x->now;
    mark_counter(x, c->id);
    x->out->hall_dirty = 1; /* counters open / paused are in the day's figures */
}

/* Ends a pause (event resumed). No-op when not paused. */
static int resume_if_paused(op_ctx *x, jh_counter_row *c)
{
    if (c->status != JH_CS_PAUSED)
        return 0;
    int64_t paused_s = (x->now - c->since) / 1000;
    if (jh_store_pause_end(x->st, c->id, x->now) < 0)
        return -1;
    set_status(x, c, JH_CS_IDLE);
    c->message[0] = c->pause_reason[0] = '\0';
    cJSON *ev = event_begin(x);
    add_counter_ident(x, ev, c->id);
    cJSON_AddStringToObject(ev, "staff_id", c->staff_id);
    cJSON_AddNumberToObject(ev, "paused_s", (double)paused_s);
    add_iso(ev, "at", x->now);
    return event_end(x, "resumed", ev);
}

/* Finishes the counter's current ticket, if any (event finished). */
static int finish_current(op_ctx *x, jh_counter_row *c)
{
    jh_ticket t;
    int rc = c->ticket_id ? jh_store_ticket_by_id(x->st, c->ticket_id, &t) : 0;
    if (rc <= 0)
        return rc;
    const jh_service_config *s = service_cfg(x->cfg, t.service, NULL);
    int target = s ? s->target_service_s : 0;
    t.status = JH_TS_FINISHED;
    t.finished_at = x->now;
    t.service_s = (int)((x->now - t.session_at) / 1000);
    t.overran = target > 0 && t.service_s > target;
    c->ticket_id = 0;
    c->last_finished_id = t.id;
    c->last_finished_at = x->now;
    set_status(x, c, JH_CS_IDLE);
    jh_day_stats d = {.served = 1, .served_green = t.priority != JH_PRIO_NONE,
                      .service_sum_s = t.service_s, .overruns = t.overran};
    if (jh_store_ticket_update(x->st, &t) < 0 || stats_add(x, &d) < 0)
        return -1;
    cJSON *ev = event_begin(x);
    cJSON_AddStringToObject(ev, "ticket", t.label);
    add_counter_ident(x, ev, c->id);
    cJSON_AddStringToObject(ev, "staff_id", c->staff_id);
    cJSON_AddStringToObject(ev, "service", t.service);
    cJSON_AddNumberToObject(ev, "service_s", t.service_s);
    cJSON_AddNumberToObject(ev, "target_s", target);
    cJSON_AddBoolToObject(ev, "overrun", t.overran);
    add_iso(ev, "at", x->now);
    cJSON_AddStringToObject(x->reply, "finished", t.label);
    return event_end(x, "finished", ev);
}

/* A ticket's first call ends its wait: into the day's mean, maximum and histogram. */
static int first_call_figures(op_ctx *x, const jh_ticket *t)
{
    int64_t wait_s = (x->now - t->issued_at) / 1000;
    jh_day_stats d = {.called = 1, .wait_sum_s = wait_s, .wait_max_s = wait_s};
    return stats_add(x, &d) < 0 || jh_store_wait_hist_add(x->st, x->day, (int)wait_s) < 0 ? -1 : 0;
}

/* Makes waiting ticket t the counter's current one (event called; reply carries it). */
static int call_ticket(op_ctx *x, jh_counter_row *c, jh_ticket *t, const jh_pick *pk)
{
    int green = t->priority != JH_PRIO_NONE;
    if (!t->called_at && first_call_figures(x, t) < 0)
        return -1;
    t->status = JH_TS_CALLED;
    t->target_counter[0] = '\0';
    snprintf(t->counter, sizeof t->counter, "%s", c->id);
    snprintf(t->staff_id, sizeof t->staff_id, "%s", c->staff_id);
    if (!t->called_at)
        t->called_at = x->now;
    t->last_called_at = t->session_at = x->now;
    t->call_count++;
    t->session_calls = 1;
    c->ticket_id = t->id;
    jh_streak sk = {c->normal_streak, c->green_streak};
    jh_streak_after_call(&sk, green);
    c->normal_streak = sk.normal_streak;
    c->green_streak = sk.green_streak;
    set_status(x, c, JH_CS_SERVING);
    if (jh_store_ticket_update(x->st, t) < 0 ||
        jh_store_waiting_add(x->st, x->day, t->service, -1, green ? -1 : 0) < 0 ||
        jh_store_set_last_called(x->st, x->day, t->service, t->label) < 0 ||
        jh_store_call_log(x->st, t, "call", x->now) < 0 || jh_store_counter_put(x->st, c) < 0)
        return -1;
    mark_service(x, t->service);
    x->out->hall_dirty = 1;
    cJSON *ev = event_begin(x);
    add_call_fields(x, ev, t, c);
    cJSON_AddNumberToObject(ev, "waited_s", pk->waited_s);
    cJSON *why = cJSON_AddObjectToObject(ev, "reason");
    cJSON_AddStringToObject(why, "policy", jh_policy_name(x->cfg->policy));
    cJSON_AddStringToObject(why, "rule", pk->rule);
    cJSON_AddStringToObject(why, "text", pk->text);
    if (ev)
        reply_merge(x, ev);
    return event_end(x, "called", ev);
}

/* ---------- dispatch ---------- */

/* Oldest waiting ticket of the first of the counter's services that has one. */
static int first_head(op_ctx *x, const jh_counter_config *cc, int green, jh_candidate *cand,
                      int64_t *id)
{
    jh_queue_head h;
    cand->present = 0;
    for (int i = 0; i < cc->n_services; i++) {
        const char *code = x->cfg->services[cc->services[i]].code;
        int rc = jh_store_queue_head(x->st, x->day, code, green, &h);
        if (rc < 0)
            return -1;
        if (rc) {
            cand->present = 1;
            cand->queue_key = h.queue_key;
            *id = h.id;
            return 0;
        }
    }
    return 0;
}

/* Asks the policy which ticket counter c calls next; *id 0 when nobody waits. */
static int choose_next(op_ctx *x, const jh_counter_row *c, jh_pick *pk, int64_t *id)
{
    const jh_counter_config *cc = &x->cfg->counters[x->ci];
    jh_candidate dir = {0, 0}, green, normal;
    int64_t dir_id = 0, green_id = 0, normal_id = 0;
    jh_queue_head h;
    int rc = jh_store_directed_head(x->st, c->id, &h);
    if (rc < 0 || first_head(x, cc, 1, &green, &green_id) < 0 ||
        first_head(x, cc, 0, &normal, &normal_id) < 0)
        return -1;
    if (rc) {
        dir.present = 1;
        dir.queue_key = h.queue_key;
        dir_id = h.id;
    }
    jh_streak sk = {c->normal_streak, c->green_streak};
    jh_dispatch_choose(&x->e->dp, &sk, &dir, &green, &normal, x->now, pk);
    *id = pk->pick == JH_PICK_DIRECTED ? dir_id
        : pk->pick == JH_PICK_GREEN    ? green_id
        : pk->pick == JH_PICK_NORMAL   ? normal_id
                                       : 0;
    return 0;
}

/* ---------- kiosk operations ---------- */

/* Refusals of take that depend on the hall, hours and counters. 1 = go on. */
static int take_allowed(op_ctx *x, const jh_service_config *s, int si)
{
    jh_hall_row h;
    int64_t next_open = 0;
    char when[40];
    if (jh_store_hall_get(x->st, &h) < 0)
        return -1;
    if (!h.open)
        return refuse(x, "closed", "the hall is closed");
    if (!jh_service_open_at(s, x->now, &next_open)) {
        if (!next_open)
            return refuse(x, "closed", "service %s is closed", s->code);
        iso(next_open, when);
        return refuse(x, "closed", "service %s is closed; it opens next at %s", s->code, when);
    }
    if (!any_counter_serves(x->cfg, si))
        return refuse(x, "no-counter", "no counter serves service %s", s->code);
    return 1;
}

/* The next number of service s today; refuses "limit". 1 = go on. */
static int take_number(op_ctx *x, const jh_service_config *s, const jh_numbering_row *n,
                       int *number)
{
    *number = n->issued == 0 ? s->first_number : n->last_number + 1;
    if (s->daily_limit > 0 && n->issued >= s->daily_limit)
        return refuse(x, "limit", "service %s: the daily limit of %d tickets is reached", s->code,
                      s->daily_limit);
    if (*number > s->last_number)
        return refuse(x, "limit", "service %s: numbers up to %d are all issued today", s->code,
                      s->last_number);
    return 1;
}

static int kiosk_offers(const jh_hall_config *cfg, const char *kiosk, int si)
{
    int k = jh_config_kiosk_index(cfg, kiosk);
    if (k < 0 || cfg->kiosks[k].n_services == 0)
        return 1;
    for (int i = 0; i < cfg->kiosks[k].n_services; i++)
        if (cfg->kiosks[k].services[i] == si)
            return 1;
    return 0;
}

static int take_checks(op_ctx *x, const jh_service_config **s, int *si)
{
    const jh_command *cmd = x->cmd;
    *s = service_cfg(x->cfg, cmd->service, si);
    if (!*s)
        return refuse(x, "unknown-service", "no service '%s' in this hall", cmd->service);
    if (!kiosk_offers(x->cfg, x->origin->id, *si))
        return refuse(x, "unknown-service", "service %s is not offered at kiosk %s",
                      cmd->service, x->origin->id);
    if (cmd->priority < 0 || cmd->priority >= JH_PRIO_COUNT)
        return refuse(x, "bad-field", "unknown priority %d", cmd->priority);
    return take_allowed(x, *s, *si);
}

static void take_fill(op_ctx *x, const jh_service_config *s, int number, jh_ticket *t)
{
    memset(t, 0, sizeof *t);
    t->day = x->day;
    format_label(s, number, t->label, sizeof t->label);
    snprintf(t->issued_service, sizeof t->issued_service, "%s", s->code);
    snprintf(t->service, sizeof t->service, "%s", s->code);
    t->number = number;
    t->priority = x->cmd->priority;
    t->status = JH_TS_WAITING;
    snprintf(t->lang, sizeof t->lang, "%s", x->cmd->lang[0] ? x->cmd->lang : "zh");
    snprintf(t->kiosk, sizeof t->kiosk, "%s", x->origin->id);
    t->issued_at = t->queue_key = x->now;
}

static int take_announce(op_ctx *x, const jh_ticket *t, int ahead, int ewt)
{
    cJSON *ev = event_begin(x);
    cJSON_AddStringToObject(ev, "ticket", t->label);
    add_service_ident(x, ev, t->service);
    cJSON_AddStringToObject(ev, "priority", prio_name(t->priority));
    cJSON_AddNumberToObject(ev, "ahead", ahead);
    cJSON_AddNumberToObject(ev, "ewt_s", ewt);
    add_iso(ev, "issued_at", t->issued_at);
    cJSON_AddNumberToObject(ev, "day", t->day);
    cJSON_AddStringToObject(ev, "kiosk", t->kiosk);
    cJSON_AddStringToObject(ev, "lang", t->lang);
    if (ev)
        reply_merge(x, ev);
    return event_end(x, "issued", ev);
}

static int op_take(op_ctx *x)
{
    const jh_service_config *s;
    jh_numbering_row n;
    jh_ticket t;
    int si, number, ewt, rc = take_checks(x, &s, &si);
    if (rc <= 0)
        return rc;
    if (jh_store_numbering_get(x->st, x->day, s->code, &n) < 0)
        return -1;
    if ((rc = take_number(x, s, &n, &number)) <= 0)
        return rc;
    int green = x->cmd->priority != JH_PRIO_NONE;
    int ahead = green ? n.waiting_priority : n.waiting;
    take_fill(x, s, number, &t);
    jh_day_stats d = {.issued = 1, .issued_green = green};
    if (jh_store_next_queue_key(x->st, x->now, &t.queue_key) < 0 ||
        service_ewt(x->e, x->day, si, green, x->now, &ewt) < 0 ||
        jh_store_ticket_insert(x->st, &t) < 0 ||
        jh_store_numbering_issue(x->st, x->day, s->code, number) < 0 ||
        jh_store_waiting_add(x->st, x->day, s->code, 1, green) < 0 || stats_add(x, &d) < 0)
        return -1;
    x->out->service_dirty[si] = 1;
    return take_announce(x, &t, ahead, ewt);
}

/* Today's ticket by label; refuses "unknown-ticket". 1 = found. */
static int find_ticket(op_ctx *x, jh_ticket *t)
{
    if (!x->cmd->ticket[0])
        return refuse(x, "missing-field", "which ticket? (field 'ticket')");
    int rc = jh_store_ticket_by_label(x->st, x->day, x->cmd->ticket, t);
    if (rc == 0)
        refuse(x, "unknown-ticket", "no ticket %s today", x->cmd->ticket);
    return rc;
}

static int op_void(op_ctx *x)
{
    jh_ticket t;
    int rc = find_ticket(x, &t);
    if (rc <= 0)
        return rc;
    if (strcmp(t.kiosk, x->origin->id) != 0)
        return refuse(x, "wrong-kiosk", "ticket %s was issued by kiosk %s", t.label, t.kiosk);
    if (t.status != JH_TS_WAITING || t.call_count > 0)
        return refuse(x, "not-voidable", "ticket %s is %s and was called %d times", t.label,
                      jh_ticket_status_name(t.status), t.call_count);
    t.status = JH_TS_VOIDED;
    snprintf(t.void_reason, sizeof t.void_reason, "%s", x->cmd->reason[0] ? x->cmd->reason : "-");
    int green = t.priority != JH_PRIO_NONE;
    jh_day_stats d = {.voided = 1};
    if (jh_store_ticket_update(x->st, &t) < 0 ||
        jh_store_waiting_add(x->st, x->day, t.service, -1, green ? -1 : 0) < 0 ||
        stats_add(x, &d) < 0)
        return -1;
    mark_service(x, t.service);
    cJSON *ev = event_begin(x);
    cJSON_AddStringToObject(ev, "ticket", t.label);
    cJSON_AddStringToObject(ev, "service", t.service);
    cJSON_AddStringToObject(ev, "kiosk", t.kiosk);
    cJSON_AddStringToObject(ev, "reason", t.void_reason);
    add_iso(ev, "at", x->now);
    cJSON_AddStringToObject(x->reply, "ticket", t.label);
    return event_end(x, "voided", ev);
}

/* ---------- counter operations: staff ---------- */

/* Logs the staff member out of another counter where they sit idle; refuses if serving. */
static int login_move(op_ctx *x, const char *staff_id, const char *here)
{
    jh_counter_row o;
    int rc = jh_store_counter_by_staff(x->st, staff_id, here, &o);
    if (rc <= 0)
        return rc < 0 ? -1 : 1;
    if (o.status == JH_CS_SERVING)
        return refuse(x, "staff-busy", "staff %s is serving at counter %s", staff_id, o.id);
    if (jh_store_pause_end(x->st, o.id, x->now) < 0 || jh_store_session_end(x->st, o.id, x->now) < 0)
        return -1;
    o.staff_id[0] = o.staff_name[0] = o.message[0] = o.pause_reason[0] = '\0';
    set_status(x, &o, JH_CS_CLOSED);
    cJSON_AddStringToObject(x->reply, "moved_from", o.id);
    return jh_store_counter_put(x->st, &o) < 0 ? -1 : 1;
}

static int op_login(op_ctx *x)
{
    jh_counter_row c;
    const jh_command *cmd = x->cmd;
    if (!cmd->staff_id[0])
        return refuse(x, "missing-field", "login needs a staff_id");
    int rc = load_counter(x, &c) < 0 ? -1 : login_move(x, cmd->staff_id, x->origin->id);
    if (rc <= 0)
        return rc;
    if (strcmp(c.staff_id, cmd->staff_id) != 0) {
        /* AB岗: someone else may take over the desk; their session ends here. */
        if (c.staff_id[0] && jh_store_session_end(x->st, c.id, x->now) < 0)
            return -1;
        snprintf(c.staff_id, sizeof c.staff_id, "%s", cmd->staff_id);
        snprintf(c.staff_name, sizeof c.staff_name, "%s", cmd->staff_name);
        if (jh_store_session_start(x->st, x->day, &c, x->now) < 0)
            return -1;
    } else if (cmd->staff_name[0]) {
        snprintf(c.staff_name, sizeof c.staff_name, "%s", cmd->staff_name);
    }
    if (c.status == JH_CS_CLOSED)
        set_status(x, &c, JH_CS_IDLE);
    mark_counter(x, c.id);
    cJSON_AddStringToObject(x->reply, "counter", c.id);
    cJSON_AddStringToObject(x->reply, "staff_id", c.staff_id);
    cJSON_AddStringToObject(x->reply, "staff_name", c.staff_name);
    cJSON_AddStringToObject(x->reply, "status", jh_counter_status_name(c.status));
    return jh_store_counter_put(x->st, &c);
}

static int op_logout(op_ctx *x)
{
    jh_counter_row c;
    int rc = need_login(x, &c);
    if (rc <= 0)
        return rc;
    if (c.ticket_id)
        return refuse(x, "serving", "finish or transfer the current ticket before logging out");
    if (jh_store_pause_end(x->st, c.id, x->now) < 0 || jh_store_session_end(x->st, c.id, x->now) < 0)
        return -1;
    cJSON_AddStringToObject(x->reply, "staff_id", c.staff_id);
    c.staff_id[0] = c.staff_name[0] = c.message[0] = c.pause_reason[0] = '\0';
    set_status(x, &c, JH_CS_CLOSED);
    return jh_store_counter_put(x->st, &c);
}

static int op_pause(op_ctx *x)
{
    jh_counter_row c;
    int rc = need_login(x, &c);
    if (rc <= 0)
        return rc;
    if (c.ticket_id)
        return refuse(x, "serving", "finish or transfer the current ticket before pausing");
    int was_paused = c.status == JH_CS_PAUSED;
    snprintf(c.message, sizeof c.message, "%s", x->cmd->message);
    snprintf(c.pause_reason, sizeof c.pause_reason, "%s", x->cmd->reason);
    mark_counter(x, c.id);
    cJSON_AddStringToObject(x->reply, "message", c.message);
    if (was_paused) /* a new message for the same pause */
        return jh_store_counter_put(x->st, &c);
    set_status(x, &c, JH_CS_PAUSED);
    if (jh_store_pause_start(x->st, x->day, &c, x->now) < 0 || jh_store_counter_put(x->st, &c) < 0)
        return -1;
    cJSON *ev = event_begin(x);
    add_counter_ident(x, ev, c.id);
    cJSON_AddStringToObject(ev, "staff_id", c.staff_id);
    cJSON_AddStringToObject(ev, "staff_name", c.staff_name);
    cJSON_AddStringToObject(ev, "reason", c.pause_reason);
    cJSON_AddStringToObject(ev, "message", c.message);
    add_iso(ev, "at", x->now);
    return event_end(x, "paused", ev);
}

static int op_resume(op_ctx *x)
{
    jh_counter_row c;
    int rc = need_login(x, &c);
    if (rc <= 0)
        return rc;
    if (c.status != JH_CS_PAUSED)
        return refuse(x, "not-paused", "counter %s is not paused", c.id);
    if (resume_if_paused(x, &c) < 0)
        return -1;
    return jh_store_counter_put(x->st, &c);
}

/* ---------- counter operations: calling ---------- */

static int op_call_next(op_ctx *x)
{
    jh_counter_row c;
    jh_ticket t;
    jh_pick pk;
    int64_t id;
    int rc = need_login(x, &c);
    if (rc <= 0)
        return rc;
    if (finish_current(x, &c) < 0 || resume_if_paused(x, &c) < 0 || choose_next(x, &c, &pk, &id) < 0)
        return -1;
    if (!id) {
        cJSON_AddNullToObject(x->reply, "ticket");
        return jh_store_counter_put(x->st, &c);
    }
    if (jh_store_ticket_by_id(x->st, id, &t) != 1)
        return -1;
    return call_ticket(x, &c, &t, &pk);
}

static int op_call(op_ctx *x)
{
    jh_counter_row c;
    jh_ticket t;
    jh_pick pk;
    int rc = need_login(x, &c);
    if (rc <= 0 || (rc = find_ticket(x, &t)) <= 0)
        return rc;
    if (t.status != JH_TS_WAITING)
        return refuse(x, "not-waiting", "ticket %s is %s", t.label, jh_ticket_status_name(t.status));
    if (finish_current(x, &c) < 0 || resume_if_paused(x, &c) < 0)
        return -1;
    jh_dispatch_requested(&x->e->dp, t.queue_key, x->now, &pk);
    return call_ticket(x, &c, &t, &pk);
}

/* The current ticket did not come: no-show (event no-show), counter idle. */
static int make_no_show(op_ctx *x, jh_counter_row *c, jh_ticket *t)
{
    t->status = JH_TS_NO_SHOW;
    c->ticket_id = 0;
    set_status(x, c, JH_CS_IDLE);
    jh_day_stats d = {.no_shows = 1};
    if (jh_store_ticket_update(x->st, t) < 0 || jh_store_counter_put(x->st, c) < 0 ||
        stats_add(x, &d) < 0)
        return -1;
    cJSON *ev = event_begin(x);
    cJSON_AddStringToObject(ev, "ticket", t->label);
    add_counter_ident(x, ev, c->id);
    cJSON_AddStringToObject(ev, "staff_id", c->staff_id);
    cJSON_AddStringToObject(ev, "service", t->service);
    cJSON_AddNumberToObject(ev, "call_count", t->session_calls);
    add_iso(ev, "at", x->now);
    cJSON_AddStringToObject(x->reply, "ticket", t->label);
    cJSON_AddBoolToObject(x->reply, "no_show", 1);
    return event_end(x, "no-show", ev);
}

static int op_recall(op_ctx *x)
{
    jh_counter_row c;
    jh_ticket t;
    int rc = need_login(x, &c);
    if (rc <= 0 || (rc = need_current(x, &c, &t)) <= 0)
        return rc;
    if (t.session_calls + 1 > 1 + x->cfg->recall_limit)
        return make_no_show(x, &c, &t);
    t.session_calls++;
    t.call_count++;
    t.last_called_at = x->now;
    if (jh_store_ticket_update(x->st, &t) < 0 || jh_store_call_log(x->st, &t, "recall", x->now) < 0)
        return -1;
    mark_counter(x, c.id);
    cJSON *ev = event_begin(x);
    add_call_fields(x, ev, &t, &c);
    if (ev)
        reply_merge(x, ev);
    return event_end(x, "recalled", ev);
}

static int op_no_show(op_ctx *x)
{
    jh_counter_row c;
    jh_ticket t;
    int rc = need_login(x, &c);
    if (rc <= 0 || (rc = need_current(x, &c, &t)) <= 0)
        return rc;
    return make_no_show(x, &c, &t);
}

static int op_finish(op_ctx *x)
{
    jh_counter_row c;
    jh_ticket t;
    int rc = need_login(x, &c);
    if (rc <= 0 || (rc = need_current(x, &c, &t)) <= 0)
        return rc;
    if (finish_current(x, &c) < 0 || jh_store_counter_put(x->st, &c) < 0)
        return -1;
    cJSON_AddStringToObject(x->reply, "ticket", t.label);
    cJSON_AddNumberToObject(x->reply, "service_s", (double)((x->now - t.session_at) / 1000));
    return 0;
}

static int op_requeue(op_ctx *x)
{
    jh_counter_row c;
    jh_ticket t;
    int rc = need_login(x, &c);
    if (rc <= 0 || (rc = find_ticket(x, &t)) <= 0)
        return rc;
    if (t.status != JH_TS_NO_SHOW)
        return refuse(x, "not-no-show", "ticket %s is %s, not a no-show", t.label,
                      jh_ticket_status_name(t.status));
    t.status = JH_TS_WAITING;
    t.session_calls = 0;
    t.requeues++;
    if (x->cfg->requeue == JH_REQUEUE_BACK && jh_store_next_queue_key(x->st, x->now, &t.queue_key) < 0)
        return -1;
    int green = t.priority != JH_PRIO_NONE;
    jh_day_stats d = {.no_shows = -1}; /* a no-show no more */
    if (jh_store_ticket_update(x->st, &t) < 0 ||
        jh_store_waiting_add(x->st, x->day, t.service, 1, green) < 0 || stats_add(x, &d) < 0)
        return -1;
    mark_service(x, t.service);
    cJSON_AddStringToObject(x->reply, "ticket", t.label);
    cJSON_AddStringToObject(x->reply, "requeue", x->cfg->requeue == JH_REQUEUE_BACK ? "back" : "keep");
    return 0;
}

/* Validates transfer targets. 1 = go on. */
static int transfer_checks(op_ctx *x, const jh_counter_row *c)
{
    const jh_command *cmd = x->cmd;
    int si = -1;
    if (!cmd->to_service[0] && !cmd->to_counter[0])
        return refuse(x, "missing-field", "transfer needs to_service or to_counter");
    if (cmd->to_service[0] && !service_cfg(x->cfg, cmd->to_service, &si))
        return refuse(x, "unknown-service", "no service '%s' in this hall", cmd->to_service);
    if (cmd->to_counter[0]) {
        if (jh_config_counter_index(x->cfg, cmd->to_counter) < 0)
            return refuse(x, "unknown-counter", "no counter '%s' in this hall", cmd->to_counter);
        if (!strcmp(cmd->to_counter, c->id))
            return refuse(x, "same-counter", "the ticket is already at counter %s", c->id);
    } else if (!any_counter_serves(x->cfg, si)) {
        return refuse(x, "no-counter", "no counter serves service %s", cmd->to_service);
    }
    return 1;
}

static int transfer_announce(op_ctx *x, const jh_ticket *t, const jh_counter_row *c,
                             const char *from_service)
{
    cJSON *ev = event_begin(x);
    cJSON_AddStringToObject(ev, "ticket", t->label);
    add_counter_ident(x, ev, c->id);
    cJSON_AddStringToObject(ev, "from_service", from_service);
    add_service_ident(x, ev, t->service);
    add_str_or_null(ev, "to_counter", t->target_counter);
    cJSON_AddStringToObject(ev, "priority", prio_name(t->priority));
    cJSON_AddStringToObject(ev, "staff_id", c->staff_id);
    add_iso(ev, "at", x->now);
    if (ev)
        reply_merge(x, ev);
    return event_end(x, "transferred", ev);
}

static int op_transfer(op_ctx *x)
{
    jh_counter_row c;
    jh_ticket t;
    char from_service[JH_ID_LEN];
    int rc = need_login(x, &c);
    if (rc <= 0 || (rc = need_current(x, &c, &t)) <= 0 || (rc = transfer_checks(x, &c)) <= 0)
        return rc;
    snprintf(from_service, sizeof from_service, "%s", t.service);
    if (x->cmd->to_service[0])
        snprintf(t.service, sizeof t.service, "%s", x->cmd->to_service);
    snprintf(t.target_counter, sizeof t.target_counter, "%s", x->cmd->to_counter);
    t.status = JH_TS_WAITING; /* queue_key is kept: 首问负责制, the person keeps their place */
    t.session_calls = 0;
    t.transfers++;
    c.ticket_id = 0;
    set_status(x, &c, JH_CS_IDLE);
    int green = t.priority != JH_PRIO_NONE;
    if (jh_store_ticket_update(x->st, &t) < 0 ||
        jh_store_waiting_add(x->st, x->day, t.service, 1, green) < 0 ||
        jh_store_transfer_log(x->st, &t, c.id, from_service, x->now) < 0 ||
        jh_store_counter_put(x->st, &c) < 0)
        return -1;
    mark_service(x, t.service);
    mark_service(x, from_service);
    if (t.target_counter[0])
        mark_counter(x, t.target_counter);
    return transfer_announce(x, &t, &c, from_service);
}

static int op_flag(op_ctx *x)
{
    jh_ticket t;
    int p = x->cmd->priority;
    if (p <= JH_PRIO_NONE || p >= JH_PRIO_COUNT)
        return refuse(x, "bad-field", "flag needs a green-channel priority (elderly, disabled, "
                                      "pregnant, other)");
    int rc = find_ticket(x, &t);
    if (rc <= 0)
        return rc;
    if (t.status != JH_TS_WAITING)
        return refuse(x, "not-waiting", "ticket %s is %s", t.label, jh_ticket_status_name(t.status));
    int was_green = t.priority != JH_PRIO_NONE;
    jh_day_stats d = {.issued_green = 1};
    t.priority = p;
    if (jh_store_ticket_update(x->st, &t) < 0 ||
        (!was_green && (jh_store_waiting_add(x->st, x->day, t.service, 0, 1) < 0 ||
                        stats_add(x, &d) < 0)))
        return -1;
    mark_service(x, t.service);
    cJSON_AddStringToObject(x->reply, "ticket", t.label);
    cJSON_AddStringToObject(x->reply, "priority", prio_name(p));
    return 0;
}

/* ---------- rating ---------- */

/* The ticket a rating at counter c is about. 1 = found. */
static int rating_target(op_ctx *x, const jh_counter_row *c, jh_ticket *t)
{
    int rc = c->last_finished_id ? jh_store_ticket_by_id(x->st, c->last_finished_id, t) : 0;
    if (rc < 0)
        return -1;
    if (rc == 0 || (x->cmd->ticket[0] && strcmp(x->cmd->ticket, t->label) != 0))
        return refuse(x, "no-ticket-to-rate", "no finished ticket %s at counter %s to rate",
                      x->cmd->ticket, c->id);
    if (t->rating)
        return refuse(x, "already-rated", "ticket %s was already rated", t->label);
    return 1;
}

/* Flags per docs/hall-rules.md (擅自按键评价): staff keypad, too fast, identical run. */
static int rating_flags(op_ctx *x, jh_counter_row *c, jh_ticket *t, cJSON *flags)
{
    int score = x->cmd->score;
    int64_t others[6];
    if (jh_store_scores_others(x->st, x->day, c->id, others) < 0 ||
        jh_store_score_add(x->st, x->day, c->id, score) < 0)
        return -1;
    c->score_run = c->last_score == score ? c->score_run + 1 : 1;
    c->last_score = score;
    if (x->cmd->rate_source == JH_RATE_SRC_STAFF_KEYPAD)
        cJSON_AddItemToArray(flags, cJSON_CreateString("staff-keypad"));
    if (x->now - t->finished_at < TOO_FAST_MS)
        cJSON_AddItemToArray(flags, cJSON_CreateString("too-fast"));
    if (jh_rating_run_suspicious(score, c->score_run, others))
        cJSON_AddItemToArray(flags, cJSON_CreateString("identical-run"));
    char *text = cJSON_PrintUnformatted(flags);
    snprintf(t->rating_flags, sizeof t->rating_flags, "%s", text ? text : "[]");
    free(text);
    t->rating = score;
    t->rated_at = x->now;
    t->rating_suspicious = cJSON_GetArraySize(flags) > 0;
    return 0;
}

static int op_rate(op_ctx *x)
{
    jh_counter_row c;
    jh_ticket t;
    if (x->cmd->score < 1 || x->cmd->score > 5)
        return refuse(x, "bad-field", "score must be 1..5");
    int rc = load_counter(x, &c) < 0 ? -1 : rating_target(x, &c, &t);
    if (rc <= 0)
        return rc;
    cJSON *ev = event_begin(x);
    cJSON *flags = cJSON_CreateArray();
    if (!ev || !flags || rating_flags(x, &c, &t, flags) < 0) {
        cJSON_Delete(ev);
        cJSON_Delete(flags);
        return -1;
    }
    cJSON_AddStringToObject(ev, "ticket", t.label);
    add_counter_ident(x, ev, c.id);
    cJSON_AddStringToObject(ev, "staff_id", t.staff_id);
    cJSON_AddNumberToObject(ev, "score", t.rating);
    cJSON_AddBoolToObject(ev, "suspicious", t.rating_suspicious);
    cJSON_AddItemToObject(ev, "flags", flags);
    add_iso(ev, "at", x->now);
    jh_day_stats d = {.ratings = 1, .ratings_flagged = t.rating_suspicious,
                      .satisfied = !t.rating_suspicious && t.rating >= 4};
    if (jh_store_ticket_update(x->st, &t) < 0 || jh_store_counter_put(x->st, &c) < 0 ||
        stats_add(x, &d) < 0) {
        cJSON_Delete(ev);
        return -1;
    }
    if (ev)
        reply_merge(x, ev);
    return event_end(x, "rated", ev);
}

/* ---------- admin operations ---------- */

static int set_open(op_ctx *x, int open)
{
    jh_hall_row h;
    if (jh_store_hall_get(x->st, &h) < 0)
        return -1;
    h.open = open;
    mark_all(x->cfg, x->out);
    cJSON_AddBoolToObject(x->reply, "open", open);
    return jh_store_hall_set(x->st, &h);
}

static int op_open(op_ctx *x) { return set_open(x, 1); }

static int op_close(op_ctx *x) { return set_open(x, 0); }

static int op_notice(op_ctx *x)
{
    jh_hall_row h;
    if (jh_store_hall_get(x->st, &h) < 0)
        return -1;
    snprintf(h.notice, sizeof h.notice, "%s", x->cmd->message);
    x->out->hall_dirty = 1;
    cJSON_AddStringToObject(x->reply, "notice", h.notice);
    return jh_store_hall_set(x->st, &h);
}

static int op_end_day(op_ctx *x)
{
    int n;
    if (jh_store_expire_waiting_of_day(x->st, x->day, &n) < 0 ||
        jh_store_waiting_clear_day(x->st, x->day) < 0 || set_open(x, 0) < 0)
        return -1;
    cJSON_AddNumberToObject(x->reply, "expired", n);
    return 0;
}

/* ---------- apply ---------- */

typedef int (*op_fn)(op_ctx *);

static const struct {
    op_fn fn;
    jh_origin_kind origin;
} ops[JH_OP_COUNT] = {
    [JH_OP_TAKE] = {op_take, JH_ORIGIN_KIOSK},
    [JH_OP_VOID] = {op_void, JH_ORIGIN_KIOSK},
    [JH_OP_LOGIN] = {op_login, JH_ORIGIN_COUNTER},
    [JH_OP_LOGOUT] = {op_logout, JH_ORIGIN_COUNTER},
    [JH_OP_CALL_NEXT] = {op_call_next, JH_ORIGIN_COUNTER},
    [JH_OP_RECALL] = {op_recall, JH_ORIGIN_COUNTER},
    [JH_OP_NO_SHOW] = {op_no_show, JH_ORIGIN_COUNTER},
    [JH_OP_REQUEUE] = {op_requeue, JH_ORIGIN_COUNTER},
    [JH_OP_FINISH] = {op_finish, JH_ORIGIN_COUNTER},
    [JH_OP_TRANSFER] = {op_transfer, JH_ORIGIN_COUNTER},
    [JH_OP_CALL] = {op_call, JH_ORIGIN_COUNTER},
    [JH_OP_PAUSE] = {op_pause, JH_ORIGIN_COUNTER},
    [JH_OP_RESUME] = {op_resume, JH_ORIGIN_COUNTER},
    [JH_OP_FLAG] = {op_flag, JH_ORIGIN_COUNTER},
    [JH_OP_RATE] = {op_rate, JH_ORIGIN_COUNTER},
    [JH_OP_OPEN] = {op_open, JH_ORIGIN_ADMIN},
    [JH_OP_CLOSE] = {op_close, JH_ORIGIN_ADMIN},
    [JH_OP_NOTICE] = {op_notice, JH_ORIGIN_ADMIN},
    [JH_OP_END_DAY] = {op_end_day, JH_ORIGIN_ADMIN},
};

/* The engine trusts no parser: op, origin and counter are checked again here. */
static int check_envelope(op_ctx *x)
{
    jh_op op = x->cmd->op;
    if ((unsigned)op >= JH_OP_COUNT || !ops[op].fn)
        return refuse(x, "unknown-op", "unknown operation");
    if (ops[op].origin != x->origin->kind)
        return refuse(x, "wrong-origin", "operation not allowed from this sender");
    if (x->origin->kind == JH_ORIGIN_COUNTER && x->ci < 0)
        return refuse(x, "unknown-counter", "no counter '%s' in this hall", x->origin->id);
    return 1;
}

/* When the business day has moved on: yesterday's open tickets expire, counters reset. */
static int rollover(jh_engine *e, int64_t now, jh_outcome *out, int *day)
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
    mark_all(e->cfg, out);
    return 0;
}

static char *error_reply(const char *id, const char *code, const char *message)
{
    cJSON *r = cJSON_CreateObject();
    add_str_or_null(r, "id", id);
    cJSON_AddBoolToObject(r, "ok", 0);
    cJSON_AddStringToObject(r, "error", code);
    cJSON_AddStringToObject(r, "message", message);
    char *s = cJSON_PrintUnformatted(r);
    cJSON_Delete(r);
    return s;
}

/* Runs the operation in a savepoint; a refusal undoes its writes. */
static int run_op(op_ctx *x)
{
    jh_outcome keep = *x->out;
    if (jh_store_savepoint(x->st) < 0)
        return -1;
    int rc = check_envelope(x);
    if (rc > 0)
        rc = ops[x->cmd->op].fn(x);
    if (rc < 0)
        return -1;
    if (x->refused) {
        if (jh_store_savepoint_rollback(x->st) < 0)
            return -1;
        *x->out = keep;
    }
    return jh_store_savepoint_release(x->st);
}

/* Builds out->reply from the op's result and records it under the command id. */
static int record_reply(op_ctx *x)
{
    jh_outcome *out = x->out;
    if (x->refused) {
        out->reply = error_reply(x->cmd->id, x->code, x->message);
    } else {
        out->ok = 1;
        out->reply = cJSON_PrintUnformatted(x->reply);
    }
    if (!out->reply)
        return -1;
    if (!x->cmd->id[0])
        return 0;
    return jh_store_command_put(x->st, (int)x->origin->kind, x->origin->id, x->cmd->id,
                                out->reply, out->ok, x->now);
}

/* Everything apply does inside its transaction. */
static int apply_in_tx(op_ctx *x)
{
    char *stored;
    int ok;
    if (rollover(x->e, x->now, x->out, &x->day) < 0)
        return -1;
    if (x->cmd->id[0]) {
        int rc = jh_store_command_get(x->st, (int)x->origin->kind, x->origin->id, x->cmd->id,
                                      &stored, &ok);
        if (rc < 0)
            return -1;
        if (rc) {
            x->out->reply = stored;
            x->out->ok = ok;
            x->out->duplicate = 1;
            return 0;
        }
    } else {
        refuse(x, "missing-field", "a command needs an id");
        return record_reply(x);
    }
    if (run_op(x) < 0)
        return -1;
    return record_reply(x);
}

static void op_ctx_init(op_ctx *x, jh_engine *e, const jh_origin *origin, const jh_command *cmd,
                        int64_t now_ms, jh_outcome *out)
{
    memset(x, 0, sizeof *x);
    x->e = e;
    x->cfg = e->cfg;
    x->st = e->st;
    x->origin = origin;
    x->cmd = cmd;
    x->now = now_ms;
    x->out = out;
    x->ci = origin->kind == JH_ORIGIN_COUNTER ? jh_config_counter_index(e->cfg, origin->id) : -1;
    x->reply = cJSON_CreateObject();
    add_str_or_null(x->reply, "id", cmd->id);
    cJSON_AddBoolToObject(x->reply, "ok", 1);
}

static void fail_store(jh_engine *e, const jh_command *cmd, jh_outcome *out, char *err,
                       size_t errlen)
{
    jh_store_rollback(e->st);
    const char *why = jh_store_errmsg(e->st);
    snprintf(err, errlen, "store: %s", why[0] ? why : "out of memory");
    free(out->reply);
    memset(out, 0, sizeof *out);
    out->reply = error_reply(cmd->id, "internal", "the queue store failed; nothing was changed");
}

int jh_engine_apply(jh_engine *e, const jh_origin *origin, const jh_command *cmd, int64_t now_ms,
                    jh_outcome *out, char *err, size_t errlen)
{
    op_ctx x;
    memset(out, 0, sizeof *out);
    op_ctx_init(&x, e, origin, cmd, now_ms, out);
    int rc = x.reply && jh_store_begin(e->st) == 0 ? apply_in_tx(&x) : -1;
    if (rc == 0)
        rc = jh_store_commit(e->st);
    cJSON_Delete(x.reply);
    if (rc < 0) {
        fail_store(e, cmd, out, err, errlen);
        return -1;
    }
    return 0;
}

void jh_outcome_free(jh_outcome *out)
{
    if (!out)
        return;
    free(out->reply);
    out->reply = NULL;
}

/* ---------- open / close ---------- */

static int ensure_counters(jh_engine *e)
{
    if (jh_store_begin(e->st) < 0)
        return -1;
    for (int i = 0; i < e->cfg->n_counters; i++)
        if (jh_store_counter_ensure(e->st, e->cfg->counters[i].id, 0) < 0) {
            jh_store_rollback(e->st);
            return -1;
        }
    return jh_store_commit(e->st);
}

jh_engine *jh_engine_open(const jh_hall_config *cfg, const char *db_path, char *err, size_t errlen)
{
    if (cfg->timezone[0] && jh_time_set_zone(cfg->timezone, err, errlen) < 0)
        return NULL;
    jh_engine *e = calloc(1, sizeof *e);
    if (!e) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    e->cfg = cfg;
    jh_dispatch_params_from_config(cfg, &e->dp);
    memset(e->svc_open, -1, sizeof e->svc_open);
    memset(e->svc_ewt, -1, sizeof e->svc_ewt);
    memset(e->ctr_overrun, -1, sizeof e->ctr_overrun);
    /* Day 0: the first apply or tick rolls over to the real business day. */
    e->st = jh_store_open(db_path, 0, err, errlen);
    if (e->st && ensure_counters(e) < 0)
        snprintf(err, errlen, "%s: %s", db_path, jh_store_errmsg(e->st));
    else if (e->st)
        return e;
    jh_engine_close(e);
    return NULL;
}

int jh_engine_set_durable(jh_engine *e, int durable) { return jh_store_set_durable(e->st, durable); }

void jh_engine_close(jh_engine *e)
{
    if (!e)
        return;
    jh_store_close(e->st);
    free(e);
}

/* ---------- tick ---------- */

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
    if (rollover(e, now, out, &day) < 0 || jh_store_commit(e->st) < 0) {
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
    if (jh_store_hall_get(e->st, &h) < 0 || ewt_snapshot(e, h.day, now) < 0)
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

/* Serving seconds of counter c now, and whether that overruns its service's target. */
static int counter_overrun(jh_engine *e, const jh_counter_row *c, int64_t now, jh_ticket *t,
                           int *serving_s, int *overrun)
{
    *serving_s = *overrun = 0;
    int rc = c->ticket_id ? jh_store_ticket_by_id(e->st, c->ticket_id, t) : 0;
    if (rc <= 0)
        return rc;
    const jh_service_config *s = service_cfg(e->cfg, t->service, NULL);
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
        if (rc < 0 || (rc && counter_overrun(e, &c, now, &t, &serving_s, &overrun) < 0))
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

static void alert_ticket_fields(op_ctx *x, cJSON *ev, const char *kind, const jh_ticket *t)
{
    cJSON_AddStringToObject(ev, "kind", kind);
    cJSON_AddStringToObject(ev, "ticket", t->label);
    add_service_ident(x, ev, t->service);
    cJSON_AddStringToObject(ev, "priority", prio_name(t->priority));
}

/* A ticket waiting past [dispatch] wait_alert_minutes: event alert, kind long-wait. */
static int alert_long_wait(op_ctx *x, int64_t id)
{
    jh_ticket t;
    if (jh_store_ticket_by_id(x->st, id, &t) != 1)
        return -1;
    t.wait_alerted = 1;
    jh_day_stats d = {.alerts_wait = 1};
    if (jh_store_ticket_update(x->st, &t) < 0 || jh_store_stats_add(x->st, t.day, &d) < 0)
        return -1;
    cJSON *ev = event_begin(x);
    alert_ticket_fields(x, ev, "long-wait", &t);
    add_str_or_null(ev, "counter", t.target_counter); /* a transfer directed at one counter */
    cJSON_AddNumberToObject(ev, "waited_s", x->now > t.queue_key ? (double)((x->now - t.queue_key) / 1000) : 0);
    cJSON_AddNumberToObject(ev, "limit_s", x->cfg->wait_alert_s);
    add_iso(ev, "at", x->now);
    return event_end(x, "alert", ev);
}

/* A counter's current service past its service's target: event alert, kind overrun. */
static int alert_overrun(op_ctx *x, int64_t id)
{
    jh_ticket t;
    const jh_service_config *s;
    if (jh_store_ticket_by_id(x->st, id, &t) != 1)
        return -1;
    s = service_cfg(x->cfg, t.service, NULL);
    t.overrun_alerted = 1;
    jh_day_stats d = {.alerts_overrun = 1};
    if (jh_store_ticket_update(x->st, &t) < 0 || jh_store_stats_add(x->st, t.day, &d) < 0)
        return -1;
    cJSON *ev = event_begin(x);
    alert_ticket_fields(x, ev, "overrun", &t);
    add_counter_ident(x, ev, t.counter);
    cJSON_AddStringToObject(ev, "staff_id", t.staff_id);
    cJSON_AddNumberToObject(ev, "serving_s", (double)((x->now - t.session_at) / 1000));
    cJSON_AddNumberToObject(ev, "limit_s", s ? s->target_service_s : 0);
    add_iso(ev, "at", x->now);
    return event_end(x, "alert", ev);
}

static int alerts_in_tx(op_ctx *x, const jh_queue_head *waits, int n_waits, const int64_t *overruns,
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
    op_ctx x;
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

int jh_engine_tick(jh_engine *e, int64_t now_ms, jh_outcome *out, char *err, size_t errlen)
{
    int64_t overruns[JH_MAX_COUNTERS];
    int n_overruns;
    memset(out, 0, sizeof *out);
    if (tick_rollover(e, now_ms, out) < 0 || tick_reads(e, now_ms, out, overruns, &n_overruns) < 0 ||
        tick_alerts(e, now_ms, out, overruns, n_overruns) < 0) {
        snprintf(err, errlen, "store: %s", jh_store_errmsg(e->st));
        return -1;
    }
    return 0;
}

/* ---------- retained states ---------- */

static char *print_and_free(cJSON *o)
{
    char *s = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return s;
}

static void counter_state_ticket(jh_engine *e, cJSON *o, const jh_counter_row *c, int64_t now)
{
    jh_ticket t;
    int serving_s, overrun;
    int rc = counter_overrun(e, c, now, &t, &serving_s, &overrun);
    add_str_or_null(o, "ticket", rc == 1 ? t.label : NULL);
    add_str_or_null(o, "service", rc == 1 ? t.service : NULL);
    add_str_or_null(o, "priority", rc == 1 ? prio_name(t.priority) : NULL);
    cJSON_AddNumberToObject(o, "call_count", rc == 1 ? t.session_calls : 0);
    cJSON_AddNumberToObject(o, "serving_s", serving_s);
    cJSON_AddBoolToObject(o, "overrun", overrun);
}

static char *counter_state_reads(jh_engine *e, int ci, int64_t now_ms)
{
    jh_counter_row c;
    if (ci < 0 || ci >= e->cfg->n_counters ||
        jh_store_counter_get(e->st, e->cfg->counters[ci].id, &c) != 1)
        return NULL;
    const jh_counter_config *cc = &e->cfg->counters[ci];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "counter", cc->id);
    cJSON_AddNumberToObject(o, "number", cc->number);
    cJSON_AddStringToObject(o, "name", cc->name_zh);
    cJSON_AddStringToObject(o, "name_en", cc->name_en);
    cJSON_AddStringToObject(o, "status", jh_counter_status_name(c.status));
    add_str_or_null(o, "staff_id", c.staff_id);
    add_str_or_null(o, "staff_name", c.staff_name);
    cJSON_AddStringToObject(o, "message", c.message);
    add_iso(o, "since", c.since);
    counter_state_ticket(e, o, &c, now_ms);
    return print_and_free(o);
}

static void service_state_fields(jh_engine *e, cJSON *o, int si, const jh_hall_row *h,
                                 const jh_numbering_row *n, int64_t now)
{
    const jh_service_config *s = &e->cfg->services[si];
    int64_t next_open = 0;
    int open = h->open && jh_service_open_at(s, now, &next_open);
    int number = n->issued == 0 ? s->first_number : n->last_number + 1;
    int can_issue = number <= s->last_number && (s->daily_limit <= 0 || n->issued < s->daily_limit);
    char label[JH_ID_LEN];
    format_label(s, number, label, sizeof label);
    cJSON_AddBoolToObject(o, "open", open);
    add_iso(o, "next_open", open || !h->open ? 0 : next_open);
    cJSON_AddNumberToObject(o, "waiting", n->waiting);
    cJSON_AddNumberToObject(o, "waiting_priority", n->waiting_priority);
    add_str_or_null(o, "next_ticket", can_issue ? label : NULL);
    add_str_or_null(o, "last_called", n->last_called);
    cJSON_AddNumberToObject(o, "day", h->day);
}

static char *service_state_reads(jh_engine *e, int si, int64_t now_ms)
{
    jh_hall_row h;
    jh_numbering_row n;
    int ewt;
    if (si < 0 || si >= e->cfg->n_services || jh_store_hall_get(e->st, &h) < 0)
        return NULL;
    const jh_service_config *s = &e->cfg->services[si];
    if (jh_store_numbering_get(e->st, h.day, s->code, &n) < 0 ||
        service_ewt(e, h.day, si, 0, now_ms, &ewt) < 0)
        return NULL;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "service", s->code);
    cJSON_AddStringToObject(o, "name", s->name_zh);
    cJSON_AddStringToObject(o, "name_en", s->name_en);
    service_state_fields(e, o, si, &h, &n, now_ms);
    cJSON_AddNumberToObject(o, "ewt_s", ewt);
    cJSON_AddNumberToObject(o, "target_service_s", s->target_service_s);
    return print_and_free(o);
}

static cJSON *last_called_json(jh_engine *e, int day)
{
    jh_call_row rows[LAST_CALLED_MAX];
    int n;
    if (jh_store_last_calls(e->st, day, rows, LAST_CALLED_MAX, &n) < 0)
        return NULL;
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; i < n; i++) {
        cJSON *r = cJSON_CreateObject();
        int ci = jh_config_counter_index(e->cfg, rows[i].counter);
        cJSON_AddStringToObject(r, "ticket", rows[i].label);
        cJSON_AddStringToObject(r, "counter", rows[i].counter);
        if (ci >= 0)
            cJSON_AddNumberToObject(r, "counter_number", e->cfg->counters[ci].number);
        add_iso(r, "at", rows[i].at);
        cJSON_AddItemToArray(arr, r);
    }
    return arr;
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
static int today_live(jh_engine *e, int day, int *waiting, int *waiting_green, int by_status[JH_CS_COUNT])
{
    jh_numbering_row n;
    *waiting = *waiting_green = 0;
    memset(by_status, 0, JH_CS_COUNT * sizeof *by_status);
    for (int i = 0; i < e->cfg->n_services; i++) {
        if (jh_store_numbering_get(e->st, day, e->cfg->services[i].code, &n) < 0)
            return -1;
        *waiting += n.waiting;
        *waiting_green += n.waiting_priority;
    }
    if (jh_store_counters_brief(e->st, e->cfg, e->brief) < 0)
        return -1;
    for (int i = 0; i < e->cfg->n_counters; i++)
        if (e->brief[i].found && (unsigned)e->brief[i].status < JH_CS_COUNT)
            by_status[e->brief[i].status]++;
    return 0;
}

static void add_mean(cJSON *o, const char *key, int64_t sum, int64_t n)
{
    if (n > 0)
        cJSON_AddNumberToObject(o, key, (double)((sum + n / 2) / n));
    else
        cJSON_AddNullToObject(o, key);
}

static void add_figures(cJSON *o, const jh_day_stats *d, int64_t p90)
{
    int64_t judged = d->ratings - d->ratings_flagged;
    cJSON_AddNumberToObject(o, "issued", (double)d->issued);
    cJSON_AddNumberToObject(o, "issued_green", (double)d->issued_green);
    cJSON_AddNumberToObject(o, "served", (double)d->served);
    cJSON_AddNumberToObject(o, "served_green", (double)d->served_green);
    cJSON_AddNumberToObject(o, "no_shows", (double)d->no_shows);
    cJSON_AddNumberToObject(o, "voided", (double)d->voided);
    cJSON_AddNumberToObject(o, "expired", (double)d->expired);
    add_mean(o, "mean_wait_s", d->wait_sum_s, d->called);
    if (d->called > 0) {
        cJSON_AddNumberToObject(o, "p90_wait_s", (double)p90);
        cJSON_AddNumberToObject(o, "max_wait_s", (double)d->wait_max_s);
    } else {
        cJSON_AddNullToObject(o, "p90_wait_s");
        cJSON_AddNullToObject(o, "max_wait_s");
    }
    add_mean(o, "mean_service_s", d->service_sum_s, d->served);
    cJSON_AddNumberToObject(o, "overruns", (double)d->overruns);
    cJSON_AddNumberToObject(o, "ratings", (double)d->ratings);
    if (judged > 0) /* as the reports: unflagged ratings of 4 or 5, one decimal */
        cJSON_AddNumberToObject(o, "satisfaction_pct",
                                (double)((d->satisfied * 1000 + judged / 2) / judged) / 10);
    else
        cJSON_AddNullToObject(o, "satisfaction_pct");
}

/* state/hall "today": the business day's running figures (docs/engine.md "Live supervision"). */
static cJSON *today_json(jh_engine *e, int day)
{
    jh_day_stats d;
    int64_t p90;
    int waiting, waiting_green, by_status[JH_CS_COUNT];
    if (jh_store_stats_get(e->st, day, &d) < 0 || wait_p90(e, day, &d, &p90) < 0 ||
        today_live(e, day, &waiting, &waiting_green, by_status) < 0)
        return NULL;
    cJSON *o = cJSON_CreateObject();
    add_figures(o, &d, p90);
    cJSON_AddNumberToObject(o, "waiting", waiting);
    cJSON_AddNumberToObject(o, "waiting_green", waiting_green);
    cJSON_AddNumberToObject(o, "serving", by_status[JH_CS_SERVING]);
    cJSON_AddNumberToObject(o, "counters_open", by_status[JH_CS_IDLE] + by_status[JH_CS_SERVING]);
    cJSON_AddNumberToObject(o, "counters_paused", by_status[JH_CS_PAUSED]);
    return o;
}

static char *hall_state_reads(jh_engine *e, int64_t now_ms)
{
    jh_hall_row h;
    (void)now_ms;
    if (jh_store_hall_get(e->st, &h) < 0)
        return NULL;
    cJSON *calls = last_called_json(e, h.day), *today = calls ? today_json(e, h.day) : NULL;
    if (!today) {
        cJSON_Delete(calls);
        return NULL;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "site", e->cfg->site);
    cJSON_AddStringToObject(o, "name", e->cfg->name_zh);
    cJSON_AddStringToObject(o, "name_en", e->cfg->name_en);
    cJSON_AddBoolToObject(o, "open", h.open);
    cJSON_AddStringToObject(o, "notice", h.notice);
    cJSON_AddNumberToObject(o, "day", h.day);
    cJSON_AddNumberToObject(o, "seq", (double)h.seq);
    cJSON_AddItemToObject(o, "last_called", calls);
    cJSON_AddItemToObject(o, "today", today);
    return print_and_free(o);
}

/* ---------- estimated wait, explained ---------- */

static int estimate_reads(jh_engine *e, int si, int green, int64_t now_ms, jh_estimate *out)
{
    jh_hall_row h;
    memset(out, 0, sizeof *out);
    if (si < 0 || si >= e->cfg->n_services || jh_store_hall_get(e->st, &h) < 0 ||
        ewt_snapshot(e, h.day, now_ms) < 0)
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

/* ---------- outbox ---------- */

int jh_engine_outbox_next(jh_engine *e, int64_t after_seq, jh_event *ev)
{
    memset(ev, 0, sizeof *ev);
    return jh_store_event_next(e->st, after_seq, &ev->seq, ev->kind, sizeof ev->kind, &ev->payload);
}

int jh_engine_outbox_ack(jh_engine *e, int64_t seq) { return jh_store_event_ack(e->st, seq); }

void jh_event_free(jh_event *ev)
{
    if (!ev)
        return;
    free(ev->payload);
    ev->payload = NULL;
}
