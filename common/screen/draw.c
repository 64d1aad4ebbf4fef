/* SPDX-License-Identifier: MIT */
/*
 * draw — rectangles, fitted text and the layout record (see draw.h).
 */
#include "draw.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

void jh_fill(jh_draw *d, SDL_Rect r, uint32_t rgb)
{
    SDL_SetRenderDrawColor(d->r, (Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb, 255);
    SDL_RenderFillRect(d->r, &r);
}

void jh_outline(jh_draw *d, SDL_Rect r, uint32_t rgb, int t)
{
    jh_fill(d, (SDL_Rect){r.x, r.y, r.w, t}, rgb);
    jh_fill(d, (SDL_Rect){r.x, r.y + r.h - t, r.w, t}, rgb);
    jh_fill(d, (SDL_Rect){r.x, r.y, t, r.h}, rgb);
    jh_fill(d, (SDL_Rect){r.x + r.w - t, r.y, t, r.h}, rgb);
}

void jh_text_size(jh_draw *d, const char *s, jh_font_weight w, int px, uint32_t rgb, int *tw,
                  int *th)
{
    const jh_text *t = jh_text_get(d->text, s, w, px, rgb, d->solid);
    *tw = t ? t->w : 0;
    *th = t ? t->h : 0;
}

static void record(jh_draw *d, const char *tag, const char *s, SDL_Rect rect, SDL_Rect clip,
                   int px, jh_font_weight w, uint32_t rgb)
{
    SDL_Rect vis;
    if (!d->recording || !tag || d->n_records == JH_DRAW_MAX_RECORDS ||
        !SDL_IntersectRect(&rect, &clip, &vis))
        return;
    jh_draw_record *rec = &d->records[d->n_records++];
    snprintf(rec->tag, sizeof rec->tag, "%s", tag);
    snprintf(rec->text, sizeof rec->text, "%s", s);
    rec->rect = rect;
    rec->visible = vis;
    rec->px = px;
    rec->weight = (int)w;
    rec->solid = d->solid;
    rec->rgb = rgb;
}

/* Blits t with its top-left at x,y, limited to clip. */
static void blit(jh_draw *d, const jh_text *t, int x, int y, SDL_Rect clip)
{
    SDL_Rect dst = {x, y, t->w, t->h}, vis;
    if (!SDL_IntersectRect(&dst, &clip, &vis))
        return;
    SDL_Rect src = {vis.x - x, vis.y - y, vis.w, vis.h};
    SDL_RenderCopy(d->r, t->tex, &src, &vis);
}

int jh_text_in(jh_draw *d, const char *s, jh_font_weight w, int px, uint32_t rgb, SDL_Rect box,
               jh_align align, const char *tag)
{
    if (!s || !*s || box.w <= 0 || box.h <= 0)
        return 0;
    int min_px = px * 3 / 4, size = px;
    const jh_text *t = jh_text_get(d->text, s, w, size, rgb, d->solid);
    /* shrink in ~8 % steps: few distinct sizes, so few textures per string */
    while (t && t->w > box.w && size > min_px) {
        size = size * 92 / 100 > min_px ? size * 92 / 100 : min_px;
        t = jh_text_get(d->text, s, w, size, rgb, d->solid);
    }
    if (!t)
        return 0;
    int x = align == JH_ALIGN_LEFT ? box.x
          : align == JH_ALIGN_RIGHT ? box.x + box.w - t->w
                                    : box.x + (box.w - t->w) / 2;
    if (t->w > box.w) /* still too wide: keep the start readable */
        x = box.x;
    int y = box.y + (box.h - t->h) / 2;
    blit(d, t, x, y, box);
    record(d, tag, s, (SDL_Rect){x, y, t->w, t->h}, box, size, w, rgb);
    return t->w < box.w ? t->w : box.w;
}

void jh_text_at(jh_draw *d, const char *s, jh_font_weight w, int px, uint32_t rgb, int x, int y,
                SDL_Rect clip, const char *tag)
{
    const jh_text *t = jh_text_get(d->text, s, w, px, rgb, d->solid);
    if (!t)
        return;
    blit(d, t, x, y, clip);
    record(d, tag, s, (SDL_Rect){x, y, t->w, t->h}, clip, px, w, rgb);
}

void jh_text_marquee(jh_draw *d, const char *s, jh_font_weight w, int px, uint32_t rgb,
                     SDL_Rect box, jh_align align, int64_t t_ms, int speed_px_s, const char *tag)
{
    const jh_text *t = jh_text_get(d->text, s, w, px, rgb, d->solid);
    if (!t)
        return;
    int y = box.y + (box.h - t->h) / 2;
    if (t->w <= box.w) {
        int x = align == JH_ALIGN_LEFT ? box.x
              : align == JH_ALIGN_RIGHT ? box.x + box.w - t->w
                                        : box.x + (box.w - t->w) / 2;
        jh_text_at(d, s, w, px, rgb, x, y, box, tag);
        return;
    }
    int period = t->w + box.w / 3; /* the gap lets the eye find the start again */
    int off = (int)((t_ms * speed_px_s / 1000) % period);
    int x = box.x + box.w / 8 - off;
    jh_text_at(d, s, w, px, rgb, x, y, box, tag);
    if (x + period < box.x + box.w)
        jh_text_at(d, s, w, px, rgb, x + period, y, box, NULL);
}

char *jh_draw_record_json(const jh_draw *d, const char *mode)
{
    cJSON *root = cJSON_CreateObject(), *items = cJSON_CreateArray();
    cJSON_AddNumberToObject(root, "width", d->w);
    cJSON_AddNumberToObject(root, "height", d->h);
    cJSON_AddStringToObject(root, "mode", mode);
    cJSON_AddItemToObject(root, "items", items);
    for (int i = 0; i < d->n_records; i++) {
        const jh_draw_record *r = &d->records[i];
        cJSON *it = cJSON_CreateObject();
        char rgb[8];
        snprintf(rgb, sizeof rgb, "#%06x", r->rgb & 0xFFFFFF);
        cJSON_AddStringToObject(it, "tag", r->tag);
        cJSON_AddStringToObject(it, "text", r->text);
        cJSON_AddNumberToObject(it, "x", r->rect.x);
        cJSON_AddNumberToObject(it, "y", r->rect.y);
        cJSON_AddNumberToObject(it, "w", r->rect.w);
        cJSON_AddNumberToObject(it, "h", r->rect.h);
        cJSON_AddNumberToObject(it, "vx", r->visible.x);
        cJSON_AddNumberToObject(it, "vy", r->visible.y);
        cJSON_AddNumberToObject(it, "vw", r->visible.w);
        cJSON_AddNumberToObject(it, "vh", r->visible.h);
        cJSON_AddNumberToObject(it, "px", r->px);
        cJSON_AddBoolToObject(it, "bold", r->weight == JH_FONT_BOLD);
        cJSON_AddBoolToObject(it, "solid", r->solid);
        cJSON_AddStringToObject(it, "color", rgb);
        cJSON_AddItemToArray(items, it);
    }
    char *out = cJSON_Print(root);
    cJSON_Delete(root);
    return out;
}
