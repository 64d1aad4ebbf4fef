/* SPDX-License-Identifier: MIT */
/*
 * kiosk_view — screen names, buttons and the open/closed rule (see kiosk_view.h).
 */
#include "kiosk_view.h"

#include <string.h>

#include "hall_time.h"

static const char *g_screen[] = {"home", "green", "green-service", "busy", "confirm", "error",
                                 "paused", "out-of-service"};

const char *jh_screen_name(jh_screen s) { return s < JH_SCREEN_COUNT ? g_screen[s] : "?"; }

const jh_button *jh_ui_hit(const jh_ui_buttons *b, int x, int y)
{
    for (int i = 0; i < b->n; i++) {
        const jh_box *r = &b->b[i].box;
        if (x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h)
            return &b->b[i];
    }
    return NULL;
}

const jh_button *jh_ui_find(const jh_ui_buttons *b, const char *name)
{
    for (int i = 0; i < b->n; i++)
        if (strcmp(b->b[i].name, name) == 0)
            return &b->b[i];
    return NULL;
}

int jh_ui_service_open(const jh_ui_view *v, int si)
{
    const jh_board_service *bs = v->board ? jh_board_service_find(v->board, v->cfg->services[si].code) : NULL;
    if (bs && bs->open >= 0)
        return bs->open;
    return jh_service_open_at(&v->cfg->services[si], v->now_ms, NULL);
}
