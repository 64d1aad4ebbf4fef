/* SPDX-License-Identifier: MIT */
/*
 * test_sim_day — the simulated day (caller/sim/sim_day.c, sim_run.c) on the
 * example hall (assets/hall.ini):
 *   - the schedule is a pure function of (config, date, seed) and has the
 *     shape it promises (peaks, lunch, green share, opening hours, skew);
 *   - played through the real engine, every ticket is accounted for at the
 *     end (issued = served + no-shows + voided + expired, nothing left
 *     waiting or at a counter), numbers are contiguous per service, the
 *     day's running figures equal a full count of the tickets table, and the
 *     staff's behaviour met no refusal it did not expect;
 *   - the same seed gives the same store, event for event; another does not.
 */
#include <sqlite3.h>

#include "hall_time.h"
#include "test_engine_fixture.h"
#include "sim_day.h"
#include "sim_run.h"

#define DATE 20261123 /* a Monday */

static jh_hall_config *example_hall(void)
{
    char path[512], err[512] = "";
    const char *src = getenv("JH_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/assets/hall.ini", src ? src : ".");
    jh_hall_config *cfg = calloc(1, sizeof *cfg);
    assert_non_null(cfg);
    if (jh_config_load(cfg, path, err, sizeof err) != 0)
        fail_msg("%s", err);
    return cfg;
}

static jh_sim_day *generate_on(const jh_hall_config *cfg, int date, uint64_t seed)
{
    char err[256] = "";
    jh_sim_day *d = calloc(1, sizeof *d);
    assert_non_null(d);
    if (jh_sim_day_generate(cfg, date, seed, 1.0, d, err, sizeof err) != 0)
        fail_msg("generate: %s", err);
    return d;
}

static jh_sim_day *generate(const jh_hall_config *cfg, uint64_t seed)
{
    return generate_on(cfg, DATE, seed);
}

static void free_day(jh_sim_day *d)
{
    jh_sim_day_free(d);
    free(d);
}

static int arrivals_between(const jh_sim_day *d, int from_min, int to_min)
{
    int n = 0;
    for (int i = 0; i < d->n_visitors; i++) {
        int64_t m = (d->visitors[i].arrive_at - d->day_start) / 60000;
        n += m >= from_min && m < to_min;
    }
    return n;
}

static void test_schedule_is_pure_and_shaped(void **state)
{
    (void)state;
    jh_hall_config *cfg = example_hall();
    jh_sim_day *a = generate(cfg, 7), *b = generate(cfg, 7), *c = generate(cfg, 8);
    assert_true(a->n_visitors > 200);
    assert_int_equal(a->n_visitors, b->n_visitors);
    assert_memory_equal(a->visitors, b->visitors, (size_t)a->n_visitors * sizeof *a->visitors);
    assert_memory_equal(a->counters, b->counters, sizeof a->counters);
    assert_true(c->n_visitors != a->n_visitors ||
                memcmp(a->visitors, c->visitors, (size_t)a->n_visitors * sizeof *a->visitors));
    /* per 30 minutes: the peaks are busier than the shoulders around lunch */
    int morning = arrivals_between(a, 9 * 60, 10 * 60 + 30) / 3;
    int afternoon = arrivals_between(a, 14 * 60 + 30, 16 * 60) / 3;
    int before_lunch = arrivals_between(a, 11 * 60 + 30, 12 * 60);
    int after_lunch = arrivals_between(a, 13 * 60 + 30, 14 * 60);
    assert_true(morning > 2 * before_lunch && afternoon > 2 * after_lunch);
    assert_int_equal(arrivals_between(a, 12 * 60, 13 * 60 + 30), 0); /* every service closed */
    int green = 0, over = 0;
    for (int i = 0; i < a->n_visitors; i++) {
        const jh_sim_visitor *v = &a->visitors[i];
        assert_true(jh_service_open_at(&cfg->services[v->service], v->arrive_at, NULL));
        assert_true(i == 0 || v->arrive_at >= a->visitors[i - 1].arrive_at);
        green += v->priority != JH_PRIO_NONE;
        over += v->service_s > cfg->services[v->service].target_service_s;
    }
    assert_true(green * 100 > 3 * a->n_visitors && green * 100 < 10 * a->n_visitors);
    assert_true(over * 100 > 5 * a->n_visitors && over * 100 < 35 * a->n_visitors);
    free_day(a);
    free_day(b);
    free_day(c);
    free(cfg);
}

/* ---- a day through the engine ---- */

typedef struct {
    char dir[64], db[128];
    jh_sim_result res;
} played;

static void play(const jh_hall_config *cfg, uint64_t seed, played *p)
{
    char err[256] = "";
    snprintf(p->dir, sizeof p->dir, "/dev/shm/jh-sim-test-XXXXXX");
    if (!mkdtemp(p->dir)) {
        snprintf(p->dir, sizeof p->dir, "/tmp/jh-sim-test-XXXXXX");
        assert_non_null(mkdtemp(p->dir));
    }
    snprintf(p->db, sizeof p->db, "%s/hall.db", p->dir);
    jh_sim_day *d = generate(cfg, seed);
    jh_engine *e = jh_engine_open(cfg, p->db, err, sizeof err);
    if (!e || jh_engine_set_durable(e, 0) != 0 || jh_sim_run(e, cfg, d, &p->res, err, sizeof err))
        fail_msg("sim: %s", err);
    jh_engine_close(e);
    free_day(d);
}

static void unplay(played *p)
{
    char path[200];
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", p->db, sfx[i]);
        unlink(path);
    }
    rmdir(p->dir);
    jh_sim_result_free(&p->res);
}

/* One value from the store, read the way a report reads it. */
static char *sql_text(const char *db_path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    char *v = NULL;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        v = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v ? v : strdup("");
}

static long long sql_n(const char *db_path, const char *sql)
{
    char *t = sql_text(db_path, sql);
    long long v = atoll(t);
    free(t);
    return v;
}

static void assert_same(const char *db, const char *figure, const char *full_count)
{
    char q[512];
    snprintf(q, sizeof q, "SELECT %s FROM day_stats WHERE day = %d", figure, DATE);
    long long kept = sql_n(db, q);
    snprintf(q, sizeof q, "SELECT %s FROM tickets WHERE day = %d", full_count, DATE);
    long long counted = sql_n(db, q);
    if (kept != counted)
        fail_msg("day_stats.%s = %lld, the tickets say %lld", figure, kept, counted);
}

static void test_day_accounts_for_every_ticket(void **state)
{
    (void)state;
    jh_hall_config *cfg = example_hall();
    played p;
    play(cfg, 1, &p);
    const char *db = p.db;
    assert_true(p.res.issued > 200 && p.res.finished > 150 && p.res.ratings > 100);
    assert_true(p.res.no_shows > 0 && p.res.transfers > 0 && p.res.pauses > 0);
    assert_int_equal(p.res.refused, 0);
    assert_int_equal(p.res.ewt_mismatch, 0);
    assert_int_equal(sql_n(db, "SELECT count(*) FROM tickets"), p.res.issued);
    /* issued = served + no-shows (not re-queued) + voided + expired; nobody left behind */
    assert_int_equal(sql_n(db, "SELECT count(*) FROM tickets WHERE status IN ('finished',"
                               " 'no-show', 'voided', 'expired')"), p.res.issued);
    assert_int_equal(sql_n(db, "SELECT count(*) FROM tickets WHERE status = 'finished'"),
                     p.res.finished);
    assert_int_equal(sql_n(db, "SELECT count(*) FROM tickets WHERE status = 'voided'"),
                     p.res.voided);
    assert_int_equal(sql_n(db, "SELECT count(*) FROM tickets WHERE status = 'no-show'"),
                     p.res.no_shows - p.res.requeued);
    assert_int_equal(sql_n(db, "SELECT sum(waiting) FROM numbering"), 0);
    /* numbers contiguous per service from its first number */
    for (int i = 0; i < cfg->n_services; i++) {
        char q[256];
        const jh_service_config *s = &cfg->services[i];
        snprintf(q, sizeof q, "SELECT count(*) = coalesce(max(number) - %d + 1, 0) AND"
                              " coalesce(min(number), %d) = %d FROM tickets"
                              " WHERE issued_service = '%s'",
                 s->first_number, s->first_number, s->first_number, s->code);
        if (sql_n(db, q) != 1)
            fail_msg("service %s: numbers are not contiguous", s->code);
    }
    /* the running figures are what a full count of the tickets says */
    assert_same(db, "issued", "count(*)");
    assert_same(db, "issued_green", "sum(is_priority)");
    assert_same(db, "called", "count(called_at)");
    assert_same(db, "wait_sum_s", "sum((called_at - issued_at) / 1000)");
    assert_same(db, "wait_max_s", "max((called_at - issued_at) / 1000)");
    assert_same(db, "served", "sum(status = 'finished')");
    assert_same(db, "served_green", "sum(status = 'finished' AND is_priority)");
    assert_same(db, "service_sum_s", "sum(CASE WHEN status = 'finished' THEN service_s END)");
    assert_same(db, "overruns", "sum(status = 'finished' AND overran)");
    assert_same(db, "no_shows", "sum(status = 'no-show')");
    assert_same(db, "voided", "sum(status = 'voided')");
    assert_same(db, "expired", "sum(status = 'expired')");
    assert_same(db, "ratings", "count(rating)");
    assert_same(db, "satisfied", "sum(rating >= 4 AND NOT rating_suspicious)");
    assert_same(db, "alerts_wait", "sum(wait_alerted)");
    assert_same(db, "alerts_overrun", "sum(overrun_alerted)");
    assert_int_equal(sql_n(db, "SELECT sum(n) FROM wait_hist"),
                     sql_n(db, "SELECT count(called_at) FROM tickets"));
    assert_int_equal(sql_n(db, "SELECT sum(wait_alerted) FROM tickets"), p.res.alerts_wait);
    assert_int_equal(sql_n(db, "SELECT sum(overrun_alerted) FROM tickets"), p.res.alerts_overrun);
    unplay(&p);
    free(cfg);
}

#define DIGEST                                                                                 \
    "SELECT group_concat(label || status || issued_at || coalesce(called_at, '') ||"          \
    " coalesce(finished_at, '') || coalesce(counter, '') || coalesce(rating, ''), ',')"        \
    " FROM (SELECT * FROM tickets ORDER BY id)"
#define EVENTS "SELECT group_concat(kind || payload, ',') FROM (SELECT * FROM outbox ORDER BY seq)"

static void test_same_seed_same_day(void **state)
{
    (void)state;
    jh_hall_config *cfg = example_hall();
    played a, b, c;
    play(cfg, 3, &a);
    play(cfg, 3, &b);
    play(cfg, 4, &c);
    char *ta = sql_text(a.db, DIGEST), *tb = sql_text(b.db, DIGEST), *tc = sql_text(c.db, DIGEST);
    char *ea = sql_text(a.db, EVENTS), *eb = sql_text(b.db, EVENTS);
    assert_true(strlen(ta) > 1000);
    assert_string_equal(ta, tb);
    assert_string_equal(ea, eb);
    assert_true(strcmp(ta, tc) != 0);
    assert_int_equal(a.res.commands, b.res.commands);
    free(ta);
    free(tb);
    free(tc);
    free(ea);
    free(eb);
    unplay(&a);
    unplay(&b);
    unplay(&c);
    free(cfg);
}

/* A second day added to the same store is a day of its own (command ids, numbering, figures). */
static void test_days_add_up_in_one_store(void **state)
{
    (void)state;
    jh_hall_config *cfg = example_hall();
    played p;
    jh_sim_result r2;
    char err[256] = "";
    play(cfg, 1, &p);
    long long day1 = sql_n(p.db, "SELECT issued FROM day_stats WHERE day = 20261123");
    jh_sim_day *d = generate_on(cfg, 20261124, 2);
    jh_engine *e = jh_engine_open(cfg, p.db, err, sizeof err);
    if (!e || jh_sim_run(e, cfg, d, &r2, err, sizeof err) != 0)
        fail_msg("second day: %s", err);
    jh_engine_close(e);
    assert_int_equal(r2.take_refused, 0);
    assert_int_equal(r2.refused, 0);
    assert_int_equal(sql_n(p.db, "SELECT count(*) FROM tickets WHERE day = 20261124"), r2.issued);
    assert_int_equal(sql_n(p.db, "SELECT issued FROM day_stats WHERE day = 20261124"), r2.issued);
    assert_int_equal(sql_n(p.db, "SELECT issued FROM day_stats WHERE day = 20261123"), day1);
    assert_int_equal(sql_n(p.db, "SELECT min(number) FROM tickets WHERE day = 20261124 AND"
                                 " issued_service = 'A'"), 1);
    jh_sim_result_free(&r2);
    free_day(d);
    unplay(&p);
    free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedule_is_pure_and_shaped),
        cmocka_unit_test(test_day_accounts_for_every_ticket),
        cmocka_unit_test(test_same_seed_same_day),
        cmocka_unit_test(test_days_add_up_in_one_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
