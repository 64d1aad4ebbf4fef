/* SPDX-License-Identifier: MIT */
/*
 * text_cache — every piece of text on a board, rasterised once.
 *
 * Owns: the textures of rendered strings, keyed by (string, weight, pixel
 * size, colour, solid/blended). SDL_ttf's own glyph cache thrashes on CJK (256
 * slots keyed by glyph index & 0xff), and a large CJK string costs ~13 ms to
 * render cold, so a frame must only blit. Entries unused for a while are
 * evicted least-recently-used when the cache is full (the clock makes a new
 * string every second). The stats let tests and the bench prove that a steady
 * frame rasterises nothing.
 */
#ifndef JH_TEXT_CACHE_H
#define JH_TEXT_CACHE_H

#include <SDL2/SDL.h>
#include <stdint.h>

#include "fonts.h"

typedef struct {
    SDL_Texture *tex;
    int w, h;
} jh_text;

typedef struct {
    uint64_t hits;
    uint64_t misses;      /* strings rasterised */
    uint64_t evictions;
    int entries;
} jh_text_stats;

typedef struct jh_text_cache jh_text_cache;

jh_text_cache *jh_text_cache_new(SDL_Renderer *r, jh_fonts *fonts, int capacity);
void jh_text_cache_free(jh_text_cache *c);

/*
 * The texture for `s`; NULL for an empty string or when rendering fails.
 * rgb is 0xRRGGBB; solid = unsmoothed glyphs (LED boards).
 */
const jh_text *jh_text_get(jh_text_cache *c, const char *s, jh_font_weight w, int px,
                           uint32_t rgb, int solid);

jh_text_stats jh_text_cache_stats(const jh_text_cache *c);

#endif
