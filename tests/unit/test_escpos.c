/* SPDX-License-Identifier: MIT */
/*
 * test_escpos — the ESC/POS encoder, byte for byte against docs/hardware.md,
 * and the UTF-8 → two-byte GB text encoding (never a four-byte sequence).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "escpos.h"

static void expect_bytes(const jh_escpos *b, const uint8_t *want, size_t n)
{
    assert_int_equal(jh_escpos_status(b), 0);
    assert_int_equal(b->len, n);
    assert_memory_equal(b->data, want, n);
}

static void test_reset_and_styles(void **state)
{
    (void)state;
    jh_escpos b;
    jh_escpos_init(&b);
    jh_escpos_reset(&b);
    jh_escpos_size(&b, 2, 3);
    jh_escpos_size(&b, 8, 8);
    jh_escpos_bold(&b, 1);
    jh_escpos_bold(&b, 0);
    jh_escpos_align(&b, JH_ESC_ALIGN_CENTER);
    jh_escpos_align(&b, JH_ESC_ALIGN_RIGHT);
    jh_escpos_reverse(&b, 1);
    jh_escpos_feed(&b, 4);
    jh_escpos_status_barrier(&b);
    static const uint8_t want[] = {0x1B, 0x40, 0x1C, 0x26, 0x1D, 0x21, 0x12, 0x1D, 0x21, 0x77, 0x1B, 0x45, 0x01,
                                   0x1B, 0x45, 0x00, 0x1B, 0x61, 0x01, 0x1B, 0x61, 0x02, 0x1D, 0x42, 0x01,
                                   0x1B, 0x64, 0x04, 0x1D, 0x72, 0x01};
    expect_bytes(&b, want, sizeof want);
    jh_escpos_free(&b);
}

static void test_bad_argument_is_sticky_and_adds_nothing(void **state)
{
    (void)state;
    jh_escpos b;
    jh_escpos_init(&b);
    jh_escpos_bold(&b, 1);
    assert_int_equal(jh_escpos_size(&b, 9, 1), -1);
    assert_non_null(strstr(b.err, "9x1"));
    assert_int_equal(jh_escpos_feed(&b, 1), -1); /* later calls do nothing */
    assert_int_equal(jh_escpos_status(&b), -1);
    assert_int_equal(b.len, 3);
    jh_escpos_free(&b);

    jh_escpos_init(&b);
    assert_int_equal(jh_escpos_feed(&b, 256), -1);
    assert_int_equal(b.len, 0);
    jh_escpos_free(&b);
}

static void test_chinese_text(void **state)
{
    (void)state;
    jh_escpos b;
    jh_escpos_init(&b);
    assert_int_equal(jh_escpos_text(&b, "请A012到窗口\n", NULL), 0);
    /* 请 C7 EB, 到 B5 BD, 窗 B4 B0, 口 BF DA */
    static const uint8_t want[] = {0xC7, 0xEB, 'A', '0', '1', '2', 0xB5, 0xBD, 0xB4, 0xB0, 0xBF, 0xDA, '\n'};
    expect_bytes(&b, want, sizeof want);
    assert_true(b.at_line_start);
    jh_escpos_free(&b);
}

static void test_four_byte_characters_are_replaced(void **state)
{
    (void)state;
    jh_escpos b;
    jh_escpos_init(&b);
    int replaced = -1;
    /* ¥ (4-byte 81 30 84 36 in GB18030), •, ™, NBSP, an emoji, a CJK Ext-B character */
    assert_int_equal(jh_escpos_text(&b, "¥5•™\xC2\xA0😀𠀀", &replaced), 0);
    static const uint8_t want[] = {0xA3, 0xA4, '5', 0xA1, 0xA4, 'T', 'M', ' ', '?', '?'};
    expect_bytes(&b, want, sizeof want);
    assert_int_equal(replaced, 6);
    jh_escpos_free(&b);
}

static void test_control_characters_cannot_inject_commands(void **state)
{
    (void)state;
    jh_escpos b;
    jh_escpos_init(&b);
    assert_int_equal(jh_escpos_text(&b, "a\x1B" "d\x1D" "V\tb\r", NULL), 0);
    static const uint8_t want[] = {'a', ' ', 'd', ' ', 'V', ' ', 'b', ' '};
    expect_bytes(&b, want, sizeof want);
    jh_escpos_free(&b);
}

static void test_invalid_utf8_is_an_error(void **state)
{
    (void)state;
    static const char *bad[] = {"ab\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "x\xFFy"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        jh_escpos b;
        jh_escpos_init(&b);
        jh_escpos_text(&b, "ok", NULL);
        assert_int_equal(jh_escpos_text(&b, bad[i], NULL), -1);
        assert_non_null(strstr(b.err, "UTF-8"));
        assert_int_equal(b.len, 2); /* nothing of the bad text went in */
        jh_escpos_free(&b);
    }
    assert_int_equal(jh_gb_width("\xE5\x8F"), -1);
}

/* Every BMP character: ASCII stays one byte, everything else becomes one
 * printable two-byte code or a replacement — never a four-byte sequence,
 * whose second byte would be a digit 0x30..0x39. */
static void test_whole_bmp_is_one_or_two_bytes(void **state)
{
    (void)state;
    size_t cap = 0x10000 * 3 + 1, n = 0;
    char *all = malloc(cap);
    assert_non_null(all);
    for (unsigned cp = 0x20; cp < 0x10000; cp++) {
        if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0x7F)
            continue;
        if (cp < 0x80) {
            all[n++] = (char)cp;
        } else if (cp < 0x800) {
            all[n++] = (char)(0xC0 | (cp >> 6)), all[n++] = (char)(0x80 | (cp & 0x3F));
        } else {
            all[n++] = (char)(0xE0 | (cp >> 12)), all[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            all[n++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    jh_escpos b;
    jh_escpos_init(&b);
    int replaced = 0;
    assert_int_equal(jh_gb_encode(&b, all, n, &replaced), 0);
    size_t two = 0;
    for (size_t i = 0; i < b.len;) {
        uint8_t c = b.data[i];
        if (c < 0x80) {
            assert_true(c >= 0x20 || c == '\n');
            i++;
            continue;
        }
        assert_true(c >= 0x81 && c <= 0xFE);
        assert_true(i + 1 < b.len);
        uint8_t t = b.data[i + 1];
        assert_true(t >= 0x40 && t != 0x7F && t <= 0xFE);
        two++;
        i += 2;
    }
    assert_true(two > 20000); /* GBK covers ~21,000 Hanzi: most of the BMP's CJK came through */
    assert_true(replaced > 1000);
    jh_escpos_free(&b);
    free(all);
}

static void test_width(void **state)
{
    (void)state;
    assert_int_equal(jh_gb_width("叫号A012"), 8);
    assert_int_equal(jh_gb_width("¥"), 2);
    assert_int_equal(jh_gb_width("™"), 2);
    assert_int_equal(jh_gb_width(""), 0);
}

static void test_qr_bytes(void **state)
{
    (void)state;
    jh_escpos b;
    jh_escpos_init(&b);
    assert_int_equal(jh_escpos_qr(&b, "ABC", 6, JH_QR_EC_M), 0);
    static const uint8_t want[] = {
        0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00, 0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x06,
        0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31, 0x1D, 0x28, 0x6B, 0x06, 0x00, 0x31, 0x50, 0x30, 'A',
        'B',  'C',  0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30,
    };
    expect_bytes(&b, want, sizeof want);
    jh_escpos_free(&b);
}

static void test_qr_length_bytes_and_line_start(void **state)
{
    (void)state;
    char payload[301];
    memset(payload, 'x', 300);
    payload[300] = '\0';
    jh_escpos b;
    jh_escpos_init(&b);
    jh_escpos_text(&b, "scan", NULL);
    assert_int_equal(jh_escpos_qr(&b, payload, 4, JH_QR_EC_L), 0);
    assert_int_equal(b.data[4], '\n'); /* QR starts its own line */
    /* store: len + 3 = 303 = 0x012F */
    const uint8_t *store = b.data + 5 + 9 + 8 + 8;
    static const uint8_t head[] = {0x1D, 0x28, 0x6B, 0x2F, 0x01, 0x31, 0x50, 0x30};
    assert_memory_equal(store, head, sizeof head);
    jh_escpos_free(&b);
}

static void test_qr_refuses_bad_payloads(void **state)
{
    (void)state;
    static const char *bad[] = {"", "https://x.cn/评价", "a\nb"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        jh_escpos b;
        jh_escpos_init(&b);
        assert_int_equal(jh_escpos_qr(&b, bad[i], 4, JH_QR_EC_M), -1);
        assert_int_equal(b.len, 0);
        jh_escpos_free(&b);
    }
    char big[JH_QR_MAX_PAYLOAD + 2];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    jh_escpos b;
    jh_escpos_init(&b);
    assert_int_equal(jh_escpos_qr(&b, big, 4, JH_QR_EC_M), -1);
    assert_int_equal(jh_escpos_qr(&b, "ok", 17, JH_QR_EC_M), -1);
    jh_escpos_free(&b);
    jh_escpos_init(&b);
    assert_int_equal(jh_escpos_qr(&b, "ok", 3, (jh_qr_ec)52), -1);
    jh_escpos_free(&b);
}

static void test_cut_only_at_line_start(void **state)
{
    (void)state;
    jh_escpos b;
    jh_escpos_init(&b);
    jh_escpos_cut(&b, 3);
    jh_escpos_text(&b, "A", NULL);
    jh_escpos_cut(&b, 0);
    jh_escpos_text(&b, "B\n", NULL);
    jh_escpos_cut(&b, 5);
    static const uint8_t want[] = {0x1D, 0x56, 0x42, 0x03, 'A', '\n', 0x1D, 0x56, 0x42, 0x00,
                                   'B',  '\n', 0x1D, 0x56, 0x42, 0x05};
    expect_bytes(&b, want, sizeof want);
    jh_escpos_free(&b);
}

static void test_append(void **state)
{
    (void)state;
    jh_escpos a, b;
    jh_escpos_init(&a);
    jh_escpos_init(&b);
    jh_escpos_text(&a, "x", NULL);
    jh_escpos_text(&b, "yz\n", NULL);
    assert_int_equal(jh_escpos_append(&a, &b), 0);
    assert_int_equal(a.len, 4);
    assert_true(a.at_line_start);
    jh_escpos_size(&b, 0, 0);
    assert_int_equal(jh_escpos_append(&a, &b), -1); /* a failed job is not taken over */
    assert_int_equal(a.len, 4);
    jh_escpos_free(&a);
    jh_escpos_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_and_styles),
        cmocka_unit_test(test_bad_argument_is_sticky_and_adds_nothing),
        cmocka_unit_test(test_chinese_text),
        cmocka_unit_test(test_four_byte_characters_are_replaced),
        cmocka_unit_test(test_control_characters_cannot_inject_commands),
        cmocka_unit_test(test_invalid_utf8_is_an_error),
        cmocka_unit_test(test_whole_bmp_is_one_or_two_bytes),
        cmocka_unit_test(test_width),
        cmocka_unit_test(test_qr_bytes),
        cmocka_unit_test(test_qr_length_bytes_and_line_start),
        cmocka_unit_test(test_qr_refuses_bad_payloads),
        cmocka_unit_test(test_cut_only_at_line_start),
        cmocka_unit_test(test_append),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
