/* SPDX-License-Identifier: MIT */
/*
 * sim_day — the seeded schedule of a simulated hall day (sim_day.h).
 *
 * Every random draw comes from a generator seeded by (seed, what it is for),
 * e.g. (seed, service, visitor number): a visitor's case does not change
 * when another service's arrivals do, and nothing depends on the order in
 * which things are generated. The rates below are the assumptions the
 * simulated day rests on; docs/engine.md lists them.
 */
#include "sim_day.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hall_time.h"

#define UTIL 0.85            /* day-average arrivals ÷ what the counters can serve */
#define GREEN_SHARE 0.06     /* green channel chosen at the kiosk */
#define DESK_FLAG_SHARE 0.01 /* ordinary tickets the guide desk flags green later */
#define VOID_SHARE 0.005     /* printer failures */
#define NO_SHOW_SHARE 0.04
#define BACK_SHARE 0.4       /* of the no-shows, those who come back */
#define TRANSFER_SHARE 0.03
#define RATING_SHARE 0.75
#define MEDIAN_OF_TARGET 0.6 /* median case ÷ target: most cases are well within it */
#define SIGMA 0.5            /* log-normal spread: ~15 % of cases overrun the target */
#define WALK_MEAN_S 45

/* ---- random numbers: splitmix64 streams ---- */

typedef struct {
    uint64_t s;
} rng;

static uint64_t next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static rng stream(uint64_t seed, uint64_t a, uint64_t b)
{
    rng r = {seed ^ (a * 0xD6E8FEB86659FD93ULL) ^ (b * 0xA0761D6478BD642FULL)};
    next(&r);
    return r;
}

/* Uniform in [0, 1). */
static double unif(rng *r) { return (double)(next(r) >> 11) * 0x1.0p-53; }

static int unif_int(rng *r, int lo, int hi) { return lo + (int)(unif(r) * (hi - lo + 1)); }

static double normal(rng *r)
{
    double u = unif(r), v = unif(r);
    return sqrt(-2 * log(1 - u)) * cos(2 * M_PI * v);
}

static int lognormal_s(rng *r, double median_s)
{
    double s = median_s * exp(SIGMA * normal(r));
    return s < 60 ? 60 : (int)s;
}

/* ---- the shape of a hall's day ---- */

/* Relative arrival intensity per half hour from 08:00 (index 0) to 18:00. */
static const double profile[20] = {
    0.5, 0.8,            /* 08:00 08:30 */
    1.4, 1.7, 1.6, 1.2,  /* 09:00–10:30 morning peak */
    0.9, 0.6,            /* 11:00 11:30 */
    0.2, 0.2, 0.3, 0.5,  /* lunch: 12:00–14:00 */
    0.8, 1.3, 1.6, 1.6,  /* 14:00 14:30–16:00 afternoon peak */
    1.0, 0.7, 0.4, 0.2,  /* 16:00–18:00 */
};

static double shape(int minute)
{
    int i = (minute - 8 * 60) / 30;
    return i >= 0 && i < 20 ? profile[i] : 0.1;
}

static int open_at(const jh_service_config *s, int wd, int minute)
{
    for (int i = 0; i < s->n_hours[wd]; i++)
        if (minute >= s->hours[wd][i].open_min && minute < s->hours[wd][i].close_min)
            return 1;
    return 0;
}

/* Tickets per hour the counters serving s could handle, a shared counter split evenly. */
static double capacity_per_h(const jh_hall_config *cfg, int si)
{
    const jh_service_config *s = &cfg->services[si];
    double mean_s = MEDIAN_OF_TARGET * s->target_service_s * exp(SIGMA * SIGMA / 2) + WALK_MEAN_S;
    double counters = 0;
    for (int c = 0; c < cfg->n_counters; c++)
        for (int k = 0; k < cfg->counters[c].n_services; k++)
            if (cfg->counters[c].services[k] == si)
                counters += 1.0 / cfg->counters[c].n_services;
    return counters * 3600 / mean_s;
}

/* ---- visitors ---- */

static int pick_kiosk(const jh_hall_config *cfg, int si, rng *r)
{
    int ok[JH_MAX_KIOSKS], n = 0;
    for (int k = 0; k < cfg->n_kiosks; k++) {
        int offers = cfg->kiosks[k].n_services == 0;
        for (int i = 0; i < cfg->kiosks[k].n_services; i++)
            offers |= cfg->kiosks[k].services[i] == si;
        if (offers)
            ok[n++] = k;
    }
    return n ? ok[unif_int(r, 0, n - 1)] : -1;
}

static int green_priority(rng *r)
{
    double u = unif(r);
    return u < 0.6 ? JH_PRIO_ELDERLY : u < 0.75 ? JH_PRIO_DISABLED : u < 0.9 ? JH_PRIO_PREGNANT
                                                                             : JH_PRIO_OTHER;
}

/* Another service some counter serves and that is open at that minute, or -1. */
static int transfer_target(const jh_hall_config *cfg, int si, int wd, int minute, rng *r)
{
    int ok[JH_MAX_SERVICES], n = 0;
    for (int s = 0; s < cfg->n_services; s++)
        if (s != si && open_at(&cfg->services[s], wd, minute) && capacity_per_h(cfg, s) > 0)
            ok[n++] = s;
    return n ? ok[unif_int(r, 0, n - 1)] : -1;
}

static int rating_score(rng *r)
{
    double u = unif(r);
    return u < 0.70 ? 5 : u < 0.88 ? 4 : u < 0.95 ? 3 : u < 0.98 ? 2 : 1;
}

/* Everything about one visitor's case, from its own stream. */
static void visitor_case(const jh_hall_config *cfg, const jh_sim_day *d, int wd, jh_sim_visitor *v,
                         rng *r)
{
    const jh_service_config *s = &cfg->services[v->service];
    int minute = (int)((v->arrive_at - d->day_start) / 60000);
    v->kiosk = pick_kiosk(cfg, v->service, r);
    v->priority = unif(r) < GREEN_SHARE ? green_priority(r) : JH_PRIO_NONE;
    v->flag_after_s = !v->priority && unif(r) < DESK_FLAG_SHARE ? unif_int(r, 60, 600) : 0;
    v->voided = unif(r) < VOID_SHARE;
    v->no_show = unif(r) < NO_SHOW_SHARE;
    v->back_after_s = v->no_show && unif(r) < BACK_SHARE ? unif_int(r, 300, 1800) : 0;
    v->walk_s = unif_int(r, 15, 2 * WALK_MEAN_S - 15);
    v->service_s = lognormal_s(r, MEDIAN_OF_TARGET * s->target_service_s);
    v->transfer_to = unif(r) < TRANSFER_SHARE ? transfer_target(cfg, v->service, wd, minute, r) : -1;
    v->transfer_service_s = v->transfer_to >= 0
        ? lognormal_s(r, MEDIAN_OF_TARGET * cfg->services[v->transfer_to].target_service_s) : 0;
    v->rating = unif(r) < RATING_SHARE ? rating_score(r) : 0;
    /* now and then a visitor presses before the screen is ready: a "too-fast" flag */
    v->rating_after_ms = unif(r) < 0.02 ? unif_int(r, 200, 900) : unif_int(r, 2000, 20000);
}

static int push_visitor(jh_sim_day *d, int *cap, const jh_sim_visitor *v)
{
    if (d->n_visitors == *cap) {
        int n = *cap ? *cap * 2 : 512;
        jh_sim_visitor *p = realloc(d->visitors, (size_t)n * sizeof *p);
        if (!p)
            return -1;
        d->visitors = p;
        *cap = n;
    }
    d->visitors[d->n_visitors++] = *v;
    return 0;
}

/* Mean of the shape over the minutes service s is open on weekday wd (0 when closed). */
static double open_shape_mean(const jh_service_config *s, int wd)
{
    double sum = 0;
    int n = 0;
    for (int m = 0; m < 24 * 60; m++)
        if (open_at(s, wd, m)) {
            sum += shape(m);
            n++;
        }
    return n ? sum / n : 0;
}

/* Arrivals of one service: a Poisson process thinned to the day's shape. */
static int service_arrivals(const jh_hall_config *cfg, jh_sim_day *d, int wd, int si, double load,
                            int *cap)
{
    double fbar = open_shape_mean(&cfg->services[si], wd);
    double per_h = load * UTIL * capacity_per_h(cfg, si);
    if (fbar <= 0 || per_h <= 0)
        return 0;
    double max_per_min = per_h / 60 * 1.7 / fbar; /* 1.7: the profile's highest value */
    rng r = stream(d->seed, 1000 + (uint64_t)si, 0);
    int k = 0;
    for (double t = 0;;) {
        t += -log(1 - unif(&r)) / max_per_min;
        int minute = (int)t;
        if (minute >= 24 * 60)
            return 0;
        if (!open_at(&cfg->services[si], wd, minute) ||
            unif(&r) * 1.7 >= shape(minute))
            continue;
        jh_sim_visitor v = {.service = si, .arrive_at = d->day_start + (int64_t)(t * 60000)};
        rng vr = stream(d->seed, 2000 + (uint64_t)si, (uint64_t)k++);
        visitor_case(cfg, d, wd, &v, &vr);
        if (push_visitor(d, cap, &v) < 0)
            return -1;
    }
}

static int by_arrival(const void *a, const void *b)
{
    const jh_sim_visitor *x = a, *y = b;
    if (x->arrive_at != y->arrive_at)
        return x->arrive_at < y->arrive_at ? -1 : 1;
    return x->service - y->service;
}

/* ---- counters ---- */

/* The stretches in which any of counter c's services is open, merged. */
static void counter_windows(const jh_hall_config *cfg, int c, int wd, jh_sim_counter *sc,
                            int64_t day_start)
{
    int open = -1;
    sc->n_sessions = 0;
    for (int m = 0; m <= 24 * 60; m++) {
        int any = 0;
        for (int k = 0; m < 24 * 60 && k < cfg->counters[c].n_services; k++)
            any |= open_at(&cfg->services[cfg->counters[c].services[k]], wd, m);
        if (any && open < 0)
            open = m;
        if (!any && open >= 0) {
            if (sc->n_sessions < JH_SIM_MAX_SESSIONS) {
                sc->sessions[sc->n_sessions].start = day_start + (int64_t)open * 60000;
                sc->sessions[sc->n_sessions++].end = day_start + (int64_t)m * 60000;
            }
            open = -1;
        }
    }
}

static void counter_staffing(const jh_hall_config *cfg, int c, jh_sim_counter *sc, rng *r)
{
    for (int i = 0; i < sc->n_sessions; i++) {
        jh_sim_span *s = &sc->sessions[i];
        s->start -= unif_int(r, 0, 10) * 60000LL; /* staff are at the desk before opening */
        /* AB岗: now and then colleague B covers a stretch */
        snprintf(sc->staff[i], sizeof sc->staff[i], "%c%02d", i > 0 && unif(r) < 0.25 ? 'b' : 's',
                 cfg->counters[c].number % 100);
        int n = unif(r) < 0.4 ? 0 : unif(r) < 0.67 ? 1 : 2;
        int64_t len = s->end - s->start;
        for (int k = 0; k < n && sc->n_pauses < JH_SIM_MAX_PAUSES && len > 3600000; k++) {
            jh_sim_span *p = &sc->pauses[sc->n_pauses++];
            p->start = s->start + 1800000 + (int64_t)(unif(r) * (double)(len - 3600000));
            p->end = p->start + unif_int(r, 5, 15) * 60000LL;
        }
    }
}

/* ---- the day ---- */

/* Local midnight of the date in the process zone (the hall's), and its weekday. */
static int64_t local_midnight(int yyyymmdd, int *weekday)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = yyyymmdd / 10000 - 1900;
    tm.tm_mon = yyyymmdd / 100 % 100 - 1;
    tm.tm_mday = yyyymmdd % 100;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    *weekday = tm.tm_wday;
    return (int64_t)t * 1000;
}

int jh_sim_day_generate(const jh_hall_config *cfg, int yyyymmdd, uint64_t seed, double load,
                        jh_sim_day *day, char *err, size_t errlen)
{
    int wd, cap = 0;
    memset(day, 0, sizeof *day);
    if (cfg->timezone[0] && jh_time_set_zone(cfg->timezone, err, errlen) < 0)
        return -1;
    day->date = yyyymmdd;
    day->seed = seed;
    day->day_start = local_midnight(yyyymmdd, &wd);
    for (int si = 0; si < cfg->n_services; si++)
        if (service_arrivals(cfg, day, wd, si, load, &cap) < 0) {
            snprintf(err, errlen, "out of memory");
            jh_sim_day_free(day);
            return -1;
        }
    qsort(day->visitors, (size_t)day->n_visitors, sizeof *day->visitors, by_arrival);
    day->n_counters = cfg->n_counters;
    for (int c = 0; c < cfg->n_counters; c++) {
        rng r = stream(seed, 3000 + (uint64_t)c, 0);
        counter_windows(cfg, c, wd, &day->counters[c], day->day_start);
        counter_staffing(cfg, c, &day->counters[c], &r);
    }
    return 0;
}

void jh_sim_day_free(jh_sim_day *day)
{
    free(day->visitors);
    day->visitors = NULL;
    day->n_visitors = 0;
}
