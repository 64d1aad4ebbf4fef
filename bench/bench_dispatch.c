/* SPDX-License-Identifier: MIT */
/*
 * bench_dispatch — what a call-next costs as the queue grows.
 *
 * For each queue size it fills a fresh store with that many waiting tickets
 * (bulk, through ticket_store in one transaction — the engine's own take path
 * would need 100 000 numbers a day, more than any service's range), then
 * times CALLS call-next commands at one counter:
 *   query  — the dispatch lookups alone (directed head + green and normal
 *            heads of the counter's services), on a second connection;
 *   apply  — the whole jh_engine_apply: finish the current ticket, choose,
 *            call, write events and command record, COMMIT with fsync;
 *   scan   — for contrast, the same head lookup with the index switched off
 *            (NOT INDEXED), which is what a linear design would cost.
 * Prints median and p99 in microseconds. Run: bench_dispatch [DIR]
 * (DIR: where the store files go; default a temp dir under /tmp — use a real
 * disk, since fsync is part of what is measured).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_stats.h"
#include "engine.h"
#include "hall_config.h"
#include "hall_time.h"
#include "ticket_store.h"

#define CALLS 1000
#define SCANS 30
#define NOW0 1795399200000LL /* Mon 2026-11-23 10:00 +08:00 */

static const char ini[] =
    "[hall]\nsite = bench\nname_zh = 基准\nname_en = Bench\ntimezone = Asia/Shanghai\n"
    "reset_at = 07:00\ndata_dir = /tmp\n"
    "[broker]\nhost = 127.0.0.1\nport = 1883\n"
    "[dispatch]\npolicy = ageing\nageing_minutes = 30\nrecall_limit = 2\nrequeue = back\n"
    /* the bench measures dispatch, not secret checks: staff log in as keypads do today */
    "[staff]\npinless_keypad_login = yes\n"
    "[service A]\nname_zh = 甲\nname_en = A\nnumbers = 1-999\nhours = mon-sun 07:00-24:00\n"
    "target_minutes = 10\n"
    "[service B]\nname_zh = 乙\nname_en = B\nnumbers = 1-999\nhours = mon-sun 07:00-24:00\n"
    "target_minutes = 10\n"
    "[counter c01]\nnumber = 1\nname_zh = 1号窗口\nname_en = Window 1\nservices = A, B\n"
    "[kiosk k1]\n";

static double now_us(void) { return jh_bench_now_ms() * 1e3; }

/* n waiting tickets, 1 in 10 green, spread over A and B, queued one second apart. */
static int fill(const char *db_path, int day, int n, char *err, size_t errlen)
{
    jh_store *st = jh_store_open(db_path, day, err, errlen);
    if (!st || jh_store_begin(st) < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        jh_ticket t;
        memset(&t, 0, sizeof t);
        const char *svc = i % 2 ? "B" : "A";
        t.day = day;
        t.number = i + 1;
        snprintf(t.label, sizeof t.label, "%s%06d", svc, i + 1);
        strcpy(t.service, svc);
        strcpy(t.issued_service, svc);
        t.priority = i % 10 == 0 ? JH_PRIO_ELDERLY : JH_PRIO_NONE;
        t.status = JH_TS_WAITING;
        strcpy(t.lang, "zh");
        strcpy(t.kiosk, "k1");
        t.issued_at = t.queue_key = NOW0 - (int64_t)(n - i) * 1000;
        if (jh_store_ticket_insert(st, &t) < 0 ||
            jh_store_waiting_add(st, day, svc, 1, t.priority != JH_PRIO_NONE) < 0)
            break;
    }
    int rc = jh_store_commit(st);
    if (rc < 0)
        snprintf(err, errlen, "%s", jh_store_errmsg(st));
    jh_store_close(st);
    /* A real day arrives in small transactions, so its WAL never holds more than
     * the auto-checkpoint's 1000 pages; fold this one giant fill into the file. */
    sqlite3 *db = NULL; /* closed below whether or not it was opened */
    if (rc == 0 && sqlite3_open(db_path, &db) == SQLITE_OK)
        sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

/* The lookups the engine makes for one call-next at c01 (services A, B). */
static void dispatch_queries(jh_store *st, int day)
{
    jh_queue_head h;
    const char *svc[] = {"A", "B"};
    jh_store_directed_head(st, "c01", &h);
    for (int green = 1; green >= 0; green--)
        for (int s = 0; s < 2; s++)
            if (jh_store_queue_head(st, day, svc[s], green, &h) == 1)
                break;
}

static double scan_once(sqlite3 *db, int day)
{
    sqlite3_stmt *s;
    const char *q = "SELECT id FROM tickets NOT INDEXED WHERE day = ?1 AND service = 'A'"
                    " AND is_priority = 0 AND status = 'waiting' AND target_counter IS NULL"
                    " ORDER BY queue_key, id LIMIT 1";
    double t0 = now_us();
    if (sqlite3_prepare_v2(db, q, -1, &s, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int(s, 1, day);
    sqlite3_step(s);
    sqlite3_finalize(s);
    return now_us() - t0;
}

typedef struct {
    double q50, q99, a50, a99, s50;
} result;

/* One command at c01; -1 unless applied and ok (call-next must call someone). */
static int apply_cmd(jh_engine *e, jh_op op, const char *staff, int n, int64_t now)
{
    jh_origin o = {JH_ORIGIN_COUNTER, "c01"};
    jh_command c = {.op = op};
    jh_outcome out;
    char err[256];
    snprintf(c.id, sizeof c.id, "b-%d", n);
    snprintf(c.staff_id, sizeof c.staff_id, "%s", staff);
    int rc = jh_engine_apply(e, &o, &c, now, &out, err, sizeof err);
    if (rc == 0 && !out.ok)
        fprintf(stderr, "refused: %s\n", out.reply);
    if (rc < 0)
        fprintf(stderr, "apply: %s\n", err);
    rc = rc == 0 && out.ok ? 0 : -1;
    if (rc == 0 && op == JH_OP_CALL_NEXT && strstr(out.reply, "\"ticket\":null")) {
        fprintf(stderr, "bench: call-next found nobody waiting\n");
        rc = -1;
    }
    jh_outcome_free(&out);
    return rc;
}

static int measure(jh_engine *e, jh_store *st, sqlite3 *raw, int day, result *r)
{
    static double q[CALLS], a[CALLS], s[SCANS];
    for (int i = 0; i < CALLS; i++) {
        double t0 = now_us();
        dispatch_queries(st, day);
        double t1 = now_us();
        if (apply_cmd(e, JH_OP_CALL_NEXT, "", i + 1, NOW0 + i * 1000LL) < 0)
            return -1;
        q[i] = t1 - t0;
        a[i] = now_us() - t1;
    }
    for (int i = 0; i < SCANS; i++)
        s[i] = scan_once(raw, day);
    jh_bench_figures fq = jh_bench_figures_of(q, CALLS), fa = jh_bench_figures_of(a, CALLS);
    *r = (result){.q50 = fq.p50, .q99 = fq.p99, .a50 = fa.p50, .a99 = fa.p99,
                  .s50 = jh_bench_figures_of(s, SCANS).p50};
    return 0;
}

static int run_size(const jh_hall_config *cfg, const char *dir, int n, result *r)
{
    char db[512], err[256] = "";
    snprintf(db, sizeof db, "%s/bench-%d.db", dir, n);
    jh_engine *e = jh_engine_open(cfg, db, err, sizeof err);
    int day = jh_business_day(cfg, NOW0); /* after open: it set the hall's zone */
    /* the login makes the engine roll over to today before the bulk fill */
    if (!e || apply_cmd(e, JH_OP_LOGIN, "s1", 0, NOW0 - 1000) < 0 ||
        fill(db, day, n + CALLS, err, sizeof err) < 0) {
        fprintf(stderr, "bench: %s\n", err);
        jh_engine_close(e);
        return -1;
    }
    jh_store *st = jh_store_open(db, day, err, sizeof err);
    sqlite3 *raw = NULL;
    sqlite3_open_v2(db, &raw, SQLITE_OPEN_READONLY, NULL);
    int rc = st && raw ? measure(e, st, raw, day, r) : -1;
    sqlite3_close(raw);
    jh_store_close(st);
    jh_engine_close(e);
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[530];
        snprintf(p, sizeof p, "%s%s", db, sfx[i]);
        unlink(p);
    }
    return rc;
}

int main(int argc, char **argv)
{
    static jh_hall_config cfg;
    char err[256], tmp[] = "/tmp/jh-bench-XXXXXX";
    const char *dir = argc > 1 ? argv[1] : mkdtemp(tmp);
    if (!dir || jh_config_parse(&cfg, ini, strlen(ini), "bench.ini", err, sizeof err) != 0) {
        fprintf(stderr, "bench_dispatch: %s\n", dir ? err : "cannot make a temp dir");
        return 1;
    }
    const int sizes[] = {1000, 10000, 100000};
    result r[3];
    printf("call-next at one counter (2 services, 10%% green, policy ageing), %d calls per size\n",
           CALLS);
    printf("store in %s (WAL, synchronous=FULL)\n\n", dir);
    printf("%9s | %17s | %19s | %14s\n", "waiting", "query us p50/p99", "apply us p50/p99",
           "no-index scan");
    for (int i = 0; i < 3; i++) {
        if (run_size(&cfg, dir, sizes[i], &r[i]) < 0)
            return 1;
        printf("%9d | %7.1f / %7.1f | %8.1f / %8.1f | %11.1f us\n", sizes[i], r[i].q50, r[i].q99,
               r[i].a50, r[i].a99, r[i].s50);
    }
    printf("\n100x more waiting: query p50 x%.2f, apply p50 x%.2f, no-index scan x%.1f\n",
           r[2].q50 / r[0].q50, r[2].a50 / r[0].a50, r[2].s50 / r[0].s50);
    if (argc <= 1)
        rmdir(dir);
    return 0;
}
