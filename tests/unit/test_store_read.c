/* SPDX-License-Identifier: MIT */
/*
 * test_store_read — the store's rows through its column tables, and its
 * read-only side: what the engine's side writes (ticket_store.h) is what the
 * reports' reader (store_read.h) reads back, field for field, with absent
 * values stored as NULL where reports and the queue indexes expect them; a
 * store of schema version 1 still reads; the invariants of store_audit.h see
 * a broken numbering and not a sound one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store_audit.h"
#include "store_read.h"
#include "ticket_store.h"

#define DAY 20261123

typedef struct {
    char path[64];
    jh_store *st;
} fx;

static fx *fx_new(void)
{
    fx *f = calloc(1, sizeof *f);
    char err[256];
    snprintf(f->path, sizeof f->path, "/tmp/test_store_read_XXXXXX");
    int fd = mkstemp(f->path);
    assert_true(fd >= 0);
    close(fd);
    unlink(f->path);
    f->st = jh_store_open(f->path, DAY, err, sizeof err);
    if (!f->st)
        fail_msg("%s", err);
    assert_int_equal(jh_store_begin(f->st), 0);
    return f;
}

static void fx_free(fx *f)
{
    char side[80];
    jh_store_close(f->st);
    unlink(f->path);
    snprintf(side, sizeof side, "%s-wal", f->path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", f->path);
    unlink(side);
    free(f);
}

static jh_store_reader *reader(fx *f)
{
    char err[256];
    jh_store_reader *r = jh_reader_open(f->path, 0, 1000, err, sizeof err);
    if (!r)
        fail_msg("%s", err);
    return r;
}

static long long sql_number(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    long long v = -1;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

static void sql_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

static jh_ticket waiting_ticket(const char *service, int number)
{
    jh_ticket t;
    memset(&t, 0, sizeof t);
    t.day = DAY;
    snprintf(t.label, sizeof t.label, "%s%03d", service, number);
    snprintf(t.issued_service, sizeof t.issued_service, "%s", service);
    snprintf(t.service, sizeof t.service, "%s", service);
    t.number = number;
    t.status = JH_TS_WAITING;
    snprintf(t.lang, sizeof t.lang, "zh");
    snprintf(t.kiosk, sizeof t.kiosk, "k1");
    t.issued_at = 1795394000000LL + number;
    t.queue_key = t.issued_at;
    return t;
}

/* Every field of a served, rated ticket, written by insert and update. */
static jh_ticket served_ticket(fx *f)
{
    jh_ticket t = waiting_ticket("A", 1);
    t.priority = 2;
    assert_int_equal(jh_store_ticket_insert(f->st, &t), 0);
    t.status = JH_TS_FINISHED;
    snprintf(t.service, sizeof t.service, "B");
    t.queue_key += 7;
    snprintf(t.counter, sizeof t.counter, "c03");
    snprintf(t.staff_id, sizeof t.staff_id, "s1");
    t.called_at = t.issued_at + 60000;
    t.last_called_at = t.called_at + 1000;
    t.session_at = t.called_at;
    t.call_count = 2;
    t.session_calls = 2;
    t.finished_at = t.called_at + 300000;
    t.service_s = 300;
    t.overran = 1;
    t.transfers = 1;
    t.requeues = 1;
    t.rating = 5;
    t.rated_at = t.finished_at + 2000;
    t.rating_suspicious = 1;
    snprintf(t.rating_flags, sizeof t.rating_flags, "[\"too-fast\"]");
    t.wait_alerted = 1;
    t.overrun_alerted = 1;
    assert_int_equal(jh_store_ticket_update(f->st, &t), 0);
    return t;
}

static void assert_ticket_equal(const jh_ticket *a, const jh_ticket *b)
{
    assert_int_equal(a->id, b->id);
    assert_int_equal(a->day, b->day);
    assert_string_equal(a->label, b->label);
    assert_string_equal(a->issued_service, b->issued_service);
    assert_int_equal(a->number, b->number);
    assert_string_equal(a->service, b->service);
    assert_int_equal(a->priority, b->priority);
    assert_int_equal(a->status, b->status);
    assert_string_equal(a->lang, b->lang);
    assert_string_equal(a->kiosk, b->kiosk);
    assert_int_equal(a->issued_at, b->issued_at);
    assert_int_equal(a->queue_key, b->queue_key);
    assert_string_equal(a->target_counter, b->target_counter);
    assert_string_equal(a->counter, b->counter);
    assert_string_equal(a->staff_id, b->staff_id);
    assert_int_equal(a->called_at, b->called_at);
    assert_int_equal(a->last_called_at, b->last_called_at);
    assert_int_equal(a->session_at, b->session_at);
    assert_int_equal(a->call_count, b->call_count);
    assert_int_equal(a->session_calls, b->session_calls);
    assert_int_equal(a->finished_at, b->finished_at);
    assert_int_equal(a->service_s, b->service_s);
    assert_int_equal(a->overran, b->overran);
    assert_int_equal(a->transfers, b->transfers);
    assert_int_equal(a->requeues, b->requeues);
    assert_string_equal(a->void_reason, b->void_reason);
    assert_int_equal(a->rating, b->rating);
    assert_int_equal(a->rated_at, b->rated_at);
    assert_int_equal(a->rating_suspicious, b->rating_suspicious);
    assert_string_equal(a->rating_flags, b->rating_flags);
    assert_int_equal(a->wait_alerted, b->wait_alerted);
    assert_int_equal(a->overrun_alerted, b->overrun_alerted);
}

typedef struct {
    jh_ticket t[4];
    int n;
} ticket_list;

static int keep_ticket(void *ctx, const jh_ticket *t)
{
    ticket_list *l = ctx;
    assert_true(l->n < 4);
    l->t[l->n++] = *t;
    return 0;
}

static int stop_at_first(void *ctx, const jh_ticket *t)
{
    (void)t;
    (*(int *)ctx)++;
    return -1;
}

static void test_ticket_round_trip(void **state)
{
    (void)state;
    fx *f = fx_new();
    jh_ticket served = served_ticket(f);
    /* waiting: what only a finished or rated ticket has must not be stored */
    jh_ticket w = waiting_ticket("A", 2);
    w.service_s = 99;
    w.overran = 1;
    w.rated_at = 5;
    w.rating_suspicious = 1;
    snprintf(w.rating_flags, sizeof w.rating_flags, "[]");
    assert_int_equal(jh_store_ticket_insert(f->st, &w), 0);
    jh_ticket other_day = waiting_ticket("A", 3);
    other_day.day = DAY + 1;
    assert_int_equal(jh_store_ticket_insert(f->st, &other_day), 0);
    assert_int_equal(jh_store_commit(f->st), 0);

    jh_ticket back;
    assert_int_equal(jh_store_ticket_by_id(f->st, served.id, &back), 1);
    assert_ticket_equal(&back, &served);

    jh_store_reader *r = reader(f);
    ticket_list l = {.n = 0};
    assert_int_equal(jh_reader_begin(r), 0);
    assert_int_equal(jh_reader_tickets(r, DAY, DAY, keep_ticket, &l), 0);
    jh_reader_end(r);
    assert_int_equal(l.n, 2); /* the other day's is not in the range */
    assert_ticket_equal(&l.t[0], &served);
    assert_string_equal(l.t[1].label, "A002");
    assert_int_equal(l.t[1].service_s, 0);
    assert_int_equal(l.t[1].overran, 0);
    assert_int_equal(l.t[1].rated_at, 0);
    assert_string_equal(l.t[1].rating_flags, "");
    int calls = 0;
    assert_int_equal(jh_reader_tickets(r, DAY, DAY + 1, stop_at_first, &calls), -1);
    assert_int_equal(calls, 1);
    jh_reader_close(r);

    /* absent values are NULL in the file; the green flag follows priority */
    assert_int_equal(sql_number(f->path, "SELECT count(*) FROM tickets WHERE label = 'A002'"
                                         " AND target_counter IS NULL AND counter IS NULL"
                                         " AND called_at IS NULL AND finished_at IS NULL"
                                         " AND service_s IS NULL AND overran IS NULL"
                                         " AND rating IS NULL AND rated_at IS NULL"
                                         " AND rating_suspicious IS NULL AND rating_flags IS NULL"
                                         " AND void_reason IS NULL AND is_priority = 0"),
                     1);
    assert_int_equal(sql_number(f->path, "SELECT is_priority FROM tickets WHERE label = 'A001'"), 1);
    assert_int_equal(sql_number(f->path, "SELECT count(*) FROM tickets WHERE label = 'A001'"
                                         " AND status = 'finished' AND service = 'B'"),
                     1);
    fx_free(f);
}

static int keep_pause(void *ctx, const jh_pause_log *p)
{
    *(jh_pause_log *)ctx = *p;
    return 0;
}

static int keep_session(void *ctx, const jh_session_log *s)
{
    *(jh_session_log *)ctx = *s;
    return 0;
}

static void test_counter_and_logs(void **state)
{
    (void)state;
    fx *f = fx_new();
    jh_counter_row c;
    assert_int_equal(jh_store_counter_ensure(f->st, "c03", 1000), 0);
    assert_int_equal(jh_store_counter_get(f->st, "c03", &c), 1);
    assert_int_equal(c.status, JH_CS_CLOSED);
    assert_int_equal(c.since, 1000);
    assert_int_equal(c.ticket_id, 0);
    assert_int_equal(jh_store_counter_ensure(f->st, "c03", 2000), 0); /* kept as it was */
    c.status = JH_CS_PAUSED;
    snprintf(c.staff_id, sizeof c.staff_id, "s1");
    snprintf(c.staff_name, sizeof c.staff_name, "张三");
    c.ticket_id = 7;
    c.since = 3000;
    snprintf(c.message, sizeof c.message, "五分钟后回来");
    snprintf(c.pause_reason, sizeof c.pause_reason, "lunch");
    c.normal_streak = 3;
    c.green_streak = 1;
    c.last_finished_id = 6;
    c.last_finished_at = 2500;
    c.last_score = 4;
    c.score_run = 2;
    assert_int_equal(jh_store_counter_put(f->st, &c), 0);
    jh_counter_row back;
    assert_int_equal(jh_store_counter_by_staff(f->st, "s1", "c01", &back), 1);
    assert_memory_equal(&back, &c, sizeof c);
    assert_int_equal(jh_store_session_start(f->st, DAY, &c, 2000), 0);
    assert_int_equal(jh_store_pause_start(f->st, DAY, &c, 3000), 0);
    assert_int_equal(jh_store_commit(f->st), 0);

    jh_store_reader *r = reader(f);
    jh_pause_log p = {.id = 0};
    jh_session_log s = {.id = 0};
    assert_int_equal(jh_reader_pauses(r, DAY, DAY, keep_pause, &p), 0);
    assert_int_equal(jh_reader_sessions(r, DAY, DAY, keep_session, &s), 0);
    assert_int_equal(p.day, DAY);
    assert_string_equal(p.counter, "c03");
    assert_string_equal(p.staff_id, "s1");
    assert_string_equal(p.reason, "lunch");
    assert_string_equal(p.message, "五分钟后回来");
    assert_int_equal(p.started_at, 3000);
    assert_int_equal(p.ended_at, 0); /* still open */
    assert_string_equal(s.staff_name, "张三");
    assert_int_equal(s.login_at, 2000);
    assert_int_equal(s.logout_at, 0);
    jh_reader_close(r);
    assert_int_equal(sql_number(f->path, "SELECT count(*) FROM pauses WHERE ended_at IS NULL"), 1);
    fx_free(f);
}

/* A copy from an appliance that wrote schema version 1 reads: what it lacks reads as 0. */
static void test_old_store_reads(void **state)
{
    (void)state;
    fx *f = fx_new();
    jh_ticket served = served_ticket(f);
    assert_int_equal(jh_store_commit(f->st), 0);
    jh_store_close(f->st);
    f->st = NULL;
    sql_exec(f->path, "DROP INDEX tickets_wait_alert; ALTER TABLE tickets DROP COLUMN wait_alerted;"
                      "ALTER TABLE tickets DROP COLUMN overrun_alerted;"
                      "UPDATE hall SET schema_version = 1;");
    jh_store_reader *r = reader(f);
    ticket_list l = {.n = 0};
    assert_int_equal(jh_reader_tickets(r, DAY, DAY, keep_ticket, &l), 0);
    assert_int_equal(l.n, 1);
    served.wait_alerted = served.overrun_alerted = 0;
    assert_ticket_equal(&l.t[0], &served);
    jh_reader_close(r);
    fx_free(f);
}

static void test_lookups_and_totals(void **state)
{
    (void)state;
    fx *f = fx_new();
    served_ticket(f);
    jh_ticket w = waiting_ticket("A", 2);
    w.priority = 1;
    assert_int_equal(jh_store_ticket_insert(f->st, &w), 0);
    jh_ticket w2 = waiting_ticket("A", 3);
    assert_int_equal(jh_store_ticket_insert(f->st, &w2), 0);
    int64_t seq;
    assert_int_equal(jh_store_next_seq(f->st, &seq), 0);
    assert_int_equal(jh_store_event_add(f->st, seq, "issued", "{}", 1), 0);
    assert_int_equal(jh_store_commit(f->st), 0);

    jh_store_reader *r = reader(f);
    jh_hall_row h;
    assert_int_equal(jh_reader_hall(r, &h), 0);
    assert_int_equal(h.day, DAY);
    assert_int_equal(h.seq, 1);
    jh_ticket t;
    assert_int_equal(jh_reader_ticket_by_label(r, DAY, "A002", &t), 1);
    assert_int_equal(t.priority, 1);
    assert_int_equal(jh_reader_ticket_by_label(r, DAY, "A009", &t), 0);
    assert_int_equal(jh_reader_ticket_by_label(r, DAY + 1, "A002", &t), 0);
    int waiting = -1, green = -1;
    assert_int_equal(jh_reader_waiting(r, DAY, "A", &waiting, &green), 0);
    assert_int_equal(waiting, 2);
    assert_int_equal(green, 1);
    jh_store_totals tot;
    jh_reader_totals(r, &tot);
    assert_int_equal(tot.tickets, 3);
    assert_int_equal(tot.days, 1);
    assert_int_equal(tot.day, DAY);
    assert_int_equal(tot.seq, 1);
    assert_int_equal(tot.events, 1);
    assert_int_equal(tot.unacked, 1);
    assert_int_equal(tot.waiting, 2);
    assert_int_equal(tot.calls, 0);
    jh_reader_close(r);
    fx_free(f);
}

static int rule_index(const char *name)
{
    for (int i = 0; i < jh_audit_rule_count(); i++)
        if (strcmp(jh_audit_rule_name(i), name) == 0)
            return i;
    fail_msg("no rule '%s'", name);
    return -1;
}

static void count_row(void *ctx, const char *row)
{
    assert_non_null(row);
    (*(int *)ctx)++;
}

/* Numbers 1 and 2 are contiguous from A's first number; a 4 after them is not. */
static void test_audit_sees_a_gap(void **state)
{
    (void)state;
    static jh_hall_config cfg;
    cfg.n_services = 1;
    snprintf(cfg.services[0].code, sizeof cfg.services[0].code, "A");
    cfg.services[0].first_number = 1;
    fx *f = fx_new();
    for (int n = 1; n <= 2; n++) {
        jh_ticket t = waiting_ticket("A", n);
        assert_int_equal(jh_store_ticket_insert(f->st, &t), 0);
    }
    assert_int_equal(jh_store_commit(f->st), 0);
    int rule = rule_index("numbers not contiguous"), rows = 0;
    jh_store_reader *r = reader(f);
    assert_int_equal(jh_audit_integrity(r, count_row, &rows), 0);
    assert_int_equal(jh_audit_services(r, &cfg), 0);
    assert_int_equal(jh_audit_rule(r, rule, count_row, &rows), 0);
    jh_reader_close(r);

    assert_int_equal(jh_store_begin(f->st), 0);
    jh_ticket t = waiting_ticket("A", 4);
    assert_int_equal(jh_store_ticket_insert(f->st, &t), 0);
    assert_int_equal(jh_store_commit(f->st), 0);
    r = reader(f);
    assert_int_equal(jh_audit_services(r, &cfg), 0);
    assert_int_equal(jh_audit_rule(r, rule, count_row, &rows), 1);
    assert_int_equal(rows, 1);
    jh_reader_close(r);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ticket_round_trip),
        cmocka_unit_test(test_counter_and_logs),
        cmocka_unit_test(test_old_store_reads),
        cmocka_unit_test(test_lookups_and_totals),
        cmocka_unit_test(test_audit_sees_a_gap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
