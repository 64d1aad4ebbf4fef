/* SPDX-License-Identifier: MIT */
/*
 * engine_rating — rate: a visitor's score of the case just finished at a counter.
 *
 * Owns: which ticket a rating is about (the counter's last finished one, once),
 * and the flags that mark a rating suspicious (docs/hall-rules.md, 擅自按键评价):
 * pressed on the staff keypad, too soon after finish, part of an identical run
 * (rating_rule.c judges the run).
 */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rating_rule.h"

#define TOO_FAST_MS 1000 /* a rating this soon after finish was not the visitor's */

/* The ticket a rating at counter c is about. 1 = found. */
static int rating_target(eng_op *x, const jh_counter_row *c, jh_ticket *t)
{
    int rc = c->last_finished_id ? jh_store_ticket_by_id(x->st, c->last_finished_id, t) : 0;
    if (rc < 0)
        return -1;
    if (rc == 0 || (x->cmd->ticket[0] && strcmp(x->cmd->ticket, t->label) != 0))
        return eng_refuse(x, "no-ticket-to-rate", "no finished ticket %s at counter %s to rate",
                          x->cmd->ticket, c->id);
    if (t->rating)
        return eng_refuse(x, "already-rated", "ticket %s was already rated", t->label);
    return 1;
}

static void add_flag(jh_event_payload *ev, const char *flag)
{
    if (ev->n_flags < JH_RATING_FLAGS_CAP)
        snprintf(ev->flags[ev->n_flags++], sizeof ev->flags[0], "%s", flag);
}

/* The flags as the ticket keeps them: the same JSON array the event carries. */
static int flags_text(const jh_event_payload *ev, char *buf, size_t len)
{
    cJSON *arr = cJSON_CreateArray();
    for (int i = 0; arr && i < ev->n_flags; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(ev->flags[i]));
    char *text = arr ? cJSON_PrintUnformatted(arr) : NULL;
    cJSON_Delete(arr);
    if (!text)
        return -1;
    snprintf(buf, len, "%s", text);
    free(text);
    return 0;
}

/* Judges the score (flags into ev) and records it on the ticket and the counter's run. */
static int rating_flags(eng_op *x, jh_counter_row *c, jh_ticket *t, jh_event_payload *ev)
{
    int score = x->cmd->score;
    int64_t others[6];
    if (jh_store_scores_others(x->st, x->day, c->id, others) < 0 ||
        jh_store_score_add(x->st, x->day, c->id, score) < 0)
        return -1;
    c->score_run = c->last_score == score ? c->score_run + 1 : 1;
    c->last_score = score;
    if (x->cmd->rate_source == JH_RATE_SRC_STAFF_KEYPAD)
        add_flag(ev, JH_FLAG_STAFF_KEYPAD);
    if (x->now - t->finished_at < TOO_FAST_MS)
        add_flag(ev, JH_FLAG_TOO_FAST);
    if (jh_rating_run_suspicious(score, c->score_run, others))
        add_flag(ev, JH_FLAG_IDENTICAL_RUN);
    if (flags_text(ev, t->rating_flags, sizeof t->rating_flags) < 0)
        return -1;
    t->rating = score;
    t->rated_at = x->now;
    t->rating_suspicious = ev->n_flags > 0;
    return 0;
}

int eng_op_rate(eng_op *x)
{
    jh_counter_row c;
    jh_ticket t;
    jh_event_payload ev;
    if (x->cmd->score < 1 || x->cmd->score > 5)
        return eng_refuse(x, "bad-field", "score must be 1..5");
    int rc = eng_load_counter(x, &c) < 0 ? -1 : rating_target(x, &c, &t);
    if (rc <= 0)
        return rc;
    eng_event_init(x, JH_EVENT_RATED, &ev);
    if (rating_flags(x, &c, &t, &ev) < 0)
        return -1;
    snprintf(ev.ticket, sizeof ev.ticket, "%s", t.label);
    eng_counter_ident(x->cfg, c.id, &ev);
    snprintf(ev.staff_id, sizeof ev.staff_id, "%s", t.staff_id);
    ev.score = t.rating;
    ev.suspicious = t.rating_suspicious;
    jh_day_stats d = {.ratings = 1, .ratings_flagged = t.rating_suspicious,
                      .satisfied = !t.rating_suspicious && t.rating >= 4};
    if (jh_store_ticket_update(x->st, &t) < 0 || jh_store_counter_put(x->st, &c) < 0 ||
        eng_stats_add(x, &d) < 0)
        return -1;
    return eng_event_emit(x, &ev, 1);
}
