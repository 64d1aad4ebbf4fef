/* SPDX-License-Identifier: MIT */
/*
 * test_display_config — [display <id>] sections: defaults per layout, every key,
 * clear errors with file:line, quiet hours, and the examples in assets/hall.ini.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "display_config.h"

static char err[512];

static int parse(jh_display_config *dc, const char *text, const char *id)
{
    err[0] = '\0';
    return jh_display_config_parse(dc, text, "t.ini", id, err, sizeof err);
}

static void test_defaults_by_layout(void **state)
{
    (void)state;
    jh_display_config dc;
    const char *ini = "[hall]\nsite = x\n\n[display a]\nlayout = main\n\n"
                      "[display b]\nlayout = strip\ncounter = c03\n\n[display c]\nlayout = led\n";
    assert_int_equal(parse(&dc, ini, NULL), 0); /* no id: the first display section */
    assert_string_equal(dc.id, "a");
    assert_int_equal(dc.width, 1920);
    assert_int_equal(dc.height, 1080);
    assert_int_equal(dc.voice, 1);
    assert_int_equal(dc.repeat, 2);
    assert_int_equal(parse(&dc, ini, "b"), 0);
    assert_int_equal(dc.layout, JH_LAYOUT_STRIP);
    assert_string_equal(dc.counter, "c03");
    assert_int_equal(dc.voice, 0);
    assert_int_equal(parse(&dc, ini, "c"), 0);
    assert_int_equal(dc.width, 192);
    assert_int_equal(dc.height, 32);
    assert_int_equal(dc.n_led_colors, 2);
}

static void test_every_key(void **state)
{
    (void)state;
    jh_display_config dc;
    const char *ini = "[display led1]\nlayout = led\nsize = 256x64\nx = 10\ny = -5\ncolors = amber, #00ff7f\n"
                      "font_px = 32\nvoice = on\nrepeat = 3\nvolume = 55\nhistory = 4\nfps = 20\n"
                      "quiet_hours = 12:00-13:30, 22:00-07:00\nfullscreen = no\n";
    assert_int_equal(parse(&dc, ini, "led1"), 0);
    assert_int_equal(dc.width, 256);
    assert_int_equal(dc.height, 64);
    assert_int_equal(dc.x, 10);
    assert_int_equal(dc.y, -5);
    assert_int_equal(dc.has_position, 1);
    assert_int_equal(dc.n_led_colors, 2);
    assert_int_equal(dc.led_colors[0], 0xFFA000);
    assert_int_equal(dc.led_colors[1], 0x00FF7F);
    assert_int_equal(dc.led_font_px, 32);
    assert_int_equal(dc.repeat, 3);
    assert_int_equal(dc.volume, 55);
    assert_int_equal(dc.history, 4);
    assert_int_equal(dc.fps, 20);
    assert_int_equal(dc.n_quiet, 2);
    assert_true(jh_display_quiet_at(&dc, 12 * 60));
    assert_false(jh_display_quiet_at(&dc, 13 * 60 + 30));
    assert_true(jh_display_quiet_at(&dc, 23 * 60));
    assert_true(jh_display_quiet_at(&dc, 6 * 60 + 59)); /* wraps past midnight */
    assert_false(jh_display_quiet_at(&dc, 7 * 60));
}

static void expect_error(const char *ini, const char *id, const char *needle)
{
    jh_display_config dc;
    assert_int_equal(parse(&dc, ini, id), -1);
    if (!strstr(err, needle))
        fail_msg("error '%s' does not mention '%s'", err, needle);
}

static void test_errors_name_line_and_key(void **state)
{
    (void)state;
    expect_error("[display a]\nlayout = main\nlayuot = main\n", "a", "t.ini:3: [display a] layuot: unknown key");
    expect_error("[display a]\nlayout = board\n", "a", "t.ini:2: [display a] layout:");
    expect_error("[display a]\nlayout = strip\n", "a", "counter: missing");
    expect_error("[display a]\nsize = 1920x1080\n", "a", "layout: missing");
    expect_error("[display a]\nlayout = main\nsize = 1920*1080\n", "a", "t.ini:3");
    expect_error("[display a]\nlayout = main\nvolume = 101\n", "a", "volume");
    expect_error("[display a]\nlayout = main\nrepeat = 0\n", "a", "repeat");
    expect_error("[display a]\nlayout = main\nquiet_hours = 12-13\n", "a", "quiet_hours");
    expect_error("[display a]\nlayout = main\nquiet_hours = 8:00-09:00\n", "a", "quiet_hours");
    expect_error("[display a]\nlayout = led\ncolors = red, green, blue\n", "a", "colors");
    expect_error("[display a]\nlayout = led\ncolors = pink\n", "a", "colors");
    expect_error("[display a]\nlayout = led\nsize = 192x32\nfont_px = 40\n", "a", "taller");
    expect_error("[display a]\nlayout = strip\ncounter = C 03\n", "a", "counter");
    expect_error("[display a]\nlayout = main\n", "b", "no [display b] section");
    expect_error("[hall]\nsite = x\n", NULL, "no [display ...] section");
    expect_error("[display a]\nlayout = main\n[display a]\nlayout = led\n", "a", "twice");
}

static void test_hall_ini_examples(void **state)
{
    (void)state;
    char path[1024];
    const char *src = getenv("JH_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/assets/hall.ini", src ? src : ".");
    jh_display_config dc;
    const char *ids[] = {"hall-main", "strip-c03", "led-door"};
    for (size_t i = 0; i < 3; i++) {
        if (jh_display_config_load(&dc, path, ids[i], err, sizeof err) != 0)
            fail_msg("%s", err);
        assert_int_equal(dc.layout, (jh_layout_kind)i);
    }
    assert_int_equal(jh_display_config_load(&dc, "/nonexistent/hall.ini", NULL, err, sizeof err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_by_layout),
        cmocka_unit_test(test_every_key),
        cmocka_unit_test(test_errors_name_line_and_key),
        cmocka_unit_test(test_hall_ini_examples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
