/* SPDX-License-Identifier: MIT */
/*
 * kiosk_window — the kiosk's use of its SDL screen (common/screen/sdl_screen.h opens
 * and closes it): drawing, taps and screenshots (see kiosk_window.h).
 */
#include "kiosk_window.h"

#include <SDL2/SDL.h>
#include <stdio.h>
#include <stdlib.h>

#include "kiosk_ui.h"
#include "screenshot.h"
#include "sdl_screen.h"

struct jh_kiosk_window {
    jh_sdl_screen s;
};

jh_kiosk_window *jh_kwin_open(const jh_kiosk_config_screen *ks, const char *title, int record, char *err,
                              size_t errlen)
{
    jh_kiosk_window *w = calloc(1, sizeof *w);
    if (!w)
        return snprintf(err, errlen, "out of memory"), NULL;
    /* own_signals: SIGINT/SIGTERM are the kiosk's own (kiosk_main.c): SDL must
     * not turn them into a quit event of its own, nor anything else end the
     * kiosk. logical_size: the layout is made for the configured size; SDL
     * scales it to the panel and maps taps back. */
    jh_sdl_screen_opts so = {.title = title, .width = ks->width, .height = ks->height,
                             .fullscreen = ks->fullscreen, .hide_cursor = 1, .logical_size = 1,
                             .record = record, .own_signals = 1};
    if (jh_sdl_screen_open(&w->s, &so, err, errlen) < 0) {
        free(w);
        return NULL;
    }
    SDL_StopTextInput(); /* no on-screen keyboard or input method to type into */
    return w;
}

void jh_kwin_close(jh_kiosk_window *w)
{
    if (!w)
        return;
    jh_sdl_screen_close(&w->s);
    free(w);
}

void jh_kwin_draw(jh_kiosk_window *w, const jh_ui_view *v, jh_ui_buttons *b) { jh_ui_draw(&w->s.draw, v, b); }

void jh_kwin_present(jh_kiosk_window *w) { SDL_RenderPresent(w->s.ren); }

int jh_kwin_next_tap(jh_kiosk_window *w, int *x, int *y)
{
    SDL_Event e;
    (void)w;
    while (SDL_PollEvent(&e)) {
        /* No way out from the screen: a window close request (Alt-F4, a
         * desktop's close button), keys and every other input are ignored; the
         * kiosk ends only on SIGTERM/SIGINT from its service manager. */
        if (e.type == SDL_MOUSEBUTTONDOWN && e.button.button == SDL_BUTTON_LEFT) {
            *x = e.button.x; /* touch panels arrive as mouse events too (SDL synthesises them) */
            *y = e.button.y;
            return 1;
        }
    }
    return 0;
}

int jh_kwin_save(jh_kiosk_window *w, const char *png, const char *json, const char *mode, char *err,
                 size_t errlen)
{
    int pw = 0, ph = 0;
    SDL_GetRendererOutputSize(w->s.ren, &pw, &ph);
    if (jh_screenshot_png(w->s.ren, pw, ph, png, err, errlen) < 0)
        return -1;
    if (!json)
        return 0;
    char *text = w->s.draw.recording ? jh_draw_record_json(&w->s.draw, mode) : NULL;
    FILE *f = text ? fopen(json, "w") : NULL;
    int ok = f && fputs(text, f) >= 0;
    ok = (f && fclose(f) == 0) && ok;
    free(text);
    return ok ? 0 : (snprintf(err, errlen, "cannot write %s", json), -1);
}

const char *jh_kwin_font_family(const jh_kiosk_window *w) { return w->s.fonts.family; }
