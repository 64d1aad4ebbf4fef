/* SPDX-License-Identifier: MIT */
/*
 * sdl_screen — one program's SDL screen, from SDL_Init to SDL_Quit.
 *
 * Owns: starting SDL (video, and audio when asked), SDL_ttf and SDL_image;
 * the window and its renderer (accelerated with vsync, else software: the
 * dummy driver's case); the font faces, the text cache and the jh_draw the
 * layouts draw through; and closing all of it in reverse order. The boards
 * (app.c) and the kiosk (kiosk/kiosk_window.c) open their screen here and
 * pass what differs between them in jh_sdl_screen_opts; what they do with
 * the screen afterwards (events, frames, screenshots) stays theirs.
 */
#ifndef JH_SDL_SCREEN_H
#define JH_SDL_SCREEN_H

#include <SDL2/SDL.h>
#include <stddef.h>

#include "draw.h"
#include "fonts.h"
#include "text_cache.h"

typedef struct {
    const char *title;
    int width, height;        /* the configured size: the window's, or the layout's with logical_size */
    int placed;               /* borderless at x,y: an LED sending card captures that rectangle */
    int x, y;
    int fullscreen;           /* full screen on a real display; headless (dummy) keeps width x height */
    int hide_cursor;          /* with fullscreen: a touch panel in a hall has no pointer to chase */
    int logical_size;         /* draw in width x height whatever the panel; SDL scales (and maps taps back) */
    int mono;                 /* LED: monochrome font hinting and unsmoothed text */
    int audio;                /* start SDL's audio subsystem too */
    int record;               /* keep the frame's layout record (draw.h) */
    int own_signals;          /* SIGINT/SIGTERM are the program's: SDL installs no handlers */
} jh_sdl_screen_opts;

typedef struct {
    SDL_Window *win;
    SDL_Renderer *ren;
    jh_fonts fonts;
    jh_text_cache *text;
    jh_draw draw;             /* what the layouts draw with; draw.w x draw.h is the frame */
    int sdl_up, ttf_up, img_up;
} jh_sdl_screen;

/*
 * Opens everything into *s (zeroed first). 0, or -1 with one line in err and
 * nothing left open: *s is then zero again.
 */
int jh_sdl_screen_open(jh_sdl_screen *s, const jh_sdl_screen_opts *o, char *err, size_t errlen);

/* Closes what is open (a zeroed screen is fine) and zeroes *s. */
void jh_sdl_screen_close(jh_sdl_screen *s);

#endif
