/* SPDX-License-Identifier: MIT */
/*
 * rating_rule — when a run of identical ratings at one counter is suspicious.
 *
 * docs/hall-rules.md (擅自按键评价): ratings pressed by staff on the visitor's
 * behalf must be flagged, and "many identical in a row" is one sign of it.
 * A fixed run length cannot tell the two apart: where most visitors honestly
 * press 非常满意, five 5s in a row happen all day long (a fixed rule of 5
 * flagged about 9 % of honest ratings in a simulated week), while five 1s in a
 * row are remarkable. So the length that counts as "many" comes from how
 * common the score is among the ratings the OTHER counters received today:
 * a run is flagged when honest visitors would produce it less than once in
 * JH_RUN_ODDS times. The counter's own ratings are left out so that a counter
 * pressing 5 all day cannot make 5s look ordinary.
 *
 * Pure: no store, no clock. The engine passes the counts in.
 */
#ifndef JH_RATING_RULE_H
#define JH_RATING_RULE_H

#include <stdint.h>

#define JH_RUN_MIN 5      /* never flag a run shorter than this */
#define JH_RUN_ODDS 1000  /* flag when honest visitors give the run less than 1 in this */
#define JH_RUN_PRIOR 2    /* pseudo-ratings per score before any are seen (uniform prior) */

/* others[1..5]: today's ratings of each score at the other counters ([0] unused).
 * run: the length of the run of `score` at this counter, this rating included.
 * 1 when the run is suspicious. Out-of-range input is never suspicious. */
int jh_rating_run_suspicious(int score, int run, const int64_t others[6]);

/* The shortest suspicious run of `score` given the same counts (for reports and
 * docs); JH_RUN_MIN at the least. */
int jh_rating_run_threshold(int score, const int64_t others[6]);

#endif
