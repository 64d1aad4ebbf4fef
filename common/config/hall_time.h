/* SPDX-License-Identifier: MIT */
/*
 * hall_time — clock arithmetic in the hall's own time zone.
 *
 * Owns: which business day a moment belongs to, whether a service is open at a
 * moment, and ISO 8601 text with the hall's UTC offset. Times are Unix epoch
 * milliseconds (int64) everywhere in Jiaohao; callers pass "now" in, so every
 * rule here is testable with any clock.
 *
 * Why the process time zone: glibc offers local time only for the process's
 * TZ, and one Jiaohao process serves exactly one hall. jh_time_set_zone()
 * therefore sets TZ for the whole process to the hall's zone (after checking
 * the zone exists — tzset() would silently fall back to UTC). The machine's
 * own zone never matters.
 */
#ifndef JH_HALL_TIME_H
#define JH_HALL_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "hall_config.h"

/* Sets the process time zone to `zone` (IANA name). -1 with a message if unknown. */
int jh_time_set_zone(const char *zone, char *err, size_t errlen);

/*
 * Whether `zone` names a real zone: a-z/A-Z/0-9/_+- and '/', no "..", and a TZif
 * file under $TZDIR or /usr/share/zoneinfo. 0, or -1 with a message.
 */
int jh_time_zone_check(const char *zone, char *err, size_t errlen);

/* Wall clock now, epoch ms. */
int64_t jh_time_now_ms(void);

/*
 * The business day `t` belongs to, as YYYYMMDD in hall time: the local date,
 * except that moments before the reset time (cfg->reset_min) belong to the day
 * before. Ticket numbers restart when this value changes.
 */
int jh_business_day(const jh_hall_config *cfg, int64_t t_ms);

/* Local weekday (0 = Sunday) and minutes after local midnight of `t`. */
void jh_local_weekday_minute(int64_t t_ms, int *weekday, int *minute);

/*
 * Whether service `s` is open for new tickets at `t`. When it is not, and
 * `next_open_ms` is non-NULL, it receives the next opening moment within the
 * coming 8 days (0 when none).
 */
int jh_service_open_at(const jh_service_config *s, int64_t t_ms, int64_t *next_open_ms);

/* "2026-11-23" → 20261123; -1 when it is not a real date. */
int jh_date_parse(const char *text);

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (negative before). */
int64_t jh_days_from_civil(int64_t y, int m, int d);

/* "2026-11-23T09:05:07+08:00" into buf (at least 32 bytes). Returns buf. */
char *jh_time_iso8601(int64_t t_ms, char *buf, size_t len);

#endif
