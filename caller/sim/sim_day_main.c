/* SPDX-License-Identifier: MIT */
/*
 * jiaohao-sim-day — fills a caller store with one realistic simulated day.
 *
 *   jiaohao-sim-day --config FILE (--db FILE | --mqtt) --date YYYY-MM-DD --seed N [--load X]
 *
 * Generates the day (sim_day.c) and plays it (sim_run.c) on a virtual clock,
 * either through the engine on the store FILE directly (sim_engine.c), or
 * with --mqtt through the hall's broker and a jiaohao-caller started with
 * --sim-clock (sim_mqtt.c) — the same day, the same store. So jiaohao-report
 * and the demo have a store that looks like a hall's. Days may be added one
 * after another to the same store, in date order. Prints what happened and
 * how long it took; exits non-zero with one line on bad input or a failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <time.h>

#include "engine.h"
#include "hall_time.h"
#include "sim_day.h"
#include "sim_mqtt.h"
#include "sim_run.h"

#define CALLER_WAIT_S 15 /* for jiaohao-caller to be online, when it was started just before */

typedef struct {
    const char *config, *db, *date;
    int mqtt;
    unsigned long long seed;
    double load;
} options;

static void usage(FILE *f)
{
    fprintf(f, "usage: jiaohao-sim-day --config FILE (--db FILE | --mqtt) --date YYYY-MM-DD"
               " --seed N [--load X]\n"
               "  Fills a caller store with one simulated day of the hall in --config FILE\n"
               "  (default assets/hall.ini).\n"
               "  --db FILE  through the real queue engine on the store FILE\n"
               "  --mqtt     through the hall's broker and a running jiaohao-caller started with\n"
               "             --sim-clock DATE (test/simulation only), as its kiosks, counters\n"
               "             (via the bridge login) and admin; the same seed gives the same\n"
               "             store as --db\n"
               "  --load scales the arrivals (default 1.0: busy peaks). Add days in date order.\n");
}

static int parse_number(const char *what, const char *v, double lo, double hi, double *out)
{
    char *end;
    *out = v ? strtod(v, &end) : 0;
    if (!v || !*v || *end || *out < lo || *out > hi) {
        fprintf(stderr, "jiaohao-sim-day: %s: '%s' is not a number in %g..%g\n", what,
                v ? v : "", lo, hi);
        return -1;
    }
    return 0;
}

/* 0 ok, 1 --help, -1 bad input (already said). */
static int parse_args(int argc, char **argv, options *o)
{
    double seed = -1;
    *o = (options){.config = "assets/hall.ini", .load = 1.0};
    for (int i = 1; i < argc; i += 2) { /* every option but --mqtt takes a value */
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
            return 1;
        if (!strcmp(a, "--mqtt")) {
            o->mqtt = 1;
            i--;
            continue;
        }
        int bad = 0;
        if (!strcmp(a, "--config") && v)
            o->config = v;
        else if (!strcmp(a, "--db") && v)
            o->db = v;
        else if (!strcmp(a, "--date") && v)
            o->date = v;
        else if (!strcmp(a, "--seed") && v)
            bad = parse_number("--seed", v, 0, 4294967295.0, &seed);
        else if (!strcmp(a, "--load") && v)
            bad = parse_number("--load", v, 0.05, 5, &o->load);
        else {
            fprintf(stderr, "jiaohao-sim-day: unknown or incomplete option '%s' (see --help)\n", a);
            return -1;
        }
        if (bad)
            return -1;
    }
    if (!o->db == !o->mqtt || !o->date || seed < 0) {
        fprintf(stderr, "jiaohao-sim-day: one of --db and --mqtt, --date and --seed are required"
                        " (see --help)\n");
        return -1;
    }
    o->seed = (unsigned long long)seed;
    return 0;
}

/* The store's business day, to refuse a date it has already left behind. */
static int store_day(jh_engine *e)
{
    char *text = jh_engine_hall_state(e, 0);
    cJSON *h = text ? cJSON_Parse(text) : NULL;
    int day = h ? (int)cJSON_GetNumberValue(cJSON_GetObjectItem(h, "day")) : -1;
    cJSON_Delete(h);
    free(text);
    return day;
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void report(const options *o, const jh_hall_config *cfg, const jh_sim_day *d,
                   const jh_sim_result *r)
{
    if (o->mqtt)
        printf("simulated %s (seed %llu, load %.2f) through jiaohao-caller at %s:%d\n", o->date,
               o->seed, o->load, cfg->broker_host, cfg->broker_port);
    else
        printf("simulated %s (seed %llu, load %.2f) into %s\n", o->date, o->seed, o->load, o->db);
    printf("  visitors %d: issued %d, refused %d (closed or daily limit), voided %d\n",
           d->n_visitors, r->issued, r->take_refused, r->voided);
    printf("  calls %d, recalls %d, no-shows %d (re-queued %d), transfers %d, finished %d\n",
           r->calls, r->recalls, r->no_shows, r->requeued, r->transfers, r->finished);
    printf("  ratings %d, pauses %d, green flagged at the desk %d, expired at end-day %d\n",
           r->ratings, r->pauses, r->flagged, r->expired);
    printf("  alerts: long-wait %d, overrun %d; commands applied %d\n", r->alerts_wait,
           r->alerts_overrun, r->commands);
}

/* Through the engine on the store file. 0, or -1 (said). */
static int play_engine(const options *o, const jh_hall_config *cfg, const jh_sim_day *d,
                       jh_sim_result *r)
{
    char err[512] = "";
    int rc = -1;
    jh_engine *e = jh_engine_open(cfg, o->db, err, sizeof err);
    if (!e)
        fprintf(stderr, "jiaohao-sim-day: %s\n", err);
    else if (store_day(e) > d->date)
        fprintf(stderr, "jiaohao-sim-day: %s already holds day %d; add days in date order\n",
                o->db, store_day(e));
    else if (jh_engine_set_durable(e, 0) < 0 || jh_sim_run(e, cfg, d, r, err, sizeof err) < 0)
        fprintf(stderr, "jiaohao-sim-day: %s\n", err[0] ? err : "store failure");
    else
        rc = 0;
    jh_engine_close(e);
    return rc;
}

/* Through the broker and a jiaohao-caller --sim-clock. 0, or -1 (said). */
static int play_mqtt(const jh_hall_config *cfg, const jh_sim_day *d, jh_sim_result *r)
{
    char err[512] = "";
    jh_sim_mqtt *m = jh_sim_mqtt_open(cfg, CALLER_WAIT_S, err, sizeof err);
    if (!m) {
        fprintf(stderr, "jiaohao-sim-day: %s\n", err);
        return -1;
    }
    jh_sim_hall hall = jh_sim_mqtt_hall(m);
    int rc = jh_sim_play(&hall, cfg, d, r, err, sizeof err);
    if (rc < 0)
        fprintf(stderr, "jiaohao-sim-day: %s\n", err);
    else
        printf("  clock moves %d (admin op clock)\n", jh_sim_mqtt_clock_moves(m));
    jh_sim_mqtt_close(m);
    return rc;
}

static int simulate(const options *o, const jh_hall_config *cfg, int date)
{
    char err[512] = "";
    jh_sim_day *d = calloc(1, sizeof *d);
    jh_sim_result r;
    int rc = -1;
    double t0 = mono_s();
    if (!d || jh_sim_day_generate(cfg, date, o->seed, o->load, d, err, sizeof err) < 0)
        fprintf(stderr, "jiaohao-sim-day: %s\n", d ? err : "out of memory");
    else if ((rc = o->mqtt ? play_mqtt(cfg, d, &r) : play_engine(o, cfg, d, &r)) == 0) {
        report(o, cfg, d, &r);
        printf("  took %.1f s\n", mono_s() - t0);
    }
    if (rc == 0)
        jh_sim_result_free(&r);
    if (d)
        jh_sim_day_free(d);
    free(d);
    return rc;
}

int main(int argc, char **argv)
{
    options o;
    char err[512];
    int rc = parse_args(argc, argv, &o);
    if (rc != 0) {
        if (rc > 0)
            usage(stdout);
        return rc > 0 ? 0 : 2;
    }
    int date = jh_date_parse(o.date);
    if (date < 0) {
        fprintf(stderr, "jiaohao-sim-day: --date '%s': want a real date YYYY-MM-DD\n", o.date);
        return 2;
    }
    jh_hall_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg || jh_config_load(cfg, o.config, err, sizeof err) < 0) {
        fprintf(stderr, "jiaohao-sim-day: %s\n", cfg ? err : "out of memory");
        free(cfg);
        return 2;
    }
    rc = simulate(&o, cfg, date);
    free(cfg);
    return rc < 0 ? 1 : 0;
}
