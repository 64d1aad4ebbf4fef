/* SPDX-License-Identifier: MIT */
/*
 * test_engine_live — live supervision: the day's running figures in
 * state/hall ("today"), the alert events tick sends once per ticket
 * (long-wait, overrun), and the schema migration that brings a version 1
 * store up to them. The figures are also checked against a full count of
 * the tickets table, the way a report reads it.
 */
#include <sqlite3.h>

#include "test_engine_fixture.h"

static void tick(fx *f, jh_outcome *out)
{
    char err[256] = "";
    if (jh_engine_tick(f->e, f->now, out, err, sizeof err) != 0)
        fail_msg("tick: %s", err);
}

static cJSON *today(fx *f)
{
    cJSON *h = fx_state_json(jh_engine_hall_state(f->e, f->now));
    cJSON *t = cJSON_DetachItemFromObject(h, "today");
    assert_non_null(t);
    cJSON_Delete(h);
    return t;
}

static int n_of(const cJSON *o, const char *key) { return (int)fx_num(o, key); }

static void rate(fx *f, const char *counter, int score)
{
    jh_command c = fx_cmd(JH_OP_RATE);
    c.score = score;
    fx_ok(fx_send(f, JH_ORIGIN_COUNTER, counter, &c));
}

static void test_today_figures(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char t[16], green[16];
    cJSON *d = today(f);
    assert_int_equal(n_of(d, "issued"), 0);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "mean_wait_s")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "satisfaction_pct")));
    cJSON_Delete(d);
    for (int i = 0; i < 4; i++)
        fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_take_ok(f, "A", JH_PRIO_PREGNANT, green);
    fx_take_ok(f, "A", JH_PRIO_NONE, t); /* the printer fails: voided */
    jh_command v = fx_cmd(JH_OP_VOID);
    strcpy(v.ticket, t);
    fx_ok(fx_send(f, JH_ORIGIN_KIOSK, "k1", &v));
    fx_login(f, "c03", "s1");
    fx_login(f, "c01", "s2");
    f->now += 2 * MIN;
    fx_call_next(f, "c03", t); /* the green one, waited 120 s */
    assert_string_equal(t, green);
    f->now += 5 * MIN;
    fx_ok(fx_counter(f, "c03", JH_OP_FINISH));
    f->now += 3 * SEC;
    rate(f, "c03", 5);
    fx_call_next(f, "c03", t); /* A001, waited 423 s */
    f->now += 20 * MIN;      /* overruns the 10 min target */
    fx_ok(fx_counter(f, "c03", JH_OP_FINISH));
    f->now += 3 * SEC;
    rate(f, "c03", 3);
    fx_call_next(f, "c01", t); /* A002, waited 1626 s: does not come, then comes back */
    assert_string_equal(t, "A002");
    fx_ok(fx_counter(f, "c01", JH_OP_NO_SHOW));
    fx_ok(fx_counter_ticket(f, "c01", JH_OP_REQUEUE, "A002"));
    fx_call_next(f, "c01", t); /* A003, waited 1626 s, does not come */
    assert_string_equal(t, "A003");
    fx_ok(fx_counter(f, "c01", JH_OP_NO_SHOW));
    jh_command p = fx_cmd(JH_OP_PAUSE);
    fx_ok(fx_send(f, JH_ORIGIN_COUNTER, "c01", &p));
    d = today(f);
    assert_int_equal(n_of(d, "issued"), 6);
    assert_int_equal(n_of(d, "issued_green"), 1);
    assert_int_equal(n_of(d, "served"), 2);
    assert_int_equal(n_of(d, "served_green"), 1);
    assert_int_equal(n_of(d, "no_shows"), 1); /* A002 came back: only A003 */
    assert_int_equal(n_of(d, "voided"), 1);
    assert_int_equal(n_of(d, "waiting"), 2); /* A002 again, A004 */
    assert_int_equal(n_of(d, "waiting_green"), 0);
    /* first calls: 120, 423, 1626, 1626 s; the mean is rounded to the second */
    assert_int_equal(n_of(d, "mean_wait_s"), 949);
    assert_int_equal(n_of(d, "max_wait_s"), 1626);
    assert_int_equal(n_of(d, "p90_wait_s"), 1626);
    assert_int_equal(n_of(d, "mean_service_s"), (300 + 1200) / 2);
    assert_int_equal(n_of(d, "overruns"), 1);
    assert_int_equal(n_of(d, "ratings"), 2);
    assert_true(fx_num(d, "satisfaction_pct") == 50.0);
    assert_int_equal(n_of(d, "counters_open"), 1);
    assert_int_equal(n_of(d, "counters_paused"), 1);
    assert_int_equal(n_of(d, "serving"), 0);
    cJSON_Delete(d);
    fx_free(f);
}

/* p90 is the nearest rank, at most one histogram bucket (30 s) above the exact value. */
static void test_p90_nearest_rank(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char t[16];
    for (int i = 0; i < 10; i++)
        fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_login(f, "c03", "s1");
    for (int i = 1; i <= 10; i++) { /* waits 5, 10, …, 50 min and a few seconds */
        f->now = T0 + i * 5 * MIN + 7 * SEC;
        fx_call_next(f, "c03", t);
    }
    cJSON *d = today(f);
    int p90 = n_of(d, "p90_wait_s"), exact = 45 * 60 + 7; /* rank ceil(0.9 × 10) = 9 */
    assert_true(p90 >= exact && p90 < exact + 30);
    assert_int_equal(n_of(d, "max_wait_s"), 50 * 60 + 7);
    cJSON_Delete(d);
    fx_free(f);
}

/* The events of kind `kind` after seq `after`: how many, the last one into *last. */
static int alerts_after(fx *f, int64_t after, const char *kind, cJSON **last)
{
    jh_event ev;
    int n = 0;
    *last = NULL;
    while (jh_engine_outbox_next(f->e, after, &ev) == 1) {
        after = ev.seq;
        cJSON *p = cJSON_Parse(ev.payload);
        if (!strcmp(ev.kind, "alert") && !strcmp(js(p, "kind"), kind)) {
            n++;
            cJSON_Delete(*last);
            *last = p;
        } else {
            cJSON_Delete(p);
        }
        jh_event_free(&ev);
    }
    return n;
}

static void test_long_wait_alert_once(void **state)
{
    (void)state;
    fx *f = fx_new("policy = strict\nwait_alert_minutes = 30");
    jh_outcome out;
    cJSON *a;
    int64_t seq;
    fx_take_ok(f, "B", JH_PRIO_ELDERLY, NULL);
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_outbox_count(f, 0, &seq);
    f->now = T0 + 30 * MIN - SEC;
    tick(f, &out);
    assert_int_equal(out.n_events, 0);
    f->now = T0 + 30 * MIN;
    tick(f, &out);
    assert_int_equal(out.n_events, 2);
    assert_int_equal(alerts_after(f, seq, "long-wait", &a), 2);
    assert_string_equal(js(a, "ticket"), "A001");
    assert_string_equal(js(a, "service"), "A");
    assert_string_equal(js(a, "priority"), "none");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(a, "counter")));
    assert_int_equal((int)fx_num(a, "waited_s"), 30 * 60);
    assert_int_equal((int)fx_num(a, "limit_s"), 30 * 60);
    assert_string_equal(js(a, "at"), "2026-11-23T09:30:00+08:00");
    assert_true(fx_num(a, "seq") > (double)seq);
    cJSON_Delete(a);
    f->now += MIN;
    tick(f, &out);
    assert_int_equal(out.n_events, 0); /* once per ticket */
    fx_reopen(f);                      /* ... also after a restart */
    tick(f, &out);
    assert_int_equal(out.n_events, 0);
    fx_free(f);
}

static void test_overrun_alert_once(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    jh_outcome out;
    char t[16];
    cJSON *a;
    int64_t seq;
    fx_take_ok(f, "B", JH_PRIO_NONE, NULL);
    fx_login(f, "c02", "s7");
    fx_call_next(f, "c02", t);
    fx_outbox_count(f, 0, &seq);
    f->now += 5 * MIN; /* B's target is exactly 5 min: not over yet */
    tick(f, &out);
    assert_int_equal(out.n_events, 0);
    f->now += SEC;
    tick(f, &out);
    assert_int_equal(out.n_events, 1);
    assert_true(out.counter_dirty[jh_config_counter_index(f->cfg, "c02")]);
    assert_int_equal(alerts_after(f, seq, "overrun", &a), 1);
    assert_string_equal(js(a, "ticket"), "B001");
    assert_string_equal(js(a, "counter"), "c02");
    assert_int_equal((int)fx_num(a, "counter_number"), 2);
    assert_string_equal(js(a, "staff_id"), "s7");
    assert_int_equal((int)fx_num(a, "serving_s"), 301);
    assert_int_equal((int)fx_num(a, "limit_s"), 300);
    cJSON_Delete(a);
    f->now += 10 * MIN;
    tick(f, &out);
    assert_int_equal(out.n_events, 0);
    fx_free(f);
}

/* Reads one number from the store file, as a report or the sqlite3 shell would. */
static long long sql_number(const char *db_path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    long long v = -1;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

static void sql_exec(const char *db_path, const char *sql)
{
    sqlite3 *db;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

/* A store written before version 2 gains the new tables and its figures from its tickets. */
static void test_migration_from_version_1(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char t[16];
    for (int i = 0; i < 3; i++)
        fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_login(f, "c03", "s1");
    f->now += 4 * MIN;
    fx_call_next(f, "c03", t);
    f->now += 2 * MIN;
    fx_call_next(f, "c03", t);
    jh_engine_close(f->e);
    /* back to what version 1 wrote */
    sql_exec(f->db, "DROP INDEX tickets_wait_alert; ALTER TABLE tickets DROP COLUMN wait_alerted;"
                    "ALTER TABLE tickets DROP COLUMN overrun_alerted; DROP TABLE day_stats;"
                    "DROP TABLE wait_hist; ALTER TABLE hall DROP COLUMN last_queue_key;"
                    "DROP TABLE day_scores; DROP TABLE staff; DROP TABLE staff_audit;"
                    "UPDATE hall SET schema_version = 1;"
                    "UPDATE tickets SET rating = 4 WHERE status = 'finished';");
    fx_open_engine(f);
    assert_int_equal(sql_number(f->db, "SELECT schema_version FROM hall"), 5);
    /* version 4: the day's ratings per counter and score, from the tickets */
    assert_int_equal(sql_number(f->db, "SELECT n FROM day_scores WHERE counter = 'c03' AND score = 4"),
                     1);
    /* version 3: the last place in the queue is taken from the tickets */
    assert_int_equal(sql_number(f->db, "SELECT last_queue_key FROM hall"),
                     sql_number(f->db, "SELECT MAX(queue_key) FROM tickets"));
    cJSON *d = today(f);
    assert_int_equal(n_of(d, "issued"), 3);
    assert_int_equal(n_of(d, "served"), 1);
    assert_int_equal(n_of(d, "mean_wait_s"), (240 + 360) / 2);
    assert_int_equal(n_of(d, "p90_wait_s"), 360);
    cJSON_Delete(d);
    /* and it works on: the next call adds to the migrated figures */
    fx_call_next(f, "c03", t);
    d = today(f);
    assert_int_equal(n_of(d, "served"), 2);
    cJSON_Delete(d);
    /* a store from a newer program is refused, not damaged */
    jh_engine_close(f->e);
    sql_exec(f->db, "UPDATE hall SET schema_version = 99");
    char err[256] = "";
    f->e = jh_engine_open(f->cfg, f->db, err, sizeof err);
    assert_null(f->e);
    assert_non_null(strstr(err, "newer"));
    sql_exec(f->db, "UPDATE hall SET schema_version = 5");
    fx_open_engine(f);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_today_figures),
        cmocka_unit_test(test_p90_nearest_rank),
        cmocka_unit_test(test_long_wait_alert_once),
        cmocka_unit_test(test_overrun_alert_once),
        cmocka_unit_test(test_migration_from_version_1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
