/*
 * layout — what each kind of board draws from a jh_board, one frame at a time.
 *
 * Owns: the three layouts (main hall board, counter strip, LED board), the
 * maintenance screen each shows when the broker or the caller is away, the
 * palette, and the bilingual wording (Simplified Chinese first, English
 * second). A layout reads only the board and the view; it keeps no state, so
 * the same inputs always give the same frame (blink and scroll phases come
 * from the view's clocks).
 */
#ifndef JH_LAYOUT_H
#define JH_LAYOUT_H

#include <stdint.h>

#include "board_state.h"
#include "display_config.h"
#include "draw.h"

/* Palette: dark navy ground, high-contrast text, amber for numbers being called. */
#define JH_COL_BG        0x08111FU
#define JH_COL_PANEL     0x102038U
#define JH_COL_PANEL_HI  0x17305AU
#define JH_COL_LINE      0x24406BU
#define JH_COL_HEADER    0x0B2447U
#define JH_COL_GOLD      0xE8B634U
#define JH_COL_TEXT      0xF4F7FBU
#define JH_COL_MUTED     0x9DB1C9U
#define JH_COL_DIM       0x5D708AU
#define JH_COL_NUMBER    0xFFC83DU
#define JH_COL_SERVING   0x35D07FU
#define JH_COL_IDLE      0x6F86A3U
#define JH_COL_PAUSED    0xFF7A45U
#define JH_COL_CLOSED    0x4A5568U
#define JH_COL_ALERT     0xFF5A4EU
#define JH_COL_GREEN_CH  0x2FBF71U  /* green-channel tag */

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

/* "14:05:32"; "2026年11月23日 星期一"; "Mon 23 Nov 2026" in hall time. */
void jh_clock_text(int64_t now_ms, char *hms, size_t hl, char *date_zh, size_t dzl,
                   char *date_en, size_t del);

uint32_t jh_status_color(jh_counter_status s);
const char *jh_status_zh(jh_counter_status s);
const char *jh_status_en(jh_counter_status s);

/* "约 12 分钟" / "~12 min"; "—" when unknown, "即将 / now" under a minute. */
void jh_wait_text(int ewt_s, char *zh, size_t zl, char *en, size_t el);

/* The counter a call went to, as "3号窗口"; from the board, else the call itself. */
void jh_call_counter_text(const jh_board *b, const jh_board_call *c, char *zh, size_t zl,
                          char *en, size_t el);

void jh_layout_main(jh_draw *d, const jh_view *v);
void jh_layout_strip(jh_draw *d, const jh_view *v);
void jh_layout_led(jh_draw *d, const jh_view *v);

#endif
