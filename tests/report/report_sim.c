/* SPDX-License-Identifier: MIT */
/*
 * report_sim — fills a caller store with busy, realistic weekdays for the
 * report's end-to-end test and for the pictures in docs/reports.md.
 *
 *   report_sim --config HALL.INI --db FILE --day YYYY-MM-DD [--days N]
 *
 * Everything goes through the real engine (jh_engine_apply) at simulated
 * moments, 10 s apart, from 08:25 until the last person is served: citizens
 * take tickets by a seeded pseudo-random hourly profile (8 % green channel),
 * each configured counter logs in, calls, serves for a while around its
 * service's target, marks ~4 % no-shows, takes a lunch break when the queue is
 * empty after 12:00, and the pad rates ~60 % of services. One counter's
 * ratings come from the staff keypad (flagged), two counters rate worse than
 * the 80 % line. The same seed gives the same store, byte for byte in content.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "hall_config.h"
#include "hall_time.h"
#include "report_period.h"

#define TICK_MS 10000LL
#define PROG "report_sim"

typedef enum { C_IDLE, C_SERVING, C_PAUSED, C_DONE } desk_state;

typedef struct {
    desk_state state;
    int64_t until;       /* serving: finish (or give up) at; paused: resume at */
    int no_show;
    int rate_pending;    /* rate the finished ticket at the next tick */
    int lunched, trained;
} desk;

typedef struct {
    jh_engine *e;
    const jh_hall_config *cfg;
    desk desks[JH_MAX_COUNTERS];
    uint64_t rng;
    int64_t now;
    int cmd_no;
} sim;

static double rnd(sim *s)
{
    s->rng = s->rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(s->rng >> 11) / 9007199254740992.0;
}

/* Applies a command; a store failure ends the program (a test tool). */
static int apply(sim *s, jh_origin_kind kind, const char *id, jh_command *c)
{
    jh_origin o = {.kind = kind};
    jh_outcome out;
    char err[256];
    snprintf(o.id, sizeof o.id, "%s", id);
    snprintf(c->id, sizeof c->id, "sim-%d", ++s->cmd_no);
    if (jh_engine_apply(s->e, &o, c, s->now, &out, err, sizeof err) != 0) {
        fprintf(stderr, PROG ": %s\n", err);
        exit(1);
    }
    /* only call-next's result is used: a ticket named, not "ticket":null */
    int called = out.ok && strstr(out.reply, "\"ticket\":\"") != NULL;
    jh_outcome_free(&out);
    return called;
}

static int counter_op(sim *s, int ci, jh_op op)
{
    jh_command c = {.op = op};
    return apply(s, JH_ORIGIN_COUNTER, s->cfg->counters[ci].id, &c);
}

static int local_minute(int64_t t)
{
    int wd, min;
    jh_local_weekday_minute(t, &wd, &min);
    return min;
}

/* Tickets per minute for the whole hall at this minute of the day. */
static double arrivals_per_min(int minute)
{
    static const double by_hour[24] = {[8] = 0.9, [9] = 1.5, [10] = 1.4, [11] = 1.0,
                                       [13] = 0.6, [14] = 1.3, [15] = 1.1, [16] = 0.8, [17] = 0.5};
    return by_hour[minute / 60];
}

static void arrivals(sim *s)
{
    const jh_hall_config *cfg = s->cfg;
    double p = arrivals_per_min(local_minute(s->now)) * TICK_MS / 60000.0 / cfg->n_services;
    for (int i = 0; i < cfg->n_services; i++) {
        double weight = cfg->services[i].target_service_s <= 900 ? 1.6 : 0.6; /* quick ones are busier */
        if (!jh_service_open_at(&cfg->services[i], s->now, NULL) || rnd(s) >= p * weight)
            continue;
        jh_command c = {.op = JH_OP_TAKE, .priority = rnd(s) < 0.08 ? JH_PRIO_ELDERLY : JH_PRIO_NONE};
        snprintf(c.service, sizeof c.service, "%s", cfg->services[i].code);
        snprintf(c.lang, sizeof c.lang, "zh");
        apply(s, JH_ORIGIN_KIOSK, cfg->kiosks[0].id, &c);
    }
}

/* The score the pad gives at counter ci: most counters please 90 %, two do not. */
static int score(sim *s, int ci)
{
    double good = ci == 6 ? 0.70 : ci == 11 ? 0.76 : 0.93;
    if (rnd(s) < good)
        return rnd(s) < 0.7 ? 5 : 4;
    double r = rnd(s);
    return r < 0.6 ? 3 : r < 0.9 ? 2 : 1;
}

static void rate(sim *s, int ci)
{
    jh_command c = {.op = JH_OP_RATE, .score = score(s, ci)};
    c.rate_source = ci == 8 ? JH_RATE_SRC_STAFF_KEYPAD : JH_RATE_SRC_PAD; /* 9号 presses for them */
    apply(s, JH_ORIGIN_COUNTER, s->cfg->counters[ci].id, &c);
}

static void pause_desk(sim *s, int ci, const char *reason, const char *msg, int64_t until)
{
    jh_command c = {.op = JH_OP_PAUSE};
    snprintf(c.reason, sizeof c.reason, "%s", reason);
    snprintf(c.message, sizeof c.message, "%s", msg);
    apply(s, JH_ORIGIN_COUNTER, s->cfg->counters[ci].id, &c);
    s->desks[ci].state = C_PAUSED;
    s->desks[ci].until = until;
}

static int64_t service_ms(sim *s, int ci)
{
    const jh_counter_config *cc = &s->cfg->counters[ci];
    int target = s->cfg->services[cc->services[0]].target_service_s;
    return (int64_t)(target * (0.25 + 0.85 * rnd(s) * rnd(s) + (rnd(s) < 0.08 ? 0.6 : 0)) * 1000);
}

/* An idle desk: a break if it is time for one, else the next person (or close up). */
static void idle_desk(sim *s, int ci, int minute)
{
    desk *d = &s->desks[ci];
    if (ci == 4 && !d->trained && minute >= 600) {
        d->trained = 1;
        pause_desk(s, ci, "业务培训", "参加业务培训，10:30回来", s->now + 30 * 60000LL);
        return;
    }
    if (counter_op(s, ci, JH_OP_CALL_NEXT)) {
        d->state = C_SERVING;
        d->no_show = rnd(s) < 0.04;
        d->until = s->now + (d->no_show ? 90000 : service_ms(s, ci));
    } else if (minute >= 720 && minute < 800 && !d->lunched) {
        d->lunched = 1;
        pause_desk(s, ci, "午休", "午休，13:55回来", s->now + (int64_t)(835 - minute) * 60000);
    } else if (minute >= 1050) {
        counter_op(s, ci, JH_OP_LOGOUT);
        d->state = C_DONE;
    }
}

static void step_desk(sim *s, int ci, int minute)
{
    desk *d = &s->desks[ci];
    if (d->rate_pending) {
        d->rate_pending = 0;
        rate(s, ci);
    }
    if (d->state == C_PAUSED && s->now >= d->until) {
        counter_op(s, ci, JH_OP_RESUME);
        d->state = C_IDLE;
    }
    if (d->state == C_SERVING && s->now >= d->until) {
        counter_op(s, ci, d->no_show ? JH_OP_NO_SHOW : JH_OP_FINISH);
        d->rate_pending = !d->no_show && rnd(s) < 0.6;
        d->state = C_IDLE;
    } else if (d->state == C_IDLE) {
        idle_desk(s, ci, minute);
    }
}

static void login_all(sim *s)
{
    for (int ci = 0; ci < s->cfg->n_counters; ci++) {
        jh_command c = {.op = JH_OP_LOGIN};
        snprintf(c.staff_id, sizeof c.staff_id, "%04d", 1001 + ci);
        snprintf(c.staff_name, sizeof c.staff_name, "%s",
                 (const char *[]){"王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄婷",
                                  "周杰", "吴琳", "徐明", "孙丽", "马超", "朱红"}[ci % 14]);
        apply(s, JH_ORIGIN_COUNTER, s->cfg->counters[ci].id, &c);
        memset(&s->desks[ci], 0, sizeof s->desks[ci]);
    }
}

/* One business day from 08:25 until every desk has closed. */
static void run_day(sim *s, int64_t start)
{
    int open = 1;
    s->now = start;
    login_all(s);
    while (open) {
        int minute = local_minute(s->now);
        arrivals(s);
        open = 0;
        for (int ci = 0; ci < s->cfg->n_counters; ci++) {
            s->now += 1; /* commands of one tick keep their order in time */
            step_desk(s, ci, minute);
            open |= s->desks[ci].state != C_DONE;
        }
        s->now += TICK_MS - s->cfg->n_counters;
    }
}

/* 08:25 hall time on business day yyyymmdd. */
static int64_t morning(int yyyymmdd)
{
    struct tm tm = {.tm_year = yyyymmdd / 10000 - 1900, .tm_mon = yyyymmdd / 100 % 100 - 1,
                    .tm_mday = yyyymmdd % 100, .tm_hour = 8, .tm_min = 25, .tm_isdst = -1};
    return (int64_t)mktime(&tm) * 1000;
}

int main(int argc, char **argv)
{
    const char *config = NULL, *db = NULL, *day = NULL;
    int days = 1;
    char err[512];
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *a = argv[i], *v = argv[i + 1];
        if (!strcmp(a, "--config")) config = v;
        else if (!strcmp(a, "--db")) db = v;
        else if (!strcmp(a, "--day")) day = v;
        else if (!strcmp(a, "--days")) days = atoi(v);
    }
    jh_period p;
    static jh_hall_config cfg;
    if (!config || !db || !day || days < 1 || jh_period_parse(JH_PERIOD_DAY, day, &p, err, sizeof err) < 0) {
        fprintf(stderr, "usage: " PROG " --config HALL.INI --db FILE --day YYYY-MM-DD [--days N]\n");
        return 2;
    }
    sim s = {.cfg = &cfg, .rng = 20261123};
    if (jh_config_load(&cfg, config, err, sizeof err) < 0 ||
        !(s.e = jh_engine_open(&cfg, db, err, sizeof err))) {
        fprintf(stderr, PROG ": %s\n", err);
        return 1;
    }
    for (int i = 0; i < days; i++)
        run_day(&s, morning(jh_day_add(p.first_day, i)));
    jh_engine_close(s.e);
    return 0;
}
