/* SPDX-License-Identifier: MIT */
/*
 * test_invite_rating — invite-rating (the keypad's RATE key) against a real
 * engine and store.
 *
 * Owns: the rating-invited event's shape, that it names the ticket `rate`
 * would bind to, the refusals (not-logged-in, no-ticket-to-rate,
 * already-rated, not from a kiosk) and that a refusal leaves every row of the store as it was.
 */
#include "staff_fixture.h"

static cJSON *invite(fx *f, const char *counter)
{
    jh_command c = fx_cmd(JH_OP_INVITE_RATING);
    return fx_send(f, JH_ORIGIN_COUNTER, counter, &c);
}

/* Refused with code, and the store exactly as before. */
static void refused_unchanged(fx *f, const char *counter, const char *code)
{
    char *before = sx_snapshot(f->db);
    int64_t last_before;
    fx_outbox_count(f, 0, &last_before);
    fx_refused(invite(f, counter), code);
    int64_t last_after;
    fx_outbox_count(f, 0, &last_after);
    assert_int_equal(last_after, last_before); /* no event */
    char *after = sx_snapshot(f->db);
    assert_string_equal(after, before);
    free(before);
    free(after);
}

static void test_invite_names_the_last_finished_ticket(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char t[16];
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_login(f, "c01", "s1");
    fx_call_next(f, "c01", t);
    f->now += 90 * SEC;
    fx_ok(fx_counter(f, "c01", JH_OP_FINISH));
    f->now += 2 * SEC;
    cJSON *r = invite(f, "c01");
    fx_ok(cJSON_Duplicate(r, 1));
    assert_string_equal(js(r, "ticket"), "A001");
    cJSON_Delete(r);

    cJSON *ev = fx_last_event(f, "rating-invited");
    assert_true(fx_num(ev, "seq") > 0);
    assert_string_equal(js(ev, "counter"), "c01");
    assert_int_equal((int)fx_num(ev, "counter_number"), 1);
    assert_string_equal(js(ev, "counter_name"), "1号窗口");
    assert_string_equal(js(ev, "counter_name_en"), "Window 1");
    assert_string_equal(js(ev, "ticket"), "A001");
    assert_string_equal(js(ev, "staff_id"), "s1");
    assert_string_equal(js(ev, "at"), "2026-11-23T09:01:32+08:00");
    assert_null(cJSON_GetObjectItem(ev, "score"));
    int n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, ev) n++;
    assert_int_equal(n, 8); /* seq, counter, counter_number, counter_name(_en), ticket, staff_id, at */
    cJSON_Delete(ev);

    /* Inviting twice is harmless: the same ticket, nothing rated yet. */
    r = invite(f, "c01");
    assert_string_equal(js(r, "ticket"), "A001");
    cJSON_Delete(r);

    /* The pad then rates that ticket; a further invitation is refused. */
    jh_command c = fx_cmd(JH_OP_RATE);
    c.score = 5;
    c.rate_source = JH_RATE_SRC_PAD;
    snprintf(c.ticket, sizeof c.ticket, "A001");
    fx_ok(fx_send(f, JH_ORIGIN_COUNTER, "c01", &c));
    refused_unchanged(f, "c01", "already-rated");
    fx_free(f);
}

static void test_refusals_change_nothing(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char t[16];
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL); /* the day's rows exist from the first command on */
    refused_unchanged(f, "c01", "not-logged-in");
    fx_login(f, "c01", "s1");
    refused_unchanged(f, "c01", "no-ticket-to-rate"); /* nothing served yet */
    fx_call_next(f, "c01", t);
    refused_unchanged(f, "c01", "no-ticket-to-rate"); /* serving, not finished */
    fx_login(f, "c02", "s2");
    refused_unchanged(f, "c02", "no-ticket-to-rate"); /* another counter */
    jh_command c = fx_cmd(JH_OP_INVITE_RATING);
    fx_refused(fx_send(f, JH_ORIGIN_KIOSK, "k1", &c), "wrong-origin");
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invite_names_the_last_finished_ticket),
        cmocka_unit_test(test_refusals_change_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
