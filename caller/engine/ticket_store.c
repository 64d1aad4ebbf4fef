/* SPDX-License-Identifier: MIT */
/*
 * ticket_store — the store's connection: open, close, transactions (see
 * ticket_store.h).
 *
 * Owns: opening a store file (schema and migrations are store_schema.c's,
 * the statements store_sql.c's; all are prepared here, once), the
 * transactions and savepoints the engine brackets its commands in, and the
 * small helpers every store file uses over the sqlite API. The queries
 * themselves are in store_tickets.c, store_counters.c, store_stats.c and
 * store_events.c, by what they are about.
 */
#include "ticket_store.h"

#include <stdio.h>
#include <stdlib.h>

#include "store_private.h"

/* ---- small helpers over the sqlite API ---- */

int store_fail(jh_store *st, const char *what)
{
    snprintf(st->err, sizeof st->err, "%s: %s", what, sqlite3_errmsg(st->db));
    return -1;
}

sqlite3_stmt *store_stmt(jh_store *st, int i)
{
    sqlite3_reset(st->q[i]);
    sqlite3_clear_bindings(st->q[i]);
    return st->q[i];
}

void store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
    sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

/* "" is stored as NULL: the partial indexes test target_counter IS NULL. */
void store_bind_opt_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

void store_bind_opt_i64(sqlite3_stmt *s, int i, int64_t v)
{
    if (v)
        sqlite3_bind_int64(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

void store_col_text(sqlite3_stmt *s, int i, char *dst, size_t len)
{
    const unsigned char *v = sqlite3_column_text(s, i);
    snprintf(dst, len, "%s", v ? (const char *)v : "");
}

int store_exec_done(jh_store *st, int i, const char *what)
{
    int rc = sqlite3_step(st->q[i]);
    sqlite3_reset(st->q[i]);
    return rc == SQLITE_DONE ? 0 : store_fail(st, what);
}

int store_step_row(jh_store *st, int i, const char *what)
{
    int rc = sqlite3_step(st->q[i]);
    if (rc == SQLITE_ROW)
        return 1;
    sqlite3_reset(st->q[i]);
    return rc == SQLITE_DONE ? 0 : store_fail(st, what);
}

/* ---- open / close / transactions ---- */

/* Prepares every statement of store_sql.c, composing those on a row from its columns. */
static int prepare_all(jh_store *st)
{
    char text[4096];
    for (int i = 0; i < Q_COUNT; i++) {
        const store_statement *d = &store_statements[i];
        const char *sql = d->sql;
        if (d->row) {
            if (store_row_sql(d->row, d->verb, d->sql, SCHEMA_VERSION, text, sizeof text) < 0) {
                snprintf(st->err, sizeof st->err, "statement %d: too long", i);
                return -1;
            }
            sql = text;
        }
        if (!sql) {
            snprintf(st->err, sizeof st->err, "statement %d: no SQL", i);
            return -1;
        }
        if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->q[i], NULL) !=
            SQLITE_OK)
            return store_fail(st, "prepare");
    }
    return 0;
}

jh_store *jh_store_open(const char *path, int day, char *err, size_t errlen)
{
    jh_store *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, st->db ? sqlite3_errmsg(st->db) : "cannot open");
        jh_store_close(st);
        return NULL;
    }
    if (store_schema_setup(st, day) < 0 || prepare_all(st) < 0) {
        snprintf(err, errlen, "%s: %s", path, st->err);
        jh_store_close(st);
        return NULL;
    }
    return st;
}

void jh_store_close(jh_store *st)
{
    if (!st)
        return;
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(st->q[i]);
    sqlite3_close(st->db);
    free(st);
}

const char *jh_store_errmsg(jh_store *st) { return st->err; }

int jh_store_set_durable(jh_store *st, int durable)
{
    const char *q = durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF";
    if (sqlite3_exec(st->db, q, NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(st, "synchronous");
    return 0;
}

int jh_store_begin(jh_store *st) { return store_exec_done(st, Q_BEGIN, "begin"); }

int jh_store_commit(jh_store *st) { return store_exec_done(st, Q_COMMIT, "commit"); }

int jh_store_savepoint(jh_store *st) { return store_exec_done(st, Q_SAVEPOINT, "savepoint"); }

int jh_store_savepoint_rollback(jh_store *st)
{
    return store_exec_done(st, Q_SAVEPOINT_UNDO, "rollback to savepoint");
}

int jh_store_savepoint_release(jh_store *st)
{
    return store_exec_done(st, Q_SAVEPOINT_RELEASE, "release savepoint");
}

int jh_store_read_begin(jh_store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        return 0;
    /* No store_fail(): if it cannot begin, the reads still work one statement
     * at a time, and the error message stays the one a caller may report. */
    int rc = sqlite3_step(st->q[Q_READ_BEGIN]);
    sqlite3_reset(st->q[Q_READ_BEGIN]);
    return rc == SQLITE_DONE;
}

void jh_store_read_end(jh_store *st, int began)
{
    if (began)
        jh_store_rollback(st); /* nothing was written: ending it only lets go of the snapshot */
}

void jh_store_rollback(jh_store *st)
{
    /* SQLite may already have rolled back by itself (e.g. after SQLITE_FULL). */
    if (!sqlite3_get_autocommit(st->db)) {
        sqlite3_step(store_stmt(st, Q_ROLLBACK));
        sqlite3_reset(st->q[Q_ROLLBACK]);
    }
}

