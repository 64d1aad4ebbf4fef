/* SPDX-License-Identifier: MIT */
/*
 * screenshot — renderer pixels to PNG (see screenshot.h).
 */
#include "screenshot.h"

#include <SDL2/SDL_image.h>
#include <stdio.h>

int jh_screenshot_png(SDL_Renderer *ren, int w, int h, const char *path, char *err, size_t errlen)
{
    char tmp[4200];
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    int ok = s && SDL_RenderReadPixels(ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch) == 0;
    snprintf(tmp, sizeof tmp, "%s.tmp.png", path);
    ok = ok && IMG_SavePNG(s, tmp) == 0 && rename(tmp, path) == 0;
    SDL_FreeSurface(s);
    if (!ok) {
        snprintf(err, errlen, "cannot save %s: %s", path, SDL_GetError());
        return -1;
    }
    return 0;
}
