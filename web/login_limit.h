/* SPDX-License-Identifier: MIT */
/*
 * login_limit — how often one client address may try to sign in.
 *
 * Owns: a token bucket per address (per_minute attempts, refilled evenly
 * over the minute), so a guessing script is slowed to the configured pace
 * while a person who mistypes twice is not held up. The table is fixed in
 * size; when full, the address idle longest gives its place (it had a full
 * bucket again anyway after a minute). Time is passed in (monotonic ms).
 * The staff account's own lockout is the engine's (failures per staff id);
 * this one is per address, before anything reaches the caller.
 */
#ifndef JH_LOGIN_LIMIT_H
#define JH_LOGIN_LIMIT_H

#include <stdint.h>

#define JH_LOGIN_LIMIT_ADDR_LEN 64 /* an IPv6 address as text fits */

typedef struct jh_login_limit jh_login_limit;

/* NULL: out of memory or per_minute < 1 or slots < 1. */
jh_login_limit *jh_login_limit_new(int per_minute, int slots);
void jh_login_limit_free(jh_login_limit *l);

/*
 * One sign-in attempt from `addr` at now_ms: 1 when it may go on (and it is
 * counted), 0 when the address has used up its attempts; then *retry_s says
 * in how many seconds the next one will be let through.
 */
int jh_login_limit_take(jh_login_limit *l, const char *addr, int64_t now_ms, int *retry_s);

#endif
