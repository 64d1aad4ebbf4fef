/* SPDX-License-Identifier: MIT */
/*
 * test_sdl_screen — the one place the boards and the kiosk open SDL
 * (common/screen/sdl_screen.h): what each caller's options do to the window, the
 * cursor and the frame size, headless (dummy) and on a display without a
 * desktop (SDL's offscreen driver), and that a failure leaves nothing open.
 *
 *   test_sdl_screen [offscreen]   the headless cases, or only the offscreen ones
 * The offscreen driver loads Mesa, which leaks at exit; ctest runs those cases
 * on their own with leak detection off (the same code runs leak-checked headless).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>

#include "sdl_screen.h"

static const jh_sdl_screen_opts kiosk = {.title = "kiosk", .width = 640, .height = 360, .fullscreen = 1,
                                         .hide_cursor = 1, .logical_size = 1, .record = 1,
                                         .own_signals = 1};

static void open_on(const char *driver, jh_sdl_screen *s, const jh_sdl_screen_opts *o)
{
    char err[300];
    setenv("SDL_VIDEODRIVER", driver, 1);
    if (jh_sdl_screen_open(s, o, err, sizeof err) != 0)
        fail_msg("%s: %s", driver, err);
    assert_non_null(s->win);
    assert_ptr_equal(s->draw.r, s->ren);
    assert_ptr_equal(s->draw.text, s->text);
}

static void assert_all_closed(const jh_sdl_screen *s)
{
    static const jh_sdl_screen zero;
    assert_memory_equal(s, &zero, sizeof zero);
    assert_int_equal(SDL_WasInit(0), 0);
    assert_int_equal(TTF_WasInit(), 0);
}

/* Headless, the kiosk keeps its configured size and its pointer: nothing to hide. */
static void test_kiosk_headless(void **state)
{
    (void)state;
    jh_sdl_screen s;
    open_on("dummy", &s, &kiosk);
    assert_false(SDL_GetWindowFlags(s.win) & SDL_WINDOW_FULLSCREEN);
    assert_int_equal(SDL_ShowCursor(SDL_QUERY), SDL_ENABLE);
    assert_int_equal(s.draw.w, 640);
    assert_int_equal(s.draw.h, 360);
    assert_non_null(s.draw.records);
    assert_true(s.draw.recording);
    assert_false(s.draw.solid);
    assert_string_equal(SDL_GetHint(SDL_HINT_NO_SIGNAL_HANDLERS), "1");
    jh_sdl_screen_close(&s);
    assert_all_closed(&s);
}

/* An LED board: borderless where the sending card captures, whatever fullscreen says. */
static void test_led_board_placed(void **state)
{
    (void)state;
    jh_sdl_screen s;
    jh_sdl_screen_opts led = {.title = "led", .width = 192, .height = 32, .placed = 1, .x = 10, .y = 20,
                              .fullscreen = 1, .mono = 1};
    open_on("dummy", &s, &led);
    Uint32 flags = SDL_GetWindowFlags(s.win);
    assert_true(flags & SDL_WINDOW_BORDERLESS);
    assert_false(flags & SDL_WINDOW_FULLSCREEN);
    int x, y;
    SDL_GetWindowPosition(s.win, &x, &y);
    assert_int_equal(x, 10);
    assert_int_equal(y, 20);
    assert_int_equal(s.draw.w, 192);
    assert_int_equal(s.draw.h, 32);
    assert_true(s.draw.solid);
    assert_true(s.fonts.mono);
    assert_null(s.draw.records);
    jh_sdl_screen_close(&s);
    assert_all_closed(&s);
}

/* On a display: full screen; the kiosk draws its layout size, scaled, and hides the pointer. */
static void test_kiosk_fullscreen(void **state)
{
    (void)state;
    jh_sdl_screen s;
    open_on("offscreen", &s, &kiosk);
    assert_true((SDL_GetWindowFlags(s.win) & SDL_WINDOW_FULLSCREEN_DESKTOP) == SDL_WINDOW_FULLSCREEN_DESKTOP);
    assert_int_equal(SDL_ShowCursor(SDL_QUERY), SDL_DISABLE);
    assert_int_equal(s.draw.w, 640);
    assert_int_equal(s.draw.h, 360);
    int lw, lh;
    SDL_RenderGetLogicalSize(s.ren, &lw, &lh);
    assert_int_equal(lw, 640);
    assert_int_equal(lh, 360);
    jh_sdl_screen_close(&s);
    assert_all_closed(&s);
}

/* A main board on a display: full screen, drawn at the screen's own size, pointer left alone. */
static void test_board_fullscreen(void **state)
{
    (void)state;
    jh_sdl_screen s;
    jh_sdl_screen_opts board = {.title = "board", .width = 640, .height = 360, .fullscreen = 1};
    open_on("offscreen", &s, &board);
    assert_true((SDL_GetWindowFlags(s.win) & SDL_WINDOW_FULLSCREEN_DESKTOP) == SDL_WINDOW_FULLSCREEN_DESKTOP);
    assert_int_equal(SDL_ShowCursor(SDL_QUERY), SDL_ENABLE);
    int ow, oh;
    SDL_GetRendererOutputSize(s.ren, &ow, &oh);
    assert_int_equal(s.draw.w, ow);
    assert_int_equal(s.draw.h, oh);
    jh_sdl_screen_close(&s);
    assert_all_closed(&s);
}

static void test_failures_leave_nothing_open(void **state)
{
    (void)state;
    jh_sdl_screen s;
    char err[300] = "";
    setenv("SDL_VIDEODRIVER", "no-such-driver", 1);
    assert_int_equal(jh_sdl_screen_open(&s, &kiosk, err, sizeof err), -1);
    assert_true(strncmp(err, "SDL: ", 5) == 0);
    assert_all_closed(&s);

    setenv("SDL_VIDEODRIVER", "dummy", 1);
    setenv("JH_FONT_DIR", "/nonexistent/jiaohao-fonts", 1);
    err[0] = '\0';
    assert_int_equal(jh_sdl_screen_open(&s, &kiosk, err, sizeof err), -1);
    assert_non_null(strstr(err, "font"));
    assert_all_closed(&s);
    unsetenv("JH_FONT_DIR");
}

int main(int argc, char **argv)
{
    const struct CMUnitTest headless[] = {
        cmocka_unit_test(test_kiosk_headless),
        cmocka_unit_test(test_led_board_placed),
        cmocka_unit_test(test_failures_leave_nothing_open),
    };
    const struct CMUnitTest offscreen[] = {
        cmocka_unit_test(test_kiosk_fullscreen),
        cmocka_unit_test(test_board_fullscreen),
    };
    if (argc > 1 && strcmp(argv[1], "offscreen") == 0)
        return cmocka_run_group_tests(offscreen, NULL, NULL);
    return cmocka_run_group_tests(headless, NULL, NULL);
}
