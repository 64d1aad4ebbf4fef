/* SPDX-License-Identifier: MIT */
/*
 * report_model — the figures of an assessment report, and the rules that say
 * which ticket, pause and login counts where.
 *
 * Owns the attribution (docs/reports.md "Definitions"): every row read from the
 * caller's store is handed in once; it lands in the hall summary, its day, its
 * service, its counter, its staff member and its hour(s). No SQL here
 * (report_query reads the store) and no output (report_table, report_chart
 * write it), so the rules can be tested on their own and read in one place.
 *
 * Hours are the hall's local hours (the process zone is set to the hall's by
 * jh_report_init). A ticket's arrival figures go to the hour it was issued,
 * its outcome figures to the hour it was finished (or, for a no-show, last
 * called: the store keeps no no-show time).
 */
#ifndef JH_REPORT_MODEL_H
#define JH_REPORT_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "hall_config.h"
#include "report_period.h"
#include "report_stats.h"

#define JH_SATISFACTION_LINE 80.0 /* % — below it a counter fails the monthly assessment */

typedef struct {
    char key[JH_ID_LEN];        /* counter id, staff id, service code, "09", YYYYMMDD, "all" */
    char name_zh[JH_TEXT_LEN];  /* counter/service name, staff name, "09:00–10:00", date */
    char name_en[JH_TEXT_LEN];
    int order;                  /* sort key: place in the config, hour, day */
    int target_s;               /* service rows: the configured target service time */
    /* arrival part */
    int tickets;                /* issued here (service, hour, day, hall); called here (counter, staff) */
    int green;                  /* of those, green channel */
    int voided, expired, open;
    jh_sample wait, wait_green, wait_normal; /* seconds, tickets ever called */
    /* outcome part */
    int served, no_show;
    jh_sample service;          /* seconds, served tickets */
    int overruns;
    int ratings, flagged;       /* all ratings; those flagged suspicious */
    int satisfied;              /* unflagged ratings of 4 or 5 */
    /* time at the counter */
    int pauses;
    int64_t pause_ms;
    int64_t duty_ms;            /* logged in */
} jh_report_group;

typedef struct {
    jh_report_group *g;
    int n, cap;
} jh_group_list;

typedef struct {
    char counter[JH_ID_LEN];
    char staff_id[JH_ID_LEN];
    char reason[JH_TEXT_LEN];
    int count;
    int64_t ms;
    int order;                  /* the counter's place in the config (rows sort by it) */
} jh_pause_row;

typedef struct {
    int day;
    char label[JH_ID_LEN];
    char counter[JH_ID_LEN];
    char staff_id[JH_ID_LEN];
    int score;
    int64_t rated_at;
    char flags[96];             /* as stored: JSON array text */
} jh_flagged_row;

typedef struct {
    const jh_hall_config *cfg;
    jh_period period;
    int64_t now_ms;             /* open pauses and logins are counted up to here */
    jh_report_group summary;
    jh_group_list counters, staff, services, days;
    jh_report_group hours[24];
    int first_hour, last_hour;  /* the hours shown: opening hours and any activity */
    jh_pause_row *pause_rows;
    int n_pause_rows, cap_pause_rows;
    jh_flagged_row *flagged;
    int n_flagged, cap_flagged;
} jh_report;

/* One row of the tickets table, as report_query reads it. Absent text is "", absent times 0. */
typedef struct {
    int day;
    const char *label, *service, *status, *counter, *staff_id, *rating_flags;
    int priority;
    int64_t issued_at, called_at, last_called_at, finished_at;
    int service_s;
    int rating;                 /* 0 = not rated */
    int64_t rated_at;
    int suspicious;
} jh_report_ticket;

/*
 * Sets up an empty report: every configured counter and service and every day
 * of the period get a row, so a window nobody opened still shows. Sets the
 * process zone to the hall's. -1 with err on failure.
 */
int jh_report_init(jh_report *r, const jh_hall_config *cfg, const jh_period *period,
                   int64_t now_ms, char *err, size_t errlen);
void jh_report_free(jh_report *r);

/* Each returns 0, or -1 when out of memory. Text arguments may be "" but not NULL. */
int jh_report_add_ticket(jh_report *r, const jh_report_ticket *t);
int jh_report_add_pause(jh_report *r, int day, const char *counter, const char *staff_id,
                        const char *reason, int64_t started_at, int64_t ended_at);
int jh_report_add_session(jh_report *r, int day, const char *counter, const char *staff_id,
                          const char *staff_name, int64_t login_at, int64_t logout_at);

/* Sorts the rows and decides the hours shown. Call once, after the last add. */
void jh_report_finish(jh_report *r);

/* Satisfaction rate in % over unflagged ratings; -1 when there is none. */
double jh_group_satisfaction(const jh_report_group *g);
/* 1 the 80 % line is met, 0 not met, -1 no unflagged rating to judge by. */
int jh_group_meets_line(const jh_report_group *g);

#endif
