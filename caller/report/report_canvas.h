/* SPDX-License-Identifier: MIT */
/*
 * report_canvas — a headless drawing surface for report charts, and the plot
 * furniture every chart shares (title, grid, axes, bars, legend, guide lines).
 *
 * Owns the SDL side of the charts: an SDL_Surface with a software renderer (no
 * window, no video driver needed), the project's CJK fonts and text cache
 * (common/screen/fonts.h, text_cache.h, draw.h — the boards' own text drawing), and
 * saving the result with IMG_SavePNG. It knows nothing of tickets; report_chart
 * decides what is plotted.
 */
#ifndef JH_REPORT_CANVAS_H
#define JH_REPORT_CANVAS_H

#include <SDL2/SDL.h>
#include <stddef.h>
#include <stdint.h>

#include "draw.h"
#include "fonts.h"
#include "text_cache.h"

#define JH_CHART_W 1200
#define JH_CHART_H 675

/* The palette, shared so every chart reads alike. */
#define JH_RGB_BG 0xFFFFFF
#define JH_RGB_TEXT 0x1F2933
#define JH_RGB_MUTED 0x616E7C
#define JH_RGB_GRID 0xE4E7EB
#define JH_RGB_AXIS 0x9AA5B1
#define JH_RGB_BLUE 0x2F6FDB
#define JH_RGB_GREEN 0x2E9E5B
#define JH_RGB_RED 0xD64541
#define JH_RGB_DARK 0x243B53
#define JH_RGB_NODATA 0xCBD2D9

typedef struct {
    SDL_Surface *surf;
    SDL_Renderer *ren;
    jh_fonts fonts;
    jh_text_cache *cache;
    jh_draw d;
    int ttf_up, fonts_up;
} jh_canvas;

typedef struct {
    const char *title;      /* "各时段等候时间 · Waiting time by hour" */
    const char *subtitle;   /* hall and period */
    const char *y_title;    /* "分钟 / minutes" */
    const char *x_title;    /* "时段 / hour" */
    const char *y_suffix;   /* appended to tick labels, e.g. "%"; "" for none */
} jh_plot_text;

typedef struct {
    SDL_Rect area;          /* inside the axes */
    int n;                  /* slots along x */
    double y_max;           /* the value at the top of the area */
} jh_plot;

typedef struct {
    const char *text;
    uint32_t rgb;
    int line;               /* 1: a short line (a marker), 0: a filled square (bars) */
} jh_legend_item;

/* A white w×h canvas with fonts ready. 0, or -1 with err (e.g. no CJK font installed). */
int jh_canvas_open(jh_canvas *c, int w, int h, char *err, size_t errlen);
void jh_canvas_close(jh_canvas *c);
int jh_canvas_save_png(jh_canvas *c, const char *path, char *err, size_t errlen);

/*
 * Draws titles, the y grid (a round step for values up to data_max; the top is
 * just above data_max, or y_fixed when > 0) and the n x labels; fills *p for
 * the calls below.
 */
void jh_plot_begin(jh_canvas *c, jh_plot *p, const jh_plot_text *t, double data_max, double y_fixed,
                   int n, const char *const *x_labels);

/* Bar k of `of` side by side in slot `slot`, from 0 to value. Returns its rectangle. */
SDL_Rect jh_plot_bar(jh_canvas *c, const jh_plot *p, int slot, int k, int of, double value, uint32_t rgb);
/* A short thick mark over bar k of `of` at value (e.g. p90), joined to the bar's top `from`. */
void jh_plot_mark(jh_canvas *c, const jh_plot *p, int slot, int k, int of, double from, double value,
                  uint32_t rgb);
/* Small text centred just above rect (a bar's value). */
void jh_plot_label_above(jh_canvas *c, SDL_Rect rect, const char *text, uint32_t rgb);
/* A dashed line across the plot at value (name it in the legend). */
void jh_plot_hline(jh_canvas *c, const jh_plot *p, double value, uint32_t rgb);
/* The legend, right-aligned above the plot area. */
void jh_plot_legend(jh_canvas *c, const jh_plot *p, const jh_legend_item *items, int n);
/* A centred note inside the plot (e.g. "本期无数据 / no data"). */
void jh_plot_note(jh_canvas *c, const jh_plot *p, const char *text);

#endif
