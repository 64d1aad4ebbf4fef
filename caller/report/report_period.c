/* SPDX-License-Identifier: MIT */
/*
 * report_period — report periods as ranges of business days (see report_period.h).
 *
 * Calendar stepping goes through timegm/gmtime_r at noon UTC: pure date
 * arithmetic with the C library's own calendar, no zone and no DST to trip on.
 */
#include "report_period.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static time_t noon_utc(int y, int m, int d)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
    return timegm(&tm);
}

static int day_of(time_t t, int *weekday)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    if (weekday)
        *weekday = tm.tm_wday;
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

int jh_day_add(int yyyymmdd, int n)
{
    time_t t = noon_utc(yyyymmdd / 10000, yyyymmdd / 100 % 100, yyyymmdd % 100);
    return day_of(t + (time_t)n * 86400, NULL);
}

char *jh_day_text(int yyyymmdd, char *buf, size_t len)
{
    snprintf(buf, len, "%04d-%02d-%02d", yyyymmdd / 10000, yyyymmdd / 100 % 100, yyyymmdd % 100);
    return buf;
}

/* Strict YYYY-MM-DD (or YYYY-MM when !with_day) naming a real date. */
static int read_date(const char *s, int with_day, int *y, int *m, int *d)
{
    char tail;
    size_t want = with_day ? 10 : 7;
    if (!s || strlen(s) != want || strspn(s, "0123456789-") != want || s[4] != '-' ||
        (with_day && s[7] != '-'))
        return -1;
    *d = 1;
    int n = with_day ? sscanf(s, "%4d-%2d-%2d%c", y, m, d, &tail)
                     : sscanf(s, "%4d-%2d%c", y, m, &tail);
    if (n != (with_day ? 3 : 2) || *y < 2000 || *y > 2999 || *m < 1 || *m > 12 || *d < 1)
        return -1;
    /* 2026-02-30 comes back from timegm as March 2nd: refuse it */
    return day_of(noon_utc(*y, *m, *d), NULL) == *y * 10000 + *m * 100 + *d ? 0 : -1;
}

static void make_label(jh_period *p)
{
    char a[16], b[16];
    jh_day_text(p->first_day, a, sizeof a);
    jh_day_text(p->last_day, b, sizeof b);
    if (p->kind == JH_PERIOD_DAY)
        snprintf(p->label, sizeof p->label, "%s", a);
    else if (p->kind == JH_PERIOD_WEEK)
        snprintf(p->label, sizeof p->label, "%s – %s", a, b);
    else
        snprintf(p->label, sizeof p->label, "%.7s", a);
}

int jh_period_parse(jh_period_kind kind, const char *text, jh_period *p, char *err, size_t errlen)
{
    static const char *const want[] = {"YYYY-MM-DD", "YYYY-MM-DD", "YYYY-MM"};
    int y, m, d, weekday;
    if (read_date(text, kind != JH_PERIOD_MONTH, &y, &m, &d) < 0) {
        snprintf(err, errlen, "'%s' is not a date of the form %s", text ? text : "", want[kind]);
        return -1;
    }
    memset(p, 0, sizeof *p);
    p->kind = kind;
    p->first_day = day_of(noon_utc(y, m, d), &weekday);
    p->n_days = 1;
    if (kind == JH_PERIOD_WEEK) {
        p->first_day = jh_day_add(p->first_day, -((weekday + 6) % 7)); /* back to Monday */
        p->n_days = 7;
    } else if (kind == JH_PERIOD_MONTH) {
        int next = m == 12 ? (y + 1) * 10000 + 101 : y * 10000 + (m + 1) * 100 + 1;
        p->n_days = jh_day_add(next, -1) % 100;
    }
    p->last_day = jh_day_add(p->first_day, p->n_days - 1);
    make_label(p);
    return 0;
}
