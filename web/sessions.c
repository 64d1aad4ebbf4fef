/* SPDX-License-Identifier: MIT */
/*
 * sessions — see sessions.h. A fixed array searched from end to end: a hall
 * has tens of staff, a few hundred sessions at most, and a linear scan with a
 * constant-time compare per slot leaks nothing about which tokens exist.
 */
#include "sessions.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct jh_sessions {
    jh_session *slot;
    int capacity, count;
    int64_t idle_ms;
    int today;
    uint64_t next_serial;
};

jh_sessions *jh_sessions_new(int capacity, int64_t idle_ms)
{
    if (capacity < 1 || idle_ms < 1)
        return NULL;
    jh_sessions *t = calloc(1, sizeof *t);
    if (!t || !(t->slot = calloc((size_t)capacity, sizeof *t->slot))) {
        free(t);
        return NULL;
    }
    t->capacity = capacity;
    t->idle_ms = idle_ms;
    t->next_serial = 1;
    return t;
}

void jh_sessions_free(jh_sessions *t)
{
    if (!t)
        return;
    sodium_memzero(t->slot, (size_t)t->capacity * sizeof *t->slot);
    free(t->slot);
    free(t);
}

int jh_random_token(char *out, size_t outlen, size_t n)
{
    unsigned char raw[64];
    if (n > sizeof raw || outlen < sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING))
        return -1;
    randombytes_buf(raw, n);
    sodium_bin2base64(out, outlen, raw, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    return 0;
}

static int fits(const char *s, size_t n) { return s && strlen(s) < n; }

jh_session *jh_sessions_create(jh_sessions *t, const jh_session_who *who, int64_t now_ms, char *err,
                               size_t errlen)
{
    const char *counter = who->counter ? who->counter : "";
    if (!fits(who->staff_id, JH_SESSION_ID_LEN) || !who->staff_id[0] || !fits(who->name, JH_SESSION_NAME_LEN) ||
        !fits(counter, JH_SESSION_ID_LEN)) {
        snprintf(err, errlen, "staff id, name or counter missing or too long");
        return NULL;
    }
    jh_session *s = NULL;
    for (int i = 0; i < t->capacity && !s; i++)
        if (!t->slot[i].used)
            s = &t->slot[i];
    if (!s) {
        snprintf(err, errlen, "%d sessions already: no room for another", t->capacity);
        return NULL;
    }
    memset(s, 0, sizeof *s);
    unsigned char sid[JH_SESSION_SID_LEN / 2];
    randombytes_buf(sid, sizeof sid);
    sodium_bin2hex(s->sid, sizeof s->sid, sid, sizeof sid);
    if (jh_random_token(s->token, sizeof s->token, 32) < 0 || jh_random_token(s->csrf, sizeof s->csrf, 32) < 0) {
        snprintf(err, errlen, "no random token");
        return NULL;
    }
    snprintf(s->staff_id, sizeof s->staff_id, "%s", who->staff_id);
    snprintf(s->name, sizeof s->name, "%s", who->name);
    snprintf(s->counter, sizeof s->counter, "%s", counter);
    s->roles = who->roles;
    s->last_seen_ms = now_ms;
    s->day = t->today;
    s->serial = t->next_serial++;
    s->used = 1;
    t->count++;
    return s;
}

/* Why a used session is over now, NULL when it lives. */
static const char *over(const jh_sessions *t, const jh_session *s, int64_t now_ms)
{
    if (now_ms - s->last_seen_ms >= t->idle_ms)
        return "idle";
    if (t->today && s->day && s->day != t->today)
        return "day-reset";
    return NULL;
}

jh_session *jh_sessions_lookup(jh_sessions *t, const char *token, int64_t now_ms)
{
    if (!token || strlen(token) != JH_SESSION_TOKEN_LEN)
        return NULL;
    jh_session *found = NULL;
    for (int i = 0; i < t->capacity; i++) {
        jh_session *s = &t->slot[i];
        if (s->used && sodium_memcmp(s->token, token, JH_SESSION_TOKEN_LEN) == 0)
            found = s;
    }
    return found && !over(t, found, now_ms) ? found : NULL;
}

jh_session *jh_sessions_by_serial(jh_sessions *t, uint64_t serial, int64_t now_ms)
{
    for (int i = 0; i < t->capacity; i++) {
        jh_session *s = &t->slot[i];
        if (s->used && s->serial == serial)
            return over(t, s, now_ms) ? NULL : s;
    }
    return NULL;
}

void jh_session_touch(jh_session *s, int64_t now_ms)
{
    if (now_ms > s->last_seen_ms)
        s->last_seen_ms = now_ms;
}

int jh_session_csrf_ok(const jh_session *s, const char *csrf)
{
    return csrf && strlen(csrf) == JH_SESSION_TOKEN_LEN &&
           sodium_memcmp(s->csrf, csrf, JH_SESSION_TOKEN_LEN) == 0;
}

void jh_sessions_end(jh_sessions *t, jh_session *s)
{
    if (!s || !s->used)
        return;
    sodium_memzero(s, sizeof *s);
    t->count--;
}

void jh_sessions_set_day(jh_sessions *t, int today)
{
    t->today = today;
    if (!today)
        return;
    for (int i = 0; i < t->capacity; i++)
        if (t->slot[i].used && !t->slot[i].day)
            t->slot[i].day = today;
}

int jh_sessions_sweep(jh_sessions *t, int64_t now_ms, jh_session_end_fn fn, void *user)
{
    int n = 0;
    for (int i = 0; i < t->capacity; i++) {
        jh_session *s = &t->slot[i];
        const char *why = s->used ? over(t, s, now_ms) : NULL;
        if (!why)
            continue;
        if (fn)
            fn(user, s, why);
        jh_sessions_end(t, s);
        n++;
    }
    return n;
}

int jh_sessions_count(const jh_sessions *t) { return t->count; }
int jh_sessions_capacity(const jh_sessions *t) { return t->capacity; }
