/* SPDX-License-Identifier: MIT */
/*
 * bridge — see bridge.h.
 *
 * Why an outbox of our own: the broker link refuses to publish while it is
 * down (a kiosk's `take` must never go out minutes late), but a counter press
 * is still wanted after a short outage, and its id makes a resend harmless.
 * So presses wait here, in order, and go out when the link takes them again.
 *
 * Why a sent command is kept until the caller answers it: the broker's PUBACK
 * is not the caller's. A broker killed with SIGKILL loses what it queued for
 * a caller that was down, and an answer `internal` means the caller's store
 * failed and nothing was applied. So every command stays in `awaiting` until
 * a reply with its id arrives, and goes out again, with the same id, on the
 * next broker session and after RESEND_FIRST_MS (doubling) without an answer;
 * the caller answers a repeated id without applying it twice (docs/protocol.md).
 *
 * Why the rating pad is armed on event/finished and not with the ticket being
 * served: the caller binds a rating to the ticket last finished at the
 * counter, and the pad accepts one press per ticket — armed while serving, a
 * citizen pressing early would spend the one rating on a refusal.
 *
 * Why a keypad's RATE becomes invite-rating and never a score: staff must
 * not rate their own service (擅自按键评价). The key asks the caller to invite
 * a rating; on event/rating-invited the bridge arms and lights the counter's
 * pad, so the visitor rates there. Old keypad firmware still sends a score
 * with RATE: the score is dropped and it invites too.
 */
#include "bridge.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall_time.h"
#include "wire_keys.h"

#define BEEP_NEWCOMER_COUNT 2   /* someone joined an empty queue: two short beeps */
#define BEEP_NEWCOMER_10MS 10
#define BEEP_ERROR_COUNT 3      /* the caller refused a press: three quick beeps */
#define BEEP_ERROR_10MS 6
#define BEEP_INVITE_COUNT 1     /* a rating is invited: the pad calls the visitor's eye */
#define BEEP_INVITE_10MS 20
#define PAD_PROMPT "PLEASE RATE"  /* 请对本次服务进行评价, in what the pad can show */
#define RESEND_FIRST_MS 10000   /* no answer this long: the same command again */
#define RESEND_MAX_MS 60000

typedef struct {
    char topic[JH_TOPIC_LEN];
    char *payload;
    char id[JH_CMD_ID_LEN];
    int64_t sent_at;            /* awaiting: when it last went out */
    int backoff_ms;             /* awaiting: how long to wait for the answer this time */
} queued_cmd;

typedef struct {
    char status[16];            /* "" until state/counter/<id> arrived */
    char ticket[JH_ID_LEN];
} counter_view;

struct jh_bridge {
    const jh_bridge_config *bc;
    const jh_hall_config *hall;
    jh_bridge_io io;
    bus_master *bus;
    char prefix[JH_TOPIC_LEN];  /* "jh/v1/<site>/" */
    char topics[JH_BRIDGE_TOPICS][JH_TOPIC_LEN];
    char status_topic[JH_TOPIC_LEN];
    counter_view counters[JH_MAX_COUNTERS];
    int waiting[JH_MAX_SERVICES]; /* -1: not known yet */
    queued_cmd outbox[JH_BRIDGE_OUTBOX];
    int out_head, out_count;
    queued_cmd awaiting[JH_BRIDGE_OUTBOX]; /* sent, no answer yet; oldest first */
    int n_awaiting;
    int resend_all;             /* a new broker session: everything awaiting goes again */
    int status_due;
    int64_t status_at;
    uint64_t status_fingerprint; /* bus counters when the status was last sent */
};

static void notice(jh_bridge *b, jh_log_level level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void notice(jh_bridge *b, jh_log_level level, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (b->io.notice)
        b->io.notice(b->io.user, level, text);
}

static const char *kind_name(int type) { return type == BUS_DEV_KEYPAD ? "keypad" : "pad"; }

static const jh_bridge_device *device_of_counter(const jh_bridge *b, const char *counter, int type)
{
    for (int i = 0; i < b->bc->n_dev; i++)
        if (b->bc->dev[i].type == type && strcmp(b->bc->dev[i].counter, counter) == 0)
            return &b->bc->dev[i];
    return NULL;
}

/* ------------------------------------------------------------------ setup */

static int make_topics(jh_bridge *b)
{
    const char *site = b->hall->site;
    char reply[JH_TOPIC_LEN], status[JH_TOPIC_LEN];
    snprintf(reply, sizeof reply, "reply/%s", b->bc->id);
    snprintf(status, sizeof status, "status/%s", b->bc->id);
    int n = snprintf(b->prefix, sizeof b->prefix, "%s/%s/", JH_TOPIC_ROOT, site);
    if (n < 0 || (size_t)n >= sizeof b->prefix)
        return -1;
    return jh_topic(b->topics[0], JH_TOPIC_LEN, site, "state/counter/+") |
           jh_topic(b->topics[1], JH_TOPIC_LEN, site, "state/service/+") |
           jh_topic(b->topics[2], JH_TOPIC_LEN, site, "event/+") | /* finished, rating-invited */
           jh_topic(b->topics[3], JH_TOPIC_LEN, site, reply) |
           jh_topic(b->status_topic, JH_TOPIC_LEN, site, status);
}

int jh_bridge_bus_setup(bus_master *bus, const jh_bridge_config *bc, char *err, size_t errlen)
{
    int rc = bm_init(bus, &bc->bus);
    if (rc < 0) {
        snprintf(err, errlen, "[bridge %s]: bus timing: %s", bc->id, bm_strerror(rc));
        return -1;
    }
    for (int i = 0; i < bc->n_dev; i++)
        if ((rc = bm_add_device(bus, (uint8_t)bc->dev[i].addr, (uint8_t)bc->dev[i].type)) < 0) {
            snprintf(err, errlen, "[bridge %s] %s %d: %s", bc->id, kind_name(bc->dev[i].type),
                     bc->dev[i].addr, bm_strerror(rc));
            return -1;
        }
    return 0;
}

jh_bridge *jh_bridge_new(const jh_bridge_config *bc, const jh_hall_config *hall, bus_master *bus,
                         const jh_bridge_io *io, char *err, size_t errlen)
{
    jh_bridge *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    b->bc = bc;
    b->hall = hall;
    b->bus = bus;
    b->io = *io;
    b->status_due = 1;
    for (int i = 0; i < JH_MAX_SERVICES; i++)
        b->waiting[i] = -1;
    if (make_topics(b) != 0) {
        snprintf(err, errlen, "[hall] site '%s' makes no valid topic", hall->site);
        free(b);
        return NULL;
    }
    return b;
}

void jh_bridge_free(jh_bridge *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->out_count; i++)
        free(b->outbox[(b->out_head + i) % JH_BRIDGE_OUTBOX].payload);
    for (int i = 0; i < b->n_awaiting; i++)
        free(b->awaiting[i].payload);
    free(b);
}

const char *jh_bridge_topic(const jh_bridge *b, int i) { return b->topics[i]; }
const char *jh_bridge_status_topic(const jh_bridge *b) { return b->status_topic; }
const char *jh_bridge_will_payload(void) { return "{\"online\":false}"; }
int jh_bridge_queued(const jh_bridge *b) { return b->out_count; }
int jh_bridge_unanswered(const jh_bridge *b) { return b->n_awaiting; }

void jh_bridge_on_session(jh_bridge *b)
{
    b->status_due = 1;
    b->resend_all = b->n_awaiting > 0;
}

/* ------------------------------------------------------- bus → commands */

static const jh_op key_ops[BUS_KEY_MAX + 1] = {
    [BUS_KEY_CALL] = JH_OP_CALL_NEXT, [BUS_KEY_RECALL] = JH_OP_RECALL,
    [BUS_KEY_SKIP] = JH_OP_NO_SHOW,   [BUS_KEY_PAUSE] = JH_OP_PAUSE,
    [BUS_KEY_RESUME] = JH_OP_RESUME,  [BUS_KEY_FINISH] = JH_OP_FINISH,
};

static void copy_data(char *dst, size_t cap, const uint8_t *data, size_t len)
{
    size_t n = len < cap - 1 ? len : cap - 1;
    memcpy(dst, data, n);
    dst[n] = '\0';
}

/* TRANSFER n: the counter whose number is n. */
static int transfer_target(const jh_bridge *b, const bus_event *e, jh_command *c, char *why, size_t wl)
{
    char digits[BUS_TRANSFER_MAX + 1];
    copy_data(digits, sizeof digits, e->data, e->len);
    int number = atoi(digits);
    for (int i = 0; i < b->hall->n_counters; i++)
        if (b->hall->counters[i].number == number) {
            snprintf(c->to_counter, sizeof c->to_counter, "%s", b->hall->counters[i].id);
            return 0;
        }
    snprintf(why, wl, "transfer to counter number %s: the hall has no such counter", digits);
    return -1;
}

/* The command a bus event stands for. 0, or -1 with why (nothing to send). */
static int event_command(const jh_bridge *b, const bm_event *ev, const jh_bridge_device *d,
                         jh_command *c, char *why, size_t wl)
{
    const bus_event *e = &ev->ev;
    memset(c, 0, sizeof *c);
    snprintf(c->reply_to, sizeof c->reply_to, "%s", b->bc->id);
    if (bm_event_id(ev, b->bc->id, c->id, sizeof c->id) < 0) {
        snprintf(why, wl, "command id does not fit");
        return -1;
    }
    switch (e->kind) {
    case BUS_EV_KEY:
        c->op = e->data[0] <= BUS_KEY_MAX ? key_ops[e->data[0]] : JH_OP_UNKNOWN;
        break;
    case BUS_EV_LOGIN: {
        const uint8_t *pin;
        size_t pin_len, staff = bus_login_split(e, &pin, &pin_len);
        c->op = JH_OP_LOGIN;
        copy_data(c->staff_id, sizeof c->staff_id, e->data, staff);
        copy_data(c->secret, sizeof c->secret, pin, pin_len); /* "": old firmware, pinless */
        break;
    }
    case BUS_EV_INVITE:
        c->op = JH_OP_INVITE_RATING;
        break;
    case BUS_EV_LOGOUT:
        c->op = JH_OP_LOGOUT;
        break;
    case BUS_EV_TRANSFER:
        c->op = JH_OP_TRANSFER;
        return transfer_target(b, e, c, why, wl);
    case BUS_EV_RATE:
        if (d->type != BUS_DEV_RATING_PAD) {
            c->op = JH_OP_INVITE_RATING; /* old keypad firmware: its score is not the visitor's */
            break;
        }
        c->op = JH_OP_RATE;
        c->score = e->data[0];
        c->rate_source = JH_RATE_SRC_PAD;
        copy_data(c->ticket, sizeof c->ticket, e->data + 1, (size_t)e->len - 1);
        break;
    }
    if (c->op == JH_OP_UNKNOWN) {
        snprintf(why, wl, "bus event %s means no command", bus_event_kind_name(e->kind));
        return -1;
    }
    return 0;
}

static void error_beep(jh_bridge *b, int addr)
{
    bm_beep(b->bus, (uint8_t)addr, BEEP_ERROR_COUNT, BEEP_ERROR_10MS);
}

static void enqueue(jh_bridge *b, const jh_bridge_device *d, const jh_command *c)
{
    char suffix[JH_TOPIC_LEN];
    snprintf(suffix, sizeof suffix, "counter/%s/cmd", d->counter);
    queued_cmd *q = &b->outbox[(b->out_head + b->out_count) % JH_BRIDGE_OUTBOX];
    if (b->out_count == JH_BRIDGE_OUTBOX) {
        notice(b, JH_LOG_ERROR, "%s %d (counter %s): %s %s dropped: %d commands already wait for the broker",
               kind_name(d->type), d->addr, d->counter, jh_op_name(c->op), c->id, JH_BRIDGE_OUTBOX);
        error_beep(b, d->addr);
        return;
    }
    char *json = jh_command_to_json(c);
    if (!json || jh_topic(q->topic, sizeof q->topic, b->hall->site, suffix) < 0) {
        notice(b, JH_LOG_ERROR, "%s %d (counter %s): cannot encode %s %s", kind_name(d->type), d->addr,
               d->counter, jh_op_name(c->op), c->id);
        free(json);
        return;
    }
    q->payload = json;
    snprintf(q->id, sizeof q->id, "%s", c->id);
    b->out_count++;
}

static void on_input(jh_bridge *b, const bm_event *ev)
{
    const jh_bridge_device *d = jh_bridge_config_device(b->bc, ev->addr);
    jh_command c;
    char why[160];
    if (!d)
        return; /* the master polls only configured addresses */
    if (event_command(b, ev, d, &c, why, sizeof why) < 0) {
        notice(b, JH_LOG_WARN, "%s %d (counter %s): %s", kind_name(d->type), d->addr, d->counter, why);
        error_beep(b, d->addr);
        return;
    }
    enqueue(b, d, &c);
}

static void on_liveness(jh_bridge *b, const bm_event *ev)
{
    const jh_bridge_device *d = jh_bridge_config_device(b->bc, ev->addr);
    if (!d)
        return;
    b->status_due = 1;
    if (ev->type == BM_EV_OFFLINE)
        notice(b, JH_LOG_WARN, "%s %d (counter %s) stopped answering on the bus", kind_name(d->type),
               d->addr, d->counter);
    else if (ev->type == BM_EV_ONLINE)
        notice(b, JH_LOG_INFO, "%s %d (counter %s) answers (session %u)", kind_name(d->type), d->addr,
               d->counter, (unsigned)ev->session);
    else
        notice(b, JH_LOG_INFO, "%s %d (counter %s) restarted (session %u); resending what it shows",
               kind_name(d->type), d->addr, d->counter, (unsigned)ev->session);
}

/* Sent: wait for its answer. The oldest gives way when too many wait. */
static void await_answer(jh_bridge *b, queued_cmd *q, int64_t now)
{
    if (b->n_awaiting == JH_BRIDGE_OUTBOX) {
        notice(b, JH_LOG_ERROR, "no answer to command %s after %d newer ones: not sent again",
               b->awaiting[0].id, JH_BRIDGE_OUTBOX);
        free(b->awaiting[0].payload);
        memmove(&b->awaiting[0], &b->awaiting[1], sizeof b->awaiting[0] * (JH_BRIDGE_OUTBOX - 1));
        b->n_awaiting--;
    }
    queued_cmd *a = &b->awaiting[b->n_awaiting++];
    *a = *q;
    a->sent_at = now;
    a->backoff_ms = RESEND_FIRST_MS;
    q->payload = NULL;
}

/* Commands without an answer go out again: all of them on a new session, else those overdue. */
static void resend_awaiting(jh_bridge *b, int64_t now)
{
    int n = 0;
    for (int i = 0; i < b->n_awaiting; i++) {
        queued_cmd *a = &b->awaiting[i];
        if (!b->resend_all && now - a->sent_at < a->backoff_ms)
            continue;
        if (b->io.publish(b->io.user, a->topic, a->payload, 0) < 0)
            break; /* down: the next session sends them all */
        if (!b->resend_all)
            a->backoff_ms = a->backoff_ms * 2 > RESEND_MAX_MS ? RESEND_MAX_MS : a->backoff_ms * 2;
        a->sent_at = now;
        n++;
    }
    if (n)
        notice(b, JH_LOG_INFO, "%d command(s) without an answer sent again (%s), oldest %s", n,
               b->resend_all ? "new broker session" : "no answer in time", b->awaiting[0].id);
    if (n || !b->resend_all)
        b->resend_all = 0;
}

static void flush_outbox(jh_bridge *b, int64_t now)
{
    while (b->out_count > 0) {
        queued_cmd *q = &b->outbox[b->out_head];
        if (b->io.publish(b->io.user, q->topic, q->payload, 0) < 0)
            return;
        await_answer(b, q, now);
        b->out_head = (b->out_head + 1) % JH_BRIDGE_OUTBOX;
        b->out_count--;
    }
}

/* A reply names one of ours: done with it, unless the caller's store failed (nothing applied). */
static void answered(jh_bridge *b, const char *id, int applied_nothing)
{
    for (int i = 0; i < b->n_awaiting; i++) {
        if (strcmp(b->awaiting[i].id, id) != 0)
            continue;
        if (applied_nothing)
            return; /* its timer sends it again */
        free(b->awaiting[i].payload);
        memmove(&b->awaiting[i], &b->awaiting[i + 1], sizeof b->awaiting[0] * (size_t)(b->n_awaiting - i - 1));
        b->n_awaiting--;
        return;
    }
}

/* ------------------------------------------------------------- status */

static uint64_t bus_fingerprint(const bus_master *m)
{
    const bus_decoder_stats *d = &m->dec.stats;
    const bm_stats *s = &m->stats;
    return (uint64_t)d->frames + bus_decoder_dropped(&m->dec) + d->noise_bytes + s->timeouts +
           s->stray + s->malformed + s->naks + s->duplicate_events + s->events;
}

static void add_num(cJSON *o, const char *name, uint32_t v) { cJSON_AddNumberToObject(o, name, v); }

static cJSON *bus_json(const bus_master *m)
{
    const bus_decoder_stats *d = &m->dec.stats;
    const bm_stats *s = &m->stats;
    cJSON *o = cJSON_CreateObject();
    add_num(o, "frames_ok", d->frames);
    add_num(o, "frames_bad", bus_decoder_dropped(&m->dec));
    add_num(o, "crc_errors", d->crc_errors);
    add_num(o, "truncated", d->truncated);
    add_num(o, "bad_escape", d->bad_escape);
    add_num(o, "oversize", d->oversize);
    add_num(o, "noise_bytes", d->noise_bytes);
    add_num(o, "requests", s->requests);
    add_num(o, "retries", s->retries);
    add_num(o, "timeouts", s->timeouts);
    add_num(o, "failed_exchanges", s->failed_exchanges);
    add_num(o, "stray", s->stray);
    add_num(o, "malformed", s->malformed);
    add_num(o, "naks", s->naks);
    add_num(o, "events", s->events);
    add_num(o, "duplicate_events", s->duplicate_events);
    add_num(o, "lost_notices", s->lost_notices);
    return o;
}

static cJSON *devices_json(const jh_bridge *b)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < b->bc->n_dev; i++) {
        const jh_bridge_device *d = &b->bc->dev[i];
        const bm_device *bd = bm_device_of(b->bus, (uint8_t)d->addr);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "addr", d->addr);
        cJSON_AddStringToObject(o, "counter", d->counter);
        cJSON_AddStringToObject(o, "kind", kind_name(d->type));
        cJSON_AddBoolToObject(o, "online", bd && bd->live == BM_ONLINE);
        cJSON_AddStringToObject(o, "liveness", bm_liveness_name(bd ? bd->live : BM_UNKNOWN));
        if (bd && bd->known)
            cJSON_AddNumberToObject(o, "session", bd->session);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

char *jh_bridge_status_json(const jh_bridge *b, int online)
{
    cJSON *o = cJSON_CreateObject();
    char at[40];
    cJSON_AddBoolToObject(o, "online", online);
    cJSON_AddStringToObject(o, "bridge", b->bc->id);
    cJSON_AddStringToObject(o, "at", jh_time_iso8601(jh_time_now_ms(), at, sizeof at));
    cJSON_AddItemToObject(o, "keypads", devices_json(b));
    cJSON_AddItemToObject(o, "bus", bus_json(b->bus));
    cJSON_AddNumberToObject(o, "queued", b->out_count);
    cJSON_AddNumberToObject(o, "unanswered", b->n_awaiting);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

static void refresh_status(jh_bridge *b, int64_t now)
{
    uint64_t fp = bus_fingerprint(b->bus);
    int periodic = fp != b->status_fingerprint && now - b->status_at >= b->bc->status_interval_s * 1000LL;
    if (!b->status_due && !periodic)
        return;
    char *json = jh_bridge_status_json(b, 1);
    if (json && b->io.publish(b->io.user, b->status_topic, json, 1) == 0) {
        b->status_due = 0;
        b->status_at = now;
        b->status_fingerprint = fp;
    }
    free(json);
}

void jh_bridge_handle_event(jh_bridge *b, const bm_event *ev)
{
    if (ev->type == BM_EV_INPUT)
        on_input(b, ev);
    else
        on_liveness(b, ev);
}

void jh_bridge_pump(jh_bridge *b, int64_t now_ms)
{
    bm_event ev;
    while (bm_next_event(b->bus, &ev))
        jh_bridge_handle_event(b, &ev);
    resend_awaiting(b, now_ms);
    flush_outbox(b, now_ms);
    refresh_status(b, now_ms);
}

/* -------------------------------------------------- broker → devices */

static int counter_index(const jh_bridge *b, const char *id)
{
    return jh_config_counter_index(b->hall, id);
}

/* Every service the counter serves has nobody waiting (as far as we know). */
static int queue_empty(const jh_bridge *b, int ci)
{
    const jh_counter_config *cc = &b->hall->counters[ci];
    for (int i = 0; i < cc->n_services; i++)
        if (b->waiting[cc->services[i]] != 0)
            return 0;
    return cc->n_services > 0;
}

static void show_counter(jh_bridge *b, int ci)
{
    const counter_view *v = &b->counters[ci];
    const jh_bridge_device *d = device_of_counter(b, b->hall->counters[ci].id, BUS_DEV_KEYPAD);
    if (!d || !v->status[0])
        return;
    uint8_t leds = strcmp(v->status, JH_STATUS_SERVING) == 0  ? BUS_LED_SERVING
                   : strcmp(v->status, JH_STATUS_IDLE) == 0   ? BUS_LED_IDLE
                   : strcmp(v->status, JH_STATUS_PAUSED) == 0 ? BUS_LED_PAUSED
                                                              : 0;
    if (queue_empty(b, ci))
        leds |= BUS_LED_QUEUE_EMPTY;
    const char *text = v->ticket[0]                                ? v->ticket
                       : strcmp(v->status, JH_STATUS_PAUSED) == 0 ? "PAUSE"
                       : strcmp(v->status, JH_STATUS_CLOSED) == 0 ? "CLOSED"
                                                                  : "---";
    bm_set_leds(b->bus, (uint8_t)d->addr, leds);
    if (bm_set_display(b->bus, (uint8_t)d->addr, text) < 0)
        notice(b, JH_LOG_WARN, "keypad %d (counter %s) cannot show '%s' (12 printable ASCII at most)",
               d->addr, b->hall->counters[ci].id, text);
}

static const char *str_field(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int on_counter_state(jh_bridge *b, const char *id, const cJSON *o)
{
    int ci = counter_index(b, id);
    if (ci < 0)
        return 0;
    const char *status = str_field(o, JH_KEY_STATUS);
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, JH_KEY_TICKET);
    if (!status || strlen(status) >= sizeof b->counters[ci].status ||
        !(cJSON_IsNull(t) || (cJSON_IsString(t) && strlen(t->valuestring) < JH_ID_LEN)))
        return -1;
    counter_view *v = &b->counters[ci];
    snprintf(v->status, sizeof v->status, "%s", status);
    snprintf(v->ticket, sizeof v->ticket, "%s", cJSON_IsString(t) ? t->valuestring : "");
    show_counter(b, ci);
    return 0;
}

static void newcomer_beep(jh_bridge *b, int si)
{
    for (int ci = 0; ci < b->hall->n_counters; ci++) {
        const jh_counter_config *cc = &b->hall->counters[ci];
        const jh_bridge_device *d = device_of_counter(b, cc->id, BUS_DEV_KEYPAD);
        for (int k = 0; d && k < cc->n_services; k++)
            if (cc->services[k] == si)
                bm_beep(b->bus, (uint8_t)d->addr, BEEP_NEWCOMER_COUNT, BEEP_NEWCOMER_10MS);
    }
}

static int on_service_state(jh_bridge *b, const char *code, const cJSON *o)
{
    int si = jh_config_service_index(b->hall, code);
    if (si < 0)
        return 0;
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(o, JH_KEY_WAITING);
    if (!cJSON_IsNumber(w) || w->valuedouble < 0 || w->valuedouble > 1e6)
        return -1;
    int before = b->waiting[si];
    b->waiting[si] = (int)w->valuedouble;
    if (before == 0 && b->waiting[si] > 0)
        newcomer_beep(b, si);
    for (int ci = 0; ci < b->hall->n_counters; ci++)
        show_counter(b, ci); /* queue-empty LEDs; unchanged values send nothing */
    return 0;
}

static int on_finished(jh_bridge *b, const cJSON *o)
{
    const char *counter = str_field(o, JH_KEY_COUNTER), *ticket = str_field(o, JH_KEY_TICKET);
    if (!counter || !ticket)
        return -1;
    const jh_bridge_device *pad = device_of_counter(b, counter, BUS_DEV_RATING_PAD);
    if (pad && bm_set_ticket(b->bus, (uint8_t)pad->addr, ticket) < 0)
        notice(b, JH_LOG_WARN, "pad %d (counter %s) cannot take ticket '%s' (8 printable ASCII at most)",
               pad->addr, counter, ticket);
    return 0;
}

/* The counter invited a rating: its pad takes the ticket, shows a prompt and beeps. */
static int on_rating_invited(jh_bridge *b, const cJSON *o)
{
    const char *counter = str_field(o, JH_KEY_COUNTER), *ticket = str_field(o, JH_KEY_TICKET);
    if (!counter || !ticket)
        return -1;
    const jh_bridge_device *pad = device_of_counter(b, counter, BUS_DEV_RATING_PAD);
    if (!pad)
        return 0;
    if (bm_set_ticket(b->bus, (uint8_t)pad->addr, ticket) < 0) {
        notice(b, JH_LOG_WARN, "pad %d (counter %s) cannot take ticket '%s' (8 printable ASCII at most)",
               pad->addr, counter, ticket);
        return 0;
    }
    bm_set_display(b->bus, (uint8_t)pad->addr, PAD_PROMPT);
    bm_set_leds(b->bus, (uint8_t)pad->addr, BUS_LED_SERVING);
    bm_beep(b->bus, (uint8_t)pad->addr, BEEP_INVITE_COUNT, BEEP_INVITE_10MS);
    return 0;
}

/* Refusals staff must read on the keypad (a login's, an invitation's): short
 * words that fit its display. Other refusals only beep, as before. */
static const char *refusal_word(const char *code)
{
    static const struct { const char *code, *word; } words[] = {
        {"bad-secret", "BAD PIN"},        {"locked", "LOCKED"},
        {"unknown-staff", "NO STAFF"},    {"not-allowed-here", "NOT HERE"},
        {"staff-disabled", "DISABLED"},   {"missing-field", "PIN NEEDED"},
        {"no-ticket-to-rate", "NO TICKET"}, {"already-rated", "RATED"},
    };
    for (size_t i = 0; code && i < sizeof words / sizeof words[0]; i++)
        if (strcmp(words[i].code, code) == 0)
            return words[i].word;
    return NULL;
}

/*
 * An answer to one of our commands: it need not go again — unless it is
 * `internal` (nothing was applied: sent again later, no error beep, since the
 * press still counts). A refusal is said, and the device that sent it beeps.
 */
static int on_reply(jh_bridge *b, const cJSON *o)
{
    const char *id = str_field(o, JH_KEY_ID);
    const cJSON *ok = cJSON_GetObjectItemCaseSensitive(o, JH_KEY_OK);
    if (!id || !cJSON_IsBool(ok))
        return -1;
    const char *code = str_field(o, JH_KEY_ERROR), *msg = str_field(o, JH_KEY_MESSAGE);
    int retry = cJSON_IsFalse(ok) && code && strcmp(code, "internal") == 0;
    answered(b, id, retry);
    size_t n = strlen(b->bc->id);
    unsigned addr;
    if (cJSON_IsTrue(ok) || strncmp(id, b->bc->id, n) != 0 || id[n] != '-' ||
        sscanf(id + n + 1, "%u-", &addr) != 1)
        return 0;
    const jh_bridge_device *d = jh_bridge_config_device(b->bc, (int)addr);
    if (!d)
        return 0;
    if (retry) {
        notice(b, JH_LOG_WARN, "%s %d (counter %s): command %s not applied (%s); sending it again",
               kind_name(d->type), d->addr, d->counter, id, msg ? msg : "internal");
        return 0;
    }
    notice(b, JH_LOG_WARN, "%s %d (counter %s): command %s refused: %s (%s)", kind_name(d->type), d->addr,
           d->counter, id, code ? code : "?", msg ? msg : "");
    error_beep(b, d->addr);
    const char *word = refusal_word(code);
    if (word && d->type == BUS_DEV_KEYPAD)
        bm_set_display(b->bus, (uint8_t)d->addr, word); /* until the counter's next state */
    return 0;
}

static int dispatch(jh_bridge *b, const char *rest, const cJSON *o)
{
    if (strncmp(rest, "state/counter/", 14) == 0)
        return on_counter_state(b, rest + 14, o);
    if (strncmp(rest, "state/service/", 14) == 0)
        return on_service_state(b, rest + 14, o);
    if (strcmp(rest, "event/finished") == 0)
        return on_finished(b, o);
    if (strcmp(rest, "event/rating-invited") == 0)
        return on_rating_invited(b, o);
    if (strncmp(rest, "reply/", 6) == 0 && strcmp(rest + 6, b->bc->id) == 0)
        return on_reply(b, o);
    return 0;
}

void jh_bridge_on_message(jh_bridge *b, const char *topic, const void *payload, size_t len)
{
    size_t pl = strlen(b->prefix);
    if (strncmp(topic, b->prefix, pl) != 0)
        return;
    if (len == 0)
        return; /* a retained message being cleared */
    cJSON *o = len <= JH_MAX_PAYLOAD ? cJSON_ParseWithLength(payload, len) : NULL;
    if (!cJSON_IsObject(o) || dispatch(b, topic + pl, o) < 0)
        notice(b, JH_LOG_WARN, "ignored a malformed message on %s", topic);
    cJSON_Delete(o);
}
