/*
 * report_query — the reports' SQL, read-only (see report_query.h).
 *
 * Every query is bound to the period's first and last business day and
 * filters on `day`, which the tickets table indexes through UNIQUE(day, label).
 */
#include "report_query.h"

#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

static const char tickets_sql[] =
    "SELECT day, label, service, status, counter, staff_id, rating_flags, priority,"
    " issued_at, called_at, last_called_at, finished_at, service_s, rating, rated_at,"
    " rating_suspicious FROM tickets WHERE day BETWEEN ?1 AND ?2 ORDER BY id";
static const char pauses_sql[] =
    "SELECT day, counter, staff_id, reason, started_at, ended_at FROM pauses"
    " WHERE day BETWEEN ?1 AND ?2 ORDER BY id";
static const char sessions_sql[] =
    "SELECT day, counter, staff_id, staff_name, login_at, logout_at FROM sessions"
    " WHERE day BETWEEN ?1 AND ?2 ORDER BY id";

typedef int (*row_fn)(jh_report *r, sqlite3_stmt *s);

static const char *text(sqlite3_stmt *s, int col)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    return t ? (const char *)t : "";
}

static int ticket_row(jh_report *r, sqlite3_stmt *s)
{
    jh_report_ticket t = {
        .day = sqlite3_column_int(s, 0),
        .label = text(s, 1),
        .service = text(s, 2),
        .status = text(s, 3),
        .counter = text(s, 4),
        .staff_id = text(s, 5),
        .rating_flags = text(s, 6),
        .priority = sqlite3_column_int(s, 7),
        .issued_at = sqlite3_column_int64(s, 8),
        .called_at = sqlite3_column_int64(s, 9),
        .last_called_at = sqlite3_column_int64(s, 10),
        .finished_at = sqlite3_column_int64(s, 11),
        .service_s = sqlite3_column_int(s, 12),
        .rating = sqlite3_column_int(s, 13),
        .rated_at = sqlite3_column_int64(s, 14),
        .suspicious = sqlite3_column_int(s, 15),
    };
    return jh_report_add_ticket(r, &t);
}

static int pause_row(jh_report *r, sqlite3_stmt *s)
{
    return jh_report_add_pause(r, sqlite3_column_int(s, 0), text(s, 1), text(s, 2), text(s, 3),
                               sqlite3_column_int64(s, 4), sqlite3_column_int64(s, 5));
}

static int session_row(jh_report *r, sqlite3_stmt *s)
{
    return jh_report_add_session(r, sqlite3_column_int(s, 0), text(s, 1), text(s, 2), text(s, 3),
                                 sqlite3_column_int64(s, 4), sqlite3_column_int64(s, 5));
}

/* Runs one period query, feeding each row to fn. */
static int each_row(sqlite3 *db, jh_report *r, const char *sql, row_fn fn, char *err, size_t errlen)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int(s, 1, r->period.first_day);
        sqlite3_bind_int(s, 2, r->period.last_day);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW)
            if (fn(r, s) < 0) {
                sqlite3_finalize(s);
                snprintf(err, errlen, "out of memory");
                return -1;
            }
    }
    if (rc != SQLITE_DONE)
        snprintf(err, errlen, "reading the store: %s", sqlite3_errmsg(db));
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int read_all(sqlite3 *db, jh_report *r, char *err, size_t errlen)
{
    /* one read transaction: tickets, pauses and logins as of the same commit */
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "reading the store: %s", sqlite3_errmsg(db));
        return -1;
    }
    int rc = each_row(db, r, tickets_sql, ticket_row, err, errlen) < 0 ||
                     each_row(db, r, pauses_sql, pause_row, err, errlen) < 0 ||
                     each_row(db, r, sessions_sql, session_row, err, errlen) < 0
                 ? -1
                 : 0;
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    return rc;
}

int jh_report_load(jh_report *r, const char *db_path, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    /* sqlite would report a missing file only as "unable to open database file" */
    if (access(db_path, R_OK) != 0) {
        snprintf(err, errlen, "%s: no store there (is --data/--db right?)", db_path);
        return -1;
    }
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", db_path, db ? sqlite3_errmsg(db) : "cannot open");
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 5000);
    int rc = read_all(db, r, err, errlen);
    sqlite3_close(db);
    if (rc < 0) {
        char why[256];
        snprintf(why, sizeof why, "%s", err);
        snprintf(err, errlen, "%s: %s", db_path, why);
    }
    return rc;
}
