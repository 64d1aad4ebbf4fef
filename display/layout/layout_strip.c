/* SPDX-License-Identifier: MIT */
/*
 * layout_strip — the strip above one counter window (designed at 1920×360, scales).
 *
 *   │ 3 号窗口 │        正在办理  A012         │ 工作人员 王小明 │
 *   │ Counter 3│                               │ 工号 1024      │
 *
 * Paused: 暂停服务 / Service paused and the worker's message (去向留言) take the
 * middle. The counter's number comes from the hall config until the caller's
 * state arrives, so a strip is never anonymous.
 */
#include "layout.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    jh_draw *d;
    const jh_view *v;
    double s; /* from the 360 px design height */
    double sx;
} ctx;

static int S(const ctx *c, double v) { return (int)(v * c->s + 0.5); }
static int X(const ctx *c, double v) { return (int)(v * c->sx + 0.5); }

static void identity(const ctx *c, const jh_board_counter *k, SDL_Rect r)
{
    int number = k && k->number > 0 ? k->number : c->v->counter_number;
    char num[16], en[48];
    jh_fill(c->d, r, JH_COL_HEADER);
    jh_fill(c->d, (SDL_Rect){r.x + r.w - S(c, 5), r.y, S(c, 5), r.h}, JH_COL_GOLD);
    snprintf(num, sizeof num, "%d", number);
    snprintf(en, sizeof en, "Counter %d", number);
    SDL_Rect top = {r.x + S(c, 20), r.y + S(c, 20), r.w - S(c, 45), S(c, 200)};
    if (number <= 0) {
        jh_text_in(c->d, k ? k->name : c->v->counter_name, JH_FONT_BOLD, S(c, 70), JH_COL_NUMBER, top,
                   JH_ALIGN_CENTER, "strip.counter");
        return;
    }
    int w = 0, h = 0, w2 = 0;
    jh_text_size(c->d, num, JH_FONT_BOLD, S(c, 170), JH_COL_NUMBER, &w, &h);
    jh_text_size(c->d, "号窗口", JH_FONT_BOLD, S(c, 60), JH_COL_TEXT, &w2, &h);
    int x = top.x + (top.w - w - w2) / 2;
    x = x < top.x ? top.x : x;
    jh_text_in(c->d, num, JH_FONT_BOLD, S(c, 170), JH_COL_NUMBER, (SDL_Rect){x, top.y, w, top.h},
               JH_ALIGN_LEFT, "strip.counter");
    jh_text_in(c->d, "号窗口", JH_FONT_BOLD, S(c, 60), JH_COL_TEXT,
               (SDL_Rect){x + w, top.y + S(c, 40), top.w - (x + w - top.x), top.h - S(c, 40)},
               JH_ALIGN_LEFT, NULL);
    jh_text_in(c->d, en, JH_FONT_REGULAR, S(c, 40), JH_COL_MUTED,
               (SDL_Rect){top.x, r.y + S(c, 230), top.w, S(c, 60)}, JH_ALIGN_CENTER, NULL);
    const char *name_en = k && k->name_en[0] ? k->name_en : c->v->counter_name_en;
    if (name_en && name_en[0] && strcmp(name_en, en) != 0)
        jh_text_in(c->d, name_en, JH_FONT_REGULAR, S(c, 26), JH_COL_DIM,
                   (SDL_Rect){top.x, r.y + S(c, 292), top.w, S(c, 44)}, JH_ALIGN_CENTER, NULL);
}

static void staff(const ctx *c, const jh_board_counter *k, SDL_Rect r)
{
    jh_fill(c->d, r, JH_COL_PANEL);
    jh_fill(c->d, (SDL_Rect){r.x, r.y, S(c, 5), r.h}, JH_COL_LINE);
    SDL_Rect t = {r.x + S(c, 36), r.y + S(c, 40), r.w - S(c, 60), S(c, 50)};
    jh_text_in(c->d, "工作人员  Staff", JH_FONT_REGULAR, S(c, 32), JH_COL_MUTED, t, JH_ALIGN_LEFT, NULL);
    t.y += S(c, 64);
    t.h = S(c, 100);
    jh_text_in(c->d, k && k->staff_name[0] ? k->staff_name : "—", JH_FONT_BOLD, S(c, 76), JH_COL_TEXT,
               t, JH_ALIGN_LEFT, "strip.staff");
    if (k && k->staff_id[0]) {
        char id[80];
        snprintf(id, sizeof id, "工号  No. %s", k->staff_id);
        t.y += S(c, 116);
        t.h = S(c, 60);
        jh_text_in(c->d, id, JH_FONT_REGULAR, S(c, 42), JH_COL_MUTED, t, JH_ALIGN_LEFT, "strip.staff_id");
    }
}

/* The middle: what this window is doing right now. */
static void status(const ctx *c, const jh_board_counter *k, SDL_Rect r)
{
    const jh_board *b = c->v->board;
    int hot = k && jh_view_hero_fresh(c->v) && b->n_history && strcmp(b->history[0].counter, k->id) == 0;
    int inv = hot && jh_view_blink_on(c->v);
    jh_fill(c->d, r, inv ? JH_COL_NUMBER : JH_COL_BG);
    SDL_Rect top = {r.x + S(c, 30), r.y + S(c, 26), r.w - S(c, 60), S(c, 60)};
    SDL_Rect big = {r.x + S(c, 30), r.y + S(c, 90), r.w - S(c, 60), S(c, 240)};
    jh_counter_status st = k ? k->status : JH_COUNTER_UNKNOWN;
    if (st == JH_COUNTER_SERVING && k->ticket[0]) {
        jh_text_in(c->d, "正在办理  Now serving", JH_FONT_REGULAR, S(c, 38), inv ? JH_COL_BG : JH_COL_MUTED,
                   top, JH_ALIGN_CENTER, NULL);
        jh_text_in(c->d, k->ticket, JH_FONT_BOLD, S(c, 200), inv ? JH_COL_BG : JH_COL_NUMBER, big,
                   JH_ALIGN_CENTER, "strip.ticket");
    } else if (st == JH_COUNTER_PAUSED) {
        jh_text_in(c->d, "暂停服务  Service paused", JH_FONT_BOLD, S(c, 84), JH_COL_PAUSED,
                   (SDL_Rect){top.x, r.y + S(c, 40), top.w, S(c, 130)}, JH_ALIGN_CENTER, "strip.paused");
        jh_text_marquee(c->d, k->message, JH_FONT_REGULAR, S(c, 50), JH_COL_TEXT,
                        (SDL_Rect){top.x, r.y + S(c, 190), top.w, S(c, 120)}, JH_ALIGN_CENTER,
                        c->v->scroll_ms, S(c, 120), "strip.message");
    } else if (st == JH_COUNTER_CLOSED) {
        jh_text_in(c->d, "本窗口已关闭", JH_FONT_BOLD, S(c, 110), JH_COL_IDLE,
                   (SDL_Rect){top.x, r.y + S(c, 50), top.w, S(c, 160)}, JH_ALIGN_CENTER, "strip.closed");
        jh_text_in(c->d, "This counter is closed", JH_FONT_REGULAR, S(c, 48), JH_COL_DIM,
                   (SDL_Rect){top.x, r.y + S(c, 220), top.w, S(c, 80)}, JH_ALIGN_CENTER, NULL);
    } else {
        jh_text_in(c->d, "欢迎办理", JH_FONT_BOLD, S(c, 110), JH_COL_SERVING,
                   (SDL_Rect){top.x, r.y + S(c, 50), top.w, S(c, 160)}, JH_ALIGN_CENTER, "strip.idle");
        jh_text_in(c->d, "Welcome — please wait for your number", JH_FONT_REGULAR, S(c, 44), JH_COL_MUTED,
                   (SDL_Rect){top.x, r.y + S(c, 220), top.w, S(c, 80)}, JH_ALIGN_CENTER, NULL);
    }
}

static void maintenance(const ctx *c, SDL_Rect r)
{
    jh_fill(c->d, r, JH_COL_BG);
    jh_text_in(c->d, "系统维护中", JH_FONT_BOLD, S(c, 130), JH_COL_NUMBER,
               (SDL_Rect){r.x, r.y + S(c, 30), r.w, S(c, 180)}, JH_ALIGN_CENTER, "maintenance.title");
    jh_text_in(c->d, "System maintenance — please wait", JH_FONT_REGULAR, S(c, 56), JH_COL_TEXT,
               (SDL_Rect){r.x, r.y + S(c, 215), r.w, S(c, 80)}, JH_ALIGN_CENTER, "maintenance.title_en");
    if (c->v->reason && c->v->reason[0])
        jh_text_in(c->d, c->v->reason, JH_FONT_REGULAR, S(c, 22), JH_COL_DIM,
                   (SDL_Rect){r.x, r.y + r.h - S(c, 44), r.w, S(c, 36)}, JH_ALIGN_CENTER, "maintenance.reason");
}

void jh_layout_strip(jh_draw *d, const jh_view *v)
{
    ctx c = {d, v, d->h / 360.0, d->w / 1920.0};
    if (c.sx < c.s) /* a narrow strip: shrink everything rather than overlap */
        c.s = c.sx;
    jh_fill(d, (SDL_Rect){0, 0, d->w, d->h}, JH_COL_BG);
    const jh_board_counter *k = jh_board_counter_find(v->board, v->dc->counter);
    int lw = X(&c, 470), rw = X(&c, 560);
    identity(&c, k, (SDL_Rect){0, 0, lw, d->h});
    if (v->maintenance) {
        maintenance(&c, (SDL_Rect){lw, 0, d->w - lw, d->h});
        return;
    }
    status(&c, k, (SDL_Rect){lw, 0, d->w - lw - rw, d->h});
    staff(&c, k, (SDL_Rect){d->w - rw, 0, rw, d->h});
}
