/* SPDX-License-Identifier: MIT */
/*
 * engine_ctx — the helpers every operation shares (engine_int.h): refusals,
 * what a command marks dirty, the sender's counter, and events.
 *
 * Owns: how an event leaves an operation — its seq taken from the store, its
 * JSON made by the protocol's event codec (event_payload.h), written to the
 * outbox in the command's transaction and, for the events a sender waits for
 * (issued, called, …), copied into the reply.
 */
#include "engine_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall_time.h"

int eng_refuse(eng_op *x, const char *code, const char *fmt, ...)
{
    va_list ap;
    x->refused = 1;
    snprintf(x->code, sizeof x->code, "%s", code);
    va_start(ap, fmt);
    vsnprintf(x->message, sizeof x->message, fmt, ap);
    va_end(ap);
    return 0;
}

void eng_time(int64_t ms, char *buf)
{
    if (ms)
        jh_time_iso8601(ms, buf, JH_TIME_LEN);
    else
        buf[0] = '\0';
}

const char *eng_prio_name(int p)
{
    return (p >= 0 && p < JH_PRIO_COUNT) ? jh_priority_name((jh_priority)p) : "none";
}

const char *eng_status_word(jh_counter_status s)
{
    switch (s) {
    case JH_CS_IDLE: return JH_STATUS_IDLE;
    case JH_CS_SERVING: return JH_STATUS_SERVING;
    case JH_CS_PAUSED: return JH_STATUS_PAUSED;
    default: return JH_STATUS_CLOSED;
    }
}

const jh_service_config *eng_service_cfg(const jh_hall_config *cfg, const char *code, int *idx)
{
    int i = jh_config_service_index(cfg, code);
    if (idx)
        *idx = i;
    return i >= 0 ? &cfg->services[i] : NULL;
}

static int counter_serves(const jh_counter_config *cc, int service_index)
{
    for (int i = 0; i < cc->n_services; i++)
        if (cc->services[i] == service_index)
            return 1;
    return 0;
}

int eng_any_counter_serves(const jh_hall_config *cfg, int service_index)
{
    for (int c = 0; c < cfg->n_counters; c++)
        if (counter_serves(&cfg->counters[c], service_index))
            return 1;
    return 0;
}

/* Codes are 1–2 letters, so JH_ID_LEN always fits. */
void eng_format_label(const jh_service_config *s, int number, char *buf, size_t len)
{
    int n = snprintf(buf, len, "%s%0*d", s->code, s->width > 0 ? s->width : 1, number);
    if (n < 0 || (size_t)n >= len)
        buf[0] = '\0';
}

/* ---------- what a command changed ---------- */

void eng_mark_service(eng_op *x, const char *code)
{
    int i = jh_config_service_index(x->cfg, code);
    if (i >= 0)
        x->out->service_dirty[i] = 1;
}

void eng_mark_counter(eng_op *x, const char *id)
{
    int i = jh_config_counter_index(x->cfg, id);
    if (i >= 0)
        x->out->counter_dirty[i] = 1;
}

void eng_mark_all(const jh_hall_config *cfg, jh_outcome *out)
{
    memset(out->service_dirty, 1, (size_t)cfg->n_services);
    memset(out->counter_dirty, 1, (size_t)cfg->n_counters);
    out->hall_dirty = 1;
}

int eng_stats_add(eng_op *x, const jh_day_stats *d)
{
    x->out->hall_dirty = 1;
    return jh_store_stats_add(x->st, x->day, d);
}

/* ---------- the sender's counter and tickets ---------- */

int eng_load_counter(eng_op *x, jh_counter_row *c)
{
    int rc = jh_store_counter_get(x->st, x->cfg->counters[x->ci].id, c);
    if (rc == 0)
        snprintf(x->message, sizeof x->message, "counter row missing");
    return rc == 1 ? 0 : -1;
}

int eng_need_login(eng_op *x, jh_counter_row *c)
{
    if (eng_load_counter(x, c) < 0)
        return -1;
    if (c->status == JH_CS_CLOSED || !c->staff_id[0]) {
        eng_refuse(x, "not-logged-in", "counter %s: nobody is logged in", c->id);
        return 0;
    }
    return 1;
}

int eng_need_current(eng_op *x, const jh_counter_row *c, jh_ticket *t)
{
    int rc = c->ticket_id ? jh_store_ticket_by_id(x->st, c->ticket_id, t) : 0;
    if (rc == 0)
        eng_refuse(x, "no-current-ticket", "counter %s has no current ticket", c->id);
    if (rc > 0)
        eng_audit_ticket(x, t->label); /* what the op acts on, for the audit trail */
    return rc;
}

int eng_find_ticket(eng_op *x, jh_ticket *t)
{
    if (!x->cmd->ticket[0])
        return eng_refuse(x, "missing-field", "which ticket? (field 'ticket')");
    int rc = jh_store_ticket_by_label(x->st, x->day, x->cmd->ticket, t);
    if (rc == 0)
        eng_refuse(x, "unknown-ticket", "no ticket %s today", x->cmd->ticket);
    return rc;
}

void eng_set_status(eng_op *x, jh_counter_row *c, jh_counter_status s)
{
    c->status = s;
    c->since = x->now;
    eng_mark_counter(x, c->id);
    x->out->hall_dirty = 1; /* counters open / paused are in the day's figures */
}

/* ---------- events ---------- */

void eng_event_init(eng_op *x, jh_event_kind kind, jh_event_payload *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->kind = kind;
    ev->counter_number = -1;
    eng_time(x->now, ev->at);
}

void eng_counter_ident(const jh_hall_config *cfg, const char *counter_id, jh_event_payload *ev)
{
    int i = jh_config_counter_index(cfg, counter_id);
    snprintf(ev->counter, sizeof ev->counter, "%s", counter_id);
    if (i < 0)
        return;
    ev->counter_number = cfg->counters[i].number;
    snprintf(ev->counter_name, sizeof ev->counter_name, "%s", cfg->counters[i].name_zh);
    snprintf(ev->counter_name_en, sizeof ev->counter_name_en, "%s", cfg->counters[i].name_en);
}

void eng_service_ident(const jh_hall_config *cfg, const char *code, jh_event_payload *ev)
{
    const jh_service_config *s = eng_service_cfg(cfg, code, NULL);
    snprintf(ev->service, sizeof ev->service, "%s", code);
    snprintf(ev->service_name, sizeof ev->service_name, "%s", s ? s->name_zh : "");
    snprintf(ev->service_name_en, sizeof ev->service_name_en, "%s", s ? s->name_en : "");
}

/* Copies every field of the event into the reply (seq too: the sender may match it). */
static void reply_merge(eng_op *x, const cJSON *from)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, from)
        cJSON_AddItemToObject(x->reply, it->string, cJSON_Duplicate(it, 1));
}

int eng_event_emit(eng_op *x, jh_event_payload *ev, int to_reply)
{
    if (jh_store_next_seq(x->st, &ev->seq) < 0)
        return -1;
    cJSON *o = jh_event_encode(ev);
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    if (text && to_reply)
        reply_merge(x, o);
    cJSON_Delete(o);
    if (!text)
        return -1;
    int rc = jh_store_event_add(x->st, ev->seq, jh_event_kind_name(ev->kind), text, x->now);
    free(text);
    if (rc == 0)
        x->out->n_events++;
    return rc;
}
