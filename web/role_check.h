/* SPDX-License-Identifier: MIT */
/*
 * role_check — who may send what from the console (docs/console.md, CONSOLE.md).
 *
 * Owns: the one table of the console's operations: for each op the topic it
 * goes to (the counter's command topic or admin/cmd) and who may send it.
 * jiaohao-web asks here before anything reaches the broker; the engine checks
 * `by` again against its roster (defence in depth).
 *
 *   counter ops (call-next, recall, no-show, finish, transfer, call,
 *   invite-rating)                 a staff session, for its own counter only
 *   pause, resume                  its own counter; another's: supervisor or admin
 *   requeue                        its own counter; any: guide, supervisor or admin
 *   flag                           guide, supervisor or admin (any counter)
 *   take (issue for a citizen)     guide, supervisor or admin (admin/cmd)
 *   notice, open, close, end-day, alert-ack      supervisor or admin (admin/cmd)
 *   staff-list, staff-add, staff-update, staff-disable, staff-set-secret,
 *   staff-import, audit            admin (admin/cmd)
 * Everything else is refused, in particular what only the server or a
 * citizen may send: login/logout (the /api routes), staff-auth,
 * ticket-status, rate (ratings come only from citizens), clock.
 */
#ifndef JH_ROLE_CHECK_H
#define JH_ROLE_CHECK_H

#include <stddef.h>

#define JH_ROLE_STAFF 1u
#define JH_ROLE_GUIDE 2u
#define JH_ROLE_SUPERVISOR 4u
#define JH_ROLE_ADMIN 8u

/* "staff" → JH_ROLE_STAFF ...; 0 when unknown. */
unsigned jh_role_parse(const char *name);
/* The role names of `roles` in the order above; i-th name or NULL past the end. */
const char *jh_role_name(unsigned role_bit);

typedef enum { JH_ROUTE_COUNTER, JH_ROUTE_ADMIN } jh_route_kind;

typedef struct {
    jh_route_kind kind;
    char counter[32]; /* JH_ROUTE_COUNTER: whose command topic */
} jh_route;

/* The session asking: its roles and its own counter ("" none). */
typedef struct {
    unsigned roles;
    const char *counter;
} jh_asker;

/*
 * May `who` send `op` (for counter `target`, NULL or "": its own)? 0 with
 * *route filled; -1 with a code in code ("forbidden"; "bad-field" when a
 * counter op names no counter and the session has none, or the counter is
 * not an id) and a sentence in why.
 */
int jh_role_check(const jh_asker *who, const char *op, const char *target, jh_route *route,
                  char *code, size_t codelen, char *why, size_t whylen);

/* The table's ops, for tests: the i-th op name, NULL past the end. */
const char *jh_role_op(size_t i);

#endif
