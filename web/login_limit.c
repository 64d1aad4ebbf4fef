/* SPDX-License-Identifier: MIT */
/*
 * login_limit — see login_limit.h. Tokens are kept in thousandths so the
 * refill of per_minute tokens a minute is exact integer arithmetic.
 */
#include "login_limit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MILLI 1000

typedef struct {
    char addr[JH_LOGIN_LIMIT_ADDR_LEN];
    int64_t tokens; /* thousandths of an attempt */
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
    int64_t full = (int64_t)l->per_minute * MILLI;
    if (now > b->at) {
        /* per_minute tokens per 60000 ms = per_minute thousandths per 60 ms */
        int64_t add = (now - b->at) * l->per_minute / 60;
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
    oldest->tokens = (int64_t)l->per_minute * MILLI;
    oldest->at = now;
    return oldest;
}

int jh_login_limit_take(jh_login_limit *l, const char *addr, int64_t now_ms, int *retry_s)
{
    bucket *b = find(l, addr ? addr : "", now_ms);
    refill(l, b, now_ms);
    if (b->tokens >= MILLI) {
        b->tokens -= MILLI;
        return 1;
    }
    /* ms until one whole token: (MILLI - tokens) thousandths at per_minute/60 per ms */
    int64_t wait_ms = (MILLI - b->tokens) * 60 / l->per_minute;
    if (retry_s)
        *retry_s = (int)((wait_ms + 999) / 1000);
    return 0;
}
