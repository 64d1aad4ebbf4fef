/* SPDX-License-Identifier: MIT */
/*
 * kiosk_ui — the frame, the header, and the choosing screens: home, green
 * channel, service for a green-channel ticket (see kiosk_ui.h). The
 * confirmation and message screens are in kiosk_ui_msg.c.
 */
#include "kiosk_ui.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hall_time.h"
#include "kiosk_ui_int.h"

int kui_px(const kui *c, double v) { return (int)lround(v * c->s); }
const char *kui_first(const kui *c, const char *zh, const char *en) { return c->v->lang_en ? en : zh; }
const char *kui_second(const kui *c, const char *zh, const char *en) { return c->v->lang_en ? zh : en; }
SDL_Rect kui_inset(SDL_Rect r, int d) { return (SDL_Rect){r.x + d, r.y + d, r.w - 2 * d, r.h - 2 * d}; }

void kui_add_button(kui *c, jh_button_kind kind, int arg, int enabled, SDL_Rect r, const char *name)
{
    if (c->out->n == JH_UI_MAX_BUTTONS)
        return;
    jh_button *b = &c->out->b[c->out->n++];
    *b = (jh_button){.kind = kind, .arg = arg, .enabled = enabled, .box = {r.x, r.y, r.w, r.h}};
    snprintf(b->name, sizeof b->name, "%s", name);
}

void kui_pair(kui *c, SDL_Rect r, const char *zh, const char *en, int px1, int px2, uint32_t c1, uint32_t c2,
              const char *tag)
{
    char t2[80];
    int h1 = px1 * 13 / 10, h2 = px2 * 13 / 10, y = r.y + (r.h - h1 - h2) / 2;
    snprintf(t2, sizeof t2, "%s.2", tag ? tag : "");
    jh_text_in(c->d, kui_first(c, zh, en), JH_FONT_BOLD, px1, c1, (SDL_Rect){r.x, y, r.w, h1}, JH_ALIGN_CENTER, tag);
    jh_text_in(c->d, kui_second(c, zh, en), JH_FONT_REGULAR, px2, c2, (SDL_Rect){r.x, y + h1, r.w, h2},
               JH_ALIGN_CENTER, tag ? t2 : NULL);
}

int kui_header(kui *c)
{
    const jh_ui_view *v = c->v;
    int h = c->portrait ? c->d->h * 10 / 100 : c->d->h * 14 / 100, pad = kui_px(c, 32);
    char hms[16], dzh[64], den[64];
    const char *zh = v->board && v->board->name[0] ? v->board->name : v->cfg->name_zh;
    const char *en = v->board && v->board->name_en[0] ? v->board->name_en : v->cfg->name_en;
    jh_fill(c->d, (SDL_Rect){0, 0, c->d->w, h}, JH_COL_HEADER);
    jh_fill(c->d, (SDL_Rect){0, h - kui_px(c, 5), c->d->w, kui_px(c, 5)}, JH_COL_GOLD);
    jh_clock_text(v->now_ms, hms, sizeof hms, dzh, sizeof dzh, den, sizeof den);
    hms[5] = '\0'; /* HH:MM: seconds would re-render a texture every second for nothing */
    int cw = kui_px(c, 300);
    SDL_Rect left = {pad, 0, c->d->w - cw - 2 * pad, h - kui_px(c, 5)};
    SDL_Rect top = {left.x, left.y + left.h * 12 / 100, left.w, left.h * 50 / 100};
    jh_text_in(c->d, kui_first(c, zh, en), JH_FONT_BOLD, kui_px(c, 52), JH_COL_TEXT, top, JH_ALIGN_LEFT, "hall");
    SDL_Rect bot = {left.x, top.y + top.h, left.w, left.h * 32 / 100};
    jh_text_in(c->d, kui_second(c, zh, en), JH_FONT_REGULAR, kui_px(c, 30), JH_COL_MUTED, bot, JH_ALIGN_LEFT,
               "hall.2");
    SDL_Rect clock = {c->d->w - cw - pad, top.y, cw, top.h};
    jh_text_in(c->d, hms, JH_FONT_BOLD, kui_px(c, 64), JH_COL_TEXT, clock, JH_ALIGN_RIGHT, "clock");
    jh_text_in(c->d, kui_first(c, dzh, den), JH_FONT_REGULAR, kui_px(c, 26), JH_COL_MUTED,
               (SDL_Rect){clock.x - kui_px(c, 100), bot.y, cw + kui_px(c, 100), bot.h}, JH_ALIGN_RIGHT, "date");
    return h;
}

int kui_footer_h(const kui *c) { return c->portrait ? c->d->h * 12 / 100 : c->d->h * 16 / 100; }

void kui_footer_button(kui *c, jh_button_kind kind, const char *zh, const char *en, const char *name)
{
    int fh = kui_footer_h(c), gap = kui_px(c, 24);
    SDL_Rect r = {gap, c->d->h - fh + gap / 2, c->d->w - 2 * gap, fh - gap};
    jh_fill(c->d, r, KUI_NEUTRAL);
    jh_outline(c->d, r, KUI_BTN_EDGE, kui_px(c, 4));
    kui_pair(c, r, zh, en, kui_px(c, 56), kui_px(c, 34), JH_COL_TEXT, JH_COL_MUTED, name);
    kui_add_button(c, kind, 0, 1, r, name);
}

/* ---- services ------------------------------------------------------------------ */

static const jh_board_service *board_service(const jh_ui_view *v, int si)
{
    return v->board ? jh_board_service_find(v->board, v->cfg->services[si].code) : NULL;
}

/* "14:00" today, "明天 08:30" / "tomorrow 08:30", else "11-26 08:30": from ISO hall time. */
static void when_text(const jh_ui_view *v, const char *iso, char *zh, size_t zl, char *en, size_t el)
{
    char today[40], tomorrow[40];
    jh_time_iso8601(v->now_ms, today, sizeof today);
    jh_time_iso8601(v->now_ms + 86400000, tomorrow, sizeof tomorrow);
    zh[0] = en[0] = '\0';
    if (strlen(iso) < 16)
        return;
    int is_today = strncmp(iso, today, 10) == 0, is_tomorrow = strncmp(iso, tomorrow, 10) == 0;
    snprintf(zh, zl, "%s%.5s%s%.5s", is_today ? "" : is_tomorrow ? "明天 " : "", is_today || is_tomorrow ? "" : iso + 5,
             is_today || is_tomorrow ? "" : " ", iso + 11);
    snprintf(en, el, "%s%.5s%s%.5s", is_today ? "" : is_tomorrow ? "tomorrow " : "",
             is_today || is_tomorrow ? "" : iso + 5, is_today || is_tomorrow ? "" : " ", iso + 11);
}

/* The next opening as text, from the caller's next_open, else the configured hours. */
static void next_open_text(const jh_ui_view *v, int si, char *zh, size_t zl, char *en, size_t el)
{
    const jh_board_service *bs = board_service(v, si);
    char iso[40] = "";
    int64_t next = 0;
    if (bs && bs->next_open[0])
        snprintf(iso, sizeof iso, "%s", bs->next_open);
    else if (!jh_service_open_at(&v->cfg->services[si], v->now_ms, &next) && next > 0)
        jh_time_iso8601(next, iso, sizeof iso);
    when_text(v, iso, zh, zl, en, el);
}

static void info_text(const kui *c, int si, int open, char *zh, size_t zl, char *en, size_t el)
{
    const jh_board_service *bs = board_service(c->v, si);
    char wzh[32], wen[32];
    if (!open) {
        next_open_text(c->v, si, wzh, sizeof wzh, wen, sizeof wen);
        snprintf(zh, zl, wzh[0] ? "暂停取号 · %s 开始" : "今日已停止取号", wzh);
        snprintf(en, el, wen[0] ? "Closed · opens %s" : "Closed for today", wen);
        return;
    }
    int waiting = !bs ? -1 : c->v->screen == JH_SCREEN_GREEN_SERVICE ? bs->waiting_priority : bs->waiting;
    if (waiting < 0) {
        snprintf(zh, zl, "请点击取号");
        snprintf(en, el, "Tap to take a ticket");
        return;
    }
    jh_wait_text(bs->ewt_s, wzh, sizeof wzh, wen, sizeof wen);
    snprintf(zh, zl, "等候 %d 人 · %s", waiting, wzh);
    snprintf(en, el, "%d waiting · %s", waiting, wen);
}

static void service_button(kui *c, SDL_Rect r, int si)
{
    const jh_service_config *s = &c->v->cfg->services[si];
    int open = jh_ui_service_open(c->v, si), green = c->v->screen == JH_SCREEN_GREEN_SERVICE;
    char zh[96], en[96], tag[48];
    jh_fill(c->d, r, open ? KUI_BTN : KUI_OFF);
    jh_outline(c->d, r, open ? (green ? KUI_GREEN_EDGE : KUI_BTN_EDGE) : KUI_OFF_EDGE, kui_px(c, open ? 4 : 2));
    SDL_Rect in = kui_inset(r, kui_px(c, 16));
    int px = (int)fmin(kui_px(c, 66), in.h * 0.27);
    snprintf(tag, sizeof tag, "service:%s", s->code);
    kui_pair(c, (SDL_Rect){in.x, in.y, in.w, in.h * 58 / 100}, s->name_zh, s->name_en, px, px * 50 / 100,
             open ? JH_COL_TEXT : KUI_OFF_TEXT, open ? KUI_BTN_INFO : KUI_OFF_TEXT, tag);
    info_text(c, si, open, zh, sizeof zh, en, sizeof en);
    snprintf(tag, sizeof tag, "service:%s:info", s->code);
    kui_pair(c, (SDL_Rect){in.x, in.y + in.h * 58 / 100, in.w, in.h * 42 / 100}, zh, en, px * 56 / 100,
             px * 46 / 100, open ? JH_COL_GOLD : KUI_OFF_TEXT, open ? KUI_BTN_INFO : KUI_OFF_TEXT, tag);
    snprintf(tag, sizeof tag, "service:%s", s->code);
    kui_add_button(c, JH_BTN_SERVICE, si, open, r, tag);
}

/* Columns whose cells come closest to a wide, finger-friendly 1.8:1, with few holes. */
static int grid_cols(int n, int w, int h)
{
    int best = 1;
    double best_d = 1e9;
    for (int cols = 1; cols <= 4 && cols <= n; cols++) {
        int rows = (n + cols - 1) / cols;
        double d = fabs(log(((double)w / cols) / ((double)h / rows) / 1.8)) + 0.3 * (rows * cols - n);
        if (d < best_d)
            best_d = d, best = cols;
    }
    return best;
}

static void service_grid(kui *c, SDL_Rect area)
{
    const jh_kiosk_config *k = c->v->kiosk;
    int n = k->n_services, cols = grid_cols(n, area.w, area.h), rows = (n + cols - 1) / cols;
    int gap = kui_px(c, 24), cw = (area.w - gap * (cols + 1)) / cols, ch = (area.h - gap * (rows + 1)) / rows;
    int last_row = (n - 1) / cols, in_last = n - last_row * cols;
    for (int i = 0; i < n; i++) {
        int x0 = i / cols == last_row ? (cols - in_last) * (cw + gap) / 2 : 0; /* centre a short last row */
        SDL_Rect r = {area.x + x0 + gap + (i % cols) * (cw + gap), area.y + gap + (i / cols) * (ch + gap), cw, ch};
        service_button(c, r, k->services[i]);
    }
}

static SDL_Rect prompt(kui *c, int y, const char *zh, const char *en, uint32_t col, const char *tag)
{
    int h = kui_px(c, 120);
    kui_pair(c, (SDL_Rect){kui_px(c, 24), y, c->d->w - kui_px(c, 48), h}, zh, en, kui_px(c, 52), kui_px(c, 32),
             col, JH_COL_MUTED, tag);
    return (SDL_Rect){0, y + h, c->d->w, 0};
}

static void home_footer(kui *c)
{
    int fh = kui_footer_h(c), gap = kui_px(c, 24), lw = c->d->w * 24 / 100;
    SDL_Rect g = {gap, c->d->h - fh + gap / 2, c->d->w - lw - 3 * gap, fh - gap};
    SDL_Rect l = {g.x + g.w + gap, g.y, lw, g.h};
    jh_fill(c->d, g, KUI_GREEN);
    jh_outline(c->d, g, KUI_GREEN_EDGE, kui_px(c, 5));
    kui_pair(c, g, "绿色通道", "Green channel · priority service", kui_px(c, 60), kui_px(c, 30), JH_COL_TEXT,
             0xDFF7E9U, "green");
    kui_add_button(c, JH_BTN_GREEN, 0, 1, g, "green");
    jh_fill(c->d, l, KUI_NEUTRAL);
    jh_outline(c->d, l, KUI_BTN_EDGE, kui_px(c, 4));
    /* the toggle names the other language in that language, so its readers find it */
    SDL_Rect in = kui_inset(l, kui_px(c, 10));
    jh_text_in(c->d, c->v->lang_en ? "中文" : "English", JH_FONT_BOLD, kui_px(c, 54), JH_COL_TEXT,
               (SDL_Rect){in.x, in.y, in.w, in.h * 62 / 100}, JH_ALIGN_CENTER, "lang");
    jh_text_in(c->d, "语言 · Language", JH_FONT_REGULAR, kui_px(c, 28), JH_COL_MUTED,
               (SDL_Rect){in.x, in.y + in.h * 62 / 100, in.w, in.h * 30 / 100}, JH_ALIGN_CENTER, "lang.2");
    kui_add_button(c, JH_BTN_LANG, 0, 1, l, "lang");
}

static void draw_home(kui *c, int top)
{
    int green = c->v->screen == JH_SCREEN_GREEN_SERVICE;
    char zh[200], en[200];
    if (green) {
        snprintf(zh, sizeof zh, "绿色通道 · %s · 请选择业务", c->v->cfg->priority_zh[c->v->green]);
        snprintf(en, sizeof en, "Green channel · %s · choose a service", c->v->cfg->priority_en[c->v->green]);
    }
    SDL_Rect p = green ? prompt(c, top, zh, en, KUI_GREEN_EDGE, "prompt")
                       : prompt(c, top, "请选择您要办理的业务", "Please choose a service", JH_COL_TEXT, "prompt");
    int fh = kui_footer_h(c);
    service_grid(c, (SDL_Rect){0, p.y, c->d->w, c->d->h - fh - p.y});
    if (green)
        kui_footer_button(c, JH_BTN_BACK, "返回", "Back", "back");
    else
        home_footer(c);
}

static void draw_green(kui *c, int top)
{
    SDL_Rect p = prompt(c, top, "绿色通道 · 优先办理 · 请选择", "Green channel · priority service · who is it for?",
                        KUI_GREEN_EDGE, "prompt");
    int fh = kui_footer_h(c), gap = kui_px(c, 28), cols = c->portrait ? 1 : 2, rows = 4 / cols;
    SDL_Rect a = {0, p.y, c->d->w, c->d->h - fh - p.y};
    int cw = (a.w - gap * (cols + 1)) / cols, ch = (a.h - gap * (rows + 1)) / rows;
    for (int i = 0; i < 4; i++) {
        jh_priority pr = (jh_priority)(JH_PRIO_ELDERLY + i);
        SDL_Rect r = {a.x + gap + (i % cols) * (cw + gap), a.y + gap + (i / cols) * (ch + gap), cw, ch};
        char name[48];
        snprintf(name, sizeof name, "prio:%s", jh_priority_name(pr));
        jh_fill(c->d, r, KUI_GREEN);
        jh_outline(c->d, r, KUI_GREEN_EDGE, kui_px(c, 4));
        int px = (int)fmin(kui_px(c, 72), r.h * 0.36);
        kui_pair(c, r, c->v->cfg->priority_zh[pr], c->v->cfg->priority_en[pr], px, px * 55 / 100, JH_COL_TEXT,
                 0xDFF7E9U, name);
        kui_add_button(c, JH_BTN_PRIORITY, pr, 1, r, name);
    }
    kui_footer_button(c, JH_BTN_BACK, "返回", "Back", "back");
}

void jh_ui_draw(jh_draw *d, const jh_ui_view *v, jh_ui_buttons *out)
{
    kui c = {.d = d, .v = v, .out = out, .portrait = d->h > d->w};
    c.s = (d->h < d->w ? d->h : d->w) / 1080.0;
    out->n = 0;
    d->n_records = 0;
    jh_fill(d, (SDL_Rect){0, 0, d->w, d->h}, JH_COL_BG);
    int top = kui_header(&c);
    switch (v->screen) {
    case JH_SCREEN_HOME:
    case JH_SCREEN_GREEN_SERVICE: draw_home(&c, top); break;
    case JH_SCREEN_GREEN: draw_green(&c, top); break;
    case JH_SCREEN_CONFIRM: kui_draw_confirm(&c); break;
    default: kui_draw_message(&c); break;
    }
}
