/* SPDX-License-Identifier: MIT */
/*
 * relay — see relay.h. Two fixed tables searched end to end: the retained
 * snapshot (a hall has tens of topics) and the commands in flight (a few per
 * session). Neither grows past its limit: a full table refuses the new entry.
 */
#include "relay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"

#define SEEN_SEQS 512

typedef struct {
    char *key;
    char *data;
    size_t len;
} cache_entry;

typedef struct {
    int used;
    char id[JH_RELAY_ID_LEN];
    uint64_t owner, session;
    int tag;
    char browser_id[64];
    int64_t deadline;
} pending;

struct jh_relay {
    jh_relay_io io;
    char site[JH_ID_LEN];
    char prefix[24];
    char root[JH_TOPIC_LEN];       /* "jh/v1/<site>/" */
    char topics[JH_RELAY_TOPICS][JH_TOPIC_LEN];
    cache_entry cache[JH_RELAY_CACHE_MAX];
    int n_cache;
    size_t cache_bytes;
    pending *pend;
    int n_pending;
    uint64_t next_n;
    int64_t seen[SEEN_SEQS];
    int seen_next;
    int day;
};

jh_relay *jh_relay_new(const char *site, const char *prefix, const jh_relay_io *io, char *err, size_t errlen)
{
    size_t pl = prefix ? strlen(prefix) : 0;
    if (pl == 0 || pl > 20 || strspn(prefix, "0123456789abcdef") != pl) {
        snprintf(err, errlen, "relay: bad id prefix");
        return NULL;
    }
    jh_relay *r = calloc(1, sizeof *r);
    if (!r || !(r->pend = calloc(JH_RELAY_PENDING_MAX, sizeof *r->pend))) {
        free(r);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    r->io = *io;
    snprintf(r->site, sizeof r->site, "%s", site);
    snprintf(r->prefix, sizeof r->prefix, "%s", prefix);
    static const char *const suffix[JH_RELAY_TOPICS] = {"state/#", "event/#", "status/#", "reply/web"};
    if (jh_topic(r->root, sizeof r->root, site, "") < 0) {
        snprintf(err, errlen, "relay: site '%s' makes no topic", site);
        jh_relay_free(r);
        return NULL;
    }
    for (int i = 0; i < JH_RELAY_TOPICS; i++)
        jh_topic(r->topics[i], sizeof r->topics[i], site, suffix[i]);
    r->next_n = 1;
    return r;
}

void jh_relay_free(jh_relay *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->n_cache; i++) {
        free(r->cache[i].key);
        free(r->cache[i].data);
    }
    free(r->pend);
    free(r);
}

const char *jh_relay_topic(const jh_relay *r, int i) { return i >= 0 && i < JH_RELAY_TOPICS ? r->topics[i] : NULL; }

/* ------------------------------------------------------------------ snapshot */

static cache_entry *cache_find(jh_relay *r, const char *key)
{
    for (int i = 0; i < r->n_cache; i++)
        if (strcmp(r->cache[i].key, key) == 0)
            return &r->cache[i];
    return NULL;
}

static void cache_remove(jh_relay *r, cache_entry *e)
{
    r->cache_bytes -= e->len;
    free(e->key);
    free(e->data);
    *e = r->cache[--r->n_cache];
}

/* Keeps data under key; -1 when the table is full or memory ran out (the old value stays). */
static int cache_put(jh_relay *r, const char *key, const char *data, size_t len)
{
    cache_entry *e = cache_find(r, key);
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, data, len);
    copy[len] = '\0';
    if (!e) {
        if (r->n_cache >= JH_RELAY_CACHE_MAX || !(key = strdup(key))) {
            free(copy);
            return -1;
        }
        e = &r->cache[r->n_cache++];
        e->key = (char *)key;
        e->data = NULL;
        e->len = 0;
    }
    r->cache_bytes += len - e->len;
    free(e->data);
    e->data = copy;
    e->len = len;
    return 0;
}

void jh_relay_snapshot(const jh_relay *r, void (*fn)(void *u, const char *topic, const char *data, size_t len),
                       void *u)
{
    for (int i = 0; i < r->n_cache; i++)
        fn(u, r->cache[i].key, r->cache[i].data, r->cache[i].len);
}

int jh_relay_cached(const jh_relay *r) { return r->n_cache; }
size_t jh_relay_cached_bytes(const jh_relay *r) { return r->cache_bytes; }
int jh_relay_day(const jh_relay *r) { return r->day; }

/* ------------------------------------------------------------- from the broker */

static cJSON *parse_object(const void *payload, size_t len)
{
    cJSON *o = cJSON_ParseWithLength(payload, len);
    if (o && !cJSON_IsObject(o)) {
        cJSON_Delete(o);
        o = NULL;
    }
    return o;
}

static void on_retained(jh_relay *r, const char *key, const void *payload, size_t len)
{
    if (len == 0) { /* the retained message was cleared */
        cache_entry *e = cache_find(r, key);
        if (e) {
            cache_remove(r, e);
            r->io.on_state(r->io.user, key, NULL, 0);
        }
        return;
    }
    cJSON *o = parse_object(payload, len);
    if (!o)
        return;
    if (strcmp(key, "hall") == 0) {
        const cJSON *day = cJSON_GetObjectItemCaseSensitive(o, "day");
        if (cJSON_IsNumber(day) && day->valueint > 0 && day->valueint != r->day) {
            r->day = day->valueint;
            if (r->io.on_day)
                r->io.on_day(r->io.user, r->day);
        }
    }
    cJSON_Delete(o);
    if (cache_put(r, key, payload, len) == 0)
        r->io.on_state(r->io.user, key, payload, len);
}

/* 1 when this seq came before (and remembers it otherwise). */
static int seen_before(jh_relay *r, int64_t seq)
{
    for (int i = 0; i < SEEN_SEQS; i++)
        if (r->seen[i] == seq)
            return 1;
    r->seen[r->seen_next] = seq;
    r->seen_next = (r->seen_next + 1) % SEEN_SEQS;
    return 0;
}

static void on_event(jh_relay *r, const char *kind, const void *payload, size_t len)
{
    cJSON *o = parse_object(payload, len);
    if (!o)
        return;
    const cJSON *seq = cJSON_GetObjectItemCaseSensitive(o, "seq");
    if (!cJSON_IsNumber(seq) || seq->valuedouble < 1 || !seen_before(r, (int64_t)seq->valuedouble))
        r->io.on_event(r->io.user, kind, payload, len, o);
    cJSON_Delete(o);
}

static pending *pending_find(jh_relay *r, const char *id)
{
    for (int i = 0; i < JH_RELAY_PENDING_MAX; i++)
        if (r->pend[i].used && strcmp(r->pend[i].id, id) == 0)
            return &r->pend[i];
    return NULL;
}

static void answer(jh_relay *r, pending *p, const cJSON *reply)
{
    pending copy = *p; /* the callback may send again and reuse the slot */
    p->used = 0;
    r->n_pending--;
    r->io.on_reply(r->io.user, copy.owner, copy.tag, copy.browser_id, reply);
}

static void on_reply(jh_relay *r, const void *payload, size_t len)
{
    cJSON *o = parse_object(payload, len);
    const cJSON *id = o ? cJSON_GetObjectItemCaseSensitive(o, "id") : NULL;
    pending *p = cJSON_IsString(id) ? pending_find(r, id->valuestring) : NULL;
    if (p)
        answer(r, p, o);
    cJSON_Delete(o);
}

void jh_relay_on_message(jh_relay *r, const char *topic, const void *payload, size_t len, int64_t now_ms)
{
    (void)now_ms;
    size_t rl = strlen(r->root);
    if (strncmp(topic, r->root, rl) != 0)
        return;
    const char *rest = topic + rl;
    char key[JH_TOPIC_LEN];
    if (strncmp(rest, "state/", 6) == 0 && rest[6]) {
        on_retained(r, rest + 6, payload, len);
    } else if (strncmp(rest, "status/", 7) == 0 && rest[7] && !strchr(rest + 7, '/')) {
        snprintf(key, sizeof key, "devices/%s", rest + 7);
        on_retained(r, key, payload, len);
    } else if (strncmp(rest, "event/", 6) == 0 && rest[6] && !strchr(rest + 6, '/')) {
        on_event(r, rest + 6, payload, len);
    } else if (strcmp(rest, "reply/web") == 0) {
        on_reply(r, payload, len);
    }
}

/* ---------------------------------------------------------------- to the broker */

static void refusal(char *code, size_t cl, const char *c, char *why, size_t wl, const char *text)
{
    snprintf(code, cl, "%s", c);
    snprintf(why, wl, "%s", text);
}

static char *command_json(const jh_relay_request *q, const char *id)
{
    cJSON *o = cJSON_Duplicate(q->fields, 1);
    if (!o)
        return NULL;
    cJSON_DeleteItemFromObjectCaseSensitive(o, "id");
    cJSON_DeleteItemFromObjectCaseSensitive(o, "reply_to");
    cJSON_DeleteItemFromObjectCaseSensitive(o, "by");
    char *text = NULL;
    if (cJSON_AddStringToObject(o, "id", id) && cJSON_AddStringToObject(o, "reply_to", "web") &&
        (!q->by || cJSON_AddStringToObject(o, "by", q->by)))
        text = cJSON_PrintUnformatted(o);
    /* The fields may hold a secret (staff-auth, login): leave no copy in freed memory. */
    for (cJSON *f = o->child; f; f = f->next)
        if (cJSON_IsString(f) && f->valuestring)
            memset(f->valuestring, 0, strlen(f->valuestring));
    cJSON_Delete(o);
    return text;
}

int jh_relay_send(jh_relay *r, const jh_relay_request *q, int64_t now_ms, char *cmd_id, char *code,
                  size_t cl, char *why, size_t wl)
{
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(q->fields, "op");
    if (!cJSON_IsString(op)) {
        refusal(code, cl, "internal", why, wl, "a command without an op");
        return -1;
    }
    if (r->n_pending >= JH_RELAY_PENDING_MAX) {
        refusal(code, cl, "busy", why, wl, "too many commands waiting for the caller; try again");
        return -1;
    }
    char topic[JH_TOPIC_LEN], suffix[JH_TOPIC_LEN];
    if (q->route.kind == JH_ROUTE_COUNTER)
        snprintf(suffix, sizeof suffix, "counter/%s/cmd", q->route.counter);
    else
        snprintf(suffix, sizeof suffix, "admin/cmd");
    snprintf(cmd_id, JH_RELAY_ID_LEN, "w-%s-%llu", q->prefix ? q->prefix : r->prefix,
             (unsigned long long)r->next_n++);
    char *text = command_json(q, cmd_id);
    if (!text || jh_topic(topic, sizeof topic, r->site, suffix) < 0) {
        free(text);
        refusal(code, cl, "internal", why, wl, "could not build the command");
        return -1;
    }
    char err[300];
    size_t len = strlen(text);
    int rc = r->io.publish(r->io.user, topic, text, len, err, sizeof err);
    memset(text, 0, len);
    free(text);
    if (rc < 0) {
        refusal(code, cl, "unavailable", why, wl, "the hall's broker is not reachable now; try again");
        return -1;
    }
    pending *p = NULL;
    for (int i = 0; i < JH_RELAY_PENDING_MAX && !p; i++)
        if (!r->pend[i].used)
            p = &r->pend[i];
    /* n_pending < MAX was checked above, so there is a free slot */
    *p = (pending){.used = 1, .owner = q->owner, .session = q->session, .tag = q->tag,
                   .deadline = now_ms + (q->timeout_ms > 0 ? q->timeout_ms : JH_RELAY_TIMEOUT_MS)};
    snprintf(p->id, sizeof p->id, "%s", cmd_id);
    snprintf(p->browser_id, sizeof p->browser_id, "%s", q->browser_id ? q->browser_id : "");
    r->n_pending++;
    return 0;
}

void jh_relay_pump(jh_relay *r, int64_t now_ms)
{
    if (r->n_pending == 0)
        return;
    for (int i = 0; i < JH_RELAY_PENDING_MAX; i++) {
        pending *p = &r->pend[i];
        if (!p->used || now_ms < p->deadline)
            continue;
        cJSON *o = cJSON_CreateObject();
        if (o) {
            cJSON_AddStringToObject(o, "id", p->id);
            cJSON_AddFalseToObject(o, "ok");
            cJSON_AddStringToObject(o, "error", "timeout");
            cJSON_AddStringToObject(o, "message", "the caller did not answer in time; it may be down");
        }
        answer(r, p, o);
        cJSON_Delete(o);
    }
}

int jh_relay_in_flight(const jh_relay *r, uint64_t session)
{
    int n = 0;
    for (int i = 0; session && i < JH_RELAY_PENDING_MAX; i++)
        n += r->pend[i].used && r->pend[i].session == session;
    return n;
}

int jh_relay_pending(const jh_relay *r) { return r->n_pending; }

void jh_relay_forget_owner(jh_relay *r, uint64_t owner)
{
    for (int i = 0; i < JH_RELAY_PENDING_MAX; i++)
        if (r->pend[i].used && r->pend[i].owner == owner) {
            r->pend[i].used = 0;
            r->n_pending--;
        }
}
