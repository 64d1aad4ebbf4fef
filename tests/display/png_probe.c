/* SPDX-License-Identifier: MIT */
/*
 * png_probe — looks at a board screenshot the way a person would, for the display tests.
 *
 * Owns nothing of the display; it only reads PNGs. Subcommands:
 *   png_probe text FILE X Y W H PX BOLD SOLID TEXT [MIN [VX VY VW VH]]
 *       renders TEXT itself with the boards' font (fonts.c) at PX, and compares
 *       its glyph shape with the pixels of FILE in the rectangle: foreground =
 *       pixels further than half the text's contrast from the rectangle's most
 *       common colour. Prints the overlap (intersection over union, 0..1) of
 *       the whole text and of its worst digit-wide slice; exit 0 when both are
 *       >= MIN (0.8). One wrong character in the place scores far lower.
 *       VX.. is the visible part when the text was clipped or is scrolling.
 *   png_probe ink FILE X Y W H      fraction of pixels unlike the region's background
 *   png_probe color FILE X Y        the pixel's colour as #rrggbb
 *   png_probe scale FILE OUT N      nearest-neighbour enlargement (to look at LED shots)
 */
#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fonts.h"

static SDL_Surface *load(const char *path)
{
    SDL_Surface *raw = IMG_Load(path);
    if (!raw) {
        fprintf(stderr, "png_probe: %s: %s\n", path, IMG_GetError());
        exit(2);
    }
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    return s;
}

static Uint32 px(SDL_Surface *s, int x, int y)
{
    return ((Uint32 *)((Uint8 *)s->pixels + y * s->pitch))[x] & 0xFFFFFF;
}

static int dist(Uint32 a, Uint32 b)
{
    int d = 0;
    for (int sh = 0; sh < 24; sh += 8) {
        int x = (int)((a >> sh) & 0xFF) - (int)((b >> sh) & 0xFF);
        d += x < 0 ? -x : x;
    }
    return d;
}

/* The most common colour of the region (its background), by a small hash count. */
static Uint32 background(SDL_Surface *s, SDL_Rect r)
{
    enum { N = 4096 };
    static Uint32 key[N];
    static int count[N];
    memset(count, 0, sizeof count);
    Uint32 best = 0;
    int best_n = -1;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) {
            Uint32 c = px(s, x, y), h = (c * 2654435761u) >> 20;
            while (count[h % N] && key[h % N] != c)
                h++;
            key[h % N] = c;
            if (++count[h % N] > best_n) {
                best_n = count[h % N];
                best = c;
            }
        }
    return best;
}

static SDL_Rect clip_to(SDL_Surface *s, SDL_Rect r)
{
    SDL_Rect all = {0, 0, s->w, s->h}, out;
    if (!SDL_IntersectRect(&r, &all, &out)) {
        fprintf(stderr, "png_probe: rectangle outside the %dx%d image\n", s->w, s->h);
        exit(1);
    }
    return out;
}

static int glyph_at(SDL_Surface *g, int x, int y)
{
    return x >= 0 && y >= 0 && x < g->w && y < g->h &&
           (((Uint32 *)((Uint8 *)g->pixels + y * g->pitch))[x] >> 24) >= 128;
}

static int in_rect(SDL_Rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

static int cmd_ink(char **a)
{
    SDL_Surface *s = load(a[0]);
    SDL_Rect r = clip_to(s, (SDL_Rect){atoi(a[1]), atoi(a[2]), atoi(a[3]), atoi(a[4])});
    Uint32 bg = background(s, r);
    long ink = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++)
            ink += dist(px(s, x, y), bg) > 60;
    printf("%.4f\n", (double)ink / ((double)r.w * r.h));
    SDL_FreeSurface(s);
    return 0;
}

static int cmd_text(char **a, int n)
{
    SDL_Surface *s = load(a[0]);
    SDL_Rect want = {atoi(a[1]), atoi(a[2]), atoi(a[3]), atoi(a[4])};
    int size = atoi(a[5]), bold = atoi(a[6]), solid = atoi(a[7]);
    double min = n > 9 ? atof(a[9]) : 0.8;
    jh_fonts fonts;
    char err[256];
    if (TTF_Init() != 0 || jh_fonts_open(&fonts, solid, err, sizeof err) < 0) {
        fprintf(stderr, "png_probe: fonts: %s\n", err);
        return 2;
    }
    TTF_Font *f = jh_fonts_get(&fonts, bold ? JH_FONT_BOLD : JH_FONT_REGULAR, size);
    SDL_Color white = {255, 255, 255, 255};
    SDL_Surface *g0 = f ? (solid ? TTF_RenderUTF8_Solid(f, a[8], white) : TTF_RenderUTF8_Blended(f, a[8], white)) : NULL;
    SDL_Surface *g = g0 ? SDL_ConvertSurfaceFormat(g0, SDL_PIXELFORMAT_ARGB8888, 0) : NULL;
    if (!g) {
        fprintf(stderr, "png_probe: cannot render '%s'\n", a[8]);
        return 2;
    }
    SDL_Rect vis = n > 13 ? (SDL_Rect){atoi(a[10]), atoi(a[11]), atoi(a[12]), atoi(a[13])} : want;
    SDL_Rect r = clip_to(s, vis);
    Uint32 bg = background(s, r);
    /* compare only around the glyphs' ink: the text's line box may overlap other drawing */
    int bx0 = g->w, by0 = g->h, bx1 = -1, by1 = -1;
    for (int y = 0; y < g->h; y++)
        for (int x = 0; x < g->w; x++)
            if (glyph_at(g, x, y)) {
                bx0 = x < bx0 ? x : bx0; bx1 = x > bx1 ? x : bx1;
                by0 = y < by0 ? y : by0; by1 = y > by1 ? y : by1;
            }
    bx0 -= 3; by0 -= 3; bx1 += 3; by1 += 3;
    /* only what can be seen: a scrolling text is compared on its visible part */
    bx0 = bx0 > r.x - want.x ? bx0 : r.x - want.x;
    by0 = by0 > r.y - want.y ? by0 : r.y - want.y;
    bx1 = bx1 < r.x + r.w - 1 - want.x ? bx1 : r.x + r.w - 1 - want.x;
    by1 = by1 < r.y + r.h - 1 - want.y ? by1 : r.y + r.h - 1 - want.y;
    if (bx1 < bx0 || by1 < by0) {
        printf("0 0\n");
        return 1;
    }
    int maxd = 0; /* the text's own contrast: half of it matches the glyph's 50 % alpha edge */
    for (int y = by0; y <= by1; y++)
        for (int x = bx0; x <= bx1; x++)
            if (in_rect(r, want.x + x, want.y + y))
                maxd = dist(px(s, want.x + x, want.y + y), bg) > maxd ? dist(px(s, want.x + x, want.y + y), bg) : maxd;
    int thr = maxd / 2 > 30 ? maxd / 2 : 30;
    /* overall overlap, and the worst overlap in any slice about one digit wide, so a
     * single wrong character in a long line is caught too */
    int slice = size / 2 > 4 ? size / 2 : 4, nslices = (bx1 - bx0) / slice + 1;
    long both = 0, either = 0, *sb = calloc((size_t)nslices, sizeof *sb), *se = calloc((size_t)nslices, sizeof *se);
    for (int y = by0; y <= by1; y++)
        for (int x = bx0; x <= bx1; x++) {
            int sx = want.x + x, sy = want.y + y;
            int fg = in_rect(r, sx, sy) && x >= 0 && y >= 0 && x < want.w && y < want.h &&
                     dist(px(s, sx, sy), bg) > thr;
            int gl = glyph_at(g, x, y), k = (x - bx0) / slice;
            both += fg && gl;
            either += fg || gl;
            sb[k] += fg && gl;
            se[k] += fg || gl;
        }
    double worst = 1.0;
    for (int k = 0; k < nslices; k++)
        if (se[k] > 0 && (double)sb[k] / (double)se[k] < worst)
            worst = (double)sb[k] / (double)se[k];
    free(sb);
    free(se);
    double score = either ? (double)both / (double)either : 0.0;
    printf("%.4f %.4f\n", score, worst);
    score = worst < score ? worst : score;
    SDL_FreeSurface(g);
    SDL_FreeSurface(g0);
    jh_fonts_close(&fonts);
    TTF_Quit();
    SDL_FreeSurface(s);
    return score >= min ? 0 : 1;
}

static int cmd_color(char **a)
{
    SDL_Surface *s = load(a[0]);
    SDL_Rect r = clip_to(s, (SDL_Rect){atoi(a[1]), atoi(a[2]), 1, 1});
    printf("#%06x\n", px(s, r.x, r.y));
    SDL_FreeSurface(s);
    return 0;
}

static int cmd_scale(char **a)
{
    SDL_Surface *s = load(a[0]);
    int k = atoi(a[2]);
    if (k < 1 || k > 16)
        return 2;
    SDL_Surface *o = SDL_CreateRGBSurfaceWithFormat(0, s->w * k, s->h * k, 32, SDL_PIXELFORMAT_ARGB8888);
    for (int y = 0; y < o->h; y++)
        for (int x = 0; x < o->w; x++)
            ((Uint32 *)((Uint8 *)o->pixels + y * o->pitch))[x] = 0xFF000000 | px(s, x / k, y / k);
    int rc = IMG_SavePNG(o, a[1]) == 0 ? 0 : 2;
    SDL_FreeSurface(o);
    SDL_FreeSurface(s);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 7 && strcmp(argv[1], "ink") == 0)
        return cmd_ink(argv + 2);
    if ((argc == 11 || argc == 12 || argc == 16) && strcmp(argv[1], "text") == 0)
        return cmd_text(argv + 2, argc - 2);
    if (argc >= 5 && strcmp(argv[1], "color") == 0)
        return cmd_color(argv + 2);
    if (argc >= 5 && strcmp(argv[1], "scale") == 0)
        return cmd_scale(argv + 2);
    fprintf(stderr, "usage: png_probe text FILE X Y W H PX BOLD SOLID TEXT [MIN] | ink FILE X Y W H |"
                    " color FILE X Y | scale FILE OUT N\n");
    return 2;
}
