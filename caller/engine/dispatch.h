/* SPDX-License-Identifier: MIT */
/*
 * dispatch — the green-channel policy (绿色通道) as a pure function.
 *
 * Owns: the choice, at one counter, between the heads of its queues — a
 * ticket directed at this counter, the oldest waiting green ticket and the
 * oldest waiting normal ticket — and the words that explain the choice on
 * boards and in reports. The engine finds the heads (through the store's
 * indexes) and keeps the per-counter streaks; this file only decides, so
 * every policy is testable on scripted arrivals without a database.
 */
#ifndef JH_DISPATCH_H
#define JH_DISPATCH_H

#include <stdint.h>

#include "hall_config.h"

typedef struct {
    int present;
    int64_t queue_key; /* place in time, ms */
} jh_candidate;

/* Per-counter memory of recent calls (kept in the store by the engine). */
typedef struct {
    int normal_streak; /* normal calls since the last green call */
    int green_streak;  /* green calls in a row */
} jh_streak;

typedef struct {
    jh_policy policy;
    int ratio;
    int max_consecutive;
    int ageing_s;
} jh_dispatch_params;

typedef enum { JH_PICK_NONE = 0, JH_PICK_DIRECTED, JH_PICK_GREEN, JH_PICK_NORMAL } jh_pick_kind;

typedef struct {
    jh_pick_kind pick;
    const char *rule;  /* stable word: "green-first", "ratio-normal-turn", … (docs/engine.md) */
    char text[160];    /* one English line for people: "green channel first (strict); waited 312 s" */
    int waited_s;      /* of the chosen ticket, from its queue_key */
} jh_pick;

void jh_dispatch_params_from_config(const jh_hall_config *cfg, jh_dispatch_params *p);

/* Chooses among the candidates at now_ms. Any of them may be absent. */
void jh_dispatch_choose(const jh_dispatch_params *p, const jh_streak *streak,
                        const jh_candidate *directed, const jh_candidate *green,
                        const jh_candidate *normal, int64_t now_ms, jh_pick *out);

/* Updates the streaks after a call of a green (1) or normal (0) ticket, whatever chose it. */
void jh_streak_after_call(jh_streak *streak, int green);

/* Fills a jh_pick for a call that was not the policy's choice (call {ticket}): rule "requested". */
void jh_dispatch_requested(const jh_dispatch_params *p, int64_t queue_key, int64_t now_ms,
                           jh_pick *out);

#endif
