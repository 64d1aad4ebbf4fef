/* SPDX-License-Identifier: MIT */
/*
 * sim_run — plays a simulated day (sim_day.h) through a real hall on a
 * virtual clock.
 *
 * Owns the people's behaviour, not the rules: visitors take tickets at the
 * kiosks, staff log in, call, recall, serve, transfer, pause and log out,
 * visitors rate — each a real command at its virtual moment, each counter's
 * next action scheduled from what the hall answered (an event queue, no wall
 * clock). The hall is either the engine in this process (jh_sim_run) or a
 * jiaohao-caller --sim-clock reached over MQTT (sim_mqtt.h): the driver only
 * sends commands and moves the hall's clock (sim_clock.h), so the same
 * schedule gives the same store either way. It records, per visitor, the
 * estimated wait printed on the ticket, what the simple rule said at that
 * moment (when the hall can tell), and when the ticket was first called.
 */
#ifndef JH_SIM_RUN_H
#define JH_SIM_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "sim_day.h"

/* One visitor's ticket, at the visitor's index in the day. */
typedef struct {
    char label[JH_ID_LEN]; /* "" when the take was refused */
    int green;             /* at the take */
    int64_t issued_at;
    int ewt_s;             /* printed on the ticket */
    int simple_s;          /* the simple rule at the same moment (jh_engine_estimate); -1 over MQTT */
    int64_t called_at;     /* first call; 0 = never called */
} jh_sim_ticket;

typedef struct {
    jh_sim_ticket *tickets; /* [day->n_visitors] */
    int commands;           /* applied */
    int issued, take_refused, voided, flagged;
    int calls, recalls, no_shows, requeued, transfers, finished, ratings, pauses;
    int alerts_wait, alerts_overrun; /* alert events seen in the outbox */
    int refused;            /* refusals the staff's behaviour did not expect */
    int ewt_mismatch;       /* takes whose printed wait differs from jh_engine_estimate (engine only) */
    int expired;            /* left waiting at the end (end-day) */
    int64_t ended_at;       /* virtual time of the end-day */
} jh_sim_result;

/*
 * Where the day is played. The driver calls these one at a time and waits
 * for each; the hall's clock starts unset and is first moved to the business
 * day's start (jh_sim_clock_day_start) or the first action, if earlier.
 */
typedef struct {
    void *ctx;
    /* Applies cmd as `origin` at the hall's clock: the reply JSON (malloc'd),
     * or NULL with err when the hall itself failed (store, broker, no reply). */
    char *(*send)(void *ctx, const jh_origin *origin, const jh_command *cmd, char *err,
                  size_t errlen);
    /* Moves the hall's clock forward to `to`, ticking as sim_clock.h says. 0, or -1 with err. */
    int (*advance)(void *ctx, int64_t to, char *err, size_t errlen);
    /* What a ticket taken now would be promised; NULL when the hall cannot say (MQTT). */
    int (*estimate)(void *ctx, int service, int green, jh_estimate *out);
    /* The alerts the hall has sent so far. */
    void (*alerts)(void *ctx, int *long_wait, int *overrun);
} jh_sim_hall;

/* Plays the day in `hall` (configured as cfg). 0, or -1 with a message. Free with jh_sim_result_free. */
int jh_sim_play(const jh_sim_hall *hall, const jh_hall_config *cfg, const jh_sim_day *day,
                jh_sim_result *res, char *err, size_t errlen);

/*
 * Plays the day on engine `e` (opened on cfg) directly (sim_engine.c): every
 * command a jh_engine_apply at its virtual moment. -1 with a message when
 * the engine's store fails.
 */
int jh_sim_run(jh_engine *e, const jh_hall_config *cfg, const jh_sim_day *day,
               jh_sim_result *res, char *err, size_t errlen);
void jh_sim_result_free(jh_sim_result *res);

#endif
