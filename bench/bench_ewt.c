/* SPDX-License-Identifier: MIT */
/*
 * bench_ewt — how good is the estimated wait printed on tickets?
 *
 * Runs simulated days (caller/sim/sim_day.c, several seeds) through the real
 * engine and compares, for every ticket that was called, the wait it was
 * promised with the wait it had (first call − issue). Two estimates are
 * taken at the same moment: (a) the simple rule, people ahead × mean service
 * time ÷ open counters, and (b) the engine's estimator (caller/engine/ewt.c), the
 * one printed. Prints the mean absolute error and the mean signed error
 * (bias: + means promised too long) in minutes, overall and per service.
 * Prints figures only; it asserts nothing.
 *
 *   bench_ewt [--config FILE] [--seeds N] [--load X] [--date YYYY-MM-DD] [DIR]
 * DIR holds the temporary stores (default /dev/shm, else /tmp).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "hall_time.h"
#include "sim_day.h"
#include "sim_run.h"

typedef struct {
    int n;
    double abs_simple, abs_engine, sig_simple, sig_engine;
} errors;

static void add_error(errors *e, double actual_s, const jh_sim_ticket *t)
{
    e->n++;
    e->abs_simple += fabs(t->simple_s - actual_s);
    e->abs_engine += fabs(t->ewt_s - actual_s);
    e->sig_simple += t->simple_s - actual_s;
    e->sig_engine += t->ewt_s - actual_s;
}

static void print_row(const char *name, const errors *e)
{
    if (!e->n) {
        printf("  %-8s %6d\n", name, 0);
        return;
    }
    double k = 60.0 * e->n;
    printf("  %-8s %6d   %8.1f %8.1f   %8.1f %8.1f\n", name, e->n, e->abs_simple / k,
           e->abs_engine / k, e->sig_simple / k, e->sig_engine / k);
}

static void tally(const jh_hall_config *cfg, const jh_sim_day *d, const jh_sim_result *r,
                  errors *all, errors *per_service, errors *green)
{
    for (int v = 0; v < d->n_visitors; v++) {
        const jh_sim_ticket *t = &r->tickets[v];
        if (!t->label[0] || !t->called_at)
            continue;
        double actual = (double)(t->called_at - t->issued_at) / 1000;
        add_error(all, actual, t);
        add_error(&per_service[d->visitors[v].service], actual, t);
        if (t->green)
            add_error(green, actual, t);
    }
    (void)cfg;
}

/* One simulated day; 0 or -1. */
static int run_day(const jh_hall_config *cfg, const char *dir, int date, unsigned seed, double load,
                   errors *all, errors *per_service, errors *green, errors *day_total)
{
    char db[512], err[512] = "", path[600];
    jh_sim_day *d = calloc(1, sizeof *d);
    jh_sim_result r;
    snprintf(db, sizeof db, "%s/bench-ewt-%d-%u.db", dir, (int)getpid(), seed);
    if (!d || jh_sim_day_generate(cfg, date, seed, load, d, err, sizeof err) < 0) {
        fprintf(stderr, "bench_ewt: %s\n", err);
        free(d);
        return -1;
    }
    jh_engine *e = jh_engine_open(cfg, db, err, sizeof err);
    int rc = e && jh_engine_set_durable(e, 0) == 0 ? jh_sim_run(e, cfg, d, &r, err, sizeof err) : -1;
    if (rc == 0) {
        memset(day_total, 0, sizeof *day_total);
        tally(cfg, d, &r, day_total, per_service, green);
        all->n += day_total->n;
        all->abs_simple += day_total->abs_simple;
        all->abs_engine += day_total->abs_engine;
        all->sig_simple += day_total->sig_simple;
        all->sig_engine += day_total->sig_engine;
        if (r.ewt_mismatch)
            printf("  (seed %u: %d printed estimates differ from jh_engine_estimate)\n", seed,
                   r.ewt_mismatch);
        jh_sim_result_free(&r);
    } else {
        fprintf(stderr, "bench_ewt: %s\n", err);
    }
    jh_engine_close(e);
    jh_sim_day_free(d);
    free(d);
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", db, sfx[i]);
        unlink(path);
    }
    return rc;
}

int main(int argc, char **argv)
{
    const char *config = "assets/hall.ini", *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    const char *date_text = "2026-11-23";
    int seeds = 5;
    double load = 1.0;
    char err[512];
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            config = argv[++i];
        else if (!strcmp(argv[i], "--seeds") && i + 1 < argc)
            seeds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--load") && i + 1 < argc)
            load = atof(argv[++i]);
        else if (!strcmp(argv[i], "--date") && i + 1 < argc)
            date_text = argv[++i];
        else if (argv[i][0] != '-')
            dir = argv[i];
        else {
            fprintf(stderr, "usage: bench_ewt [--config FILE] [--seeds N] [--load X] "
                            "[--date YYYY-MM-DD] [DIR]\n");
            return 2;
        }
    }
    int date = jh_date_parse(date_text);
    jh_hall_config *cfg = calloc(1, sizeof *cfg);
    if (date < 0 || !cfg || jh_config_load(cfg, config, err, sizeof err) < 0) {
        fprintf(stderr, "bench_ewt: %s\n", date < 0 ? "bad --date" : err);
        free(cfg);
        return 2;
    }
    errors all = {0}, green = {0}, day_total, per_service[JH_MAX_SERVICES];
    memset(per_service, 0, sizeof per_service);
    printf("estimated vs actual wait, minutes (%s, load %.2f)\n", date_text, load);
    printf("  %-8s %6s   %17s   %17s\n", "", "called", "mean abs error", "mean signed error");
    printf("  %-8s %6s   %8s %8s   %8s %8s\n", "", "", "simple", "engine", "simple", "engine");
    for (int s = 1; s <= seeds; s++) {
        char name[16];
        if (run_day(cfg, dir, date, (unsigned)s, load, &all, per_service, &green, &day_total) < 0)
            break;
        snprintf(name, sizeof name, "seed %d", s);
        print_row(name, &day_total);
    }
    printf("  per service, all seeds:\n");
    for (int i = 0; i < cfg->n_services; i++)
        print_row(cfg->services[i].code, &per_service[i]);
    print_row("green", &green);
    print_row("all", &all);
    free(cfg);
    return 0;
}
