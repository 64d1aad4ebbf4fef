/* SPDX-License-Identifier: MIT */
/*
 * hall_words — see hall_words.h.
 */
#include "hall_words.h"

#include <stdio.h>
#include <time.h>

void jh_clock_text(int64_t now_ms, char *hms, size_t hl, char *date_zh, size_t dzl,
                   char *date_en, size_t del)
{
    static const char *wd_zh[] = {"日", "一", "二", "三", "四", "五", "六"};
    static const char *wd_en[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *mon_en[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)(now_ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm); /* the process zone is the hall's (jh_time_set_zone) */
    snprintf(hms, hl, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
    snprintf(date_zh, dzl, "%d年%d月%d日 星期%s", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             wd_zh[tm.tm_wday]);
    snprintf(date_en, del, "%s %d %s %d", wd_en[tm.tm_wday], tm.tm_mday, mon_en[tm.tm_mon],
             tm.tm_year + 1900);
}

void jh_wait_text(int ewt_s, char *zh, size_t zl, char *en, size_t el)
{
    if (ewt_s < 0) {
        snprintf(zh, zl, "—");
        snprintf(en, el, "—");
    } else if (ewt_s < 60) {
        snprintf(zh, zl, "即将办理");
        snprintf(en, el, "< 1 min");
    } else {
        int m = (ewt_s + 59) / 60;
        snprintf(zh, zl, "约%d分钟", m);
        snprintf(en, el, "~%d min", m);
    }
}
