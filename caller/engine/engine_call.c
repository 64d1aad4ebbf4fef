/* SPDX-License-Identifier: MIT */
/*
 * engine_call — a counter's work on tickets: call-next, call, recall,
 * no-show, requeue, finish, transfer, flag.
 *
 * Owns: a ticket's way through a counter (called, recalled up to the limit,
 * a no-show who may come back, finished with its service time and overrun,
 * transferred keeping its place: 首问负责制), asking the policy (dispatch.c)
 * which ticket comes next, and the events a board announces (called,
 * recalled) or a rating pad waits for (finished).
 */
#include "engine_int.h"

#include <stdio.h>
#include <string.h>

/* Finishes the counter's current ticket, if any (event finished). */
static int finish_current(eng_op *x, jh_counter_row *c)
{
    jh_ticket t;
    int rc = c->ticket_id ? jh_store_ticket_by_id(x->st, c->ticket_id, &t) : 0;
    if (rc <= 0)
        return rc;
    const jh_service_config *s = eng_service_cfg(x->cfg, t.service, NULL);
    int target = s ? s->target_service_s : 0;
    t.status = JH_TS_FINISHED;
    t.finished_at = x->now;
    t.service_s = (int)((x->now - t.session_at) / 1000);
    t.overran = target > 0 && t.service_s > target;
    c->ticket_id = 0;
    c->last_finished_id = t.id;
    c->last_finished_at = x->now;
    eng_set_status(x, c, JH_CS_IDLE);
    jh_day_stats d = {.served = 1, .served_green = t.priority != JH_PRIO_NONE,
                      .service_sum_s = t.service_s, .overruns = t.overran};
    if (jh_store_ticket_update(x->st, &t) < 0 || eng_stats_add(x, &d) < 0)
        return -1;
    jh_event_payload ev;
    eng_event_init(x, JH_EVENT_FINISHED, &ev);
    snprintf(ev.ticket, sizeof ev.ticket, "%s", t.label);
    eng_counter_ident(x->cfg, c->id, &ev);
    snprintf(ev.staff_id, sizeof ev.staff_id, "%s", c->staff_id);
    snprintf(ev.service, sizeof ev.service, "%s", t.service);
    ev.service_s = t.service_s;
    ev.target_s = target;
    ev.overrun = t.overran;
    cJSON_AddStringToObject(x->reply, JH_KEY_FINISHED, t.label);
    return eng_event_emit(x, &ev, 0);
}

/* A ticket's first call ends its wait: into the day's mean, maximum and histogram. */
static int first_call_figures(eng_op *x, const jh_ticket *t)
{
    int64_t wait_s = (x->now - t->issued_at) / 1000;
    jh_day_stats d = {.called = 1, .wait_sum_s = wait_s, .wait_max_s = wait_s};
    return eng_stats_add(x, &d) < 0 || jh_store_wait_hist_add(x->st, x->day, (int)wait_s) < 0 ? -1 : 0;
}

/* What a board needs to show and announce a call or a recall. */
static void call_fields(eng_op *x, jh_event_kind kind, const jh_ticket *t, const jh_counter_row *c,
                        jh_event_payload *ev)
{
    eng_event_init(x, kind, ev);
    snprintf(ev->ticket, sizeof ev->ticket, "%s", t->label);
    eng_counter_ident(x->cfg, c->id, ev);
    eng_service_ident(x->cfg, t->service, ev);
    snprintf(ev->priority, sizeof ev->priority, "%s", eng_prio_name(t->priority));
    ev->call_count = t->session_calls;
    snprintf(ev->staff_id, sizeof ev->staff_id, "%s", c->staff_id);
    snprintf(ev->staff_name, sizeof ev->staff_name, "%s", c->staff_name);
}

static int call_announce(eng_op *x, const jh_ticket *t, const jh_counter_row *c, const jh_pick *pk)
{
    jh_event_payload ev;
    call_fields(x, JH_EVENT_CALLED, t, c, &ev);
    ev.waited_s = pk->waited_s;
    snprintf(ev.why.policy, sizeof ev.why.policy, "%s", jh_policy_name(x->cfg->policy));
    snprintf(ev.why.rule, sizeof ev.why.rule, "%s", pk->rule);
    snprintf(ev.why.text, sizeof ev.why.text, "%s", pk->text);
    return eng_event_emit(x, &ev, 1);
}

/* Makes waiting ticket t the counter's current one (event called; reply carries it). */
static int call_ticket(eng_op *x, jh_counter_row *c, jh_ticket *t, const jh_pick *pk)
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
    eng_set_status(x, c, JH_CS_SERVING);
    if (jh_store_ticket_update(x->st, t) < 0 ||
        jh_store_waiting_add(x->st, x->day, t->service, -1, green ? -1 : 0) < 0 ||
        jh_store_set_last_called(x->st, x->day, t->service, t->label) < 0 ||
        jh_store_call_log(x->st, t, "call", x->now) < 0 || jh_store_counter_put(x->st, c) < 0)
        return -1;
    eng_mark_service(x, t->service);
    x->out->hall_dirty = 1;
    eng_audit_ticket(x, t->label);
    return call_announce(x, t, c, pk);
}

/* ---------- dispatch ---------- */

/* Oldest waiting ticket of the first of the counter's services that has one. */
static int first_head(eng_op *x, const jh_counter_config *cc, int green, jh_candidate *cand,
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
static int choose_next(eng_op *x, const jh_counter_row *c, jh_pick *pk, int64_t *id)
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

/* ---------- calling ---------- */

int eng_op_call_next(eng_op *x)
{
    jh_counter_row c;
    jh_ticket t;
    jh_pick pk;
    int64_t id;
    int rc = eng_need_login(x, &c);
    if (rc <= 0)
        return rc;
    if (finish_current(x, &c) < 0 || eng_resume_if_paused(x, &c) < 0 ||
        choose_next(x, &c, &pk, &id) < 0)
        return -1;
    if (!id) {
        cJSON_AddNullToObject(x->reply, JH_KEY_TICKET);
        return jh_store_counter_put(x->st, &c);
    }
    if (jh_store_ticket_by_id(x->st, id, &t) != 1)
        return -1;
    return call_ticket(x, &c, &t, &pk);
}

int eng_op_call(eng_op *x)
{
    jh_counter_row c;
    jh_ticket t;
    jh_pick pk;
    int rc = eng_need_login(x, &c);
    if (rc <= 0 || (rc = eng_find_ticket(x, &t)) <= 0)
        return rc;
    if (t.status != JH_TS_WAITING)
        return eng_refuse(x, "not-waiting", "ticket %s is %s", t.label,
                          jh_ticket_status_name(t.status));
    if (finish_current(x, &c) < 0 || eng_resume_if_paused(x, &c) < 0)
        return -1;
    jh_dispatch_requested(&x->e->dp, t.queue_key, x->now, &pk);
    return call_ticket(x, &c, &t, &pk);
}

/* The current ticket did not come: no-show (event no-show), counter idle. */
static int make_no_show(eng_op *x, jh_counter_row *c, jh_ticket *t)
{
    t->status = JH_TS_NO_SHOW;
    c->ticket_id = 0;
    eng_set_status(x, c, JH_CS_IDLE);
    jh_day_stats d = {.no_shows = 1};
    if (jh_store_ticket_update(x->st, t) < 0 || jh_store_counter_put(x->st, c) < 0 ||
        eng_stats_add(x, &d) < 0)
        return -1;
    jh_event_payload ev;
    eng_event_init(x, JH_EVENT_NO_SHOW, &ev);
    snprintf(ev.ticket, sizeof ev.ticket, "%s", t->label);
    eng_counter_ident(x->cfg, c->id, &ev);
    snprintf(ev.staff_id, sizeof ev.staff_id, "%s", c->staff_id);
    snprintf(ev.service, sizeof ev.service, "%s", t->service);
    ev.call_count = t->session_calls;
    cJSON_AddStringToObject(x->reply, JH_KEY_TICKET, t->label);
    cJSON_AddBoolToObject(x->reply, JH_KEY_NO_SHOW, 1);
    return eng_event_emit(x, &ev, 0);
}

int eng_op_recall(eng_op *x)
{
    jh_counter_row c;
    jh_ticket t;
    int rc = eng_need_login(x, &c);
    if (rc <= 0 || (rc = eng_need_current(x, &c, &t)) <= 0)
        return rc;
    if (t.session_calls + 1 > 1 + x->cfg->recall_limit)
        return make_no_show(x, &c, &t);
    t.session_calls++;
    t.call_count++;
    t.last_called_at = x->now;
    if (jh_store_ticket_update(x->st, &t) < 0 || jh_store_call_log(x->st, &t, "recall", x->now) < 0)
        return -1;
    eng_mark_counter(x, c.id);
    jh_event_payload ev;
    call_fields(x, JH_EVENT_RECALLED, &t, &c, &ev);
    return eng_event_emit(x, &ev, 1);
}

int eng_op_no_show(eng_op *x)
{
    jh_counter_row c;
    jh_ticket t;
    int rc = eng_need_login(x, &c);
    if (rc <= 0 || (rc = eng_need_current(x, &c, &t)) <= 0)
        return rc;
    return make_no_show(x, &c, &t);
}

int eng_op_finish(eng_op *x)
{
    jh_counter_row c;
    jh_ticket t;
    int rc = eng_need_login(x, &c);
    if (rc <= 0 || (rc = eng_need_current(x, &c, &t)) <= 0)
        return rc;
    if (finish_current(x, &c) < 0 || jh_store_counter_put(x->st, &c) < 0)
        return -1;
    cJSON_AddStringToObject(x->reply, JH_KEY_TICKET, t.label);
    cJSON_AddNumberToObject(x->reply, JH_KEY_SERVICE_S, (double)((x->now - t.session_at) / 1000));
    return 0;
}

int eng_op_requeue(eng_op *x)
{
    jh_counter_row c;
    jh_ticket t;
    int rc = eng_need_login(x, &c);
    if (rc <= 0 || (rc = eng_find_ticket(x, &t)) <= 0)
        return rc;
    if (t.status != JH_TS_NO_SHOW)
        return eng_refuse(x, "not-no-show", "ticket %s is %s, not a no-show", t.label,
                          jh_ticket_status_name(t.status));
    t.status = JH_TS_WAITING;
    t.session_calls = 0;
    t.requeues++;
    if (x->cfg->requeue == JH_REQUEUE_BACK && jh_store_next_queue_key(x->st, x->now, &t.queue_key) < 0)
        return -1;
    int green = t.priority != JH_PRIO_NONE;
    jh_day_stats d = {.no_shows = -1}; /* a no-show no more */
    if (jh_store_ticket_update(x->st, &t) < 0 ||
        jh_store_waiting_add(x->st, x->day, t.service, 1, green) < 0 || eng_stats_add(x, &d) < 0)
        return -1;
    eng_mark_service(x, t.service);
    cJSON_AddStringToObject(x->reply, JH_KEY_TICKET, t.label);
    cJSON_AddStringToObject(x->reply, JH_KEY_REQUEUE,
                            x->cfg->requeue == JH_REQUEUE_BACK ? "back" : "keep");
    return 0;
}

/* ---------- transfer and flag ---------- */

/* Validates transfer targets. 1 = go on. */
static int transfer_checks(eng_op *x, const jh_counter_row *c)
{
    const jh_command *cmd = x->cmd;
    int si = -1;
    if (!cmd->to_service[0] && !cmd->to_counter[0])
        return eng_refuse(x, "missing-field", "transfer needs to_service or to_counter");
    if (cmd->to_service[0] && !eng_service_cfg(x->cfg, cmd->to_service, &si))
        return eng_refuse(x, "unknown-service", "no service '%s' in this hall", cmd->to_service);
    if (cmd->to_counter[0]) {
        if (jh_config_counter_index(x->cfg, cmd->to_counter) < 0)
            return eng_refuse(x, "unknown-counter", "no counter '%s' in this hall", cmd->to_counter);
        if (!strcmp(cmd->to_counter, c->id))
            return eng_refuse(x, "same-counter", "the ticket is already at counter %s", c->id);
    } else if (!eng_any_counter_serves(x->cfg, si)) {
        return eng_refuse(x, "no-counter", "no counter serves service %s", cmd->to_service);
    }
    return 1;
}

static int transfer_announce(eng_op *x, const jh_ticket *t, const jh_counter_row *c,
                             const char *from_service)
{
    jh_event_payload ev;
    eng_event_init(x, JH_EVENT_TRANSFERRED, &ev);
    snprintf(ev.ticket, sizeof ev.ticket, "%s", t->label);
    eng_counter_ident(x->cfg, c->id, &ev);
    snprintf(ev.from_service, sizeof ev.from_service, "%s", from_service);
    eng_service_ident(x->cfg, t->service, &ev);
    snprintf(ev.to_counter, sizeof ev.to_counter, "%s", t->target_counter);
    snprintf(ev.priority, sizeof ev.priority, "%s", eng_prio_name(t->priority));
    snprintf(ev.staff_id, sizeof ev.staff_id, "%s", c->staff_id);
    return eng_event_emit(x, &ev, 1);
}

int eng_op_transfer(eng_op *x)
{
    jh_counter_row c;
    jh_ticket t;
    char from_service[JH_ID_LEN];
    int rc = eng_need_login(x, &c);
    if (rc <= 0 || (rc = eng_need_current(x, &c, &t)) <= 0 || (rc = transfer_checks(x, &c)) <= 0)
        return rc;
    snprintf(from_service, sizeof from_service, "%s", t.service);
    if (x->cmd->to_service[0])
        snprintf(t.service, sizeof t.service, "%s", x->cmd->to_service);
    snprintf(t.target_counter, sizeof t.target_counter, "%s", x->cmd->to_counter);
    t.status = JH_TS_WAITING; /* queue_key is kept: 首问负责制, the person keeps their place */
    t.session_calls = 0;
    t.transfers++;
    c.ticket_id = 0;
    eng_set_status(x, &c, JH_CS_IDLE);
    int green = t.priority != JH_PRIO_NONE;
    if (jh_store_ticket_update(x->st, &t) < 0 ||
        jh_store_waiting_add(x->st, x->day, t.service, 1, green) < 0 ||
        jh_store_transfer_log(x->st, &t, c.id, from_service, x->now) < 0 ||
        jh_store_counter_put(x->st, &c) < 0)
        return -1;
    eng_mark_service(x, t.service);
    eng_mark_service(x, from_service);
    if (t.target_counter[0])
        eng_mark_counter(x, t.target_counter);
    return transfer_announce(x, &t, &c, from_service);
}

int eng_op_flag(eng_op *x)
{
    jh_ticket t;
    int p = x->cmd->priority;
    if (p <= JH_PRIO_NONE || p >= JH_PRIO_COUNT)
        return eng_refuse(x, "bad-field", "flag needs a green-channel priority (elderly, disabled, "
                                          "pregnant, other)");
    int rc = eng_find_ticket(x, &t);
    if (rc <= 0)
        return rc;
    if (t.status != JH_TS_WAITING)
        return eng_refuse(x, "not-waiting", "ticket %s is %s", t.label,
                          jh_ticket_status_name(t.status));
    int was_green = t.priority != JH_PRIO_NONE;
    jh_day_stats d = {.issued_green = 1};
    t.priority = p;
    if (jh_store_ticket_update(x->st, &t) < 0 ||
        (!was_green && (jh_store_waiting_add(x->st, x->day, t.service, 0, 1) < 0 ||
                        eng_stats_add(x, &d) < 0)))
        return -1;
    eng_mark_service(x, t.service);
    cJSON_AddStringToObject(x->reply, JH_KEY_TICKET, t.label);
    cJSON_AddStringToObject(x->reply, JH_KEY_PRIORITY, eng_prio_name(p));
    return 0;
}
