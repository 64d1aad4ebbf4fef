/* SPDX-License-Identifier: MIT */
/*
 * layout — what each kind of board draws from a jh_board, one frame at a time.
 *
 * Owns: the three layouts (main hall board, counter strip, LED board), the
 * maintenance screen each shows when the broker or the caller is away, and
 * the boards' bilingual wording (Simplified Chinese first, English second;
 * the hall's colours are common/screen/palette.h, times said to the public
 * common/words/hall_words.h). A layout reads only the board and the view; it keeps no state, so
 * the same inputs always give the same frame (blink and scroll phases come
 * from the view's clocks).
 */
#ifndef JH_LAYOUT_H
#define JH_LAYOUT_H

#include <stdint.h>

#include "board_state.h"
#include "display_config.h"
#include "draw.h"
#include "hall_words.h"
#include "palette.h"

typedef struct {
    const jh_board *board;
    const jh_display_config *dc;
    const char *hall_name;       /* from the hall config: shown before state/hall arrives */
    const char *hall_name_en;
    int counter_number;          /* strip: its counter from the hall config, before state arrives */
    const char *counter_name;
    const char *counter_name_en;
    int maintenance;             /* draw the maintenance screen */
    const char *reason;          /* why, small print for technicians ("" when none) */
    int64_t now_ms;              /* wall clock: clock text */
    int64_t anim_ms;             /* monotonic: the blink phase */
    int64_t scroll_ms;           /* monotonic: where scrolling text is; 0 = at its start */
    int64_t hero_since_ms;       /* anim time the newest call arrived as an event; 0 = none */
} jh_view;

/* Draws one whole frame for dc->layout. */
void jh_layout_draw(jh_draw *d, const jh_view *v);

/* ---- shared by the layouts (layout_common.c) ---- */

/* How long a new call blinks, and the blink half-period. */
#define JH_BLINK_MS 3600
#define JH_BLINK_HALF_MS 300

/* 1 while the newest call should be shown inverted (blinking), else 0. */
int jh_view_blink_on(const jh_view *v);
/* 1 while the newest call is still "fresh" (blinking period). */
int jh_view_hero_fresh(const jh_view *v);

uint32_t jh_status_color(jh_counter_status s);
const char *jh_status_zh(jh_counter_status s);
const char *jh_status_en(jh_counter_status s);

/* The counter a call went to, as "3号窗口"; from the board, else the call itself. */
void jh_call_counter_text(const jh_board *b, const jh_board_call *c, char *zh, size_t zl,
                          char *en, size_t el);

void jh_layout_main(jh_draw *d, const jh_view *v);
void jh_layout_strip(jh_draw *d, const jh_view *v);
void jh_layout_led(jh_draw *d, const jh_view *v);

#endif
