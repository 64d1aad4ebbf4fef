/* SPDX-License-Identifier: MIT */
/*
 * ewt — the estimated wait printed on tickets and shown on boards.
 *
 * Owns the arithmetic only: the engine gathers a snapshot of the hall from
 * the store (queues, recent service times, open counters and how long their
 * current service still has to run) and asks here how long a new ticket will
 * wait. Kept apart so the method can be read, tested and changed in one place
 * (docs/engine.md "Estimated wait"); bench/bench_ewt measures it against the
 * simple rule on simulated days.
 */
#ifndef JH_EWT_H
#define JH_EWT_H

#include "hall_config.h"

/* How many recent finished tickets of a service the mean is taken over. */
#define JH_EWT_SAMPLE 20

/*
 * Mean service time of a service: the mean of its recent service times when
 * there are any (n_recent > 0), else its configured target (at least 1 s).
 */
double jh_ewt_service_mean(double recent_mean, int n_recent, int target_service_s);

/*
 * The simple rule: ahead × mean service time ÷ counters open for the service,
 * rounded up. With no counter open it assumes one will open: a pessimistic
 * figure is better on a printed ticket than none. Kept as the fallback and as
 * the yardstick the bench measures the estimator against.
 */
int jh_ewt_seconds(int ahead, double mean_service_s, int open_counters);

/* One service's queue now. */
typedef struct {
    int waiting;       /* all waiting tickets, green ones included */
    int waiting_green;
    double mean_s;     /* expected seconds a counter spends per ticket (jh_ewt_service_mean) */
} jh_ewt_queue;

/* One counter that is logged in and not paused. */
typedef struct {
    int services[JH_MAX_SERVICES]; /* indexes into the queues, in the counter's serving order */
    int n_services;
    double busy_s;                 /* seconds until its current service should end; 0 = free */
} jh_ewt_counter;

typedef struct {
    int n_queues;
    jh_ewt_queue q[JH_MAX_SERVICES];   /* indexed like the config's services */
    int n_counters;
    jh_ewt_counter c[JH_MAX_COUNTERS]; /* open counters only */
} jh_ewt_hall;

/*
 * Expected remaining seconds of a service that has run `elapsed_s` of an
 * expected `mean_s`: what is left of the mean, but never less than a quarter
 * of it — a case already past its mean is not about to end (the times are
 * skewed: long cases run long).
 */
double jh_ewt_remaining(double mean_s, double elapsed_s);

/* Open counters in h that serve service si. */
int jh_ewt_counters_for(const jh_ewt_hall *h, int si);

/*
 * Seconds until a ticket taken now in service si (green or not) is called.
 * The hall's counters drain the queues as a fluid, each counter working on
 * the first of its services (in its own order) that has green tickets, else
 * the first that has any; the ticket is called when the work queued before
 * it in its service is done and a counter turns to it, plus the time until
 * the first counter serving it comes free. With no counter open for si,
 * the simple rule with one counter.
 */
int jh_ewt_estimate(const jh_ewt_hall *h, int si, int green);

#endif
