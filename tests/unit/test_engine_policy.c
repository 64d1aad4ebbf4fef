/* SPDX-License-Identifier: MIT */
/*
 * test_engine_policy — each dispatch policy end to end through the engine and
 * its store: scripted arrivals and calls, the order tickets are called in,
 * the rule words in the called event, streaks kept across a restart, and the
 * configured service order of a counter. test_dispatch.c covers the pure
 * decision; this checks that the engine feeds it the right heads and streaks.
 */
#include "test_engine_fixture.h"

/* call-next at c03 (serves A only); appends 'G' or 'N' (by priority) to order, rule to rules. */
static void call_and_note(fx *f, char *order, char *rules, size_t rlen)
{
    cJSON *r = fx_counter(f, "c03", JH_OP_CALL_NEXT);
    if (!cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")))
        fail_msg("call-next refused: %s", js(r, "message"));
    size_t n = strlen(order);
    int none = cJSON_IsNull(cJSON_GetObjectItem(r, "ticket"));
    order[n] = none ? '-' : strcmp(js(r, "priority"), "none") ? 'G' : 'N';
    order[n + 1] = '\0';
    if (rules) {
        if (rules[0])
            strncat(rules, " ", rlen - strlen(rules) - 1);
        const char *rule = none ? "none" : js(cJSON_GetObjectItem(r, "reason"), "rule");
        strncat(rules, rule, rlen - strlen(rules) - 1);
    }
    cJSON_Delete(r);
}

static void takes(fx *f, int n, int prio)
{
    for (int i = 0; i < n; i++) {
        fx_take_ok(f, "A", prio, NULL);
        f->now += SEC;
    }
}

static void test_strict_starves_normal(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char order[64] = "";
    takes(f, 1, JH_PRIO_NONE);
    fx_login(f, "c03", "s1");
    for (int i = 0; i < 20; i++) { /* a green arrives before every call */
        takes(f, 1, JH_PRIO_ELDERLY);
        f->now += MIN;
        call_and_note(f, order, NULL, 0);
    }
    assert_string_equal(order, "GGGGGGGGGGGGGGGGGGGG");
    call_and_note(f, order, NULL, 0);
    assert_string_equal(order + 20, "N");
    fx_free(f);
}

static void test_ratio_through_engine(void **state)
{
    (void)state;
    fx *f = fx_new("policy = ratio\nratio = 2\nrecall_limit = 2\nrequeue = back");
    char order[32] = "", rules[512] = "";
    takes(f, 4, JH_PRIO_NONE);
    takes(f, 3, JH_PRIO_DISABLED);
    fx_login(f, "c03", "s1");
    for (int i = 0; i < 8; i++)
        call_and_note(f, order, rules, sizeof rules);
    assert_string_equal(order, "NNGNNGG-");
    assert_string_equal(rules, "ratio-normal-turn ratio-normal-turn ratio-green-turn "
                               "ratio-normal-turn ratio-normal-turn only-green only-green "
                               "none");
    fx_free(f);
}

static void test_max_consecutive_through_engine_and_restart(void **state)
{
    (void)state;
    fx *f = fx_new("policy = max-consecutive\nmax_consecutive = 2\nrecall_limit = 2\n"
                   "requeue = back");
    char order[32] = "", rules[512] = "";
    takes(f, 2, JH_PRIO_NONE);
    takes(f, 5, JH_PRIO_ELDERLY);
    fx_login(f, "c03", "s1");
    call_and_note(f, order, rules, sizeof rules);
    call_and_note(f, order, rules, sizeof rules);
    fx_reopen(f); /* the streak lives in the store */
    for (int i = 0; i < 6; i++)
        call_and_note(f, order, rules, sizeof rules);
    assert_string_equal(order, "GGNGGNG-");
    assert_string_equal(rules, "green-first green-first max-consecutive-reached green-first "
                               "green-first max-consecutive-reached only-green none");
    cJSON *ev = fx_last_event(f, "called");
    assert_string_equal(js(cJSON_GetObjectItem(ev, "reason"), "policy"), "max-consecutive");
    cJSON_Delete(ev);
    fx_free(f);
}

static void test_ageing_through_engine(void **state)
{
    (void)state;
    fx *f = fx_new("policy = ageing\nageing_minutes = 10\nrecall_limit = 2\nrequeue = back");
    char order[64] = "", rules[1024] = "";
    takes(f, 1, JH_PRIO_NONE); /* the normal ticket, at T0 */
    fx_login(f, "c03", "s1");
    /* two greens arrive per minute, one is called per minute: green alone would starve it */
    for (int i = 0; i < 15; i++) {
        takes(f, 2, JH_PRIO_PREGNANT);
        f->now += MIN - 2 * SEC;
        call_and_note(f, order, rules, sizeof rules);
    }
    /* call i happens at T0 + (i+1) min: the 10th call is the first after 10 minutes */
    assert_string_equal(order, "GGGGGGGGGNGGGGG");
    assert_non_null(strstr(rules, "aged-normal"));
    fx_free(f);
}

static void test_counter_service_order(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char t[16];
    fx_take_ok(f, "B", JH_PRIO_NONE, NULL); /* older, but B comes second at c01 */
    f->now += MIN;
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_take_ok(f, "B", JH_PRIO_ELDERLY, NULL);
    fx_login(f, "c01", "s1"); /* services = A, B, H, L */
    fx_call_next(f, "c01", t);
    assert_string_equal(t, "B002"); /* green first: B is the first service with a green one */
    fx_call_next(f, "c01", t);
    assert_string_equal(t, "A001"); /* normal head: first service in order that has one */
    fx_call_next(f, "c01", t);
    assert_string_equal(t, "B001");
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strict_starves_normal),
        cmocka_unit_test(test_ratio_through_engine),
        cmocka_unit_test(test_max_consecutive_through_engine_and_restart),
        cmocka_unit_test(test_ageing_through_engine),
        cmocka_unit_test(test_counter_service_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
