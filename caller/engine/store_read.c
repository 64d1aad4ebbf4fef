/* SPDX-License-Identifier: MIT */
/*
 * store_read — the store's read-only queries (see store_read.h).
 *
 * Statements here are prepared when used, not at open: a reader makes a few
 * passes over a file and closes it. Those on a row of store_rows.c are
 * composed for the file's own schema version, so a copy taken off an older
 * appliance reads too. The period walks filter on `day`, which the tickets
 * table indexes through UNIQUE(day, label); pauses and sessions are small.
 */
#include "store_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_private.h"

#define PERIOD_TAIL "WHERE day BETWEEN ?1 AND ?2 ORDER BY id"

static const store_statement ticket_period = {PERIOD_TAIL, &store_ticket_row, ROW_SELECT};
static const store_statement pause_period = {PERIOD_TAIL, &store_pause_row, ROW_SELECT};
static const store_statement session_period = {PERIOD_TAIL, &store_session_row, ROW_SELECT};
static const char waiting_sql[] =
    "SELECT count(*), total(is_priority) FROM tickets WHERE day = ?1 AND service = ?2"
    " AND status = 'waiting'";

static int fail(jh_store_reader *r)
{
    snprintf(r->err, sizeof r->err, "%s", sqlite3_errmsg(r->db));
    return -1;
}

jh_store_reader *jh_reader_open(const char *path, int read_write, int busy_ms, char *err,
                                size_t errlen)
{
    jh_store_reader *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    int flags = read_write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
    if (sqlite3_open_v2(path, &r->db, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", r->db ? sqlite3_errmsg(r->db) : "cannot open");
        jh_reader_close(r);
        return NULL;
    }
    sqlite3_busy_timeout(r->db, busy_ms);
    return r;
}

void jh_reader_close(jh_store_reader *r)
{
    if (!r)
        return;
    sqlite3_close(r->db);
    free(r);
}

const char *jh_reader_errmsg(jh_store_reader *r) { return r->err; }

int jh_reader_begin(jh_store_reader *r)
{
    return sqlite3_exec(r->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK ? 0 : fail(r);
}

void jh_reader_end(jh_store_reader *r) { sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL); }

/* The file's schema version, read once: it decides which columns a row has. */
static int version(jh_store_reader *r)
{
    sqlite3_stmt *s;
    if (r->version)
        return r->version;
    if (sqlite3_prepare_v2(r->db, store_schema_version_sql, -1, &s, NULL) != SQLITE_OK)
        return fail(r);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        r->version = sqlite3_column_int(s, 0);
    else
        snprintf(r->err, sizeof r->err, "%s",
                 rc == SQLITE_DONE ? "hall row missing" : sqlite3_errmsg(r->db));
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? r->version : -1;
}

/* Prepares statement d, its columns (if on a row) those of the file's version. */
static int prepare(jh_store_reader *r, const store_statement *d, sqlite3_stmt **s)
{
    char text[4096];
    const char *sql = d->sql;
    *s = NULL;
    if (d->row) {
        int v = version(r);
        if (v < 0)
            return -1;
        if (store_row_sql(d->row, d->verb, d->sql, v, text, sizeof text) < 0) {
            snprintf(r->err, sizeof r->err, "%s: statement too long", d->row->table);
            return -1;
        }
        sql = text;
    }
    return sqlite3_prepare_v2(r->db, sql, -1, s, NULL) == SQLITE_OK ? 0 : fail(r);
}

/* Where a walk hands its rows: exactly one of the three is set. */
typedef struct {
    jh_ticket_fn ticket;
    jh_pause_fn pause;
    jh_session_fn session;
    void *ctx;
} sink;

static int hand(const sink *k, const void *row)
{
    if (k->ticket)
        return k->ticket(k->ctx, row);
    if (k->pause)
        return k->pause(k->ctx, row);
    return k->session(k->ctx, row);
}

/* Reads every row of period query d into buf, one at a time, handing each to k. */
static int walk(jh_store_reader *r, const store_statement *d, int first_day, int last_day,
                const sink *k, void *buf)
{
    sqlite3_stmt *s;
    int rc;
    if (prepare(r, d, &s) < 0)
        return -1;
    sqlite3_bind_int(s, 1, first_day);
    sqlite3_bind_int(s, 2, last_day);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_row_read(s, d->row, r->version, buf);
        if (hand(k, buf) < 0) {
            sqlite3_finalize(s);
            return -1;
        }
    }
    if (rc != SQLITE_DONE)
        fail(r);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : -1;
}

int jh_reader_tickets(jh_store_reader *r, int first_day, int last_day, jh_ticket_fn fn, void *ctx)
{
    jh_ticket t;
    sink k = {.ticket = fn, .ctx = ctx};
    return walk(r, &ticket_period, first_day, last_day, &k, &t);
}

int jh_reader_pauses(jh_store_reader *r, int first_day, int last_day, jh_pause_fn fn, void *ctx)
{
    jh_pause_log p;
    sink k = {.pause = fn, .ctx = ctx};
    return walk(r, &pause_period, first_day, last_day, &k, &p);
}

int jh_reader_sessions(jh_store_reader *r, int first_day, int last_day, jh_session_fn fn,
                       void *ctx)
{
    jh_session_log s;
    sink k = {.session = fn, .ctx = ctx};
    return walk(r, &session_period, first_day, last_day, &k, &s);
}

/* Steps a one-row query: 1 row (the caller reads it, then finalizes), 0 none, -1 error. */
static int one_row(jh_store_reader *r, sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc != SQLITE_DONE)
        fail(r);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : -1;
}

int jh_reader_hall(jh_store_reader *r, jh_hall_row *h)
{
    sqlite3_stmt *s;
    if (prepare(r, &store_statements[Q_HALL_GET], &s) < 0)
        return -1;
    int rc = one_row(r, s);
    if (rc == 0)
        snprintf(r->err, sizeof r->err, "hall row missing");
    if (rc <= 0)
        return -1;
    store_hall_read(s, h);
    sqlite3_finalize(s);
    return 0;
}

int jh_reader_ticket_by_label(jh_store_reader *r, int day, const char *label, jh_ticket *t)
{
    sqlite3_stmt *s;
    if (prepare(r, &store_statements[Q_T_BY_LABEL], &s) < 0)
        return -1;
    sqlite3_bind_int(s, 1, day);
    store_bind_text(s, 2, label);
    int rc = one_row(r, s);
    if (rc <= 0)
        return rc;
    store_row_read(s, &store_ticket_row, r->version, t);
    sqlite3_finalize(s);
    return 1;
}

int jh_reader_waiting(jh_store_reader *r, int day, const char *service, int *waiting, int *green)
{
    const store_statement d = {waiting_sql, NULL, ROW_NONE};
    sqlite3_stmt *s;
    if (prepare(r, &d, &s) < 0)
        return -1;
    sqlite3_bind_int(s, 1, day);
    store_bind_text(s, 2, service);
    int rc = one_row(r, s);
    if (rc <= 0)
        return -1; /* count(*) always gives a row */
    *waiting = sqlite3_column_int(s, 0);
    *green = sqlite3_column_int(s, 1);
    sqlite3_finalize(s);
    return 0;
}

/* One number, or -1 when the query fails. */
static int64_t scalar(jh_store_reader *r, const char *sql)
{
    sqlite3_stmt *s;
    int64_t v = -1;
    if (sqlite3_prepare_v2(r->db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

void jh_reader_totals(jh_store_reader *r, jh_store_totals *t)
{
    t->tickets = scalar(r, "SELECT count(*) FROM tickets");
    t->days = scalar(r, "SELECT count(DISTINCT day) FROM tickets");
    t->day = scalar(r, "SELECT day FROM hall");
    t->seq = scalar(r, "SELECT seq FROM hall");
    t->events = scalar(r, "SELECT count(*) FROM outbox");
    t->unacked = scalar(r, "SELECT count(*) FROM outbox WHERE acked = 0");
    t->waiting = scalar(r, "SELECT count(*) FROM tickets WHERE status = 'waiting'");
    t->calls = scalar(r, "SELECT count(*) FROM calls WHERE kind = 'call'");
}
