/* SPDX-License-Identifier: MIT */
/*
 * board_state — applies the caller's published state and events to a jh_board.
 * See board_state.h for what it owns. Every handler parses into a scratch copy
 * first and commits only when the whole message was understood, so a refused
 * message never leaves half an update behind.
 */
#include "board_state.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "event_payload.h"
#include "protocol.h"
#include "state_payload.h"

#define TOPIC_ROOT JH_TOPIC_ROOT "/"

/* Both sides hold text of the same size, already cleaned by the decoder. */
static void copy(char *dst, size_t len, const char *src) { snprintf(dst, len, "%s", src); }

/* ---- lookups ---------------------------------------------------------- */

const char *jh_board_status_name(jh_counter_status s)
{
    switch (s) {
    case JH_COUNTER_SERVING: return JH_STATUS_SERVING;
    case JH_COUNTER_IDLE: return JH_STATUS_IDLE;
    case JH_COUNTER_PAUSED: return JH_STATUS_PAUSED;
    case JH_COUNTER_CLOSED: return JH_STATUS_CLOSED;
    default: return "unknown";
    }
}

static jh_counter_status parse_status(const char *s)
{
    for (int i = JH_COUNTER_SERVING; i <= JH_COUNTER_CLOSED; i++)
        if (strcmp(s, jh_board_status_name((jh_counter_status)i)) == 0)
            return (jh_counter_status)i;
    return JH_COUNTER_UNKNOWN;
}

const jh_board_counter *jh_board_counter_find(const jh_board *b, const char *id)
{
    for (int i = 0; i < b->n_counters; i++)
        if (strcmp(b->counters[i].id, id) == 0)
            return &b->counters[i];
    return NULL;
}

const jh_board_service *jh_board_service_find(const jh_board *b, const char *code)
{
    for (int i = 0; i < b->n_services; i++)
        if (strcmp(b->services[i].code, code) == 0)
            return &b->services[i];
    return NULL;
}

/* ---- init ------------------------------------------------------------- */

void jh_board_forget(jh_board *b)
{
    char site[JH_ID_LEN];
    memcpy(site, b->site, sizeof site);
    uint64_t version = b->version;
    memset(b, 0, sizeof *b);
    memcpy(b->site, site, sizeof site);
    b->open = -1;
    b->hall_seq = -1;
    b->last_seq = -1;
    b->caller_online = -1;
    b->version = version + 1;
}

void jh_board_init(jh_board *b, const char *site)
{
    memset(b, 0, sizeof *b);
    snprintf(b->site, sizeof b->site, "%s", site ? site : "");
    jh_board_forget(b);
    b->version = 1;
}

/* ---- counters ---------------------------------------------------------- */

static int counter_before(const jh_board_counter *a, const jh_board_counter *c)
{
    /* counters without a number go last, in id order */
    int an = a->number > 0 ? a->number : 1 << 30, cn = c->number > 0 ? c->number : 1 << 30;
    if (an != cn)
        return an < cn;
    return strcmp(a->id, c->id) < 0;
}

/* Puts `c` in its sorted place, replacing the entry with the same id. */
static int counter_store(jh_board *b, const jh_board_counter *c, char *err, size_t errlen)
{
    int at = -1;
    for (int i = 0; i < b->n_counters; i++)
        if (strcmp(b->counters[i].id, c->id) == 0)
            at = i;
    if (at >= 0) { /* remove, then insert again: its number may have changed */
        memmove(&b->counters[at], &b->counters[at + 1],
                (size_t)(b->n_counters - at - 1) * sizeof *c);
        b->n_counters--;
    } else if (b->n_counters == JH_BOARD_MAX_COUNTERS) {
        snprintf(err, errlen, "state/counter/%s: more than %d counters", c->id,
                 JH_BOARD_MAX_COUNTERS);
        return -1;
    }
    int pos = 0;
    while (pos < b->n_counters && counter_before(&b->counters[pos], c))
        pos++;
    memmove(&b->counters[pos + 1], &b->counters[pos], (size_t)(b->n_counters - pos) * sizeof *c);
    b->counters[pos] = *c;
    b->n_counters++;
    return 0;
}

static void counter_remove(jh_board *b, const char *id)
{
    for (int i = 0; i < b->n_counters; i++) {
        if (strcmp(b->counters[i].id, id) == 0) {
            memmove(&b->counters[i], &b->counters[i + 1],
                    (size_t)(b->n_counters - i - 1) * sizeof b->counters[0]);
            b->n_counters--;
            return;
        }
    }
}

static int apply_counter(jh_board *b, const char *id, const cJSON *o, char *err, size_t errlen)
{
    jh_counter_state s;
    jh_board_counter c;
    memset(&s, 0, sizeof s);
    jh_counter_state_decode(o, &s);
    memset(&c, 0, sizeof c);
    copy(c.id, sizeof c.id, id); /* the topic's, not the payload's */
    c.number = s.number > 0 ? s.number : 0;
    copy(c.name, sizeof c.name, s.name);
    copy(c.name_en, sizeof c.name_en, s.name_en);
    c.status = parse_status(s.status);
    copy(c.ticket, sizeof c.ticket, s.ticket);
    copy(c.service, sizeof c.service, s.service);
    copy(c.priority, sizeof c.priority, s.priority);
    copy(c.staff_id, sizeof c.staff_id, s.staff_id);
    copy(c.staff_name, sizeof c.staff_name, s.staff_name);
    copy(c.message, sizeof c.message, s.message);
    c.call_count = s.call_count;
    c.overrun = s.overrun;
    return counter_store(b, &c, err, errlen);
}

/* ---- services ---------------------------------------------------------- */

static int apply_service(jh_board *b, const char *code, const cJSON *o, char *err, size_t errlen)
{
    jh_service_state st;
    jh_board_service s;
    memset(&st, 0, sizeof st);
    st.open = st.waiting = st.waiting_priority = st.ewt_s = -1; /* unknown until said */
    jh_service_state_decode(o, &st);
    memset(&s, 0, sizeof s);
    copy(s.code, sizeof s.code, code);
    copy(s.name, sizeof s.name, st.name);
    copy(s.name_en, sizeof s.name_en, st.name_en);
    s.open = st.open;
    copy(s.next_open, sizeof s.next_open, st.next_open);
    s.waiting = st.waiting;
    s.waiting_priority = st.waiting_priority;
    s.ewt_s = st.ewt_s;
    copy(s.next_ticket, sizeof s.next_ticket, st.next_ticket);
    copy(s.last_called, sizeof s.last_called, st.last_called);

    int pos = 0;
    while (pos < b->n_services && strcmp(b->services[pos].code, code) < 0)
        pos++;
    if (pos < b->n_services && strcmp(b->services[pos].code, code) == 0) {
        b->services[pos] = s;
        return 0;
    }
    if (b->n_services == JH_BOARD_MAX_SERVICES) {
        snprintf(err, errlen, "state/service/%s: more than %d services", code,
                 JH_BOARD_MAX_SERVICES);
        return -1;
    }
    memmove(&b->services[pos + 1], &b->services[pos],
            (size_t)(b->n_services - pos) * sizeof s);
    b->services[pos] = s;
    b->n_services++;
    return 0;
}

static void service_remove(jh_board *b, const char *code)
{
    for (int i = 0; i < b->n_services; i++) {
        if (strcmp(b->services[i].code, code) == 0) {
            memmove(&b->services[i], &b->services[i + 1],
                    (size_t)(b->n_services - i - 1) * sizeof b->services[0]);
            b->n_services--;
            return;
        }
    }
}

/* ---- history ------------------------------------------------------------ */

/* Inserts `c` at the front of list (max JH_BOARD_MAX_HISTORY), dropping an older entry of the same ticket. */
static void list_push_front(jh_board_call *list, int *n, const jh_board_call *c)
{
    for (int i = 0; i < *n; i++) {
        if (strcmp(list[i].ticket, c->ticket) == 0) {
            memmove(&list[i], &list[i + 1], (size_t)(*n - i - 1) * sizeof *c);
            (*n)--;
            break;
        }
    }
    if (*n == JH_BOARD_MAX_HISTORY)
        (*n)--;
    memmove(&list[1], &list[0], (size_t)*n * sizeof *c);
    list[0] = *c;
    (*n)++;
}

/* Rebuilds the history: events newer than state/hall first, then its last_called list. */
static void history_rebuild(jh_board *b, const jh_board_call *hall_list, int n_hall)
{
    int keep = 0;
    for (int i = 0; i < b->n_recent; i++) /* state/hall now accounts for the older ones */
        if (b->recent[i].seq > b->hall_seq)
            b->recent[keep++] = b->recent[i];
    b->n_recent = keep;

    b->n_history = 0;
    for (int i = n_hall - 1; i >= 0; i--)
        list_push_front(b->history, &b->n_history, &hall_list[i]);
    for (int i = b->n_recent - 1; i >= 0; i--)
        list_push_front(b->history, &b->n_history, &b->recent[i]);
}

/* A call from state/hall's last_called: no seq (hall "seq" covers them all), no names. */
static void hall_call(const jh_last_call *l, jh_board_call *c)
{
    memset(c, 0, sizeof *c);
    c->seq = -1;
    copy(c->ticket, sizeof c->ticket, l->ticket);
    copy(c->counter, sizeof c->counter, l->counter);
    c->counter_number = l->counter_number > 0 ? l->counter_number : 0;
    copy(c->at, sizeof c->at, l->at);
}

static void apply_hall(jh_board *b, const cJSON *o)
{
    jh_board_call list[JH_BOARD_MAX_HISTORY];
    jh_hall_state h;
    int n = 0;
    memset(&h, 0, sizeof h);
    copy(h.name, sizeof h.name, b->name); /* names a state leaves out stay as they were */
    copy(h.name_en, sizeof h.name_en, b->name_en);
    h.open = -1;
    h.seq = -1;
    jh_hall_state_decode(o, &h);
    for (int i = 0; i < h.n_last_called && n < JH_BOARD_MAX_HISTORY; i++)
        if (h.last_called[i].ticket[0])
            hall_call(&h.last_called[i], &list[n++]);
    copy(b->name, sizeof b->name, h.name);
    copy(b->name_en, sizeof b->name_en, h.name_en);
    b->open = h.open;
    copy(b->notice, sizeof b->notice, h.notice);
    b->day = h.day;
    b->hall_seq = h.seq;
    b->have_hall = 1;
    history_rebuild(b, list, n);
}

/* ---- events ------------------------------------------------------------- */

/* What a board shows and says of event/called or event/recalled. */
static void event_call(const jh_event_payload *ev, jh_board_call *c)
{
    memset(c, 0, sizeof *c);
    c->seq = ev->seq;
    copy(c->ticket, sizeof c->ticket, ev->ticket);
    copy(c->counter, sizeof c->counter, ev->counter);
    c->counter_number = ev->counter_number > 0 ? ev->counter_number : 0;
    copy(c->counter_name, sizeof c->counter_name, ev->counter_name);
    copy(c->counter_name_en, sizeof c->counter_name_en, ev->counter_name_en);
    copy(c->service, sizeof c->service, ev->service);
    copy(c->service_name, sizeof c->service_name, ev->service_name);
    copy(c->service_name_en, sizeof c->service_name_en, ev->service_name_en);
    copy(c->priority, sizeof c->priority, ev->priority);
    copy(c->staff_name, sizeof c->staff_name, ev->staff_name);
    copy(c->at, sizeof c->at, ev->at);
    c->recall = ev->kind == JH_EVENT_RECALLED;
}

/*
 * Duplicates are judged against event seqs only: the caller may publish
 * state/hall (whose seq already counts an event) before the event itself, and
 * that event must still be announced. Gaps are judged against both.
 */
static void apply_event(jh_board *b, const char *kind, const cJSON *o, jh_board_update *up)
{
    jh_event_payload ev;
    memset(&ev, 0, sizeof ev);
    ev.seq = -1;
    int known = jh_event_decode(kind, o, &ev) == 0; /* seq is read for any kind */
    int64_t seq = ev.seq;
    if (seq >= 0 && b->last_seq >= 0 && seq + 100 < b->last_seq) {
        up->seq_reset = 1; /* far behind: the caller's data was reset, not a late duplicate */
        b->last_seq = -1;
        b->hall_seq = -1;
    }
    if (seq >= 0 && b->last_seq >= 0 && seq <= b->last_seq) {
        up->kind = JH_UPDATE_DUPLICATE;
        up->got_seq = seq;
    } else {
        if (seq >= 0) {
            int64_t base = b->last_seq > b->hall_seq ? b->last_seq : b->hall_seq;
            if (base >= 0 && seq > base + 1) {
                up->gap = 1;
                up->expected_seq = base + 1;
                up->got_seq = seq;
            }
            b->last_seq = seq;
        }
        up->kind = JH_UPDATE_EVENT;
        /* a call without a ticket has nothing to show or say */
        if (known && (ev.kind == JH_EVENT_CALLED || ev.kind == JH_EVENT_RECALLED) && ev.ticket[0]) {
            event_call(&ev, &up->call);
            up->kind = JH_UPDATE_CALL;
            list_push_front(b->recent, &b->n_recent, &up->call);
            list_push_front(b->history, &b->n_history, &up->call);
        }
    }
}

/* status/caller "online" (written by the daemon's MQTT front, not a payload of ours). */
static int caller_online(const cJSON *o)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, JH_KEY_ONLINE);
    if (cJSON_IsBool(v))
        return cJSON_IsTrue(v) ? 1 : 0;
    return cJSON_IsNumber(v) && v->valuedouble != 0;
}

/* ---- dispatch ----------------------------------------------------------- */

/* The part of `topic` after "jh/v1/<site>/", or NULL when it is not this site's. */
static const char *site_suffix(const jh_board *b, const char *topic)
{
    size_t rl = strlen(TOPIC_ROOT), sl = strlen(b->site);
    if (strncmp(topic, TOPIC_ROOT, rl) != 0 || strncmp(topic + rl, b->site, sl) != 0 ||
        topic[rl + sl] != '/')
        return NULL;
    return topic + rl + sl + 1;
}

/* "state/counter/" + id → id when it is a plain id (no further levels). */
static const char *leaf_id(const char *suffix, const char *prefix)
{
    size_t pl = strlen(prefix);
    if (strncmp(suffix, prefix, pl) != 0)
        return NULL;
    const char *id = suffix + pl;
    size_t n = strlen(id);
    if (n == 0 || n >= JH_ID_LEN || strchr(id, '/'))
        return NULL;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
            return NULL;
    return id;
}

static int apply_object(jh_board *b, const char *sfx, const cJSON *o, jh_board_update *up,
                        char *err, size_t errlen)
{
    const char *id;
    if ((id = leaf_id(sfx, "state/counter/"))) {
        if (apply_counter(b, id, o, err, errlen) < 0)
            return -1;
    } else if ((id = leaf_id(sfx, "state/service/"))) {
        if (apply_service(b, id, o, err, errlen) < 0)
            return -1;
    } else if (strcmp(sfx, "state/hall") == 0) {
        apply_hall(b, o);
    } else if (strcmp(sfx, "status/caller") == 0) {
        b->caller_online = caller_online(o);
    } else if ((id = leaf_id(sfx, "event/"))) {
        apply_event(b, id, o, up);
        if (up->kind != JH_UPDATE_CALL)
            return 0; /* events other than calls change nothing on screen */
        b->version++;
        return 0;
    } else {
        return 0; /* a topic the boards do not draw (another client's status, replies) */
    }
    up->kind = JH_UPDATE_STATE;
    b->version++;
    return 0;
}

/* An empty retained payload clears the item it was about. */
static int apply_empty(jh_board *b, const char *sfx, jh_board_update *up)
{
    const char *id;
    if ((id = leaf_id(sfx, "state/counter/")))
        counter_remove(b, id);
    else if ((id = leaf_id(sfx, "state/service/")))
        service_remove(b, id);
    else if (strcmp(sfx, "status/caller") == 0)
        b->caller_online = -1;
    else
        return 0;
    up->kind = JH_UPDATE_STATE;
    b->version++;
    return 0;
}

int jh_board_apply(jh_board *b, const char *topic, const void *payload, size_t len,
                   jh_board_update *up, char *err, size_t errlen)
{
    memset(up, 0, sizeof *up);
    up->expected_seq = up->got_seq = -1;
    const char *sfx = site_suffix(b, topic ? topic : "");
    if (!sfx) {
        snprintf(err, errlen, "topic '%.80s' is not under jh/v1/%s/", topic ? topic : "", b->site);
        return -1;
    }
    if (len == 0)
        return apply_empty(b, sfx, up);
    if (!payload) {
        snprintf(err, errlen, "%.80s: no payload", sfx);
        return -1;
    }
    cJSON *o = cJSON_ParseWithLength(payload, len);
    if (!cJSON_IsObject(o)) {
        snprintf(err, errlen, "%.80s: payload is not a JSON object", sfx);
        cJSON_Delete(o);
        return -1;
    }
    int rc = apply_object(b, sfx, o, up, err, errlen);
    cJSON_Delete(o);
    /* seq never goes back unless the caller's data was reset; lagging by one is normal */
    if (rc == 0 && strcmp(sfx, "state/hall") == 0 && b->hall_seq >= 0 && b->last_seq >= 0 &&
        b->hall_seq + 1 < b->last_seq) {
        up->seq_reset = 1;
        b->last_seq = -1;
    }
    return rc;
}
