/* SPDX-License-Identifier: MIT */
/*
 * test_staff_auth — who may log in, with which secret, where; and what a
 * console acting for someone (`by`) may do (caller/engine/engine_auth.c).
 *
 * Through the real engine and store: a wrong secret is refused and counted
 * (the count survives the refusal's rollback), max_failures in a row lock the
 * account until lock_minutes have passed on the engine's clock (tick then
 * announces the lock once: event alert staff-locked), a disabled person and a
 * counter outside someone's posts are refused, AB岗 covers open the covered
 * person's posts, the boards' name is the roster's, PIN-less keypad login is
 * nameless, and every cell of the `by` role matrix that must be refused is
 * refused `forbidden` with every row of the store as it was.
 */
#include "staff_fixture.h"

#define PIN_A "135790"

/* A hall whose [staff] says: 3 failures lock for 10 minutes; pinless as given. */
static fx *hall(int pinless)
{
    return fx_new_staff_in("/tmp", FX_STRICT, pinless ? "max_failures = 3\nlock_minutes = 10\n"
                                                        "pinless_keypad_login = yes\n"
                                                      : "max_failures = 3\nlock_minutes = 10\n");
}

static int failures_of(fx *f, const char *id)
{
    cJSON *row = sx_listed(f, id);
    assert_non_null(row);
    int n = (int)fx_num(row, "failures");
    cJSON_Delete(row);
    return n;
}

static void test_login_needs_the_secret(void **state)
{
    (void)state;
    fx *f = hall(0);
    fx_ok(sx_add(f, "a1", "周杰", "staff", "", "", "", PIN_A));
    fx_refused(sx_login(f, "c01", "nobody", PIN_A), "unknown-staff");
    fx_refused(sx_login(f, "c01", "a1", ""), "missing-field");
    assert_int_equal(failures_of(f, "a1"), 0); /* no secret is no try */
    cJSON *r = sx_login(f, "c01", "a1", "000000");
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")));
    assert_string_equal(js(r, "error"), "bad-secret");
    assert_non_null(strstr(js(r, "message"), "1 of 3"));
    cJSON_Delete(r);
    char result[32], detail[256];
    sx_last_audit(f, result, sizeof result, detail, sizeof detail);
    assert_string_equal(result, "bad-secret");
    assert_null(strstr(detail, "000000")); /* the secret tried is not written down */
    assert_int_equal(failures_of(f, "a1"), 1); /* counted, though the command was refused */
    cJSON *st = fx_counter_state(f, "c01");
    assert_string_equal(js(st, "status"), "closed"); /* nothing else changed */
    cJSON_Delete(st);
    /* the right secret lets them in and clears the count */
    r = sx_login(f, "c01", "a1", PIN_A);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")));
    assert_string_equal(js(r, "staff_name"), "周杰");
    cJSON_Delete(r);
    assert_int_equal(failures_of(f, "a1"), 0);
    fx_free(f);
}

static void test_lock_after_failures_and_unlock_after_the_time(void **state)
{
    (void)state;
    fx *f = hall(0);
    jh_outcome out;
    char err[256];
    fx_ok(sx_add(f, "a1", "周杰", "staff", "", "", "", PIN_A));
    fx_refused(sx_login(f, "c01", "a1", "111111"), "bad-secret");
    fx_refused(sx_login(f, "c01", "a1", "222222"), "bad-secret");
    int64_t seq;
    fx_outbox_count(f, 0, &seq);
    cJSON *r = sx_login(f, "c01", "a1", "333333"); /* the third in a row locks */
    assert_string_equal(js(r, "error"), "bad-secret");
    assert_non_null(strstr(js(r, "message"), "locked until"));
    assert_true(strlen(js(r, "until")) > 0);
    cJSON_Delete(r);
    assert_int_equal(f->last.n_events, 0); /* a refusal makes no event ... */
    assert_int_equal(jh_engine_tick(f->e, f->now, &out, err, sizeof err), 0);
    assert_int_equal(out.n_events, 1); /* ... the tick announces the lock */
    cJSON *ev = fx_last_event(f, "alert");
    assert_string_equal(js(ev, "kind"), "staff-locked");
    assert_string_equal(js(ev, "staff_id"), "a1");
    assert_string_equal(js(ev, "staff_name"), "周杰");
    assert_string_equal(js(ev, "until"), "2026-11-23T09:10:00+08:00");
    assert_int_equal((int)fx_num(ev, "seq"), seq + 1);
    cJSON_Delete(ev);
    assert_int_equal(jh_engine_tick(f->e, f->now + SEC, &out, err, sizeof err), 0);
    assert_int_equal(out.n_events, 0); /* once */
    /* while locked even the right secret is refused, and not tried */
    f->now += 9 * MIN;
    r = sx_login(f, "c01", "a1", PIN_A);
    assert_string_equal(js(r, "error"), "locked");
    assert_string_equal(js(r, "until"), "2026-11-23T09:10:00+08:00");
    cJSON_Delete(r);
    fx_refused(sx_auth(f, "a1", PIN_A), "locked");
    cJSON *row = sx_listed(f, "a1");
    assert_string_equal(js(row, "locked_until"), "2026-11-23T09:10:00+08:00");
    cJSON_Delete(row);
    /* after the time, on the engine's clock */
    f->now += 61 * SEC;
    fx_ok(sx_login(f, "c01", "a1", PIN_A));
    row = sx_listed(f, "a1");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(row, "locked_until")));
    cJSON_Delete(row);
    fx_free(f);
}

static void test_set_secret_unlocks(void **state)
{
    (void)state;
    fx *f = hall(0);
    fx_ok(sx_add(f, "a1", "周杰", "staff", "", "", "", PIN_A));
    for (int i = 0; i < 3; i++)
        fx_refused(sx_login(f, "c01", "a1", "999999"), "bad-secret");
    fx_refused(sx_login(f, "c01", "a1", PIN_A), "locked");
    jh_command c = fx_cmd(JH_OP_STAFF_SET_SECRET);
    strcpy(c.staff_id, "a1");
    strcpy(c.secret, "a-longer-password");
    fx_ok(fx_send(f, JH_ORIGIN_ADMIN, "admin", &c));
    fx_refused(sx_login(f, "c01", "a1", PIN_A), "bad-secret"); /* the old one is gone */
    fx_ok(sx_login(f, "c01", "a1", "a-longer-password"));
    fx_free(f);
}

static void test_disabled_refused(void **state)
{
    (void)state;
    fx *f = hall(1); /* PIN-less or not, disabled is disabled */
    fx_ok(sx_add(f, "a1", "周杰", "staff", "", "", "", PIN_A));
    jh_command c = fx_cmd(JH_OP_STAFF_DISABLE);
    strcpy(c.staff_id, "a1");
    fx_ok(fx_send(f, JH_ORIGIN_ADMIN, "admin", &c));
    fx_refused(sx_login(f, "c01", "a1", PIN_A), "staff-disabled");
    fx_refused(sx_login(f, "c01", "a1", ""), "staff-disabled");
    fx_refused(sx_auth(f, "a1", PIN_A), "staff-disabled");
    /* a wrong secret is still a wrong secret: no hint that the account is disabled */
    fx_refused(sx_login(f, "c01", "a1", "000000"), "bad-secret");
    c = fx_cmd(JH_OP_STAFF_UPDATE);
    strcpy(c.staff_id, "a1");
    c.staff_fields = JH_SF_ENABLED;
    c.enabled = 1;
    fx_ok(fx_send(f, JH_ORIGIN_ADMIN, "admin", &c));
    fx_ok(sx_login(f, "c01", "a1", PIN_A));
    fx_free(f);
}

static void test_not_allowed_here_and_ab_post(void **state)
{
    (void)state;
    fx *f = hall(0);
    /* b1 serves c02 only; b2 serves service A only (c01, c03 serve A; c02 serves B only) */
    fx_ok(sx_add(f, "b1", "吴婷", "staff", "c02", "", "", PIN_A));
    fx_ok(sx_add(f, "b2", "徐强", "staff", "", "A", "", PIN_A));
    fx_ok(sx_add(f, "g1", "杨敏", "guide", "", "", "", PIN_A));
    fx_refused(sx_login(f, "c01", "b1", PIN_A), "not-allowed-here");
    fx_ok(sx_login(f, "c02", "b1", PIN_A));
    fx_refused(sx_login(f, "c02", "b2", PIN_A), "not-allowed-here");
    fx_ok(sx_login(f, "c03", "b2", PIN_A));
    fx_refused(sx_login(f, "c01", "g1", PIN_A), "not-allowed-here"); /* no staff role */
    /* AB岗: b3 covers b1, so b1's post c02 is b3's too; c03 is nobody's of theirs */
    fx_ok(sx_add(f, "b3", "孙艳", "staff", "c01", "", "b1", PIN_A));
    fx_ok(sx_login(f, "c01", "b3", PIN_A));
    fx_ok(sx_login(f, "c02", "b3", PIN_A)); /* takes b1's desk over */
    fx_refused(sx_login(f, "c03", "b3", PIN_A), "not-allowed-here");
    cJSON *st = fx_counter_state(f, "c02");
    assert_string_equal(js(st, "staff_id"), "b3");
    cJSON_Delete(st);
    /* covering someone who is not in the roster is refused at once */
    fx_refused(sx_add(f, "b4", "马超", "staff", "", "", "nobody", PIN_A), "bad-field");
    fx_free(f);
}

static void test_called_name_comes_from_the_roster(void **state)
{
    (void)state;
    fx *f = hall(0);
    char t[16];
    fx_ok(sx_add(f, "a1", "周杰", "staff", "", "", "", PIN_A));
    jh_command c = fx_cmd(JH_OP_LOGIN);
    strcpy(c.staff_id, "a1");
    strcpy(c.secret, PIN_A);
    strcpy(c.staff_name, "冒名顶替"); /* what someone typed: never shown */
    fx_ok(fx_send(f, JH_ORIGIN_COUNTER, "c03", &c));
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_call_next(f, "c03", t);
    cJSON *ev = fx_last_event(f, "called");
    assert_string_equal(js(ev, "staff_id"), "a1");
    assert_string_equal(js(ev, "staff_name"), "周杰");
    cJSON_Delete(ev);
    /* a new name reaches the boards at once, also for the person logged in now */
    c = fx_cmd(JH_OP_STAFF_UPDATE);
    strcpy(c.staff_id, "a1");
    strcpy(c.staff_name, "周杰伦");
    c.staff_fields = JH_SF_NAME;
    fx_ok(fx_send(f, JH_ORIGIN_ADMIN, "admin", &c));
    assert_true(f->last.counter_dirty[jh_config_counter_index(f->cfg, "c03")]);
    cJSON *st = fx_counter_state(f, "c03");
    assert_string_equal(js(st, "staff_name"), "周杰伦");
    cJSON_Delete(st);
    fx_free(f);
}

static void test_pinless_login_is_nameless(void **state)
{
    (void)state;
    fx *f = hall(1);
    char t[16];
    fx_ok(sx_add(f, "a1", "周杰", "staff", "c01", "", "", PIN_A));
    /* a keypad without PIN entry: an id not enrolled gets in, with no name */
    jh_command c = fx_cmd(JH_OP_LOGIN);
    strcpy(c.staff_id, "7777");
    strcpy(c.staff_name, "随便输入");
    fx_ok(fx_send(f, JH_ORIGIN_COUNTER, "c03", &c));
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_call_next(f, "c03", t);
    cJSON *ev = fx_last_event(f, "called");
    assert_string_equal(js(ev, "staff_id"), "7777");
    assert_string_equal(js(ev, "staff_name"), "");
    cJSON_Delete(ev);
    /* an enrolled person without PIN: their posts still hold, the name is not shown */
    fx_refused(sx_login(f, "c02", "a1", ""), "not-allowed-here");
    cJSON *r = sx_login(f, "c01", "a1", "");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")));
    assert_string_equal(js(r, "staff_name"), "");
    cJSON_Delete(r);
    /* with the PIN, the name; a wrong PIN is refused even here */
    fx_refused(sx_login(f, "c01", "a1", "000000"), "bad-secret");
    r = sx_login(f, "c01", "a1", PIN_A);
    assert_string_equal(js(r, "staff_name"), "周杰");
    cJSON_Delete(r);
    /* a console's login (by) always needs the secret */
    c = fx_cmd(JH_OP_LOGIN);
    strcpy(c.staff_id, "a1");
    fx_refused(sx_by(f, JH_ORIGIN_COUNTER, "c01", "a1", &c), "missing-field");
    fx_free(f);
}

static void test_staff_auth(void **state)
{
    (void)state;
    fx *f = hall(0);
    fx_ok(sx_add(f, "p1", "赵磊", "supervisor;staff", "c01;c03", "A", "", PIN_A));
    cJSON *r = sx_auth(f, "p1", PIN_A);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")));
    assert_string_equal(js(r, "staff_id"), "p1");
    assert_string_equal(js(r, "name"), "赵磊");
    cJSON *roles = cJSON_GetObjectItem(r, "roles");
    assert_int_equal(cJSON_GetArraySize(roles), 2);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetArrayItem(roles, 0)), "staff");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetArrayItem(roles, 1)), "supervisor");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r, "counters")), 2);
    assert_null(cJSON_GetObjectItem(r, "secret_hash"));
    cJSON_Delete(r);
    fx_refused(sx_auth(f, "p1", "nope-nope"), "bad-secret");
    fx_refused(sx_auth(f, "ghost", PIN_A), "unknown-staff");
    assert_int_equal(failures_of(f, "p1"), 1); /* the console's sign-in shares the lockout */
    fx_free(f);
}

/* ---- the `by` role matrix ---- */

typedef struct {
    const char *by;
    jh_op op;
    jh_origin_kind kind;
    const char *origin;
} cell;

static void fill(jh_command *c, jh_op op)
{
    *c = fx_cmd(op);
    strcpy(c->ticket, "A001");
    strcpy(c->staff_id, "s2");
    strcpy(c->service, "A");
    strcpy(c->message, "通知");
    strcpy(c->staff_name, "新人");
    c->staff_fields = JH_SF_NAME;
    c->priority = JH_PRIO_ELDERLY;
    c->score = 5;
    strcpy(c->secret, FX_PIN);
    strcpy(c->to_service, "B");
    strcpy(c->csv, "staff_id,name,department,roles,counters,services,covers,secret\nx9,某人,,staff,,,,\n");
}

/* A hall with one of each role; st1 is logged in at c01 and serves A001; s2 sits at c03. */
static fx *matrix_hall(void)
{
    fx *f = hall(0);
    char t[16];
    fx_ok(sx_add(f, "st1", "员工甲", "staff", "", "", "", PIN_A));
    fx_ok(sx_add(f, "gd1", "导办甲", "guide", "", "", "", PIN_A));
    fx_ok(sx_add(f, "sv1", "值班长", "supervisor;staff", "", "", "", PIN_A));
    fx_ok(sx_add(f, "ad1", "管理员", "admin", "", "", "", PIN_A));
    fx_ok(sx_add(f, "off1", "停用者", "supervisor;admin", "", "", "", PIN_A));
    jh_command c = fx_cmd(JH_OP_STAFF_DISABLE);
    strcpy(c.staff_id, "off1");
    fx_ok(fx_send(f, JH_ORIGIN_ADMIN, "admin", &c));
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_ok(sx_login(f, "c01", "st1", PIN_A));
    fx_login(f, "c03", "s2");
    fx_call_next(f, "c01", t);
    assert_string_equal(t, "A001");
    return f;
}

static void test_by_matrix_refusals_change_nothing(void **state)
{
    (void)state;
    static const cell refused[] = {
        /* staff: only their own counter, never a guide's, supervisor's or admin's op */
        {"st1", JH_OP_CALL_NEXT, JH_ORIGIN_COUNTER, "c03"},
        {"st1", JH_OP_PAUSE, JH_ORIGIN_COUNTER, "c03"},
        {"st1", JH_OP_LOGOUT, JH_ORIGIN_COUNTER, "c03"},
        {"st1", JH_OP_RECALL, JH_ORIGIN_COUNTER, "c03"},
        {"st1", JH_OP_LOGIN, JH_ORIGIN_COUNTER, "c02"}, /* logging someone else in */
        {"st1", JH_OP_FLAG, JH_ORIGIN_COUNTER, "c01"},
        {"st1", JH_OP_RATE, JH_ORIGIN_COUNTER, "c01"},
        {"st1", JH_OP_REQUEUE, JH_ORIGIN_COUNTER, "c03"},
        {"st1", JH_OP_TAKE, JH_ORIGIN_KIOSK, "k1"},
        {"st1", JH_OP_NOTICE, JH_ORIGIN_ADMIN, "admin"},
        {"st1", JH_OP_CLOSE, JH_ORIGIN_ADMIN, "admin"},
        {"st1", JH_OP_END_DAY, JH_ORIGIN_ADMIN, "admin"},
        {"st1", JH_OP_STAFF_LIST, JH_ORIGIN_ADMIN, "admin"},
        {"st1", JH_OP_AUDIT, JH_ORIGIN_ADMIN, "admin"},
        {"st1", JH_OP_STAFF_ADD, JH_ORIGIN_ADMIN, "admin"},
        {"st1", JH_OP_STAFF_SET_SECRET, JH_ORIGIN_ADMIN, "admin"},
        /* guide: flags and re-queues anywhere; not a counter's work, nor hall or roster */
        {"gd1", JH_OP_CALL_NEXT, JH_ORIGIN_COUNTER, "c03"},
        {"gd1", JH_OP_PAUSE, JH_ORIGIN_COUNTER, "c03"},
        {"gd1", JH_OP_FINISH, JH_ORIGIN_COUNTER, "c01"},
        {"gd1", JH_OP_NOTICE, JH_ORIGIN_ADMIN, "admin"},
        {"gd1", JH_OP_OPEN, JH_ORIGIN_ADMIN, "admin"},
        {"gd1", JH_OP_STAFF_UPDATE, JH_ORIGIN_ADMIN, "admin"},
        {"gd1", JH_OP_RATE, JH_ORIGIN_COUNTER, "c01"},
        /* supervisor: the hall and any counter, not the roster, never a score */
        {"sv1", JH_OP_STAFF_ADD, JH_ORIGIN_ADMIN, "admin"},
        {"sv1", JH_OP_STAFF_UPDATE, JH_ORIGIN_ADMIN, "admin"},
        {"sv1", JH_OP_STAFF_DISABLE, JH_ORIGIN_ADMIN, "admin"},
        {"sv1", JH_OP_STAFF_SET_SECRET, JH_ORIGIN_ADMIN, "admin"},
        {"sv1", JH_OP_STAFF_IMPORT, JH_ORIGIN_ADMIN, "admin"},
        {"sv1", JH_OP_RATE, JH_ORIGIN_COUNTER, "c01"},
        /* admin: the roster, not a score */
        {"ad1", JH_OP_RATE, JH_ORIGIN_COUNTER, "c01"},
        /* nobody the roster knows, or somebody disabled */
        {"ghost", JH_OP_NOTICE, JH_ORIGIN_ADMIN, "admin"},
        {"ghost", JH_OP_CALL_NEXT, JH_ORIGIN_COUNTER, "c01"},
        {"off1", JH_OP_NOTICE, JH_ORIGIN_ADMIN, "admin"},
        {"off1", JH_OP_STAFF_ADD, JH_ORIGIN_ADMIN, "admin"},
    };
    fx *f = matrix_hall();
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        const cell *k = &refused[i];
        jh_command c;
        fill(&c, k->op);
        char *before = sx_snapshot(f->db);
        cJSON *r = sx_by(f, k->kind, k->origin, k->by, &c);
        if (strcmp(js(r, "error"), "forbidden") != 0)
            fail_msg("%s by %s at %s: %s (%s), want forbidden", jh_op_name(k->op), k->by, k->origin,
                     js(r, "error"), js(r, "message"));
        cJSON_Delete(r);
        assert_int_equal(f->last.n_events, 0);
        char *after = sx_snapshot(f->db);
        if (strcmp(before, after) != 0)
            fail_msg("%s by %s at %s changed the store", jh_op_name(k->op), k->by, k->origin);
        free(before);
        free(after);
        char result[32], detail[256];
        sx_last_audit(f, result, sizeof result, detail, sizeof detail);
        assert_string_equal(result, "forbidden"); /* what supervisors see */
    }
    fx_free(f);
}

static void test_by_matrix_what_each_role_may_do(void **state)
{
    (void)state;
    fx *f = matrix_hall();
    jh_command c;
    /* staff at their own counter */
    fill(&c, JH_OP_FINISH);
    fx_ok(sx_by(f, JH_ORIGIN_COUNTER, "c01", "st1", &c));
    fill(&c, JH_OP_PAUSE);
    fx_ok(sx_by(f, JH_ORIGIN_COUNTER, "c01", "st1", &c));
    /* the guide flags the waiting A002 green */
    fill(&c, JH_OP_FLAG);
    strcpy(c.ticket, "A002");
    fx_ok(sx_by(f, JH_ORIGIN_COUNTER, "c03", "gd1", &c));
    /* the supervisor pauses another counter, sets the notice, closes and opens */
    fill(&c, JH_OP_PAUSE);
    fx_ok(sx_by(f, JH_ORIGIN_COUNTER, "c03", "sv1", &c));
    fill(&c, JH_OP_NOTICE);
    fx_ok(sx_by(f, JH_ORIGIN_ADMIN, "admin", "sv1", &c));
    fill(&c, JH_OP_CLOSE);
    fx_ok(sx_by(f, JH_ORIGIN_ADMIN, "admin", "sv1", &c));
    fill(&c, JH_OP_OPEN);
    fx_ok(sx_by(f, JH_ORIGIN_ADMIN, "admin", "sv1", &c));
    fill(&c, JH_OP_AUDIT);
    fx_ok(sx_by(f, JH_ORIGIN_ADMIN, "admin", "sv1", &c));
    /* the admin edits the roster */
    fill(&c, JH_OP_STAFF_UPDATE);
    fx_ok(sx_by(f, JH_ORIGIN_ADMIN, "admin", "ad1", &c));
    fill(&c, JH_OP_STAFF_IMPORT);
    fx_ok(sx_by(f, JH_ORIGIN_ADMIN, "admin", "ad1", &c));
    /* anyone signs in (the secret decides), and logs themselves in */
    fill(&c, JH_OP_STAFF_AUTH);
    strcpy(c.staff_id, "gd1");
    strcpy(c.secret, PIN_A);
    fx_ok(sx_by(f, JH_ORIGIN_ADMIN, "admin", "gd1", &c));
    /* without by, the device the broker let write the topic is trusted, as before */
    fx_ok(fx_counter(f, "c03", JH_OP_RESUME));
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_needs_the_secret),
        cmocka_unit_test(test_lock_after_failures_and_unlock_after_the_time),
        cmocka_unit_test(test_set_secret_unlocks),
        cmocka_unit_test(test_disabled_refused),
        cmocka_unit_test(test_not_allowed_here_and_ab_post),
        cmocka_unit_test(test_called_name_comes_from_the_roster),
        cmocka_unit_test(test_pinless_login_is_nameless),
        cmocka_unit_test(test_staff_auth),
        cmocka_unit_test(test_by_matrix_refusals_change_nothing),
        cmocka_unit_test(test_by_matrix_what_each_role_may_do),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
