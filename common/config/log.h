/* SPDX-License-Identifier: MIT */
/*
 * log — one line per message on stderr, with time, level and program name.
 *
 * Only executables' edges log; libraries return errors instead. Under systemd
 * stderr goes to the journal, so no syslog code is needed here.
 */
#ifndef JH_LOG_H
#define JH_LOG_H

typedef enum { JH_LOG_DEBUG, JH_LOG_INFO, JH_LOG_WARN, JH_LOG_ERROR } jh_log_level;

/* Program name shown in each line, and the lowest level printed (default INFO). */
void jh_log_init(const char *program, jh_log_level min_level);

void jh_log(jh_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
