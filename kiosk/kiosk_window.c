/*
 * kiosk_window — SDL window, fonts, text cache and screenshots (see kiosk_window.h).
 */
#include "kiosk_window.h"

#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fonts.h"
#include "kiosk_ui.h"
#include "screenshot.h"
#include "text_cache.h"

#define TEXT_CACHE_SIZE 1024

struct jh_kiosk_window {
    SDL_Window *win;
    SDL_Renderer *ren;
    jh_fonts fonts;
    jh_text_cache *text;
    jh_draw draw;
    int sdl_up, ttf_up, img_up;
};

static int open_window(jh_kiosk_window *w, const jh_kiosk_config_screen *ks, const char *title, char *err,
                       size_t errlen)
{
    Uint32 flags = SDL_WINDOW_SHOWN;
    if (ks->fullscreen && strcmp(SDL_GetCurrentVideoDriver(), "dummy") != 0) {
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        SDL_ShowCursor(SDL_DISABLE); /* a touch screen in a hall: no pointer to chase */
    }
    w->win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, ks->width, ks->height, flags);
    if (w->win)
        w->ren = SDL_CreateRenderer(w->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (w->win && !w->ren)
        w->ren = SDL_CreateRenderer(w->win, -1, SDL_RENDERER_SOFTWARE);
    if (!w->ren)
        return snprintf(err, errlen, "window: %s", SDL_GetError()), -1;
    /* the layout is made for the configured size; SDL scales it to the panel and maps taps back */
    SDL_RenderSetLogicalSize(w->ren, ks->width, ks->height);
    w->draw.w = ks->width;
    w->draw.h = ks->height;
    return 0;
}

jh_kiosk_window *jh_kwin_open(const jh_kiosk_config_screen *ks, const char *title, int record, char *err,
                              size_t errlen)
{
    jh_kiosk_window *w = calloc(1, sizeof *w);
    if (!w)
        return snprintf(err, errlen, "out of memory"), NULL;
    /* SIGINT/SIGTERM are the kiosk's own (kiosk_main.c): SDL must not turn them
     * into a quit event of its own, nor anything else end the kiosk. */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    int ok = SDL_Init(SDL_INIT_VIDEO) == 0;
    w->sdl_up = ok;
    ok = ok && TTF_Init() == 0 && (w->ttf_up = 1) && (IMG_Init(IMG_INIT_PNG) & IMG_INIT_PNG) != 0;
    w->img_up = ok;
    if (!ok) {
        snprintf(err, errlen, "SDL: %s", SDL_GetError());
    } else if (jh_fonts_open(&w->fonts, 0, err, errlen) == 0 && open_window(w, ks, title, err, errlen) == 0) {
        w->text = jh_text_cache_new(w->ren, &w->fonts, TEXT_CACHE_SIZE);
        w->draw.records = record ? calloc(JH_DRAW_MAX_RECORDS, sizeof *w->draw.records) : NULL;
        w->draw.r = w->ren;
        w->draw.text = w->text;
        w->draw.recording = record;
        SDL_StopTextInput(); /* no on-screen keyboard or input method to type into */
        if (w->text && (!record || w->draw.records))
            return w;
        snprintf(err, errlen, "out of memory");
    }
    jh_kwin_close(w);
    return NULL;
}

void jh_kwin_close(jh_kiosk_window *w)
{
    if (!w)
        return;
    if (w->text)
        jh_text_cache_free(w->text);
    free(w->draw.records);
    if (w->ttf_up)
        jh_fonts_close(&w->fonts);
    if (w->ren)
        SDL_DestroyRenderer(w->ren);
    if (w->win)
        SDL_DestroyWindow(w->win);
    if (w->img_up)
        IMG_Quit();
    if (w->ttf_up)
        TTF_Quit();
    if (w->sdl_up)
        SDL_Quit();
    free(w);
}

void jh_kwin_draw(jh_kiosk_window *w, const jh_ui_view *v, jh_ui_buttons *b) { jh_ui_draw(&w->draw, v, b); }

void jh_kwin_present(jh_kiosk_window *w) { SDL_RenderPresent(w->ren); }

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
    SDL_GetRendererOutputSize(w->ren, &pw, &ph);
    if (jh_screenshot_png(w->ren, pw, ph, png, err, errlen) < 0)
        return -1;
    if (!json)
        return 0;
    char *text = w->draw.recording ? jh_draw_record_json(&w->draw, mode) : NULL;
    FILE *f = text ? fopen(json, "w") : NULL;
    int ok = f && fputs(text, f) >= 0;
    ok = (f && fclose(f) == 0) && ok;
    free(text);
    return ok ? 0 : (snprintf(err, errlen, "cannot write %s", json), -1);
}

const char *jh_kwin_font_family(const jh_kiosk_window *w) { return w->fonts.family; }
