/* SPDX-License-Identifier: MIT */
/*
 * test_web_roles — the console's role table (web/role_check.c): every op of
 * the table and a few it must refuse, for every kind of session (no role,
 * staff at c01, guide, supervisor, admin, staff+supervisor at c01), for its
 * own counter and for another's. The expected outcome of each cell is
 * written out here, not computed: C = sent to counter/<c>/cmd, A = sent to
 * admin/cmd, F = refused "forbidden", B = refused "bad-field" (no counter).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "role_check.h"

static const jh_asker askers[] = {
    {.roles = 0, .counter = ""},
    {.roles = JH_ROLE_STAFF, .counter = "c01"},
    {.roles = JH_ROLE_GUIDE, .counter = ""},
    {.roles = JH_ROLE_SUPERVISOR, .counter = ""},
    {.roles = JH_ROLE_ADMIN, .counter = ""},
    {.roles = JH_ROLE_STAFF | JH_ROLE_SUPERVISOR, .counter = "c01"},
};
#define N_ASKERS (sizeof askers / sizeof askers[0])

/* Per op: for each asker, the outcome for its own counter (no target) then for c02. */
static const struct {
    const char *op;
    const char *cells; /* 2 per asker: none, staff, guide, supervisor, admin, staff+supervisor */
} expect[] = {
    {"call-next", "BFCFBFBFBFCF"},     {"recall", "BFCFBFBFBFCF"},        {"no-show", "BFCFBFBFBFCF"},
    {"finish", "BFCFBFBFBFCF"},        {"transfer", "BFCFBFBFBFCF"},      {"call", "BFCFBFBFBFCF"},
    {"invite-rating", "BFCFBFBFBFCF"}, {"pause", "BFCFBFBCBCCC"},         {"resume", "BFCFBFBCBCCC"},
    {"requeue", "BFCFBCBCBCCC"},       {"flag", "BFFFBCBCBCCC"},          {"take", "FFFFAAAAAAAA"},
    {"notice", "FFFFFFAAAAAA"},        {"open", "FFFFFFAAAAAA"},          {"close", "FFFFFFAAAAAA"},
    {"end-day", "FFFFFFAAAAAA"},       {"alert-ack", "FFFFFFAAAAAA"},     {"staff-list", "FFFFFFFFAAFF"},
    {"staff-add", "FFFFFFFFAAFF"},     {"staff-update", "FFFFFFFFAAFF"},  {"staff-disable", "FFFFFFFFAAFF"},
    {"staff-set-secret", "FFFFFFFFAAFF"}, {"staff-import", "FFFFFFFFAAFF"}, {"audit", "FFFFFFFFAAFF"},
    /* Only the server, a citizen or the simulation may send these; and a made-up one. */
    {"login", "FFFFFFFFFFFF"},         {"logout", "FFFFFFFFFFFF"},        {"staff-auth", "FFFFFFFFFFFF"},
    {"ticket-status", "FFFFFFFFFFFF"}, {"rate", "FFFFFFFFFFFF"},          {"clock", "FFFFFFFFFFFF"},
    {"void", "FFFFFFFFFFFF"},          {"frobnicate", "FFFFFFFFFFFF"},
};

static char outcome(const jh_asker *who, const char *op, const char *target, jh_route *route)
{
    char code[32], why[200];
    if (jh_role_check(who, op, target, route, code, sizeof code, why, sizeof why) == 0)
        return route->kind == JH_ROUTE_ADMIN ? 'A' : 'C';
    if (strcmp(code, "forbidden") == 0)
        return 'F';
    if (strcmp(code, "bad-field") == 0)
        return 'B';
    return '?';
}

static void test_every_role_and_op(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        assert_int_equal(strlen(expect[i].cells), 2 * N_ASKERS);
        for (size_t a = 0; a < N_ASKERS; a++) {
            for (int other = 0; other < 2; other++) {
                jh_route r;
                memset(&r, 0, sizeof r);
                char got = outcome(&askers[a], expect[i].op, other ? "c02" : NULL, &r);
                char want = expect[i].cells[2 * a + (size_t)other];
                if (got != want)
                    fail_msg("%s, asker %zu, %s counter: got %c, want %c", expect[i].op, a, other ? "other" : "own",
                             got, want);
                if (got == 'C')
                    assert_string_equal(r.counter, other ? "c02" : askers[a].counter);
            }
        }
    }
}

/* Every op the table knows is in the expectations above (a new row needs its cells). */
static void test_table_is_covered(void **state)
{
    (void)state;
    for (size_t i = 0; jh_role_op(i); i++) {
        int found = 0;
        for (size_t j = 0; j < sizeof expect / sizeof expect[0]; j++)
            found |= strcmp(expect[j].op, jh_role_op(i)) == 0;
        if (!found)
            fail_msg("op %s has no expected outcomes", jh_role_op(i));
    }
}

static void test_own_counter_named(void **state)
{
    (void)state;
    jh_route r;
    /* Naming its own counter is the same as naming none. */
    assert_int_equal(outcome(&askers[1], "call-next", "c01", &r), 'C');
    assert_string_equal(r.counter, "c01");
    /* Not a counter id: refused before any topic is built from it. */
    assert_int_equal(outcome(&askers[3], "pause", "C02", &r), 'B');
    assert_int_equal(outcome(&askers[3], "pause", "c02/cmd", &r), 'B');
    assert_int_equal(outcome(&askers[3], "pause", "+", &r), 'B');
    assert_int_equal(outcome(&askers[3], "pause", "#", &r), 'B');
    char long_id[40];
    memset(long_id, 'c', 32);
    long_id[32] = '\0';
    assert_int_equal(outcome(&askers[3], "pause", long_id, &r), 'B');
    /* A staff session without a counter (signed in elsewhere than at one). */
    jh_asker floating = {.roles = JH_ROLE_STAFF, .counter = ""};
    assert_int_equal(outcome(&floating, "call-next", NULL, &r), 'B');
    assert_int_equal(outcome(&floating, "call-next", "c01", &r), 'F');
    assert_int_equal(outcome(&floating, "call-next", NULL, &r), 'B');
    /* No op at all. */
    assert_int_equal(outcome(&askers[4], NULL, NULL, &r), 'F');
}

static void test_role_names(void **state)
{
    (void)state;
    assert_int_equal(jh_role_parse("staff"), JH_ROLE_STAFF);
    assert_int_equal(jh_role_parse("guide"), JH_ROLE_GUIDE);
    assert_int_equal(jh_role_parse("supervisor"), JH_ROLE_SUPERVISOR);
    assert_int_equal(jh_role_parse("admin"), JH_ROLE_ADMIN);
    assert_int_equal(jh_role_parse("Admin"), 0);
    assert_int_equal(jh_role_parse("root"), 0);
    assert_int_equal(jh_role_parse(NULL), 0);
    assert_string_equal(jh_role_name(JH_ROLE_SUPERVISOR), "supervisor");
    assert_null(jh_role_name(16));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_role_and_op),
        cmocka_unit_test(test_table_is_covered),
        cmocka_unit_test(test_own_counter_named),
        cmocka_unit_test(test_role_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
