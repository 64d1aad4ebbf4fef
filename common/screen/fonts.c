/* SPDX-License-Identifier: MIT */
/*
 * fonts — CJK font discovery and per-size cache (see fonts.h).
 */
#include "fonts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    const char *family;
    const char *regular;
    const char *bold;  /* NULL: synthesise */
    int index;
} candidate;

/* Noto first: the best hinting and a true bold; WenQuanYi when Noto is not installed. */
static const candidate candidates[] = {
    {"Noto Sans CJK SC", "opentype/noto/NotoSansCJK-Regular.ttc", "opentype/noto/NotoSansCJK-Bold.ttc", 2},
    {"WenQuanYi Micro Hei", "truetype/wqy/wqy-microhei.ttc", NULL, 0},
};

static int exists(const char *path)
{
    return access(path, R_OK) == 0;
}

/* "dir/file": with JH_FONT_DIR the file's base name is looked up there. */
static void font_path(char *out, size_t len, const char *rel)
{
    const char *dir = getenv("JH_FONT_DIR");
    if (dir && *dir) {
        const char *base = strrchr(rel, '/');
        snprintf(out, len, "%s/%s", dir, base ? base + 1 : rel);
    } else {
        snprintf(out, len, "/usr/share/fonts/%s", rel);
    }
}

int jh_fonts_open(jh_fonts *f, int mono, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    f->mono = mono;
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
        const candidate *c = &candidates[i];
        font_path(f->path[JH_FONT_REGULAR], sizeof f->path[0], c->regular);
        if (!exists(f->path[JH_FONT_REGULAR]))
            continue;
        f->index[JH_FONT_REGULAR] = f->index[JH_FONT_BOLD] = c->index;
        if (c->bold) {
            font_path(f->path[JH_FONT_BOLD], sizeof f->path[0], c->bold);
            f->synth_bold = !exists(f->path[JH_FONT_BOLD]);
        } else {
            f->synth_bold = 1;
        }
        if (f->synth_bold)
            memcpy(f->path[JH_FONT_BOLD], f->path[JH_FONT_REGULAR], sizeof f->path[0]);
        f->family = c->family;
        return 0;
    }
    snprintf(err, errlen, "no CJK font found: install fonts-noto-cjk or fonts-wqy-microhei");
    return -1;
}

TTF_Font *jh_fonts_get(jh_fonts *f, jh_font_weight w, int px)
{
    if (px < 6)
        px = 6;
    if (px > 400)
        px = 400;
    for (int i = 0; i < f->n_slots; i++)
        if (f->slots[i].weight == (int)w && f->slots[i].px == px)
            return f->slots[i].font;
    if (f->n_slots == JH_FONTS_MAX_SIZES) /* layouts use a handful of sizes; reuse the oldest */
        jh_fonts_close(f);
    TTF_Font *font = TTF_OpenFontIndex(f->path[w], px, f->index[w]);
    if (!font)
        return NULL;
    if (w == JH_FONT_BOLD && f->synth_bold)
        TTF_SetFontStyle(font, TTF_STYLE_BOLD);
    if (f->mono)
        TTF_SetFontHinting(font, TTF_HINTING_MONO);
    f->slots[f->n_slots++] = (jh_font_slot){(int)w, px, font};
    return font;
}

void jh_fonts_close(jh_fonts *f)
{
    for (int i = 0; i < f->n_slots; i++)
        TTF_CloseFont(f->slots[i].font);
    f->n_slots = 0;
}
