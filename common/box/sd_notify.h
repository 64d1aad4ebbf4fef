/* SPDX-License-Identifier: MIT */
/*
 * sd_notify — telling systemd how a program is doing, without libsystemd.
 *
 * Owns: the client side of the sd_notify protocol (one datagram of
 * "KEY=VALUE" lines to the AF_UNIX socket named by $NOTIFY_SOCKET: a path, or
 * "@name" in the abstract namespace) and the watchdog's timing (WATCHDOG_USEC,
 * taken only when WATCHDOG_PID is unset or names this process).
 *
 * The units in deploy/systemd are Type=notify with WatchdogSec=: a program
 * says READY=1 once it can serve, and the loop that must never wedge kicks
 * the watchdog from inside itself, so a loop stuck in a SQLite call, a
 * blocked connect or a frozen frame stops kicking and systemd kills and
 * restarts it. A separate timer thread would go on kicking for a dead loop.
 *
 * jh_sd_status keeps each program's STATUS= line and sends it only when it
 * changes, so the loops can say what they are doing without flooding systemd.
 *
 * Not started by systemd (no NOTIFY_SOCKET, no WATCHDOG_USEC): everything
 * here does nothing and succeeds. Nothing here logs; errors come back in err
 * for the program to say once.
 */
#ifndef JH_SD_NOTIFY_H
#define JH_SD_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

/*
 * Sends `state`: one or more newline-separated assignments, e.g. "READY=1",
 * "STATUS=broker unreachable", "STOPPING=1". 0: sent, or not under systemd
 * (NOTIFY_SOCKET unset). -1 with err: NOTIFY_SOCKET is not an absolute path
 * or an @abstract name that fits a socket address, or the send failed.
 */
int jh_sd_notify(const char *state, char *err, size_t errlen);

/*
 * The watchdog interval systemd set for this process. 1 with *usec; 0 when
 * there is none (WATCHDOG_USEC unset, or WATCHDOG_PID names another process,
 * which inherited the environment); -1 with err when either is not a
 * positive decimal number.
 */
int jh_sd_watchdog_usec(uint64_t *usec, char *err, size_t errlen);

/* One loop's watchdog. Zero-initialise it; the first kick reads the environment. */
typedef struct {
    int state;        /* 0: environment not read yet; 1: kicking; 2: no watchdog */
    int64_t every_ms; /* half the interval: one late round must not cost the program its life */
    int64_t next_ms;  /* when the next WATCHDOG=1 is due (the loop's monotonic clock) */
    int failing;      /* the last send failed and was reported */
} jh_sd_watchdog;

/*
 * Call on every round of the loop with its monotonic clock in ms: sends
 * WATCHDOG=1 at once, then each time half the interval has passed. A loop
 * must come round at least that often (every loop here wakes within a
 * second, so WatchdogSec= must be at least 2 s; the units use 15 s or more).
 * 0: nothing due, sent, or no watchdog. -1 with err only for the first of a
 * run of failures (a bad WATCHDOG_USEC, which then switches it off, or a
 * failed send, retried within a second), so the loop may log every -1 it gets.
 */
int jh_sd_watchdog_kick(jh_sd_watchdog *w, int64_t now_ms, char *err, size_t errlen);

#define JH_SD_STATUS_MAX 256 /* bytes of one status line; longer ones are cut at a character */

/*
 * One program's STATUS= line (systemctl status shows it). Zero-initialise it.
 * The loop builds its line from its real state every round and hands it
 * here; it reaches systemd only when it differs from the last line sent, so
 * a 30-frames-a-second loop sends one datagram per change, not per frame.
 */
typedef struct {
    char sent[JH_SD_STATUS_MAX]; /* the line systemd has; "" none yet */
    int failing;                 /* the last send failed and was reported */
    int64_t retry_ms;            /* when a failed send is tried again */
} jh_sd_status;

/*
 * Says `line` (newlines become spaces; too long: cut before
 * JH_SD_STATUS_MAX at a UTF-8 character boundary) unless systemd already has
 * it. An empty line is never sent. A failed send is tried again a second
 * later (by `now_ms`, the loop's monotonic clock), whatever the line is then.
 * 0: unchanged, sent, or not under systemd. -1 with err only for the first of
 * a run of failures, so the loop may log every -1 it gets.
 */
int jh_sd_status_set(jh_sd_status *s, const char *line, int64_t now_ms, char *err, size_t errlen);

#endif
