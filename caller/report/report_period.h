/* SPDX-License-Identifier: MIT */
/*
 * report_period — which business days a report covers.
 *
 * Owns the reading of --day YYYY-MM-DD, --week YYYY-MM-DD and --month YYYY-MM
 * into an inclusive range of business days (YYYYMMDD, the `day` column of the
 * store) and the label printed on every report. A week is the Monday-to-Sunday
 * week holding the date given. Dates are calendar dates: no clock or time zone
 * is involved, so a period means the same thing on any machine.
 */
#ifndef JH_REPORT_PERIOD_H
#define JH_REPORT_PERIOD_H

#include <stddef.h>

typedef enum { JH_PERIOD_DAY = 0, JH_PERIOD_WEEK, JH_PERIOD_MONTH } jh_period_kind;

typedef struct {
    jh_period_kind kind;
    int first_day;   /* YYYYMMDD, inclusive */
    int last_day;    /* YYYYMMDD, inclusive */
    int n_days;
    char label[48];  /* "2026-11-23", "2026-11-23 – 2026-11-29", "2026-11" */
} jh_period;

/* Reads `text` as the argument of --day/--week/--month. 0, or -1 with a reason in err. */
int jh_period_parse(jh_period_kind kind, const char *text, jh_period *p, char *err, size_t errlen);

/* The business day `n` calendar days after `yyyymmdd` (n may be negative). */
int jh_day_add(int yyyymmdd, int n);

/* "2026-11-23" for 20261123, into buf (at least 11 bytes). Returns buf. */
char *jh_day_text(int yyyymmdd, char *buf, size_t len);

#endif
