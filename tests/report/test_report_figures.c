/* SPDX-License-Identifier: MIT */
/*
 * test_report_figures — the report's figures for the hand-made day of
 * report_day.h, built through the real engine and read back by report_query
 * from the real store. Every expected value is worked out below from the
 * day's timeline (minutes after 09:00), not copied from the program's output.
 */
#include "report_day.h"

#include "report_model.h"
#include "report_query.h"

/* The report's moment "now": after the day, so nothing is still open. */
#define REPORT_NOW (T0 + 2 * HOUR)

static fx *day_fx;

static int setup(void **state)
{
    (void)state;
    day_fx = rd_build();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_free(day_fx);
    return 0;
}

static jh_report *run(jh_period_kind kind, const char *text)
{
    jh_period p;
    char err[512] = "";
    jh_report *r = calloc(1, sizeof *r);
    assert_non_null(r);
    assert_int_equal(jh_period_parse(kind, text, &p, err, sizeof err), 0);
    if (jh_report_init(r, day_fx->cfg, &p, REPORT_NOW, err, sizeof err) < 0 ||
        jh_report_load(r, day_fx->db, err, sizeof err) < 0)
        fail_msg("report: %s", err);
    jh_report_finish(r);
    return r;
}

static void done(jh_report *r)
{
    jh_report_free(r);
    free(r);
}

static jh_report_group *group(jh_group_list *l, const char *key)
{
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->g[i].key, key))
            return &l->g[i];
    fail_msg("no row %s", key);
    return NULL;
}

/* Sample s in seconds must summarise to these minutes. */
static void minutes(jh_sample *s, int n, double mean, double median, double p90, double max)
{
    jh_summary m = jh_sample_summary(s);
    assert_int_equal(m.n, n);
    assert_float_equal(m.mean, mean * 60, 1e-6);
    assert_float_equal(m.median, median * 60, 1e-6);
    assert_float_equal(m.p90, p90 * 60, 1e-6);
    assert_float_equal(m.max, max * 60, 1e-6);
}

static void counts(const jh_report_group *g, int tickets, int green, int served, int no_show,
                   int voided)
{
    assert_int_equal(g->tickets, tickets);
    assert_int_equal(g->green, green);
    assert_int_equal(g->served, served);
    assert_int_equal(g->no_show, no_show);
    assert_int_equal(g->voided, voided);
    assert_int_equal(g->expired, 0);
    assert_int_equal(g->open, 0);
}

static void ratings(const jh_report_group *g, int all, int flagged, int satisfied)
{
    assert_int_equal(g->ratings, all);
    assert_int_equal(g->flagged, flagged);
    assert_int_equal(g->satisfied, satisfied);
}

/*
 * Waits (call − issue): A001 6−0=6, A002 6−1=5, A003 11−2=9, B001 26−3=23,
 * A004 12−4=8, A006 70−65=5 (A005 was voided, never called).
 * Service (finish − call): A001 10−6=4, A002 12−6=6, A004 25−12=13,
 * B001 30−26=4, A006 90−70=20. Overruns: A004 and A006 (> 10 min of A).
 */
static void test_day_summary(void **state)
{
    (void)state;
    jh_report *r = run(JH_PERIOD_DAY, "2026-11-23");
    jh_report_group *s = &r->summary;
    counts(s, 7, 2, 5, 1, 1);
    /* sorted waits 5 5 6 8 9 23: mean 56/6, median (6+8)/2, p90 rank ceil(5.4)=6 → 23 */
    minutes(&s->wait, 6, 56.0 / 6, 7, 23, 23);
    minutes(&s->wait_green, 2, 5, 5, 5, 5);
    minutes(&s->wait_normal, 4, (6 + 9 + 23 + 8) / 4.0, 8.5, 23, 23);
    /* sorted service 4 4 6 13 20: mean 47/5, median 6, p90 rank ceil(4.5)=5 → 20 */
    minutes(&s->service, 5, 47.0 / 5, 6, 20, 20);
    assert_int_equal(s->overruns, 2);
    /* ratings 5, 4 (flagged: 0.5 s after finish), 2, 5 → counted 3, satisfied 2 */
    ratings(s, 4, 1, 2);
    assert_float_equal(jh_group_satisfaction(s), 200.0 / 3, 1e-9);
    assert_int_equal(jh_group_meets_line(s), 0);
    assert_int_equal(s->pauses, 1);
    assert_int_equal(s->pause_ms, 30 * MIN);           /* 15 → 45 */
    assert_int_equal(s->duty_ms, 2 * 100 * MIN);       /* two logins 0 → 100 */
    assert_int_equal(r->days.n, 1);
    assert_int_equal(group(&r->days, "20261123")->tickets, 7);
    done(r);
}

static void test_day_by_counter_and_staff(void **state)
{
    (void)state;
    jh_report *r = run(JH_PERIOD_DAY, "2026-11-23");
    /* c01: A002 (green), A004, B001 — waits 5 8 23, service 6 13 4 */
    jh_report_group *c1 = group(&r->counters, "c01"), *c3 = group(&r->counters, "c03");
    counts(c1, 3, 1, 3, 0, 0);
    minutes(&c1->wait, 3, 36.0 / 3, 8, 23, 23);
    minutes(&c1->service, 3, 23.0 / 3, 6, 13, 13);
    assert_int_equal(c1->overruns, 1);
    ratings(c1, 2, 1, 0); /* A002 4 flagged, A004 2 → 0 of 1 */
    assert_float_equal(jh_group_satisfaction(c1), 0, 1e-9);
    assert_int_equal(c1->pause_ms, 0);
    assert_int_equal(c1->duty_ms, 100 * MIN);
    /* c03: A001, A003 (no-show), A006 (green) — waits 6 9 5, service 4 20 */
    counts(c3, 3, 1, 2, 1, 0);
    minutes(&c3->wait, 3, 20.0 / 3, 6, 9, 9);
    minutes(&c3->wait_green, 1, 5, 5, 5, 5);
    minutes(&c3->service, 2, 12, 12, 20, 20);
    assert_int_equal(c3->overruns, 1);
    ratings(c3, 2, 0, 2);
    assert_int_equal(jh_group_meets_line(c3), 1);
    assert_int_equal(c3->pauses, 1);
    assert_int_equal(c3->pause_ms, 30 * MIN);
    /* c02 was configured but never opened: its row is there, empty */
    counts(group(&r->counters, "c02"), 0, 0, 0, 0, 0);
    assert_int_equal(jh_group_meets_line(group(&r->counters, "c02")), -1);
    /* staff rows mirror their counters; the name comes from the login */
    jh_report_group *s3 = group(&r->staff, "s03");
    assert_int_equal(r->staff.n, 2);
    assert_string_equal(s3->name_zh, "员工s03");
    counts(s3, 3, 1, 2, 1, 0);
    assert_int_equal(s3->pause_ms, 30 * MIN);
    ratings(group(&r->staff, "s01"), 2, 1, 0);
    done(r);
}

static void test_day_by_service(void **state)
{
    (void)state;
    jh_report *r = run(JH_PERIOD_DAY, "2026-11-23");
    jh_report_group *a = group(&r->services, "A"), *b = group(&r->services, "B");
    /* A: A001–A006; waits 6 5 9 8 5 → sorted 5 5 6 8 9; service 4 6 13 20 */
    counts(a, 6, 2, 4, 1, 1);
    minutes(&a->wait, 5, 33.0 / 5, 6, 9, 9);
    minutes(&a->service, 4, 43.0 / 4, (6 + 13) / 2.0, 20, 20);
    assert_int_equal(a->target_s, 10 * 60);
    assert_int_equal(a->overruns, 2);
    ratings(a, 4, 1, 2);
    /* B: B001 waited 23, served in 4 (target 5: no overrun), not rated */
    counts(b, 1, 0, 1, 0, 0);
    minutes(&b->wait, 1, 23, 23, 23, 23);
    assert_int_equal(b->overruns, 0);
    assert_int_equal(jh_group_meets_line(b), -1);
    counts(group(&r->services, "H"), 0, 0, 0, 0, 0);
    done(r);
}

static void test_day_by_hour(void **state)
{
    (void)state;
    jh_report *r = run(JH_PERIOD_DAY, "2026-11-23");
    jh_report_group *h9 = &r->hours[9], *h10 = &r->hours[10];
    /* 9 o'clock arrivals: A001–A005 and B001, waits 6 5 9 23 8 */
    counts(h9, 6, 1, 4, 1, 1);
    minutes(&h9->wait, 5, 51.0 / 5, 8, 23, 23);
    /* finished in the 9 o'clock hour: A001 A002 A004 B001 (service 4 6 13 4) */
    minutes(&h9->service, 4, 27.0 / 4, 5, 13, 13);
    ratings(h9, 3, 1, 1);
    /* 10 o'clock: A006 issued 10:05, waited 5, finished 10:30 after 20 */
    counts(h10, 1, 1, 1, 0, 0);
    minutes(&h10->service, 1, 20, 20, 20, 20);
    assert_int_equal(h10->overruns, 1);
    assert_int_equal(r->hours[8].tickets + r->hours[11].tickets, 0);
    /* hours shown: the services' opening hours (07:00–24:00 in this hall) */
    assert_int_equal(r->first_hour, 7);
    assert_int_equal(r->last_hour, 23);
    done(r);
}

static void test_day_pauses_and_flags(void **state)
{
    (void)state;
    jh_report *r = run(JH_PERIOD_DAY, "2026-11-23");
    assert_int_equal(r->n_pause_rows, 1);
    assert_string_equal(r->pause_rows[0].counter, "c03");
    assert_string_equal(r->pause_rows[0].staff_id, "s03");
    assert_string_equal(r->pause_rows[0].reason, "会议");
    assert_int_equal(r->pause_rows[0].ms, 30 * MIN);
    assert_int_equal(r->n_flagged, 1);
    assert_string_equal(r->flagged[0].label, "A002");
    assert_string_equal(r->flagged[0].counter, "c01");
    assert_int_equal(r->flagged[0].score, 4);
    assert_int_equal(r->flagged[0].rated_at, T0 + 12 * MIN + 500);
    assert_non_null(strstr(r->flagged[0].flags, "too-fast"));
    done(r);
}

/* The Sunday ticket is in the month, not in Monday's week (Mon 23 – Sun 29). */
static void test_periods(void **state)
{
    (void)state;
    jh_report *w = run(JH_PERIOD_WEEK, "2026-11-25");
    assert_int_equal(w->period.first_day, 20261123);
    assert_int_equal(w->period.last_day, 20261129);
    assert_int_equal(w->summary.tickets, 7);
    assert_int_equal(w->days.n, 7);
    assert_int_equal(group(&w->days, "20261129")->tickets, 0);
    done(w);
    jh_report *m = run(JH_PERIOD_MONTH, "2026-11");
    assert_int_equal(m->summary.tickets, 8);
    assert_int_equal(m->summary.served, 6);
    assert_int_equal(m->days.n, 30);
    jh_report_group *sun = group(&m->days, "20261122");
    counts(sun, 1, 0, 1, 0, 0);
    minutes(&sun->wait, 1, 1, 1, 1, 1);
    assert_int_equal(sun->duty_ms, 3 * MIN);
    /* the same counter and staff over both days */
    counts(group(&m->counters, "c01"), 4, 1, 4, 0, 0);
    done(m);
    jh_report *none = run(JH_PERIOD_DAY, "2026-11-21");
    counts(&none->summary, 0, 0, 0, 0, 0);
    assert_int_equal(jh_group_meets_line(&none->summary), -1);
    done(none);
}

/* A ticket still being served and a pause still running when the report is made. */
static void test_open_day(void **state)
{
    (void)state;
    fx *f = fx_new(RD_STRICT);
    rd_at(f, 0);
    fx_login(f, "c01", "s01");
    rd_take(f, "A", JH_PRIO_NONE, "A001");
    rd_take(f, "A", JH_PRIO_NONE, "A002");
    rd_at(f, 2 * MIN);
    rd_call(f, "c01", "A001");
    fx_login(f, "c03", "s03");
    rd_pause(f, "c03", "", "");
    jh_period p;
    jh_report r;
    char err[512];
    assert_int_equal(jh_period_parse(JH_PERIOD_DAY, "2026-11-23", &p, err, sizeof err), 0);
    assert_int_equal(jh_report_init(&r, f->cfg, &p, T0 + 10 * MIN, err, sizeof err), 0);
    assert_int_equal(jh_report_load(&r, f->db, err, sizeof err), 0);
    jh_report_finish(&r);
    assert_int_equal(r.summary.open, 2);            /* one called, one waiting */
    assert_int_equal(r.summary.wait.n, 1);
    assert_int_equal(r.summary.pause_ms, 8 * MIN);  /* 2 → now (10) */
    assert_int_equal(r.summary.duty_ms, 10 * MIN + 8 * MIN);
    assert_string_equal(r.pause_rows[0].reason, "");
    jh_report_free(&r);
    fx_free(f);
}

static void test_missing_store(void **state)
{
    (void)state;
    jh_period p;
    jh_report r;
    char err[512] = "";
    assert_int_equal(jh_period_parse(JH_PERIOD_DAY, "2026-11-23", &p, err, sizeof err), 0);
    assert_int_equal(jh_report_init(&r, day_fx->cfg, &p, REPORT_NOW, err, sizeof err), 0);
    assert_int_equal(jh_report_load(&r, "/nonexistent/jiaohao.db", err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/jiaohao.db"));
    assert_null(strchr(err, '\n'));
    jh_report_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_day_summary),
        cmocka_unit_test(test_day_by_counter_and_staff),
        cmocka_unit_test(test_day_by_service),
        cmocka_unit_test(test_day_by_hour),
        cmocka_unit_test(test_day_pauses_and_flags),
        cmocka_unit_test(test_periods),
        cmocka_unit_test(test_open_day),
        cmocka_unit_test(test_missing_store),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
