/* SPDX-License-Identifier: MIT */
/*
 * test_engine_fixture — what the engine tests share: a hall config built from
 * INI text by the real parser, a real SQLite store in a fresh temp directory,
 * and short ways to send commands and read replies, states and the outbox.
 *
 * The process runs with TZ=UTC while the hall is in Asia/Shanghai, so every
 * test also checks that the machine's zone never leaks into hall time.
 * Moments are fixed: T0 is Monday 2026-11-23 09:00 in the hall (01:00 UTC).
 *
 * The hall has a test roster ([staff] roster, written into the test's
 * directory): the staff ids the tests log in, each named 员工<id> (1001-1003
 * as the mirror tests name them), any counter, the secret FX_PIN — stored as
 * its argon2id hash, made once per process, so opening an engine hashes
 * nothing and each login verifies the secret as a hall's would.
 */
#ifndef TEST_ENGINE_FIXTURE_H
#define TEST_ENGINE_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "engine.h"
#include "hall_config.h"
#include "staff_secret.h"

#define SEC 1000LL
#define MIN (60 * SEC)
#define HOUR (60 * MIN)
#define T0 1795395600000LL /* Mon 2026-11-23 09:00 +08:00 */

/* %s: the [dispatch] lines. Service H keeps office hours; N has no counter. */
static const char fx_ini_fmt[] =
    "[hall]\n"
    "site = test-hall\n"
    "name_zh = 测试大厅\n"
    "name_en = Test Hall\n"
    "timezone = Asia/Shanghai\n"
    "reset_at = 07:00\n"
    "data_dir = /tmp\n"
    "[broker]\n"
    "host = 127.0.0.1\n"
    "port = 1883\n"
    "[dispatch]\n"
    "%s\n"
    "[service A]\n"
    "name_zh = 社保业务\n"
    "name_en = Social Insurance\n"
    "numbers = 1-999\n"
    "width = 3\n"
    "hours = mon-sun 07:00-24:00\n"
    "target_minutes = 10\n"
    "[service B]\n"
    "name_zh = 医保业务\n"
    "name_en = Medical Insurance\n"
    "numbers = 1-999\n"
    "hours = mon-sun 07:00-24:00\n"
    "target_minutes = 5\n"
    "[service H]\n"
    "name_zh = 公积金\n"
    "name_en = Housing Fund\n"
    "numbers = 1-999\n"
    "hours = mon-fri 08:30-12:00 14:00-17:30\n"
    "target_minutes = 10\n"
    "[service L]\n"
    "name_zh = 限号业务\n"
    "name_en = Limited\n"
    "numbers = 1-3\n"
    "width = 2\n"
    "daily_limit = 2\n"
    "hours = mon-sun 07:00-24:00\n"
    "target_minutes = 10\n"
    "[service N]\n"
    "name_zh = 无窗口业务\n"
    "name_en = No Counter\n"
    "numbers = 1-999\n"
    "hours = mon-sun 07:00-24:00\n"
    "target_minutes = 10\n"
    "[counter c01]\n"
    "number = 1\n"
    "name_zh = 1号窗口\n"
    "name_en = Window 1\n"
    "services = A, B, H, L\n"
    "[counter c02]\n"
    "number = 2\n"
    "name_zh = 2号窗口\n"
    "name_en = Window 2\n"
    "services = B\n"
    "[counter c03]\n"
    "number = 3\n"
    "name_zh = 3号窗口\n"
    "name_en = Window 3\n"
    "services = A\n"
    "[kiosk k1]\n"
    "[kiosk k2]\n"
    "services = B\n";

#define FX_STRICT "policy = strict\nrecall_limit = 2\nrequeue = back"
#define FX_PIN "246810"

/* The test roster's people: id and name. */
static const char *const fx_staff[][2] = {
    {"s1", "员工s1"},   {"s2", "员工s2"},   {"s3", "员工s3"},   {"s4", "员工s4"},
    {"s5", "员工s5"},   {"s6", "员工s6"},   {"s7", "员工s7"},   {"s01", "员工s01"},
    {"s02", "员工s02"}, {"s03", "员工s03"}, {"1001", "王芳"},   {"1002", "王芳"},
    {"1003", "李强"},
};

/* FX_PIN's hash, made once per process. */
static inline const char *fx_pin_hash(void)
{
    static char hash[JH_STAFF_HASH_LEN];
    char err[128];
    if (!hash[0] && (jh_staff_secret_init() < 0 ||
                     jh_staff_secret_hash(FX_PIN, hash, sizeof hash, err, sizeof err) < 0))
        fail_msg("hashing the test PIN failed");
    return hash;
}

/* Writes the test roster to path. */
static inline void fx_write_roster(const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "staff_id,name,department,roles,counters,services,covers,secret\n");
    for (size_t i = 0; i < sizeof fx_staff / sizeof fx_staff[0]; i++)
        fprintf(f, "%s,%s,测试科,staff,,,,%s\n", fx_staff[i][0], fx_staff[i][1], fx_pin_hash());
    assert_int_equal(fclose(f), 0);
}

typedef struct {
    char dir[64];
    char db[128];
    char roster[128];
    jh_hall_config *cfg;
    jh_engine *e;
    int64_t now;
    int next_id;
    jh_outcome last; /* of the latest fx_send, reply freed by the next one */
} fx;

static inline void fx_open_engine(fx *f)
{
    char err[256] = "";
    f->e = jh_engine_open(f->cfg, f->db, err, sizeof err);
    if (!f->e)
        fail_msg("engine open: %s", err);
}

/* A fresh engine under `base` (a real disk: /tmp; for long runs: /dev/shm), with
 * `staff` as more lines of [staff] after the roster. */
static inline fx *fx_new_staff_in(const char *base, const char *dispatch, const char *staff)
{
    char ini[8192], err[256] = "";
    setenv("TZ", "UTC", 1); /* the machine's zone; the hall's must win */
    tzset();
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "%s/jh-engine-test-XXXXXX", base);
    if (!mkdtemp(f->dir)) {
        snprintf(f->dir, sizeof f->dir, "/tmp/jh-engine-test-XXXXXX");
        assert_non_null(mkdtemp(f->dir));
    }
    snprintf(f->db, sizeof f->db, "%s/hall.db", f->dir);
    snprintf(f->roster, sizeof f->roster, "%s/staff.csv", f->dir);
    fx_write_roster(f->roster);
    int n = snprintf(ini, sizeof ini, fx_ini_fmt, dispatch);
    snprintf(ini + n, sizeof ini - (size_t)n, "[staff]\nroster = %s\n%s", f->roster, staff);
    f->cfg = calloc(1, sizeof *f->cfg);
    assert_non_null(f->cfg);
    if (jh_config_parse(f->cfg, ini, strlen(ini), "test.ini", err, sizeof err) != 0)
        fail_msg("config: %s", err);
    fx_open_engine(f);
    f->now = T0;
    return f;
}

static inline fx *fx_new_in(const char *base, const char *dispatch)
{
    return fx_new_staff_in(base, dispatch, "");
}

static inline fx *fx_new(const char *dispatch) { return fx_new_in("/tmp", dispatch); }

static inline void fx_reopen(fx *f)
{
    jh_engine_close(f->e);
    fx_open_engine(f);
}

static inline void fx_free(fx *f)
{
    char path[200];
    jh_outcome_free(&f->last);
    jh_engine_close(f->e);
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", f->db, sfx[i]);
        unlink(path);
    }
    unlink(f->roster);
    rmdir(f->dir);
    free(f->cfg);
    free(f);
}

static inline jh_command fx_cmd(jh_op op)
{
    jh_command c;
    memset(&c, 0, sizeof c);
    c.op = op;
    return c;
}

/* Applies cmd from (kind, id); a fresh command id unless cmd->id is set. Returns the reply. */
static inline cJSON *fx_send(fx *f, jh_origin_kind kind, const char *origin_id, jh_command *cmd)
{
    jh_origin o;
    char err[256] = "";
    memset(&o, 0, sizeof o);
    o.kind = kind;
    snprintf(o.id, sizeof o.id, "%s", origin_id);
    if (!cmd->id[0])
        snprintf(cmd->id, sizeof cmd->id, "t-%d", ++f->next_id);
    jh_outcome_free(&f->last);
    if (jh_engine_apply(f->e, &o, cmd, f->now, &f->last, err, sizeof err) != 0)
        fail_msg("apply failed: %s", err);
    assert_non_null(f->last.reply);
    cJSON *r = cJSON_Parse(f->last.reply);
    assert_non_null(r);
    assert_int_equal(cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")), f->last.ok);
    return r;
}

static inline const char *js(const cJSON *o, const char *key)
{
    const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));
    return s ? s : "";
}

static inline double fx_num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(o, key);
    if (!cJSON_IsNumber(v))
        fail_msg("field %s is not a number", key);
    return cJSON_GetNumberValue(v);
}

/* Asserts the reply is ok and frees it. */
static inline void fx_ok(cJSON *r)
{
    if (!cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")))
        fail_msg("refused: %s: %s", js(r, "error"), js(r, "message"));
    cJSON_Delete(r);
}

/* Asserts the reply is a refusal with `code` and frees it. */
static inline void fx_refused(cJSON *r, const char *code)
{
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")));
    assert_string_equal(js(r, "error"), code);
    assert_true(strlen(js(r, "message")) > 0);
    cJSON_Delete(r);
}

static inline cJSON *fx_take(fx *f, const char *kiosk, const char *service, int prio)
{
    jh_command c = fx_cmd(JH_OP_TAKE);
    snprintf(c.service, sizeof c.service, "%s", service);
    c.priority = prio;
    return fx_send(f, JH_ORIGIN_KIOSK, kiosk, &c);
}

/* Takes a ticket that must be issued; copies its label into out. */
static inline void fx_take_ok(fx *f, const char *service, int prio, char *out)
{
    cJSON *r = fx_take(f, "k1", service, prio);
    if (!cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")))
        fail_msg("take %s refused: %s", service, js(r, "message"));
    if (out)
        strcpy(out, js(r, "ticket"));
    cJSON_Delete(r);
}

static inline cJSON *fx_counter(fx *f, const char *counter, jh_op op)
{
    jh_command c = fx_cmd(op);
    return fx_send(f, JH_ORIGIN_COUNTER, counter, &c);
}

static inline cJSON *fx_counter_ticket(fx *f, const char *counter, jh_op op, const char *ticket)
{
    jh_command c = fx_cmd(op);
    snprintf(c.ticket, sizeof c.ticket, "%s", ticket);
    return fx_send(f, JH_ORIGIN_COUNTER, counter, &c);
}

static inline void fx_login(fx *f, const char *counter, const char *staff)
{
    jh_command c = fx_cmd(JH_OP_LOGIN);
    snprintf(c.staff_id, sizeof c.staff_id, "%s", staff);
    snprintf(c.secret, sizeof c.secret, "%s", FX_PIN);
    fx_ok(fx_send(f, JH_ORIGIN_COUNTER, counter, &c));
}

static inline cJSON *fx_admin(fx *f, jh_op op)
{
    jh_command c = fx_cmd(op);
    return fx_send(f, JH_ORIGIN_ADMIN, "admin", &c);
}

/* call-next at counter; returns the called label ("" when nobody waits) in out. */
static inline void fx_call_next(fx *f, const char *counter, char *out)
{
    cJSON *r = fx_counter(f, counter, JH_OP_CALL_NEXT);
    if (!cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")))
        fail_msg("call-next refused: %s", js(r, "message"));
    strcpy(out, js(r, "ticket"));
    cJSON_Delete(r);
}

static inline cJSON *fx_state_json(char *text)
{
    assert_non_null(text);
    cJSON *o = cJSON_Parse(text);
    free(text);
    assert_non_null(o);
    return o;
}

static inline cJSON *fx_service_state(fx *f, const char *code)
{
    int i = jh_config_service_index(f->cfg, code);
    assert_true(i >= 0);
    return fx_state_json(jh_engine_service_state(f->e, i, f->now));
}

static inline cJSON *fx_counter_state(fx *f, const char *id)
{
    int i = jh_config_counter_index(f->cfg, id);
    assert_true(i >= 0);
    return fx_state_json(jh_engine_counter_state(f->e, i, f->now));
}

static inline int fx_waiting(fx *f, const char *code)
{
    cJSON *s = fx_service_state(f, code);
    int n = (int)fx_num(s, "waiting");
    cJSON_Delete(s);
    return n;
}

/* Number of events in the outbox after `after`; the last seq into *last (if non-NULL). */
static inline int fx_outbox_count(fx *f, int64_t after, int64_t *last)
{
    jh_event ev;
    int n = 0;
    while (jh_engine_outbox_next(f->e, after, &ev) == 1) {
        after = ev.seq;
        jh_event_free(&ev);
        n++;
    }
    if (last)
        *last = after;
    return n;
}

/* Kinds of the events after `after`, joined with spaces, into buf. */
static inline void fx_event_kinds(fx *f, int64_t after, char *buf, size_t len)
{
    jh_event ev;
    buf[0] = '\0';
    while (jh_engine_outbox_next(f->e, after, &ev) == 1) {
        after = ev.seq;
        if (buf[0])
            strncat(buf, " ", len - strlen(buf) - 1);
        strncat(buf, ev.kind, len - strlen(buf) - 1);
        jh_event_free(&ev);
    }
}

/* The payload of the newest event (parsed). */
static inline cJSON *fx_last_event(fx *f, const char *kind)
{
    jh_event ev;
    int64_t after = 0;
    cJSON *found = NULL;
    while (jh_engine_outbox_next(f->e, after, &ev) == 1) {
        after = ev.seq;
        if (!strcmp(ev.kind, kind)) {
            cJSON_Delete(found);
            found = cJSON_Parse(ev.payload);
        }
        jh_event_free(&ev);
    }
    assert_non_null(found);
    return found;
}

#endif
