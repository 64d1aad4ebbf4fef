/* SPDX-License-Identifier: MIT */
/*
 * test_ewt — the estimator's arithmetic (caller/engine/ewt.c) on hand-built halls,
 * each figure worked out on paper: the simple rule's cases, a counter that
 * prefers another service, the green channel, a busy counter's remaining
 * time, and no counter open.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ewt.h"

enum { A, B };

static jh_ewt_hall *hall(int wait_a, int green_a, int wait_b, double mean_a, double mean_b)
{
    jh_ewt_hall *h = calloc(1, sizeof *h);
    assert_non_null(h);
    h->n_queues = 2;
    h->q[A] = (jh_ewt_queue){wait_a, green_a, mean_a};
    h->q[B] = (jh_ewt_queue){wait_b, 0, mean_b};
    return h;
}

static void add_counter(jh_ewt_hall *h, double busy_s, int n, const int *services)
{
    jh_ewt_counter *c = &h->c[h->n_counters++];
    memcpy(c->services, services, (size_t)n * sizeof *services);
    c->n_services = n;
    c->busy_s = busy_s;
}

static void test_idle_dedicated_counters_are_the_simple_rule(void **state)
{
    (void)state;
    static const int only_a[] = {A};
    jh_ewt_hall *h = hall(4, 0, 0, 300, 60);
    add_counter(h, 0, 1, only_a);
    add_counter(h, 0, 1, only_a);
    assert_int_equal(jh_ewt_estimate(h, A, 0), 4 * 300 / 2);
    assert_int_equal(jh_ewt_seconds(4, 300, 2), 600);
    h->q[A].waiting = 0;
    assert_int_equal(jh_ewt_estimate(h, A, 0), 0);
    free(h);
}

/* Counter X serves B first: it turns to A only once B's queue is empty. */
static void test_shared_counter_helps_after_its_first_service(void **state)
{
    (void)state;
    static const int b_then_a[] = {B, A}, only_a[] = {A};
    jh_ewt_hall *h = hall(6, 0, 2, 100, 150);
    add_counter(h, 0, 1, only_a);
    add_counter(h, 0, 2, b_then_a);
    /* B's 300 s of work keep X busy until t=300; Y alone does 300 s of A's 600 by then;
     * the remaining 300 s with both: 150 s. Called at 450 s (simple rule: 6×100÷2 = 300). */
    assert_int_equal(jh_ewt_estimate(h, A, 0), 450);
    assert_int_equal(jh_ewt_seconds(6, 100, jh_ewt_counters_for(h, A)), 300);
    free(h);
}

/* A green ticket waits only for the green tickets ahead; shared counters call green first. */
static void test_green_channel(void **state)
{
    (void)state;
    static const int b_then_a[] = {B, A}, only_a[] = {A};
    jh_ewt_hall *h = hall(10, 2, 5, 120, 100);
    add_counter(h, 0, 1, only_a);
    add_counter(h, 0, 2, b_then_a);
    /* 2 greens ahead (240 s of work), both counters take greens before B: 120 s */
    assert_int_equal(jh_ewt_estimate(h, A, 1), 120);
    free(h);
}

/* All counters busy: the first call waits for the first counter to come free. */
static void test_busy_counters_remaining_time(void **state)
{
    (void)state;
    static const int only_a[] = {A};
    jh_ewt_hall *h = hall(0, 0, 0, 600, 60);
    add_counter(h, jh_ewt_remaining(600, 400), 1, only_a); /* 200 s left */
    add_counter(h, jh_ewt_remaining(600, 100), 1, only_a); /* 500 s left */
    assert_int_equal(jh_ewt_estimate(h, A, 0), 200);
    h->q[A].waiting = 2; /* + 2 × 600 ÷ 2 */
    assert_int_equal(jh_ewt_estimate(h, A, 0), 200 + 600);
    /* a case past its mean still has a quarter of the mean to go */
    assert_true(jh_ewt_remaining(600, 900) == 150);
    free(h);
}

static void test_no_counter_open(void **state)
{
    (void)state;
    static const int only_b[] = {B};
    jh_ewt_hall *h = hall(3, 0, 0, 600, 60);
    add_counter(h, 0, 1, only_b);
    assert_int_equal(jh_ewt_counters_for(h, A), 0);
    assert_int_equal(jh_ewt_estimate(h, A, 0), 3 * 600); /* one counter assumed */
    assert_true(jh_ewt_service_mean(0, 0, 900) == 900);
    assert_true(jh_ewt_service_mean(250, 4, 900) == 250);
    free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idle_dedicated_counters_are_the_simple_rule),
        cmocka_unit_test(test_shared_counter_helps_after_its_first_service),
        cmocka_unit_test(test_green_channel),
        cmocka_unit_test(test_busy_counters_remaining_time),
        cmocka_unit_test(test_no_counter_open),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
