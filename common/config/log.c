/* SPDX-License-Identifier: MIT */
/*
 * log — see log.h. Lines look like
 *   2026-11-23 09:05:07.123 jiaohao-caller WARN broker gone, reconnecting
 * Local time of the process, which every Jiaohao program sets to the hall's zone.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

static const char *g_program = "jiaohao";
static jh_log_level g_min = JH_LOG_INFO;

void jh_log_init(const char *program, jh_log_level min_level)
{
    g_program = program;
    g_min = min_level;
}

void jh_log(jh_log_level level, const char *fmt, ...)
{
    static const char *names[] = {"DEBUG", "INFO", "WARN", "ERROR"};
    if (level < g_min)
        return;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    localtime_r(&tv.tv_sec, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);

    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s.%03d %s %s %s\n", stamp, (int)(tv.tv_usec / 1000), g_program, names[level], msg);
}
