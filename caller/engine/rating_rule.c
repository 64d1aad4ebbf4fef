/* SPDX-License-Identifier: MIT */
/*
 * rating_rule — the identical-run test for ratings (see rating_rule.h).
 *
 * Under honest rating, each rating is score s with probability p_s, the share
 * of s among the other counters' ratings today, smoothed by a uniform prior so
 * that the first ratings of a morning do not make a score look impossible.
 * After the first rating of a run, the chance that the next run-1 are the same
 * is p_s^(run-1); below 1/JH_RUN_ODDS the run is flagged.
 */
#include "rating_rule.h"

#include <math.h>

static double share(int score, const int64_t others[6])
{
    double total = 0;
    for (int s = 1; s <= 5; s++)
        total += others[s] > 0 ? (double)others[s] : 0;
    double n = others[score] > 0 ? (double)others[score] : 0;
    return (n + JH_RUN_PRIOR) / (total + 5.0 * JH_RUN_PRIOR);
}

int jh_rating_run_threshold(int score, const int64_t others[6])
{
    if (score < 1 || score > 5)
        return JH_RUN_MIN;
    double p = share(score, others);
    /* Smallest run with p^(run-1) < 1/ODDS; p < 1 always thanks to the prior. */
    double steps = log(1.0 / JH_RUN_ODDS) / log(p);
    int run = (int)floor(steps) + 2;
    if (run > 1000000)
        run = 1000000;
    return run < JH_RUN_MIN ? JH_RUN_MIN : run;
}

int jh_rating_run_suspicious(int score, int run, const int64_t others[6])
{
    if (score < 1 || score > 5 || run < JH_RUN_MIN)
        return 0;
    return run >= jh_rating_run_threshold(score, others);
}
