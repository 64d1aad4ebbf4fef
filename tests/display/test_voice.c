/* SPDX-License-Identifier: MIT */
/*
 * test_voice — how calls are spoken: the clip order of an announcement, counter
 * numbers in Mandarin and English, joining the committed clips at a volume, and
 * the strict WAV reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "voice.h"
#include "wav.h"

static char err[512];

/* The words of `s` from index `from`, space separated. */
static void words(const jh_voice_script *s, int from, int to, char *out, size_t len)
{
    out[0] = '\0';
    for (int i = from; i < to && i < s->n; i++) {
        strncat(out, s->words[i], len - strlen(out) - 1);
        if (i + 1 < to && i + 1 < s->n)
            strncat(out, " ", len - strlen(out) - 1);
    }
}

static void test_announcement_order(void **state)
{
    (void)state;
    jh_voice_script s;
    char got[2048];
    assert_int_equal(jh_voice_compose(&s, "A012", 3, 1, err, sizeof err), 0);
    words(&s, 0, s.n, got, sizeof got);
    assert_string_equal(got, "chime zh/qing zh/A zh/d0 zh/d1 zh/d2 zh/hao zh/dao zh/d3 zh/hao "
                             "zh/chuangkou zh/banli gap en/number en/A en/n0 en/n1 en/n2 "
                             "en/please_go_to_counter en/n3");
    assert_int_equal(jh_voice_compose(&s, "qy7", 0, 2, err, sizeof err), 0); /* no counter number */
    words(&s, 0, s.n, got, sizeof got);
    assert_string_equal(got, "chime zh/qing zh/Q zh/Y zh/d7 zh/hao zh/banli gap en/number en/Q en/Y en/n7 "
                             "gap zh/qing zh/Q zh/Y zh/d7 zh/hao zh/banli gap en/number en/Q en/Y en/n7");
}

/* The counter part of the script for `n`: zh words between "dao" and "hao", en after "counter". */
static void counter_words(int n, char *zh, char *en, size_t len)
{
    jh_voice_script s;
    assert_int_equal(jh_voice_compose(&s, "A1", n, 1, err, sizeof err), 0);
    int dao = -1, hao2 = -1, ctr = -1;
    for (int i = 0; i < s.n; i++) {
        if (strcmp(s.words[i], "zh/dao") == 0)
            dao = i;
        if (dao >= 0 && hao2 < 0 && i > dao && strcmp(s.words[i], "zh/hao") == 0)
            hao2 = i;
        if (strcmp(s.words[i], "en/please_go_to_counter") == 0)
            ctr = i;
    }
    words(&s, dao + 1, hao2, zh, len);
    words(&s, ctr + 1, s.n, en, len);
}

static void test_counter_numbers(void **state)
{
    (void)state;
    static const struct { int n; const char *zh, *en; } cases[] = {
        {7, "zh/d7", "en/n7"},
        {10, "zh/shi", "en/n10"},
        {12, "zh/shi zh/d2", "en/n12"},
        {20, "zh/d2 zh/shi", "en/n20"},
        {23, "zh/d2 zh/shi zh/d3", "en/n20 en/n3"},
        {100, "zh/d1 zh/bai", "en/n1 en/hundred"},
        {105, "zh/d1 zh/bai zh/d0 zh/d5", "en/n1 en/hundred en/n5"},
        {110, "zh/d1 zh/bai zh/d1 zh/shi", "en/n1 en/hundred en/n10"},
        {999, "zh/d9 zh/bai zh/d9 zh/shi zh/d9", "en/n9 en/hundred en/n90 en/n9"},
        {1024, "zh/d1 zh/d0 zh/d2 zh/d4", "en/n1 en/n0 en/n2 en/n4"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char zh[512], en[512];
        counter_words(cases[i].n, zh, en, sizeof zh);
        assert_string_equal(zh, cases[i].zh);
        assert_string_equal(en, cases[i].en);
    }
}

static void test_bad_tickets(void **state)
{
    (void)state;
    jh_voice_script s;
    assert_int_equal(jh_voice_compose(&s, "", 3, 1, err, sizeof err), -1);
    assert_int_equal(jh_voice_compose(&s, "--", 3, 1, err, sizeof err), -1);
    assert_int_equal(jh_voice_compose(&s, "A0123456789012", 3, 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot be announced"));
}

static const char *voice_dir(void)
{
    static char dir[1024];
    const char *src = getenv("JH_SOURCE_DIR");
    snprintf(dir, sizeof dir, "%s/assets/voice", src ? src : ".");
    return dir;
}

static void test_render_joins_clips_at_volume(void **state)
{
    (void)state;
    jh_voice_clips *vc = malloc(sizeof *vc);
    jh_voice_script s;
    if (jh_voice_load(vc, voice_dir(), err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(jh_voice_compose(&s, "B7", 12, 1, err, sizeof err), 0);
    int16_t *full, *half;
    size_t n_full, n_half, expect = 0;
    for (int i = 0; i < s.n; i++) {
        int found = strcmp(s.words[i], "gap") == 0;
        for (int k = 0; !found && k < vc->n; k++)
            if (strcmp(vc->clips[k].name, s.words[i]) == 0) {
                expect += vc->clips[k].n;
                found = 1;
            }
        if (strcmp(s.words[i], "gap") == 0)
            expect += JH_WAV_RATE * JH_VOICE_GAP_MS / 1000;
        assert_true(found);
    }
    assert_int_equal(jh_voice_render(vc, &s, 100, &full, &n_full, err, sizeof err), 0);
    assert_int_equal(jh_voice_render(vc, &s, 50, &half, &n_half, err, sizeof err), 0);
    assert_int_equal(n_full, expect);
    assert_int_equal(n_half, n_full);
    /* the first clip is the chime, sample for sample; then half volume is half */
    assert_memory_equal(full, vc->clips[0].pcm, vc->clips[0].n * sizeof *full);
    int peak = 0;
    for (size_t i = 0; i < n_full; i++) {
        assert_int_equal(half[i], full[i] * 50 / 100);
        peak = abs(full[i]) > peak ? abs(full[i]) : peak;
    }
    assert_true(peak > 10000); /* normalised clips: clearly audible */
    free(full);
    free(half);
    jh_voice_free(vc);
    assert_int_equal(jh_voice_load(vc, "/nonexistent", err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/chime.wav"));
    free(vc);
}

static void test_wav_strict(void **state)
{
    (void)state;
    int16_t *pcm;
    size_t n;
    uint8_t wav[48] = "RIFF\x28\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0\x80\x3e\0\0\0\x7d\0\0\x02\0\x10\0data\x04\0\0\0";
    wav[44] = 0x34; wav[45] = 0x12; wav[46] = 0xff; wav[47] = 0xff;
    assert_int_equal(jh_wav_parse(wav, 48, &pcm, &n, err, sizeof err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(pcm[0], 0x1234);
    assert_int_equal(pcm[1], -1);
    free(pcm);
    uint8_t bad[48];
    memcpy(bad, wav, 48);
    bad[22] = 2; /* stereo */
    assert_int_equal(jh_wav_parse(bad, 48, &pcm, &n, err, sizeof err), -1);
    assert_non_null(strstr(err, "mono"));
    memcpy(bad, wav, 48);
    bad[40] = 0xF0; /* data longer than the file */
    assert_int_equal(jh_wav_parse(bad, 48, &pcm, &n, err, sizeof err), -1);
    assert_int_equal(jh_wav_parse((const uint8_t *)"RIFX", 4, &pcm, &n, err, sizeof err), -1);

    char path[] = "/tmp/jh-wav-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    int16_t out[3] = {1, -2, 32767};
    assert_int_equal(jh_wav_write(path, out, 3, err, sizeof err), 0);
    assert_int_equal(jh_wav_read(path, &pcm, &n, err, sizeof err), 0);
    assert_int_equal(n, 3);
    assert_memory_equal(pcm, out, sizeof out);
    free(pcm);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_announcement_order),
        cmocka_unit_test(test_counter_numbers),
        cmocka_unit_test(test_bad_tickets),
        cmocka_unit_test(test_render_joins_clips_at_volume),
        cmocka_unit_test(test_wav_strict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
