/*
 * ewt — the estimated wait printed on tickets and shown on boards.
 *
 * Owns the arithmetic only: the engine gathers the inputs from the store
 * (recent service times, open counters, people ahead). Kept apart so the
 * method can be read, tested and changed in one place (docs/engine.md).
 */
#ifndef JH_EWT_H
#define JH_EWT_H

/* How many recent finished tickets of a service the mean is taken over. */
#define JH_EWT_SAMPLE 20

/*
 * Mean service time of a service: the mean of its recent service times when
 * there are any (n_recent > 0), else its configured target (at least 1 s).
 */
double jh_ewt_service_mean(double recent_mean, int n_recent, int target_service_s);

/*
 * Seconds until a ticket with `ahead` people before it is called, when
 * `open_counters` counters (logged in, not paused) serve its service. With no
 * counter open the estimate assumes one will open: a pessimistic figure is
 * better on a printed ticket than none.
 */
int jh_ewt_seconds(int ahead, double mean_service_s, int open_counters);

#endif
