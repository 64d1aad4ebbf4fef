/* SPDX-License-Identifier: MIT */
/*
 * test_printer_status — decoding DLE EOT replies (vectors from docs/hardware.md
 * and the shapes real printers send) and the kiosk's [printer] config.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "printer.h"
#include "printer_config.h"

static jh_printer_status decode(const uint8_t *r, size_t n)
{
    jh_printer_status st;
    jh_printer_status_decode(r, n, &st);
    assert_non_null(st.text_zh);
    assert_non_null(st.text_en);
    assert_true(st.detail[0] != '\0');
    return st;
}

static void test_ready(void **state)
{
    (void)state;
    jh_printer_status st = decode((const uint8_t[]){0x12, 0x12, 0x12}, 3);
    assert_int_equal(st.state, JH_PRINTER_READY);
    assert_true(st.can_print);
    assert_string_equal(jh_printer_state_name(st.state), "ready");
}

static void test_paper_out_vectors(void **state)
{
    (void)state;
    jh_printer_status st = decode((const uint8_t[]){0x1A, 0x32, 0x7E}, 3);
    assert_int_equal(st.state, JH_PRINTER_PAPER_OUT);
    assert_false(st.can_print);
    assert_non_null(strstr(st.text_zh, "缺纸"));
    /* the paper sensor alone is enough */
    st = decode((const uint8_t[]){0x1A, 0x12, 0x72}, 3);
    assert_int_equal(st.state, JH_PRINTER_PAPER_OUT);
}

static void test_near_end_still_prints(void **state)
{
    (void)state;
    jh_printer_status st = decode((const uint8_t[]){0x12, 0x12, 0x1E}, 3);
    assert_int_equal(st.state, JH_PRINTER_PAPER_NEAR_END);
    assert_true(st.can_print);
}

static void test_cover_open_comes_first(void **state)
{
    (void)state;
    jh_printer_status st = decode((const uint8_t[]){0x1A, 0x36, 0x7E}, 3); /* cover open and paper sensor */
    assert_int_equal(st.state, JH_PRINTER_COVER_OPEN);
    assert_false(st.can_print);
    assert_non_null(strstr(st.text_en, "cover"));
}

static void test_error_causes(void **state)
{
    (void)state;
    jh_printer_status st = decode((const uint8_t[]){0x1A, 0x52, 0x12, 0x1A}, 4);
    assert_int_equal(st.state, JH_PRINTER_ERROR);
    assert_non_null(strstr(st.detail, "autocutter"));
    st = decode((const uint8_t[]){0x1A, 0x52, 0x12, 0x52}, 4);
    assert_non_null(strstr(st.detail, "auto-recoverable"));
    st = decode((const uint8_t[]){0x1A, 0x52, 0x12}, 3);
    assert_int_equal(st.state, JH_PRINTER_ERROR);
}

static void test_offline_without_cause(void **state)
{
    (void)state;
    jh_printer_status st = decode((const uint8_t[]){0x1A, 0x12, 0x12}, 3);
    assert_int_equal(st.state, JH_PRINTER_OFFLINE);
    assert_false(st.can_print);
}

static void test_silence_is_offline(void **state)
{
    (void)state;
    jh_printer_status st = decode(NULL, 0);
    assert_int_equal(st.state, JH_PRINTER_OFFLINE);
    assert_non_null(strstr(st.detail, "DLE EOT 1"));
    st = decode((const uint8_t[]){0x12, 0x12}, 2);
    assert_int_equal(st.state, JH_PRINTER_OFFLINE);
    assert_non_null(strstr(st.detail, "DLE EOT 4"));
}

static void test_garbage_is_error(void **state)
{
    (void)state;
    jh_printer_status st = decode((const uint8_t[]){0x12, 0xFF, 0x12}, 3);
    assert_int_equal(st.state, JH_PRINTER_ERROR);
    assert_non_null(strstr(st.detail, "0xFF"));
    assert_non_null(strstr(st.detail, "DLE EOT 2"));
    st = decode((const uint8_t[]){0x00}, 1); /* a GS r-shaped byte where DLE EOT was asked */
    assert_int_equal(st.state, JH_PRINTER_ERROR);
    st = decode((const uint8_t[]){0x12, 0x12, 0x12, 0x12, 0x12}, 5);
    assert_int_equal(st.state, JH_PRINTER_ERROR);
    assert_false(st.can_print);
}

static void test_every_single_byte_decodes(void **state)
{
    (void)state;
    for (int a = 0; a < 256; a++) {
        uint8_t r[3] = {(uint8_t)a, 0x12, 0x12};
        jh_printer_status st = decode(r, 3);
        assert_true(st.state <= JH_PRINTER_ERROR);
        assert_int_equal(st.can_print, st.state <= JH_PRINTER_PAPER_NEAR_END);
        if ((a & 0x93) != 0x12)
            assert_int_equal(st.state, JH_PRINTER_ERROR);
    }
}

/* ---- [printer] config ---- */

static void test_config_defaults_and_sections(void **state)
{
    (void)state;
    static const char ini[] = "[hall]\nsite = x\n"
                              "[printer k2]\npaper_mm = 58\nbaud = 115200\n"
                              "[printer]\ndevice = /dev/ttyS1\nbaud = 19200\nflow = rtscts\nqr = no\n"
                              "[display main]\nanything = goes\n";
    jh_printer_config pc;
    char err[256];
    assert_int_equal(jh_printer_config_parse(&pc, ini, strlen(ini), "t.ini", "k1", err, sizeof err), 0);
    assert_string_equal(pc.device, "/dev/ttyS1");
    assert_int_equal(pc.baud, 19200);
    assert_int_equal(pc.flow, JH_FLOW_RTSCTS);
    assert_int_equal(pc.columns, 48);
    assert_int_equal(pc.qr, 0);
    assert_int_equal(pc.status_timeout_ms, 500);
    /* k2's own section wins even though it comes first in the file */
    assert_int_equal(jh_printer_config_parse(&pc, ini, strlen(ini), "t.ini", "k2", err, sizeof err), 0);
    assert_int_equal(pc.baud, 115200);
    assert_int_equal(pc.paper_mm, 58);
    assert_int_equal(pc.columns, 32);
    assert_string_equal(pc.device, "/dev/ttyS1");
}

static void test_config_errors_name_the_line(void **state)
{
    (void)state;
    static const struct {
        const char *ini, *want;
    } bad[] = {
        {"[printer]\nbaud = 9601\n", "t.ini:2: [printer] baud: '9601' is not a supported rate"},
        {"[printer]\nflow = cts\n", "t.ini:2"},
        {"[printer]\npaper_mm = 76\n", "not 58 or 80"},
        {"[printer]\nbuad = 9600\n", "unknown key"},
        {"[printer]\nstatus_timeout_ms = 5\n", "50..10000"},
        {"[printer]\nqr = maybe\n", "yes or no"},
        {"[printer k1]\nnumber_size = 9\n", "[printer k1] number_size"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        jh_printer_config pc;
        char err[256] = "";
        assert_int_equal(jh_printer_config_parse(&pc, bad[i].ini, strlen(bad[i].ini), "t.ini", "k1", err, sizeof err),
                         -1);
        assert_non_null(strstr(err, bad[i].want));
    }
}

static void test_config_hall_ini_loads(void **state)
{
    (void)state;
    char path[1024], err[256];
    const char *src = getenv("JH_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/assets/hall.ini", src ? src : ".");
    jh_printer_config pc;
    assert_int_equal(jh_printer_config_load(&pc, path, "k1", err, sizeof err), 0);
    assert_true(pc.columns == 32 || pc.columns == 48);
    assert_int_equal(jh_printer_config_load(&pc, "/nonexistent/hall.ini", NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/hall.ini"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ready),
        cmocka_unit_test(test_paper_out_vectors),
        cmocka_unit_test(test_near_end_still_prints),
        cmocka_unit_test(test_cover_open_comes_first),
        cmocka_unit_test(test_error_causes),
        cmocka_unit_test(test_offline_without_cause),
        cmocka_unit_test(test_silence_is_offline),
        cmocka_unit_test(test_garbage_is_error),
        cmocka_unit_test(test_every_single_byte_decodes),
        cmocka_unit_test(test_config_defaults_and_sections),
        cmocka_unit_test(test_config_errors_name_the_line),
        cmocka_unit_test(test_config_hall_ini_loads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
