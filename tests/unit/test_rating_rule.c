/* SPDX-License-Identifier: MIT */
/*
 * test_rating_rule — the identical-run threshold (caller/engine/rating_rule.h) on
 * hand-computed figures: threshold = max(JH_RUN_MIN, floor(ln 1000 / -ln p) + 2)
 * with p = (n_s + 2) / (N + 10).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "rating_rule.h"

static void test_no_ratings_yet(void **state)
{
    (void)state;
    const int64_t none[6] = {0};
    /* p = 0.2: 0.2^4 = 0.0016 is not rare enough, 0.2^5 = 0.00032 is */
    for (int s = 1; s <= 5; s++)
        assert_int_equal(jh_rating_run_threshold(s, none), 6);
    assert_false(jh_rating_run_suspicious(5, 5, none));
    assert_true(jh_rating_run_suspicious(5, 6, none));
}

static void test_common_score_needs_a_long_run(void **state)
{
    (void)state;
    /* a hall where most visitors press 5: p5 = 602 / 1010 = 0.596 */
    const int64_t n[6] = {0, 20, 30, 100, 250, 600};
    assert_int_equal(jh_rating_run_threshold(5, n), 15);
    assert_false(jh_rating_run_suspicious(5, 14, n));
    assert_true(jh_rating_run_suspicious(5, 15, n));
    /* 4s: p = 252 / 1010 = 0.25 -> 6 */
    assert_int_equal(jh_rating_run_threshold(4, n), 6);
    /* a rare score is never flagged below the minimum run */
    assert_int_equal(jh_rating_run_threshold(1, n), JH_RUN_MIN);
    assert_false(jh_rating_run_suspicious(1, JH_RUN_MIN - 1, n));
    assert_true(jh_rating_run_suspicious(1, JH_RUN_MIN, n));
}

static void test_everyone_the_same(void **state)
{
    (void)state;
    /* the prior keeps p below 1, so even a hall of nothing but 5s has a threshold */
    const int64_t n[6] = {0, 0, 0, 0, 0, 100000};
    int t = jh_rating_run_threshold(5, n);
    assert_true(t > 1000);
    assert_false(jh_rating_run_suspicious(5, t - 1, n));
    assert_true(jh_rating_run_suspicious(5, t, n));
}

static void test_bad_input_is_never_suspicious(void **state)
{
    (void)state;
    const int64_t neg[6] = {-5, -1, -1, -1, -1, -1};
    assert_false(jh_rating_run_suspicious(0, 100, neg));
    assert_false(jh_rating_run_suspicious(6, 100, neg));
    assert_false(jh_rating_run_suspicious(3, -1, neg));
    assert_int_equal(jh_rating_run_threshold(3, neg), 6); /* negatives count as none */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_ratings_yet),
        cmocka_unit_test(test_common_score_needs_a_long_run),
        cmocka_unit_test(test_everyone_the_same),
        cmocka_unit_test(test_bad_input_is_never_suspicious),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
