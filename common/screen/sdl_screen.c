/* SPDX-License-Identifier: MIT */
/*
 * sdl_screen — SDL, SDL_ttf, SDL_image, window, renderer, fonts and text
 * cache opened and closed in one place (see sdl_screen.h).
 */
#include "sdl_screen.h"

#include <SDL2/SDL_image.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_CACHE_SIZE 1024

static int open_window(jh_sdl_screen *s, const jh_sdl_screen_opts *o, char *err, size_t errlen)
{
    Uint32 flags = SDL_WINDOW_SHOWN;
    int x = SDL_WINDOWPOS_CENTERED, y = SDL_WINDOWPOS_CENTERED;
    if (o->placed) {
        flags |= SDL_WINDOW_BORDERLESS;
        x = o->x;
        y = o->y;
    } else if (o->fullscreen && strcmp(SDL_GetCurrentVideoDriver(), "dummy") != 0) {
        /* headless (tests, screenshots) keeps the configured size */
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
        if (o->hide_cursor)
            SDL_ShowCursor(SDL_DISABLE);
    }
    s->win = SDL_CreateWindow(o->title, x, y, o->width, o->height, flags);
    if (s->win)
        s->ren = SDL_CreateRenderer(s->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (s->win && !s->ren)
        s->ren = SDL_CreateRenderer(s->win, -1, SDL_RENDERER_SOFTWARE);
    if (!s->ren) {
        snprintf(err, errlen, "window: %s", SDL_GetError());
        return -1;
    }
    if (o->logical_size) {
        SDL_RenderSetLogicalSize(s->ren, o->width, o->height);
        s->draw.w = o->width;
        s->draw.h = o->height;
    } else {
        SDL_GetRendererOutputSize(s->ren, &s->draw.w, &s->draw.h);
    }
    return 0;
}

static int fail(jh_sdl_screen *s)
{
    jh_sdl_screen_close(s);
    return -1;
}

int jh_sdl_screen_open(jh_sdl_screen *s, const jh_sdl_screen_opts *o, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    /* The hint must come before SDL_Init: SDL would otherwise turn SIGINT and
     * SIGTERM into an SDL_QUIT event of its own. */
    if (o->own_signals)
        SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (SDL_Init(SDL_INIT_VIDEO | (o->audio ? SDL_INIT_AUDIO : 0)) != 0) {
        snprintf(err, errlen, "SDL: %s", SDL_GetError());
        return -1;
    }
    s->sdl_up = 1;
    if (TTF_Init() != 0 || (s->ttf_up = 1, (IMG_Init(IMG_INIT_PNG) & IMG_INIT_PNG) == 0)) {
        snprintf(err, errlen, "SDL_ttf/SDL_image: %s", SDL_GetError());
        return fail(s);
    }
    s->img_up = 1;
    if (jh_fonts_open(&s->fonts, o->mono, err, errlen) < 0 || open_window(s, o, err, errlen) < 0)
        return fail(s);
    s->text = jh_text_cache_new(s->ren, &s->fonts, TEXT_CACHE_SIZE);
    s->draw.records = o->record ? calloc(JH_DRAW_MAX_RECORDS, sizeof *s->draw.records) : NULL;
    if (!s->text || (o->record && !s->draw.records)) {
        snprintf(err, errlen, "out of memory");
        return fail(s);
    }
    s->draw.r = s->ren;
    s->draw.text = s->text;
    s->draw.solid = o->mono != 0;
    s->draw.recording = o->record != 0;
    return 0;
}

void jh_sdl_screen_close(jh_sdl_screen *s)
{
    if (s->text)
        jh_text_cache_free(s->text);
    free(s->draw.records);
    if (s->ttf_up)
        jh_fonts_close(&s->fonts);
    if (s->ren)
        SDL_DestroyRenderer(s->ren);
    if (s->win)
        SDL_DestroyWindow(s->win);
    if (s->img_up)
        IMG_Quit();
    if (s->ttf_up)
        TTF_Quit();
    if (s->sdl_up)
        SDL_Quit();
    memset(s, 0, sizeof *s);
}
