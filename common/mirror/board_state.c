/*
 * board_state — applies the caller's published state and events to a jh_board.
 * See board_state.h for what it owns. Every handler parses into a scratch copy
 * first and commits only when the whole message was understood, so a refused
 * message never leaves half an update behind.
 */
#include "board_state.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOPIC_ROOT "jh/v1/"

/* ---- text cleaning ---------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is not one. */
static int utf8_seq_len(const unsigned char *s)
{
    unsigned c = s[0];
    int n;
    unsigned cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    /* overlong forms, surrogates and beyond U+10FFFF are not text */
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

void jh_board_clean_text(char *dst, size_t dstlen, const char *src)
{
    size_t o = 0;
    if (dstlen == 0)
        return;
    for (const unsigned char *s = (const unsigned char *)(src ? src : ""); *s && o + 1 < dstlen;) {
        int n = utf8_seq_len(s);
        if (n == 0) { /* a stray byte becomes '?' rather than garbage on the board */
            dst[o++] = '?';
            s++;
            continue;
        }
        if (n == 1 && (*s < 0x20 || *s == 0x7F)) { /* newlines, tabs: one line of text */
            dst[o++] = ' ';
            s++;
            continue;
        }
        if (o + (size_t)n >= dstlen)
            break; /* never cut a character in half */
        memcpy(dst + o, s, (size_t)n);
        o += (size_t)n;
        s += n;
    }
    dst[o] = '\0';
}

/* ---- JSON field readers: wrong types count as missing ------------------ */

static void get_str(const cJSON *o, const char *key, char *dst, size_t len)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsString(v) && v->valuestring)
        jh_board_clean_text(dst, len, v->valuestring);
    else if (cJSON_IsNumber(v)) /* a staff id or ticket sent as a number still shows */
        snprintf(dst, len, "%.0f", v->valuedouble);
}

/* Integer field; `dflt` when missing, not a number, or out of int range. */
static int get_int(const cJSON *o, const char *key, int dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= -2e9 && v->valuedouble <= 2e9))
        return dflt;
    return (int)v->valuedouble;
}

static int64_t get_seq(const cJSON *o)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "seq");
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble <= 9e15))
        return -1;
    return (int64_t)v->valuedouble;
}

static int get_bool(const cJSON *o, const char *key, int dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsBool(v))
        return cJSON_IsTrue(v) ? 1 : 0;
    if (cJSON_IsNumber(v))
        return v->valuedouble != 0;
    return dflt;
}

/* ---- lookups ---------------------------------------------------------- */

const char *jh_counter_status_name(jh_counter_status s)
{
    switch (s) {
    case JH_COUNTER_SERVING: return "serving";
    case JH_COUNTER_IDLE: return "idle";
    case JH_COUNTER_PAUSED: return "paused";
    case JH_COUNTER_CLOSED: return "closed";
    default: return "unknown";
    }
}

static jh_counter_status parse_status(const char *s)
{
    for (int i = JH_COUNTER_SERVING; i <= JH_COUNTER_CLOSED; i++)
        if (strcmp(s, jh_counter_status_name((jh_counter_status)i)) == 0)
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
    jh_board_counter c;
    char status[16] = "";
    memset(&c, 0, sizeof c);
    snprintf(c.id, sizeof c.id, "%s", id);
    c.number = get_int(o, "number", 0);
    if (c.number < 0)
        c.number = 0;
    get_str(o, "name", c.name, sizeof c.name);
    get_str(o, "name_en", c.name_en, sizeof c.name_en);
    get_str(o, "status", status, sizeof status);
    c.status = parse_status(status);
    get_str(o, "ticket", c.ticket, sizeof c.ticket);
    get_str(o, "service", c.service, sizeof c.service);
    get_str(o, "priority", c.priority, sizeof c.priority);
    get_str(o, "staff_id", c.staff_id, sizeof c.staff_id);
    get_str(o, "staff_name", c.staff_name, sizeof c.staff_name);
    get_str(o, "message", c.message, sizeof c.message);
    c.call_count = get_int(o, "call_count", 0);
    c.overrun = get_bool(o, "overrun", 0);
    return counter_store(b, &c, err, errlen);
}

/* ---- services ---------------------------------------------------------- */

static int apply_service(jh_board *b, const char *code, const cJSON *o, char *err, size_t errlen)
{
    jh_board_service s;
    memset(&s, 0, sizeof s);
    snprintf(s.code, sizeof s.code, "%s", code);
    get_str(o, "name", s.name, sizeof s.name);
    get_str(o, "name_en", s.name_en, sizeof s.name_en);
    s.open = get_bool(o, "open", -1);
    get_str(o, "next_open", s.next_open, sizeof s.next_open);
    s.waiting = get_int(o, "waiting", -1);
    s.waiting_priority = get_int(o, "waiting_priority", -1);
    s.ewt_s = get_int(o, "ewt_s", -1);
    get_str(o, "next_ticket", s.next_ticket, sizeof s.next_ticket);
    get_str(o, "last_called", s.last_called, sizeof s.last_called);

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

static void parse_call(const cJSON *o, jh_board_call *c)
{
    memset(c, 0, sizeof *c);
    c->seq = get_seq(o);
    get_str(o, "ticket", c->ticket, sizeof c->ticket);
    get_str(o, "counter", c->counter, sizeof c->counter);
    c->counter_number = get_int(o, "counter_number", 0);
    if (c->counter_number < 0)
        c->counter_number = 0;
    get_str(o, "counter_name", c->counter_name, sizeof c->counter_name);
    get_str(o, "counter_name_en", c->counter_name_en, sizeof c->counter_name_en);
    get_str(o, "service", c->service, sizeof c->service);
    get_str(o, "service_name", c->service_name, sizeof c->service_name);
    get_str(o, "service_name_en", c->service_name_en, sizeof c->service_name_en);
    get_str(o, "priority", c->priority, sizeof c->priority);
    get_str(o, "staff_name", c->staff_name, sizeof c->staff_name);
    get_str(o, "at", c->at, sizeof c->at);
}

static void apply_hall(jh_board *b, const cJSON *o)
{
    jh_board_call list[JH_BOARD_MAX_HISTORY];
    int n = 0;
    const cJSON *lc = cJSON_GetObjectItemCaseSensitive(o, "last_called");
    const cJSON *it;
    if (!cJSON_IsArray(lc))
        lc = NULL;
    cJSON_ArrayForEach(it, lc) {
        if (n == JH_BOARD_MAX_HISTORY)
            break;
        if (!cJSON_IsObject(it))
            continue;
        parse_call(it, &list[n]);
        list[n].seq = -1; /* entries carry no seq; hall "seq" covers them all */
        if (list[n].ticket[0])
            n++;
    }
    get_str(o, "name", b->name, sizeof b->name);
    get_str(o, "name_en", b->name_en, sizeof b->name_en);
    b->open = get_bool(o, "open", -1);
    b->notice[0] = '\0';
    get_str(o, "notice", b->notice, sizeof b->notice);
    b->day = get_int(o, "day", 0);
    b->hall_seq = get_seq(o);
    b->have_hall = 1;
    history_rebuild(b, list, n);
}

/* ---- events ------------------------------------------------------------- */

/*
 * Duplicates are judged against event seqs only: the caller may publish
 * state/hall (whose seq already counts an event) before the event itself, and
 * that event must still be announced. Gaps are judged against both.
 */
static void apply_event(jh_board *b, const char *kind, const cJSON *o, jh_board_update *up)
{
    int64_t seq = get_seq(o);
    if (seq >= 0 && b->last_seq >= 0 && seq + 100 < b->last_seq) {
        up->seq_reset = 1; /* far behind: the caller's data was reset, not a late duplicate */
        b->last_seq = -1;
        b->hall_seq = -1;
    }
    if (seq >= 0 && b->last_seq >= 0 && seq <= b->last_seq) {
        up->kind = JH_UPDATE_DUPLICATE;
        up->got_seq = seq;
        return;
    }
    if (seq >= 0) {
        int64_t base = b->last_seq > b->hall_seq ? b->last_seq : b->hall_seq;
        if (base >= 0 && seq > base + 1) {
            up->gap = 1;
            up->expected_seq = base + 1;
            up->got_seq = seq;
        }
        b->last_seq = seq;
    }
    int recall = strcmp(kind, "recalled") == 0;
    if (!recall && strcmp(kind, "called") != 0) {
        up->kind = JH_UPDATE_EVENT;
        return;
    }
    parse_call(o, &up->call);
    if (!up->call.ticket[0]) { /* nothing to show or say */
        up->kind = JH_UPDATE_EVENT;
        return;
    }
    up->call.recall = recall;
    up->kind = JH_UPDATE_CALL;
    list_push_front(b->recent, &b->n_recent, &up->call);
    list_push_front(b->history, &b->n_history, &up->call);
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
        b->caller_online = get_bool(o, "online", 0);
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
