/* SPDX-License-Identifier: MIT */
/*
 * ewt — the estimated wait printed on tickets and shown on boards (ewt.h).
 *
 * Method (docs/engine.md "Estimated wait"): the queues are work, in seconds
 * of counter time (tickets × the service's recent mean). Every open counter
 * drains one queue at a time — the one its own serving order and the green
 * channel make it call from — so a counter shared by several services helps
 * a service only while the services it prefers are empty, which is what the
 * dispatch really does. The drain is followed event by event (a queue runs
 * dry, counters turn to their next service) until the work ahead of the new
 * ticket is gone. Its cost depends on the number of services and counters,
 * never on the length of the queues.
 */
#include "ewt.h"

#include <math.h>

#define EPS 1e-9
#define NONE (-1)

double jh_ewt_service_mean(double recent_mean, int n_recent, int target_service_s)
{
    if (n_recent > 0 && recent_mean > 0)
        return recent_mean;
    return target_service_s > 0 ? target_service_s : 1;
}

static int round_up(double s)
{
    s = ceil(s - EPS);
    return s > 1e9 ? 1000000000 : s < 0 ? 0 : (int)s;
}

int jh_ewt_seconds(int ahead, double mean_service_s, int open_counters)
{
    if (ahead <= 0)
        return 0;
    int n = open_counters > 0 ? open_counters : 1;
    return round_up((double)ahead * mean_service_s / n);
}

double jh_ewt_remaining(double mean_s, double elapsed_s)
{
    double left = mean_s - elapsed_s, floor = mean_s / 4;
    return left > floor ? left : floor;
}

static int serves(const jh_ewt_counter *c, int si)
{
    for (int i = 0; i < c->n_services; i++)
        if (c->services[i] == si)
            return 1;
    return 0;
}

int jh_ewt_counters_for(const jh_ewt_hall *h, int si)
{
    int n = 0;
    for (int i = 0; i < h->n_counters; i++)
        n += serves(&h->c[i], si);
    return n;
}

/* Seconds until the first open counter serving si is free. */
static double first_free(const jh_ewt_hall *h, int si)
{
    double best = HUGE_VAL;
    for (int i = 0; i < h->n_counters; i++)
        if (serves(&h->c[i], si) && h->c[i].busy_s < best)
            best = h->c[i].busy_s;
    return best > 0 ? best : 0;
}

/* Queued work per service, split by class: green[s], normal[s]. */
typedef struct {
    double green[JH_MAX_SERVICES];
    double normal[JH_MAX_SERVICES];
} work;

/* The queue counter c calls from while `w` waits: a service index (class in *green), or NONE. */
static int pick(const jh_ewt_counter *c, const work *w, int *green)
{
    for (int i = 0; i < c->n_services; i++)
        if (w->green[c->services[i]] > EPS) {
            *green = 1;
            return c->services[i];
        }
    for (int i = 0; i < c->n_services; i++)
        if (w->normal[c->services[i]] > EPS) {
            *green = 0;
            return c->services[i];
        }
    return NONE;
}

/* How many counters drain each queue while `w` waits. */
static void rates(const jh_ewt_hall *h, const work *w, work *r)
{
    *r = (work){{0}, {0}};
    for (int i = 0; i < h->n_counters; i++) {
        int g, s = pick(&h->c[i], w, &g);
        if (s != NONE)
            (g ? r->green : r->normal)[s] += 1;
    }
}

/* The time until the first queue runs dry, or the work ahead (`left`, drained at `rate`) is done. */
static double next_event(const jh_ewt_hall *h, const work *w, const work *r, double left, double rate)
{
    double dt = rate > 0 ? left / rate : HUGE_VAL;
    for (int s = 0; s < h->n_queues; s++) {
        if (r->green[s] > 0 && w->green[s] / r->green[s] < dt)
            dt = w->green[s] / r->green[s];
        if (r->normal[s] > 0 && w->normal[s] / r->normal[s] < dt)
            dt = w->normal[s] / r->normal[s];
    }
    return dt;
}

static void drain(const jh_ewt_hall *h, work *w, const work *r, double dt)
{
    for (int s = 0; s < h->n_queues; s++) {
        w->green[s] = fmax(0, w->green[s] - r->green[s] * dt);
        w->normal[s] = fmax(0, w->normal[s] - r->normal[s] * dt);
    }
}

/* The queues as work, with the new ticket at the back of its class in si. */
static void initial_work(const jh_ewt_hall *h, int si, int green, work *w)
{
    for (int s = 0; s < h->n_queues; s++) {
        const jh_ewt_queue *q = &h->q[s];
        int normal = q->waiting > q->waiting_green ? q->waiting - q->waiting_green : 0;
        w->green[s] = q->waiting_green * q->mean_s;
        w->normal[s] = normal * q->mean_s;
    }
    (green ? w->green : w->normal)[si] += h->q[si].mean_s;
}

int jh_ewt_estimate(const jh_ewt_hall *h, int si, int green)
{
    const jh_ewt_queue *q = &h->q[si];
    int ahead = green ? q->waiting_green : q->waiting;
    if (jh_ewt_counters_for(h, si) == 0)
        return jh_ewt_seconds(ahead, q->mean_s, 0);
    work w, r;
    initial_work(h, si, green, &w);
    double left = ahead * q->mean_s, t = 0;
    /* Each round empties a queue or ends: at most two rounds per service. */
    for (int round = 0; round <= 2 * h->n_queues + 1; round++) {
        rates(h, &w, &r);
        double rate = r.green[si] + (green ? 0 : r.normal[si]);
        if (left <= EPS && rate > 0)
            break;
        double dt = next_event(h, &w, &r, left, rate);
        if (dt == HUGE_VAL) /* cannot happen with a counter serving si; stay safe */
            return jh_ewt_seconds(ahead, q->mean_s, jh_ewt_counters_for(h, si));
        drain(h, &w, &r, dt);
        left = fmax(0, left - rate * dt);
        t += dt;
    }
    return round_up(t + first_free(h, si));
}
