/* SPDX-License-Identifier: MIT */
/*
 * report_day — the hand-made hall day the report tests check figures against.
 *
 * Built through the real engine (test_engine_fixture.h: real config parser,
 * real SQLite store, jh_engine_apply at controlled moments), so the report
 * reads exactly what the caller writes. Every moment is a named offset from
 * T0 (Mon 2026-11-23 09:00 in the hall), and the tests derive each expected
 * figure from these offsets by hand, in the open.
 *
 * Counters c01 (services A then B, staff s01) and c03 (service A, staff s03);
 * service A's target is 10 min, B's 5 min; policy strict (green first).
 *
 *   Sun 22nd 09:00  A001 issued; c01 calls at +1 min, finishes at +3 min (outside a
 *                   Monday --day/--week report, inside the month)
 *   Mon 23rd (offsets in minutes from 09:00)
 *   0  A001 issued         6  c01 calls A002 (green first), c03 calls A001
 *   1  A002 issued, green (elderly)                10  c03 finishes A001
 *   2  A003 issued         10.5 A001 rated 5 on the pad
 *   3  B001 issued         11  c03 calls A003
 *   4  A004 issued         12  c01 finishes A002, calls A004; 12:00.5 A002 rated 4
 *   5  A005 issued, 5:10 voided by the kiosk (printer failed)  — rated 0.5 s after
 *                              the finish: flagged too-fast
 *   14 c03: A003 no-show   15 c03 pauses ("会议", training), 45 resumes
 *   25 c01 finishes A004 (13 min: overrun), 25:05 A004 rated 2
 *   26 c01 calls B001      30 c01 finishes B001
 *   65 A006 issued, green (pregnant)      70 c03 calls A006
 *   90 c03 finishes A006 (20 min: overrun), 91 rated 5
 *   100 both log out
 */
#ifndef REPORT_DAY_H
#define REPORT_DAY_H

#include "test_engine_fixture.h"

#define RD_DAY 20261123
#define RD_SUNDAY 20261122
#define RD_STRICT "policy = strict\nrecall_limit = 2\nrequeue = back"

static inline void rd_at(fx *f, int64_t offset) { f->now = T0 + offset; }

static inline void rd_rate(fx *f, const char *counter, int score)
{
    jh_command c = fx_cmd(JH_OP_RATE);
    c.score = score;
    c.rate_source = JH_RATE_SRC_PAD;
    fx_ok(fx_send(f, JH_ORIGIN_COUNTER, counter, &c));
}

static inline void rd_void(fx *f, const char *label)
{
    jh_command c = fx_cmd(JH_OP_VOID);
    snprintf(c.ticket, sizeof c.ticket, "%s", label);
    snprintf(c.reason, sizeof c.reason, "printer out of paper");
    fx_ok(fx_send(f, JH_ORIGIN_KIOSK, "k1", &c));
}

static inline void rd_pause(fx *f, const char *counter, const char *reason, const char *message)
{
    jh_command c = fx_cmd(JH_OP_PAUSE);
    snprintf(c.reason, sizeof c.reason, "%s", reason);
    snprintf(c.message, sizeof c.message, "%s", message);
    fx_ok(fx_send(f, JH_ORIGIN_COUNTER, counter, &c));
}

/* call-next at `counter`, which must call `want`. */
static inline void rd_call(fx *f, const char *counter, const char *want)
{
    char got[JH_ID_LEN];
    fx_call_next(f, counter, got);
    assert_string_equal(got, want);
}

static inline void rd_take(fx *f, const char *service, int prio, const char *want)
{
    char got[JH_ID_LEN];
    fx_take_ok(f, service, prio, got);
    assert_string_equal(got, want);
}

static inline void rd_sunday(fx *f)
{
    rd_at(f, -24 * HOUR);
    fx_login(f, "c01", "s01");
    rd_take(f, "A", JH_PRIO_NONE, "A001");
    rd_at(f, -24 * HOUR + 1 * MIN);
    rd_call(f, "c01", "A001");
    rd_at(f, -24 * HOUR + 3 * MIN);
    fx_ok(fx_counter(f, "c01", JH_OP_FINISH));
    fx_ok(fx_counter(f, "c01", JH_OP_LOGOUT));
}

static inline void rd_morning(fx *f)
{
    rd_at(f, 0);
    fx_login(f, "c01", "s01");
    fx_login(f, "c03", "s03");
    rd_take(f, "A", JH_PRIO_NONE, "A001");
    rd_at(f, 1 * MIN);
    rd_take(f, "A", JH_PRIO_ELDERLY, "A002");
    rd_at(f, 2 * MIN);
    rd_take(f, "A", JH_PRIO_NONE, "A003");
    rd_at(f, 3 * MIN);
    rd_take(f, "B", JH_PRIO_NONE, "B001");
    rd_at(f, 4 * MIN);
    rd_take(f, "A", JH_PRIO_NONE, "A004");
    rd_at(f, 5 * MIN);
    rd_take(f, "A", JH_PRIO_NONE, "A005");
    rd_at(f, 5 * MIN + 10 * SEC);
    rd_void(f, "A005");
    rd_at(f, 6 * MIN);
    rd_call(f, "c01", "A002");
    rd_call(f, "c03", "A001");
    rd_at(f, 10 * MIN);
    fx_ok(fx_counter(f, "c03", JH_OP_FINISH));
    rd_at(f, 10 * MIN + 30 * SEC);
    rd_rate(f, "c03", 5);
    rd_at(f, 11 * MIN);
    rd_call(f, "c03", "A003");
    rd_at(f, 12 * MIN);
    rd_call(f, "c01", "A004"); /* finishes A002 first */
    rd_at(f, 12 * MIN + 500);
    rd_rate(f, "c01", 4); /* too fast: flagged */
}

static inline void rd_rest(fx *f)
{
    rd_at(f, 14 * MIN);
    fx_ok(fx_counter(f, "c03", JH_OP_NO_SHOW));
    rd_at(f, 15 * MIN);
    rd_pause(f, "c03", "会议", "参加业务培训 / at a training");
    rd_at(f, 25 * MIN);
    fx_ok(fx_counter(f, "c01", JH_OP_FINISH));
    rd_at(f, 25 * MIN + 5 * SEC);
    rd_rate(f, "c01", 2);
    rd_at(f, 26 * MIN);
    rd_call(f, "c01", "B001");
    rd_at(f, 30 * MIN);
    fx_ok(fx_counter(f, "c01", JH_OP_FINISH));
    rd_at(f, 45 * MIN);
    fx_ok(fx_counter(f, "c03", JH_OP_RESUME));
    rd_at(f, 65 * MIN);
    rd_take(f, "A", JH_PRIO_PREGNANT, "A006");
    rd_at(f, 70 * MIN);
    rd_call(f, "c03", "A006");
    rd_at(f, 90 * MIN);
    fx_ok(fx_counter(f, "c03", JH_OP_FINISH));
    rd_at(f, 91 * MIN);
    rd_rate(f, "c03", 5);
    rd_at(f, 100 * MIN);
    fx_ok(fx_counter(f, "c01", JH_OP_LOGOUT));
    fx_ok(fx_counter(f, "c03", JH_OP_LOGOUT));
}

/* A fresh engine store holding the whole day (the engine stays open, as in a hall). */
static inline fx *rd_build(void)
{
    fx *f = fx_new(RD_STRICT);
    rd_sunday(f);
    rd_morning(f);
    rd_rest(f);
    return f;
}

#endif
