/* SPDX-License-Identifier: MIT */
/*
 * test_dispatch — the green-channel policies on scripted arrivals.
 *
 * dispatch.c is a pure function, so these tests drive it with a tiny queue
 * simulation (arrival times in, call order out) and check the promises of
 * docs/engine.md: strict can starve normal tickets, the other policies bound
 * the wait of the side they protect, and each choice names its rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dispatch.h"

#define SEC 1000LL
#define QMAX 4096

typedef struct {
    int64_t key[QMAX];
    int head, tail;
} fifo;

static void push(fifo *q, int64_t key)
{
    assert_true(q->tail < QMAX);
    q->key[q->tail++] = key;
}

static jh_candidate front(const fifo *q)
{
    jh_candidate c = {0, 0};
    if (q->head < q->tail) {
        c.present = 1;
        c.queue_key = q->key[q->head];
    }
    return c;
}

/*
 * One counter calls every `call_every` ms for `calls` calls. Green tickets
 * arrive every `green_every` ms from t = green_start; normal tickets at the
 * times in `normal_at`. Writes 'G'/'N'/'-' per call into order (calls + 1 chars).
 */
static void simulate(const jh_dispatch_params *p, int64_t green_start, int64_t green_every,
                     const int64_t *normal_at, int n_normal, int64_t call_every, int calls,
                     char *order)
{
    static fifo green, normal;
    memset(&green, 0, sizeof green);
    memset(&normal, 0, sizeof normal);
    jh_streak sk = {0, 0};
    int64_t next_green = green_start;
    int ni = 0;
    for (int c = 0; c < calls; c++) {
        int64_t now = (c + 1) * call_every;
        for (; green_every > 0 && next_green <= now; next_green += green_every)
            push(&green, next_green);
        for (; ni < n_normal && normal_at[ni] <= now; ni++)
            push(&normal, normal_at[ni]);
        jh_candidate g = front(&green), n = front(&normal);
        jh_pick pk;
        jh_dispatch_choose(p, &sk, NULL, &g, &n, now, &pk);
        order[c] = pk.pick == JH_PICK_GREEN ? 'G' : pk.pick == JH_PICK_NORMAL ? 'N' : '-';
        if (pk.pick == JH_PICK_GREEN)
            green.head++;
        else if (pk.pick == JH_PICK_NORMAL)
            normal.head++;
        if (pk.pick != JH_PICK_NONE)
            jh_streak_after_call(&sk, pk.pick == JH_PICK_GREEN);
    }
    order[calls] = '\0';
}

static void test_nobody_waiting(void **state)
{
    (void)state;
    jh_dispatch_params p = {JH_POLICY_STRICT, 3, 3, 600};
    jh_streak sk = {0, 0};
    jh_candidate none = {0, 0};
    jh_pick pk;
    jh_dispatch_choose(&p, &sk, &none, &none, &none, 1000, &pk);
    assert_int_equal(pk.pick, JH_PICK_NONE);
    jh_dispatch_choose(&p, &sk, NULL, NULL, NULL, 1000, &pk);
    assert_int_equal(pk.pick, JH_PICK_NONE);
}

static void test_directed_first_under_every_policy(void **state)
{
    (void)state;
    jh_candidate dir = {1, 50 * SEC}, g = {1, 1 * SEC}, n = {1, 2 * SEC};
    jh_streak sk = {100, 0};
    for (int pol = JH_POLICY_STRICT; pol <= JH_POLICY_AGEING; pol++) {
        jh_dispatch_params p = {(jh_policy)pol, 3, 3, 1};
        jh_pick pk;
        jh_dispatch_choose(&p, &sk, &dir, &g, &n, 100 * SEC, &pk);
        assert_int_equal(pk.pick, JH_PICK_DIRECTED);
        assert_string_equal(pk.rule, "directed");
        assert_int_equal(pk.waited_s, 50);
    }
}

static void test_only_one_kind(void **state)
{
    (void)state;
    jh_candidate none = {0, 0}, g = {1, 10 * SEC}, n = {1, 20 * SEC};
    jh_streak sk = {0, 99}; /* even a long green streak must not block a lone green */
    jh_dispatch_params p = {JH_POLICY_MAX_CONSECUTIVE, 3, 2, 600};
    jh_pick pk;
    jh_dispatch_choose(&p, &sk, &none, &g, &none, 100 * SEC, &pk);
    assert_int_equal(pk.pick, JH_PICK_GREEN);
    assert_string_equal(pk.rule, "only-green");
    p.policy = JH_POLICY_RATIO;
    sk.normal_streak = 0;
    jh_dispatch_choose(&p, &sk, &none, &none, &n, 100 * SEC, &pk);
    assert_int_equal(pk.pick, JH_PICK_NORMAL);
    assert_string_equal(pk.rule, "only-normal");
    assert_int_equal(pk.waited_s, 80);
}

static void test_strict_text_and_rule(void **state)
{
    (void)state;
    jh_candidate g = {1, 100 * SEC}, n = {1, 1 * SEC};
    jh_streak sk = {0, 50};
    jh_dispatch_params p = {JH_POLICY_STRICT, 3, 3, 600};
    jh_pick pk;
    jh_dispatch_choose(&p, &sk, NULL, &g, &n, 412 * SEC, &pk);
    assert_int_equal(pk.pick, JH_PICK_GREEN);
    assert_string_equal(pk.rule, "green-first");
    assert_string_equal(pk.text, "green channel first (strict); waited 312 s");
}

/* Strict: a steady stream of green tickets starves the normal one for good. */
static void test_strict_starves_normal(void **state)
{
    (void)state;
    jh_dispatch_params p = {JH_POLICY_STRICT, 3, 3, 600};
    int64_t normal_at[] = {0};
    char order[201];
    simulate(&p, 1 * SEC, 30 * SEC, normal_at, 1, 60 * SEC, 200, order);
    assert_null(strchr(order, 'N'));
}

/* Max-consecutive 3: the normal ticket is served at the 4th call at the latest. */
static void test_max_consecutive_bounds_normal_wait(void **state)
{
    (void)state;
    jh_dispatch_params p = {JH_POLICY_MAX_CONSECUTIVE, 3, 3, 600};
    int64_t normal_at[] = {0, 0, 0};
    char order[13];
    simulate(&p, 1 * SEC, 30 * SEC, normal_at, 3, 60 * SEC, 12, order);
    assert_string_equal(order, "GGGNGGGNGGGN");
}

/* Ratio 3:1: three normal calls, then one green, while both kinds wait. */
static void test_ratio_pattern_and_green_bound(void **state)
{
    (void)state;
    jh_dispatch_params p = {JH_POLICY_RATIO, 3, 3, 600};
    int64_t normal_at[40];
    for (int i = 0; i < 40; i++)
        normal_at[i] = 0;
    char order[13];
    simulate(&p, 1 * SEC, 30 * SEC, normal_at, 40, 60 * SEC, 12, order);
    assert_string_equal(order, "NNNGNNNGNNNG");
    /* with no normal ticket waiting, green goes at once */
    simulate(&p, 1 * SEC, 30 * SEC, NULL, 0, 60 * SEC, 4, order);
    assert_string_equal(order, "GGGG");
}

static void test_ratio_rule_words(void **state)
{
    (void)state;
    jh_candidate g = {1, 0}, n = {1, 0};
    jh_dispatch_params p = {JH_POLICY_RATIO, 2, 3, 600};
    jh_streak sk = {1, 0};
    jh_pick pk;
    jh_dispatch_choose(&p, &sk, NULL, &g, &n, 10 * SEC, &pk);
    assert_string_equal(pk.rule, "ratio-normal-turn");
    sk.normal_streak = 2;
    jh_dispatch_choose(&p, &sk, NULL, &g, &n, 10 * SEC, &pk);
    assert_string_equal(pk.rule, "ratio-green-turn");
    assert_int_equal(pk.pick, JH_PICK_GREEN);
}

/*
 * Ageing 600 s: greens arrive every 30 s and calls come every 60 s, so green
 * alone would starve the normal ticket queued at t = 0; it is called at the
 * first call after it has waited 600 s.
 */
static void test_ageing_serves_normal_within_bound(void **state)
{
    (void)state;
    jh_dispatch_params p = {JH_POLICY_AGEING, 3, 3, 600};
    int64_t normal_at[] = {0};
    char order[31];
    simulate(&p, 1 * SEC, 30 * SEC, normal_at, 1, 60 * SEC, 30, order);
    /* calls at 60, 120, … s: the 10th (t = 600 s) is the first with waited >= 600 */
    assert_string_equal(order, "GGGGGGGGGNGGGGGGGGGGGGGGGGGGGG");
}

static void test_ageing_keeps_earlier_green_first(void **state)
{
    (void)state;
    jh_dispatch_params p = {JH_POLICY_AGEING, 3, 3, 600};
    jh_streak sk = {0, 0};
    jh_candidate g = {1, 5 * SEC}, n = {1, 10 * SEC};
    jh_pick pk;
    jh_dispatch_choose(&p, &sk, NULL, &g, &n, 1000 * SEC, &pk);
    assert_int_equal(pk.pick, JH_PICK_GREEN);
    g.queue_key = 20 * SEC;
    jh_dispatch_choose(&p, &sk, NULL, &g, &n, 1000 * SEC, &pk);
    assert_int_equal(pk.pick, JH_PICK_NORMAL);
    assert_string_equal(pk.rule, "aged-normal");
    /* not aged yet: green first even though the normal one is older */
    jh_dispatch_choose(&p, &sk, NULL, &g, &n, 600 * SEC, &pk);
    assert_int_equal(pk.pick, JH_PICK_GREEN);
    assert_string_equal(pk.rule, "green-first");
}

static void test_streak_bookkeeping(void **state)
{
    (void)state;
    jh_streak sk = {0, 0};
    jh_streak_after_call(&sk, 1);
    jh_streak_after_call(&sk, 1);
    assert_int_equal(sk.green_streak, 2);
    assert_int_equal(sk.normal_streak, 0);
    jh_streak_after_call(&sk, 0);
    assert_int_equal(sk.green_streak, 0);
    assert_int_equal(sk.normal_streak, 1);
}

static void test_requested(void **state)
{
    (void)state;
    jh_dispatch_params p = {JH_POLICY_STRICT, 3, 3, 600};
    jh_pick pk;
    jh_dispatch_requested(&p, 10 * SEC, 70 * SEC, &pk);
    assert_string_equal(pk.rule, "requested");
    assert_int_equal(pk.waited_s, 60);
    assert_non_null(strstr(pk.text, "waited 60 s"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nobody_waiting),
        cmocka_unit_test(test_directed_first_under_every_policy),
        cmocka_unit_test(test_only_one_kind),
        cmocka_unit_test(test_strict_text_and_rule),
        cmocka_unit_test(test_strict_starves_normal),
        cmocka_unit_test(test_max_consecutive_bounds_normal_wait),
        cmocka_unit_test(test_ratio_pattern_and_green_bound),
        cmocka_unit_test(test_ratio_rule_words),
        cmocka_unit_test(test_ageing_serves_normal_within_bound),
        cmocka_unit_test(test_ageing_keeps_earlier_green_first),
        cmocka_unit_test(test_streak_bookkeeping),
        cmocka_unit_test(test_requested),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
