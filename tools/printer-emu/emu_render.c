/* SPDX-License-Identifier: MIT */
/*
 * emu_render — see emu_render.h.
 *
 * Each span is first drawn at size 1 on a grid of 12×24 / 24×24 cells, then
 * stretched by whole multiples (nearest neighbour), which is how GS ! enlarges
 * the printer's bitmap font: big numbers come out blocky, as on real paper.
 */
#include "emu_render.h"

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CELL_W 12      /* dots of a half-width character */
#define CELL_H 24
#define BASELINE 20    /* dots from the cell top */
#define LINE_GAP 10    /* 1/6 inch line pitch ≈ 34 dots at size 1 */
#define BORDER 14      /* grey table around the paper in the picture */
#define TOP_DOTS 24
#define BOTTOM_DOTS 48

struct jh_emu_renderer {
    TTF_Font *font;
    int columns;
    int paper_dots; /* whole paper width; the printable area is centred */
};

static const struct {
    const char *path;
    int face;
} g_fonts[] = {
    {"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2}, /* face 2: Simplified Chinese */
    {"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0},
};

int jh_emu_renderer_open(jh_emu_renderer **out, int columns, const char *font_path, char *err, size_t errlen)
{
    *out = NULL;
    if (TTF_Init() != 0 || !(IMG_Init(IMG_INIT_PNG) & IMG_INIT_PNG)) {
        snprintf(err, errlen, "SDL_ttf/SDL_image: %s", SDL_GetError());
        return -1;
    }
    jh_emu_renderer *r = calloc(1, sizeof *r);
    if (!r)
        return snprintf(err, errlen, "out of memory"), -1;
    r->columns = columns;
    r->paper_dots = columns <= 32 ? 464 : 640; /* 58 / 80 mm at 8 dots per mm */
    if (font_path)
        r->font = TTF_OpenFontIndex(font_path, 22, 0);
    for (size_t i = 0; !font_path && !r->font && i < sizeof g_fonts / sizeof g_fonts[0]; i++)
        r->font = TTF_OpenFontIndex(g_fonts[i].path, 22, g_fonts[i].face);
    if (!r->font) {
        snprintf(err, errlen, "no CJK font (%s): install fonts-noto-cjk or fonts-wqy-microhei", TTF_GetError());
        free(r);
        return -1;
    }
    *out = r;
    return 0;
}

void jh_emu_renderer_close(jh_emu_renderer *r)
{
    if (!r)
        return;
    TTF_CloseFont(r->font);
    free(r);
    IMG_Quit();
    TTF_Quit();
}

/* ---- geometry ---- */

static size_t utf8_len(unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

static int span_cols(const jh_emu_span *s)
{
    int cols = 0;
    for (const unsigned char *p = (const unsigned char *)(s->text ? s->text : ""); *p; p += utf8_len(*p))
        cols += *p < 0x80 ? 1 : 2;
    return cols;
}

static int qr_dots(const jh_emu_line *l, QRcode **q)
{
    static const QRecLevel lv[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H};
    *q = QRcode_encodeString(l->qr, 0, lv[(l->qr_ec - 48) & 3], QR_MODE_8, 1);
    return *q ? (*q)->width * l->qr_module : 0;
}

static int line_height(const jh_emu_line *l)
{
    if (l->kind == JH_EMU_LINE_QR) {
        QRcode *q;
        int d = qr_dots(l, &q);
        QRcode_free(q);
        return d + 16;
    }
    return l->h * CELL_H + LINE_GAP;
}

static int line_width(const jh_emu_line *l)
{
    int w = 0;
    for (size_t i = 0; i < l->n_spans; i++)
        w += span_cols(&l->spans[i]) * CELL_W * l->spans[i].w;
    return w;
}

static int x_for(const jh_emu_renderer *r, int align, int width)
{
    int printable = r->columns * CELL_W;
    int x = align == 1 ? (printable - width) / 2 : align == 2 ? printable - width : 0;
    return (r->paper_dots - printable) / 2 + BORDER + (x > 0 ? x : 0);
}

/* ---- drawing ---- */

static void glyph(jh_emu_renderer *r, SDL_Surface *dst, const char *ch, int x, int cols, int bold, SDL_Color ink)
{
    SDL_Surface *g = TTF_RenderUTF8_Blended(r->font, ch, ink);
    if (!g)
        return;
    int cw = cols * CELL_W;
    int gw = g->w < cw ? g->w : cw; /* squeeze wide Latin glyphs into their cell, like a printer font */
    SDL_Rect to = {x + (cw - gw) / 2, BASELINE - TTF_FontAscent(r->font), gw, g->h};
    for (int k = 0; k <= bold; k++) {
        SDL_Rect t = to;
        t.x += k;
        SDL_BlitScaled(g, NULL, dst, &t);
    }
    SDL_FreeSurface(g);
}

/* One span at size 1, then stretched onto the ticket at (x, bottom - height). */
static int draw_span(jh_emu_renderer *r, SDL_Surface *img, const jh_emu_span *s, int x, int bottom)
{
    int cols = span_cols(s);
    if (cols == 0)
        return 0;
    SDL_Surface *base = SDL_CreateRGBSurfaceWithFormat(0, cols * CELL_W, CELL_H, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!base)
        return 0;
    SDL_Color ink = s->reverse ? (SDL_Color){255, 255, 255, 255} : (SDL_Color){0, 0, 0, 255};
    SDL_FillRect(base, NULL, s->reverse ? SDL_MapRGB(base->format, 0, 0, 0) : SDL_MapRGB(base->format, 255, 255, 255));
    int cx = 0;
    for (const unsigned char *p = (const unsigned char *)s->text; *p;) {
        size_t n = utf8_len(*p);
        char ch[5] = {0};
        memcpy(ch, p, n);
        int w = *p < 0x80 ? 1 : 2;
        glyph(r, base, ch, cx, w, s->bold, ink);
        cx += w * CELL_W;
        p += n;
    }
    SDL_Rect to = {x, bottom - CELL_H * s->h, cols * CELL_W * s->w, CELL_H * s->h};
    SDL_BlitScaled(base, NULL, img, &to);
    SDL_FreeSurface(base);
    return to.w;
}

static void draw_qr(jh_emu_renderer *r, SDL_Surface *img, const jh_emu_line *l, int top)
{
    QRcode *q;
    int d = qr_dots(l, &q);
    if (!q)
        return;
    int x0 = x_for(r, l->align, d), m = l->qr_module;
    Uint32 black = SDL_MapRGB(img->format, 0, 0, 0);
    for (int y = 0; y < q->width; y++)
        for (int x = 0; x < q->width; x++)
            if (q->data[y * q->width + x] & 1) {
                SDL_Rect px = {x0 + x * m, top + 8 + y * m, m, m};
                SDL_FillRect(img, &px, black);
            }
    QRcode_free(q);
}

static void draw_line(jh_emu_renderer *r, SDL_Surface *img, const jh_emu_line *l, int top)
{
    if (l->kind == JH_EMU_LINE_QR)
        return draw_qr(r, img, l, top);
    int x = x_for(r, l->align, line_width(l)), bottom = top + l->h * CELL_H;
    for (size_t i = 0; i < l->n_spans; i++)
        x += draw_span(r, img, &l->spans[i], x, bottom);
}

int jh_emu_render_png(jh_emu_renderer *r, const jh_emu_ticket *t, const char *path, char *err, size_t errlen)
{
    int height = TOP_DOTS + BOTTOM_DOTS;
    for (size_t i = 0; i < t->n_lines; i++)
        height += line_height(&t->lines[i]);
    SDL_Surface *img = SDL_CreateRGBSurfaceWithFormat(0, r->paper_dots + 2 * BORDER, height + 2 * BORDER, 32,
                                                      SDL_PIXELFORMAT_ARGB8888);
    if (!img)
        return snprintf(err, errlen, "render: %s", SDL_GetError()), -1;
    SDL_FillRect(img, NULL, SDL_MapRGB(img->format, 0xC8, 0xCC, 0xD0));
    SDL_Rect paper = {BORDER, BORDER, r->paper_dots, height};
    SDL_FillRect(img, &paper, SDL_MapRGB(img->format, 0xFF, 0xFF, 0xFF));
    int y = BORDER + TOP_DOTS;
    for (size_t i = 0; i < t->n_lines; i++) {
        draw_line(r, img, &t->lines[i], y);
        y += line_height(&t->lines[i]);
    }
    int rc = IMG_SavePNG(img, path) == 0 ? 0 : (snprintf(err, errlen, "%s: %s", path, IMG_GetError()), -1);
    SDL_FreeSurface(img);
    return rc;
}
