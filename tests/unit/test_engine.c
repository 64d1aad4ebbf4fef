/* SPDX-License-Identifier: MIT */
/*
 * test_engine — every operation of the queue engine and its refusals, on a
 * real SQLite store: take/void, login/logout (AB岗), call-next, recall and
 * no-show, requeue, transfer, call, pause/resume, flag, rate, admin ops,
 * duplicate command ids and origins. Time, durability and policies over many
 * calls are in test_engine_day.c and test_engine_policy.c.
 */
#include "test_engine_fixture.h"

static void test_take_reply_and_numbering(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    cJSON *r = fx_take(f, "k1", "A", JH_PRIO_NONE);
    assert_string_equal(js(r, "ticket"), "A001");
    assert_string_equal(js(r, "service"), "A");
    assert_string_equal(js(r, "priority"), "none");
    assert_int_equal((int)fx_num(r, "ahead"), 0);
    assert_int_equal((int)fx_num(r, "ewt_s"), 0);
    assert_string_equal(js(r, "issued_at"), "2026-11-23T09:00:00+08:00");
    assert_int_equal((int)fx_num(r, "day"), 20261123);
    assert_string_equal(js(r, "id"), "t-1");
    cJSON_Delete(r);
    assert_int_equal(f->last.n_events, 1);
    assert_true(f->last.service_dirty[jh_config_service_index(f->cfg, "A")]);
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    r = fx_take(f, "k1", "A", JH_PRIO_ELDERLY);
    assert_string_equal(js(r, "ticket"), "A003");
    assert_string_equal(js(r, "priority"), "elderly");
    assert_int_equal((int)fx_num(r, "ahead"), 0); /* green: only greens are ahead */
    cJSON_Delete(r);
    r = fx_take(f, "k1", "A", JH_PRIO_NONE);
    assert_int_equal((int)fx_num(r, "ahead"), 3);
    /* nobody logged in: one counter assumed, target 10 min each */
    assert_int_equal((int)fx_num(r, "ewt_s"), 3 * 600);
    cJSON_Delete(r);
    r = fx_take(f, "k1", "L", JH_PRIO_NONE);
    assert_string_equal(js(r, "ticket"), "L01"); /* width 2 */
    cJSON_Delete(r);
    cJSON *s = fx_service_state(f, "A");
    assert_int_equal((int)fx_num(s, "waiting"), 4);
    assert_int_equal((int)fx_num(s, "waiting_priority"), 1);
    assert_string_equal(js(s, "next_ticket"), "A005");
    cJSON_Delete(s);
    fx_free(f);
}

static void test_take_refusals_change_nothing(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    int64_t seq0;
    fx_take_ok(f, "L", JH_PRIO_NONE, NULL);
    fx_outbox_count(f, 0, &seq0);
    fx_refused(fx_take(f, "k1", "Z", JH_PRIO_NONE), "unknown-service");
    fx_refused(fx_take(f, "k2", "A", JH_PRIO_NONE), "unknown-service"); /* not on k2's screen */
    fx_refused(fx_take(f, "k1", "N", JH_PRIO_NONE), "no-counter");
    fx_refused(fx_take(f, "k1", "A", 17), "bad-field");
    fx_take_ok(f, "L", JH_PRIO_NONE, NULL);
    fx_outbox_count(f, 0, &seq0);
    fx_refused(fx_take(f, "k1", "L", JH_PRIO_NONE), "limit"); /* daily_limit 2 */
    assert_int_equal(f->last.n_events, 0);
    f->now = T0 + 9 * HOUR; /* 18:00: H closed until tomorrow 08:30 */
    cJSON *r = fx_take(f, "k1", "H", JH_PRIO_NONE);
    assert_string_equal(js(r, "error"), "closed");
    assert_non_null(strstr(js(r, "message"), "2026-11-24T08:30:00+08:00"));
    cJSON_Delete(r);
    fx_ok(fx_admin(f, JH_OP_CLOSE));
    assert_true(f->last.hall_dirty);
    r = fx_take(f, "k1", "A", JH_PRIO_NONE);
    assert_string_equal(js(r, "error"), "closed");
    assert_string_equal(js(r, "message"), "the hall is closed");
    cJSON_Delete(r);
    int64_t seq1;
    fx_outbox_count(f, 0, &seq1);
    assert_int_equal(seq1, seq0); /* no refusal made an event */
    cJSON *s = fx_service_state(f, "L");
    assert_int_equal((int)fx_num(s, "waiting"), 2);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(s, "next_ticket")));
    cJSON_Delete(s);
    fx_ok(fx_admin(f, JH_OP_OPEN));
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_free(f);
}

static void test_limit_counts_voided_numbers(void **state)
{
    (void)state;
    char ini_dispatch[] = FX_STRICT;
    fx *f = fx_new(ini_dispatch);
    /* L is numbered 1-3 with daily_limit 2: the limit refuses first; voids still use numbers */
    char a[16], b[16];
    fx_take_ok(f, "L", JH_PRIO_NONE, a);
    jh_command v = fx_cmd(JH_OP_VOID);
    strcpy(v.ticket, a);
    strcpy(v.reason, "paper-out");
    fx_ok(fx_send(f, JH_ORIGIN_KIOSK, "k1", &v));
    fx_take_ok(f, "L", JH_PRIO_NONE, b);
    assert_string_equal(b, "L02");
    fx_refused(fx_take(f, "k1", "L", JH_PRIO_NONE), "limit");
    fx_free(f);
}

static void test_void(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char a1[16], a2[16], a3[16], x[16];
    fx_take_ok(f, "A", JH_PRIO_NONE, a1);
    fx_take_ok(f, "A", JH_PRIO_ELDERLY, a2);
    jh_command v = fx_cmd(JH_OP_VOID);
    strcpy(v.ticket, a2);
    strcpy(v.reason, "paper-out");
    fx_refused(fx_send(f, JH_ORIGIN_KIOSK, "k2", &v), "wrong-kiosk");
    v = fx_cmd(JH_OP_VOID);
    strcpy(v.ticket, a2);
    strcpy(v.reason, "paper-out");
    fx_ok(fx_send(f, JH_ORIGIN_KIOSK, "k1", &v));
    cJSON *ev = fx_last_event(f, "voided");
    assert_string_equal(js(ev, "ticket"), "A002");
    assert_string_equal(js(ev, "reason"), "paper-out");
    cJSON_Delete(ev);
    cJSON *s = fx_service_state(f, "A");
    assert_int_equal((int)fx_num(s, "waiting"), 1);
    assert_int_equal((int)fx_num(s, "waiting_priority"), 0);
    cJSON_Delete(s);
    v = fx_cmd(JH_OP_VOID);
    strcpy(v.ticket, a2);
    fx_refused(fx_send(f, JH_ORIGIN_KIOSK, "k1", &v), "not-voidable");
    v = fx_cmd(JH_OP_VOID);
    strcpy(v.ticket, "A999");
    fx_refused(fx_send(f, JH_ORIGIN_KIOSK, "k1", &v), "unknown-ticket");
    fx_take_ok(f, "A", JH_PRIO_NONE, a3);
    assert_string_equal(a3, "A003"); /* the voided number is never reused */
    fx_login(f, "c03", "s1");
    fx_call_next(f, "c03", x);
    assert_string_equal(x, a1);
    v = fx_cmd(JH_OP_VOID);
    strcpy(v.ticket, a1);
    fx_refused(fx_send(f, JH_ORIGIN_KIOSK, "k1", &v), "not-voidable"); /* was called */
    fx_call_next(f, "c03", x);
    assert_string_equal(x, "A003"); /* the voided one is never called */
    fx_free(f);
}

static void test_wrong_origin_and_unknown(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    jh_command c = fx_cmd(JH_OP_CALL_NEXT);
    fx_refused(fx_send(f, JH_ORIGIN_KIOSK, "k1", &c), "wrong-origin");
    c = fx_cmd(JH_OP_TAKE);
    strcpy(c.service, "A");
    fx_refused(fx_send(f, JH_ORIGIN_COUNTER, "c01", &c), "wrong-origin");
    c = fx_cmd(JH_OP_CLOSE);
    fx_refused(fx_send(f, JH_ORIGIN_COUNTER, "c01", &c), "wrong-origin");
    c = fx_cmd(JH_OP_LOGIN);
    strcpy(c.staff_id, "s1");
    fx_refused(fx_send(f, JH_ORIGIN_COUNTER, "c99", &c), "unknown-counter");
    c = fx_cmd(JH_OP_UNKNOWN);
    fx_refused(fx_send(f, JH_ORIGIN_ADMIN, "admin", &c), "unknown-op");
    c = fx_cmd((jh_op)12345);
    fx_refused(fx_send(f, JH_ORIGIN_ADMIN, "admin", &c), "unknown-op");
    assert_int_equal(fx_outbox_count(f, 0, NULL), 0);
    fx_free(f);
}

static void test_duplicate_command_id(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    jh_command c = fx_cmd(JH_OP_TAKE);
    strcpy(c.id, "k1-000001");
    strcpy(c.service, "A");
    cJSON *r1 = fx_send(f, JH_ORIGIN_KIOSK, "k1", &c);
    char *first = strdup(f->last.reply);
    cJSON *r2 = fx_send(f, JH_ORIGIN_KIOSK, "k1", &c);
    assert_true(f->last.duplicate);
    assert_int_equal(f->last.n_events, 0);
    assert_string_equal(f->last.reply, first);
    assert_int_equal(fx_waiting(f, "A"), 1);
    assert_int_equal(fx_outbox_count(f, 0, NULL), 1);
    /* the same id from another kiosk is another command */
    cJSON *r3 = fx_send(f, JH_ORIGIN_KIOSK, "k2", &(jh_command){.id = "k1-000001", .op = JH_OP_TAKE,
                                                                 .service = "B"});
    assert_false(f->last.duplicate);
    assert_string_equal(js(r3, "ticket"), "B001");
    /* refusals are remembered too: a resend gets the refusal although it would now succeed */
    jh_command n = fx_cmd(JH_OP_CALL_NEXT);
    strcpy(n.id, "c01-7");
    fx_refused(fx_send(f, JH_ORIGIN_COUNTER, "c01", &n), "not-logged-in");
    fx_login(f, "c01", "s1");
    fx_refused(fx_send(f, JH_ORIGIN_COUNTER, "c01", &n), "not-logged-in");
    assert_true(f->last.duplicate);
    assert_int_equal(fx_waiting(f, "A"), 1);
    /* and it survives a restart */
    fx_reopen(f);
    cJSON *r4 = fx_send(f, JH_ORIGIN_KIOSK, "k1", &c);
    assert_true(f->last.duplicate);
    assert_string_equal(f->last.reply, first);
    free(first);
    cJSON_Delete(r1);
    cJSON_Delete(r2);
    cJSON_Delete(r3);
    cJSON_Delete(r4);
    /* a command without an id is refused and changes nothing */
    jh_command noid = fx_cmd(JH_OP_TAKE);
    strcpy(noid.service, "A");
    jh_origin o = {JH_ORIGIN_KIOSK, "k1"};
    char err[128];
    jh_outcome out;
    assert_int_equal(jh_engine_apply(f->e, &o, &noid, f->now, &out, err, sizeof err), 0);
    assert_false(out.ok);
    assert_non_null(strstr(out.reply, "\"id\":null"));
    jh_outcome_free(&out);
    assert_int_equal(fx_waiting(f, "A"), 1);
    fx_free(f);
}

static void test_login_logout_ab_post(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char t[16];
    fx_refused(fx_counter(f, "c01", JH_OP_CALL_NEXT), "not-logged-in");
    fx_refused(fx_counter(f, "c01", JH_OP_LOGOUT), "not-logged-in");
    jh_command c = fx_cmd(JH_OP_LOGIN);
    fx_refused(fx_send(f, JH_ORIGIN_COUNTER, "c01", &c), "missing-field");
    fx_login(f, "c01", "s1");
    cJSON *st = fx_counter_state(f, "c01");
    assert_string_equal(js(st, "status"), "idle");
    assert_string_equal(js(st, "staff_id"), "s1");
    assert_string_equal(js(st, "staff_name"), "员工s1");
    cJSON_Delete(st);
    /* s1 moves from idle c01 to c03 */
    fx_login(f, "c03", "s1");
    assert_true(f->last.counter_dirty[jh_config_counter_index(f->cfg, "c01")]);
    st = fx_counter_state(f, "c01");
    assert_string_equal(js(st, "status"), "closed");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(st, "staff_id")));
    cJSON_Delete(st);
    /* while serving at c03, s1 cannot log in elsewhere */
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_call_next(f, "c03", t);
    assert_string_equal(t, "A001");
    c = fx_cmd(JH_OP_LOGIN);
    strcpy(c.staff_id, "s1");
    strcpy(c.secret, FX_PIN);
    fx_refused(fx_send(f, JH_ORIGIN_COUNTER, "c01", &c), "staff-busy");
    fx_refused(fx_counter(f, "c03", JH_OP_LOGOUT), "serving");
    /* AB岗: s2 takes over c03's desk, ticket and all */
    fx_login(f, "c03", "s2");
    st = fx_counter_state(f, "c03");
    assert_string_equal(js(st, "staff_id"), "s2");
    assert_string_equal(js(st, "status"), "serving");
    assert_string_equal(js(st, "ticket"), "A001");
    cJSON_Delete(st);
    fx_ok(fx_counter(f, "c03", JH_OP_FINISH));
    fx_ok(fx_counter(f, "c03", JH_OP_LOGOUT));
    st = fx_counter_state(f, "c03");
    assert_string_equal(js(st, "status"), "closed");
    cJSON_Delete(st);
    fx_free(f);
}

static void test_call_next_finishes_and_resumes(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char t[16];
    int64_t seq;
    fx_login(f, "c03", "s1");
    cJSON *r = fx_counter(f, "c03", JH_OP_CALL_NEXT);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(r, "ticket")));
    assert_int_equal(f->last.n_events, 0);
    cJSON_Delete(r);
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    f->now += 65 * SEC;
    fx_outbox_count(f, 0, &seq);
    r = fx_counter(f, "c03", JH_OP_CALL_NEXT);
    assert_string_equal(js(r, "ticket"), "A001");
    assert_string_equal(js(r, "counter"), "c03");
    assert_int_equal((int)fx_num(r, "counter_number"), 3);
    assert_string_equal(js(r, "counter_name"), "3号窗口");
    assert_string_equal(js(r, "counter_name_en"), "Window 3");
    assert_string_equal(js(r, "service_name"), "社保业务");
    assert_string_equal(js(r, "service_name_en"), "Social Insurance");
    assert_string_equal(js(r, "staff_id"), "s1");
    assert_int_equal((int)fx_num(r, "call_count"), 1);
    assert_int_equal((int)fx_num(r, "waited_s"), 65);
    assert_int_equal((int)fx_num(r, "seq"), seq + 1);
    assert_string_equal(js(r, "at"), "2026-11-23T09:01:05+08:00");
    cJSON *why = cJSON_GetObjectItem(r, "reason");
    assert_string_equal(js(why, "policy"), "strict");
    assert_string_equal(js(why, "rule"), "only-normal");
    assert_string_equal(js(why, "text"), "only normal tickets waiting (strict); waited 65 s");
    cJSON_Delete(r);
    fx_refused(fx_counter(f, "c03", JH_OP_PAUSE), "serving");
    /* pressing call again means: this one is done, next please */
    f->now += 200 * SEC;
    char kinds[256];
    fx_outbox_count(f, 0, &seq);
    fx_call_next(f, "c03", t);
    assert_string_equal(t, "A002");
    fx_event_kinds(f, seq, kinds, sizeof kinds);
    assert_string_equal(kinds, "finished called");
    cJSON *ev = fx_last_event(f, "finished");
    assert_string_equal(js(ev, "ticket"), "A001");
    assert_int_equal((int)fx_num(ev, "service_s"), 200);
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(ev, "overrun")));
    cJSON_Delete(ev);
    f->now += 700 * SEC; /* over the 10 min target */
    r = fx_counter(f, "c03", JH_OP_FINISH);
    assert_string_equal(js(r, "ticket"), "A002");
    cJSON_Delete(r);
    ev = fx_last_event(f, "finished");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(ev, "overrun")));
    assert_int_equal((int)fx_num(ev, "target_s"), 600);
    cJSON_Delete(ev);
    fx_refused(fx_counter(f, "c03", JH_OP_FINISH), "no-current-ticket");
    /* paused: call-next resumes first */
    jh_command p = fx_cmd(JH_OP_PAUSE);
    strcpy(p.reason, "meeting");
    strcpy(p.message, "开会，10分钟后回来");
    fx_ok(fx_send(f, JH_ORIGIN_COUNTER, "c03", &p));
    cJSON *st = fx_counter_state(f, "c03");
    assert_string_equal(js(st, "status"), "paused");
    assert_string_equal(js(st, "message"), "开会，10分钟后回来");
    cJSON_Delete(st);
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_outbox_count(f, 0, &seq);
    fx_call_next(f, "c03", t);
    fx_event_kinds(f, seq, kinds, sizeof kinds);
    assert_string_equal(kinds, "resumed called");
    fx_free(f);
}

static void test_pause_resume(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    fx_login(f, "c01", "s1");
    fx_refused(fx_counter(f, "c01", JH_OP_RESUME), "not-paused");
    jh_command p = fx_cmd(JH_OP_PAUSE);
    strcpy(p.message, "去档案室");
    fx_ok(fx_send(f, JH_ORIGIN_COUNTER, "c01", &p));
    cJSON *ev = fx_last_event(f, "paused");
    assert_string_equal(js(ev, "message"), "去档案室");
    assert_string_equal(js(ev, "counter_name"), "1号窗口");
    cJSON_Delete(ev);
    /* a second pause only changes the message */
    p = fx_cmd(JH_OP_PAUSE);
    strcpy(p.message, "马上回来");
    fx_ok(fx_send(f, JH_ORIGIN_COUNTER, "c01", &p));
    assert_int_equal(f->last.n_events, 0);
    cJSON *st = fx_counter_state(f, "c01");
    assert_string_equal(js(st, "message"), "马上回来");
    cJSON_Delete(st);
    f->now += 90 * SEC;
    fx_ok(fx_counter(f, "c01", JH_OP_RESUME));
    ev = fx_last_event(f, "resumed");
    assert_int_equal((int)fx_num(ev, "paused_s"), 90);
    cJSON_Delete(ev);
    st = fx_counter_state(f, "c01");
    assert_string_equal(js(st, "status"), "idle");
    assert_string_equal(js(st, "message"), "");
    cJSON_Delete(st);
    fx_free(f);
}

static void test_recall_limit_then_no_show_and_requeue_back(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT); /* recall_limit 2, requeue back */
    char a1[16], t[16];
    fx_take_ok(f, "A", JH_PRIO_NONE, a1);
    f->now += SEC;
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_login(f, "c03", "s1");
    fx_refused(fx_counter(f, "c03", JH_OP_RECALL), "no-current-ticket");
    fx_refused(fx_counter(f, "c03", JH_OP_NO_SHOW), "no-current-ticket");
    fx_call_next(f, "c03", t);
    for (int i = 2; i <= 3; i++) {
        cJSON *r = fx_counter(f, "c03", JH_OP_RECALL);
        assert_int_equal((int)fx_num(r, "call_count"), i);
        assert_string_equal(js(r, "ticket"), a1);
        cJSON_Delete(r);
        cJSON *ev = fx_last_event(f, "recalled");
        assert_int_equal((int)fx_num(ev, "call_count"), i);
        assert_int_equal((int)fx_num(ev, "counter_number"), 3);
        cJSON_Delete(ev);
    }
    cJSON *r = fx_counter(f, "c03", JH_OP_RECALL); /* a 3rd recall: no-show instead */
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r, "no_show")));
    cJSON_Delete(r);
    cJSON *ev = fx_last_event(f, "no-show");
    assert_string_equal(js(ev, "ticket"), a1);
    cJSON_Delete(ev);
    cJSON *st = fx_counter_state(f, "c03");
    assert_string_equal(js(st, "status"), "idle");
    cJSON_Delete(st);
    fx_refused(fx_counter_ticket(f, "c03", JH_OP_REQUEUE, "A002"), "not-no-show");
    f->now += MIN; /* the person comes back a minute later */
    fx_ok(fx_counter_ticket(f, "c03", JH_OP_REQUEUE, a1));
    assert_int_equal(fx_waiting(f, "A"), 2);
    fx_refused(fx_counter_ticket(f, "c03", JH_OP_REQUEUE, a1), "not-no-show");
    /* back of the queue: A002 first */
    fx_call_next(f, "c03", t);
    assert_string_equal(t, "A002");
    fx_call_next(f, "c03", t);
    assert_string_equal(t, a1);
    /* its recall budget starts again */
    r = fx_counter(f, "c03", JH_OP_RECALL);
    assert_int_equal((int)fx_num(r, "call_count"), 2);
    cJSON_Delete(r);
    /* no-show by the button */
    fx_ok(fx_counter(f, "c03", JH_OP_NO_SHOW));
    st = fx_counter_state(f, "c03");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(st, "ticket")));
    cJSON_Delete(st);
    fx_free(f);
}

static void test_requeue_keep(void **state)
{
    (void)state;
    fx *f = fx_new("policy = strict\nrecall_limit = 0\nrequeue = keep");
    char a1[16], t[16];
    fx_take_ok(f, "A", JH_PRIO_NONE, a1);
    f->now += SEC;
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_login(f, "c03", "s1");
    fx_call_next(f, "c03", t);
    cJSON *r = fx_counter(f, "c03", JH_OP_RECALL); /* recall_limit 0: straight to no-show */
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r, "no_show")));
    cJSON_Delete(r);
    fx_ok(fx_counter_ticket(f, "c03", JH_OP_REQUEUE, a1));
    fx_call_next(f, "c03", t);
    assert_string_equal(t, a1); /* kept its original place, ahead of A002 */
    fx_free(f);
}

static void test_transfer_keeps_original_place(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char t[16];
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL); /* A001 at T0 */
    f->now += MIN;
    fx_take_ok(f, "B", JH_PRIO_NONE, NULL); /* B001 later */
    fx_take_ok(f, "B", JH_PRIO_NONE, NULL);
    fx_login(f, "c03", "s1");
    fx_login(f, "c02", "s2");
    fx_call_next(f, "c03", t);
    assert_string_equal(t, "A001");
    fx_refused(fx_counter(f, "c02", JH_OP_TRANSFER), "no-current-ticket");
    fx_refused(fx_counter(f, "c03", JH_OP_TRANSFER), "missing-field");
    jh_command c = fx_cmd(JH_OP_TRANSFER);
    strcpy(c.to_service, "Z");
    fx_refused(fx_send(f, JH_ORIGIN_COUNTER, "c03", &c), "unknown-service");
    c = fx_cmd(JH_OP_TRANSFER);
    strcpy(c.to_service, "N");
    fx_refused(fx_send(f, JH_ORIGIN_COUNTER, "c03", &c), "no-counter");
    c = fx_cmd(JH_OP_TRANSFER);
    strcpy(c.to_counter, "c03");
    fx_refused(fx_send(f, JH_ORIGIN_COUNTER, "c03", &c), "same-counter");
    c = fx_cmd(JH_OP_TRANSFER);
    strcpy(c.to_counter, "c77");
    fx_refused(fx_send(f, JH_ORIGIN_COUNTER, "c03", &c), "unknown-counter");
    c = fx_cmd(JH_OP_TRANSFER);
    strcpy(c.to_service, "B");
    cJSON *r = fx_send(f, JH_ORIGIN_COUNTER, "c03", &c);
    assert_string_equal(js(r, "ticket"), "A001");
    assert_string_equal(js(r, "service"), "B");
    assert_string_equal(js(r, "from_service"), "A");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(r, "to_counter")));
    cJSON_Delete(r);
    assert_true(f->last.service_dirty[jh_config_service_index(f->cfg, "A")]);
    assert_true(f->last.service_dirty[jh_config_service_index(f->cfg, "B")]);
    assert_int_equal(fx_waiting(f, "B"), 3);
    assert_int_equal(fx_waiting(f, "A"), 0);
    cJSON *st = fx_counter_state(f, "c03");
    assert_string_equal(js(st, "status"), "idle");
    cJSON_Delete(st);
    /* c02 serves B: A001 queued at T0 comes before B001 */
    f->now += MIN;
    r = fx_counter(f, "c02", JH_OP_CALL_NEXT);
    assert_string_equal(js(r, "ticket"), "A001");
    assert_int_equal((int)fx_num(r, "waited_s"), 120);
    cJSON_Delete(r);
    fx_call_next(f, "c02", t);
    assert_string_equal(t, "B001");
    fx_free(f);
}

static void test_directed_transfer(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char t[16];
    fx_take_ok(f, "B", JH_PRIO_ELDERLY, NULL); /* B001 green, earlier */
    f->now += MIN;
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL); /* A001 */
    fx_login(f, "c03", "s3");
    fx_login(f, "c01", "s1");
    fx_login(f, "c02", "s2");
    fx_call_next(f, "c03", t);
    assert_string_equal(t, "A001");
    jh_command c = fx_cmd(JH_OP_TRANSFER);
    strcpy(c.to_counter, "c02"); /* c02 does not even serve A */
    cJSON *r = fx_send(f, JH_ORIGIN_COUNTER, "c03", &c);
    assert_string_equal(js(r, "to_counter"), "c02");
    cJSON_Delete(r);
    assert_true(f->last.counter_dirty[jh_config_counter_index(f->cfg, "c02")]);
    /* c01 serves A and B but does not get a ticket directed at c02 */
    fx_call_next(f, "c01", t);
    assert_string_equal(t, "B001");
    fx_call_next(f, "c01", t);
    assert_string_equal(t, "");
    fx_take_ok(f, "B", JH_PRIO_ELDERLY, NULL); /* a green ticket does not beat a directed one */
    r = fx_counter(f, "c02", JH_OP_CALL_NEXT);
    assert_string_equal(js(r, "ticket"), "A001");
    assert_string_equal(js(cJSON_GetObjectItem(r, "reason"), "rule"), "directed");
    cJSON_Delete(r);
    fx_free(f);
}

static void test_call_specific_ticket(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char t[16];
    fx_take_ok(f, "A", JH_PRIO_ELDERLY, NULL);
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_login(f, "c03", "s1");
    fx_refused(fx_counter_ticket(f, "c03", JH_OP_CALL, "A777"), "unknown-ticket");
    fx_refused(fx_counter(f, "c03", JH_OP_CALL), "missing-field");
    cJSON *r = fx_counter_ticket(f, "c03", JH_OP_CALL, "A003");
    assert_string_equal(js(r, "ticket"), "A003");
    assert_string_equal(js(cJSON_GetObjectItem(r, "reason"), "rule"), "requested");
    cJSON_Delete(r);
    fx_refused(fx_counter_ticket(f, "c03", JH_OP_CALL, "A003"), "not-waiting");
    /* calling another finishes the current one */
    r = fx_counter_ticket(f, "c03", JH_OP_CALL, "A002");
    assert_string_equal(js(r, "finished"), "A003");
    cJSON_Delete(r);
    fx_call_next(f, "c03", t);
    assert_string_equal(t, "A001");
    fx_free(f);
}

static void test_flag_makes_green(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char t[16];
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    jh_command c = fx_cmd(JH_OP_FLAG);
    strcpy(c.ticket, "A002");
    fx_refused(fx_send(f, JH_ORIGIN_COUNTER, "c01", &c), "bad-field"); /* priority none */
    c = fx_cmd(JH_OP_FLAG);
    strcpy(c.ticket, "A002");
    c.priority = JH_PRIO_PREGNANT;
    cJSON *r = fx_send(f, JH_ORIGIN_COUNTER, "c01", &c);
    assert_string_equal(js(r, "priority"), "pregnant");
    cJSON_Delete(r);
    cJSON *s = fx_service_state(f, "A");
    assert_int_equal((int)fx_num(s, "waiting_priority"), 1);
    assert_int_equal((int)fx_num(s, "waiting"), 2);
    cJSON_Delete(s);
    fx_login(f, "c03", "s1");
    fx_call_next(f, "c03", t);
    assert_string_equal(t, "A002");
    c = fx_cmd(JH_OP_FLAG);
    strcpy(c.ticket, "A002");
    c.priority = JH_PRIO_ELDERLY;
    fx_refused(fx_send(f, JH_ORIGIN_COUNTER, "c01", &c), "not-waiting");
    fx_free(f);
}

static cJSON *rate(fx *f, const char *counter, const char *ticket, int score, jh_rate_source src)
{
    jh_command c = fx_cmd(JH_OP_RATE);
    if (ticket)
        strcpy(c.ticket, ticket);
    c.score = score;
    c.rate_source = src;
    return fx_send(f, JH_ORIGIN_COUNTER, counter, &c);
}

static const char *flags_text(cJSON *r, char *buf, size_t len)
{
    char *s = cJSON_PrintUnformatted(cJSON_GetObjectItem(r, "flags"));
    snprintf(buf, len, "%s", s ? s : "?");
    free(s);
    return buf;
}

static void test_rating(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char t[16], fl[128];
    fx_refused(rate(f, "c03", NULL, 5, JH_RATE_SRC_PAD), "no-ticket-to-rate");
    for (int i = 0; i < 8; i++)
        fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_login(f, "c03", "s1");
    fx_call_next(f, "c03", t);
    fx_refused(rate(f, "c03", NULL, 5, JH_RATE_SRC_PAD), "no-ticket-to-rate"); /* not finished */
    f->now += 60 * SEC;
    fx_ok(fx_counter(f, "c03", JH_OP_FINISH));
    fx_refused(rate(f, "c03", NULL, 0, JH_RATE_SRC_PAD), "bad-field");
    fx_refused(rate(f, "c03", NULL, 6, JH_RATE_SRC_PAD), "bad-field");
    fx_refused(rate(f, "c03", "A002", 5, JH_RATE_SRC_PAD), "no-ticket-to-rate");
    fx_refused(rate(f, "c01", NULL, 5, JH_RATE_SRC_PAD), "no-ticket-to-rate"); /* other counter */
    cJSON *r = rate(f, "c03", "A001", 4, JH_RATE_SRC_PAD); /* within a second of finish */
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r, "suspicious")));
    assert_string_equal(flags_text(r, fl, sizeof fl), "[\"too-fast\"]");
    assert_string_equal(js(r, "staff_id"), "s1");
    cJSON_Delete(r);
    fx_refused(rate(f, "c03", NULL, 4, JH_RATE_SRC_PAD), "already-rated");
    /* a call-next finishes A002; the pad then rates A002 while A003 is served */
    fx_call_next(f, "c03", t);
    f->now += 60 * SEC;
    fx_call_next(f, "c03", t);
    f->now += 5 * SEC;
    r = rate(f, "c03", NULL, 5, JH_RATE_SRC_STAFF_KEYPAD);
    assert_string_equal(js(r, "ticket"), "A002");
    assert_string_equal(flags_text(r, fl, sizeof fl), "[\"staff-keypad\"]");
    cJSON_Delete(r);
    /* identical scores in a row: no other counter has ratings yet, so a 5 is
     * taken to be as common as any score (1 in 5) and the 6th in a row is
     * flagged (0.2^5 < 1/1000, rating_rule.h) */
    for (int i = 0; i < 5; i++) {
        f->now += 60 * SEC;
        fx_call_next(f, "c03", t);
        f->now += 5 * SEC;
        r = rate(f, "c03", NULL, 5, JH_RATE_SRC_PAD);
        int run = i + 2; /* staff-keypad 5 started the run */
        assert_int_equal(cJSON_IsTrue(cJSON_GetObjectItem(r, "suspicious")), run >= 6);
        if (run >= 6)
            assert_string_equal(flags_text(r, fl, sizeof fl), "[\"identical-run\"]");
        cJSON_Delete(r);
    }
    cJSON *ev = fx_last_event(f, "rated");
    assert_int_equal((int)fx_num(ev, "score"), 5);
    assert_string_equal(js(ev, "counter"), "c03");
    cJSON_Delete(ev);
    fx_free(f);
}

/* Serves one ticket at `counter` and rates it `score` from the pad a minute later. */
static int serve_and_rate(fx *f, const char *counter, int score)
{
    char t[16];
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_call_next(f, counter, t);
    f->now += 60 * SEC;
    fx_ok(fx_counter(f, counter, JH_OP_FINISH));
    f->now += 5 * SEC;
    cJSON *r = rate(f, counter, NULL, score, JH_RATE_SRC_PAD);
    int suspicious = cJSON_IsTrue(cJSON_GetObjectItem(r, "suspicious"));
    cJSON_Delete(r);
    return suspicious;
}

/* How long a run must be depends on how common its score is at the OTHER counters. */
static void test_rating_run_weighs_other_counters(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    fx_login(f, "c01", "s1");
    fx_login(f, "c03", "s3");
    /* c01's 5s: the other counters have none yet, so from the 6th they are flagged */
    for (int i = 1; i <= 20; i++)
        assert_int_equal(serve_and_rate(f, "c01", 5), i >= 6);
    /* at c03, 5s are now ordinary (22 in 30 with the prior): a run is flagged from 24 on */
    for (int i = 1; i <= 24; i++)
        assert_int_equal(serve_and_rate(f, "c03", 5), i >= 24);
    /* while 1s stay rare (2 in 30 with the prior): five in a row are flagged */
    for (int i = 1; i <= 5; i++)
        assert_int_equal(serve_and_rate(f, "c03", 1), i >= 5);
    fx_free(f);
}

static void test_admin_notice_and_end_day(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char t[16];
    jh_command c = fx_cmd(JH_OP_NOTICE);
    strcpy(c.message, "系统维护 12:00-12:30");
    fx_ok(fx_send(f, JH_ORIGIN_ADMIN, "admin", &c));
    assert_true(f->last.hall_dirty);
    cJSON *h = fx_state_json(jh_engine_hall_state(f->e, f->now));
    assert_string_equal(js(h, "notice"), "系统维护 12:00-12:30");
    assert_string_equal(js(h, "site"), "test-hall");
    assert_string_equal(js(h, "name"), "测试大厅");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(h, "open")));
    cJSON_Delete(h);
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_take_ok(f, "B", JH_PRIO_NONE, NULL);
    fx_login(f, "c03", "s1");
    fx_call_next(f, "c03", t);
    cJSON *r = fx_admin(f, JH_OP_END_DAY);
    assert_int_equal((int)fx_num(r, "expired"), 2);
    cJSON_Delete(r);
    assert_int_equal(fx_waiting(f, "A"), 0);
    assert_int_equal(fx_waiting(f, "B"), 0);
    fx_refused(fx_take(f, "k1", "A", JH_PRIO_NONE), "closed");
    fx_call_next(f, "c03", t); /* finishes A001; nothing left */
    assert_string_equal(t, "");
    h = fx_state_json(jh_engine_hall_state(f->e, f->now));
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(h, "open")));
    cJSON_Delete(h);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_take_reply_and_numbering),
        cmocka_unit_test(test_take_refusals_change_nothing),
        cmocka_unit_test(test_limit_counts_voided_numbers),
        cmocka_unit_test(test_void),
        cmocka_unit_test(test_wrong_origin_and_unknown),
        cmocka_unit_test(test_duplicate_command_id),
        cmocka_unit_test(test_login_logout_ab_post),
        cmocka_unit_test(test_call_next_finishes_and_resumes),
        cmocka_unit_test(test_pause_resume),
        cmocka_unit_test(test_recall_limit_then_no_show_and_requeue_back),
        cmocka_unit_test(test_requeue_keep),
        cmocka_unit_test(test_transfer_keeps_original_place),
        cmocka_unit_test(test_directed_transfer),
        cmocka_unit_test(test_call_specific_ticket),
        cmocka_unit_test(test_flag_makes_green),
        cmocka_unit_test(test_rating),
        cmocka_unit_test(test_rating_run_weighs_other_counters),
        cmocka_unit_test(test_admin_notice_and_end_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
