/* SPDX-License-Identifier: MIT */
/*
 * report_canvas — headless chart drawing on an SDL surface (see report_canvas.h).
 */
#include "report_canvas.h"

#include <SDL2/SDL_image.h>
#include <SDL2/SDL_ttf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Where things go on the canvas (pixels). */
enum { TITLE_Y = 18, TITLE_PX = 30, SUB_Y = 60, SUB_PX = 18, LEGEND_Y = 98, LEGEND_PX = 16,
       PLOT_TOP = 150, PLOT_LEFT = 96, PLOT_RIGHT = 40, PLOT_BOTTOM = 92, LABEL_PX = 15,
       MAX_GROUP_W = 96, VALUE_PX = 14 };

int jh_canvas_open(jh_canvas *c, int w, int h, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    c->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    c->ren = c->surf ? SDL_CreateSoftwareRenderer(c->surf) : NULL;
    if (!c->ren) {
        snprintf(err, errlen, "cannot create a %dx%d drawing surface: %s", w, h, SDL_GetError());
        jh_canvas_close(c);
        return -1;
    }
    if (TTF_Init() != 0) {
        snprintf(err, errlen, "cannot start SDL_ttf: %s", TTF_GetError());
        jh_canvas_close(c);
        return -1;
    }
    c->ttf_up = 1;
    if (jh_fonts_open(&c->fonts, 0, err, errlen) < 0) {
        jh_canvas_close(c);
        return -1;
    }
    c->fonts_up = 1;
    c->cache = jh_text_cache_new(c->ren, &c->fonts, 256);
    if (!c->cache) {
        snprintf(err, errlen, "out of memory");
        jh_canvas_close(c);
        return -1;
    }
    c->d = (jh_draw){.r = c->ren, .text = c->cache, .w = w, .h = h};
    SDL_SetRenderDrawBlendMode(c->ren, SDL_BLENDMODE_BLEND);
    jh_fill(&c->d, (SDL_Rect){0, 0, w, h}, JH_RGB_BG);
    return 0;
}

void jh_canvas_close(jh_canvas *c)
{
    jh_text_cache_free(c->cache);
    if (c->fonts_up)
        jh_fonts_close(&c->fonts);
    if (c->ttf_up)
        TTF_Quit();
    if (c->ren)
        SDL_DestroyRenderer(c->ren);
    SDL_FreeSurface(c->surf);
    memset(c, 0, sizeof *c);
}

int jh_canvas_save_png(jh_canvas *c, const char *path, char *err, size_t errlen)
{
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp.png", path);
    SDL_RenderFlush(c->ren); /* the renderer batches: make it draw into the surface now */
    if (IMG_SavePNG(c->surf, tmp) != 0 || rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, IMG_GetError());
        remove(tmp);
        return -1;
    }
    return 0;
}

/* ---- plot ---- */

/* 1, 2 or 5 × 10^k: a step that gives about `ticks` grid lines up to max. */
static double nice_step(double max, int ticks)
{
    double raw = max / ticks, mag = pow(10, floor(log10(raw))), f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

static int y_px(const jh_plot *p, double v)
{
    double f = v / p->y_max;
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    return p->area.y + p->area.h - (int)lround(f * p->area.h);
}

static void titles(jh_canvas *c, const jh_plot_text *t)
{
    int w = c->d.w;
    jh_text_in(&c->d, t->title, JH_FONT_BOLD, TITLE_PX, JH_RGB_TEXT,
               (SDL_Rect){PLOT_LEFT - 60, TITLE_Y, w - PLOT_LEFT, TITLE_PX + 12}, JH_ALIGN_LEFT, "title");
    jh_text_in(&c->d, t->subtitle, JH_FONT_REGULAR, SUB_PX, JH_RGB_MUTED,
               (SDL_Rect){PLOT_LEFT - 60, SUB_Y, w - PLOT_LEFT, SUB_PX + 10}, JH_ALIGN_LEFT, "subtitle");
}

static void y_grid(jh_canvas *c, const jh_plot *p, double step, const jh_plot_text *t)
{
    char label[32];
    for (double v = 0; v <= p->y_max * (1 + 1e-9); v += step) {
        int y = y_px(p, v);
        jh_fill(&c->d, (SDL_Rect){p->area.x, y, p->area.w, 1}, v == 0 ? JH_RGB_AXIS : JH_RGB_GRID);
        snprintf(label, sizeof label, step < 1 ? "%.1f%s" : "%.0f%s", v, t->y_suffix);
        jh_text_in(&c->d, label, JH_FONT_REGULAR, LABEL_PX, JH_RGB_MUTED,
                   (SDL_Rect){0, y - 12, p->area.x - 10, 24}, JH_ALIGN_RIGHT, NULL);
    }
    jh_text_in(&c->d, t->y_title, JH_FONT_REGULAR, LABEL_PX, JH_RGB_MUTED,
               (SDL_Rect){PLOT_LEFT - 60, p->area.y - 34, 400, 22}, JH_ALIGN_LEFT, "y-title");
}

static void x_labels(jh_canvas *c, const jh_plot *p, int n, const char *const *labels,
                     const char *title)
{
    int sw = p->area.w / p->n, below = p->area.y + p->area.h;
    for (int i = 0; i < n; i++)
        jh_text_in(&c->d, labels[i], JH_FONT_REGULAR, LABEL_PX, JH_RGB_TEXT,
                   (SDL_Rect){p->area.x + i * sw, below + 8, sw, 24}, JH_ALIGN_CENTER, NULL);
    jh_text_in(&c->d, title, JH_FONT_REGULAR, LABEL_PX, JH_RGB_MUTED,
               (SDL_Rect){p->area.x, below + 44, p->area.w, 24}, JH_ALIGN_CENTER, "x-title");
}

void jh_plot_begin(jh_canvas *c, jh_plot *p, const jh_plot_text *t, double data_max, double y_fixed,
                   int n, const char *const *labels)
{
    double step = nice_step(data_max > 0 ? data_max : 1, 5);
    p->area = (SDL_Rect){PLOT_LEFT, PLOT_TOP, c->d.w - PLOT_LEFT - PLOT_RIGHT,
                         c->d.h - PLOT_TOP - PLOT_BOTTOM};
    p->n = n > 0 ? n : 1;
    p->y_max = y_fixed > 0 ? y_fixed : ceil((data_max > 0 ? data_max : 1) * 1.08 / step) * step;
    titles(c, t);
    y_grid(c, p, step, t);
    x_labels(c, p, n, labels, t->x_title);
}

static SDL_Rect bar_slot(const jh_plot *p, int slot, int k, int of)
{
    int sw = p->area.w / p->n, group = sw * 72 / 100, bw;
    group = group > MAX_GROUP_W ? MAX_GROUP_W : group; /* few slots: bars, not walls */
    bw = group / (of > 0 ? of : 1);
    return (SDL_Rect){p->area.x + slot * sw + (sw - group) / 2 + k * bw, 0, bw - (of > 1 ? 2 : 0), 0};
}

SDL_Rect jh_plot_bar(jh_canvas *c, const jh_plot *p, int slot, int k, int of, double value, uint32_t rgb)
{
    SDL_Rect r = bar_slot(p, slot, k, of);
    int base = y_px(p, 0), top = y_px(p, value);
    r.y = top;
    r.h = base - top;
    if (r.h > 0)
        jh_fill(&c->d, r, rgb);
    return r;
}

void jh_plot_mark(jh_canvas *c, const jh_plot *p, int slot, int k, int of, double from, double value,
                  uint32_t rgb)
{
    SDL_Rect r = bar_slot(p, slot, k, of);
    int y = y_px(p, value), y0 = y_px(p, from);
    if (y0 > y) /* a whisker from the bar's top up to the mark */
        jh_fill(&c->d, (SDL_Rect){r.x + r.w / 2 - 1, y, 2, y0 - y}, rgb);
    jh_fill(&c->d, (SDL_Rect){r.x + r.w / 4, y - 2, r.w - r.w / 2, 4}, rgb);
}

void jh_plot_label_above(jh_canvas *c, SDL_Rect rect, const char *text, uint32_t rgb)
{
    int tw, th;
    jh_text_size(&c->d, text, JH_FONT_REGULAR, VALUE_PX, rgb, &tw, &th);
    SDL_Rect box = {rect.x + rect.w / 2 - tw / 2 - 3, rect.y - th - 2, tw + 6, th};
    jh_fill(&c->d, box, JH_RGB_BG); /* a whisker or grid line behind stays out of the digits */
    jh_text_in(&c->d, text, JH_FONT_REGULAR, VALUE_PX, rgb, box, JH_ALIGN_CENTER, NULL);
}

void jh_plot_hline(jh_canvas *c, const jh_plot *p, double value, uint32_t rgb)
{
    int y = y_px(p, value);
    for (int x = p->area.x; x < p->area.x + p->area.w; x += 14)
        jh_fill(&c->d, (SDL_Rect){x, y - 1, 8, 3}, rgb);
}

void jh_plot_legend(jh_canvas *c, const jh_plot *p, const jh_legend_item *items, int n)
{
    int x = p->area.x + p->area.w;
    for (int i = n - 1; i >= 0; i--) {
        int tw, th;
        jh_text_size(&c->d, items[i].text, JH_FONT_REGULAR, LEGEND_PX, JH_RGB_TEXT, &tw, &th);
        x -= tw;
        jh_text_in(&c->d, items[i].text, JH_FONT_REGULAR, LEGEND_PX, JH_RGB_TEXT,
                   (SDL_Rect){x, LEGEND_Y, tw, 24}, JH_ALIGN_LEFT, "legend");
        x -= 26;
        SDL_Rect key = items[i].line ? (SDL_Rect){x, LEGEND_Y + 10, 18, 4} : (SDL_Rect){x, LEGEND_Y + 4, 16, 16};
        jh_fill(&c->d, key, items[i].rgb);
        x -= 24;
    }
}

void jh_plot_note(jh_canvas *c, const jh_plot *p, const char *text)
{
    jh_text_in(&c->d, text, JH_FONT_REGULAR, 24, JH_RGB_MUTED, p->area, JH_ALIGN_CENTER, "note");
}
