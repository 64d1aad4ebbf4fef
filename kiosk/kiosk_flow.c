/* SPDX-License-Identifier: MIT */
/*
 * kiosk_flow — the take → print → void state machine (see kiosk_flow.h).
 */
#include "kiosk_flow.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire_keys.h"

#define REASON_RESTARTED_PRINTING "kiosk restarted before the ticket was printed"
#define REASON_RESTARTED_TAKE "kiosk restarted before the reply came"
#define REASON_LATE "reply came after the kiosk gave up waiting"

static const char *g_phase[] = {"idle", "checking", "waiting", "printing", "done", "failed"};
static const char *g_fail[] = {"none", "printer", "link", "refused", "timeout", "bad-reply", "print", "journal"};

const char *jh_flow_phase_name(jh_flow_phase p) { return p <= JH_FLOW_FAILED ? g_phase[p] : "?"; }
const char *jh_flow_failure_name(jh_flow_failure x) { return x <= JH_FAIL_JOURNAL ? g_fail[x] : "?"; }

void jh_flow_init(jh_flow *f, const char *kiosk_id, const char *boot, int reply_timeout_ms)
{
    memset(f, 0, sizeof *f);
    snprintf(f->kiosk_id, sizeof f->kiosk_id, "%s", kiosk_id);
    snprintf(f->boot, sizeof f->boot, "%s", boot);
    f->reply_timeout_ms = reply_timeout_ms;
}

void jh_flow_set_journal(jh_flow *f, jh_flow_journal_fn fn, void *user)
{
    f->journal = fn;
    f->journal_user = user;
}

void jh_flow_set_session(jh_flow *f, uint64_t session) { f->session = session; }

/* The journal now says what the flow holds: 0, or -1 when it could not be written. */
static int sync_journal(jh_flow *f) { return f->journal ? f->journal(f->journal_user, f) : 0; }

static void next_id(jh_flow *f, char *id, size_t len)
{
    /* Through a local buffer: `id` may lie inside *f (the void queue), and gcc's
     * -Wrestrict cannot tell it does not overlap f->kiosk_id. */
    char buf[128];
    snprintf(buf, sizeof buf, "%s-%s-%u", f->kiosk_id, f->boot, ++f->seq);
    size_t k = strlen(buf) < len ? strlen(buf) : len - 1;
    memcpy(id, buf, k);
    id[k] = '\0';
}

static void enter(jh_flow *f, jh_flow_phase p, int64_t now)
{
    f->phase = p;
    f->phase_since = now;
    f->now = now;
}

/* Callers set f->detail first: it is kept as the reason. */
static void fail(jh_flow *f, jh_flow_failure why, int64_t now)
{
    f->failure = why;
    memcpy(f->why, f->detail, sizeof f->why);
    enter(f, JH_FLOW_FAILED, now);
}

/* ---- the lists of commands without an answer ---- */

/* Queues `void {ticket, reason}` under `id` (a new one when NULL); the oldest pending one gives way when full. */
static void queue_void_as(jh_flow *f, const char *id, const char *ticket, const char *reason)
{
    if (f->n_voids == JH_FLOW_MAX_VOIDS) {
        memmove(&f->voids[0], &f->voids[1], sizeof f->voids[0] * (JH_FLOW_MAX_VOIDS - 1));
        f->n_voids--;
        f->voids_dropped++;
    }
    jh_flow_void *v = &f->voids[f->n_voids++];
    memset(v, 0, sizeof *v);
    if (id)
        snprintf(v->cmd_id, sizeof v->cmd_id, "%s", id);
    else
        next_id(f, v->cmd_id, sizeof v->cmd_id);
    snprintf(v->ticket, sizeof v->ticket, "%s", ticket);
    snprintf(v->reason, sizeof v->reason, "%s", reason);
    v->backoff_ms = JH_FLOW_RESEND_MS;
}

static void queue_void(jh_flow *f, const char *ticket, const char *reason) { queue_void_as(f, NULL, ticket, reason); }

static jh_flow_take *add_take(jh_flow *f)
{
    if (f->n_takes == JH_FLOW_MAX_LATE) { /* its late "ok" could no longer be voided */
        memmove(&f->takes[0], &f->takes[1], sizeof f->takes[0] * (JH_FLOW_MAX_LATE - 1));
        f->n_takes--;
        f->voids_dropped++;
    }
    jh_flow_take *t = &f->takes[f->n_takes++];
    memset(t, 0, sizeof *t);
    t->backoff_ms = JH_FLOW_RESEND_MS;
    return t;
}

static int take_index(const jh_flow *f, const char *id)
{
    for (int i = 0; i < f->n_takes; i++)
        if (strcmp(f->takes[i].cmd_id, id) == 0)
            return i;
    return -1;
}

static void drop_take(jh_flow *f, int i)
{
    memmove(&f->takes[i], &f->takes[i + 1], sizeof f->takes[0] * (size_t)(f->n_takes - i - 1));
    f->n_takes--;
}

/* Due to go out in `session`: never sent in it, or no answer for its back-off. */
static int due(uint64_t sent_session, int64_t sent_at, int backoff_ms, uint64_t session, int64_t now)
{
    return sent_session != session || now - sent_at >= backoff_ms;
}

static void mark_sent(uint64_t *sent_session, int64_t *sent_at, int *backoff_ms, uint64_t session, int64_t now)
{
    if (*sent_session == session) /* again in the same session: the answer is overdue */
        *backoff_ms = *backoff_ms * 2 > JH_FLOW_RESEND_MAX_MS ? JH_FLOW_RESEND_MAX_MS : *backoff_ms * 2;
    *sent_session = session;
    *sent_at = now;
}

/* ---- the journal ---- */

void jh_flow_to_journal(const jh_flow *f, jh_vj *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->kiosk_id, sizeof out->kiosk_id, "%s", f->kiosk_id);
    for (int i = 0; i < f->n_takes && out->n < JH_VJ_MAX; i++) {
        jh_vj_entry *e = &out->e[out->n++];
        e->kind = JH_VJ_TAKE;
        snprintf(e->id, sizeof e->id, "%s", f->takes[i].cmd_id);
        snprintf(e->service, sizeof e->service, "%s", f->takes[i].service);
        e->priority = f->takes[i].priority;
        e->lang_en = f->takes[i].lang_en;
    }
    if (f->phase == JH_FLOW_PRINTING && out->n < JH_VJ_MAX) {
        jh_vj_entry *e = &out->e[out->n++];
        e->kind = JH_VJ_PRINT;
        snprintf(e->id, sizeof e->id, "%s", f->take_id);
        snprintf(e->ticket, sizeof e->ticket, "%s", f->ticket.ticket);
    }
    for (int i = 0; i < f->n_voids && out->n < JH_VJ_MAX; i++) {
        jh_vj_entry *e = &out->e[out->n++];
        e->kind = JH_VJ_VOID;
        snprintf(e->id, sizeof e->id, "%s", f->voids[i].cmd_id);
        snprintf(e->ticket, sizeof e->ticket, "%s", f->voids[i].ticket);
        snprintf(e->reason, sizeof e->reason, "%s", f->voids[i].reason);
    }
}

int jh_flow_restore(jh_flow *f, const jh_vj *j, int64_t now)
{
    f->now = now;
    for (int i = 0; i < j->n; i++) {
        const jh_vj_entry *e = &j->e[i];
        if (e->kind == JH_VJ_TAKE) {
            jh_flow_take *t = add_take(f);
            snprintf(t->cmd_id, sizeof t->cmd_id, "%s", e->id);
            snprintf(t->service, sizeof t->service, "%s", e->service);
            t->priority = e->priority;
            t->lang_en = e->lang_en;
            t->restored = 1;
        } else if (e->kind == JH_VJ_PRINT) {
            queue_void(f, e->ticket, REASON_RESTARTED_PRINTING);
        } else {
            queue_void_as(f, e->id, e->ticket, e->reason);
        }
    }
    sync_journal(f); /* the voids' new ids, so a second restart sends the same ones */
    return j->n;
}

/* ---- one visitor ---- */

int jh_flow_start(jh_flow *f, const char *service, jh_priority prio, int lang_en, int64_t now)
{
    if (f->phase != JH_FLOW_IDLE)
        return -1;
    snprintf(f->service, sizeof f->service, "%s", service);
    f->priority = prio;
    f->lang_en = lang_en;
    f->failure = JH_FAIL_NONE;
    f->take_id[0] = f->error_code[0] = f->detail[0] = f->why[0] = '\0';
    memset(&f->ticket, 0, sizeof f->ticket);
    memset(&f->printer, 0, sizeof f->printer);
    enter(f, JH_FLOW_CHECKING, now);
    return 0;
}

static char *take_json(const jh_flow *f, const jh_flow_take *t)
{
    jh_command c = {.op = JH_OP_TAKE, .priority = (int)t->priority};
    snprintf(c.id, sizeof c.id, "%s", t->cmd_id);
    snprintf(c.reply_to, sizeof c.reply_to, "%s", f->kiosk_id);
    snprintf(c.service, sizeof c.service, "%s", t->service);
    snprintf(c.lang, sizeof c.lang, "%s", t->lang_en ? "en" : "zh");
    return jh_command_to_json(&c);
}

int jh_flow_printer_checked(jh_flow *f, const jh_printer_status *st, int64_t now, char **take_json_out)
{
    *take_json_out = NULL;
    if (f->phase != JH_FLOW_CHECKING)
        return 0;
    f->printer = *st;
    f->now = now;
    if (!st->can_print) {
        snprintf(f->detail, sizeof f->detail, "no take for %s: printer %s (%s)", f->service,
                 jh_printer_state_name(st->state), st->detail);
        fail(f, JH_FAIL_PRINTER, now);
        return 0;
    }
    jh_flow_take *t = add_take(f);
    next_id(f, t->cmd_id, sizeof t->cmd_id);
    snprintf(t->service, sizeof t->service, "%s", f->service);
    t->priority = f->priority;
    t->lang_en = f->lang_en;
    t->sent_session = f->session;
    t->sent_at = now;
    snprintf(f->take_id, sizeof f->take_id, "%s", t->cmd_id);
    *take_json_out = take_json(f, t);
    if (!*take_json_out) {
        drop_take(f, f->n_takes - 1);
        snprintf(f->detail, sizeof f->detail, "cannot build the take command");
        fail(f, JH_FAIL_LINK, now);
        return 0;
    }
    if (sync_journal(f) < 0) { /* a crash could then leave its number a ghost: take nothing */
        drop_take(f, f->n_takes - 1);
        free(*take_json_out);
        *take_json_out = NULL;
        snprintf(f->detail, sizeof f->detail, "no take for %s: the kiosk's journal cannot be written",
                 f->service);
        fail(f, JH_FAIL_JOURNAL, now);
        return 0;
    }
    f->deadline = now + f->reply_timeout_ms;
    snprintf(f->detail, sizeof f->detail, "take %s for service %s (%s)", f->take_id, f->service,
             jh_priority_name(f->priority));
    enter(f, JH_FLOW_WAITING, now);
    return 1;
}

void jh_flow_take_unsent(jh_flow *f, const char *why, int64_t now)
{
    if (f->phase != JH_FLOW_WAITING)
        return;
    int i = take_index(f, f->take_id);
    if (i >= 0)
        drop_take(f, i); /* it never left: nothing can have been issued */
    snprintf(f->detail, sizeof f->detail, "take %s not sent: %s", f->take_id, why);
    fail(f, JH_FAIL_LINK, now);
    sync_journal(f);
}

int jh_flow_tick(jh_flow *f, int64_t now)
{
    f->now = now;
    if (f->phase != JH_FLOW_WAITING || now < f->deadline)
        return 0;
    /* The take stays in f->takes: a late "ok" is voided, and it goes out again until answered. */
    snprintf(f->detail, sizeof f->detail, "take %s: no reply within %d ms", f->take_id, f->reply_timeout_ms);
    fail(f, JH_FAIL_TIMEOUT, now);
    return 1;
}

/* The ticket an ok reply names, if any: even a reply we cannot fully read must be voided. */
static const char *reply_ticket(const cJSON *o)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, JH_KEY_TICKET);
    return cJSON_IsString(t) && jh_valid_id(t->valuestring) ? t->valuestring : NULL;
}

static void take_reply(jh_flow *f, const cJSON *o, const char *payload, size_t len, int64_t now)
{
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(o, JH_KEY_ERROR);
    char err[300];
    if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(o, JH_KEY_OK))) {
        snprintf(f->error_code, sizeof f->error_code, "%s", cJSON_IsString(code) ? code->valuestring : "?");
        jh_issued_ticket_from_reply(&f->ticket, payload, len, err, sizeof err); /* quotes the message */
        snprintf(f->detail, sizeof f->detail, "take %s: %s", f->take_id, err);
        fail(f, JH_FAIL_REFUSED, now);
        return;
    }
    int rc = jh_issued_ticket_from_reply(&f->ticket, payload, len, err, sizeof err);
    if (rc == 0 && !jh_valid_id(f->ticket.ticket)) /* no caller issues such a label */
        rc = -1, snprintf(err, sizeof err, "take reply: the ticket is not a ticket label");
    if (rc != 0) {
        const char *t = reply_ticket(o);
        if (t)
            queue_void(f, t, "kiosk could not read the take reply");
        snprintf(f->detail, sizeof f->detail, "take %s: %s%s", f->take_id, err, t ? " (voided)" : "");
        fail(f, JH_FAIL_BAD_REPLY, now);
        return;
    }
    snprintf(f->detail, sizeof f->detail, "take %s: ticket %s, %d ahead", f->take_id, f->ticket.ticket,
             f->ticket.ahead);
    enter(f, JH_FLOW_PRINTING, now);
}

/* An answer to a take the visitor was already told had failed (or an earlier run sent). */
static jh_reply_kind late_reply(jh_flow *f, int i, const cJSON *o)
{
    const char *t = reply_ticket(o);
    int restored = f->takes[i].restored;
    char id[JH_CMD_ID_LEN];
    snprintf(id, sizeof id, "%s", f->takes[i].cmd_id);
    drop_take(f, i);
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, JH_KEY_OK)) || !t) {
        snprintf(f->detail, sizeof f->detail, "late refusal of take %s ignored", id);
        return JH_REPLY_IGNORED;
    }
    queue_void(f, t, restored ? REASON_RESTARTED_TAKE : REASON_LATE);
    snprintf(f->detail, sizeof f->detail, "late reply issued %s after the visitor was told it failed: voiding", t);
    return JH_REPLY_LATE_VOIDED;
}

static jh_reply_kind void_reply(jh_flow *f, int i, const cJSON *o)
{
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(o, JH_KEY_MESSAGE);
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(o, JH_KEY_ERROR);
    int ok = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, JH_KEY_OK));
    if (!ok && cJSON_IsString(code) && strcmp(code->valuestring, "internal") == 0) {
        /* The caller's store failed and applied nothing: the void still has to happen. */
        snprintf(f->detail, sizeof f->detail, "void of %s not applied by the caller (store failed): sending it again",
                 f->voids[i].ticket);
        return JH_REPLY_VOID;
    }
    snprintf(f->detail, sizeof f->detail, "void of %s %s%s", f->voids[i].ticket, ok ? "done" : "refused: ",
             !ok && cJSON_IsString(msg) ? msg->valuestring : "");
    memmove(&f->voids[i], &f->voids[i + 1], sizeof f->voids[0] * (size_t)(f->n_voids - i - 1));
    f->n_voids--;
    return JH_REPLY_VOID;
}

jh_reply_kind jh_flow_reply(jh_flow *f, const char *payload, size_t len, int64_t now)
{
    cJSON *o = cJSON_ParseWithLength(payload, len);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, JH_KEY_ID);
    jh_reply_kind k = JH_REPLY_IGNORED;
    int changed = 0;
    if (!cJSON_IsObject(o) || !cJSON_IsString(id)) {
        cJSON_Delete(o);
        return k;
    }
    f->now = now;
    int ti = take_index(f, id->valuestring);
    if (f->phase == JH_FLOW_WAITING && ti >= 0 && strcmp(id->valuestring, f->take_id) == 0) {
        drop_take(f, ti);
        take_reply(f, o, payload, len, now);
        k = JH_REPLY_TAKE;
        changed = 1;
    } else if (ti >= 0) {
        k = late_reply(f, ti, o);
        changed = 1;
    } else {
        for (int i = 0; i < f->n_voids; i++)
            if (strcmp(f->voids[i].cmd_id, id->valuestring) == 0) {
                int before = f->n_voids;
                k = void_reply(f, i, o);
                changed = f->n_voids != before;
                break;
            }
    }
    cJSON_Delete(o);
    if (changed) /* before the app starts printing a ticket that just arrived */
        sync_journal(f);
    return k;
}

void jh_flow_printed(jh_flow *f, const jh_ticket_print_outcome *o, int64_t now)
{
    if (f->phase != JH_FLOW_PRINTING)
        return;
    f->printer = o->status;
    if (o->result == JH_PRINT_OK) {
        snprintf(f->detail, sizeof f->detail, "%s", o->message);
        enter(f, JH_FLOW_DONE, now);
        sync_journal(f);
        return;
    }
    char reason[JH_TEXT_LEN];
    /* ASCII only, short: the caller refuses a reason it cannot store */
    snprintf(reason, sizeof reason, "kiosk %s: print %s, printer %s", f->kiosk_id,
             jh_print_result_name(o->result), jh_printer_state_name(o->status.state));
    queue_void(f, f->ticket.ticket, reason);
    snprintf(f->detail, sizeof f->detail, "%.300s; voiding %s", o->message, f->ticket.ticket);
    fail(f, JH_FAIL_PRINT, now);
    sync_journal(f);
}

void jh_flow_reset(jh_flow *f)
{
    if (f->phase == JH_FLOW_DONE || f->phase == JH_FLOW_FAILED)
        f->phase = JH_FLOW_IDLE;
}

/* ---- what goes out again ---- */

static char *void_json(const jh_flow *f, const jh_flow_void *v)
{
    jh_command c = {.op = JH_OP_VOID};
    snprintf(c.id, sizeof c.id, "%s", v->cmd_id);
    snprintf(c.reply_to, sizeof c.reply_to, "%s", f->kiosk_id);
    snprintf(c.ticket, sizeof c.ticket, "%s", v->ticket);
    snprintf(c.reason, sizeof c.reason, "%s", v->reason);
    return jh_command_to_json(&c);
}

char *jh_flow_next_void(jh_flow *f, uint64_t session)
{
    for (int i = 0; i < f->n_voids; i++) {
        jh_flow_void *v = &f->voids[i];
        if (!due(v->sent_session, v->sent_at, v->backoff_ms, session, f->now))
            continue;
        char *json = void_json(f, v);
        if (json)
            mark_sent(&v->sent_session, &v->sent_at, &v->backoff_ms, session, f->now);
        return json;
    }
    return NULL;
}

char *jh_flow_next_send(jh_flow *f, uint64_t session, const char **what)
{
    char *json = jh_flow_next_void(f, session);
    *what = "void";
    for (int i = 0; !json && i < f->n_takes; i++) {
        jh_flow_take *t = &f->takes[i];
        if (!due(t->sent_session, t->sent_at, t->backoff_ms, session, f->now))
            continue;
        if ((json = take_json(f, t)))
            mark_sent(&t->sent_session, &t->sent_at, &t->backoff_ms, session, f->now);
        *what = "take again";
        snprintf(f->detail, sizeof f->detail, "take %s (service %s) had no answer: sending it again",
                 t->cmd_id, t->service);
    }
    return json;
}
