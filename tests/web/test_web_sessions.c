/* SPDX-License-Identifier: MIT */
/*
 * test_web_sessions — the console's session table (web/sessions.c) on an
 * injected clock: create and look up by cookie token, tokens that are random
 * and well formed, CSRF compared exactly, idle expiry (use keeps a session
 * alive, silence ends it with "idle"), logout, the business day's reset
 * ("day-reset"), a full table refused; and the login rate limit
 * (web/login_limit.c): per address, refilled over the minute.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "login_limit.h"
#include "role_check.h"
#include "sessions.h"

#define IDLE_MS (30 * 60 * 1000)

static const jh_session_who wang = {.staff_id = "1001", .name = "王芳", .counter = "c01", .roles = JH_ROLE_STAFF};
static const jh_session_who li = {.staff_id = "2001", .name = "李强", .roles = JH_ROLE_SUPERVISOR};

static char ended[8][16];
static int n_ended;

static void on_end(void *user, const jh_session *s, const char *reason)
{
    (void)user;
    (void)s;
    if (n_ended < 8)
        snprintf(ended[n_ended++], sizeof ended[0], "%s", reason);
}

static int setup(void **state)
{
    (void)state;
    n_ended = 0;
    return sodium_init() < 0 ? -1 : 0;
}

static int base64url(const char *s)
{
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == strlen(s);
}

static void test_create_and_lookup(void **state)
{
    (void)state;
    char err[200];
    jh_sessions *t = jh_sessions_new(8, IDLE_MS);
    jh_session *s = jh_sessions_create(t, &wang, 1000, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(strlen(s->token), JH_SESSION_TOKEN_LEN);
    assert_int_equal(strlen(s->csrf), JH_SESSION_TOKEN_LEN);
    assert_int_equal(strlen(s->sid), JH_SESSION_SID_LEN);
    assert_true(base64url(s->token) && base64url(s->csrf));
    assert_string_not_equal(s->token, s->csrf);
    assert_string_equal(s->staff_id, "1001");
    assert_string_equal(s->name, "王芳");
    assert_string_equal(s->counter, "c01");
    assert_int_equal(s->roles, JH_ROLE_STAFF);
    char token[JH_SESSION_TOKEN_LEN + 1];
    snprintf(token, sizeof token, "%s", s->token);
    assert_ptr_equal(jh_sessions_lookup(t, token, 2000), s);
    assert_ptr_equal(jh_sessions_by_serial(t, s->serial, 2000), s);

    jh_session *s2 = jh_sessions_create(t, &li, 1000, err, sizeof err);
    assert_non_null(s2);
    assert_string_not_equal(s2->token, s->token);
    assert_string_equal(s2->counter, "");
    assert_int_not_equal(s2->serial, s->serial);
    assert_int_equal(jh_sessions_count(t), 2);

    /* A forged token: right length, wrong bytes; one byte changed; too short; empty. */
    char forged[JH_SESSION_TOKEN_LEN + 1];
    memset(forged, 'A', JH_SESSION_TOKEN_LEN);
    forged[JH_SESSION_TOKEN_LEN] = '\0';
    assert_null(jh_sessions_lookup(t, forged, 2000));
    snprintf(forged, sizeof forged, "%s", token);
    forged[5] = forged[5] == 'x' ? 'y' : 'x';
    assert_null(jh_sessions_lookup(t, forged, 2000));
    forged[JH_SESSION_TOKEN_LEN - 1] = '\0';
    assert_null(jh_sessions_lookup(t, forged, 2000));
    assert_null(jh_sessions_lookup(t, "", 2000));
    assert_null(jh_sessions_lookup(t, NULL, 2000));
    jh_sessions_free(t);
}

static void test_csrf(void **state)
{
    (void)state;
    char err[200], other[JH_SESSION_TOKEN_LEN + 1];
    jh_sessions *t = jh_sessions_new(4, IDLE_MS);
    jh_session *s = jh_sessions_create(t, &wang, 0, err, sizeof err);
    assert_true(jh_session_csrf_ok(s, s->csrf));
    assert_false(jh_session_csrf_ok(s, s->token));
    assert_false(jh_session_csrf_ok(s, NULL));
    assert_false(jh_session_csrf_ok(s, ""));
    snprintf(other, sizeof other, "%s", s->csrf);
    other[0] = other[0] == 'a' ? 'b' : 'a';
    assert_false(jh_session_csrf_ok(s, other));
    jh_sessions_free(t);
}

static void test_idle_expiry(void **state)
{
    (void)state;
    char err[200];
    jh_sessions *t = jh_sessions_new(4, IDLE_MS);
    jh_session *s = jh_sessions_create(t, &wang, 0, err, sizeof err);
    char token[JH_SESSION_TOKEN_LEN + 1];
    snprintf(token, sizeof token, "%s", s->token);
    /* Used at 29 min: alive at 58 min, since the clock counts from the last use. */
    jh_session_touch(jh_sessions_lookup(t, token, 29 * 60000), 29 * 60000);
    assert_int_equal(jh_sessions_sweep(t, 58 * 60000, on_end, NULL), 0);
    assert_non_null(jh_sessions_lookup(t, token, 58 * 60000));
    /* A look-up alone is not use. */
    assert_null(jh_sessions_lookup(t, token, 59 * 60000));
    assert_int_equal(jh_sessions_sweep(t, 59 * 60000, on_end, NULL), 1);
    assert_int_equal(n_ended, 1);
    assert_string_equal(ended[0], "idle");
    assert_int_equal(jh_sessions_count(t), 0);
    assert_null(jh_sessions_lookup(t, token, 59 * 60000));
    /* A clock going backwards does not make a session younger. */
    s = jh_sessions_create(t, &wang, 100000, err, sizeof err);
    jh_session_touch(s, 50000);
    assert_int_equal(s->last_seen_ms, 100000);
    jh_sessions_free(t);
}

static void test_logout(void **state)
{
    (void)state;
    char err[200], token[JH_SESSION_TOKEN_LEN + 1];
    jh_sessions *t = jh_sessions_new(4, IDLE_MS);
    jh_session *s = jh_sessions_create(t, &wang, 0, err, sizeof err);
    uint64_t serial = s->serial;
    snprintf(token, sizeof token, "%s", s->token);
    jh_sessions_end(t, s);
    assert_null(jh_sessions_lookup(t, token, 1));
    assert_null(jh_sessions_by_serial(t, serial, 1));
    assert_int_equal(jh_sessions_count(t), 0);
    jh_sessions_end(t, s); /* twice: nothing */
    assert_int_equal(jh_sessions_count(t), 0);
    /* The slot is reused with a new serial: old references stay dead. */
    jh_session *again = jh_sessions_create(t, &li, 2, err, sizeof err);
    assert_non_null(again);
    assert_int_not_equal(again->serial, serial);
    assert_null(jh_sessions_by_serial(t, serial, 3));
    jh_sessions_free(t);
}

static void test_day_reset(void **state)
{
    (void)state;
    char err[200], t1[JH_SESSION_TOKEN_LEN + 1], t2[JH_SESSION_TOKEN_LEN + 1];
    jh_sessions *t = jh_sessions_new(4, IDLE_MS);
    /* Begun before the day was known: counts as the day that then arrives. */
    jh_session *early = jh_sessions_create(t, &wang, 0, err, sizeof err);
    snprintf(t1, sizeof t1, "%s", early->token);
    jh_sessions_set_day(t, 20261123);
    jh_session *s = jh_sessions_create(t, &li, 10, err, sizeof err);
    snprintf(t2, sizeof t2, "%s", s->token);
    assert_int_equal(s->day, 20261123);
    assert_int_equal(jh_sessions_sweep(t, 20, on_end, NULL), 0);
    jh_sessions_set_day(t, 20261123); /* the same day again: nothing */
    assert_int_equal(jh_sessions_sweep(t, 30, on_end, NULL), 0);
    jh_sessions_set_day(t, 20261124);
    assert_null(jh_sessions_lookup(t, t1, 40));
    assert_null(jh_sessions_lookup(t, t2, 40));
    assert_int_equal(jh_sessions_sweep(t, 40, on_end, NULL), 2);
    assert_int_equal(n_ended, 2);
    assert_string_equal(ended[0], "day-reset");
    assert_string_equal(ended[1], "day-reset");
    /* A session of the new day lives on. */
    s = jh_sessions_create(t, &wang, 50, err, sizeof err);
    assert_int_equal(jh_sessions_sweep(t, 60, on_end, NULL), 0);
    assert_non_null(jh_sessions_by_serial(t, s->serial, 60));
    jh_sessions_free(t);
}

static void test_full_and_malformed(void **state)
{
    (void)state;
    char err[200];
    jh_sessions *t = jh_sessions_new(2, IDLE_MS);
    assert_non_null(jh_sessions_create(t, &wang, 0, err, sizeof err));
    assert_non_null(jh_sessions_create(t, &wang, 0, err, sizeof err));
    assert_null(jh_sessions_create(t, &li, 0, err, sizeof err));
    assert_non_null(strstr(err, "no room"));
    jh_sessions_free(t);
    t = jh_sessions_new(2, IDLE_MS);
    jh_session_who bad = {.staff_id = "", .name = "x"};
    assert_null(jh_sessions_create(t, &bad, 0, err, sizeof err));
    char long_name[300];
    memset(long_name, 'n', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    bad = (jh_session_who){.staff_id = "1", .name = long_name};
    assert_null(jh_sessions_create(t, &bad, 0, err, sizeof err));
    assert_int_equal(jh_sessions_count(t), 0);
    assert_null(jh_sessions_new(0, IDLE_MS));
    jh_sessions_free(t);
}

static void test_login_limit(void **state)
{
    (void)state;
    int retry = -1;
    jh_login_limit *l = jh_login_limit_new(5, 4);
    for (int i = 0; i < 5; i++)
        assert_true(jh_login_limit_take(l, "10.0.0.7", 1000, &retry));
    assert_false(jh_login_limit_take(l, "10.0.0.7", 1000, &retry));
    assert_int_equal(retry, 12); /* one attempt back every 12 s at 5 a minute */
    /* Another address is not held up by the first. */
    assert_true(jh_login_limit_take(l, "10.0.0.8", 1000, &retry));
    /* 11.9 s later still no; at 12 s one more, and only one. */
    assert_false(jh_login_limit_take(l, "10.0.0.7", 12900, &retry));
    assert_true(jh_login_limit_take(l, "10.0.0.7", 13000, &retry));
    assert_false(jh_login_limit_take(l, "10.0.0.7", 13000, &retry));
    /* A minute of quiet gives the whole five again, not more. */
    for (int i = 0; i < 5; i++)
        assert_true(jh_login_limit_take(l, "10.0.0.7", 200000, &retry));
    assert_false(jh_login_limit_take(l, "10.0.0.7", 200000, &retry));
    /* A full table: the address idle longest gives its place; the busy one keeps its count. */
    assert_true(jh_login_limit_take(l, "10.0.0.9", 200000, &retry));
    assert_true(jh_login_limit_take(l, "10.0.0.10", 200000, &retry));
    assert_true(jh_login_limit_take(l, "10.0.0.11", 200000, &retry));
    assert_false(jh_login_limit_take(l, "10.0.0.7", 200000, &retry));
    jh_login_limit_free(l);
    assert_null(jh_login_limit_new(0, 4));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_create_and_lookup, setup), cmocka_unit_test_setup(test_csrf, setup),
        cmocka_unit_test_setup(test_idle_expiry, setup),      cmocka_unit_test_setup(test_logout, setup),
        cmocka_unit_test_setup(test_day_reset, setup),        cmocka_unit_test_setup(test_full_and_malformed, setup),
        cmocka_unit_test_setup(test_login_limit, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
