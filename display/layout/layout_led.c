/* SPDX-License-Identifier: MIT */
/*
 * layout_led — an LED matrix board (e.g. 192×32, 256×64) fed by a sending card
 * that captures a fixed screen rectangle.
 *
 * Drawn at the board's exact pixel size on black, in rows of font_px pixels,
 * with unsmoothed glyphs (TTF_RenderUTF8_Solid, mono hinting) in the board's one
 * or two colours: an LED is on or off, and grey edge pixels would light up as
 * dim smudges. A line wider than the board scrolls instead of shrinking,
 * because bitmap-sized glyphs become unreadable when scaled.
 *
 *   row 0: 请A012号到3号窗口            (colour 1, blinks on a new call)
 *   row 1: No. A012 → Counter 3        (colour 2)
 *   rows 2…: earlier calls, then the notice
 */
#include "layout.h"

#include <stdio.h>
#include <string.h>

#define LED_SCROLL_PX_S 32 /* about two characters a second */

/* One row of text: centred when it fits, scrolling right-to-left when it does not. */
static void led_line(jh_draw *d, const jh_view *v, const char *text, uint32_t rgb, SDL_Rect row,
                     const char *tag)
{
    jh_text_marquee(d, text, JH_FONT_REGULAR, v->dc->led_font_px, rgb, row, JH_ALIGN_CENTER,
                    v->scroll_ms, LED_SCROLL_PX_S, tag);
}

static SDL_Rect row_rect(const jh_draw *d, const jh_view *v, int i)
{
    int px = v->dc->led_font_px, rows = d->h / px;
    int top = (d->h - rows * px) / 2; /* centre the rows; leftover pixels split above and below */
    return (SDL_Rect){0, top + i * px, d->w, px};
}

static void led_calls(jh_draw *d, const jh_view *v, int rows, uint32_t c1, uint32_t c2)
{
    const jh_board *b = v->board;
    const jh_board_call *call = &b->history[0];
    char zh[96], en[96], line[256];
    int hide = jh_view_hero_fresh(v) && !jh_view_blink_on(v);
    jh_call_counter_text(b, call, zh, sizeof zh, en, sizeof en);
    if (!hide) {
        snprintf(line, sizeof line, "请%s号到%s", call->ticket, zh);
        led_line(d, v, line, c1, row_rect(d, v, 0), "led.call");
    }
    int r = 1;
    if (r < rows && !hide) {
        snprintf(line, sizeof line, "No.%s %s", call->ticket, en[0] ? en : zh);
        led_line(d, v, line, c2, row_rect(d, v, r), "led.call_en");
    }
    r++;
    int reserve_notice = b->notice[0] && rows > 2;
    for (int i = 1; i < b->n_history && r < rows - reserve_notice; i++, r++) {
        jh_call_counter_text(b, &b->history[i], zh, sizeof zh, en, sizeof en);
        snprintf(line, sizeof line, "%s %s", b->history[i].ticket, zh);
        led_line(d, v, line, (i % 2) ? c1 : c2, row_rect(d, v, r), NULL);
    }
    if (reserve_notice)
        led_line(d, v, b->notice, c2, row_rect(d, v, rows - 1), "led.notice");
}

void jh_layout_led(jh_draw *d, const jh_view *v)
{
    const jh_display_config *dc = v->dc;
    uint32_t c1 = dc->led_colors[0], c2 = dc->n_led_colors > 1 ? dc->led_colors[1] : c1;
    int rows = d->h / dc->led_font_px;
    jh_fill(d, (SDL_Rect){0, 0, d->w, d->h}, 0x000000);
    if (rows < 1)
        return;
    if (v->maintenance) {
        led_line(d, v, "系统维护中", c1, row_rect(d, v, 0), "maintenance.title");
        if (rows > 1)
            led_line(d, v, "System maintenance", c2, row_rect(d, v, 1), "maintenance.title_en");
        return;
    }
    if (v->board->n_history > 0) {
        led_calls(d, v, rows, c1, c2);
        return;
    }
    const char *name = v->board->name[0] ? v->board->name : v->hall_name;
    led_line(d, v, name && name[0] ? name : "欢迎光临", c1, row_rect(d, v, 0), "led.idle");
    if (rows > 1)
        led_line(d, v, v->board->notice[0] ? v->board->notice : "欢迎光临 Welcome", c2,
                 row_rect(d, v, 1), NULL);
}
