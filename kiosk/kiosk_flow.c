/*
 * kiosk_flow — the take → print → void state machine (see kiosk_flow.h).
 */
#include "kiosk_flow.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *g_phase[] = {"idle", "checking", "waiting", "printing", "done", "failed"};
static const char *g_fail[] = {"none", "printer", "link", "refused", "timeout", "bad-reply", "print"};

const char *jh_flow_phase_name(jh_flow_phase p) { return p <= JH_FLOW_FAILED ? g_phase[p] : "?"; }
const char *jh_flow_failure_name(jh_flow_failure x) { return x <= JH_FAIL_PRINT ? g_fail[x] : "?"; }

void jh_flow_init(jh_flow *f, const char *kiosk_id, const char *boot, int reply_timeout_ms)
{
    memset(f, 0, sizeof *f);
    snprintf(f->kiosk_id, sizeof f->kiosk_id, "%s", kiosk_id);
    snprintf(f->boot, sizeof f->boot, "%s", boot);
    f->reply_timeout_ms = reply_timeout_ms;
}

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
}

/* Callers set f->detail first: it is kept as the reason. */
static void fail(jh_flow *f, jh_flow_failure why, int64_t now)
{
    f->failure = why;
    memcpy(f->why, f->detail, sizeof f->why);
    enter(f, JH_FLOW_FAILED, now);
}

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

int jh_flow_printer_checked(jh_flow *f, const jh_printer_status *st, int64_t now, char **take_json)
{
    *take_json = NULL;
    if (f->phase != JH_FLOW_CHECKING)
        return 0;
    f->printer = *st;
    if (!st->can_print) {
        snprintf(f->detail, sizeof f->detail, "no take for %s: printer %s (%s)", f->service,
                 jh_printer_state_name(st->state), st->detail);
        fail(f, JH_FAIL_PRINTER, now);
        return 0;
    }
    jh_command c = {.op = JH_OP_TAKE, .priority = (int)f->priority};
    next_id(f, c.id, sizeof c.id);
    snprintf(c.reply_to, sizeof c.reply_to, "%s", f->kiosk_id);
    snprintf(c.service, sizeof c.service, "%s", f->service);
    snprintf(c.lang, sizeof c.lang, "%s", f->lang_en ? "en" : "zh");
    *take_json = jh_command_to_json(&c);
    if (!*take_json) {
        snprintf(f->detail, sizeof f->detail, "cannot build the take command");
        fail(f, JH_FAIL_LINK, now);
        return 0;
    }
    snprintf(f->take_id, sizeof f->take_id, "%s", c.id);
    f->deadline = now + f->reply_timeout_ms;
    snprintf(f->detail, sizeof f->detail, "take %s for service %s (%s)", c.id, f->service,
             jh_priority_name(f->priority));
    enter(f, JH_FLOW_WAITING, now);
    return 1;
}

void jh_flow_take_unsent(jh_flow *f, const char *why, int64_t now)
{
    if (f->phase != JH_FLOW_WAITING)
        return;
    snprintf(f->detail, sizeof f->detail, "take %s not sent: %s", f->take_id, why);
    fail(f, JH_FAIL_LINK, now);
}

/* Queues `void {ticket, reason}`; the oldest pending one gives way when full. */
static void queue_void(jh_flow *f, const char *ticket, const char *reason)
{
    if (f->n_voids == JH_FLOW_MAX_VOIDS) {
        memmove(&f->voids[0], &f->voids[1], sizeof f->voids[0] * (JH_FLOW_MAX_VOIDS - 1));
        f->n_voids--;
        f->voids_dropped++;
    }
    jh_flow_void *v = &f->voids[f->n_voids++];
    memset(v, 0, sizeof *v);
    next_id(f, v->cmd_id, sizeof v->cmd_id);
    snprintf(v->ticket, sizeof v->ticket, "%s", ticket);
    snprintf(v->reason, sizeof v->reason, "%s", reason);
}

static void remember_late(jh_flow *f, const char *id)
{
    snprintf(f->late[f->late_next], sizeof f->late[0], "%s", id);
    f->late_next = (f->late_next + 1) % JH_FLOW_MAX_LATE;
}

int jh_flow_tick(jh_flow *f, int64_t now)
{
    if (f->phase != JH_FLOW_WAITING || now < f->deadline)
        return 0;
    remember_late(f, f->take_id);
    snprintf(f->detail, sizeof f->detail, "take %s: no reply within %d ms", f->take_id, f->reply_timeout_ms);
    fail(f, JH_FAIL_TIMEOUT, now);
    return 1;
}

/* The ticket an ok reply names, if any: even a reply we cannot fully read must be voided. */
static const char *reply_ticket(const cJSON *o)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "ticket");
    return cJSON_IsString(t) && jh_valid_id(t->valuestring) ? t->valuestring : NULL;
}

static void take_reply(jh_flow *f, const cJSON *o, const char *payload, size_t len, int64_t now)
{
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(o, "error");
    char err[300];
    if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(o, "ok"))) {
        snprintf(f->error_code, sizeof f->error_code, "%s", cJSON_IsString(code) ? code->valuestring : "?");
        jh_issued_ticket_from_reply(&f->ticket, payload, len, err, sizeof err); /* quotes the message */
        snprintf(f->detail, sizeof f->detail, "take %s: %s", f->take_id, err);
        fail(f, JH_FAIL_REFUSED, now);
        return;
    }
    if (jh_issued_ticket_from_reply(&f->ticket, payload, len, err, sizeof err) != 0) {
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

static int late_index(const jh_flow *f, const char *id)
{
    for (int i = 0; i < JH_FLOW_MAX_LATE; i++)
        if (f->late[i][0] && strcmp(f->late[i], id) == 0)
            return i;
    return -1;
}

static jh_reply_kind late_reply(jh_flow *f, int i, const cJSON *o)
{
    const char *t = reply_ticket(o);
    f->late[i][0] = '\0';
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "ok")) || !t) {
        snprintf(f->detail, sizeof f->detail, "late refusal ignored");
        return JH_REPLY_IGNORED;
    }
    queue_void(f, t, "reply came after the kiosk gave up waiting");
    snprintf(f->detail, sizeof f->detail, "late reply issued %s after the visitor was told it failed: voiding", t);
    return JH_REPLY_LATE_VOIDED;
}

static jh_reply_kind void_reply(jh_flow *f, int i, const cJSON *o)
{
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(o, "message");
    int ok = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "ok"));
    snprintf(f->detail, sizeof f->detail, "void of %s %s%s", f->voids[i].ticket, ok ? "done" : "refused: ",
             !ok && cJSON_IsString(msg) ? msg->valuestring : "");
    memmove(&f->voids[i], &f->voids[i + 1], sizeof f->voids[0] * (size_t)(f->n_voids - i - 1));
    f->n_voids--;
    return JH_REPLY_VOID;
}

jh_reply_kind jh_flow_reply(jh_flow *f, const char *payload, size_t len, int64_t now)
{
    cJSON *o = cJSON_ParseWithLength(payload, len);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
    jh_reply_kind k = JH_REPLY_IGNORED;
    if (!cJSON_IsObject(o) || !cJSON_IsString(id)) {
        cJSON_Delete(o);
        return k;
    }
    int li = late_index(f, id->valuestring);
    if (f->phase == JH_FLOW_WAITING && strcmp(id->valuestring, f->take_id) == 0) {
        take_reply(f, o, payload, len, now);
        k = JH_REPLY_TAKE;
    } else if (li >= 0) {
        k = late_reply(f, li, o);
    } else {
        for (int i = 0; i < f->n_voids; i++)
            if (strcmp(f->voids[i].cmd_id, id->valuestring) == 0) {
                k = void_reply(f, i, o);
                break;
            }
    }
    cJSON_Delete(o);
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
        return;
    }
    char reason[JH_TEXT_LEN];
    /* ASCII only, short: the caller refuses a reason it cannot store */
    snprintf(reason, sizeof reason, "kiosk %s: print %s, printer %s", f->kiosk_id,
             jh_print_result_name(o->result), jh_printer_state_name(o->status.state));
    queue_void(f, f->ticket.ticket, reason);
    snprintf(f->detail, sizeof f->detail, "%.300s; voiding %s", o->message, f->ticket.ticket);
    fail(f, JH_FAIL_PRINT, now);
}

void jh_flow_reset(jh_flow *f)
{
    if (f->phase == JH_FLOW_DONE || f->phase == JH_FLOW_FAILED)
        f->phase = JH_FLOW_IDLE;
}

char *jh_flow_next_void(jh_flow *f, uint64_t session)
{
    for (int i = 0; i < f->n_voids; i++) {
        jh_flow_void *v = &f->voids[i];
        if (v->sent_session == session)
            continue;
        jh_command c = {.op = JH_OP_VOID};
        snprintf(c.id, sizeof c.id, "%s", v->cmd_id);
        snprintf(c.reply_to, sizeof c.reply_to, "%s", f->kiosk_id);
        snprintf(c.ticket, sizeof c.ticket, "%s", v->ticket);
        snprintf(c.reason, sizeof c.reason, "%s", v->reason);
        char *json = jh_command_to_json(&c);
        if (json)
            v->sent_session = session;
        return json;
    }
    return NULL;
}
