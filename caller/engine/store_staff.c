/* SPDX-License-Identifier: MIT */
/*
 * store_staff — the roster and the audit trail (ticket_store.h).
 *
 * Owns the queries on staff (one row per staff member; its columns are
 * store_rows.c's) and on staff_audit (one row per command that reached the
 * engine), and which audit statement serves a filter: the most selective
 * filter given drives an index, the others are checked on its rows.
 */
#include <stdio.h>
#include <string.h>

#include "store_private.h"

static int staff_lookup(jh_store *st, int q, jh_staff_row *s)
{
    int rc = store_step_row(st, q, "staff");
    if (rc <= 0)
        return rc;
    store_row_read(st->q[q], &store_staff_row, SCHEMA_VERSION, s);
    sqlite3_reset(st->q[q]);
    return 1;
}

int jh_store_staff_get(jh_store *st, const char *staff_id, jh_staff_row *s)
{
    store_bind_text(store_stmt(st, Q_STAFF_GET), 1, staff_id);
    return staff_lookup(st, Q_STAFF_GET, s);
}

int jh_store_staff_insert(jh_store *st, const jh_staff_row *s)
{
    store_row_bind(store_stmt(st, Q_STAFF_INSERT), &store_staff_row, ROW_INSERT, s);
    return store_exec_done(st, Q_STAFF_INSERT, "staff insert");
}

int jh_store_staff_insert_new(jh_store *st, const jh_staff_row *s, int *added)
{
    store_row_bind(store_stmt(st, Q_STAFF_INSERT_NEW), &store_staff_row, ROW_INSERT_NEW, s);
    if (store_exec_done(st, Q_STAFF_INSERT_NEW, "staff insert") < 0)
        return -1;
    *added = sqlite3_changes(st->db) > 0;
    return 0;
}

int jh_store_staff_put(jh_store *st, const jh_staff_row *s)
{
    store_row_bind(store_stmt(st, Q_STAFF_PUT), &store_staff_row, ROW_UPDATE, s);
    return store_exec_done(st, Q_STAFF_PUT, "staff update");
}

/* Steps statement q, handing each row to fn; the statement is reset either way. */
static int each_row(jh_store *st, int q, const store_row *row, void *buf,
                    int (*fn)(void *ctx, const void *row), void *ctx, const char *what)
{
    sqlite3_stmt *s = st->q[q];
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_row_read(s, row, SCHEMA_VERSION, buf);
        stop = fn(ctx, buf) < 0;
    }
    sqlite3_reset(s);
    if (stop) {
        snprintf(st->err, sizeof st->err, "%s: stopped", what);
        return -1;
    }
    return rc == SQLITE_DONE ? 0 : store_fail(st, what);
}

typedef struct {
    jh_staff_fn fn;
    void *ctx;
} staff_each;

static int staff_each_row(void *ctx, const void *row)
{
    const staff_each *e = ctx;
    return e->fn(e->ctx, row);
}

int jh_store_staff_each(jh_store *st, jh_staff_fn fn, void *ctx)
{
    jh_staff_row s;
    staff_each e = {fn, ctx};
    store_stmt(st, Q_STAFF_EACH);
    return each_row(st, Q_STAFF_EACH, &store_staff_row, &s, staff_each_row, &e, "staff list");
}

int jh_store_staff_lock_due(jh_store *st, jh_staff_row *rows, int max, int *n)
{
    sqlite3_stmt *s = store_stmt(st, Q_STAFF_LOCK_DUE);
    sqlite3_bind_int(s, 1, max);
    int rc;
    *n = 0;
    while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW)
        store_row_read(s, &store_staff_row, SCHEMA_VERSION, &rows[(*n)++]);
    sqlite3_reset(s);
    return *n == max || rc == SQLITE_DONE ? 0 : store_fail(st, "staff locks");
}

int jh_store_counter_rename_staff(jh_store *st, const char *staff_id, const char *name)
{
    sqlite3_stmt *s = store_stmt(st, Q_C_RENAME_STAFF);
    store_bind_text(s, 1, staff_id);
    store_bind_text(s, 2, name);
    return store_exec_done(st, Q_C_RENAME_STAFF, "counter staff name");
}

/* ---- the audit trail ---- */

int jh_store_audit_add(jh_store *st, jh_audit_row *a)
{
    store_row_bind(store_stmt(st, Q_AUDIT_ADD), &store_audit_row, ROW_INSERT, a);
    if (store_exec_done(st, Q_AUDIT_ADD, "audit") < 0)
        return -1;
    a->id = sqlite3_last_insert_rowid(st->db);
    return 0;
}

/* The statement whose first condition can use an index for this filter. */
static int audit_query(const jh_audit_filter *f)
{
    if (f->ticket[0])
        return Q_AUDIT_BY_TICKET;
    if (f->staff[0])
        return Q_AUDIT_BY_STAFF;
    if (f->counter[0])
        return Q_AUDIT_BY_COUNTER;
    return f->day ? Q_AUDIT_BY_DAY : Q_AUDIT_ALL;
}

typedef struct {
    jh_audit_row_fn fn;
    void *ctx;
} audit_each;

static int audit_each_row(void *ctx, const void *row)
{
    const audit_each *e = ctx;
    return e->fn(e->ctx, row);
}

int jh_store_audit_find(jh_store *st, const jh_audit_filter *f, jh_audit_row_fn fn, void *ctx)
{
    int q = audit_query(f);
    sqlite3_stmt *s = store_stmt(st, q);
    jh_audit_row a;
    audit_each e = {fn, ctx};
    store_bind_text(s, 1, f->staff);
    store_bind_text(s, 2, f->counter);
    store_bind_text(s, 3, f->ticket);
    sqlite3_bind_int(s, 4, f->day);
    sqlite3_bind_int(s, 5, f->limit > 0 ? f->limit : 1);
    return each_row(st, q, &store_audit_row, &a, audit_each_row, &e, "audit");
}
