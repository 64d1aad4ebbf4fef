/*
 * sim_run — plays a simulated day (sim_day.h) through the real queue engine
 * on a virtual clock.
 *
 * Owns the people's behaviour, not the rules: visitors take tickets at the
 * kiosks, staff log in, call, recall, serve, transfer, pause and log out,
 * visitors rate — each as a real jh_engine_apply at its virtual moment, each
 * counter's next action scheduled from what the engine answered (an event
 * queue, no wall clock), with jh_engine_tick every 15 virtual seconds. A day
 * runs in seconds and is the same for the same schedule. It records, per
 * visitor, the estimated wait printed on the ticket, what the simple rule
 * said at that moment, and when the ticket was first called.
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
    int simple_s;          /* the simple rule at the same moment (jh_engine_estimate) */
    int64_t called_at;     /* first call; 0 = never called */
} jh_sim_ticket;

typedef struct {
    jh_sim_ticket *tickets; /* [day->n_visitors] */
    int commands;           /* applied */
    int issued, take_refused, voided, flagged;
    int calls, recalls, no_shows, requeued, transfers, finished, ratings, pauses;
    int alerts_wait, alerts_overrun; /* alert events seen in the outbox */
    int refused;            /* refusals the staff's behaviour did not expect */
    int ewt_mismatch;       /* takes whose printed wait differs from jh_engine_estimate */
    int expired;            /* left waiting at the end (end-day) */
    int64_t ended_at;       /* virtual time of the end-day */
} jh_sim_result;

/*
 * Runs the day on engine `e` (opened on cfg). Returns 0, or -1 with a message
 * when the engine's store fails. Free the result with jh_sim_result_free.
 */
int jh_sim_run(jh_engine *e, const jh_hall_config *cfg, const jh_sim_day *day,
               jh_sim_result *res, char *err, size_t errlen);
void jh_sim_result_free(jh_sim_result *res);

#endif
