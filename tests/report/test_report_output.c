/* SPDX-License-Identifier: MIT */
/*
 * test_report_output — the files a hall manager gets for the hand-made day of
 * report_day.h: CSVs that Excel/WPS open (BOM, bilingual headers, quoting) with
 * the hand-worked figures in their cells, and PNG charts whose bars have the
 * heights the figures call for (measured on the pixels, not on the code).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <cmocka.h>

#include "report_canvas.h"
#include "report_chart.h"
#include "report_day.h"
#include "report_query.h"
#include "report_table.h"

static char out_dir[64];

/* The CSVs and charts of --day 2026-11-23 for the hand-made day, into dir. */
static int write_day_report(const char *dir, char *err, size_t errlen)
{
    jh_period p;
    jh_report r;
    fx *f = rd_build();
    int rc = jh_period_parse(JH_PERIOD_DAY, "2026-11-23", &p, err, errlen);
    if (rc == 0 && (rc = jh_report_init(&r, f->cfg, &p, T0 + 2 * HOUR, err, errlen)) == 0) {
        if ((rc = jh_report_load(&r, f->db, err, errlen)) == 0) {
            jh_report_finish(&r);
            rc = jh_report_write_csv(&r, dir, err, errlen) < 0 ||
                         jh_report_write_charts(&r, dir, err, errlen) < 0
                     ? -1
                     : 0;
        }
        jh_report_free(&r);
    }
    fx_free(f);
    return rc;
}

/* Builds the day and writes its report (CSV and charts) into a temp folder. */
static int setup(void **state)
{
    (void)state;
    char err[512] = "";
    snprintf(out_dir, sizeof out_dir, "/tmp/jh-report-out-XXXXXX");
    assert_non_null(mkdtemp(out_dir));
    if (write_day_report(out_dir, err, sizeof err) < 0)
        fail_msg("%s", err);
    /* kept for people to look at when JH_REPORT_SHOTS names a folder */
    const char *keep = getenv("JH_REPORT_SHOTS");
    if (keep && *keep) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp '%s'/* '%s'/", keep, out_dir, keep);
        assert_int_equal(system(cmd), 0);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", out_dir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

/* ---- CSV ---- */

static char *read_file(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", out_dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("no %s", path);
    char *buf = calloc(1, 65536);
    assert_non_null(buf);
    if (fread(buf, 1, 65535, f) == 0 && ferror(f))
        fail_msg("cannot read %s", path);
    fclose(f);
    return buf;
}

/* Line `n` (0 = header) of a CSV, without the BOM and the CRLF, into out. */
static void csv_line(const char *text, int n, char *out, size_t len)
{
    const char *p = text + 3;
    for (int i = 0; i < n; i++) {
        p = strstr(p, "\r\n");
        assert_non_null(p);
        p += 2;
    }
    const char *end = strstr(p, "\r\n");
    assert_non_null(end);
    snprintf(out, len, "%.*s", (int)(end - p), p);
}

static void starts_with(const char *line, const char *start)
{
    if (strncmp(line, start, strlen(start)) != 0)
        fail_msg("line\n  %s\ndoes not start with\n  %s", line, start);
}

static void test_every_file_has_bom_and_crlf(void **state)
{
    (void)state;
    const char *files[] = {"summary.csv", "by-day.csv", "by-counter.csv", "by-staff.csv",
                           "by-service.csv", "by-hour.csv", "pauses.csv", "flagged-ratings.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *t = read_file(files[i]);
        assert_memory_equal(t, "\xEF\xBB\xBF", 3);
        assert_non_null(strstr(t, "\r\n"));
        for (const char *p = strchr(t, '\n'); p; p = strchr(p + 1, '\n'))
            assert_int_equal(p[-1], '\r');
        free(t);
    }
}

static void test_counter_file(void **state)
{
    (void)state;
    char line[4096];
    char *t = read_file("by-counter.csv");
    csv_line(t, 0, line, sizeof line);
    assert_string_equal(line,
        "窗口 / Counter,窗口名称 / Counter name,英文名称 / Name in English,叫号 / Called,"
        "绿色通道 / Green channel,绿色通道占比(%) / Green share (%),办结 / Served,过号 / No-shows,"
        "过期未办 / Expired,未结束 / Still open,等候均值(分) / Wait mean (min),"
        "等候中位数(分) / Wait median (min),等候P90(分) / Wait p90 (min),等候最长(分) / Wait max (min),"
        "绿色通道等候均值(分) / Green wait mean (min),其他等候均值(分) / Others' wait mean (min),"
        "办理均值(分) / Service mean (min),办理中位数(分) / Service median (min),"
        "办理P90(分) / Service p90 (min),办理最长(分) / Service max (min),超时 / Overruns,"
        "超时占比(%) / Overrun share (%),暂停次数 / Pauses,暂停时长(分) / Pause time (min),"
        "在岗时长(时) / On duty (h),评价数 / Ratings,可疑评价 / Flagged ratings,"
        "满意(4-5分) / Satisfied (4-5),满意率(%) / Satisfaction (%),满意率达标(≥80%) / Meets 80 %");
    /* c01: A002 (green) A004 B001; waits 5 8 23 (others 8 23); service 6 13 4; A004 overran;
     * on duty 100 min; rated 4 (flagged) and 2 → 0 of 1 satisfied */
    csv_line(t, 1, line, sizeof line);
    assert_string_equal(line, "c01,1号窗口,Window 1,3,1,33.3,3,0,0,0,12.0,8.0,23.0,23.0,5.0,15.5,"
                              "7.7,6.0,13.0,13.0,1,33.3,0,0.0,1.67,2,1,0,0.0,否 no");
    /* c02: configured, never opened — figures with nothing to measure are empty, not 0 */
    csv_line(t, 2, line, sizeof line);
    assert_string_equal(line, "c02,2号窗口,Window 2,0,0,,0,0,0,0,,,,,,,,,,,0,,0,0.0,0.00,0,0,0,,");
    /* c03: A001 A003 (no-show) A006 (green); waits 6 9 5; service 4 20; pause 30 min */
    csv_line(t, 3, line, sizeof line);
    assert_string_equal(line, "c03,3号窗口,Window 3,3,1,33.3,2,1,0,0,6.7,6.0,9.0,9.0,5.0,7.5,"
                              "12.0,12.0,20.0,20.0,1,50.0,1,30.0,1.67,2,0,2,100.0,是 yes");
    free(t);
}

static void test_other_files(void **state)
{
    (void)state;
    char line[4096];
    char *t = read_file("summary.csv");
    csv_line(t, 0, line, sizeof line);
    starts_with(line, "报告期 / Period,大厅 / Hall,英文名称 / Name in English,取号 / Issued,");
    assert_non_null(strstr(line, ",作废 / Voided,"));
    csv_line(t, 1, line, sizeof line);
    starts_with(line, "2026-11-23,测试大厅,Test Hall,7,2,28.6,5,1,1,0,0,9.3,7.0,23.0,");
    free(t);
    t = read_file("by-hour.csv");
    csv_line(t, 3, line, sizeof line); /* 07, 08, then 09 */
    starts_with(line, "09:00–10:00,6,1,16.7,4,1,1,0,0,10.2,8.0,23.0,23.0,");
    free(t);
    t = read_file("pauses.csv");
    csv_line(t, 1, line, sizeof line);
    assert_string_equal(line, "c03,3号窗口,s03,员工s03,会议,1,30.0");
    free(t);
    t = read_file("flagged-ratings.csv");
    csv_line(t, 1, line, sizeof line);
    assert_string_equal(line, "2026-11-23,A002,c01,s01,员工s01,4,2026-11-23T09:12:00+08:00,"
                              "结束后1秒内评价 too-fast");
    free(t);
}

/* ---- charts ---- */

static SDL_Surface *load_png(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", out_dir, name);
    SDL_Surface *raw = IMG_Load(path);
    if (!raw)
        fail_msg("%s: %s", path, IMG_GetError());
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    assert_non_null(s);
    assert_int_equal(s->w, JH_CHART_W);
    assert_int_equal(s->h, JH_CHART_H);
    return s;
}

static uint32_t px(const SDL_Surface *s, int x, int y)
{
    return ((const uint32_t *)((const uint8_t *)s->pixels + y * s->pitch))[x] & 0xFFFFFF;
}

/*
 * Bars of colour rgb below the top fifth (titles and legend live there): runs
 * of adjacent columns holding that colour; heights[i] is the tallest column of
 * run i. Returns the number of bars.
 */
static int bars(const SDL_Surface *s, uint32_t rgb, int *heights, int max)
{
    int n = 0, in_run = 0;
    for (int x = 0; x < s->w; x++) {
        int h = 0;
        for (int y = s->h / 5; y < s->h; y++)
            h += px(s, x, y) == rgb;
        if (h > 2 && !in_run && n < max)
            heights[n++] = 0;
        in_run = h > 2;
        if (in_run && h > heights[n - 1])
            heights[n - 1] = h;
    }
    return n;
}

static double share_not_white(const SDL_Surface *s)
{
    int n = 0;
    for (int y = 0; y < s->h; y++)
        for (int x = 0; x < s->w; x++)
            n += px(s, x, y) != JH_RGB_BG;
    return (double)n / (s->w * s->h);
}

static void test_wait_chart(void **state)
{
    (void)state;
    SDL_Surface *s = load_png("wait-by-hour.png");
    int h[8];
    double ink = share_not_white(s);
    assert_true(ink > 0.02 && ink < 0.5);
    /* two hours with waits: 09 mean 51/5 min, 10 mean 5 min */
    assert_int_equal(bars(s, JH_RGB_BLUE, h, 8), 2);
    assert_float_equal((double)h[0] / h[1], (51.0 / 5) / 5, 0.08);
    SDL_FreeSurface(s);
}

static void test_flow_chart(void **state)
{
    (void)state;
    SDL_Surface *s = load_png("arrivals-served-by-hour.png");
    int h[8];
    /* issued 6 then 1; served 4 then 1 */
    assert_int_equal(bars(s, JH_RGB_BLUE, h, 8), 2);
    assert_float_equal((double)h[0] / h[1], 6, 0.4);
    assert_int_equal(bars(s, JH_RGB_GREEN, h, 8), 2);
    assert_float_equal((double)h[0] / h[1], 4, 0.3);
    SDL_FreeSurface(s);
}

static void test_satisfaction_chart(void **state)
{
    (void)state;
    SDL_Surface *s = load_png("satisfaction-by-counter.png");
    int green[4], red[64], grey[4];
    /* c03 at 100 %: one green bar; c01 at 0 %: no bar at all; c02 unrated: a grey stub */
    assert_int_equal(bars(s, JH_RGB_GREEN, green, 4), 1);
    assert_int_equal(bars(s, JH_RGB_NODATA, grey, 4), 1);
    assert_true(grey[0] * 20 < green[0]);
    /* the 80 % line: dashes of red across the plot, at 80 % of the green bar's height */
    assert_true(bars(s, JH_RGB_RED, red, 64) > 30);
    int line_y = -1, base_y = -1;
    for (int y = s->h - 1; y > 0 && (line_y < 0 || base_y < 0); y--) {
        int x = s->w / 2;
        if (base_y < 0 && px(s, x, y) == JH_RGB_AXIS)
            base_y = y;
        for (int dx = 0; dx < 14 && line_y < 0 && base_y >= 0; dx++)
            if (px(s, x + dx, y) == JH_RGB_RED)
                line_y = y;
    }
    assert_true(line_y > 0 && base_y > line_y);
    assert_float_equal((double)(base_y - line_y) / green[0], 0.8, 0.02);
    SDL_FreeSurface(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_file_has_bom_and_crlf),
        cmocka_unit_test(test_counter_file),
        cmocka_unit_test(test_other_files),
        cmocka_unit_test(test_wait_chart),
        cmocka_unit_test(test_flow_chart),
        cmocka_unit_test(test_satisfaction_chart),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
