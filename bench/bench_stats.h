/* SPDX-License-Identifier: MIT */
/*
 * bench_stats — the benchmarks' clock and the figures they print from a set
 * of timings.
 *
 * Owns: one monotonic clock in milliseconds, and one definition of the
 * figures every bench prints, so a p50 or a p99 means the same in every table
 * of docs/performance.md. Percentiles are nearest rank: the value at rank
 * ceil(p/100 × n) of the sorted timings, i.e. the smallest timing that at
 * least p % of them do not exceed (the rule the reports use, docs/reports.md).
 */
#ifndef JH_BENCH_STATS_H
#define JH_BENCH_STATS_H

typedef struct {
    int n;                  /* timings summarised; 0: the others are 0 */
    double mean, p50, p90, p99, max;
} jh_bench_figures;

/* Milliseconds on CLOCK_MONOTONIC (sub-microsecond resolution). */
double jh_bench_now_ms(void);

/* Sorts v[0..n) in place and summarises it. */
jh_bench_figures jh_bench_figures_of(double *v, int n);

#endif
