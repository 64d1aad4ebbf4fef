/* SPDX-License-Identifier: MIT */
/*
 * test_clientid_rule — the client-id rule the broker plugin enforces
 * (broker/clientid_rule.c), and that every id the programs build with
 * jh_client_id (common/config/broker_auth.c) passes it, for its own user only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "broker_auth.h"
#include "clientid_rule.h"

static void test_own_ids_allowed(void **state)
{
    (void)state;
    assert_true(jh_clientid_allowed("caller", "caller"));
    assert_true(jh_clientid_allowed("caller", "caller:test-hall"));
    assert_true(jh_clientid_allowed("c01", "c01:4711"));
    assert_true(jh_clientid_allowed("display", "display:main-4711"));
    assert_true(jh_clientid_allowed("bridge", "bridge:b1"));
    assert_true(jh_clientid_allowed("admin", "admin:x"));
    /* the suffix is free text: another ':' in it is still this user's id */
    assert_true(jh_clientid_allowed("c01", "c01:a:b"));
    /* a central broker's user names may have more characters (scripts/central-bridge) */
    assert_true(jh_clientid_allowed("City.Hall_7@x", "City.Hall_7@x:jh-hall-futian"));
}

static void test_takeover_refused(void **state)
{
    (void)state;
    /* the hole this closes: another user's id, e.g. the caller's persistent session */
    assert_false(jh_clientid_allowed("c01", "caller:test-hall"));
    assert_false(jh_clientid_allowed("k1", "c01"));
    assert_false(jh_clientid_allowed("k1", "c01:123"));
    /* the old ids, and what mosquitto_sub/pub or libmosquitto pick by themselves */
    assert_false(jh_clientid_allowed("caller", "jiaohao-caller-test-hall"));
    assert_false(jh_clientid_allowed("c01", "mosq-xyz"));
    assert_false(jh_clientid_allowed("c01", "auto-5B7A2F"));
    /* a prefix of the user, or the user as a prefix without the separator */
    assert_false(jh_clientid_allowed("c01", "c0"));
    assert_false(jh_clientid_allowed("c01", "c011"));
    assert_false(jh_clientid_allowed("c01", "c01-1"));
    assert_false(jh_clientid_allowed("c1", "c10:x"));
    /* exact, as the broker compares */
    assert_false(jh_clientid_allowed("c01", "C01"));
    assert_false(jh_clientid_allowed("c01", "C01:x"));
    /* the separator with nothing after it */
    assert_false(jh_clientid_allowed("c01", "c01:"));
}

static void test_bad_user_refused(void **state)
{
    (void)state;
    assert_false(jh_clientid_allowed(NULL, "c01"));
    assert_false(jh_clientid_allowed("", "c01"));
    assert_false(jh_clientid_allowed("", ":x"));
    /* a user with ':' could claim another user's ids ("a:b" vs user "a") */
    assert_false(jh_clientid_allowed("a:b", "a:b"));
    assert_false(jh_clientid_allowed("a:b", "a:b:c"));
    assert_false(jh_clientid_allowed(":", ":"));
    assert_false(jh_clientid_allowed("c 1", "c 1"));
    assert_false(jh_clientid_allowed("c\t1", "c\t1:x"));
}

static void test_bad_id_refused(void **state)
{
    (void)state;
    assert_false(jh_clientid_allowed("c01", NULL));
    assert_false(jh_clientid_allowed("c01", ""));
    assert_false(jh_clientid_allowed("c01", "c01: x"));
    assert_false(jh_clientid_allowed("c01", "c01:x\n"));
    assert_false(jh_clientid_allowed("c01", "c01:\x1b[2J"));
    assert_false(jh_clientid_allowed("c01", "c01:\x7f"));
    assert_false(jh_clientid_allowed("c01", "c01:\xe5\x8f\xab")); /* 叫: visible, but not ASCII */
    assert_false(jh_clientid_allowed("c01", "c01:\xff"));
}

static void test_length_limit(void **state)
{
    (void)state;
    char id[JH_CLIENTID_MAX + 2], user[JH_CLIENTID_MAX + 2];
    memset(id, 'x', sizeof id);
    memcpy(id, "c01:", 4);
    id[JH_CLIENTID_MAX] = '\0';
    assert_true(jh_clientid_allowed("c01", id));
    id[JH_CLIENTID_MAX] = 'x';
    id[JH_CLIENTID_MAX + 1] = '\0';
    assert_false(jh_clientid_allowed("c01", id));

    /* a user as long as the longest id may use it bare, a longer one nothing */
    memset(user, 'u', sizeof user);
    user[JH_CLIENTID_MAX] = '\0';
    assert_true(jh_clientid_allowed(user, user));
    user[JH_CLIENTID_MAX] = 'u';
    user[JH_CLIENTID_MAX + 1] = '\0';
    assert_false(jh_clientid_allowed(user, user));
    /* a user longer than the id it claims */
    assert_false(jh_clientid_allowed("c012", "c01"));
}

/* What the programs connect with (common/config/broker_auth.c) passes, and only for its user. */
static void test_program_ids_follow_rule(void **state)
{
    (void)state;
    static const char *const cases[][3] = {
        {"caller", "test-hall", "caller:test-hall"},
        {"k1", "4711", "k1:4711"},
        {"display", "main-4711", "display:main-4711"},
        {"bridge", "b1", "bridge:b1"},
        {"admin", NULL, "admin"},
        {"c01", "", "c01"},
    };
    char id[JH_CLIENT_ID_LEN], err[160];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(jh_client_id(id, sizeof id, cases[i][0], cases[i][1], err, sizeof err), 0);
        assert_string_equal(id, cases[i][2]);
        assert_true(jh_clientid_allowed(cases[i][0], id));
        assert_false(jh_clientid_allowed("c02", id));
    }
}

static void test_program_id_too_long(void **state)
{
    (void)state;
    char id[JH_CLIENT_ID_LEN], small[8], err[160], suffix[JH_CLIENT_ID_LEN];
    memset(suffix, 's', sizeof suffix);
    suffix[JH_CLIENT_ID_LEN - 1] = '\0';
    err[0] = '\0';
    assert_int_equal(jh_client_id(id, sizeof id, "c01", suffix, err, sizeof err), -1);
    assert_non_null(strstr(err, "c01"));
    err[0] = '\0';
    assert_int_equal(jh_client_id(small, sizeof small, "caller", "test-hall", err, sizeof err), -1);
    assert_non_null(strstr(err, "caller"));
    /* the longest that fits is one the broker accepts */
    suffix[JH_CLIENTID_MAX - 4] = '\0';
    assert_int_equal(jh_client_id(id, sizeof id, "c01", suffix, err, sizeof err), 0);
    assert_int_equal(strlen(id), JH_CLIENTID_MAX);
    assert_true(jh_clientid_allowed("c01", id));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_own_ids_allowed),
        cmocka_unit_test(test_takeover_refused),
        cmocka_unit_test(test_bad_user_refused),
        cmocka_unit_test(test_bad_id_refused),
        cmocka_unit_test(test_length_limit),
        cmocka_unit_test(test_program_ids_follow_rule),
        cmocka_unit_test(test_program_id_too_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
