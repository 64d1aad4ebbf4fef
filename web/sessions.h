/* SPDX-License-Identifier: MIT */
/*
 * sessions — who is signed in to the console, held in memory only.
 *
 * Owns: the session table: each session's cookie token and CSRF token (32
 * random bytes each from libsodium's randombytes_buf, base64url), a short
 * random id used in the server's command ids, the staff member (id, name,
 * roles, counter) as the caller's staff-auth answered, and when a session
 * ends: at logout, after idle_ms without use, and when the hall's business
 * day changes (the caller's state/hall "day"). Its commands in flight are
 * counted by the relay (relay.h). Nothing is written anywhere: a restart of
 * jiaohao-web signs everyone out. One session is sizeof(jh_session), about
 * 340 bytes, in a table allocated once.
 *
 * Time is passed in (a monotonic clock in ms), so expiry is testable with any
 * clock. Tokens are compared in constant time. No I/O, no logging.
 */
#ifndef JH_SESSIONS_H
#define JH_SESSIONS_H

#include <stddef.h>
#include <stdint.h>

#define JH_SESSION_TOKEN_LEN 43 /* 32 bytes in base64url without padding */
#define JH_SESSION_SID_LEN 12   /* 6 bytes in hex */
#define JH_SESSION_ID_LEN 32    /* staff and counter ids (JH_ID_LEN) */
#define JH_SESSION_NAME_LEN 128 /* JH_TEXT_LEN */

typedef struct {
    int used;
    uint64_t serial; /* unique for the table's life: what sockets and requests refer to */
    char token[JH_SESSION_TOKEN_LEN + 1];
    char csrf[JH_SESSION_TOKEN_LEN + 1];
    char sid[JH_SESSION_SID_LEN + 1];
    char staff_id[JH_SESSION_ID_LEN];
    char name[JH_SESSION_NAME_LEN];
    unsigned roles;                    /* role_check.h JH_ROLE_* bits */
    char counter[JH_SESSION_ID_LEN];   /* "" when not signed in at a counter */
    int64_t last_seen_ms;
    int day;                           /* business day it began (YYYYMMDD), 0 unknown */
} jh_session;

/* Who the caller said signed in. */
typedef struct {
    const char *staff_id, *name, *counter; /* counter NULL or "": none */
    unsigned roles;
} jh_session_who;

typedef struct jh_sessions jh_sessions;

/* A table of at most `capacity` sessions that end after idle_ms unused. NULL: out of memory. */
jh_sessions *jh_sessions_new(int capacity, int64_t idle_ms);
void jh_sessions_free(jh_sessions *t);

/* A new session for `who`. NULL with err when the table is full or who is malformed. */
jh_session *jh_sessions_create(jh_sessions *t, const jh_session_who *who, int64_t now_ms, char *err,
                               size_t errlen);

/* The live session with this cookie token, NULL when none (never made, ended, idle too
 * long, or from another business day). Does not count as use: see jh_session_touch. */
jh_session *jh_sessions_lookup(jh_sessions *t, const char *token, int64_t now_ms);

/* The live session with this serial, NULL when it ended. */
jh_session *jh_sessions_by_serial(jh_sessions *t, uint64_t serial, int64_t now_ms);

/* The staff member did something with it now. */
void jh_session_touch(jh_session *s, int64_t now_ms);

/* 1 when csrf is this session's CSRF token (constant time). */
int jh_session_csrf_ok(const jh_session *s, const char *csrf);

/* Ends one session (logout). */
void jh_sessions_end(jh_sessions *t, jh_session *s);

/*
 * The hall's business day is now `today` (YYYYMMDD; 0 unknown). Sessions
 * begun on another day end at the next sweep; those begun while it was
 * unknown count as today's.
 */
void jh_sessions_set_day(jh_sessions *t, int today);

/* Why a session ended in a sweep: "idle" or "day-reset" (the contract's bye reasons). */
typedef void (*jh_session_end_fn)(void *user, const jh_session *s, const char *reason);

/* Ends every session idle too long or from another day, telling fn first. Returns how many. */
int jh_sessions_sweep(jh_sessions *t, int64_t now_ms, jh_session_end_fn fn, void *user);

int jh_sessions_count(const jh_sessions *t);
int jh_sessions_capacity(const jh_sessions *t);

/* n random bytes as base64url without padding into out (at least 4*n/3+2 bytes). 0 or -1. */
int jh_random_token(char *out, size_t outlen, size_t n);

#endif
