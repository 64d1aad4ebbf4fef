/* SPDX-License-Identifier: MIT */
/*
 * sim_day — a realistic day in a government service hall, as a pure, seeded
 * schedule: who arrives when, for what, how long their case takes, whether
 * they come when called, and when each counter's staff log in and pause.
 *
 * Owns only the schedule (no engine, no store, no clock): the same config,
 * date and seed always give the same day. sim_run.c plays it through the real
 * engine on a virtual clock. The shape (docs/engine.md "Simulated day"):
 * arrivals follow a government hall's day — a morning peak 9:00–10:30, a dip
 * at lunch, an afternoon peak 14:30–16:00 — within each service's opening
 * hours, scaled to what the counters serving it can handle; ~6 % green
 * channel; service times log-normal around each service's target; no-shows,
 * returns, transfers, voided tickets and ratings at plausible rates.
 */
#ifndef JH_SIM_DAY_H
#define JH_SIM_DAY_H

#include <stddef.h>
#include <stdint.h>

#include "hall_config.h"

#define JH_SIM_MAX_SESSIONS 4 /* stretches a counter is staffed in one day */
#define JH_SIM_MAX_PAUSES 4

typedef struct {
    int64_t arrive_at;  /* ms: when the visitor takes the ticket */
    int service;        /* index in the config */
    int kiosk;          /* index of a kiosk that offers the service */
    int priority;       /* jh_priority chosen at the kiosk */
    int flag_after_s;   /* > 0: the guide desk flags the ticket green this long after */
    int voided;         /* the printer failed: the kiosk voids the ticket at once */
    int no_show;        /* does not come when called */
    int back_after_s;   /* > 0: a no-show who returns this long after and is re-queued */
    int walk_s;         /* from the call to the counter */
    int service_s;      /* the case at the counter, once there */
    int transfer_to;    /* service index the case is handed on to, or -1 */
    int transfer_service_s; /* the case at the second service */
    int rating;         /* 0 = does not rate; else 1..5 on the rating pad */
    int rating_after_ms;
} jh_sim_visitor;

typedef struct {
    int64_t start, end; /* ms */
} jh_sim_span;

typedef struct {
    jh_sim_span sessions[JH_SIM_MAX_SESSIONS]; /* staffed: log in at start, serve until end */
    int n_sessions;
    char staff[JH_SIM_MAX_SESSIONS][JH_ID_LEN]; /* who sits there each session (AB岗) */
    jh_sim_span pauses[JH_SIM_MAX_PAUSES];      /* 暂停服务, taken when idle after start */
    int n_pauses;
} jh_sim_counter;

typedef struct {
    int date;                 /* YYYYMMDD in hall time */
    uint64_t seed;
    int64_t day_start;        /* local midnight, ms */
    jh_sim_visitor *visitors; /* by arrival time */
    int n_visitors;
    jh_sim_counter counters[JH_MAX_COUNTERS]; /* indexed like the config's counters */
    int n_counters;
} jh_sim_day;

/*
 * Builds the day. `load` scales the arrivals (1.0 = a busy but manageable
 * day: peaks above what the counters can serve, the rest of the day below).
 * Sets the process time zone to the hall's. Returns 0, or -1 with a message.
 */
int jh_sim_day_generate(const jh_hall_config *cfg, int yyyymmdd, uint64_t seed, double load,
                        jh_sim_day *day, char *err, size_t errlen);
void jh_sim_day_free(jh_sim_day *day);

#endif
