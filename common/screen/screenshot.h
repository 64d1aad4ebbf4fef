/* SPDX-License-Identifier: MIT */
/*
 * screenshot — saving what a renderer holds as a PNG file.
 *
 * Owns: reading the pixels back and writing them under a temporary name that
 * is renamed into place, so a test or a person watching the folder never
 * opens half a file. Used by the boards and by the kiosk.
 */
#ifndef JH_SCREENSHOT_H
#define JH_SCREENSHOT_H

#include <SDL2/SDL.h>
#include <stddef.h>

/* The w x h pixels from the renderer's top left, as `path`. 0, or -1 with err. */
int jh_screenshot_png(SDL_Renderer *ren, int w, int h, const char *path, char *err, size_t errlen);

#endif
