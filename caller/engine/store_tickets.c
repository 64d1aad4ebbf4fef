/* SPDX-License-Identifier: MIT */
/*
 * store_tickets — the hall row, the numbering and the tickets (ticket_store.h).
 *
 * Owns the queries on the tables hall, numbering and tickets: numbers and
 * event seqs handed out, places in the queue, the waiting counters, ticket
 * rows (their columns are store_rows.c's), the queue heads dispatch compares,
 * expiry at the end of a day and the recent service times the estimate uses.
 */
#include <stdio.h>
#include <string.h>

#include "store_private.h"

/* ---- hall row ---- */

void store_hall_read(sqlite3_stmt *s, jh_hall_row *h)
{
    h->day = sqlite3_column_int(s, 0);
    h->open = sqlite3_column_int(s, 1);
    store_col_text(s, 2, h->notice, sizeof h->notice);
    h->seq = sqlite3_column_int64(s, 3);
}

int jh_store_hall_get(jh_store *st, jh_hall_row *h)
{
    store_stmt(st, Q_HALL_GET);
    int rc = store_step_row(st, Q_HALL_GET, "hall");
    if (rc == 0)
        snprintf(st->err, sizeof st->err, "hall row missing");
    if (rc <= 0)
        return -1;
    store_hall_read(st->q[Q_HALL_GET], h);
    sqlite3_reset(st->q[Q_HALL_GET]);
    return 0;
}

int jh_store_hall_set(jh_store *st, const jh_hall_row *h)
{
    sqlite3_stmt *s = store_stmt(st, Q_HALL_SET);
    sqlite3_bind_int(s, 1, h->day);
    sqlite3_bind_int(s, 2, h->open);
    store_bind_text(s, 3, h->notice);
    return store_exec_done(st, Q_HALL_SET, "hall update");
}

int jh_store_next_seq(jh_store *st, int64_t *seq)
{
    store_stmt(st, Q_SEQ_NEXT);
    int rc = store_step_row(st, Q_SEQ_NEXT, "seq");
    if (rc <= 0)
        return -1;
    *seq = sqlite3_column_int64(st->q[Q_SEQ_NEXT], 0);
    /* RETURNING rows are produced before the update completes: finish it. */
    rc = sqlite3_step(st->q[Q_SEQ_NEXT]);
    sqlite3_reset(st->q[Q_SEQ_NEXT]);
    return rc == SQLITE_DONE ? 0 : store_fail(st, "seq");
}

int jh_store_next_queue_key(jh_store *st, int64_t now, int64_t *key)
{
    sqlite3_bind_int64(store_stmt(st, Q_QUEUE_KEY_NEXT), 1, now);
    int rc = store_step_row(st, Q_QUEUE_KEY_NEXT, "queue key");
    if (rc <= 0)
        return -1;
    *key = sqlite3_column_int64(st->q[Q_QUEUE_KEY_NEXT], 0);
    rc = sqlite3_step(st->q[Q_QUEUE_KEY_NEXT]); /* finish the UPDATE behind RETURNING */
    sqlite3_reset(st->q[Q_QUEUE_KEY_NEXT]);
    return rc == SQLITE_DONE ? 0 : store_fail(st, "queue key");
}

/* ---- numbering and waiting counters ---- */

int jh_store_numbering_get(jh_store *st, int day, const char *service, jh_numbering_row *n)
{
    sqlite3_stmt *s = store_stmt(st, Q_NUM_GET);
    sqlite3_bind_int(s, 1, day);
    store_bind_text(s, 2, service);
    memset(n, 0, sizeof *n);
    int rc = store_step_row(st, Q_NUM_GET, "numbering");
    if (rc <= 0)
        return rc;
    n->last_number = sqlite3_column_int(s, 0);
    n->issued = sqlite3_column_int(s, 1);
    n->waiting = sqlite3_column_int(s, 2);
    n->waiting_priority = sqlite3_column_int(s, 3);
    store_col_text(s, 4, n->last_called, sizeof n->last_called);
    sqlite3_reset(s);
    return 0;
}

int jh_store_numbering_issue(jh_store *st, int day, const char *service, int number)
{
    sqlite3_stmt *s = store_stmt(st, Q_NUM_ISSUE);
    sqlite3_bind_int(s, 1, day);
    store_bind_text(s, 2, service);
    sqlite3_bind_int(s, 3, number);
    return store_exec_done(st, Q_NUM_ISSUE, "numbering");
}

int jh_store_waiting_add(jh_store *st, int day, const char *service, int d_waiting, int d_priority)
{
    sqlite3_stmt *s = store_stmt(st, Q_WAIT_ADD);
    sqlite3_bind_int(s, 1, day);
    store_bind_text(s, 2, service);
    sqlite3_bind_int(s, 3, d_waiting);
    sqlite3_bind_int(s, 4, d_priority);
    return store_exec_done(st, Q_WAIT_ADD, "waiting count");
}

int jh_store_set_last_called(jh_store *st, int day, const char *service, const char *label)
{
    sqlite3_stmt *s = store_stmt(st, Q_LAST_CALLED);
    sqlite3_bind_int(s, 1, day);
    store_bind_text(s, 2, service);
    store_bind_text(s, 3, label);
    return store_exec_done(st, Q_LAST_CALLED, "last called");
}

int jh_store_waiting_clear_before(jh_store *st, int day)
{
    sqlite3_bind_int(store_stmt(st, Q_WAIT_CLEAR_BEFORE), 1, day);
    return store_exec_done(st, Q_WAIT_CLEAR_BEFORE, "waiting clear");
}

int jh_store_waiting_clear_day(jh_store *st, int day)
{
    sqlite3_bind_int(store_stmt(st, Q_WAIT_CLEAR_DAY), 1, day);
    return store_exec_done(st, Q_WAIT_CLEAR_DAY, "waiting clear");
}

/* ---- tickets ---- */

int jh_store_ticket_insert(jh_store *st, jh_ticket *t)
{
    store_row_bind(store_stmt(st, Q_T_INSERT), &store_ticket_row, ROW_INSERT, t);
    if (store_exec_done(st, Q_T_INSERT, "ticket insert") < 0)
        return -1;
    t->id = sqlite3_last_insert_rowid(st->db);
    return 0;
}

int jh_store_ticket_update(jh_store *st, const jh_ticket *t)
{
    store_row_bind(store_stmt(st, Q_T_UPDATE), &store_ticket_row, ROW_UPDATE, t);
    return store_exec_done(st, Q_T_UPDATE, "ticket update");
}

static int ticket_lookup(jh_store *st, int q, jh_ticket *t)
{
    int rc = store_step_row(st, q, "ticket");
    if (rc <= 0)
        return rc;
    store_row_read(st->q[q], &store_ticket_row, SCHEMA_VERSION, t);
    sqlite3_reset(st->q[q]);
    return 1;
}

int jh_store_ticket_by_id(jh_store *st, int64_t id, jh_ticket *t)
{
    sqlite3_bind_int64(store_stmt(st, Q_T_BY_ID), 1, id);
    return ticket_lookup(st, Q_T_BY_ID, t);
}

int jh_store_ticket_by_label(jh_store *st, int day, const char *label, jh_ticket *t)
{
    sqlite3_stmt *s = store_stmt(st, Q_T_BY_LABEL);
    sqlite3_bind_int(s, 1, day);
    store_bind_text(s, 2, label);
    return ticket_lookup(st, Q_T_BY_LABEL, t);
}

static int head_lookup(jh_store *st, int q, jh_queue_head *h)
{
    int rc = store_step_row(st, q, "queue head");
    if (rc <= 0)
        return rc;
    h->id = sqlite3_column_int64(st->q[q], 0);
    h->queue_key = sqlite3_column_int64(st->q[q], 1);
    sqlite3_reset(st->q[q]);
    return 1;
}

int jh_store_queue_head(jh_store *st, int day, const char *service, int green, jh_queue_head *h)
{
    sqlite3_stmt *s = store_stmt(st, Q_HEAD);
    sqlite3_bind_int(s, 1, day);
    store_bind_text(s, 2, service);
    sqlite3_bind_int(s, 3, green ? 1 : 0);
    return head_lookup(st, Q_HEAD, h);
}

int jh_store_directed_head(jh_store *st, const char *counter, jh_queue_head *h)
{
    store_bind_text(store_stmt(st, Q_DIRECTED), 1, counter);
    return head_lookup(st, Q_DIRECTED, h);
}

static int expire(jh_store *st, int q, int day, int *n)
{
    sqlite3_bind_int(store_stmt(st, q), 1, day);
    if (store_exec_done(st, q, "expire") < 0)
        return -1;
    if (n)
        *n = sqlite3_changes(st->db);
    return 0;
}

int jh_store_expire_before(jh_store *st, int day, int *n)
{
    sqlite3_bind_int(store_stmt(st, Q_STATS_EXPIRE_BEFORE), 1, day);
    if (store_exec_done(st, Q_STATS_EXPIRE_BEFORE, "day figures") < 0)
        return -1;
    return expire(st, Q_EXPIRE_BEFORE, day, n);
}

int jh_store_expire_waiting_of_day(jh_store *st, int day, int *n)
{
    int count;
    jh_day_stats d = {0};
    if (expire(st, Q_EXPIRE_DAY, day, &count) < 0)
        return -1;
    if (n)
        *n = count;
    d.expired = count;
    return jh_store_stats_add(st, day, &d);
}

int jh_store_recent_service_mean(jh_store *st, const char *service, int n, double *mean, int *count)
{
    sqlite3_stmt *s = store_stmt(st, Q_MEAN);
    store_bind_text(s, 1, service);
    sqlite3_bind_int(s, 2, n);
    int rc = store_step_row(st, Q_MEAN, "service mean");
    if (rc < 0)
        return -1;
    *mean = rc ? sqlite3_column_double(s, 0) : 0;
    *count = rc ? sqlite3_column_int(s, 1) : 0;
    sqlite3_reset(s);
    return 0;
}

int jh_store_wait_due(jh_store *st, int64_t queued_before, jh_queue_head *rows, int max, int *n)
{
    sqlite3_stmt *s = store_stmt(st, Q_WAIT_DUE);
    int rc;
    *n = 0;
    sqlite3_bind_int64(s, 1, queued_before);
    sqlite3_bind_int(s, 2, max);
    while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        rows[*n].id = sqlite3_column_int64(s, 0);
        rows[*n].queue_key = sqlite3_column_int64(s, 1);
        (*n)++;
    }
    if (*n < max && rc != SQLITE_DONE)
        return store_fail(st, "long waits");
    sqlite3_reset(s);
    return 0;
}
