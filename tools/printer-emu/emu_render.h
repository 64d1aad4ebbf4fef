/* SPDX-License-Identifier: MIT */
/*
 * emu_render — draws a decoded ticket the way the thermal head would, to PNG.
 *
 * Owns: the dot geometry of the emulated printer (203 dpi; 12×24-dot
 * half-width and 24×24-dot Hanzi cells; 384 printable dots on 58 mm paper,
 * 576 on 80 mm), glyphs from Noto Sans CJK SC (face 2 of the .ttc) or
 * WenQuanYi Micro Hei, magnification by whole dots as GS ! does it, reverse
 * and emphasised (double-struck) text, and QR codes drawn with libqrencode.
 * Software surfaces only: no window, no video driver.
 */
#ifndef JH_EMU_RENDER_H
#define JH_EMU_RENDER_H

#include <stddef.h>

#include "emu_escpos.h"

typedef struct jh_emu_renderer jh_emu_renderer;

/* font_path NULL: the first of the known CJK fonts that exists. */
int jh_emu_renderer_open(jh_emu_renderer **out, int columns, const char *font_path, char *err, size_t errlen);
void jh_emu_renderer_close(jh_emu_renderer *r);

int jh_emu_render_png(jh_emu_renderer *r, const jh_emu_ticket *t, const char *path, char *err, size_t errlen);

#endif
