/* SPDX-License-Identifier: MIT */
/*
 * engine_audit — the audit trail: who did what, when, from where.
 *
 * Owns: the row each command leaves in staff_audit, in the command's own
 * transaction — applied or refused: a refused command changes nothing else,
 * and its row is what supervisors see (every wrong secret, every forbidden
 * try) — and the admin op `audit` that reads them back. Which commands:
 * every counter and admin command that reaches the engine, and a kiosk's
 * when a console sent it on someone's behalf (`by`); a kiosk's own takes are
 * in the tickets already. A resent command id leaves no second row.
 * Commands the parser refused never reach the engine and leave none.
 * A secret is never written: the detail names the fields a command gave
 * ("secret" among them), the values only of the harmless ones.
 */
#include "engine_int.h"

#include <stdio.h>
#include <string.h>

void eng_audit_ticket(eng_op *x, const char *label)
{
    snprintf(x->audit_target, sizeof x->audit_target, "%s", label);
}

/* What the command acted on, when the op did not say. */
static void default_target(const eng_op *x, char *buf, size_t len)
{
    const jh_command *c = x->cmd;
    const char *t = c->ticket[0]                                 ? c->ticket
                    : c->staff_id[0] && c->op != JH_OP_AUDIT     ? c->staff_id
                    : x->origin->kind == JH_ORIGIN_COUNTER       ? x->origin->id
                                                                 : "";
    snprintf(buf, len, "%s", t);
}

/* "key=value; …" of what may be shown; appends to buf[len]. */
static void add_detail(char *buf, size_t len, const char *key, const char *value)
{
    size_t used = strlen(buf);
    if (!value[0] || used + 1 >= len)
        return;
    snprintf(buf + used, len - used, "%s%s=%s", used ? "; " : "", key, value);
}

static void command_detail(const eng_op *x, char *buf, size_t len)
{
    const jh_command *c = x->cmd;
    char n[16];
    buf[0] = '\0';
    if (x->audit_detail[0])
        add_detail(buf, len, "did", x->audit_detail);
    add_detail(buf, len, "service", c->service);
    if (c->op == JH_OP_FLAG || c->priority)
        add_detail(buf, len, "priority", eng_prio_name(c->priority));
    add_detail(buf, len, "reason", c->reason);
    add_detail(buf, len, "message", c->message);
    add_detail(buf, len, "to_service", c->to_service);
    add_detail(buf, len, "to_counter", c->to_counter);
    if (c->op == JH_OP_RATE && snprintf(n, sizeof n, "%d", c->score) > 0)
        add_detail(buf, len, "score", n);
    if (c->op == JH_OP_STAFF_ADD || c->op == JH_OP_STAFF_UPDATE) {
        add_detail(buf, len, "name", c->staff_fields & JH_SF_NAME ? c->staff_name : "");
        add_detail(buf, len, "roles", c->roles);
        add_detail(buf, len, "counters", c->counters);
        add_detail(buf, len, "services", c->services);
        add_detail(buf, len, "covers", c->covers);
        if (c->staff_fields & JH_SF_ENABLED)
            add_detail(buf, len, "enabled", c->enabled ? "yes" : "no");
    }
    if (c->secret[0])
        add_detail(buf, len, "secret", "given");
}

int eng_audit_note(jh_store *st, int day, int64_t now, const char *device, const char *op,
                   const char *target, const char *detail)
{
    jh_audit_row a;
    memset(&a, 0, sizeof a);
    a.day = day;
    a.at = now;
    snprintf(a.device, sizeof a.device, "%s", device);
    snprintf(a.op, sizeof a.op, "%s", op);
    snprintf(a.target, sizeof a.target, "%s", target);
    snprintf(a.detail, sizeof a.detail, "%s", detail);
    snprintf(a.result, sizeof a.result, "%s", JH_RESULT_OK);
    return jh_store_audit_add(st, &a);
}

int eng_audit_record(eng_op *x)
{
    jh_audit_row a;
    if (x->origin->kind == JH_ORIGIN_KIOSK && !x->cmd->by[0])
        return 0;
    memset(&a, 0, sizeof a);
    a.day = x->day;
    a.at = x->now;
    snprintf(a.by, sizeof a.by, "%s", x->cmd->by);
    snprintf(a.device, sizeof a.device, "%s", x->origin->id);
    snprintf(a.staff, sizeof a.staff, "%s", x->at_counter);
    snprintf(a.op, sizeof a.op, "%s", jh_op_name(x->cmd->op));
    if (x->audit_target[0])
        snprintf(a.target, sizeof a.target, "%s", x->audit_target);
    else
        default_target(x, a.target, sizeof a.target);
    if (x->refused)
        snprintf(a.detail, sizeof a.detail, "%s", x->message);
    else
        command_detail(x, a.detail, sizeof a.detail);
    snprintf(a.result, sizeof a.result, "%s", x->refused ? x->code : JH_RESULT_OK);
    return jh_store_audit_add(x->st, &a);
}

/* ---------- the op audit ---------- */

static int row_json(void *ctx, const jh_audit_row *a)
{
    cJSON *rows = ctx, *o = cJSON_CreateObject();
    char at[JH_TIME_LEN];
    eng_time(a->at, at);
    if (!o || !cJSON_AddItemToArray(rows, o))
        return -1;
    int ok = cJSON_AddStringToObject(o, JH_KEY_AT, at) && cJSON_AddNumberToObject(o, JH_KEY_DAY, a->day) &&
             cJSON_AddStringToObject(o, JH_KEY_BY, a->by) &&
             cJSON_AddStringToObject(o, JH_KEY_DEVICE, a->device) &&
             cJSON_AddStringToObject(o, JH_KEY_STAFF, a->staff) &&
             cJSON_AddStringToObject(o, JH_KEY_OP, a->op) &&
             cJSON_AddStringToObject(o, JH_KEY_TARGET, a->target) &&
             cJSON_AddStringToObject(o, JH_KEY_DETAIL, a->detail) &&
             cJSON_AddStringToObject(o, JH_KEY_RESULT, a->result);
    return ok ? 0 : -1;
}

int eng_op_audit(eng_op *x)
{
    const jh_command *c = x->cmd;
    jh_audit_filter f;
    memset(&f, 0, sizeof f);
    snprintf(f.staff, sizeof f.staff, "%s", c->staff_id);
    snprintf(f.counter, sizeof f.counter, "%s", c->counter);
    snprintf(f.ticket, sizeof f.ticket, "%s", c->ticket);
    f.day = c->day;
    f.limit = c->limit > 0 && c->limit <= JH_AUDIT_MAX_ROWS ? c->limit : JH_AUDIT_DEFAULT_ROWS;
    cJSON *rows = cJSON_AddArrayToObject(x->reply, JH_KEY_ROWS);
    if (!rows)
        return -1;
    return jh_store_audit_find(x->st, &f, row_json, rows);
}
