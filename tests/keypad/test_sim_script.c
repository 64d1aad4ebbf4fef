/* SPDX-License-Identifier: MIT */
/*
 * test_sim_script — the keypad simulator's script reader: what a good script
 * becomes, and that each kind of mistake is refused with file and line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "keypad.h"
#include "sim_script.h"

static sim_script s;
static char err[256];

static void test_good_script(void **state)
{
    (void)state;
    const char *text =
        "# comment\n"
        "keypad 1 session 5\n"
        "pad 11\n"
        "\n"
        "at 2.0 pad 11 rate 5\n"
        "at 0.5 keypad 1 press call   # out of order on purpose\n"
        "at 0.5 keypad 1 noise 20\n"
        "at 1 keypad 1 login\n"
        "at 3 keypad 1 reboot 9\n"
        "at 4 end\n";
    assert_int_equal(sim_script_parse(&s, text, "t", err, sizeof err), 0);
    assert_int_equal(s.ndev, 2);
    assert_int_equal(s.dev[0].session, 5);
    assert_true(s.dev[1].is_pad);
    assert_int_equal(s.dev[1].session, 1);
    assert_int_equal(s.nact, 6);
    /* Sorted by time; equal times keep script order. */
    assert_int_equal(s.act[0].kind, SIM_PRESS);
    assert_int_equal(s.act[0].key, KEYPAD_CALL);
    assert_int_equal(s.act[0].at_ms, 500);
    assert_int_equal(s.act[1].kind, SIM_NOISE);
    assert_int_equal(s.act[1].n, 20);
    assert_int_equal(s.act[2].kind, SIM_LOGIN);
    assert_string_equal(s.act[2].text, "");
    assert_int_equal(s.act[3].kind, SIM_RATE);
    assert_int_equal(s.act[3].dev, 1);
    assert_int_equal(s.act[4].n, 9);
    assert_int_equal(s.act[5].kind, SIM_END);
}

static void test_login_with_pin_and_keypad_rate(void **state)
{
    (void)state;
    const char *text = "keypad 1\nat 1 keypad 1 login 1023 4711\nat 2 keypad 1 login 7\nat 3 keypad 1 rate\n";
    assert_int_equal(sim_script_parse(&s, text, "t", err, sizeof err), 0);
    assert_int_equal(s.nact, 3);
    assert_string_equal(s.act[0].text, "1023");
    assert_string_equal(s.act[0].pin, "4711");
    assert_string_equal(s.act[1].text, "7");
    assert_string_equal(s.act[1].pin, "");
    assert_int_equal(s.act[2].kind, SIM_RATE);
}

static void refused(const char *text, const char *want)
{
    assert_int_equal(sim_script_parse(&s, text, "bad.txt", err, sizeof err), -1);
    if (!strstr(err, want))
        fail_msg("'%s' does not say '%s'", err, want);
}

static void test_mistakes_are_refused_with_line(void **state)
{
    (void)state;
    refused("keypad 1\nat 1 keypad 1 prss call\n", "bad.txt:2: unknown action 'prss'");
    refused("keypad 1\nat 1 keypad 2 press call\n", "bad.txt:2: keypad 2 is not declared");
    refused("keypad 1\nat 1 pad 1 press 3\n", "pad 1 is not declared");
    refused("pad 3\nat 1 pad 3 press 6\n", "1..5");
    refused("keypad 1\nat 1 keypad 1 press dance\n", "unknown key");
    refused("keypad 1\nat -1 keypad 1 press call\n", "bad.txt:2: expected 'at <seconds>");
    refused("keypad 1\nat 1x keypad 1 press call\n", "expected 'at <seconds>");
    refused("keypad 0\n", "not in 1..247");
    refused("keypad 248\n", "not in 1..247");
    refused("keypad 1\npad 1\n", "declared twice");
    refused("keypad 1 session 70000\n", "session");
    refused("keypad 1\nat 1 keypad 1 noise 0\n", "byte count");
    refused("keypad 1\nat 1 keypad 1 type 12a\n", "digits");
    refused("keypad 1\nat 1 keypad 1 type 123456789\n", "digits");
    refused("pad 1\nat 1 pad 1 login 12\n", "keypads");
    refused("keypad 1\nat 1 keypad 1 login 12 34a\n", "PIN");
    refused("keypad 1\nat 1 keypad 1 login 12 123456789\n", "PIN");
    refused("keypad 1\nat 1 keypad 1 login 12 34 56\n", "PIN");
    refused("keypad 1\nat 1 keypad 1 rate 4\n", "invites");
    refused("keypad 1\nat 1 keypad 1 silent now\n", "no argument");
    refused("keypad 1\nat 1 keypad 1 end\n", "unknown action 'end'");
    refused("keypad 1\nfrobnicate\n", "unknown statement");
    refused("# nothing\n", "no keypad or pad declared");
    refused("keypad 1\nat 1 keypad 1 press call a b c d e\n", "too many words");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_script),
        cmocka_unit_test(test_login_with_pin_and_keypad_rate),
        cmocka_unit_test(test_mistakes_are_refused_with_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
