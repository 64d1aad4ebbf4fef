/* SPDX-License-Identifier: MIT */
/*
 * sim_run — a simulated day through a real hall (sim_run.h).
 *
 * A binary heap of timed actions is the virtual clock: the hall's clock is
 * moved to the earliest action's moment (the hall ticks on the way, as
 * sim_clock.h says), the action is sent, and what follows is scheduled from
 * the hall's answer (a called visitor walks up and is served, or does not
 * come and is recalled; an idle counter looks again a little later). Ties
 * keep the order they were scheduled in, so a day is reproducible. Each
 * counter has at most one pending action, besides the ratings its visitors
 * give. An idle
 * counter does not poll: like staff watching their caller's screen, it looks
 * a few seconds after a ticket for one of its services appears, when a pause
 * is due, or when its session ends.
 */
#include "sim_run.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_clock.h"

#define RECALL_MS 45000LL
#define SEC 1000LL

typedef enum {
    A_ARRIVE, A_VOID, A_FLAG, A_BACK,      /* visitor a */
    A_LOGIN, A_WAKE, A_RECALL, A_FINISH, A_RESUME, /* counter a; login: session b */
    A_RATE                                 /* counter a, visitor b */
} action_kind;

typedef struct {
    int64_t at, order;
    action_kind kind;
    int a, b;
} action;

typedef struct {
    int logged_in, session, next_pause;
    int visitor;   /* being served, or -1 */
    int idle;      /* waiting for work: woken when a ticket for it arrives */
    int paused;
    int gen;       /* of the one wake that counts; older ones are ignored */
    uint64_t rng;  /* the staff's small choices (how soon they look again) */
} counter_rt;

typedef struct {
    const jh_sim_hall *hall;
    const jh_hall_config *cfg;
    const jh_sim_day *day;
    jh_sim_result *res;
    action *heap;
    int n_heap, cap_heap;
    int64_t order, now, cmd_no;
    counter_rt ctr[JH_MAX_COUNTERS];
    int *stage;    /* per visitor: 0 first service, 1 after a transfer */
    int *returned; /* per visitor: came back after a no-show */
    int *by_number[JH_MAX_SERVICES]; /* visitor of each issued number */
    int64_t last_end;
    char *err;
    size_t errlen;
    int failed;
} sim;

/* ---- the action heap ---- */

static int earlier(const action *x, const action *y)
{
    return x->at != y->at ? x->at < y->at : x->order < y->order;
}

static void schedule(sim *s, int64_t at, action_kind kind, int a, int b)
{
    if (s->n_heap == s->cap_heap) {
        int n = s->cap_heap ? s->cap_heap * 2 : 1024;
        action *p = realloc(s->heap, (size_t)n * sizeof *p);
        if (!p) {
            s->failed = 1;
            snprintf(s->err, s->errlen, "out of memory");
            return;
        }
        s->heap = p;
        s->cap_heap = n;
    }
    int i = s->n_heap++;
    s->heap[i] = (action){at, s->order++, kind, a, b};
    while (i > 0 && earlier(&s->heap[i], &s->heap[(i - 1) / 2])) {
        action t = s->heap[i];
        s->heap[i] = s->heap[(i - 1) / 2];
        s->heap[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
}

static action pop(sim *s)
{
    action top = s->heap[0];
    s->heap[0] = s->heap[--s->n_heap];
    for (int i = 0;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < s->n_heap && earlier(&s->heap[l], &s->heap[m]))
            m = l;
        if (r < s->n_heap && earlier(&s->heap[r], &s->heap[m]))
            m = r;
        if (m == i)
            break;
        action t = s->heap[i];
        s->heap[i] = s->heap[m];
        s->heap[m] = t;
        i = m;
    }
    return top;
}

/* Seconds in [lo, hi] from counter c's own generator (xorshift64). */
static int64_t staff_delay_ms(sim *s, int c, int lo, int hi)
{
    uint64_t *x = &s->ctr[c].rng;
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return (lo + (int64_t)(*x % (uint64_t)(hi - lo + 1))) * SEC;
}

static void wake_at(sim *s, int c, int64_t at) { schedule(s, at, A_WAKE, c, ++s->ctr[c].gen); }

static int counter_serves(const jh_counter_config *cc, int si)
{
    for (int i = 0; i < cc->n_services; i++)
        if (cc->services[i] == si)
            return 1;
    return 0;
}

/* A ticket for service si appeared: idle counters serving it notice soon. */
static void notify(sim *s, int si)
{
    for (int c = 0; c < s->cfg->n_counters; c++) {
        counter_rt *k = &s->ctr[c];
        if (k->logged_in && k->idle && counter_serves(&s->cfg->counters[c], si)) {
            k->idle = 0;
            wake_at(s, c, s->now + staff_delay_ms(s, c, 5, 30));
        }
    }
}

/* ---- commands ---- */

/* Sends cmd from (kind, id) now; returns the parsed reply (NULL after a failure of the hall). */
static cJSON *send(sim *s, jh_origin_kind kind, const char *id, jh_command *cmd)
{
    jh_origin o = {.kind = kind};
    snprintf(o.id, sizeof o.id, "%s", id);
    /* ids are remembered 48 h: a day added to the same store must not resend yesterday's */
    snprintf(cmd->id, sizeof cmd->id, "sim-%d-%lld", s->day->date, (long long)++s->cmd_no);
    char *reply = s->hall->send(s->hall->ctx, &o, cmd, s->err, s->errlen);
    cJSON *r = reply ? cJSON_Parse(reply) : NULL;
    int answered = reply != NULL;
    free(reply);
    if (!r) {
        if (answered)
            snprintf(s->err, s->errlen, "the reply to %s is not JSON", jh_op_name(cmd->op));
        s->failed = 1;
        return NULL;
    }
    s->res->commands++;
    return r;
}

static int reply_ok(const cJSON *r) { return cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")); }

static const char *reply_str(const cJSON *r, const char *key)
{
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(r, key));
    return v ? v : "";
}

static jh_command counter_cmd(jh_op op)
{
    jh_command c;
    memset(&c, 0, sizeof c);
    c.op = op;
    return c;
}

/* Sends a counter op; an unexpected refusal is counted. Returns the reply or NULL. */
static cJSON *counter_op(sim *s, int c, jh_command *cmd)
{
    cJSON *r = send(s, JH_ORIGIN_COUNTER, s->cfg->counters[c].id, cmd);
    if (r && !reply_ok(r))
        s->res->refused++;
    return r;
}

static void simple_op(sim *s, int c, jh_op op)
{
    jh_command cmd = counter_cmd(op);
    cJSON_Delete(counter_op(s, c, &cmd));
}

/* The visitor holding `label` (issued by this simulation), or -1. */
static int visitor_of(sim *s, const char *label)
{
    char code[JH_ID_LEN];
    int n = 0;
    while (isupper((unsigned char)label[n]) && n < JH_ID_LEN - 1) {
        code[n] = label[n];
        n++;
    }
    code[n] = '\0';
    int si = jh_config_service_index(s->cfg, code), number = atoi(label + n);
    if (si < 0 || number < 0 || number > s->cfg->services[si].last_number)
        return -1;
    return s->by_number[si][number];
}

/* ---- visitors ---- */

static void on_arrive(sim *s, int v)
{
    const jh_sim_visitor *sv = &s->day->visitors[v];
    jh_sim_ticket *t = &s->res->tickets[v];
    jh_estimate est = {.simple_s = -1, .ewt_s = -1};
    jh_command cmd = counter_cmd(JH_OP_TAKE);
    const char *kiosk = sv->kiosk >= 0 ? s->cfg->kiosks[sv->kiosk].id : "sim";
    const jh_sim_hall *h = s->hall;
    if (h->estimate && h->estimate(h->ctx, sv->service, sv->priority != JH_PRIO_NONE, &est) < 0) {
        s->failed = 1;
        snprintf(s->err, s->errlen, "estimate failed");
        return;
    }
    snprintf(cmd.service, sizeof cmd.service, "%s", s->cfg->services[sv->service].code);
    cmd.priority = sv->priority;
    cJSON *r = send(s, JH_ORIGIN_KIOSK, kiosk, &cmd);
    if (!r || !reply_ok(r)) {
        s->res->take_refused += r != NULL;
        cJSON_Delete(r);
        return;
    }
    snprintf(t->label, sizeof t->label, "%s", reply_str(r, "ticket"));
    t->green = sv->priority != JH_PRIO_NONE;
    t->issued_at = s->now;
    t->ewt_s = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(r, "ewt_s"));
    t->simple_s = est.simple_s;
    s->res->ewt_mismatch += h->estimate && t->ewt_s != est.ewt_s;
    s->res->issued++;
    cJSON_Delete(r);
    int number = atoi(t->label + strlen(s->cfg->services[sv->service].code));
    s->by_number[sv->service][number] = v;
    notify(s, sv->service);
    if (sv->voided)
        schedule(s, s->now + SEC, A_VOID, v, 0);
    else if (sv->flag_after_s)
        schedule(s, s->now + sv->flag_after_s * SEC, A_FLAG, v, 0);
}

static void on_void(sim *s, int v)
{
    const jh_sim_visitor *sv = &s->day->visitors[v];
    jh_command cmd = counter_cmd(JH_OP_VOID);
    snprintf(cmd.ticket, sizeof cmd.ticket, "%s", s->res->tickets[v].label);
    snprintf(cmd.reason, sizeof cmd.reason, "paper-out");
    cJSON *r = send(s, JH_ORIGIN_KIOSK, sv->kiosk >= 0 ? s->cfg->kiosks[sv->kiosk].id : "sim", &cmd);
    s->res->voided += r && reply_ok(r);
    cJSON_Delete(r);
}

/* The guide desk flags a waiting ordinary ticket green (no login needed). */
static void on_flag(sim *s, int v)
{
    jh_command cmd = counter_cmd(JH_OP_FLAG);
    snprintf(cmd.ticket, sizeof cmd.ticket, "%s", s->res->tickets[v].label);
    cmd.priority = JH_PRIO_ELDERLY;
    cJSON *r = send(s, JH_ORIGIN_COUNTER, s->cfg->counters[0].id, &cmd);
    s->res->flagged += r && reply_ok(r); /* already called by then: refused, and that is fine */
    cJSON_Delete(r);
}

/* A no-show came back: any logged-in counter re-queues the ticket. */
static void on_back(sim *s, int v)
{
    for (int c = 0; c < s->cfg->n_counters; c++) {
        if (!s->ctr[c].logged_in)
            continue;
        jh_command cmd = counter_cmd(JH_OP_REQUEUE);
        snprintf(cmd.ticket, sizeof cmd.ticket, "%s", s->res->tickets[v].label);
        cJSON *r = counter_op(s, c, &cmd);
        if (r && reply_ok(r)) {
            s->returned[v] = 1;
            s->res->requeued++;
            notify(s, s->stage[v] ? s->day->visitors[v].transfer_to : s->day->visitors[v].service);
        }
        cJSON_Delete(r);
        return;
    }
}

/* ---- counters ---- */

static void on_login(sim *s, int c, int session)
{
    const jh_sim_counter *sc = &s->day->counters[c];
    jh_command cmd = counter_cmd(JH_OP_LOGIN);
    snprintf(cmd.staff_id, sizeof cmd.staff_id, "%s", sc->staff[session]);
    snprintf(cmd.staff_name, sizeof cmd.staff_name, "员工%s", sc->staff[session]);
    cJSON *r = counter_op(s, c, &cmd);
    if (r && reply_ok(r)) {
        s->ctr[c].logged_in = 1;
        s->ctr[c].session = session;
        if (s->ctr[c].visitor < 0 && !s->ctr[c].paused) /* still busy from before: it goes on */
            wake_at(s, c, s->now);
    }
    cJSON_Delete(r);
}

/* 暂停服务 when one is due; 1 = paused. */
static int maybe_pause(sim *s, int c)
{
    const jh_sim_counter *sc = &s->day->counters[c];
    counter_rt *k = &s->ctr[c];
    if (k->next_pause >= sc->n_pauses || s->now < sc->pauses[k->next_pause].start)
        return 0;
    const jh_sim_span *p = &sc->pauses[k->next_pause++];
    jh_command cmd = counter_cmd(JH_OP_PAUSE);
    snprintf(cmd.reason, sizeof cmd.reason, "break");
    snprintf(cmd.message, sizeof cmd.message, "暂停服务，%d 分钟后回来 / Back in %d min",
             (int)((p->end - p->start) / 60000), (int)((p->end - p->start) / 60000));
    cJSON *r = counter_op(s, c, &cmd);
    int ok = r && reply_ok(r);
    cJSON_Delete(r);
    if (ok) {
        k->paused = 1;
        s->res->pauses++;
        schedule(s, s->now + (p->end - p->start), A_RESUME, c, 0);
    }
    return ok;
}

/* Nobody waits: log out after the session's end (延时服务: not before the queue
 * is empty), else wait for work, a due pause or the end of the session. */
static void idle(sim *s, int c)
{
    const jh_sim_counter *sc = &s->day->counters[c];
    counter_rt *k = &s->ctr[c];
    int64_t at = sc->sessions[k->session].end;
    if (s->now >= at) {
        simple_op(s, c, JH_OP_LOGOUT);
        k->logged_in = 0;
        return;
    }
    if (k->next_pause < sc->n_pauses && sc->pauses[k->next_pause].start < at)
        at = sc->pauses[k->next_pause].start > s->now ? sc->pauses[k->next_pause].start : s->now;
    k->idle = 1;
    wake_at(s, c, at);
}

static void called(sim *s, int c, int v)
{
    const jh_sim_visitor *sv = &s->day->visitors[v];
    s->ctr[c].visitor = v;
    s->res->calls++;
    if (!s->res->tickets[v].called_at)
        s->res->tickets[v].called_at = s->now;
    if (sv->no_show && !s->returned[v]) {
        schedule(s, s->now + RECALL_MS, A_RECALL, c, 0);
        return;
    }
    int case_s = s->stage[v] ? sv->transfer_service_s : sv->service_s;
    schedule(s, s->now + (sv->walk_s + case_s) * SEC, A_FINISH, c, 0);
}

static void on_wake(sim *s, int c, int gen)
{
    if (gen != s->ctr[c].gen || !s->ctr[c].logged_in)
        return;
    s->ctr[c].idle = 0;
    if (maybe_pause(s, c))
        return;
    jh_command cmd = counter_cmd(JH_OP_CALL_NEXT);
    cJSON *r = counter_op(s, c, &cmd);
    const char *label = r ? reply_str(r, "ticket") : "";
    int v = label[0] ? visitor_of(s, label) : -1;
    cJSON_Delete(r);
    if (v >= 0)
        called(s, c, v);
    else
        idle(s, c);
}

static void on_recall(sim *s, int c)
{
    jh_command cmd = counter_cmd(JH_OP_RECALL);
    cJSON *r = counter_op(s, c, &cmd);
    int gone = r && cJSON_IsTrue(cJSON_GetObjectItem(r, "no_show"));
    cJSON_Delete(r);
    s->res->recalls += !gone;
    if (!gone) {
        schedule(s, s->now + RECALL_MS, A_RECALL, c, 0);
        return;
    }
    int v = s->ctr[c].visitor;
    s->res->no_shows++;
    s->ctr[c].visitor = -1;
    if (s->day->visitors[v].back_after_s)
        schedule(s, s->now + s->day->visitors[v].back_after_s * SEC, A_BACK, v, 0);
    wake_at(s, c, s->now + staff_delay_ms(s, c, 5, 15));
}

static void on_finish(sim *s, int c)
{
    int v = s->ctr[c].visitor;
    const jh_sim_visitor *sv = &s->day->visitors[v];
    s->ctr[c].visitor = -1;
    if (!s->stage[v] && sv->transfer_to >= 0) { /* 首问负责制: handed on, keeps its place */
        jh_command cmd = counter_cmd(JH_OP_TRANSFER);
        snprintf(cmd.to_service, sizeof cmd.to_service, "%s",
                 s->cfg->services[sv->transfer_to].code);
        cJSON *r = counter_op(s, c, &cmd);
        s->stage[v] = 1;
        s->res->transfers += r && reply_ok(r);
        cJSON_Delete(r);
        notify(s, sv->transfer_to);
    } else {
        simple_op(s, c, JH_OP_FINISH);
        s->res->finished++;
        if (sv->rating)
            schedule(s, s->now + sv->rating_after_ms, A_RATE, c, v);
    }
    wake_at(s, c, s->now + staff_delay_ms(s, c, 5, 20));
}

static void on_rate(sim *s, int c, int v)
{
    jh_command cmd = counter_cmd(JH_OP_RATE);
    snprintf(cmd.ticket, sizeof cmd.ticket, "%s", s->res->tickets[v].label);
    cmd.score = s->day->visitors[v].rating;
    cJSON *r = counter_op(s, c, &cmd);
    s->res->ratings += r && reply_ok(r);
    cJSON_Delete(r);
}

static void on_resume(sim *s, int c)
{
    simple_op(s, c, JH_OP_RESUME);
    s->ctr[c].paused = 0;
    wake_at(s, c, s->now);
}

static void run_action(sim *s, const action *a)
{
    switch (a->kind) {
    case A_ARRIVE: on_arrive(s, a->a); break;
    case A_VOID: on_void(s, a->a); break;
    case A_FLAG: on_flag(s, a->a); break;
    case A_BACK: on_back(s, a->a); break;
    case A_LOGIN: on_login(s, a->a, a->b); break;
    case A_WAKE: on_wake(s, a->a, a->b); break;
    case A_RECALL: on_recall(s, a->a); break;
    case A_FINISH: on_finish(s, a->a); break;
    case A_RESUME: on_resume(s, a->a); break;
    case A_RATE: on_rate(s, a->a, a->b); break;
    }
}

/* The schedule's own moments: arrivals and logins. */
static void seed_actions(sim *s)
{
    const jh_sim_day *d = s->day;
    for (int v = 0; v < d->n_visitors; v++)
        schedule(s, d->visitors[v].arrive_at, A_ARRIVE, v, 0);
    for (int c = 0; c < d->n_counters && c < s->cfg->n_counters; c++) {
        s->ctr[c] = (counter_rt){.visitor = -1, .rng = d->seed * 31 + (uint64_t)c * 7919 + 1};
        for (int i = 0; i < d->counters[c].n_sessions; i++) {
            const jh_sim_span *sp = &d->counters[c].sessions[i];
            schedule(s, sp->start, A_LOGIN, c, i);
            s->last_end = sp->end > s->last_end ? sp->end : s->last_end;
        }
    }
}

/* Moves the hall's clock (and ours) to `at`; the hall ticks on the way. */
static void advance(sim *s, int64_t at)
{
    if (s->hall->advance(s->hall->ctx, at, s->err, s->errlen) < 0)
        s->failed = 1;
    else
        s->now = at;
}

static int setup(sim *s, const jh_hall_config *cfg, const jh_sim_day *day, jh_sim_result *res)
{
    memset(res, 0, sizeof *res);
    res->tickets = calloc((size_t)(day->n_visitors ? day->n_visitors : 1), sizeof *res->tickets);
    s->stage = calloc((size_t)day->n_visitors + 1, sizeof *s->stage);
    s->returned = calloc((size_t)day->n_visitors + 1, sizeof *s->returned);
    if (!res->tickets || !s->stage || !s->returned)
        return -1;
    for (int i = 0; i < cfg->n_services; i++)
        if (!(s->by_number[i] = calloc((size_t)cfg->services[i].last_number + 1, sizeof(int))))
            return -1;
    return 0;
}

static void teardown(sim *s)
{
    free(s->heap);
    free(s->stage);
    free(s->returned);
    for (int i = 0; i < JH_MAX_SERVICES; i++)
        free(s->by_number[i]);
}

/* The morning: the clock starts at the business day's start, and the hall
 * opens at the first action (an earlier simulated day ended closed). */
static void open_hall(sim *s)
{
    jh_command cmd = counter_cmd(JH_OP_OPEN);
    int64_t start = jh_sim_clock_day_start(s->cfg, s->day->date);
    int64_t first = s->n_heap > 0 ? s->heap[0].at : start; /* nobody comes: just the end-day */
    advance(s, start >= 0 && start < first ? start : first);
    advance(s, first);
    if (!s->failed && s->n_heap > 0)
        cJSON_Delete(send(s, JH_ORIGIN_ADMIN, "admin", &cmd));
}

/* end-day once the last session is over: whoever still waits has gone home. */
static void end_day(sim *s)
{
    jh_command cmd = counter_cmd(JH_OP_END_DAY);
    if (s->now < s->last_end)
        advance(s, s->last_end);
    cJSON *r = s->failed ? NULL : send(s, JH_ORIGIN_ADMIN, "admin", &cmd);
    if (r)
        s->res->expired = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(r, "expired"));
    cJSON_Delete(r);
    s->res->ended_at = s->now;
    s->hall->alerts(s->hall->ctx, &s->res->alerts_wait, &s->res->alerts_overrun);
}

int jh_sim_play(const jh_sim_hall *hall, const jh_hall_config *cfg, const jh_sim_day *day,
                jh_sim_result *res, char *err, size_t errlen)
{
    sim *s = calloc(1, sizeof *s);
    if (s) {
        s->hall = hall;
        s->cfg = cfg;
        s->day = day;
        s->res = res;
        s->err = err;
        s->errlen = errlen;
    }
    if (!s || setup(s, cfg, day, res) < 0) {
        snprintf(err, errlen, "out of memory");
        if (s)
            teardown(s);
        free(s);
        return -1;
    }
    seed_actions(s);
    open_hall(s);
    while (!s->failed && s->n_heap > 0) {
        action a = pop(s);
        if (a.at > s->now)
            advance(s, a.at);
        if (!s->failed)
            run_action(s, &a);
    }
    if (!s->failed)
        end_day(s);
    int failed = s->failed;
    teardown(s);
    free(s);
    return failed ? -1 : 0;
}

void jh_sim_result_free(jh_sim_result *res)
{
    free(res->tickets);
    res->tickets = NULL;
}
