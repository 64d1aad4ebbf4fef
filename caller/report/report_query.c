/* SPDX-License-Identifier: MIT */
/*
 * report_query — a report's rows, read from the store (see report_query.h).
 *
 * The queries are the store's (store_read.h): this file opens the reader,
 * keeps the three walks inside one read transaction and turns each store
 * row into what report_model takes.
 */
#include "report_query.h"

#include <stdio.h>
#include <unistd.h>

#include "store_read.h"

/* Where the walks deliver; oom is set when report_model ran out of memory. */
typedef struct {
    jh_report *r;
    int oom;
} load;

static int added(load *l, int rc)
{
    if (rc < 0)
        l->oom = 1;
    return rc;
}

static int ticket_row(void *ctx, const jh_ticket *t)
{
    load *l = ctx;
    jh_report_ticket rt = {
        .day = t->day,
        .label = t->label,
        .service = t->service,
        .status = jh_ticket_status_name(t->status),
        .counter = t->counter,
        .staff_id = t->staff_id,
        .rating_flags = t->rating_flags,
        .priority = t->priority,
        .issued_at = t->issued_at,
        .called_at = t->called_at,
        .last_called_at = t->last_called_at,
        .finished_at = t->finished_at,
        .service_s = t->service_s,
        .rating = t->rating,
        .rated_at = t->rated_at,
        .suspicious = t->rating_suspicious,
    };
    return added(l, jh_report_add_ticket(l->r, &rt));
}

static int pause_row(void *ctx, const jh_pause_log *p)
{
    load *l = ctx;
    return added(l, jh_report_add_pause(l->r, p->day, p->counter, p->staff_id, p->reason,
                                        p->started_at, p->ended_at));
}

static int session_row(void *ctx, const jh_session_log *s)
{
    load *l = ctx;
    return added(l, jh_report_add_session(l->r, s->day, s->counter, s->staff_id, s->staff_name,
                                          s->login_at, s->logout_at));
}

static int read_all(jh_store_reader *rd, jh_report *r, char *err, size_t errlen)
{
    load l = {r, 0};
    int first = r->period.first_day, last = r->period.last_day;
    /* one read transaction: tickets, pauses and logins as of the same commit */
    if (jh_reader_begin(rd) < 0) {
        snprintf(err, errlen, "reading the store: %s", jh_reader_errmsg(rd));
        return -1;
    }
    int rc = jh_reader_tickets(rd, first, last, ticket_row, &l) < 0 ||
                     jh_reader_pauses(rd, first, last, pause_row, &l) < 0 ||
                     jh_reader_sessions(rd, first, last, session_row, &l) < 0
                 ? -1
                 : 0;
    jh_reader_end(rd);
    if (rc < 0 && l.oom)
        snprintf(err, errlen, "out of memory");
    else if (rc < 0)
        snprintf(err, errlen, "reading the store: %s", jh_reader_errmsg(rd));
    return rc;
}

int jh_report_load(jh_report *r, const char *db_path, char *err, size_t errlen)
{
    char why[256];
    /* sqlite would report a missing file only as "unable to open database file" */
    if (access(db_path, R_OK) != 0) {
        snprintf(err, errlen, "%s: no store there (is --data/--db right?)", db_path);
        return -1;
    }
    jh_store_reader *rd = jh_reader_open(db_path, 0, 5000, why, sizeof why);
    if (!rd) {
        snprintf(err, errlen, "%s: %s", db_path, why);
        return -1;
    }
    int rc = read_all(rd, r, err, errlen);
    jh_reader_close(rd);
    if (rc < 0) {
        snprintf(why, sizeof why, "%s", err);
        snprintf(err, errlen, "%s: %s", db_path, why);
    }
    return rc;
}
