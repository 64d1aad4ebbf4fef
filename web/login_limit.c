/* SPDX-License-Identifier: MIT */
/*
 * login_limit — see login_limit.h. One attempt is UNIT units and a minute
 * brings per_minute attempts, so each millisecond brings exactly per_minute
 * units: the refill is integer arithmetic that loses nothing however often
 * it is brought up to date.
 */
#include "login_limit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNIT 60000 /* units per attempt: the milliseconds of a minute */

typedef struct {
    char addr[JH_LOGIN_LIMIT_ADDR_LEN];
    int64_t tokens; /* in UNITs per attempt */
    int64_t at;     /* when tokens was last brought up to date */
} bucket;

struct jh_login_limit {
    bucket *b;
    int slots;
    int per_minute;
};

jh_login_limit *jh_login_limit_new(int per_minute, int slots)
{
    if (per_minute < 1 || slots < 1)
        return NULL;
    jh_login_limit *l = calloc(1, sizeof *l);
    if (!l || !(l->b = calloc((size_t)slots, sizeof *l->b))) {
        free(l);
        return NULL;
    }
    l->slots = slots;
    l->per_minute = per_minute;
    return l;
}

void jh_login_limit_free(jh_login_limit *l)
{
    if (l)
        free(l->b);
    free(l);
}

static void refill(const jh_login_limit *l, bucket *b, int64_t now)
{
    int64_t full = (int64_t)l->per_minute * UNIT;
    if (now > b->at) {
        int64_t add = (now - b->at) * l->per_minute;
        b->tokens = b->tokens + add > full ? full : b->tokens + add;
        b->at = now;
    }
}

static bucket *find(jh_login_limit *l, const char *addr, int64_t now)
{
    bucket *oldest = &l->b[0];
    for (int i = 0; i < l->slots; i++) {
        bucket *b = &l->b[i];
        if (b->addr[0] && strcmp(b->addr, addr) == 0)
            return b;
        if (!b->addr[0] || (oldest->addr[0] && b->at < oldest->at))
            oldest = b;
    }
    snprintf(oldest->addr, sizeof oldest->addr, "%s", addr);
    oldest->tokens = (int64_t)l->per_minute * UNIT;
    oldest->at = now;
    return oldest;
}

int jh_login_limit_take(jh_login_limit *l, const char *addr, int64_t now_ms, int *retry_s)
{
    bucket *b = find(l, addr ? addr : "", now_ms);
    refill(l, b, now_ms);
    if (b->tokens >= UNIT) {
        b->tokens -= UNIT;
        return 1;
    }
    int64_t wait_ms = (UNIT - b->tokens + l->per_minute - 1) / l->per_minute;
    if (retry_s)
        *retry_s = (int)((wait_ms + 999) / 1000);
    return 0;
}
