/* SPDX-License-Identifier: MIT */
/*
 * kiosk_ui_msg — the screens that tell rather than ask: confirmation (the
 * number, people ahead, the wait, the materials to bring), error, paused,
 * printer out of service, and "printing" (see kiosk_ui.h).
 */
#include <stdio.h>
#include <string.h>

#include "kiosk_ui_int.h"

static int draw_line(kui *c, int y, int x, int w, const char *s, jh_font_weight wt, int px, uint32_t col,
                     jh_align al, const char *tag)
{
    int h = px * 13 / 10;
    jh_text_in(c->d, s, wt, px, col, (SDL_Rect){x, y, w, h}, al, tag);
    return y + h;
}

/* The big number with its service; returns the y below it. */
static int number_block(kui *c, SDL_Rect col, int y)
{
    const jh_ui_ticket *t = &c->v->ticket;
    const jh_hall_config *cfg = c->v->cfg;
    int si = jh_config_service_index(cfg, t->service);
    y = draw_line(c, y, col.x, col.w, kui_first(c, "您的号码", "Your number"), JH_FONT_BOLD, kui_px(c, 48),
                  JH_COL_TEXT, JH_ALIGN_CENTER, "confirm.title");
    y = draw_line(c, y, col.x, col.w, kui_second(c, "您的号码", "Your number"), JH_FONT_REGULAR, kui_px(c, 30),
                  JH_COL_MUTED, JH_ALIGN_CENTER, "confirm.title.2");
    int npx = c->portrait ? kui_px(c, 300) : kui_px(c, 260);
    SDL_Rect box = {col.x + kui_px(c, 40), y + kui_px(c, 10), col.w - kui_px(c, 80), npx * 12 / 10};
    jh_fill(c->d, box, JH_COL_PANEL);
    jh_outline(c->d, box, JH_COL_GOLD, kui_px(c, 6));
    jh_text_in(c->d, t->ticket, JH_FONT_BOLD, npx, JH_COL_NUMBER, kui_inset(box, kui_px(c, 12)), JH_ALIGN_CENTER,
               "number");
    y = box.y + box.h + kui_px(c, 16);
    if (si >= 0)
        y = draw_line(c, y, col.x, col.w,
                      kui_first(c, cfg->services[si].name_zh, cfg->services[si].name_en), JH_FONT_BOLD,
                      kui_px(c, 50), JH_COL_TEXT, JH_ALIGN_CENTER, "confirm.service");
    if (t->priority != JH_PRIO_NONE) {
        char g[200];
        snprintf(g, sizeof g, "%s %s", kui_first(c, "绿色通道 ·", "Green channel ·"),
                 kui_first(c, cfg->priority_zh[t->priority], cfg->priority_en[t->priority]));
        y = draw_line(c, y, col.x, col.w, g, JH_FONT_BOLD, kui_px(c, 38), KUI_GREEN_EDGE, JH_ALIGN_CENTER,
                      "confirm.green");
    }
    return y;
}

static int wait_block(kui *c, SDL_Rect col, int y)
{
    const jh_ui_ticket *t = &c->v->ticket;
    char zh[96], en[96], wzh[32], wen[32];
    snprintf(zh, sizeof zh, "前面还有 %d 人", t->ahead);
    snprintf(en, sizeof en, t->ahead == 1 ? "%d person ahead of you" : "%d people ahead of you", t->ahead);
    y = draw_line(c, y + kui_px(c, 12), col.x, col.w, kui_first(c, zh, en), JH_FONT_BOLD, kui_px(c, 52),
                  JH_COL_GOLD, JH_ALIGN_CENTER, "ahead");
    y = draw_line(c, y, col.x, col.w, kui_second(c, zh, en), JH_FONT_REGULAR, kui_px(c, 32), JH_COL_MUTED,
                  JH_ALIGN_CENTER, "ahead.2");
    jh_wait_text(t->ewt_s, wzh, sizeof wzh, wen, sizeof wen);
    snprintf(zh, sizeof zh, "预计等候 %s", wzh);
    snprintf(en, sizeof en, "Estimated wait %s", wen);
    y = draw_line(c, y, col.x, col.w, kui_first(c, zh, en), JH_FONT_BOLD, kui_px(c, 44), JH_COL_TEXT,
                  JH_ALIGN_CENTER, "wait");
    return draw_line(c, y, col.x, col.w, kui_second(c, zh, en), JH_FONT_REGULAR, kui_px(c, 30), JH_COL_MUTED,
                     JH_ALIGN_CENTER, "wait.2");
}

/* 一次性告知: every material, each in both languages, as far as the panel holds them. */
static void materials_block(kui *c, SDL_Rect r)
{
    int si = jh_config_service_index(c->v->cfg, c->v->ticket.service);
    if (si < 0 || r.h < kui_px(c, 120))
        return;
    const jh_service_config *s = &c->v->cfg->services[si];
    int pad = kui_px(c, 28), x = r.x + pad, w = r.w - 2 * pad, y = r.y + kui_px(c, 14);
    int p1 = kui_px(c, 44), p2 = kui_px(c, 30), bottom = r.y + r.h - kui_px(c, 10);
    char line[300], tag[32];
    jh_fill(c->d, r, JH_COL_PANEL);
    jh_fill(c->d, (SDL_Rect){r.x, r.y, kui_px(c, 8), r.h}, JH_COL_GOLD);
    y = draw_line(c, y, x, w, kui_first(c, "请准备以下材料", "Please have these ready"), JH_FONT_BOLD,
                  kui_px(c, 42), JH_COL_GOLD, JH_ALIGN_LEFT, "materials.title");
    y = draw_line(c, y, x, w, kui_second(c, "请准备以下材料", "Please have these ready"), JH_FONT_REGULAR, p2,
                  JH_COL_MUTED, JH_ALIGN_LEFT, "materials.title.2");
    if (s->n_materials == 0)
        y = draw_line(c, y, x, w, kui_first(c, "无需准备材料", "Nothing to bring"), JH_FONT_REGULAR, p1,
                      JH_COL_TEXT, JH_ALIGN_LEFT, "materials.none");
    for (int i = 0; i < s->n_materials && y + (p1 + p2) * 13 / 10 <= bottom; i++) {
        snprintf(line, sizeof line, "%d. %s", i + 1, kui_first(c, s->materials_zh[i], s->materials_en[i]));
        snprintf(tag, sizeof tag, "material.%d", i + 1);
        y = draw_line(c, y + kui_px(c, 6), x, w, line, JH_FONT_REGULAR, p1, JH_COL_TEXT, JH_ALIGN_LEFT, tag);
        snprintf(line, sizeof line, "    %s", kui_second(c, s->materials_zh[i], s->materials_en[i]));
        y = draw_line(c, y, x, w, line, JH_FONT_REGULAR, p2, JH_COL_MUTED, JH_ALIGN_LEFT, NULL);
    }
    if (s->time_limit_zh[0] && y + p1 * 13 / 10 <= bottom) {
        snprintf(line, sizeof line, "%s%s", kui_first(c, "承诺时限：", "Time limit: "),
                 kui_first(c, s->time_limit_zh, s->time_limit_en));
        draw_line(c, y + kui_px(c, 10), x, w, line, JH_FONT_BOLD, kui_px(c, 34), JH_COL_TEXT, JH_ALIGN_LEFT,
                  "time_limit");
    }
}

void kui_draw_confirm(kui *c)
{
    int top = c->portrait ? c->d->h * 10 / 100 : c->d->h * 14 / 100, fh = kui_footer_h(c);
    int gap = kui_px(c, 24), W = c->d->w;
    SDL_Rect col = c->portrait ? (SDL_Rect){0, top, W, 0} : (SDL_Rect){0, top, W * 48 / 100, 0};
    int y = number_block(c, col, top + kui_px(c, 24));
    y = wait_block(c, col, y);
    SDL_Rect m = c->portrait ? (SDL_Rect){gap, y + gap, W - 2 * gap, c->d->h - fh - y - 2 * gap}
                             : (SDL_Rect){col.w + gap, top + gap, W - col.w - 2 * gap, c->d->h - fh - top - 2 * gap};
    materials_block(c, m);
    char zh[96], en[96];
    snprintf(zh, sizeof zh, "请取走您的号票 (%d)", c->v->countdown_s);
    snprintf(en, sizeof en, "Please take your ticket (%d)", c->v->countdown_s);
    kui_footer_button(c, JH_BTN_OK, zh, en, "ok");
}

/* The accent colour and glyph of each message screen. */
static uint32_t accent(jh_screen s)
{
    return s == JH_SCREEN_BUSY ? JH_COL_GOLD : s == JH_SCREEN_PAUSED ? JH_COL_PAUSED : JH_COL_ALERT;
}

void kui_draw_message(kui *c)
{
    const jh_ui_view *v = c->v;
    int top = c->portrait ? c->d->h * 10 / 100 : c->d->h * 14 / 100, fh = kui_footer_h(c), W = c->d->w;
    int has_ok = v->screen == JH_SCREEN_ERROR, bottom = has_ok ? c->d->h - fh : c->d->h;
    uint32_t acc = accent(v->screen);
    int mid = top + (bottom - top) * 42 / 100, pad = kui_px(c, 40);
    SDL_Rect band = {0, mid - kui_px(c, 190), W, kui_px(c, 300)};
    jh_fill(c->d, band, v->screen == JH_SCREEN_BUSY ? JH_COL_PANEL : KUI_ALERT_BG);
    jh_fill(c->d, (SDL_Rect){0, band.y, W, kui_px(c, 8)}, acc);
    jh_fill(c->d, (SDL_Rect){0, band.y + band.h - kui_px(c, 8), W, kui_px(c, 8)}, acc);
    kui_pair(c, kui_inset(band, kui_px(c, 20)), v->title_zh, v->title_en, kui_px(c, 120), kui_px(c, 56),
             v->screen == JH_SCREEN_BUSY ? JH_COL_TEXT : acc, JH_COL_TEXT, "title");
    int y = band.y + band.h + kui_px(c, 50);
    if (v->reason_zh && v->reason_zh[0]) {
        y = draw_line(c, y, pad, W - 2 * pad, kui_first(c, v->reason_zh, v->reason_en), JH_FONT_BOLD,
                      kui_px(c, 54), JH_COL_TEXT, JH_ALIGN_CENTER, "reason");
        y = draw_line(c, y, pad, W - 2 * pad, kui_second(c, v->reason_zh, v->reason_en), JH_FONT_REGULAR,
                      kui_px(c, 36), JH_COL_MUTED, JH_ALIGN_CENTER, "reason.2");
    }
    if (v->tech && v->tech[0])
        draw_line(c, bottom - kui_px(c, 60), pad, W - 2 * pad, v->tech, JH_FONT_REGULAR, kui_px(c, 22),
                  JH_COL_DIM, JH_ALIGN_CENTER, "tech");
    if (has_ok) {
        char zh[64], en[64];
        snprintf(zh, sizeof zh, "返回首页 (%d)", v->countdown_s);
        snprintf(en, sizeof en, "Back to start (%d)", v->countdown_s);
        kui_footer_button(c, JH_BTN_OK, zh, en, "ok");
    }
}
