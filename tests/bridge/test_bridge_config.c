/* SPDX-License-Identifier: MIT */
/*
 * test_bridge_config — the [bridge <id>] reader: what a good section gives,
 * that every kind of bad line is refused with its file, line and key, and
 * that the section is checked against the hall's counters. Also that the
 * example in assets/hall.ini loads for both the hall and the bridge.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bridge_config.h"

static jh_bridge_config bc;
static char err[512];

static int parse(const char *text, const char *id)
{
    err[0] = '\0';
    return jh_bridge_config_parse(&bc, text, strlen(text), "t.ini", id, err, sizeof err);
}

static void assert_refused(const char *text, const char *id, const char *want)
{
    if (parse(text, id) == 0)
        fail_msg("accepted: %s", text);
    if (!strstr(err, want))
        fail_msg("error '%s' does not contain '%s'", err, want);
}

static const char two_bridges[] =
    "[hall]\nsite = x\n\n"
    "[bridge b1]\n"
    "device = /dev/ttyUSB0\n"
    "baud = 38400\n"
    "flow = rtscts\n"
    "keypad = 1 c01\n"
    "keypad = 2 c02\n"
    "pad = 11 c01\n"
    "reply_timeout_ms = 60\n"
    "cycle_ms = 150\n"
    "retries = 1\n"
    "offline_after = 4\n"
    "offline_poll_every = 3\n"
    "turnaround_ms = 1\n"
    "status_interval_s = 5\n"
    "\n[counter c01]\nnumber = 1\n"
    "\n[bridge b2]\nkeypad = 7 c07\n";

static void test_reads_every_key(void **state)
{
    (void)state;
    assert_int_equal(parse(two_bridges, NULL), 0);
    assert_string_equal(bc.id, "b1");
    assert_string_equal(bc.device, "/dev/ttyUSB0");
    assert_int_equal(bc.baud, 38400);
    assert_int_equal(bc.flow, JH_FLOW_RTSCTS);
    assert_int_equal(bc.n_dev, 3);
    assert_int_equal(bc.dev[2].addr, 11);
    assert_int_equal(bc.dev[2].type, BUS_DEV_RATING_PAD);
    assert_string_equal(bc.dev[2].counter, "c01");
    assert_int_equal(bc.dev[0].type, BUS_DEV_KEYPAD);
    assert_int_equal(bc.bus.reply_timeout_ms, 60);
    assert_int_equal(bc.bus.cycle_ms, 150);
    assert_int_equal(bc.bus.retries, 1);
    assert_int_equal(bc.bus.offline_after, 4);
    assert_int_equal(bc.bus.offline_poll_every, 3);
    assert_int_equal(bc.bus.turnaround_ms, 1);
    assert_int_equal(bc.status_interval_s, 5);
    assert_non_null(jh_bridge_config_device(&bc, 2));
    assert_null(jh_bridge_config_device(&bc, 3));
}

static void test_picks_the_section_by_id_with_defaults(void **state)
{
    (void)state;
    assert_int_equal(parse(two_bridges, "b2"), 0);
    assert_string_equal(bc.id, "b2");
    assert_string_equal(bc.device, "");   /* then --device must give it */
    assert_int_equal(bc.baud, 19200);
    assert_int_equal(bc.flow, JH_FLOW_NONE);
    assert_int_equal(bc.n_dev, 1);
    bm_config def;
    memset(&def, 0, sizeof def); /* bc was zeroed whole: its padding too, which clang's stack leaves dirty */
    bm_config_default(&def);
    assert_memory_equal(&bc.bus, &def, sizeof def);
    assert_refused(two_bridges, "b3", "t.ini: no [bridge b3] section");
    assert_refused("[hall]\nsite = x\n", NULL, "no [bridge <id>] section");
}

static void test_refuses_bad_lines_with_file_line_and_key(void **state)
{
    (void)state;
    assert_refused("[bridge b1]\nkeypad = 1 c01\nbaud = 12345\n", NULL, "t.ini:3: [bridge b1] baud:");
    assert_refused("[bridge b1]\nkeypad = 1 c01\nflow = maybe\n", NULL, "t.ini:3: [bridge b1] flow:");
    assert_refused("[bridge b1]\nkeypad = 0 c01\n", NULL, "t.ini:2: [bridge b1] keypad:");
    assert_refused("[bridge b1]\nkeypad = 248 c01\n", NULL, "keypad:");
    assert_refused("[bridge b1]\nkeypad = 1\n", NULL, "keypad:");
    assert_refused("[bridge b1]\nkeypad = 1 c_1\n", NULL, "keypad:");
    assert_refused("[bridge b1]\nkeypad = 1 c01 c02\n", NULL, "keypad:");
    assert_refused("[bridge b1]\nkeypad = x1 c01\n", NULL, "keypad:");
    assert_refused("[bridge b1]\nkeypad = 1 c01\npad = 1 c01\n", NULL, "bus address 1 is given twice");
    assert_refused("[bridge b1]\nkeypad = 1 c01\nbaud = 9600\nbaud = 9600\n", NULL, "t.ini:4: [bridge b1] baud: given twice");
    assert_refused("[bridge b1]\nkeypad = 1 c01\nspeed = 9600\n", NULL, "speed: unknown key");
    assert_refused("[bridge b1]\nkeypad = 1 c01\nretries = 11\n", NULL, "retries:");
    assert_refused("[bridge b1]\nkeypad = 1 c01\nreply_timeout_ms = 0\n", NULL, "reply_timeout_ms:");
    assert_refused("[bridge b1]\nkeypad = 1 c01\ncycle_ms = -5\n", NULL, "cycle_ms:");
    assert_refused("[bridge b1]\nkeypad = 1 c01\nstatus_interval_s = 99999999999\n", NULL, "status_interval_s:");
    assert_refused("[bridge b1]\ndevice = /dev/x\n", NULL, "has no 'keypad = <addr> <counter>'");
    assert_refused("[bridge]\nkeypad = 1 c01\n", NULL, "want [bridge <id>]");
    assert_refused("[bridge B1]\nkeypad = 1 c01\n", NULL, "want [bridge <id>]");
    assert_refused("[bridge b1]\nkeypad = 1 c01\n[bridge b1]\n", NULL, "appears twice");
    assert_refused("[bridge b1]\nkeypad 1 = c01\n", NULL, "bad key");
}

static void test_too_many_devices(void **state)
{
    (void)state;
    char text[4096] = "[bridge b1]\n";
    for (int i = 1; i <= BM_MAX_DEVICES + 1; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "keypad = %d c%02d\n", i, i);
    assert_refused(text, NULL, "more than 32 devices");
}

static jh_hall_config *hall_with_counters(void)
{
    static const char hall_text[] =
        "[hall]\nsite = t\nname_zh = 厅\nname_en = Hall\ntimezone = Asia/Shanghai\n"
        "[broker]\nhost = 127.0.0.1\nport = 1883\n"
        "[service A]\nname_zh = 甲\nname_en = A\nnumbers = 1-999\nhours = mon-sun 00:00-24:00\ntarget_minutes = 10\n"
        "[counter c01]\nnumber = 1\nname_zh = 一\nname_en = One\nservices = A\n"
        "[counter c02]\nnumber = 2\nname_zh = 二\nname_en = Two\nservices = A\n";
    jh_hall_config *hall = calloc(1, sizeof *hall);
    assert_non_null(hall);
    if (jh_config_parse(hall, hall_text, strlen(hall_text), "hall", err, sizeof err) != 0)
        fail_msg("%s", err);
    return hall;
}

static void test_checked_against_the_hall(void **state)
{
    (void)state;
    jh_hall_config *hall = hall_with_counters();
    assert_int_equal(parse("[bridge b1]\nkeypad = 1 c01\npad = 2 c01\nkeypad = 3 c02\n", NULL), 0);
    assert_int_equal(jh_bridge_config_check(&bc, hall, err, sizeof err), 0);

    assert_int_equal(parse("[bridge b1]\nkeypad = 1 c01\n\nkeypad = 3 c09\n", NULL), 0);
    assert_int_equal(jh_bridge_config_check(&bc, hall, err, sizeof err), -1);
    assert_string_equal(err, "t.ini:4: [bridge b1] keypad: no [counter c09] in the hall");

    assert_int_equal(parse("[bridge b1]\nkeypad = 1 c01\nkeypad = 2 c01\n", NULL), 0);
    assert_int_equal(jh_bridge_config_check(&bc, hall, err, sizeof err), -1);
    assert_string_equal(err, "t.ini:3: [bridge b1] keypad: counter c01 already has keypad 1");
    free(hall);
}

/* The shipped example: the hall parser passes [bridge b1] over, this reader takes it. */
static void test_example_hall_loads(void **state)
{
    (void)state;
    const char *src = getenv("JH_SOURCE_DIR");
    assert_non_null(src);
    char path[1024];
    snprintf(path, sizeof path, "%s/assets/hall.ini", src);
    jh_hall_config *hall = calloc(1, sizeof *hall);
    assert_non_null(hall);
    if (jh_config_load(hall, path, err, sizeof err) != 0)
        fail_msg("%s", err);
    if (jh_bridge_config_load(&bc, path, "b1", err, sizeof err) != 0)
        fail_msg("%s", err);
    if (jh_bridge_config_check(&bc, hall, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_true(bc.n_dev >= 2);
    assert_int_equal(jh_bridge_config_load(&bc, "/nonexistent/hall.ini", NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/hall.ini"));
    free(hall);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_every_key),
        cmocka_unit_test(test_picks_the_section_by_id_with_defaults),
        cmocka_unit_test(test_refuses_bad_lines_with_file_line_and_key),
        cmocka_unit_test(test_too_many_devices),
        cmocka_unit_test(test_checked_against_the_hall),
        cmocka_unit_test(test_example_hall_loads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
