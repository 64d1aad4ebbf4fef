/* SPDX-License-Identifier: MIT */
/*
 * test_staff_config — the hall config's [staff] section (common/config/hall_keys.c):
 * its defaults, its values, the roster path taken from the config file's own
 * directory, and each mistake refused with the file, line and key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hall_config.h"

static const char base[] =
    "[hall]\nsite = t\nname_zh = 厅\nname_en = Hall\ntimezone = UTC\n"
    "[broker]\nhost = 127.0.0.1\n"
    "[service A]\nname_zh = 甲\nname_en = A\nnumbers = 1-999\nhours = mon-sun 07:00-24:00\n"
    "target_minutes = 10\n"
    "[counter c01]\nnumber = 1\nname_zh = 1\nname_en = 1\nservices = A\n";
#define BASE_LINES 18

static jh_hall_config *cfg;
static char err[512];

/* Parses base + staff as the file `name`. */
static int load(const char *name, const char *staff)
{
    char text[2048];
    snprintf(text, sizeof text, "%s%s", base, staff);
    if (!cfg)
        cfg = calloc(1, sizeof *cfg);
    assert_non_null(cfg);
    err[0] = '\0';
    return jh_config_parse(cfg, text, strlen(text), name, err, sizeof err);
}

static void test_defaults(void **state)
{
    (void)state;
    assert_int_equal(load("hall.ini", ""), 0);
    assert_string_equal(cfg->staff_roster, "");
    assert_int_equal(cfg->pinless_keypad_login, 0); /* a login needs a secret unless a hall says */
    assert_int_equal(cfg->staff_max_failures, 5);
    assert_int_equal(cfg->staff_lock_s, 15 * 60);
}

static void test_values_and_roster_path(void **state)
{
    (void)state;
    assert_int_equal(load("/etc/jiaohao/hall.ini", "[staff]\nroster = staff.csv\npinless_keypad_login = YES\n"
                                                   "max_failures = 3\nlock_minutes = 30\n"), 0);
    assert_string_equal(cfg->staff_roster, "/etc/jiaohao/staff.csv");
    assert_int_equal(cfg->staff_roster_line, BASE_LINES + 2);
    assert_int_equal(cfg->pinless_keypad_login, 1);
    assert_int_equal(cfg->staff_max_failures, 3);
    assert_int_equal(cfg->staff_lock_s, 30 * 60);
    assert_int_equal(load("out/demo/hall.ini", "[staff]\nroster = people/roster.csv\n"), 0);
    assert_string_equal(cfg->staff_roster, "out/demo/people/roster.csv");
    assert_int_equal(load("out/demo/hall.ini", "[staff]\nroster = /srv/hall/staff.csv\n"), 0);
    assert_string_equal(cfg->staff_roster, "/srv/hall/staff.csv");
    assert_int_equal(load("hall.ini", "[staff]\nroster = staff.csv\npinless_keypad_login = no\n"), 0);
    assert_string_equal(cfg->staff_roster, "staff.csv");
    assert_int_equal(cfg->pinless_keypad_login, 0);
}

static void test_mistakes(void **state)
{
    (void)state;
    static const struct {
        const char *staff, *want;
    } bad[] = {
        {"[staff]\npinless_keypad_login = maybe\n", "hall.ini:20: [staff] pinless_keypad_login: 'maybe': want yes or no"},
        {"[staff]\npinless_keypad_login = true\n", "want yes or no"},
        {"[staff]\nmax_failures = 0\n", "hall.ini:20: [staff] max_failures"},
        {"[staff]\nlock_minutes = 2000\n", "[staff] lock_minutes"},
        {"[staff]\nroster =\n", "[staff] roster: must not be empty"},
        {"[staff]\nrooster = staff.csv\n", "[staff] rooster: unknown key"},
        {"[staff]\n[staff]\n", "hall.ini:20: [staff]"},
        {"[staff]\nmax_failures = 3\nmax_failures = 4\n", "given twice"},
        {"[staff x]\n", "takes no argument"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(load("hall.ini", bad[i].staff), -1);
        if (!strstr(err, bad[i].want) || strchr(err, '\n'))
            fail_msg("%zu: '%s', want '%s'", i, err, bad[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_values_and_roster_path),
        cmocka_unit_test(test_mistakes),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(cfg);
    return rc;
}
