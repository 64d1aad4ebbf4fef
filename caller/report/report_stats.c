/* SPDX-License-Identifier: MIT */
/*
 * report_stats — samples of durations and their summaries (see report_stats.h).
 */
#include "report_stats.h"

#include <math.h>
#include <stdlib.h>

int jh_sample_add(jh_sample *s, double value)
{
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 16;
        double *v = realloc(s->v, (size_t)cap * sizeof *v);
        if (!v)
            return -1;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = value;
    s->sorted = 0;
    return 0;
}

void jh_sample_free(jh_sample *s)
{
    free(s->v);
    *s = (jh_sample){0};
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double jh_percentile_sorted(const double *v, int n, double p)
{
    /* the small epsilon keeps 0.9 × 10 = 9 from becoming rank 10 through rounding */
    int rank = (int)ceil(p / 100.0 * n - 1e-9);
    if (rank < 1)
        rank = 1;
    return v[(rank > n ? n : rank) - 1];
}

jh_summary jh_sample_summary(jh_sample *s)
{
    jh_summary r = {0};
    if (s->n == 0)
        return r;
    if (!s->sorted) {
        qsort(s->v, (size_t)s->n, sizeof *s->v, cmp_double);
        s->sorted = 1;
    }
    double sum = 0;
    for (int i = 0; i < s->n; i++)
        sum += s->v[i];
    r.n = s->n;
    r.mean = sum / s->n;
    r.median = s->n % 2 ? s->v[s->n / 2] : (s->v[s->n / 2 - 1] + s->v[s->n / 2]) / 2;
    r.p90 = jh_percentile_sorted(s->v, s->n, 90);
    r.max = s->v[s->n - 1];
    return r;
}
