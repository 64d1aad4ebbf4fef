/* SPDX-License-Identifier: MIT */
/*
 * hall_time — clock arithmetic in the hall's own time zone (see hall_time.h).
 *
 * Everything goes through the C library's local time after jh_time_set_zone()
 * has pointed TZ at the hall's zone file, so DST rules come from tzdata, not
 * from here. Two places need care beyond localtime_r/mktime:
 *   - the business day when the reset time falls in a repeated hour (autumn
 *     DST): the day starts at the *first* moment the wall clock reaches the
 *     reset time, so the day number never goes backwards;
 *   - dates are stepped as calendar dates (days-from-civil), never as 86400 s,
 *     because DST days are 23 or 25 hours long.
 */
#include "hall_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int jh_time_zone_check(const char *zone, char *err, size_t errlen)
{
    size_t n = zone ? strlen(zone) : 0;
    if (n == 0 || n >= 64 || zone[0] == '/' || zone[0] == '-' || strstr(zone, "..") ||
        strspn(zone, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-") != n) {
        snprintf(err, errlen, "not a time zone name (want e.g. Asia/Shanghai)");
        return -1;
    }
    const char *dir = getenv("TZDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", zone);
    struct stat st;
    char magic[4] = {0};
    FILE *f = NULL;
    int ok = stat(path, &st) == 0 && S_ISREG(st.st_mode) && (f = fopen(path, "rb")) &&
             fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
    if (f)
        fclose(f);
    if (!ok) {
        snprintf(err, errlen, "unknown time zone (no TZif file %s)", path);
        return -1;
    }
    return 0;
}

int jh_time_set_zone(const char *zone, char *err, size_t errlen)
{
    if (jh_time_zone_check(zone, err, errlen) != 0)
        return -1;
    char tz[80];
    /* ':' makes glibc read the zone file and never parse the name as a POSIX TZ rule */
    snprintf(tz, sizeof tz, ":%s", zone);
    if (setenv("TZ", tz, 1) != 0) {
        snprintf(err, errlen, "cannot set TZ");
        return -1;
    }
    tzset();
    return 0;
}

int64_t jh_time_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static time_t to_seconds(int64_t t_ms)
{
    /* floor, so that a moment just before the epoch is not rounded up into it */
    return (time_t)(t_ms >= 0 ? t_ms / 1000 : -((-t_ms + 999) / 1000));
}

static void local_tm(time_t t, struct tm *tm)
{
    if (!localtime_r(&t, tm))
        memset(tm, 0, sizeof *tm);
}

void jh_local_weekday_minute(int64_t t_ms, int *weekday, int *minute)
{
    struct tm tm;
    local_tm(to_seconds(t_ms), &tm);
    *weekday = tm.tm_wday;
    *minute = tm.tm_hour * 60 + tm.tm_min;
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's algorithms). */
int64_t jh_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int yyyymmdd_from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    long y = yoe + era * 400 + (m <= 2);
    return (int)(y * 10000 + m * 100 + d);
}

/*
 * Whether the wall clock already showed (date of tm, reset) at or before t, though
 * it shows an earlier time now: only in a repeated hour. Tries the offsets in force
 * at t and some hours before it; a candidate counts only if it really is that
 * wall time.
 */
static int reset_passed_earlier(time_t t, const struct tm *now, int reset_min)
{
    long wall = jh_days_from_civil(now->tm_year + 1900L, now->tm_mon + 1, now->tm_mday) * 86400L +
                reset_min * 60L;
    static const int back_h[] = {0, 3, 6, 24};
    for (size_t i = 0; i < sizeof back_h / sizeof back_h[0]; i++) {
        struct tm then;
        local_tm(t - back_h[i] * 3600, &then);
        time_t cand = (time_t)(wall - then.tm_gmtoff);
        struct tm at;
        local_tm(cand, &at);
        if (cand <= t && at.tm_yday == now->tm_yday && at.tm_year == now->tm_year &&
            at.tm_hour * 60 + at.tm_min == reset_min && at.tm_sec == 0)
            return 1;
    }
    return 0;
}

int jh_business_day(const jh_hall_config *cfg, int64_t t_ms)
{
    time_t t = to_seconds(t_ms);
    struct tm tm;
    local_tm(t, &tm);
    long day = jh_days_from_civil(tm.tm_year + 1900L, tm.tm_mon + 1, tm.tm_mday);
    int minute = tm.tm_hour * 60 + tm.tm_min;
    if (minute < cfg->reset_min && !reset_passed_earlier(t, &tm, cfg->reset_min))
        day--;
    return yyyymmdd_from_days(day);
}

/* The moment local date `tm` + `days_ahead` shows `minute`; mktime resolves DST. */
static time_t local_moment(const struct tm *today, int days_ahead, int minute)
{
    struct tm tm = *today;
    tm.tm_mday += days_ahead;
    tm.tm_hour = minute / 60;
    tm.tm_min = minute % 60;
    tm.tm_sec = 0;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

int jh_service_open_at(const jh_service_config *s, int64_t t_ms, int64_t *next_open_ms)
{
    time_t t = to_seconds(t_ms);
    struct tm tm;
    local_tm(t, &tm);
    int sec = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
    int wd = tm.tm_wday;
    for (int i = 0; i < s->n_hours[wd] && i < JH_MAX_HOURS_PER_DAY; i++)
        if (sec >= s->hours[wd][i].open_min * 60 && sec < s->hours[wd][i].close_min * 60)
            return 1;
    if (!next_open_ms)
        return 0;
    *next_open_ms = 0;
    for (int k = 0; k <= 7 && !*next_open_ms; k++) {
        int d = (wd + k) % 7;
        time_t best = 0;
        for (int i = 0; i < s->n_hours[d] && i < JH_MAX_HOURS_PER_DAY; i++) {
            time_t at = local_moment(&tm, k, s->hours[d][i].open_min);
            if (at != (time_t)-1 && at > t && (!best || at < best))
                best = at;
        }
        *next_open_ms = (int64_t)best * 1000;
    }
    return 0;
}

int jh_date_parse(const char *text)
{
    int y, m, d;
    char tail;
    if (!text || sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || y < 1970 || y > 9999 ||
        m < 1 || m > 12 || d < 1)
        return -1;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
        return -1;
    return y * 10000 + m * 100 + d;
}

char *jh_time_iso8601(int64_t t_ms, char *buf, size_t len)
{
    struct tm tm;
    local_tm(to_seconds(t_ms), &tm);
    long off = tm.tm_gmtoff / 60;
    char sign = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, sign, off / 60,
             off % 60);
    return buf;
}
