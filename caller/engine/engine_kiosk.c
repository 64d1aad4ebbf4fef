/* SPDX-License-Identifier: MIT */
/*
 * engine_kiosk — the kiosk's operations: take a number, void one the printer
 * never printed.
 *
 * Owns: when a ticket may be issued (hall open, service in its hours, some
 * counter serving it, numbers and the daily limit left, offered at this
 * kiosk), how its label and place are made, and which tickets a kiosk may void.
 */
#include "engine_int.h"

#include <stdio.h>
#include <string.h>

#include "hall_time.h"

/* Refusals of take that depend on the hall, hours and counters. 1 = go on. */
static int take_allowed(eng_op *x, const jh_service_config *s, int si)
{
    jh_hall_row h;
    int64_t next_open = 0;
    char when[JH_TIME_LEN];
    if (jh_store_hall_get(x->st, &h) < 0)
        return -1;
    if (!h.open)
        return eng_refuse(x, "closed", "the hall is closed");
    if (!jh_service_open_at(s, x->now, &next_open)) {
        if (!next_open)
            return eng_refuse(x, "closed", "service %s is closed", s->code);
        eng_time(next_open, when);
        return eng_refuse(x, "closed", "service %s is closed; it opens next at %s", s->code, when);
    }
    if (!eng_any_counter_serves(x->cfg, si))
        return eng_refuse(x, "no-counter", "no counter serves service %s", s->code);
    return 1;
}

/* The next number of service s today; refuses "limit". 1 = go on. */
static int take_number(eng_op *x, const jh_service_config *s, const jh_numbering_row *n,
                       int *number)
{
    *number = n->issued == 0 ? s->first_number : n->last_number + 1;
    if (s->daily_limit > 0 && n->issued >= s->daily_limit)
        return eng_refuse(x, "limit", "service %s: the daily limit of %d tickets is reached",
                          s->code, s->daily_limit);
    if (*number > s->last_number)
        return eng_refuse(x, "limit", "service %s: numbers up to %d are all issued today", s->code,
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

static int take_checks(eng_op *x, const jh_service_config **s, int *si)
{
    const jh_command *cmd = x->cmd;
    *s = eng_service_cfg(x->cfg, cmd->service, si);
    if (!*s)
        return eng_refuse(x, "unknown-service", "no service '%s' in this hall", cmd->service);
    if (!kiosk_offers(x->cfg, x->origin->id, *si))
        return eng_refuse(x, "unknown-service", "service %s is not offered at kiosk %s",
                          cmd->service, x->origin->id);
    if (cmd->priority < 0 || cmd->priority >= JH_PRIO_COUNT)
        return eng_refuse(x, "bad-field", "unknown priority %d", cmd->priority);
    return take_allowed(x, *s, *si);
}

static void take_fill(eng_op *x, const jh_service_config *s, int number, jh_ticket *t)
{
    memset(t, 0, sizeof *t);
    t->day = x->day;
    eng_format_label(s, number, t->label, sizeof t->label);
    snprintf(t->issued_service, sizeof t->issued_service, "%s", s->code);
    snprintf(t->service, sizeof t->service, "%s", s->code);
    t->number = number;
    t->priority = x->cmd->priority;
    t->status = JH_TS_WAITING;
    snprintf(t->lang, sizeof t->lang, "%s", x->cmd->lang[0] ? x->cmd->lang : "zh");
    snprintf(t->kiosk, sizeof t->kiosk, "%s", x->origin->id);
    t->issued_at = t->queue_key = x->now;
}

/* Event issued; the kiosk prints the ticket from the reply, which carries it. */
static int take_announce(eng_op *x, const jh_ticket *t, int ahead, int ewt)
{
    jh_event_payload ev;
    eng_event_init(x, JH_EVENT_ISSUED, &ev);
    snprintf(ev.ticket, sizeof ev.ticket, "%s", t->label);
    eng_service_ident(x->cfg, t->service, &ev);
    snprintf(ev.priority, sizeof ev.priority, "%s", eng_prio_name(t->priority));
    ev.ahead = ahead;
    ev.ewt_s = ewt;
    eng_time(t->issued_at, ev.issued_at);
    ev.day = t->day;
    snprintf(ev.kiosk, sizeof ev.kiosk, "%s", t->kiosk);
    snprintf(ev.lang, sizeof ev.lang, "%s", t->lang);
    return eng_event_emit(x, &ev, 1);
}

int eng_op_take(eng_op *x)
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
        eng_service_ewt(x->e, x->day, si, green, x->now, &ewt) < 0 ||
        jh_store_ticket_insert(x->st, &t) < 0 ||
        jh_store_numbering_issue(x->st, x->day, s->code, number) < 0 ||
        jh_store_waiting_add(x->st, x->day, s->code, 1, green) < 0 || eng_stats_add(x, &d) < 0)
        return -1;
    x->out->service_dirty[si] = 1;
    return take_announce(x, &t, ahead, ewt);
}

int eng_op_void(eng_op *x)
{
    jh_ticket t;
    int rc = eng_find_ticket(x, &t);
    if (rc <= 0)
        return rc;
    if (strcmp(t.kiosk, x->origin->id) != 0)
        return eng_refuse(x, "wrong-kiosk", "ticket %s was issued by kiosk %s", t.label, t.kiosk);
    if (t.status != JH_TS_WAITING || t.call_count > 0)
        return eng_refuse(x, "not-voidable", "ticket %s is %s and was called %d times", t.label,
                          jh_ticket_status_name(t.status), t.call_count);
    t.status = JH_TS_VOIDED;
    snprintf(t.void_reason, sizeof t.void_reason, "%s", x->cmd->reason[0] ? x->cmd->reason : "-");
    int green = t.priority != JH_PRIO_NONE;
    jh_day_stats d = {.voided = 1};
    if (jh_store_ticket_update(x->st, &t) < 0 ||
        jh_store_waiting_add(x->st, x->day, t.service, -1, green ? -1 : 0) < 0 ||
        eng_stats_add(x, &d) < 0)
        return -1;
    eng_mark_service(x, t.service);
    jh_event_payload ev;
    eng_event_init(x, JH_EVENT_VOIDED, &ev);
    snprintf(ev.ticket, sizeof ev.ticket, "%s", t.label);
    snprintf(ev.service, sizeof ev.service, "%s", t.service);
    snprintf(ev.kiosk, sizeof ev.kiosk, "%s", t.kiosk);
    snprintf(ev.reason, sizeof ev.reason, "%s", t.void_reason);
    cJSON_AddStringToObject(x->reply, JH_KEY_TICKET, t.label);
    return eng_event_emit(x, &ev, 0);
}
