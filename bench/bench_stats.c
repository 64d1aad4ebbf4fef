/* SPDX-License-Identifier: MIT */
/*
 * bench_stats — clock and nearest-rank figures for the benchmarks (see bench_stats.h).
 */
#include "bench_stats.h"

#include <stdlib.h>
#include <time.h>

double jh_bench_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest rank in whole numbers: no rounding can move 90 % of 10 to rank 10. */
static double percentile(const double *sorted, int n, int pct)
{
    long long rank = ((long long)pct * n + 99) / 100;
    return sorted[(rank < 1 ? 1 : rank) - 1];
}

jh_bench_figures jh_bench_figures_of(double *v, int n)
{
    jh_bench_figures f = {0};
    if (n <= 0)
        return f;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += v[i];
    f.n = n;
    f.mean = sum / n;
    f.p50 = percentile(v, n, 50);
    f.p90 = percentile(v, n, 90);
    f.p99 = percentile(v, n, 99);
    f.max = v[n - 1];
    return f;
}
