/* SPDX-License-Identifier: MIT */
/*
 * kiosk_ui_int — what the kiosk_ui*.c files share: the frame context, the
 * palette and the few drawing helpers the screens are built from. Private to
 * kiosk_ui; nothing else includes it.
 */
#ifndef JH_KIOSK_UI_INT_H
#define JH_KIOSK_UI_INT_H

#include "kiosk_ui.h"
#include "hall_words.h"
#include "palette.h"

/* The hall's palette (palette.h) plus the touch screen's own button colours. */
#define KUI_BTN        0x1B4F91U  /* an open service: clearly a button */
#define KUI_BTN_EDGE   0x5A9BE6U
#define KUI_BTN_INFO   0xD6E6FFU
#define KUI_OFF        0x262E3BU  /* a closed service: greyed */
#define KUI_OFF_EDGE   0x3A4456U
#define KUI_OFF_TEXT   0x8893A5U
#define KUI_GREEN      0x13824AU
#define KUI_GREEN_EDGE 0x4FE08FU
#define KUI_NEUTRAL    0x2B3F5EU
#define KUI_ALERT_BG   0x4A1214U

typedef struct {
    jh_draw *d;
    const jh_ui_view *v;
    jh_ui_buttons *out;
    double s;        /* scale: the short side over 1080 */
    int portrait;
} kui;

int kui_px(const kui *c, double v);
const char *kui_first(const kui *c, const char *zh, const char *en);
const char *kui_second(const kui *c, const char *zh, const char *en);
SDL_Rect kui_inset(SDL_Rect r, int d);

void kui_add_button(kui *c, jh_button_kind kind, int arg, int enabled, SDL_Rect r, const char *name);

/* Text of the first language at px1 above the second at px2, centred in r. */
void kui_pair(kui *c, SDL_Rect r, const char *zh, const char *en, int px1, int px2, uint32_t c1, uint32_t c2,
              const char *tag);

/* The header band (hall name, clock); returns its height. */
int kui_header(kui *c);

/* A full-width button at the bottom: "返回 / Back" or "好的 / OK". */
void kui_footer_button(kui *c, jh_button_kind kind, const char *zh, const char *en, const char *name);
int kui_footer_h(const kui *c);

void kui_draw_confirm(kui *c);
void kui_draw_message(kui *c);  /* ERROR, PAUSED, OUT_OF_SERVICE, BUSY */

#endif
