/* SPDX-License-Identifier: MIT */
/*
 * test_render — the text cache and the layouts on SDL's software renderer:
 * a steady frame rasterises nothing, the cache evicts least-recently-used, and
 * each layout puts the called number, the paused message and the maintenance
 * title where its layout record says, in pixels of the right colour.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>

#include "board_state.h"
#include "display_config.h"
#include "draw.h"
#include "fonts.h"
#include "layout.h"
#include "text_cache.h"

typedef struct {
    SDL_Surface *surf;
    SDL_Renderer *ren;
    jh_fonts fonts;
    jh_text_cache *cache;
    jh_draw draw;
} rig;

static void rig_open(rig *r, int w, int h, int mono)
{
    char err[256];
    memset(r, 0, sizeof *r);
    r->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    r->ren = SDL_CreateSoftwareRenderer(r->surf);
    assert_non_null(r->ren);
    if (jh_fonts_open(&r->fonts, mono, err, sizeof err) != 0)
        fail_msg("%s", err);
    r->cache = jh_text_cache_new(r->ren, &r->fonts, 512);
    r->draw = (jh_draw){.r = r->ren, .text = r->cache, .w = w, .h = h, .solid = mono, .recording = 1,
                        .records = calloc(JH_DRAW_MAX_RECORDS, sizeof(jh_draw_record))};
}

static void rig_close(rig *r)
{
    free(r->draw.records);
    jh_text_cache_free(r->cache);
    jh_fonts_close(&r->fonts);
    SDL_DestroyRenderer(r->ren);
    SDL_FreeSurface(r->surf);
}

static uint32_t pixel(const rig *r, int x, int y)
{
    return ((uint32_t *)((uint8_t *)r->surf->pixels + y * r->surf->pitch))[x] & 0xFFFFFF;
}

static const jh_draw_record *find(const rig *r, const char *tag)
{
    for (int i = 0; i < r->draw.n_records; i++)
        if (strcmp(r->draw.records[i].tag, tag) == 0)
            return &r->draw.records[i];
    fail_msg("nothing drawn with tag %s", tag);
    return NULL;
}

/* Pixels in the record's visible rectangle that are (nearly) its text colour. */
static int count_color(const rig *r, const jh_draw_record *rec)
{
    int n = 0;
    for (int y = rec->visible.y; y < rec->visible.y + rec->visible.h; y++)
        for (int x = rec->visible.x; x < rec->visible.x + rec->visible.w; x++) {
            uint32_t p = pixel(r, x, y), c = rec->rgb;
            int d = abs((int)(p >> 16) - (int)(c >> 16)) + abs((int)((p >> 8) & 255) - (int)((c >> 8) & 255)) +
                    abs((int)(p & 255) - (int)(c & 255));
            n += d < 24;
        }
    return n;
}

static void feed(jh_board *b, const char *topic, const char *json)
{
    jh_board_update up;
    char err[256], full[256];
    snprintf(full, sizeof full, "jh/v1/h/%s", topic);
    if (jh_board_apply(b, full, json, strlen(json), &up, err, sizeof err) != 0)
        fail_msg("%s", err);
}

static jh_board *hall(int n_counters)
{
    jh_board *b = malloc(sizeof *b);
    jh_board_init(b, "h");
    feed(b, "status/caller", "{\"online\":true}");
    for (int i = 1; i <= n_counters; i++) {
        char topic[64], json[512];
        snprintf(topic, sizeof topic, "state/counter/c%02d", i);
        if (i == 3)
            snprintf(json, sizeof json, "{\"number\":3,\"status\":\"paused\",\"message\":\"去2楼取表\","
                                        "\"staff_name\":\"李静\",\"staff_id\":\"1007\"}");
        else
            snprintf(json, sizeof json, "{\"number\":%d,\"status\":\"serving\",\"ticket\":\"A%03d\","
                                        "\"staff_name\":\"王小明\",\"staff_id\":\"%d\"}", i, i * 3, 1000 + i);
        feed(b, topic, json);
    }
    feed(b, "state/service/A", "{\"name\":\"社保业务\",\"waiting\":12,\"ewt_s\":900}");
    feed(b, "state/hall", "{\"seq\":5,\"notice\":\"请携带身份证原件\",\"last_called\":"
                          "[{\"ticket\":\"A012\",\"counter\":\"c02\",\"counter_number\":2},"
                          "{\"ticket\":\"A009\",\"counter\":\"c01\",\"counter_number\":1}]}");
    return b;
}

static void draw_frame(rig *r, const jh_view *v)
{
    r->draw.n_records = 0;
    jh_layout_draw(&r->draw, v);
}

static void test_cache_hits_and_evicts(void **state)
{
    (void)state;
    rig r;
    rig_open(&r, 64, 64, 0);
    jh_text_cache_free(r.cache);
    r.cache = jh_text_cache_new(r.ren, &r.fonts, 16);
    const jh_text *a = jh_text_get(r.cache, "请到3号窗口", JH_FONT_BOLD, 40, 0xFFFFFF, 0);
    assert_non_null(a);
    assert_true(a->w > 100 && a->h >= 40);
    assert_ptr_equal(jh_text_get(r.cache, "请到3号窗口", JH_FONT_BOLD, 40, 0xFFFFFF, 0), a);
    assert_ptr_not_equal(jh_text_get(r.cache, "请到3号窗口", JH_FONT_BOLD, 40, 0xFFC83D, 0), a);
    assert_null(jh_text_get(r.cache, "", JH_FONT_BOLD, 40, 0xFFFFFF, 0));
    jh_text_stats st = jh_text_cache_stats(r.cache);
    assert_int_equal(st.misses, 2);
    assert_int_equal(st.hits, 1);
    for (int i = 0; i < 30; i++) {
        char s[16];
        snprintf(s, sizeof s, "A%03d", i);
        jh_text_get(r.cache, s, JH_FONT_REGULAR, 20, 0xFFFFFF, 0);
        jh_text_get(r.cache, "请到3号窗口", JH_FONT_BOLD, 40, 0xFFFFFF, 0); /* kept warm */
    }
    st = jh_text_cache_stats(r.cache);
    assert_int_equal(st.entries, 16);
    assert_int_equal(st.misses, 32);
    assert_int_equal(st.evictions, 16);
    uint64_t before = st.misses;
    jh_text_get(r.cache, "请到3号窗口", JH_FONT_BOLD, 40, 0xFFFFFF, 0); /* recently used: survived */
    jh_text_get(r.cache, "A029", JH_FONT_REGULAR, 20, 0xFFFFFF, 0);
    assert_int_equal(jh_text_cache_stats(r.cache).misses, before);
    jh_text_get(r.cache, "A000", JH_FONT_REGULAR, 20, 0xFFFFFF, 0); /* oldest: evicted */
    assert_int_equal(jh_text_cache_stats(r.cache).misses, before + 1);
    rig_close(&r);
}

static void test_main_board_pixels_and_steady_frame(void **state)
{
    (void)state;
    rig r;
    rig_open(&r, 1920, 1080, 0);
    jh_display_config dc = {.layout = JH_LAYOUT_MAIN, .width = 1920, .height = 1080, .history = 8};
    jh_board *b = hall(60);
    jh_view v = {.board = b, .dc = &dc, .hall_name = "测试大厅", .hall_name_en = "Test Hall",
                 .now_ms = 1763860000000, .anim_ms = 1000, .scroll_ms = 1000};
    draw_frame(&r, &v);
    const jh_draw_record *t = find(&r, "hero.ticket");
    assert_string_equal(t->text, "A012");
    assert_true(t->px >= 100); /* the newest call is large */
    assert_true(count_color(&r, t) > 2000);
    const jh_draw_record *m = find(&r, "counter.c03.message");
    assert_string_equal(m->text, "去2楼取表");
    assert_true(count_color(&r, m) > 50);
    assert_string_equal(find(&r, "counter.c60.ticket")->text, "A180"); /* all 60 counters drawn */
    assert_true(find(&r, "counter.c60.ticket")->px >= 24);             /* and readable */
    assert_true(find(&r, "counter.c60.ticket")->visible.y + find(&r, "counter.c60.ticket")->visible.h <= 1080);

    /* the clock changes once a second; within the second nothing is rasterised again */
    uint64_t misses = jh_text_cache_stats(r.cache).misses;
    v.anim_ms += 16;
    v.scroll_ms += 16;
    draw_frame(&r, &v);
    assert_int_equal(jh_text_cache_stats(r.cache).misses, misses);
    free(b);
    rig_close(&r);
}

static void test_maintenance_and_blink(void **state)
{
    (void)state;
    rig r;
    rig_open(&r, 1920, 1080, 0);
    jh_display_config dc = {.layout = JH_LAYOUT_MAIN, .width = 1920, .height = 1080, .history = 8};
    jh_board *b = hall(4);
    jh_view v = {.board = b, .dc = &dc, .hall_name = "测试大厅", .now_ms = 1763860000000,
                 .anim_ms = 10000, .maintenance = 1, .reason = "broker unreachable"};
    draw_frame(&r, &v);
    assert_string_equal(find(&r, "maintenance.title")->text, "系统维护中");
    assert_true(count_color(&r, find(&r, "maintenance.title")) > 2000);
    for (int i = 0; i < r.draw.n_records; i++) /* no stale numbers under maintenance */
        assert_null(strstr(r.draw.records[i].tag, "ticket"));

    /* a new call blinks: inverted (dark number on amber) half the time, then steady */
    v.maintenance = 0;
    v.hero_since_ms = 10000;
    draw_frame(&r, &v);
    assert_int_equal(find(&r, "hero.ticket")->rgb, JH_COL_BG);
    v.anim_ms = 10000 + JH_BLINK_HALF_MS;
    draw_frame(&r, &v);
    assert_int_equal(find(&r, "hero.ticket")->rgb, JH_COL_NUMBER);
    v.anim_ms = 10000 + JH_BLINK_MS + 1;
    draw_frame(&r, &v);
    assert_int_equal(find(&r, "hero.ticket")->rgb, JH_COL_NUMBER);
    free(b);
    rig_close(&r);
}

static void test_strip_and_led(void **state)
{
    (void)state;
    rig r;
    jh_board *b = hall(4);
    rig_open(&r, 1920, 360, 0);
    jh_display_config dc = {.layout = JH_LAYOUT_STRIP, .width = 1920, .height = 360};
    strcpy(dc.counter, "c03");
    jh_view v = {.board = b, .dc = &dc, .counter_number = 3, .now_ms = 1763860000000, .anim_ms = 1};
    draw_frame(&r, &v);
    assert_string_equal(find(&r, "strip.paused")->text, "暂停服务  Service paused");
    assert_string_equal(find(&r, "strip.message")->text, "去2楼取表");
    assert_string_equal(find(&r, "strip.staff")->text, "李静");
    assert_true(count_color(&r, find(&r, "strip.message")) > 100);
    rig_close(&r);

    rig_open(&r, 192, 32, 1);
    jh_display_config led = {.layout = JH_LAYOUT_LED, .width = 192, .height = 32, .led_font_px = 16,
                             .n_led_colors = 2, .led_colors = {0xFF2020, 0x20FF40}};
    v.dc = &led;
    draw_frame(&r, &v);
    const jh_draw_record *call = find(&r, "led.call");
    assert_string_equal(call->text, "请A012号到2号窗口");
    assert_true(call->visible.y >= 0 && call->visible.y + call->visible.h <= 32);
    /* unsmoothed: every pixel is black or exactly one of the two colours */
    for (int y = 0; y < 32; y++)
        for (int x = 0; x < 192; x++) {
            uint32_t p = pixel(&r, x, y);
            assert_true(p == 0 || p == 0xFF2020 || p == 0x20FF40);
        }
    assert_true(count_color(&r, call) > 80);
    rig_close(&r);
    free(b);
}

int main(void)
{
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cache_hits_and_evicts),
        cmocka_unit_test(test_main_board_pixels_and_steady_frame),
        cmocka_unit_test(test_maintenance_and_blink),
        cmocka_unit_test(test_strip_and_led),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    TTF_Quit();
    SDL_Quit();
    return rc;
}
