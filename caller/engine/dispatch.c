/* SPDX-License-Identifier: MIT */
/*
 * dispatch — the green-channel policy (绿色通道) as a pure function.
 *
 * Every policy calls green first except where it must not, so that the
 * elderly, disabled and pregnant are served first without anyone else being
 * starved: ratio bounds the wait of green tickets instead (N normal, 1 green),
 * max-consecutive and ageing bound the wait of normal ones. The rules and
 * their words are listed in docs/engine.md; displays and reports show them.
 */
#include "dispatch.h"

#include <stdio.h>
#include <string.h>

void jh_dispatch_params_from_config(const jh_hall_config *cfg, jh_dispatch_params *p)
{
    p->policy = cfg->policy;
    p->ratio = cfg->ratio;
    p->max_consecutive = cfg->max_consecutive;
    p->ageing_s = cfg->ageing_s;
}

static int waited_s(const jh_candidate *c, int64_t now_ms)
{
    int64_t ms = now_ms - c->queue_key;
    return ms > 0 ? (int)(ms / 1000) : 0;
}

static void pick(jh_pick *out, jh_pick_kind kind, const char *rule, const jh_candidate *c,
                 int64_t now_ms)
{
    out->pick = kind;
    out->rule = rule;
    out->waited_s = waited_s(c, now_ms);
}

/* Both kinds wait: the policy decides. Returns the rule chosen. */
static void choose_between(const jh_dispatch_params *p, const jh_streak *streak,
                           const jh_candidate *green, const jh_candidate *normal, int64_t now_ms,
                           jh_pick *out)
{
    switch (p->policy) {
    case JH_POLICY_RATIO:
        if (streak->normal_streak >= p->ratio)
            pick(out, JH_PICK_GREEN, "ratio-green-turn", green, now_ms);
        else
            pick(out, JH_PICK_NORMAL, "ratio-normal-turn", normal, now_ms);
        return;
    case JH_POLICY_MAX_CONSECUTIVE:
        if (streak->green_streak >= p->max_consecutive)
            pick(out, JH_PICK_NORMAL, "max-consecutive-reached", normal, now_ms);
        else
            pick(out, JH_PICK_GREEN, "green-first", green, now_ms);
        return;
    case JH_POLICY_AGEING:
        /* An aged normal ticket competes by place in time; a green one queued
         * even earlier still goes first, so ageing never demotes green. */
        if (waited_s(normal, now_ms) >= p->ageing_s && normal->queue_key < green->queue_key)
            pick(out, JH_PICK_NORMAL, "aged-normal", normal, now_ms);
        else
            pick(out, JH_PICK_GREEN, "green-first", green, now_ms);
        return;
    case JH_POLICY_STRICT:
        break;
    }
    pick(out, JH_PICK_GREEN, "green-first", green, now_ms);
}

static void explain(const jh_dispatch_params *p, const jh_streak *streak, jh_pick *out)
{
    const char *pol = jh_policy_name(p->policy);
    const char *r = out->rule;
    int w = out->waited_s;
    if (!strcmp(r, "directed"))
        snprintf(out->text, sizeof out->text, "transferred to this counter; waited %d s", w);
    else if (!strcmp(r, "only-green"))
        snprintf(out->text, sizeof out->text, "only green channel waiting (%s); waited %d s", pol, w);
    else if (!strcmp(r, "only-normal"))
        snprintf(out->text, sizeof out->text, "only normal tickets waiting (%s); waited %d s", pol, w);
    else if (!strcmp(r, "ratio-green-turn"))
        snprintf(out->text, sizeof out->text,
                 "green channel turn after %d normal calls (ratio %d:1); waited %d s",
                 streak->normal_streak, p->ratio, w);
    else if (!strcmp(r, "ratio-normal-turn"))
        snprintf(out->text, sizeof out->text,
                 "normal turn, %d of %d before the next green (ratio %d:1); waited %d s",
                 streak->normal_streak + 1, p->ratio, p->ratio, w);
    else if (!strcmp(r, "max-consecutive-reached"))
        snprintf(out->text, sizeof out->text,
                 "normal ticket after %d green calls in a row (max-consecutive %d); waited %d s",
                 streak->green_streak, p->max_consecutive, w);
    else if (!strcmp(r, "aged-normal"))
        snprintf(out->text, sizeof out->text,
                 "normal ticket waited over %d s, earlier than the green head (ageing); waited %d s",
                 p->ageing_s, w);
    else
        snprintf(out->text, sizeof out->text, "green channel first (%s); waited %d s", pol, w);
}

void jh_dispatch_choose(const jh_dispatch_params *p, const jh_streak *streak,
                        const jh_candidate *directed, const jh_candidate *green,
                        const jh_candidate *normal, int64_t now_ms, jh_pick *out)
{
    memset(out, 0, sizeof *out);
    out->rule = "none";
    if (directed && directed->present)
        pick(out, JH_PICK_DIRECTED, "directed", directed, now_ms);
    else if (green && green->present && normal && normal->present)
        choose_between(p, streak, green, normal, now_ms, out);
    else if (green && green->present)
        pick(out, JH_PICK_GREEN, "only-green", green, now_ms);
    else if (normal && normal->present)
        pick(out, JH_PICK_NORMAL, "only-normal", normal, now_ms);
    else {
        snprintf(out->text, sizeof out->text, "nobody waiting");
        return;
    }
    explain(p, streak, out);
}

void jh_streak_after_call(jh_streak *streak, int green)
{
    if (green) {
        streak->green_streak++;
        streak->normal_streak = 0;
    } else {
        streak->normal_streak++;
        streak->green_streak = 0;
    }
}

void jh_dispatch_requested(const jh_dispatch_params *p, int64_t queue_key, int64_t now_ms,
                           jh_pick *out)
{
    jh_candidate c = {1, queue_key};
    memset(out, 0, sizeof *out);
    out->pick = JH_PICK_NORMAL;
    out->rule = "requested";
    out->waited_s = waited_s(&c, now_ms);
    snprintf(out->text, sizeof out->text, "called by ticket number at the counter (%s); waited %d s",
             jh_policy_name(p->policy), out->waited_s);
}
