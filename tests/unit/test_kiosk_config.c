/* SPDX-License-Identifier: MIT */
/*
 * test_kiosk_config — the kiosk's [kiosk-screen] section and its test-script
 * reader: defaults, per-kiosk overrides, and bad input refused with the file,
 * line and reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kiosk_config.h"
#include "kiosk_script.h"

static int parse(jh_kiosk_config_screen *ks, const char *text, const char *id, char *err)
{
    return jh_kiosk_screen_parse(ks, text, strlen(text), "hall.ini", id, err, 256);
}

static void test_defaults_and_override(void **state)
{
    (void)state;
    jh_kiosk_config_screen ks;
    char err[256];
    const char *ini = "[kiosk-screen k2]\nsize = 1920x1080\nlang = en\n"
                      "[kiosk-screen]\nconfirm_seconds = 12\nfullscreen = no\n";
    assert_int_equal(parse(&ks, ini, "k1", err), 0);
    assert_int_equal(ks.width, 1080);
    assert_int_equal(ks.height, 1920);
    assert_int_equal(ks.confirm_s, 12);
    assert_int_equal(ks.fullscreen, 0);
    assert_int_equal(ks.lang_en, 0);
    assert_int_equal(ks.reply_timeout_ms, 5000);
    assert_int_equal(parse(&ks, ini, "k2", err), 0); /* its own section wins wherever it is */
    assert_int_equal(ks.width, 1920);
    assert_int_equal(ks.height, 1080);
    assert_int_equal(ks.lang_en, 1);
    assert_int_equal(ks.confirm_s, 12);
}

static void test_bad_values(void **state)
{
    (void)state;
    static const struct {
        const char *ini, *want;
    } cases[] = {
        {"[kiosk-screen]\nsize = 10x10\n", "hall.ini:2: [kiosk-screen] size: '10x10' is not WIDTHxHEIGHT"},
        {"[kiosk-screen]\nsize = 1080\n", "is not WIDTHxHEIGHT"},
        {"[kiosk-screen]\nlang = fr\n", "'fr' is not zh or en"},
        {"[kiosk-screen]\nconfirm_seconds = 0\n", "not a number in 2..60"},
        {"[kiosk-screen]\nreply_timeout_ms = 5s\n", "not a number"},
        {"[kiosk-screen]\nfullscreen = maybe\n", "not yes or no"},
        {"[kiosk-screen]\nconfrim_seconds = 5\n", "unknown key"},
        {"\n\n[kiosk-screen k1]\nfps = 0\n", "hall.ini:4: [kiosk-screen k1] fps"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        jh_kiosk_config_screen ks;
        char err[256] = "";
        assert_int_equal(parse(&ks, cases[i].ini, "k1", err), -1);
        if (!strstr(err, cases[i].want))
            fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].want);
    }
}

static void test_script(void **state)
{
    (void)state;
    jh_script s;
    char err[256];
    const char *text = "# walk\n\nwait-screen home 12000\ntap service:A\n  tap 540 1700\nwait 500\n"
                       "shot /tmp/x.png\nwait-screen out-of-service\nquit\n";
    assert_int_equal(jh_script_parse(&s, text, "s", err, sizeof err), 0);
    assert_int_equal(s.n, 7);
    assert_int_equal(s.steps[0].kind, JH_STEP_WAIT_SCREEN);
    assert_string_equal(s.steps[0].arg, "home");
    assert_int_equal(s.steps[0].ms, 12000);
    assert_int_equal(s.steps[0].line, 3);
    assert_int_equal(s.steps[1].kind, JH_STEP_TAP_NAME);
    assert_string_equal(s.steps[1].arg, "service:A");
    assert_int_equal(s.steps[2].kind, JH_STEP_TAP_XY);
    assert_int_equal(s.steps[2].x, 540);
    assert_int_equal(s.steps[2].y, 1700);
    assert_int_equal(s.steps[5].ms, 10000);
    assert_int_equal(s.steps[6].kind, JH_STEP_QUIT);
    jh_script_free(&s);
}

static void test_script_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"wait-screen lobby\n", "s:1: unknown screen 'lobby'"},
        {"tap\n", "s:1: not a step"},
        {"\ntap 1 x\n", "s:2: tap X Y needs two coordinates"},
        {"wait -5\n", "wait needs"},
        {"jump 3\n", "not a step: 'jump'"},
        {"tap a b c d e f\n", "too many words"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        jh_script s;
        char err[256] = "";
        assert_int_equal(jh_script_parse(&s, cases[i].text, "s", err, sizeof err), -1);
        assert_null(s.steps);
        if (!strstr(err, cases[i].want))
            fail_msg("case %zu: '%s' lacks '%s'", i, err, cases[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_and_override),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_script),
        cmocka_unit_test(test_script_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
