/* SPDX-License-Identifier: MIT */
/*
 * report_stats — the arithmetic of the assessment reports: a bag of durations
 * and what the reports say about it (count, mean, median, p90, max).
 *
 * Owns only numbers; it knows nothing of tickets, SQL or files. report_model
 * fills one sample per figure and group, the CSV and chart writers read the
 * summary. The definitions are the ones docs/reports.md promises:
 *   median = the middle value, or the mean of the two middle values;
 *   p90    = nearest rank: the value at rank ceil(0.9 × n) of the sorted values,
 *            i.e. the smallest value that at least 90 % of the values do not exceed.
 */
#ifndef JH_REPORT_STATS_H
#define JH_REPORT_STATS_H

#include <stddef.h>

typedef struct {
    double *v;
    int n, cap;
    int sorted;
} jh_sample;

typedef struct {
    int n;            /* 0: the other fields are 0 and mean nothing */
    double mean, median, p90, max;
} jh_summary;

/* Adds one value. -1 when out of memory (the sample is unchanged). */
int jh_sample_add(jh_sample *s, double value);
void jh_sample_free(jh_sample *s);

/* Sorts the sample in place (once) and summarises it. */
jh_summary jh_sample_summary(jh_sample *s);

/* Nearest-rank percentile (0 < p <= 100) of a sorted array of n > 0 values. */
double jh_percentile_sorted(const double *v, int n, double p);

#endif
