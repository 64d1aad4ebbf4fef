/* SPDX-License-Identifier: MIT */
/*
 * test_engine_clock — the queue keeps arrival order when the clock steps back.
 *
 * A box's clock can jump backwards (an RTC reset after a power cut, an NTP
 * correction). The fault suite found that tickets issued after such a jump
 * were called before people who had been waiting for longer: their place in
 * the queue was the clock at issue. These tests step the engine's clock back
 * and check that the order of calls is the order of arrival, across a
 * restart too, and that nobody is reported as having waited a negative time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_engine_fixture.h"

static void expect_calls(fx *f, const char *counter, const char *const *want, int n)
{
    char got[JH_ID_LEN];
    for (int i = 0; i < n; i++) {
        fx_call_next(f, counter, got);
        assert_string_equal(got, want[i]);
    }
}

static void test_clock_back_keeps_arrival_order(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    fx_login(f, "c03", "1001");
    f->now = T0 + 10 * MIN;
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL); /* A001 */
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL); /* A002 */
    f->now = T0;                            /* the clock jumps back ten minutes */
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL); /* A003: arrived last, must be called last */
    static const char *const order[] = {"A001", "A002", "A003"};
    expect_calls(f, "c03", order, 3);
    /* the call after the jump reports a wait of zero, not a negative one */
    cJSON *called = fx_last_event(f, "called");
    assert_true(cJSON_GetObjectItem(called, "waited_s")->valuedouble >= 0);
    cJSON_Delete(called);
    fx_free(f);
}

static void test_clock_back_across_restart(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    fx_login(f, "c03", "1001");
    f->now = T0 + 30 * MIN;
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL); /* A001 */
    fx_reopen(f);                           /* restarted with the clock reset */
    f->now = T0 + 5 * MIN;
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL); /* A002 */
    f->now += 1 * MIN;
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL); /* A003 */
    static const char *const order[] = {"A001", "A002", "A003"};
    expect_calls(f, "c03", order, 3);
    fx_free(f);
}

static void test_clock_forward_is_unchanged(void **state)
{
    (void)state;
    /* With a clock that only moves forward the place in the queue is the clock. */
    fx *f = fx_new(FX_STRICT);
    f->now = T0;
    cJSON *r = fx_take(f, "k1", "A", JH_PRIO_NONE);
    fx_ok(r);
    fx_login(f, "c03", "1001");
    f->now = T0 + 7 * MIN;
    char got[JH_ID_LEN];
    fx_call_next(f, "c03", got);
    assert_string_equal(got, "A001");
    cJSON *called = fx_last_event(f, "called");
    assert_int_equal((int)cJSON_GetObjectItem(called, "waited_s")->valuedouble, 7 * 60);
    cJSON_Delete(called);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clock_back_keeps_arrival_order),
        cmocka_unit_test(test_clock_back_across_restart),
        cmocka_unit_test(test_clock_forward_is_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
