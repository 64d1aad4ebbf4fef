/* SPDX-License-Identifier: MIT */
/*
 * emu_json — the emulator's machine-readable record of one cut ticket, for
 * tests: ticket-0001.json next to ticket-0001.png.
 *
 *   {"ticket":1, "columns":48, "cut_feed":3, "invalid_codes":0,
 *    "unknown_commands":0, "auto_wraps":0, "misplaced":0, "dropped_lines":0,
 *    "lines":[{"text":"A012", "align":"center", "w":6, "h":6, "bold":true,
 *              "reverse":false, "auto_wrapped":false, "spans":[{...}]},
 *             {"qr":"https://…?t=A012&d=20261123", "module":6, "ec":"M", "align":"center"}]}
 *
 * A text line's w/h/bold/reverse are those of its first span; "spans" lists
 * them all (text, w, h, bold, reverse). An empty line has "text":"".
 */
#ifndef JH_EMU_JSON_H
#define JH_EMU_JSON_H

#include "emu_escpos.h"

/* malloc'd JSON text, or NULL when out of memory. */
char *jh_emu_ticket_json(const jh_emu_ticket *t, int number, int columns);

#endif
