/* SPDX-License-Identifier: MIT */
/*
 * store_read — the store's read-only queries, for the reports and the fault
 * suite's checks.
 *
 * Owns: a second connection to a store file that never writes (the caller
 * may be writing at the same moment; in WAL mode neither waits for the
 * other), and what the reports and the checks read through it: the tickets,
 * pauses and logins of a range of business days, as the same rows
 * (jh_ticket, jh_pause_log, jh_session_log) and column tables the engine's
 * side uses; the hall row; a ticket by its label; waiting counts; totals.
 * It reads stores of any schema version: a column an older file lacks reads
 * as 0 or "". The invariants a store must keep are store_audit.h's.
 *
 * Conventions: 0 on success and -1 on a store error (the message is in
 * jh_reader_errmsg); lookups return 1 found / 0 not found / -1.
 */
#ifndef JH_STORE_READ_H
#define JH_STORE_READ_H

#include <stddef.h>
#include <stdint.h>

#include "ticket_store.h"

typedef struct jh_store_reader jh_store_reader;

/* Opens the store file at path (it must exist) with a busy timeout of
 * busy_ms. read_write: open it read-write all the same, so that SQLite may
 * recover a WAL a crash left behind; nothing is ever written through it.
 * NULL with err on failure. */
jh_store_reader *jh_reader_open(const char *path, int read_write, int busy_ms, char *err,
                                size_t errlen);
void jh_reader_close(jh_store_reader *r);
const char *jh_reader_errmsg(jh_store_reader *r);

/* One read transaction: every query until jh_reader_end sees the same commit. */
int jh_reader_begin(jh_store_reader *r);
void jh_reader_end(jh_store_reader *r);

/* The rows of the business days first_day..last_day, oldest first, each
 * handed to fn. A fn that returns -1 stops the walk, which then returns -1
 * with jh_reader_errmsg untouched. */
typedef int (*jh_ticket_fn)(void *ctx, const jh_ticket *t);
typedef int (*jh_pause_fn)(void *ctx, const jh_pause_log *p);
typedef int (*jh_session_fn)(void *ctx, const jh_session_log *s);
int jh_reader_tickets(jh_store_reader *r, int first_day, int last_day, jh_ticket_fn fn, void *ctx);
int jh_reader_pauses(jh_store_reader *r, int first_day, int last_day, jh_pause_fn fn, void *ctx);
int jh_reader_sessions(jh_store_reader *r, int first_day, int last_day, jh_session_fn fn,
                       void *ctx);

int jh_reader_hall(jh_store_reader *r, jh_hall_row *h);
/* The ticket `label` of business day `day`, as jh_store_ticket_by_label. */
int jh_reader_ticket_by_label(jh_store_reader *r, int day, const char *label, jh_ticket *t);
/* The tickets of (day, service) waiting now, and of them the green ones. */
int jh_reader_waiting(jh_store_reader *r, int day, const char *service, int *waiting, int *green);

/* What a store holds, in counts; each -1 when it could not be read. */
typedef struct {
    int64_t tickets, days;    /* all tickets; business days with any */
    int64_t day, seq;         /* of the hall row */
    int64_t events, unacked;  /* outbox rows; of them not acknowledged */
    int64_t waiting;          /* tickets waiting, any day */
    int64_t calls;            /* call log rows of kind 'call' (recalls not counted) */
} jh_store_totals;
void jh_reader_totals(jh_store_reader *r, jh_store_totals *t);

#endif
