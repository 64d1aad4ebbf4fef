/* SPDX-License-Identifier: MIT */
/*
 * kiosk_window — the kiosk's screen as a device: window, fonts, text cache.
 *
 * Owns: the kiosk's SDL screen — window, renderer, fonts and text cache,
 * opened and closed by common/screen/sdl_screen (full screen on the panel; the
 * configured size under SDL_VIDEODRIVER=dummy) — drawing one jh_ui_view per
 * frame through kiosk_ui, turning finger and mouse presses into taps in
 * layout coordinates, and saving the frame as PNG with its layout record.
 * The app sees none of SDL's drawing types, only this.
 */
#ifndef JH_KIOSK_WINDOW_H
#define JH_KIOSK_WINDOW_H

#include <stddef.h>

#include "kiosk_config.h"
#include "kiosk_view.h"

typedef struct jh_kiosk_window jh_kiosk_window;

/* Opens the window (SDL_Init included). `record`: keep the layout record for saves. */
jh_kiosk_window *jh_kwin_open(const jh_kiosk_config_screen *ks, const char *title, int record, char *err,
                              size_t errlen);
void jh_kwin_close(jh_kiosk_window *w);

/* Draws the frame (not yet shown) and lays its buttons out into *b. */
void jh_kwin_draw(jh_kiosk_window *w, const jh_ui_view *v, jh_ui_buttons *b);

/* Shows the frame drawn last. */
void jh_kwin_present(jh_kiosk_window *w);

/*
 * The next tap: 1 with *x,*y, or 0 when there is none left. Everything else
 * (keys, other buttons, a request to close the window) is dropped: a citizen
 * must find no way out of the kiosk to a desktop or shell.
 */
int jh_kwin_next_tap(jh_kiosk_window *w, int *x, int *y);

/* Saves the frame drawn last as PNG, and its layout record as JSON when json != NULL. */
int jh_kwin_save(jh_kiosk_window *w, const char *png, const char *json, const char *mode, char *err,
                 size_t errlen);

const char *jh_kwin_font_family(const jh_kiosk_window *w);

#endif
