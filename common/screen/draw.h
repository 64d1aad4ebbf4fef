/* SPDX-License-Identifier: MIT */
/*
 * draw — the few drawing primitives the layouts are made of.
 *
 * Owns: filled and outlined rectangles, text placed by alignment inside a box
 * (shrunk step by step to fit, clipped as a last resort), and the frame's
 * "layout record": when enabled, every tagged text is remembered with its
 * string, font size and the exact rectangle its pixels went to, so tests can
 * check the pixels of a screenshot at the right place (--layout-out).
 * All text goes through text_cache; nothing here rasterises directly.
 */
#ifndef JH_DRAW_H
#define JH_DRAW_H

#include <SDL2/SDL.h>
#include <stdint.h>

#include "text_cache.h"

#define JH_DRAW_MAX_RECORDS 1024

typedef enum { JH_ALIGN_LEFT = 0, JH_ALIGN_CENTER, JH_ALIGN_RIGHT } jh_align;

typedef struct {
    char tag[64];
    char text[256];
    SDL_Rect rect;           /* the whole text */
    SDL_Rect visible;        /* the part inside its box (clipped or scrolling text) */
    int px;
    int weight;
    int solid;
    uint32_t rgb;
} jh_draw_record;

typedef struct {
    SDL_Renderer *r;
    jh_text_cache *text;
    int w, h;
    int solid;               /* LED boards: unsmoothed glyphs everywhere */
    int recording;
    jh_draw_record *records; /* JH_DRAW_MAX_RECORDS when recording */
    int n_records;
} jh_draw;

void jh_fill(jh_draw *d, SDL_Rect r, uint32_t rgb);
void jh_outline(jh_draw *d, SDL_Rect r, uint32_t rgb, int thickness);

/* Width and height `s` takes (measured on the cached texture of that colour); 0,0 when empty. */
void jh_text_size(jh_draw *d, const char *s, jh_font_weight w, int px, uint32_t rgb, int *tw,
                  int *th);

/*
 * Draws `s` inside `box`: horizontally by `align`, vertically centred. When it
 * is too wide it is drawn smaller, down to 75 % of px, then clipped to the box.
 * Returns the width drawn. `tag` (may be NULL) names it in the layout record.
 */
int jh_text_in(jh_draw *d, const char *s, jh_font_weight w, int px, uint32_t rgb, SDL_Rect box,
               jh_align align, const char *tag);

/* Draws `s` with its top-left at x,y, clipped to `clip`; for scrolling text. */
void jh_text_at(jh_draw *d, const char *s, jh_font_weight w, int px, uint32_t rgb, int x, int y,
                SDL_Rect clip, const char *tag);

/*
 * Draws `s` inside `box` at its full size: aligned when it fits, otherwise
 * moving right to left at speed_px_s (phase from t_ms), repeating with a gap,
 * so a long message stays readable instead of shrinking to nothing.
 */
void jh_text_marquee(jh_draw *d, const char *s, jh_font_weight w, int px, uint32_t rgb,
                     SDL_Rect box, jh_align align, int64_t t_ms, int speed_px_s, const char *tag);

/* Layout record as JSON ({"width":…,"height":…,"mode":…,"items":[…]}); malloc'd. */
char *jh_draw_record_json(const jh_draw *d, const char *mode);

#endif
