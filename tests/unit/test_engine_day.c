/* SPDX-License-Identifier: MIT */
/*
 * test_engine_day — time and durability: the business day in the hall's zone
 * (process TZ=UTC, hall Asia/Shanghai, reset 07:00), numbering across a clean
 * restart and across kill -9, the outbox seq across restarts, opening hours
 * versus calling, tick (overruns, service changes, rollover), the estimated
 * wait, and a store that fails mid-command (file size limit) changing nothing.
 */
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <sqlite3.h>

#include "test_engine_fixture.h"

#define TUE_0700 (T0 + 22 * HOUR) /* Tue 2026-11-24 07:00 +08:00 = Mon 23:00 UTC */

static int day_of_hall(fx *f)
{
    cJSON *h = fx_state_json(jh_engine_hall_state(f->e, f->now));
    int d = (int)fx_num(h, "day");
    cJSON_Delete(h);
    return d;
}

/* Reads the store file the way a report would: tickets of `day` in `status`. */
static int count_status(fx *f, int day, const char *status)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    int n = -1;
    assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM tickets WHERE day = ?1 AND"
                                            " status = ?2", -1, &s, NULL), SQLITE_OK);
    sqlite3_bind_int(s, 1, day);
    sqlite3_bind_text(s, 2, status, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

static void tick(fx *f, jh_outcome *out)
{
    char err[256] = "";
    if (jh_engine_tick(f->e, f->now, out, err, sizeof err) != 0)
        fail_msg("tick: %s", err);
}

static void test_business_day_in_hall_zone(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    jh_outcome out;
    char t[16];
    fx_take_ok(f, "A", JH_PRIO_NONE, t);
    assert_string_equal(t, "A001");
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_login(f, "c03", "s1");
    fx_call_next(f, "c03", t); /* A001 being served at reset time */
    fx_ok(fx_admin(f, JH_OP_CLOSE));
    /* Tue 00:30 in the hall (Mon 16:30 UTC) and 06:59:59: still Monday's business day */
    f->now = T0 + 15 * HOUR + 30 * MIN;
    tick(f, &out);
    assert_false(out.hall_dirty);
    f->now = TUE_0700 - SEC;
    tick(f, &out);
    assert_false(out.hall_dirty);
    assert_int_equal(day_of_hall(f), 20261123);
    assert_int_equal(fx_waiting(f, "A"), 2);
    /* 07:00 in the hall, 23:00 UTC on Monday: the new business day */
    f->now = TUE_0700;
    tick(f, &out);
    assert_true(out.hall_dirty);
    assert_true(out.counter_dirty[0] && out.service_dirty[0]);
    assert_int_equal(day_of_hall(f), 20261124);
    assert_int_equal(fx_waiting(f, "A"), 0);
    assert_int_equal(count_status(f, 20261123, "expired"), 3); /* 2 waiting + 1 being served */
    assert_int_equal(count_status(f, 20261123, "waiting"), 0);
    cJSON *st = fx_counter_state(f, "c03");
    assert_string_equal(js(st, "status"), "closed"); /* logged out */
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(st, "ticket")));
    cJSON_Delete(st);
    fx_refused(fx_counter(f, "c03", JH_OP_CALL_NEXT), "not-logged-in");
    /* the hall's open flag survives the night */
    fx_refused(fx_take(f, "k1", "A", JH_PRIO_NONE), "closed");
    fx_ok(fx_admin(f, JH_OP_OPEN));
    cJSON *r = fx_take(f, "k1", "A", JH_PRIO_NONE);
    assert_string_equal(js(r, "ticket"), "A001");
    assert_int_equal((int)fx_num(r, "day"), 20261124);
    assert_string_equal(js(r, "issued_at"), "2026-11-24T07:00:00+08:00");
    assert_int_equal((int)fx_num(r, "ahead"), 0);
    cJSON_Delete(r);
    /* yesterday's tickets are no longer known by label today */
    fx_login(f, "c03", "s1");
    fx_refused(fx_counter_ticket(f, "c03", JH_OP_CALL, "A002"), "unknown-ticket");
    fx_call_next(f, "c03", t);
    assert_string_equal(t, "A001");
    fx_free(f);
}

static void test_rollover_lazily_on_apply(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char t[16];
    fx_take_ok(f, "B", JH_PRIO_NONE, NULL);
    fx_take_ok(f, "B", JH_PRIO_NONE, NULL);
    f->now = T0 + 2 * 24 * HOUR; /* Wednesday 09:00, no tick in between */
    cJSON *r = fx_take(f, "k1", "B", JH_PRIO_NONE);
    assert_string_equal(js(r, "ticket"), "B001");
    assert_int_equal((int)fx_num(r, "day"), 20261125);
    assert_int_equal((int)fx_num(r, "ahead"), 0);
    cJSON_Delete(r);
    assert_true(f->last.hall_dirty);
    fx_login(f, "c02", "s2");
    fx_call_next(f, "c02", t);
    assert_string_equal(t, "B001");
    fx_call_next(f, "c02", t);
    assert_string_equal(t, "");
    /* a clock set back does not reopen Tuesday's or Monday's numbering */
    f->now = T0 + 24 * HOUR;
    r = fx_take(f, "k1", "B", JH_PRIO_NONE);
    assert_string_equal(js(r, "ticket"), "B002");
    assert_int_equal((int)fx_num(r, "day"), 20261125);
    cJSON_Delete(r);
    fx_free(f);
}

static void test_restart_continues_numbering(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char t[16];
    for (int i = 0; i < 3; i++)
        fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_login(f, "c03", "s1");
    fx_call_next(f, "c03", t);
    fx_reopen(f);
    fx_take_ok(f, "A", JH_PRIO_NONE, t);
    assert_string_equal(t, "A004");
    cJSON *st = fx_counter_state(f, "c03");
    assert_string_equal(js(st, "ticket"), "A001"); /* the counter kept its state */
    cJSON_Delete(st);
    assert_int_equal(fx_waiting(f, "A"), 3);
    fx_free(f);
}

/* A child process takes tickets and is killed with SIGKILL: nothing committed is lost. */
static void test_kill_9_loses_nothing(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    jh_engine_close(f->e);
    f->e = NULL;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char err[256];
        jh_engine *e = jh_engine_open(f->cfg, f->db, err, sizeof err);
        jh_origin o = {JH_ORIGIN_KIOSK, "k1"};
        for (int i = 0; e && i < 2; i++) {
            jh_command c = {.op = JH_OP_TAKE, .service = "A"};
            snprintf(c.id, sizeof c.id, "child-%d", i);
            jh_outcome out;
            if (jh_engine_apply(e, &o, &c, T0, &out, err, sizeof err) != 0 || !out.ok)
                _exit(3);
        }
        raise(SIGKILL); /* no close, no checkpoint */
        _exit(4);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    fx_open_engine(f);
    char t[16];
    fx_take_ok(f, "A", JH_PRIO_NONE, t);
    assert_string_equal(t, "A004");
    int64_t last;
    assert_int_equal(fx_outbox_count(f, 0, &last), 4);
    assert_int_equal(last, 4);
    fx_free(f);
}

static void test_outbox_seq_contiguous_across_reopen(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char t[16];
    jh_event ev;
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_login(f, "c03", "s1");
    fx_call_next(f, "c03", t); /* called */
    fx_call_next(f, "c03", t); /* finished, called */
    fx_reopen(f);
    fx_take_ok(f, "B", JH_PRIO_NONE, NULL);
    fx_ok(fx_counter(f, "c03", JH_OP_FINISH));
    int64_t want = 1;
    while (jh_engine_outbox_next(f->e, want - 1, &ev) == 1) {
        assert_int_equal(ev.seq, want);
        cJSON *p = cJSON_Parse(ev.payload);
        assert_non_null(p);
        assert_int_equal((int64_t)fx_num(p, "seq"), ev.seq);
        cJSON_Delete(p);
        jh_event_free(&ev);
        want++;
    }
    assert_int_equal(want - 1, 7);
    cJSON *h = fx_state_json(jh_engine_hall_state(f->e, f->now));
    assert_int_equal((int)fx_num(h, "seq"), 7);
    cJSON_Delete(h);
    /* acknowledged events are not handed out again, also after a restart */
    assert_int_equal(jh_engine_outbox_ack(f->e, 5), 0);
    fx_reopen(f);
    assert_int_equal(jh_engine_outbox_next(f->e, 0, &ev), 1);
    assert_int_equal(ev.seq, 6);
    jh_event_free(&ev);
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    int64_t last;
    assert_int_equal(fx_outbox_count(f, 0, &last), 3);
    assert_int_equal(last, 8);
    fx_free(f);
}

static void test_opening_hours_refuse_take_not_calls(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    jh_outcome out;
    char t[16];
    int h = jh_config_service_index(f->cfg, "H");
    f->now = T0 + 3 * HOUR - MIN; /* 11:59 */
    fx_take_ok(f, "H", JH_PRIO_NONE, NULL);
    fx_take_ok(f, "H", JH_PRIO_NONE, NULL);
    tick(f, &out);
    f->now = T0 + 3 * HOUR; /* 12:00: lunch break */
    tick(f, &out);
    assert_true(out.service_dirty[h]);
    cJSON *s = fx_service_state(f, "H");
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(s, "open")));
    assert_string_equal(js(s, "next_open"), "2026-11-23T14:00:00+08:00");
    assert_int_equal((int)fx_num(s, "waiting"), 2);
    cJSON_Delete(s);
    cJSON *r = fx_take(f, "k1", "H", JH_PRIO_NONE);
    assert_string_equal(js(r, "error"), "closed");
    assert_non_null(strstr(js(r, "message"), "2026-11-23T14:00:00+08:00"));
    cJSON_Delete(r);
    /* 延时服务: everyone already waiting is still called */
    fx_login(f, "c01", "s1");
    fx_call_next(f, "c01", t);
    assert_string_equal(t, "H001");
    fx_call_next(f, "c01", t);
    assert_string_equal(t, "H002");
    f->now = T0 + 5 * HOUR; /* 14:00 */
    tick(f, &out);
    assert_true(out.service_dirty[h]);
    fx_take_ok(f, "H", JH_PRIO_NONE, t);
    assert_string_equal(t, "H003");
    fx_free(f);
}

static void test_tick_overrun(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    jh_outcome out;
    char t[16];
    int c = jh_config_counter_index(f->cfg, "c03");
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_login(f, "c03", "s1");
    fx_call_next(f, "c03", t);
    tick(f, &out);
    f->now += 600 * SEC; /* exactly the 10 min target: not over */
    tick(f, &out);
    assert_false(out.counter_dirty[c]);
    f->now += SEC;
    tick(f, &out);
    assert_true(out.counter_dirty[c]);
    cJSON *st = fx_counter_state(f, "c03");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(st, "overrun")));
    assert_int_equal((int)fx_num(st, "serving_s"), 601);
    assert_string_equal(js(st, "since"), "2026-11-23T09:00:00+08:00");
    cJSON_Delete(st);
    f->now += SEC;
    tick(f, &out);
    assert_false(out.counter_dirty[c]); /* marked once, not every second */
    fx_ok(fx_counter(f, "c03", JH_OP_FINISH));
    tick(f, &out);
    assert_true(out.counter_dirty[c]);
    fx_free(f);
}

static void serve(fx *f, const char *counter, int seconds)
{
    char t[16];
    fx_call_next(f, counter, t);
    assert_true(t[0]);
    f->now += seconds * SEC;
    fx_ok(fx_counter(f, counter, JH_OP_FINISH));
}

static void test_ewt_from_recent_service_times(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    jh_outcome out;
    for (int i = 0; i < 3; i++)
        fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_login(f, "c03", "s3");
    serve(f, "c03", 100);
    serve(f, "c03", 200);
    serve(f, "c03", 300); /* mean 200 s */
    fx_login(f, "c01", "s1"); /* two counters open for A */
    cJSON *r = fx_take(f, "k1", "A", JH_PRIO_NONE);
    assert_int_equal((int)fx_num(r, "ewt_s"), 0);
    cJSON_Delete(r);
    r = fx_take(f, "k1", "A", JH_PRIO_NONE);
    assert_int_equal((int)fx_num(r, "ahead"), 1);
    assert_int_equal((int)fx_num(r, "ewt_s"), 100);
    cJSON_Delete(r);
    tick(f, &out);
    cJSON *s = fx_service_state(f, "A");
    assert_int_equal((int)fx_num(s, "ewt_s"), 200); /* 2 waiting × 200 s ÷ 2 counters */
    cJSON_Delete(s);
    jh_command p = fx_cmd(JH_OP_PAUSE);
    fx_ok(fx_send(f, JH_ORIGIN_COUNTER, "c01", &p));
    tick(f, &out);
    assert_true(out.service_dirty[jh_config_service_index(f->cfg, "A")]);
    s = fx_service_state(f, "A");
    assert_int_equal((int)fx_num(s, "ewt_s"), 400);
    cJSON_Delete(s);
    fx_free(f);
}

static void test_hall_last_called(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char t[16];
    for (int i = 0; i < 12; i++)
        fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_login(f, "c03", "s3");
    fx_login(f, "c01", "s1");
    for (int i = 0; i < 6; i++) {
        f->now += SEC;
        fx_call_next(f, "c03", t);
        f->now += SEC;
        fx_call_next(f, "c01", t);
    }
    cJSON_Delete(fx_counter(f, "c01", JH_OP_RECALL)); /* recalls do not push the list */
    cJSON *h = fx_state_json(jh_engine_hall_state(f->e, f->now));
    cJSON *lc = cJSON_GetObjectItem(h, "last_called");
    assert_int_equal(cJSON_GetArraySize(lc), 10);
    cJSON *first = cJSON_GetArrayItem(lc, 0);
    assert_string_equal(js(first, "ticket"), "A012");
    assert_string_equal(js(first, "counter"), "c01");
    assert_int_equal((int)fx_num(first, "counter_number"), 1);
    assert_string_equal(js(cJSON_GetArrayItem(lc, 9), "ticket"), "A003");
    cJSON_Delete(h);
    cJSON *s = fx_service_state(f, "A");
    assert_string_equal(js(s, "last_called"), "A012");
    cJSON_Delete(s);
    fx_free(f);
}

/*
 * A store that cannot write (here: the WAL may not grow, as on a full disk)
 * fails the command as a whole: -1, an "internal" reply, nothing changed, and
 * the engine works again once the disk has room.
 */
static void test_store_failure_changes_nothing(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char wal[160], err[256] = "", t[16];
    struct stat sb;
    struct rlimit old, lim;
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    int64_t seq0;
    fx_outbox_count(f, 0, &seq0);
    snprintf(wal, sizeof wal, "%s-wal", f->db);
    assert_int_equal(stat(wal, &sb), 0);
    signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = (rlim_t)sb.st_size;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    jh_command c = fx_cmd(JH_OP_TAKE);
    strcpy(c.id, "k1-full");
    strcpy(c.service, "A");
    jh_origin o = {JH_ORIGIN_KIOSK, "k1"};
    jh_outcome out;
    int rc = jh_engine_apply(f->e, &o, &c, f->now, &out, err, sizeof err);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, SIG_DFL);
    assert_int_equal(rc, -1);
    assert_true(strlen(err) > 0);
    assert_false(out.ok);
    assert_int_equal(out.n_events, 0);
    assert_false(out.service_dirty[0]);
    assert_non_null(strstr(out.reply, "\"error\":\"internal\""));
    assert_non_null(strstr(out.reply, "\"id\":\"k1-full\""));
    jh_outcome_free(&out);
    int64_t seq1;
    fx_outbox_count(f, 0, &seq1);
    assert_int_equal(seq1, seq0);
    assert_int_equal(fx_waiting(f, "A"), 1);
    /* room again: the same command id is applied now (the failure was not recorded) */
    cJSON *r = fx_send(f, JH_ORIGIN_KIOSK, "k1", &c);
    assert_false(f->last.duplicate);
    assert_string_equal(js(r, "ticket"), "A002");
    cJSON_Delete(r);
    fx_login(f, "c03", "s1");
    fx_call_next(f, "c03", t);
    assert_string_equal(t, "A001");
    fx_free(f);
}

static void test_open_bad_store_path(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char err[256] = "";
    jh_engine *e = jh_engine_open(f->cfg, "/nonexistent-dir/x/hall.db", err, sizeof err);
    assert_null(e);
    assert_non_null(strstr(err, "/nonexistent-dir/x/hall.db"));
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_business_day_in_hall_zone),
        cmocka_unit_test(test_rollover_lazily_on_apply),
        cmocka_unit_test(test_restart_continues_numbering),
        cmocka_unit_test(test_kill_9_loses_nothing),
        cmocka_unit_test(test_outbox_seq_contiguous_across_reopen),
        cmocka_unit_test(test_opening_hours_refuse_take_not_calls),
        cmocka_unit_test(test_tick_overrun),
        cmocka_unit_test(test_ewt_from_recent_service_times),
        cmocka_unit_test(test_hall_last_called),
        cmocka_unit_test(test_store_failure_changes_nothing),
        cmocka_unit_test(test_open_bad_store_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
