/* SPDX-License-Identifier: MIT */
/*
 * store_check — the fault suite's judge of a caller store (jiaohao.db).
 *
 * Owns: the verdict on a store file after a fault, judged on the file itself,
 * never on what the daemon says about it. It runs every invariant of
 * store_audit.h (integrity, numbering, waiting counters, outbox, counters,
 * acknowledged takes) and adds what only the suite knows: every line of
 * --takes (what a kiosk was told) must name a ticket in the store.
 * With --engine the file is first opened by jh_engine_open, exactly as
 * jiaohao-caller would open it after a power cut (WAL recovery, migration),
 * and the engine's own retained service states must agree with the tickets.
 * Without it the file is only read, so it is safe while the caller runs.
 * Every query is the store's own (store_read.h, store_audit.h).
 *
 *   fault_store_check --config HALL.ini --db FILE [--engine] [--takes FILE]
 *
 * Prints one JSON line of counts; exit 0 consistent, 1 not (one line per
 * problem on stderr), 2 bad usage or unreadable file. The tests in this folder
 * (test_hall.sh, test_power_loss.sh) call it after every fault.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "hall_config.h"
#include "hall_time.h"
#include "store_audit.h"
#include "store_read.h"

#define PROG "fault_store_check"
#define SHOW_MAX 5 /* violations printed per check */

static int problems;

static void problem(const char *check, const char *detail)
{
    fprintf(stderr, PROG ": %s: %s\n", check, detail);
    problems++;
}

/* What one check has found so far: its first SHOW_MAX rows are problems. */
typedef struct {
    const char *check;
    int shown;
} finding;

static void violation(void *ctx, const char *row)
{
    finding *f = ctx;
    if (f->shown++ < SHOW_MAX)
        problem(f->check, row);
}

/* Runs rule i of store_audit.h; every row it returns is one violation. */
static int violations(jh_store_reader *r, int i)
{
    finding f = {jh_audit_rule_name(i), 0};
    int n = jh_audit_rule(r, i, violation, &f);
    if (n < 0) {
        fprintf(stderr, PROG ": %s: %s\n", f.check, jh_reader_errmsg(r));
        return -1;
    }
    if (n > SHOW_MAX) {
        char more[64];
        snprintf(more, sizeof more, "... %d violations in all", n);
        problem(f.check, more);
    }
    return n;
}

static void check_integrity(jh_store_reader *r)
{
    finding f = {"integrity_check", 0};
    if (jh_audit_integrity(r, violation, &f) < 0)
        problem(f.check, jh_reader_errmsg(r));
}

/* Every "DAY LABEL" line of `path` must be a ticket in the store. */
static int check_takes(jh_store_reader *r, const char *path, int *n_takes)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    char line[128], label[64];
    int day, missing = 0;
    jh_ticket t;
    *n_takes = 0;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%d %63s", &day, label) != 2)
            continue;
        (*n_takes)++;
        if (jh_reader_ticket_by_label(r, day, label, &t) != 1 && missing++ < SHOW_MAX) {
            char what[128];
            snprintf(what, sizeof what, "day=%d label=%s", day, label);
            problem("acknowledged take lost", what);
        }
    }
    fclose(f);
    return 0;
}

/* Opens the file as the daemon would after a power cut; its service states must match. */
static int check_engine(const jh_hall_config *cfg, const char *path, jh_store_reader *r)
{
    char err[512];
    jh_engine *e = jh_engine_open(cfg, path, err, sizeof err);
    if (!e) {
        problem("jh_engine_open", err);
        return -1;
    }
    jh_hall_row hall = {.day = -1};
    jh_reader_hall(r, &hall);
    for (int i = 0; i < cfg->n_services; i++) {
        char *json = jh_engine_service_state(e, i, jh_time_now_ms());
        cJSON *st = json ? cJSON_Parse(json) : NULL;
        int waiting = -1, green = -1;
        if (jh_reader_waiting(r, hall.day, cfg->services[i].code, &waiting, &green) < 0)
            waiting = green = -1;
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(st, "waiting");
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(st, "waiting_priority");
        if (!cJSON_IsNumber(w) || !cJSON_IsNumber(g) || w->valueint != waiting ||
            g->valueint != green) {
            char what[256];
            snprintf(what, sizeof what, "service %s: state says %d (%d green), tickets %d (%d green)",
                     cfg->services[i].code, cJSON_IsNumber(w) ? w->valueint : -1,
                     cJSON_IsNumber(g) ? g->valueint : -1, waiting, green);
            problem("engine service state disagrees with tickets", what);
        }
        cJSON_Delete(st);
        free(json);
    }
    jh_engine_close(e);
    return 0;
}

static void usage(FILE *f)
{
    fputs("usage: " PROG " --config HALL.ini --db FILE [--engine] [--takes FILE]\n"
          "  --engine      open the store with jh_engine_open first (as after a power cut)\n"
          "  --takes FILE  lines 'DAY LABEL': tickets a kiosk was given; each must exist\n",
          f);
}

int main(int argc, char **argv)
{
    const char *config = NULL, *path = NULL, *takes = NULL;
    int engine = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--engine") == 0)
            engine = 1;
        else if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (i + 1 < argc && strcmp(argv[i], "--config") == 0)
            config = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--db") == 0)
            path = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--takes") == 0)
            takes = argv[++i];
        else {
            usage(stderr);
            return 2;
        }
    }
    if (!config || !path) {
        usage(stderr);
        return 2;
    }
    static jh_hall_config cfg;
    char err[512];
    if (jh_config_load(&cfg, config, err, sizeof err) < 0 ||
        jh_time_set_zone(cfg.timezone, err, sizeof err) < 0) {
        fprintf(stderr, PROG ": %s\n", err);
        return 2;
    }
    /* Read-write only for --engine (the engine writes anyway); else never touch the file. */
    jh_store_reader *r = jh_reader_open(path, engine, 10000, err, sizeof err);
    if (!r) {
        fprintf(stderr, PROG ": %s: %s\n", path, err);
        return 2;
    }
    int n_takes = 0, broken = 0;
    if (engine && check_engine(&cfg, path, r) < 0)
        broken = 1;
    check_integrity(r);
    /* One read transaction: every rule sees the same moment of a live store. */
    jh_reader_begin(r);
    if (jh_audit_services(r, &cfg) < 0)
        broken = 1;
    for (int i = 0; i < jh_audit_rule_count(); i++)
        if (violations(r, i) < 0)
            broken = 1;
    if (takes && check_takes(r, takes, &n_takes) < 0)
        broken = 1;
    jh_store_totals t;
    jh_reader_totals(r, &t);
    printf("{\"tickets\":%lld,\"days\":%lld,\"day\":%lld,\"seq\":%lld,\"events\":%lld,"
           "\"unacked\":%lld,\"waiting\":%lld,\"called\":%lld,\"takes_checked\":%d,\"problems\":%d}\n",
           (long long)t.tickets, (long long)t.days, (long long)t.day, (long long)t.seq,
           (long long)t.events, (long long)t.unacked, (long long)t.waiting, (long long)t.calls,
           n_takes, problems);
    jh_reader_end(r);
    jh_reader_close(r);
    if (broken)
        return 2;
    return problems ? 1 : 0;
}
