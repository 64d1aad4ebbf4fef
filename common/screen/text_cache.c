/* SPDX-License-Identifier: MIT */
/*
 * text_cache — hashed texture cache with LRU eviction (see text_cache.h).
 * Entries live in one array; buckets hold chains of entry indexes. Eviction
 * scans for the oldest entry, which only happens on a miss with a full cache.
 */
#include "text_cache.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t hash;
    char *text;
    int weight, px, solid;
    uint32_t rgb;
    jh_text t;
    uint64_t last_used;
    int next;   /* next entry in the bucket chain, -1 at the end */
    int used;
} entry;

struct jh_text_cache {
    SDL_Renderer *r;
    jh_fonts *fonts;
    entry *entries;
    int capacity;
    int *buckets;
    int n_buckets;
    uint64_t clock;
    jh_text_stats stats;
};

static uint64_t key_hash(const char *s, int weight, int px, uint32_t rgb, int solid)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    uint64_t k[4] = {(uint64_t)weight, (uint64_t)px, rgb, (uint64_t)solid};
    for (int i = 0; i < 4; i++)
        h = (h ^ k[i]) * 1099511628211ull;
    return h;
}

jh_text_cache *jh_text_cache_new(SDL_Renderer *r, jh_fonts *fonts, int capacity)
{
    jh_text_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->r = r;
    c->fonts = fonts;
    c->capacity = capacity < 16 ? 16 : capacity;
    c->n_buckets = c->capacity * 2;
    c->entries = calloc((size_t)c->capacity, sizeof *c->entries);
    c->buckets = malloc((size_t)c->n_buckets * sizeof *c->buckets);
    if (!c->entries || !c->buckets) {
        jh_text_cache_free(c);
        return NULL;
    }
    for (int i = 0; i < c->n_buckets; i++)
        c->buckets[i] = -1;
    return c;
}

static void unlink_entry(jh_text_cache *c, int idx)
{
    entry *e = &c->entries[idx];
    int *p = &c->buckets[e->hash % (uint64_t)c->n_buckets];
    while (*p != idx)
        p = &c->entries[*p].next;
    *p = e->next;
    SDL_DestroyTexture(e->t.tex);
    free(e->text);
    memset(e, 0, sizeof *e);
}

void jh_text_cache_free(jh_text_cache *c)
{
    if (!c)
        return;
    for (int i = 0; c->entries && i < c->capacity; i++) {
        if (c->entries[i].used) {
            SDL_DestroyTexture(c->entries[i].t.tex);
            free(c->entries[i].text);
        }
    }
    free(c->entries);
    free(c->buckets);
    free(c);
}

/* A free slot, evicting the least recently used entry when there is none. */
static int take_slot(jh_text_cache *c)
{
    int oldest = 0;
    for (int i = 0; i < c->capacity; i++) {
        if (!c->entries[i].used)
            return i;
        if (c->entries[i].last_used < c->entries[oldest].last_used)
            oldest = i;
    }
    unlink_entry(c, oldest);
    c->stats.evictions++;
    c->stats.entries--;
    return oldest;
}

static SDL_Texture *rasterise(jh_text_cache *c, const char *s, int weight, int px, uint32_t rgb,
                              int solid, int *w, int *h)
{
    TTF_Font *font = jh_fonts_get(c->fonts, (jh_font_weight)weight, px);
    if (!font)
        return NULL;
    SDL_Color col = {(Uint8)(rgb >> 16), (Uint8)(rgb >> 8), (Uint8)rgb, 255};
    SDL_Surface *surf = solid ? TTF_RenderUTF8_Solid(font, s, col) : TTF_RenderUTF8_Blended(font, s, col);
    if (!surf)
        return NULL;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(c->r, surf);
    *w = surf->w;
    *h = surf->h;
    SDL_FreeSurface(surf);
    if (tex)
        SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    return tex;
}

const jh_text *jh_text_get(jh_text_cache *c, const char *s, jh_font_weight w, int px,
                           uint32_t rgb, int solid)
{
    if (!s || !*s)
        return NULL;
    rgb &= 0xFFFFFF;
    uint64_t h = key_hash(s, (int)w, px, rgb, solid);
    int *bucket = &c->buckets[h % (uint64_t)c->n_buckets];
    c->clock++;
    for (int i = *bucket; i >= 0; i = c->entries[i].next) {
        entry *e = &c->entries[i];
        if (e->hash == h && e->weight == (int)w && e->px == px && e->rgb == rgb &&
            e->solid == solid && strcmp(e->text, s) == 0) {
            e->last_used = c->clock;
            c->stats.hits++;
            return &e->t;
        }
    }
    int tw = 0, th = 0;
    SDL_Texture *tex = rasterise(c, s, (int)w, px, rgb, solid, &tw, &th);
    char *copy = tex ? strdup(s) : NULL;
    if (!copy) {
        SDL_DestroyTexture(tex);
        return NULL;
    }
    c->stats.misses++;
    int idx = take_slot(c);
    bucket = &c->buckets[h % (uint64_t)c->n_buckets]; /* eviction may have relinked it */
    entry *e = &c->entries[idx];
    *e = (entry){h, copy, (int)w, px, solid, rgb, {tex, tw, th}, c->clock, *bucket, 1};
    *bucket = idx;
    c->stats.entries++;
    return &e->t;
}

jh_text_stats jh_text_cache_stats(const jh_text_cache *c)
{
    return c->stats;
}
