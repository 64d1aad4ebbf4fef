/* SPDX-License-Identifier: MIT */
/*
 * kiosk_ui — what the ticket machine's touch screen shows, one frame at a time.
 *
 * Owns: drawing the screens of kiosk_view.h (home with one button per
 * service, green-channel choice, the service choice for a green-channel
 * ticket, "printing", confirmation with the number and the materials to
 * bring, the error screen, the paused screen and the printer's out-of-service
 * screen), their wording in Simplified Chinese and English (either first),
 * and where every button is. The pass that draws a frame lays its buttons
 * out, so a tap is always tested against exactly what the visitor saw. It
 * keeps no state and draws only through jh_display_gfx (cached text
 * textures, the layout record the tests read).
 *
 * Designed for elderly visitors: large type scaled to the screen's short
 * side, white on dark blue, big buttons, closed services plainly greyed with
 * when they open. Portrait 1080×1920 and landscape 1920×1080 both lay out.
 */
#ifndef JH_KIOSK_UI_H
#define JH_KIOSK_UI_H

#include "draw.h"
#include "kiosk_view.h"

/* Draws the whole frame for v->screen and lays out its buttons into *out. */
void jh_ui_draw(jh_draw *d, const jh_ui_view *v, jh_ui_buttons *out);

#endif
