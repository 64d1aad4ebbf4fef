/* SPDX-License-Identifier: MIT */
/*
 * test_hall_time — business day, opening hours and ISO 8601 of common/config/hall_time.c.
 *
 * Moments are written as UTC (timegm) so each expectation is independent of
 * the machine's zone; the process starts in a zone far from the hall's
 * (America/New_York, UTC) to prove the machine's zone never leaks in. Berlin
 * covers both DST changes, including a reset time inside the skipped and the
 * repeated hour. Services come from real config text through jh_config_parse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "hall_config.h"
#include "hall_time.h"

static jh_hall_config *cfg;

/* epoch ms of a UTC wall time */
static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                    .tm_hour = h, .tm_min = mi, .tm_sec = s};
    return (int64_t)timegm(&tm) * 1000;
}

static void machine_zone(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
}

static void hall_zone(const char *zone)
{
    char err[256];
    int rc = jh_time_set_zone(zone, err, sizeof err);
    if (rc != 0)
        print_error("%s\n", err);
    assert_int_equal(rc, 0);
}

/* A one-service hall in `zone`, with `hours` lines and an optional reset_at. */
static void load_hall(const char *zone, const char *reset, const char *hours)
{
    char text[1024], err[512];
    snprintf(text, sizeof text,
             "[hall]\nsite = t\nname_zh = 测试\nname_en = Test\ntimezone = %s\n%s%s%s"
             "[service A]\nname_zh = 社保\nname_en = Social\nnumbers = 1-999\n%s\n"
             "target_minutes = 10\n",
             zone, reset ? "reset_at = " : "", reset ? reset : "", reset ? "\n" : "", hours);
    int rc = jh_config_parse(cfg, text, strlen(text), "t.ini", err, sizeof err);
    if (rc != 0)
        print_error("%s\n", err);
    assert_int_equal(rc, 0);
    hall_zone(zone);
}

static int setup(void **state)
{
    (void)state;
    cfg = calloc(1, sizeof *cfg);
    return cfg ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(cfg);
    return 0;
}

static const char *WEEKDAYS = "hours = mon-fri 08:30-12:00 14:00-17:30";

/* ------------------------------------------------------------ business day */

static void test_business_day_shanghai_from_new_york(void **state)
{
    (void)state;
    machine_zone("America/New_York");
    load_hall("Asia/Shanghai", NULL, WEEKDAYS); /* reset = 08:30 local = 00:30 UTC */
    assert_int_equal(cfg->reset_min, 8 * 60 + 30);
    assert_int_equal(jh_business_day(cfg, utc(2026, 11, 23, 0, 29, 59)), 20261122);
    assert_int_equal(jh_business_day(cfg, utc(2026, 11, 23, 0, 30, 0)), 20261123);
    assert_int_equal(jh_business_day(cfg, utc(2026, 11, 23, 0, 30, 0) - 1), 20261122);
    /* local midnight (16:00 UTC) is not the boundary */
    assert_int_equal(jh_business_day(cfg, utc(2026, 11, 23, 15, 59, 59)), 20261123);
    assert_int_equal(jh_business_day(cfg, utc(2026, 11, 23, 16, 0, 0)), 20261123);
    assert_int_equal(jh_business_day(cfg, utc(2026, 11, 24, 0, 29, 0)), 20261123);
    /* year and month ends, and a leap day */
    assert_int_equal(jh_business_day(cfg, utc(2027, 1, 1, 0, 0, 0)), 20261231);
    assert_int_equal(jh_business_day(cfg, utc(2027, 1, 1, 0, 30, 0)), 20270101);
    assert_int_equal(jh_business_day(cfg, utc(2028, 3, 1, 0, 0, 0)), 20280229);
    assert_int_equal(jh_business_day(cfg, utc(2028, 2, 29, 1, 0, 0)), 20280229);
}

static void test_business_day_from_utc_machine(void **state)
{
    (void)state;
    machine_zone("UTC");
    load_hall("Asia/Shanghai", "06:00", WEEKDAYS); /* 06:00 local = 22:00 UTC the day before */
    assert_int_equal(jh_business_day(cfg, utc(2026, 11, 22, 21, 59, 59)), 20261122);
    assert_int_equal(jh_business_day(cfg, utc(2026, 11, 22, 22, 0, 0)), 20261123);
    /* with reset at midnight the business day is the plain local date */
    load_hall("Asia/Shanghai", "00:00", WEEKDAYS);
    assert_int_equal(jh_business_day(cfg, utc(2026, 11, 22, 15, 59, 59)), 20261122);
    assert_int_equal(jh_business_day(cfg, utc(2026, 11, 22, 16, 0, 0)), 20261123);
    /* the hall's zone, not the machine's: the same moment in New York is another day */
    load_hall("America/New_York", "00:00", WEEKDAYS);
    assert_int_equal(jh_business_day(cfg, utc(2026, 11, 23, 3, 0, 0)), 20261122);
}

/* Berlin 2026-03-29: 02:00 CET → 03:00 CEST; that business day is 23 hours long. */
static void test_business_day_dst_spring(void **state)
{
    (void)state;
    machine_zone("Asia/Shanghai");
    load_hall("Europe/Berlin", "08:00", WEEKDAYS);
    assert_int_equal(jh_business_day(cfg, utc(2026, 3, 28, 6, 59, 59)), 20260327); /* 07:59 CET */
    assert_int_equal(jh_business_day(cfg, utc(2026, 3, 28, 7, 0, 0)), 20260328);   /* 08:00 CET */
    assert_int_equal(jh_business_day(cfg, utc(2026, 3, 29, 5, 59, 59)), 20260328); /* 07:59 CEST */
    assert_int_equal(jh_business_day(cfg, utc(2026, 3, 29, 6, 0, 0)), 20260329);   /* 08:00 CEST */

    /* reset at 02:30, which does not exist that night: the day starts at 03:00 CEST */
    load_hall("Europe/Berlin", "02:30", "hours = mon-sun 08:00-12:00");
    assert_int_equal(jh_business_day(cfg, utc(2026, 3, 29, 0, 59, 59)), 20260328); /* 01:59 CET */
    assert_int_equal(jh_business_day(cfg, utc(2026, 3, 29, 1, 0, 0)), 20260329);   /* 03:00 CEST */
}

/* Berlin 2026-10-25: 03:00 CEST → 02:00 CET; 02:00–03:00 happens twice. */
static void test_business_day_dst_autumn(void **state)
{
    (void)state;
    machine_zone("UTC");
    load_hall("Europe/Berlin", "08:00", WEEKDAYS);
    assert_int_equal(jh_business_day(cfg, utc(2026, 10, 24, 5, 59, 59)), 20261023); /* CEST */
    assert_int_equal(jh_business_day(cfg, utc(2026, 10, 24, 6, 0, 0)), 20261024);
    assert_int_equal(jh_business_day(cfg, utc(2026, 10, 25, 6, 59, 59)), 20261024); /* CET */
    assert_int_equal(jh_business_day(cfg, utc(2026, 10, 25, 7, 0, 0)), 20261025);

    /* reset at 02:30, which happens twice: the day starts at the first 02:30 and the
     * second pass through 02:00–02:30 must not fall back to the day before */
    load_hall("Europe/Berlin", "02:30", "hours = mon-sun 08:00-12:00");
    assert_int_equal(jh_business_day(cfg, utc(2026, 10, 25, 0, 29, 59)), 20261024); /* 02:29 CEST */
    assert_int_equal(jh_business_day(cfg, utc(2026, 10, 25, 0, 30, 0)), 20261025);  /* 02:30 CEST */
    assert_int_equal(jh_business_day(cfg, utc(2026, 10, 25, 1, 0, 0)), 20261025);   /* 02:00 CET */
    assert_int_equal(jh_business_day(cfg, utc(2026, 10, 25, 1, 29, 59)), 20261025); /* 02:29 CET */
    assert_int_equal(jh_business_day(cfg, utc(2026, 10, 25, 1, 30, 0)), 20261025);
}

/* Minute by minute across both Berlin changes: never backwards, one step per day. */
static void test_business_day_monotonic(void **state)
{
    (void)state;
    static const char *resets[] = {"00:00", "02:00", "02:30", "03:00", "08:00"};
    static const int64_t starts[][3] = {{2026, 3, 26}, {2026, 10, 22}};
    machine_zone("America/New_York");
    for (size_t r = 0; r < sizeof resets / sizeof resets[0]; r++) {
        load_hall("Europe/Berlin", resets[r], "hours = mon-sun 08:00-12:00");
        for (size_t s = 0; s < 2; s++) {
            int64_t t = utc((int)starts[s][0], (int)starts[s][1], (int)starts[s][2], 12, 0, 0);
            int prev = jh_business_day(cfg, t), changes = 0;
            for (int m = 1; m <= 6 * 24 * 60; m++) {
                int day = jh_business_day(cfg, t + (int64_t)m * 60000);
                if (day < prev)
                    print_error("reset %s: day went back %d → %d at minute %d\n", resets[r],
                                prev, day, m);
                assert_true(day >= prev);
                changes += day != prev;
                prev = day;
            }
            if (changes != 6)
                print_error("reset %s start %zu: %d changes\n", resets[r], s, changes);
            assert_int_equal(changes, 6);
        }
    }
}

/* ------------------------------------------------------------ opening hours */

static void expect_closed(int64_t t, int64_t next)
{
    int64_t got = -1;
    assert_int_equal(jh_service_open_at(&cfg->services[0], t, &got), 0);
    if (got != next) {
        char a[40], b[40];
        print_error("next open %s, expected %s\n", jh_time_iso8601(got, a, sizeof a),
                    jh_time_iso8601(next, b, sizeof b));
    }
    assert_true(got == next);
}

static void test_open_with_lunch_break(void **state)
{
    (void)state;
    machine_zone("America/New_York");
    load_hall("Asia/Shanghai", NULL, WEEKDAYS);
    const jh_service_config *s = &cfg->services[0];
    /* Monday 2026-11-23, Shanghai = UTC+8 */
    assert_true(jh_service_open_at(s, utc(2026, 11, 23, 0, 30, 0), NULL));  /* 08:30 */
    assert_true(jh_service_open_at(s, utc(2026, 11, 23, 3, 59, 59), NULL)); /* 11:59:59 */
    expect_closed(utc(2026, 11, 23, 0, 29, 59), utc(2026, 11, 23, 0, 30, 0));
    expect_closed(utc(2026, 11, 23, 4, 0, 0), utc(2026, 11, 23, 6, 0, 0)); /* 12:00 → 14:00 */
    expect_closed(utc(2026, 11, 23, 5, 0, 0), utc(2026, 11, 23, 6, 0, 0)); /* lunch */
    assert_true(jh_service_open_at(s, utc(2026, 11, 23, 6, 0, 0), NULL));
    assert_true(jh_service_open_at(s, utc(2026, 11, 23, 9, 29, 59), NULL)); /* 17:29:59 */
    expect_closed(utc(2026, 11, 23, 9, 30, 0), utc(2026, 11, 24, 0, 30, 0)); /* → Tue 08:30 */
    /* after local midnight but before UTC midnight */
    expect_closed(utc(2026, 11, 23, 16, 30, 0), utc(2026, 11, 24, 0, 30, 0));
    /* Friday evening → Monday; Saturday and Sunday closed */
    expect_closed(utc(2026, 11, 27, 10, 0, 0), utc(2026, 11, 30, 0, 30, 0));
    expect_closed(utc(2026, 11, 28, 2, 0, 0), utc(2026, 11, 30, 0, 30, 0));
    expect_closed(utc(2026, 11, 29, 2, 0, 0), utc(2026, 11, 30, 0, 30, 0));
    int64_t untouched = 42;
    assert_true(jh_service_open_at(s, utc(2026, 11, 23, 2, 0, 0), &untouched));
}

static void test_open_saturday_morning(void **state)
{
    (void)state;
    machine_zone("UTC");
    load_hall("Asia/Shanghai", NULL, "hours = mon-fri 08:30-12:00 14:00-17:30\n"
                                     "hours = sat 09:00-12:00");
    const jh_service_config *s = &cfg->services[0];
    expect_closed(utc(2026, 11, 27, 10, 0, 0), utc(2026, 11, 28, 1, 0, 0)); /* Fri → Sat 09:00 */
    assert_true(jh_service_open_at(s, utc(2026, 11, 28, 1, 0, 0), NULL));
    expect_closed(utc(2026, 11, 28, 4, 0, 0), utc(2026, 11, 30, 0, 30, 0)); /* Sat noon → Mon */
}

static void test_open_once_a_week_and_never(void **state)
{
    (void)state;
    machine_zone("UTC");
    load_hall("Asia/Shanghai", NULL, "hours = wed 09:00-10:00");
    /* Wednesday 2026-11-25 10:00 local: next is next Wednesday, 7 days on */
    expect_closed(utc(2026, 11, 25, 2, 0, 0), utc(2026, 12, 2, 1, 0, 0));
    expect_closed(utc(2026, 11, 25, 0, 59, 0), utc(2026, 11, 25, 1, 0, 0));

    jh_service_config closed;
    memset(&closed, 0, sizeof closed);
    int64_t next = -1;
    assert_int_equal(jh_service_open_at(&closed, utc(2026, 11, 25, 2, 0, 0), &next), 0);
    assert_true(next == 0);
}

static void test_open_across_dst(void **state)
{
    (void)state;
    machine_zone("Asia/Shanghai");
    load_hall("Europe/Berlin", NULL, WEEKDAYS);
    /* Saturday 2026-03-28 13:00 CET → Monday 2026-03-30 08:30 CEST = 06:30 UTC */
    expect_closed(utc(2026, 3, 28, 12, 0, 0), utc(2026, 3, 30, 6, 30, 0));
    /* Friday 2026-10-23 18:00 CEST → Monday 2026-10-26 08:30 CET = 07:30 UTC */
    expect_closed(utc(2026, 10, 23, 16, 0, 0), utc(2026, 10, 26, 7, 30, 0));
    assert_true(jh_service_open_at(&cfg->services[0], utc(2026, 3, 30, 6, 30, 0), NULL));
    assert_false(jh_service_open_at(&cfg->services[0], utc(2026, 3, 30, 6, 29, 59), NULL));
}

static void test_weekday_minute(void **state)
{
    (void)state;
    machine_zone("America/New_York");
    hall_zone("Asia/Shanghai");
    int wd, min;
    jh_local_weekday_minute(utc(2026, 11, 22, 16, 5, 0), &wd, &min); /* Mon 00:05 in Shanghai */
    assert_int_equal(wd, 1);
    assert_int_equal(min, 5);
    jh_local_weekday_minute(utc(2026, 11, 22, 15, 59, 59), &wd, &min); /* Sun 23:59 */
    assert_int_equal(wd, 0);
    assert_int_equal(min, 23 * 60 + 59);
}

/* ------------------------------------------------------------ zone and text */

static void test_iso8601(void **state)
{
    (void)state;
    char buf[40];
    machine_zone("UTC");
    hall_zone("Asia/Shanghai");
    assert_string_equal(jh_time_iso8601(utc(2026, 11, 23, 1, 5, 7) + 999, buf, sizeof buf),
                        "2026-11-23T09:05:07+08:00");
    hall_zone("America/New_York");
    assert_string_equal(jh_time_iso8601(utc(2026, 11, 23, 1, 5, 7), buf, sizeof buf),
                        "2026-11-22T20:05:07-05:00");
    assert_string_equal(jh_time_iso8601(utc(2026, 7, 1, 12, 0, 0), buf, sizeof buf),
                        "2026-07-01T08:00:00-04:00");
    hall_zone("Asia/Kolkata");
    assert_string_equal(jh_time_iso8601(utc(2026, 11, 23, 0, 0, 0), buf, sizeof buf),
                        "2026-11-23T05:30:00+05:30");
    hall_zone("UTC");
    assert_string_equal(jh_time_iso8601(-1, buf, sizeof buf), "1969-12-31T23:59:59+00:00");
    char small[11];
    assert_string_equal(jh_time_iso8601(0, small, sizeof small), "1970-01-01");
}

static void test_set_zone_refuses(void **state)
{
    (void)state;
    char err[256];
    hall_zone("Asia/Shanghai");
    static const char *bad[] = {"Asia/Nowhere", "../../etc/passwd", "/etc/localtime", "",
                                "Asia", "zone.tab", "Asia/Shanghai ", "-x",
                                "a-very-long-name/that/goes/on/and/on/and/on/and/on/past/64/bytes"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        assert_int_equal(jh_time_set_zone(bad[i], err, sizeof err), -1);
        assert_true(err[0] != '\0');
        assert_string_equal(getenv("TZ"), ":Asia/Shanghai"); /* unchanged */
    }
    assert_int_equal(jh_time_set_zone(NULL, err, sizeof err), -1);
    assert_int_equal(jh_time_zone_check("Europe/Berlin", err, sizeof err), 0);
    assert_int_equal(jh_time_zone_check("Etc/GMT-8", err, sizeof err), 0);
}

static void test_now(void **state)
{
    (void)state;
    int64_t before = (int64_t)time(NULL) * 1000;
    int64_t now = jh_time_now_ms();
    int64_t after = (int64_t)time(NULL) * 1000 + 1000;
    assert_true(now >= before && now <= after);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_business_day_shanghai_from_new_york),
        cmocka_unit_test(test_business_day_from_utc_machine),
        cmocka_unit_test(test_business_day_dst_spring),
        cmocka_unit_test(test_business_day_dst_autumn),
        cmocka_unit_test(test_business_day_monotonic),
        cmocka_unit_test(test_open_with_lunch_break),
        cmocka_unit_test(test_open_saturday_morning),
        cmocka_unit_test(test_open_once_a_week_and_never),
        cmocka_unit_test(test_open_across_dst),
        cmocka_unit_test(test_weekday_minute),
        cmocka_unit_test(test_iso8601),
        cmocka_unit_test(test_set_zone_refuses),
        cmocka_unit_test(test_now),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
