/* SPDX-License-Identifier: MIT */
/*
 * store_counters — the counters, the staff at them and the logs kept for
 * reports (ticket_store.h).
 *
 * Owns the queries on counters (one row per configured counter; its columns
 * are store_rows.c's), on who is logged in where, and on the pause, login,
 * call and transfer logs.
 */
#include <stdio.h>
#include <string.h>

#include "store_private.h"

int jh_store_counter_ensure(jh_store *st, const char *id, int64_t now_ms)
{
    jh_counter_row c = {.status = JH_CS_CLOSED, .since = now_ms};
    snprintf(c.id, sizeof c.id, "%s", id);
    store_row_bind(store_stmt(st, Q_C_ENSURE), &store_counter_row, ROW_INSERT_NEW, &c);
    return store_exec_done(st, Q_C_ENSURE, "counter");
}

static int counter_lookup(jh_store *st, int q, jh_counter_row *c)
{
    int rc = store_step_row(st, q, "counter");
    if (rc <= 0)
        return rc;
    store_row_read(st->q[q], &store_counter_row, SCHEMA_VERSION, c);
    sqlite3_reset(st->q[q]);
    return 1;
}

int jh_store_counter_get(jh_store *st, const char *id, jh_counter_row *c)
{
    store_bind_text(store_stmt(st, Q_C_GET), 1, id);
    return counter_lookup(st, Q_C_GET, c);
}

/* Index of counter `id` in cfg; rows usually come in the order they were
 * ensured, i.e. the config's, so the one after `prev` is tried first. */
static int brief_index(const jh_hall_config *cfg, const char *id, int prev)
{
    int next = prev + 1;
    if (next < cfg->n_counters && strcmp(cfg->counters[next].id, id) == 0)
        return next;
    return jh_config_counter_index(cfg, id);
}

int jh_store_counters_brief(jh_store *st, const jh_hall_config *cfg, jh_counter_brief *out)
{
    sqlite3_stmt *s = store_stmt(st, Q_C_BRIEF);
    char id[JH_ID_LEN], status[16];
    int rc, i = -1;
    memset(out, 0, (size_t)cfg->n_counters * sizeof *out);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_col_text(s, 0, id, sizeof id);
        i = brief_index(cfg, id, i);
        if (i < 0)
            continue; /* a counter no longer in the config */
        jh_counter_brief *b = &out[i];
        b->found = 1;
        store_col_text(s, 1, status, sizeof status);
        b->status = store_counter_status(status);
        b->has_ticket = sqlite3_column_type(s, 2) != SQLITE_NULL;
        store_col_text(s, 3, b->service, sizeof b->service);
        b->session_at = sqlite3_column_int64(s, 4);
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : store_fail(st, "counters");
}

int jh_store_counter_put(jh_store *st, const jh_counter_row *c)
{
    store_row_bind(store_stmt(st, Q_C_PUT), &store_counter_row, ROW_UPDATE, c);
    return store_exec_done(st, Q_C_PUT, "counter update");
}

int jh_store_counter_by_staff(jh_store *st, const char *staff_id, const char *except_id,
                              jh_counter_row *c)
{
    sqlite3_stmt *s = store_stmt(st, Q_C_BY_STAFF);
    store_bind_text(s, 1, staff_id);
    store_bind_text(s, 2, except_id);
    return counter_lookup(st, Q_C_BY_STAFF, c);
}

int jh_store_counters_reset(jh_store *st, int64_t now_ms)
{
    int q[3] = {Q_C_RESET, Q_PAUSE_END_ALL, Q_SESSION_END_ALL};
    for (int i = 0; i < 3; i++) {
        sqlite3_bind_int64(store_stmt(st, q[i]), 1, now_ms);
        if (store_exec_done(st, q[i], "counter reset") < 0)
            return -1;
    }
    return 0;
}

/* ---- logs for reports ---- */

int jh_store_pause_start(jh_store *st, int day, const jh_counter_row *c, int64_t at)
{
    jh_pause_log p = {.day = day, .started_at = at};
    snprintf(p.counter, sizeof p.counter, "%s", c->id);
    snprintf(p.staff_id, sizeof p.staff_id, "%s", c->staff_id);
    snprintf(p.reason, sizeof p.reason, "%s", c->pause_reason);
    snprintf(p.message, sizeof p.message, "%s", c->message);
    store_row_bind(store_stmt(st, Q_PAUSE_START), &store_pause_row, ROW_INSERT, &p);
    return store_exec_done(st, Q_PAUSE_START, "pause log");
}

int jh_store_pause_end(jh_store *st, const char *counter, int64_t at)
{
    sqlite3_stmt *s = store_stmt(st, Q_PAUSE_END);
    store_bind_text(s, 1, counter);
    sqlite3_bind_int64(s, 2, at);
    return store_exec_done(st, Q_PAUSE_END, "pause log");
}

int jh_store_session_start(jh_store *st, int day, const jh_counter_row *c, int64_t at)
{
    jh_session_log s = {.day = day, .login_at = at};
    snprintf(s.counter, sizeof s.counter, "%s", c->id);
    snprintf(s.staff_id, sizeof s.staff_id, "%s", c->staff_id);
    snprintf(s.staff_name, sizeof s.staff_name, "%s", c->staff_name);
    store_row_bind(store_stmt(st, Q_SESSION_START), &store_session_row, ROW_INSERT, &s);
    return store_exec_done(st, Q_SESSION_START, "session log");
}

int jh_store_session_end(jh_store *st, const char *counter, int64_t at)
{
    sqlite3_stmt *s = store_stmt(st, Q_SESSION_END);
    store_bind_text(s, 1, counter);
    sqlite3_bind_int64(s, 2, at);
    return store_exec_done(st, Q_SESSION_END, "session log");
}

int jh_store_call_log(jh_store *st, const jh_ticket *t, const char *kind, int64_t at)
{
    sqlite3_stmt *s = store_stmt(st, Q_CALL_LOG);
    sqlite3_bind_int(s, 1, t->day);
    sqlite3_bind_int64(s, 2, t->id);
    store_bind_text(s, 3, t->label);
    store_bind_text(s, 4, t->service);
    store_bind_text(s, 5, t->counter);
    store_bind_text(s, 6, t->staff_id);
    store_bind_text(s, 7, kind);
    sqlite3_bind_int64(s, 8, at);
    return store_exec_done(st, Q_CALL_LOG, "call log");
}

int jh_store_last_calls(jh_store *st, int day, jh_call_row *rows, int max, int *n)
{
    sqlite3_stmt *s = store_stmt(st, Q_LAST_CALLS);
    sqlite3_bind_int(s, 1, day);
    sqlite3_bind_int(s, 2, max);
    int rc;
    *n = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max) {
        store_col_text(s, 0, rows[*n].label, sizeof rows[*n].label);
        store_col_text(s, 1, rows[*n].counter, sizeof rows[*n].counter);
        rows[*n].at = sqlite3_column_int64(s, 2);
        (*n)++;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_fail(st, "last calls");
}

int jh_store_transfer_log(jh_store *st, const jh_ticket *t, const char *from_counter,
                          const char *from_service, int64_t at)
{
    sqlite3_stmt *s = store_stmt(st, Q_TRANSFER_LOG);
    sqlite3_bind_int(s, 1, t->day);
    sqlite3_bind_int64(s, 2, t->id);
    store_bind_text(s, 3, from_counter);
    store_bind_text(s, 4, from_service);
    store_bind_text(s, 5, t->service);
    store_bind_opt_text(s, 6, t->target_counter);
    sqlite3_bind_int64(s, 7, at);
    return store_exec_done(st, Q_TRANSFER_LOG, "transfer log");
}
