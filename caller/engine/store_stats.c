/* SPDX-License-Identifier: MIT */
/*
 * store_stats — the day's running figures (ticket_store.h).
 *
 * Owns the queries on day_stats, wait_hist and day_scores: figures kept up by
 * the same transactions that change the tickets, so the hall's live figures
 * and the rating rule never scan the history.
 */
#include <stddef.h>
#include <string.h>

#include "store_private.h"

/* The figures of jh_day_stats in the order of STATS_COLS after `day` (store_sql.c),
 * which is also the order of the struct: add binds them, get reads them. */
#define F(field) offsetof(jh_day_stats, field)
static const size_t figures[] = {
    F(issued), F(issued_green), F(called), F(wait_sum_s), F(wait_max_s), F(served),
    F(served_green), F(service_sum_s), F(overruns), F(no_shows), F(voided), F(expired),
    F(ratings), F(ratings_flagged), F(satisfied), F(alerts_wait), F(alerts_overrun)};
#undef F
#define N_FIGURES (int)(sizeof figures / sizeof figures[0])

int jh_store_stats_add(jh_store *st, int day, const jh_day_stats *d)
{
    sqlite3_stmt *s = store_stmt(st, Q_STATS_ADD);
    sqlite3_bind_int(s, 1, day);
    for (int i = 0; i < N_FIGURES; i++)
        sqlite3_bind_int64(s, i + 2, *(const int64_t *)((const char *)d + figures[i]));
    return store_exec_done(st, Q_STATS_ADD, "day figures");
}

int jh_store_stats_get(jh_store *st, int day, jh_day_stats *d)
{
    sqlite3_stmt *s = store_stmt(st, Q_STATS_GET);
    memset(d, 0, sizeof *d);
    sqlite3_bind_int(s, 1, day);
    int rc = store_step_row(st, Q_STATS_GET, "day figures");
    if (rc <= 0)
        return rc;
    for (int i = 0; i < N_FIGURES; i++)
        *(int64_t *)((char *)d + figures[i]) = sqlite3_column_int64(s, i + 1);
    sqlite3_reset(s);
    return 0;
}

int jh_store_wait_hist_add(jh_store *st, int day, int wait_s)
{
    int bucket = wait_s < 0 ? 0 : wait_s / JH_WAIT_BUCKET_S;
    sqlite3_stmt *s = store_stmt(st, Q_HIST_ADD);
    sqlite3_bind_int(s, 1, day);
    sqlite3_bind_int(s, 2, bucket < WAIT_BUCKET_CAP ? bucket : WAIT_BUCKET_CAP);
    return store_exec_done(st, Q_HIST_ADD, "wait histogram");
}

int jh_store_wait_hist_get(jh_store *st, int day, int *counts)
{
    sqlite3_stmt *s = store_stmt(st, Q_HIST_GET);
    int rc;
    memset(counts, 0, JH_WAIT_BUCKETS * sizeof *counts);
    sqlite3_bind_int(s, 1, day);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int b = sqlite3_column_int(s, 0);
        if (b >= 0 && b < JH_WAIT_BUCKETS)
            counts[b] = sqlite3_column_int(s, 1);
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : store_fail(st, "wait histogram");
}

int jh_store_score_add(jh_store *st, int day, const char *counter, int score)
{
    sqlite3_stmt *s = store_stmt(st, Q_SCORE_ADD);
    sqlite3_bind_int(s, 1, day);
    sqlite3_bind_text(s, 2, counter, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, score);
    return store_exec_done(st, Q_SCORE_ADD, "day scores");
}

int jh_store_scores_others(jh_store *st, int day, const char *counter, int64_t others[6])
{
    sqlite3_stmt *s = store_stmt(st, Q_SCORES_OTHERS);
    int rc;
    for (int i = 0; i < 6; i++)
        others[i] = 0;
    sqlite3_bind_int(s, 1, day);
    sqlite3_bind_text(s, 2, counter, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int score = sqlite3_column_int(s, 0);
        if (score >= 1 && score <= 5)
            others[score] = sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : store_fail(st, "day scores");
}
