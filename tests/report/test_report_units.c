/* SPDX-License-Identifier: MIT */
/*
 * test_report_units — the report's building blocks on their own: percentiles
 * (report_stats), periods (report_period) and the CSV format (report_csv).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "report_csv.h"
#include "report_period.h"
#include "report_stats.h"

static jh_summary summarise(const double *v, int n)
{
    jh_sample s = {0};
    for (int i = 0; i < n; i++)
        assert_int_equal(jh_sample_add(&s, v[i]), 0);
    jh_summary m = jh_sample_summary(&s);
    jh_sample_free(&s);
    return m;
}

static void test_summary(void **state)
{
    (void)state;
    /* 1..10 shuffled: mean 5.5, median (5+6)/2, p90 rank 9 → 9 (not 10: 90 % of 10 is 9) */
    const double ten[] = {7, 3, 10, 1, 9, 2, 8, 5, 4, 6};
    jh_summary m = summarise(ten, 10);
    assert_int_equal(m.n, 10);
    assert_float_equal(m.mean, 5.5, 1e-12);
    assert_float_equal(m.median, 5.5, 1e-12);
    assert_float_equal(m.p90, 9, 1e-12);
    assert_float_equal(m.max, 10, 1e-12);
    /* odd count: the middle value; p90 of 3 values: rank ceil(2.7) = 3 */
    const double three[] = {30, 10, 20};
    m = summarise(three, 3);
    assert_float_equal(m.median, 20, 1e-12);
    assert_float_equal(m.p90, 30, 1e-12);
    m = summarise(three, 0);
    assert_int_equal(m.n, 0);
    assert_float_equal(m.max, 0, 1e-12);
}

static void test_percentile_ranks(void **state)
{
    (void)state;
    double v[20];
    for (int i = 0; i < 20; i++)
        v[i] = i + 1;
    assert_float_equal(jh_percentile_sorted(v, 20, 90), 18, 1e-12);  /* rank 18 */
    assert_float_equal(jh_percentile_sorted(v, 11, 90), 10, 1e-12);  /* ceil(9.9) = 10 */
    assert_float_equal(jh_percentile_sorted(v, 1, 90), 1, 1e-12);
    assert_float_equal(jh_percentile_sorted(v, 20, 100), 20, 1e-12);
}

static void period_ok(jh_period_kind k, const char *text, int first, int last, const char *label)
{
    jh_period p;
    char err[256] = "";
    if (jh_period_parse(k, text, &p, err, sizeof err) != 0)
        fail_msg("%s: %s", text, err);
    assert_int_equal(p.first_day, first);
    assert_int_equal(p.last_day, last);
    assert_string_equal(p.label, label);
}

static void period_bad(jh_period_kind k, const char *text)
{
    jh_period p;
    char err[256] = "";
    assert_int_equal(jh_period_parse(k, text, &p, err, sizeof err), -1);
    assert_non_null(strstr(err, "is not a date"));
}

static void test_periods(void **state)
{
    (void)state;
    period_ok(JH_PERIOD_DAY, "2026-11-23", 20261123, 20261123, "2026-11-23");
    /* a week is Monday to Sunday around the date; this one crosses the year */
    period_ok(JH_PERIOD_WEEK, "2026-01-01", 20251229, 20260104, "2025-12-29 – 2026-01-04");
    period_ok(JH_PERIOD_WEEK, "2026-11-29", 20261123, 20261129, "2026-11-23 – 2026-11-29");
    period_ok(JH_PERIOD_MONTH, "2028-02", 20280201, 20280229, "2028-02");
    period_ok(JH_PERIOD_MONTH, "2026-12", 20261201, 20261231, "2026-12");
    period_bad(JH_PERIOD_DAY, "2026-02-30");
    period_bad(JH_PERIOD_DAY, "2026-2-3");
    period_bad(JH_PERIOD_DAY, "2026-11-23x");
    period_bad(JH_PERIOD_DAY, "");
    period_bad(JH_PERIOD_MONTH, "2026-13");
    period_bad(JH_PERIOD_MONTH, "2026-11-01");
    assert_int_equal(jh_day_add(20261231, 1), 20270101);
    assert_int_equal(jh_day_add(20240301, -1), 20240229);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[4096];
    *len = fread(buf, 1, sizeof buf - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static void test_csv_format(void **state)
{
    (void)state;
    char dir[] = "/tmp/jh-report-csv-XXXXXX", path[128], err[256];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.csv", dir);
    jh_csv c;
    assert_int_equal(jh_csv_open(&c, path, err, sizeof err), 0);
    jh_csv_text(&c, "窗口 / Counter");
    jh_csv_text(&c, "say \"hi\", twice");
    jh_csv_text(&c, "=HYPERLINK(\"x\")");
    jh_csv_int(&c, -3);
    jh_csv_empty(&c);
    jh_csv_number(&c, 66.666, 1);
    jh_csv_end_row(&c);
    jh_csv_text(&c, "two\nlines");
    jh_csv_end_row(&c);
    assert_int_equal(access(path, F_OK), -1); /* nothing under the real name until closed */
    assert_int_equal(jh_csv_close(&c, err, sizeof err), 0);
    size_t len;
    const char *text = slurp(path, &len);
    assert_string_equal(text, "\xEF\xBB\xBF窗口 / Counter,\"say \"\"hi\"\", twice\",\"'=HYPERLINK(\"\"x\"\")\","
                              "-3,,66.7\r\n\"two\nlines\"\r\n");
    unlink(path);
    rmdir(dir);
    assert_int_equal(jh_csv_open(&c, "/nonexistent/dir/t.csv", err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/dir/t.csv"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_percentile_ranks),
        cmocka_unit_test(test_periods),
        cmocka_unit_test(test_csv_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
