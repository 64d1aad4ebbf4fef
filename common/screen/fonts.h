/* SPDX-License-Identifier: MIT */
/*
 * fonts — the CJK faces the boards draw with, opened once per pixel size.
 *
 * Owns: finding the font files (Noto Sans CJK SC, face 2 of the Debian .ttc,
 * regular and bold; else WenQuanYi Micro Hei face 0 with synthetic bold — see
 * assets/fonts.txt) and keeping one TTF_Font per (weight, size). LED boards ask
 * for mono hinting so glyphs snap to whole pixels. JH_FONT_DIR in the
 * environment points at another folder holding the same file names.
 */
#ifndef JH_FONTS_H
#define JH_FONTS_H

#include <SDL2/SDL_ttf.h>
#include <stddef.h>

#define JH_FONTS_MAX_SIZES 64

typedef enum { JH_FONT_REGULAR = 0, JH_FONT_BOLD = 1 } jh_font_weight;

typedef struct {
    int weight;
    int px;
    TTF_Font *font;
} jh_font_slot;

typedef struct {
    char path[2][1024];     /* by jh_font_weight */
    int index[2];
    int synth_bold;         /* no bold file: TTF_STYLE_BOLD on the regular face */
    int mono;               /* LED: monochrome hinting */
    const char *family;     /* what was found, for logs */
    jh_font_slot slots[JH_FONTS_MAX_SIZES];
    int n_slots;
} jh_fonts;

/* Finds the font files (TTF_Init must have run). -1 with err when none is installed. */
int jh_fonts_open(jh_fonts *f, int mono, char *err, size_t errlen);

/* The face at `px` pixels; NULL when it cannot be opened. Sizes are clamped to 6..400. */
TTF_Font *jh_fonts_get(jh_fonts *f, jh_font_weight w, int px);

void jh_fonts_close(jh_fonts *f);

#endif
