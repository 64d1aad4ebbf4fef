/* SPDX-License-Identifier: MIT */
/*
 * engine — the queue engine: the one owner of a hall's state (engine.h).
 *
 * Owns applying a command: which operation may come from whom, the one
 * transaction it runs in, its reply; and opening, closing and the outbox.
 * It keeps no queue state in memory — every fact lives in the store
 * (ticket_store.c), so a restart or a kill -9 loses nothing — apart from what
 * tick last saw, which only decides what to mark dirty. The operations, time
 * passing and the states are in the files engine_int.h lists.
 *
 * One apply = one transaction: BEGIN IMMEDIATE, the lazy day rollover, the
 * duplicate check, then the operation inside a savepoint. A refusal rolls the
 * savepoint back, so whatever an operation wrote before it found a reason to
 * refuse is undone, and then only the command record (the refusal reply) is
 * written. Events are written to the outbox in the same transaction. The
 * choice between waiting tickets is dispatch.c's; the estimated wait is ewt.c's.
 */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall_time.h"

/* ---------- apply ---------- */

static const struct {
    eng_op_fn fn;
    jh_origin_kind origin;
} ops[JH_OP_COUNT] = {
    [JH_OP_TAKE] = {eng_op_take, JH_ORIGIN_KIOSK},
    [JH_OP_VOID] = {eng_op_void, JH_ORIGIN_KIOSK},
    [JH_OP_LOGIN] = {eng_op_login, JH_ORIGIN_COUNTER},
    [JH_OP_LOGOUT] = {eng_op_logout, JH_ORIGIN_COUNTER},
    [JH_OP_CALL_NEXT] = {eng_op_call_next, JH_ORIGIN_COUNTER},
    [JH_OP_RECALL] = {eng_op_recall, JH_ORIGIN_COUNTER},
    [JH_OP_NO_SHOW] = {eng_op_no_show, JH_ORIGIN_COUNTER},
    [JH_OP_REQUEUE] = {eng_op_requeue, JH_ORIGIN_COUNTER},
    [JH_OP_FINISH] = {eng_op_finish, JH_ORIGIN_COUNTER},
    [JH_OP_TRANSFER] = {eng_op_transfer, JH_ORIGIN_COUNTER},
    [JH_OP_CALL] = {eng_op_call, JH_ORIGIN_COUNTER},
    [JH_OP_PAUSE] = {eng_op_pause, JH_ORIGIN_COUNTER},
    [JH_OP_RESUME] = {eng_op_resume, JH_ORIGIN_COUNTER},
    [JH_OP_FLAG] = {eng_op_flag, JH_ORIGIN_COUNTER},
    [JH_OP_RATE] = {eng_op_rate, JH_ORIGIN_COUNTER},
    [JH_OP_INVITE_RATING] = {eng_op_invite_rating, JH_ORIGIN_COUNTER},
    [JH_OP_OPEN] = {eng_op_open, JH_ORIGIN_ADMIN},
    [JH_OP_CLOSE] = {eng_op_close, JH_ORIGIN_ADMIN},
    [JH_OP_NOTICE] = {eng_op_notice, JH_ORIGIN_ADMIN},
    [JH_OP_END_DAY] = {eng_op_end_day, JH_ORIGIN_ADMIN},
    [JH_OP_STAFF_AUTH] = {eng_op_staff_auth, JH_ORIGIN_ADMIN},
    [JH_OP_STAFF_LIST] = {eng_op_staff_list, JH_ORIGIN_ADMIN},
    [JH_OP_STAFF_ADD] = {eng_op_staff_add, JH_ORIGIN_ADMIN},
    [JH_OP_STAFF_UPDATE] = {eng_op_staff_update, JH_ORIGIN_ADMIN},
    [JH_OP_STAFF_DISABLE] = {eng_op_staff_disable, JH_ORIGIN_ADMIN},
    [JH_OP_STAFF_SET_SECRET] = {eng_op_staff_set_secret, JH_ORIGIN_ADMIN},
    [JH_OP_STAFF_IMPORT] = {eng_op_staff_import, JH_ORIGIN_ADMIN},
    [JH_OP_AUDIT] = {eng_op_audit, JH_ORIGIN_ADMIN},
};

/* The engine trusts no parser: op, origin and counter are checked again here. */
static int check_envelope(eng_op *x)
{
    jh_op op = x->cmd->op;
    if ((unsigned)op >= JH_OP_COUNT || !ops[op].fn)
        return eng_refuse(x, "unknown-op", "unknown operation");
    if (ops[op].origin != x->origin->kind)
        return eng_refuse(x, "wrong-origin", "operation not allowed from this sender");
    if (x->origin->kind == JH_ORIGIN_COUNTER && x->ci < 0)
        return eng_refuse(x, "unknown-counter", "no counter '%s' in this hall", x->origin->id);
    return 1;
}

static char *error_reply(const char *id, const char *code, const char *message)
{
    jh_error err;
    snprintf(err.code, sizeof err.code, "%s", code);
    snprintf(err.message, sizeof err.message, "%s", message);
    return jh_reply_error_json(id, &err);
}

/* A refusal with what it may add: until when an account is locked, the CSV line at fault. */
static char *refusal_reply(const eng_op *x)
{
    char *plain = error_reply(x->cmd->id, x->code, x->message);
    if (!plain || (!x->until && !x->line))
        return plain;
    cJSON *o = cJSON_Parse(plain);
    char until[JH_TIME_LEN], *text = NULL;
    eng_time(x->until, until);
    if (o && (!until[0] || cJSON_AddStringToObject(o, JH_KEY_UNTIL, until)) &&
        (!x->line || cJSON_AddNumberToObject(o, JH_KEY_LINE, x->line)))
        text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    free(plain);
    return text;
}

/* Who was logged in at the sender's counter as the command came (the audit's staff). */
static int load_at_counter(eng_op *x)
{
    jh_counter_row c;
    if (x->origin->kind != JH_ORIGIN_COUNTER || x->ci < 0)
        return 0;
    int rc = jh_store_counter_get(x->st, x->cfg->counters[x->ci].id, &c);
    if (rc > 0 && c.status != JH_CS_CLOSED)
        snprintf(x->at_counter, sizeof x->at_counter, "%s", c.staff_id);
    return rc < 0 ? -1 : 0;
}

/* Runs the operation in a savepoint; a refusal undoes its writes — then a wrong
 * secret is counted, outside the savepoint, so the lockout holds. */
static int run_op(eng_op *x)
{
    jh_outcome keep = *x->out;
    if (jh_store_savepoint(x->st) < 0 || load_at_counter(x) < 0)
        return -1;
    int rc = check_envelope(x);
    if (rc > 0)
        rc = eng_check_by(x);
    if (rc > 0)
        rc = ops[x->cmd->op].fn(x);
    if (rc < 0)
        return -1;
    if (x->refused) {
        if (jh_store_savepoint_rollback(x->st) < 0)
            return -1;
        *x->out = keep;
    }
    if (jh_store_savepoint_release(x->st) < 0)
        return -1;
    return x->refused ? eng_after_refusal(x) : 0;
}

/* Builds out->reply from the op's result, records it under the command id and
 * leaves the command's row in the audit trail. */
static int record_reply(eng_op *x)
{
    jh_outcome *out = x->out;
    if (eng_audit_record(x) < 0)
        return -1;
    if (x->refused) {
        out->reply = refusal_reply(x);
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
static int apply_in_tx(eng_op *x)
{
    char *stored;
    int ok;
    if (eng_rollover(x->e, x->now, x->out, &x->day) < 0 ||
        (x->e->seed && eng_roster_seed_write(x->e, x->now, x->day) < 0))
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
        eng_refuse(x, "missing-field", "a command needs an id");
        return record_reply(x);
    }
    if (run_op(x) < 0)
        return -1;
    return record_reply(x);
}

static void op_init(eng_op *x, jh_engine *e, const jh_origin *origin, const jh_command *cmd,
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
    if (cmd->id[0])
        cJSON_AddStringToObject(x->reply, JH_KEY_ID, cmd->id);
    else
        cJSON_AddNullToObject(x->reply, JH_KEY_ID);
    cJSON_AddBoolToObject(x->reply, JH_KEY_OK, 1);
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
    eng_op x;
    memset(out, 0, sizeof *out);
    op_init(&x, e, origin, cmd, now_ms, out);
    int seeding = e->seed != NULL;
    int rc = x.reply && jh_store_begin(e->st) == 0 ? apply_in_tx(&x) : -1;
    if (rc == 0)
        rc = jh_store_commit(e->st);
    cJSON_Delete(x.reply);
    if (rc < 0) {
        fail_store(e, cmd, out, err, errlen);
        return -1;
    }
    if (seeding)
        eng_roster_seed_free(e); /* written and committed */
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
    if (jh_staff_secret_init() < 0) {
        snprintf(err, errlen, "libsodium did not initialise");
        return NULL;
    }
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
    else if (e->st && eng_roster_seed_load(e, err, errlen) == 0)
        return e;
    jh_engine_close(e);
    return NULL;
}

int jh_engine_set_durable(jh_engine *e, int durable) { return jh_store_set_durable(e->st, durable); }

void jh_engine_close(jh_engine *e)
{
    if (!e)
        return;
    eng_roster_seed_free(e);
    jh_store_close(e->st);
    free(e);
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
