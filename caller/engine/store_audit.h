/* SPDX-License-Identifier: MIT */
/*
 * store_audit — the invariants a store keeps whatever was interrupted.
 *
 * Owns: what a consistent store file is, as queries on the file itself that
 * list every row that breaks a rule — after a kill -9, a full disk, a torn
 * copy or a clock jump, never taken from what a daemon says about it:
 *   - PRAGMA integrity_check is "ok";
 *   - no label and no number twice per business day; each service's numbers
 *     of a day are contiguous from its first number, and the numbering row
 *     (last_number, issued) and day_stats.issued agree with the tickets;
 *   - the waiting counters equal the waiting tickets, per day and service;
 *   - no ticket of a past day still open, none of a future day;
 *   - the outbox seqs are contiguous, end at hall.seq, and each payload
 *     carries its own seq; every ticket has exactly one `issued` event and
 *     every `issued` event its ticket;
 *   - a counter serves a ticket exactly when that ticket is `called` there;
 *   - every take the store acknowledged (a stored ok reply) names a ticket
 *     that exists.
 * The fault suite's judge (tests/faults/store_check.c) runs them after every
 * fault; they read through a store_read.h connection and never write.
 */
#ifndef JH_STORE_AUDIT_H
#define JH_STORE_AUDIT_H

#include "hall_config.h"
#include "store_read.h"

/* Receives one violation: a row that breaks a rule, as "column=value …". */
typedef void (*jh_audit_fn)(void *ctx, const char *row);

int jh_audit_rule_count(void);
const char *jh_audit_rule_name(int i);

/* The configured services' first numbers, which the contiguity rule joins:
 * once per connection, inside the read transaction the rules run in. */
int jh_audit_services(jh_store_reader *r, const jh_hall_config *cfg);

/* Runs rule i: fn once per row that breaks it. The number of such rows, or
 * -1 when the rule could not be run (jh_reader_errmsg). */
int jh_audit_rule(jh_store_reader *r, int i, jh_audit_fn fn, void *ctx);

/* PRAGMA integrity_check: fn once per line that is not "ok". The number of
 * such lines, or -1 when the check could not run to its end. */
int jh_audit_integrity(jh_store_reader *r, jh_audit_fn fn, void *ctx);

#endif
