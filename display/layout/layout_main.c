/* SPDX-License-Identifier: MIT */
/*
 * layout_main — the hall's main board (LCD/TV, designed at 1920×1080, scales).
 *
 *   ┌ header: hall name (zh/en) ······························ clock, date ┐
 *   │ now calling: the newest ticket, huge, blinking │ every counter: number,   │
 *   │ recent calls (history N)                        │ ticket or state, staff,  │
 *   │ waiting per service, estimated wait             │ 暂停服务 + message        │
 *   └ notice line, scrolling ──────────────────────────────────────────────────┘
 *
 * The counter grid picks its columns from the number of counters so that 60
 * counters still get cells tall enough for a readable ticket number.
 */
#include "layout.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    jh_draw *d;
    const jh_view *v;
    const jh_board *b;
    double s;            /* scale from the 1920×1080 design */
} ctx;

static int S(const ctx *c, double v)
{
    return (int)(v * c->s + 0.5);
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static SDL_Rect inset(SDL_Rect r, int dx, int dy)
{
    return (SDL_Rect){r.x + dx, r.y + dy, r.w - 2 * dx, r.h - 2 * dy};
}

/* A panel with a title bar "中文  English"; returns the body below the title. */
static SDL_Rect panel(const ctx *c, SDL_Rect r, const char *zh, const char *en, const char *tag)
{
    int th = S(c, 44);
    jh_fill(c->d, r, JH_COL_PANEL);
    jh_fill(c->d, (SDL_Rect){r.x, r.y, S(c, 6), th}, JH_COL_GOLD);
    SDL_Rect t = {r.x + S(c, 18), r.y, r.w - S(c, 30), th};
    int w = jh_text_in(c->d, zh, JH_FONT_BOLD, S(c, 26), JH_COL_TEXT, t, JH_ALIGN_LEFT, tag);
    t.x += w + S(c, 12);
    t.w -= w + S(c, 12);
    jh_text_in(c->d, en, JH_FONT_REGULAR, S(c, 20), JH_COL_MUTED, t, JH_ALIGN_LEFT, NULL);
    jh_fill(c->d, (SDL_Rect){r.x, r.y + th, r.w, 1}, JH_COL_LINE);
    return (SDL_Rect){r.x, r.y + th + 1, r.w, r.h - th - 1};
}

/* ---- header ---------------------------------------------------------------- */

static void header(const ctx *c, SDL_Rect r)
{
    char hms[16], dzh[64], den[64];
    const char *name = c->b->name[0] ? c->b->name : c->v->hall_name;
    const char *name_en = c->b->name_en[0] ? c->b->name_en : c->v->hall_name_en;
    jh_fill(c->d, r, JH_COL_HEADER);
    jh_fill(c->d, (SDL_Rect){r.x, r.y + r.h - S(c, 4), r.w, S(c, 4)}, JH_COL_GOLD);

    SDL_Rect left = {r.x + S(c, 32), r.y + S(c, 6), S(c, 1000), S(c, 56)};
    jh_text_in(c->d, name, JH_FONT_BOLD, S(c, 42), JH_COL_TEXT, left, JH_ALIGN_LEFT, "header.name");
    left.y += S(c, 54);
    left.h = S(c, 30);
    jh_text_in(c->d, name_en, JH_FONT_REGULAR, S(c, 21), JH_COL_MUTED, left, JH_ALIGN_LEFT, NULL);

    jh_clock_text(c->v->now_ms, hms, sizeof hms, dzh, sizeof dzh, den, sizeof den);
    SDL_Rect clock = {r.x + r.w - S(c, 262), r.y + S(c, 8), S(c, 230), S(c, 80)};
    jh_text_in(c->d, hms, JH_FONT_BOLD, S(c, 58), JH_COL_TEXT, clock, JH_ALIGN_RIGHT, "header.clock");
    SDL_Rect date = {r.x + r.w - S(c, 640), r.y + S(c, 14), S(c, 360), S(c, 36)};
    jh_text_in(c->d, dzh, JH_FONT_REGULAR, S(c, 24), JH_COL_TEXT, date, JH_ALIGN_RIGHT, NULL);
    date.y += S(c, 38);
    jh_text_in(c->d, den, JH_FONT_REGULAR, S(c, 20), JH_COL_MUTED, date, JH_ALIGN_RIGHT, NULL);

    if (c->b->open == 0) { /* the caller says the hall is closed for new tickets */
        SDL_Rect badge = {r.x + S(c, 1030), r.y + S(c, 24), S(c, 230), S(c, 52)};
        jh_fill(c->d, badge, JH_COL_ALERT);
        jh_text_in(c->d, "暂停取号 Closed", JH_FONT_BOLD, S(c, 26), JH_COL_TEXT, inset(badge, S(c, 8), 0),
                   JH_ALIGN_CENTER, "header.closed");
    }
}

/* ---- now calling ------------------------------------------------------------- */

static void hero(const ctx *c, SDL_Rect r)
{
    SDL_Rect body = panel(c, r, "当前叫号", "Now calling", NULL);
    if (c->b->n_history == 0) {
        jh_text_in(c->d, "暂无叫号", JH_FONT_BOLD, S(c, 56), JH_COL_DIM,
                   (SDL_Rect){body.x, body.y + body.h / 2 - S(c, 60), body.w, S(c, 80)},
                   JH_ALIGN_CENTER, "hero.empty");
        jh_text_in(c->d, "No calls yet", JH_FONT_REGULAR, S(c, 28), JH_COL_DIM,
                   (SDL_Rect){body.x, body.y + body.h / 2 + S(c, 20), body.w, S(c, 40)},
                   JH_ALIGN_CENTER, NULL);
        return;
    }
    const jh_board_call *call = &c->b->history[0];
    int inv = jh_view_blink_on(c->v);
    uint32_t bg = inv ? JH_COL_NUMBER : JH_COL_PANEL_HI;
    uint32_t num = inv ? JH_COL_BG : JH_COL_NUMBER, fg = inv ? JH_COL_BG : JH_COL_TEXT;
    uint32_t sub = inv ? JH_COL_HEADER : JH_COL_MUTED;
    SDL_Rect box = inset(body, S(c, 16), S(c, 14));
    jh_fill(c->d, box, bg);
    jh_outline(c->d, box, JH_COL_GOLD, S(c, 3));

    char zh[96], en[96], line_zh[160], line_en[160];
    jh_call_counter_text(c->b, call, zh, sizeof zh, en, sizeof en);
    snprintf(line_zh, sizeof line_zh, "请到 %s 办理", zh);
    snprintf(line_en, sizeof line_en, "Please go to %s", en[0] ? en : zh);

    int bh = box.h; /* ticket, then the Chinese line, then the English line */
    SDL_Rect t = {box.x, box.y + bh * 3 / 100, box.w, bh * 56 / 100};
    jh_text_in(c->d, call->ticket, JH_FONT_BOLD, bh * 52 / 100, num, inset(t, S(c, 20), 0),
               JH_ALIGN_CENTER, "hero.ticket");
    t.y += t.h;
    t.h = bh * 24 / 100;
    jh_text_in(c->d, line_zh, JH_FONT_BOLD, bh * 17 / 100, fg, inset(t, S(c, 20), 0), JH_ALIGN_CENTER,
               "hero.counter");
    t.y += t.h;
    t.h = bh * 14 / 100;
    jh_text_in(c->d, line_en, JH_FONT_REGULAR, bh * 10 / 100, sub, inset(t, S(c, 20), 0),
               JH_ALIGN_CENTER, "hero.counter_en");

    char tag[160] = "";
    if (call->recall)
        snprintf(tag, sizeof tag, "再次呼叫 Recall");
    else if (call->priority[0] && strcmp(call->priority, "none") != 0)
        snprintf(tag, sizeof tag, "绿色通道 Green channel");
    if (tag[0]) {
        SDL_Rect badge = {box.x + S(c, 14), box.y + S(c, 12), S(c, 220), S(c, 34)};
        jh_fill(c->d, badge, call->recall ? JH_COL_PAUSED : JH_COL_GREEN_CH);
        jh_text_in(c->d, tag, JH_FONT_BOLD, S(c, 19), JH_COL_TEXT, inset(badge, S(c, 8), 0),
                   JH_ALIGN_CENTER, "hero.badge");
    }
}

/* ---- recent calls ------------------------------------------------------------- */

static void history(const ctx *c, SDL_Rect r)
{
    SDL_Rect body = panel(c, r, "最近叫号", "Recent calls", NULL);
    int n = c->b->n_history - 1, max = c->v->dc->history;
    if (n > max)
        n = max;
    if (n <= 0) {
        jh_text_in(c->d, "—", JH_FONT_REGULAR, S(c, 28), JH_COL_DIM, body, JH_ALIGN_CENTER, NULL);
        return;
    }
    int cols = n > 4 ? 2 : 1, rows = (n + cols - 1) / cols;
    int rh = clampi((body.h - S(c, 16)) / (rows > 4 ? rows : 4), S(c, 26), S(c, 60));
    int cw = (body.w - S(c, 24)) / cols;
    for (int i = 0; i < n; i++) {
        const jh_board_call *call = &c->b->history[i + 1];
        char zh[96], en[96], tag[48];
        SDL_Rect cell = {body.x + S(c, 12) + (i / rows) * cw, body.y + S(c, 8) + (i % rows) * rh,
                         cw - S(c, 12), rh - S(c, 4)};
        jh_fill(c->d, cell, (i % 2) ? JH_COL_PANEL : JH_COL_PANEL_HI);
        jh_call_counter_text(c->b, call, zh, sizeof zh, en, sizeof en);
        snprintf(tag, sizeof tag, "history.%d", i);
        SDL_Rect l = {cell.x + S(c, 14), cell.y, cell.w * 45 / 100, cell.h};
        jh_text_in(c->d, call->ticket, JH_FONT_BOLD, rh * 66 / 100, JH_COL_NUMBER, l, JH_ALIGN_LEFT, tag);
        SDL_Rect rr = {l.x + l.w, cell.y, cell.w - l.w - S(c, 28), cell.h};
        jh_text_in(c->d, zh, JH_FONT_REGULAR, rh * 56 / 100, JH_COL_TEXT, rr, JH_ALIGN_RIGHT, NULL);
    }
}

/* ---- waiting per service ------------------------------------------------------- */

/* One service: "A 社保业务" and its estimated wait on the left, people waiting big on the right. */
static void service_tile(const ctx *c, const jh_board_service *sv, SDL_Rect t)
{
    char name[200], wait[32], ezh[112], een[48], tag[64];
    jh_fill(c->d, t, JH_COL_PANEL_HI);
    int pad = S(c, 12), h = t.h;
    SDL_Rect num = {t.x + t.w * 64 / 100, t.y, t.w * 36 / 100 - pad, h};
    SDL_Rect l1 = {t.x + pad, t.y + h * 4 / 100, num.x - t.x - pad, h * 50 / 100};
    SDL_Rect l2 = {l1.x, l1.y + l1.h, l1.w, h * 42 / 100};
    snprintf(name, sizeof name, "%s %s", sv->code, sv->name[0] ? sv->name : sv->name_en);
    jh_text_in(c->d, name, JH_FONT_BOLD, clampi(h * 36 / 100, 13, S(c, 26)), JH_COL_TEXT, l1,
               JH_ALIGN_LEFT, NULL);
    jh_wait_text(sv->ewt_s, ezh, sizeof ezh, een, sizeof een);
    if (sv->open == 0)
        snprintf(ezh, sizeof ezh, "暂停取号 Closed");
    else if (sv->ewt_s >= 0)
        snprintf(ezh + strlen(ezh), sizeof ezh - strlen(ezh), " %s", een);
    jh_text_in(c->d, ezh, JH_FONT_REGULAR, clampi(h * 29 / 100, 12, S(c, 20)),
               sv->open == 0 ? JH_COL_DIM : JH_COL_MUTED, l2, JH_ALIGN_LEFT, NULL);
    if (sv->waiting >= 0)
        snprintf(wait, sizeof wait, "%d", sv->waiting);
    else
        snprintf(wait, sizeof wait, "—");
    snprintf(tag, sizeof tag, "service.%s.waiting", sv->code);
    jh_text_in(c->d, wait, JH_FONT_BOLD, clampi(h * 56 / 100, 16, S(c, 48)), JH_COL_NUMBER, num,
               JH_ALIGN_RIGHT, tag);
}

static void services(const ctx *c, SDL_Rect r)
{
    SDL_Rect body = panel(c, r, "等候人数", "People waiting · est. wait", NULL);
    const int n = c->b->n_services;
    if (n == 0)
        return;
    SDL_Rect g = inset(body, S(c, 12), S(c, 10));
    int gap = S(c, 8), cols = n > 4 ? 2 : 1;
    int rows = (n + cols - 1) / cols;
    int th = clampi((g.h - gap * (rows - 1)) / rows, S(c, 34), S(c, 80));
    int fit = (g.h + gap) / (th + gap); /* rows that fit; the rest would be unreadable */
    int tw = (g.w - gap * (cols - 1)) / cols;
    for (int i = 0; i < n && i / cols < fit; i++)
        service_tile(c, &c->b->services[i],
                     (SDL_Rect){g.x + (i % cols) * (tw + gap), g.y + (i / cols) * (th + gap), tw, th});
}

/* ---- counters -------------------------------------------------------------------- */

/* Columns that give the largest readable cell for n counters in area w×h. */
static int grid_cols(int n, int w, int h, int gap)
{
    int best = 1;
    double best_score = -1;
    for (int cols = 1; cols <= 12; cols++) {
        int rows = (n + cols - 1) / cols;
        double cw = (double)(w - gap * (cols - 1)) / cols, ch = (double)(h - gap * (rows - 1)) / rows;
        double score = cw / 2.6 < ch ? cw / 2.6 : ch; /* cells read best about 2.6:1 */
        if (score > best_score + 0.5) {
            best_score = score;
            best = cols;
        }
    }
    return best;
}

static void counter_cell(const ctx *c, const jh_board_counter *k, SDL_Rect cell, int hot)
{
    char label[160], tag[96], staff[200];
    int h = cell.h;
    jh_fill(c->d, cell, hot ? JH_COL_PANEL_HI : JH_COL_PANEL);
    jh_fill(c->d, (SDL_Rect){cell.x, cell.y, S(c, 7), cell.h}, jh_status_color(k->status));
    if (hot)
        jh_outline(c->d, cell, JH_COL_NUMBER, S(c, 3));

    int pad = S(c, 14);
    SDL_Rect top = {cell.x + pad, cell.y + h * 4 / 100, cell.w - pad - S(c, 10), h * 54 / 100};
    SDL_Rect bot = {top.x, top.y + top.h, top.w, h - top.h - h * 8 / 100};
    int label_px = clampi(h * 27 / 100, 14, S(c, 34));
    int num_px = clampi(h * 44 / 100, 18, S(c, 62));
    int small_px = clampi(h * 21 / 100, 13, S(c, 26));

    if (k->number > 0)
        snprintf(label, sizeof label, "%d号窗口", k->number);
    else
        snprintf(label, sizeof label, "%s", k->name[0] ? k->name : k->id);
    SDL_Rect lr = {top.x, top.y, top.w * 48 / 100, top.h};
    snprintf(tag, sizeof tag, "counter.%s.label", k->id);
    jh_text_in(c->d, label, JH_FONT_BOLD, label_px, JH_COL_TEXT, lr, JH_ALIGN_LEFT, tag);

    SDL_Rect rr = {lr.x + lr.w, top.y, top.w - lr.w, top.h};
    snprintf(tag, sizeof tag, "counter.%s.state", k->id);
    if (k->status == JH_COUNTER_SERVING && k->ticket[0]) {
        snprintf(tag, sizeof tag, "counter.%s.ticket", k->id);
        jh_text_in(c->d, k->ticket, JH_FONT_BOLD, num_px, JH_COL_NUMBER, rr, JH_ALIGN_RIGHT, tag);
    } else if (k->status == JH_COUNTER_PAUSED) {
        jh_text_in(c->d, "暂停服务", JH_FONT_BOLD, label_px, JH_COL_PAUSED, rr, JH_ALIGN_RIGHT, tag);
    } else {
        char st[64];
        snprintf(st, sizeof st, "%s", jh_status_zh(k->status));
        jh_text_in(c->d, st, JH_FONT_REGULAR, label_px, jh_status_color(k->status), rr,
                   JH_ALIGN_RIGHT, tag);
    }

    if (k->status == JH_COUNTER_PAUSED) {
        snprintf(tag, sizeof tag, "counter.%s.message", k->id);
        jh_text_marquee(c->d, k->message[0] ? k->message : "Paused", JH_FONT_REGULAR, small_px,
                        JH_COL_PAUSED, bot, JH_ALIGN_LEFT, c->v->scroll_ms, S(c, 70), tag);
        return;
    }
    if (k->status == JH_COUNTER_CLOSED) {
        jh_text_in(c->d, "Closed", JH_FONT_REGULAR, small_px, JH_COL_DIM, bot, JH_ALIGN_LEFT, NULL);
        return;
    }
    if (k->staff_name[0] && k->staff_id[0])
        snprintf(staff, sizeof staff, "%s  工号 %s", k->staff_name, k->staff_id);
    else
        snprintf(staff, sizeof staff, "%s", k->staff_name[0] ? k->staff_name
                                         : k->status == JH_COUNTER_SERVING ? "" : "Available");
    snprintf(tag, sizeof tag, "counter.%s.staff", k->id);
    jh_text_in(c->d, staff, JH_FONT_REGULAR, small_px, JH_COL_MUTED, bot, JH_ALIGN_LEFT, tag);
}

static void counters(const ctx *c, SDL_Rect r)
{
    SDL_Rect body = panel(c, r, "窗口状态", "Counters", NULL);
    int n = c->b->n_counters;
    if (n == 0) {
        jh_text_in(c->d, "—", JH_FONT_REGULAR, S(c, 40), JH_COL_DIM, body, JH_ALIGN_CENTER, NULL);
        return;
    }
    SDL_Rect g = inset(body, S(c, 14), S(c, 12));
    int gap = S(c, 10);
    int cols = grid_cols(n, g.w, g.h, gap), rows = (n + cols - 1) / cols;
    int cw = (g.w - gap * (cols - 1)) / cols;
    int ch = (g.h - gap * (rows - 1)) / rows;
    if (ch > S(c, 150))
        ch = S(c, 150);
    const char *hot = jh_view_hero_fresh(c->v) && c->b->n_history ? c->b->history[0].counter : "";
    for (int i = 0; i < n; i++) {
        SDL_Rect cell = {g.x + (i % cols) * (cw + gap), g.y + (i / cols) * (ch + gap), cw, ch};
        counter_cell(c, &c->b->counters[i], cell, hot[0] && strcmp(hot, c->b->counters[i].id) == 0);
    }
}

/* ---- notice line ------------------------------------------------------------------- */

static void ticker(const ctx *c, SDL_Rect r)
{
    jh_fill(c->d, r, JH_COL_HEADER);
    jh_fill(c->d, (SDL_Rect){r.x, r.y, r.w, S(c, 2)}, JH_COL_GOLD);
    SDL_Rect label = {r.x, r.y + S(c, 2), S(c, 190), r.h - S(c, 2)};
    jh_fill(c->d, label, JH_COL_GOLD);
    jh_text_in(c->d, "通知 Notice", JH_FONT_BOLD, S(c, 24), JH_COL_BG, label, JH_ALIGN_CENTER, NULL);
    SDL_Rect lane = {label.x + label.w + S(c, 20), label.y, r.w - label.w - S(c, 40), label.h};
    const char *text = c->b->notice;
    if (!text[0]) {
        jh_text_in(c->d, "欢迎光临  Welcome", JH_FONT_REGULAR, S(c, 26), JH_COL_MUTED, lane,
                   JH_ALIGN_LEFT, "notice");
        return;
    }
    jh_text_marquee(c->d, text, JH_FONT_REGULAR, S(c, 28), JH_COL_TEXT, lane, JH_ALIGN_LEFT,
                    c->v->scroll_ms, S(c, 110), "notice");
}

/* ---- maintenance ---------------------------------------------------------------------- */

static void maintenance(const ctx *c, SDL_Rect r)
{
    SDL_Rect box = inset(r, S(c, 160), S(c, 120));
    jh_fill(c->d, box, JH_COL_PANEL);
    jh_outline(c->d, box, JH_COL_GOLD, S(c, 3));
    int cy = box.y + box.h / 2;
    jh_text_in(c->d, "系统维护中", JH_FONT_BOLD, S(c, 128), JH_COL_NUMBER,
               (SDL_Rect){box.x, cy - S(c, 230), box.w, S(c, 180)}, JH_ALIGN_CENTER, "maintenance.title");
    jh_text_in(c->d, "System maintenance", JH_FONT_BOLD, S(c, 56), JH_COL_TEXT,
               (SDL_Rect){box.x, cy - S(c, 40), box.w, S(c, 80)}, JH_ALIGN_CENTER, "maintenance.title_en");
    jh_text_in(c->d, "请稍候，工作人员将为您服务", JH_FONT_REGULAR, S(c, 34), JH_COL_MUTED,
               (SDL_Rect){box.x, cy + S(c, 60), box.w, S(c, 52)}, JH_ALIGN_CENTER, NULL);
    jh_text_in(c->d, "Please wait, staff will assist you", JH_FONT_REGULAR, S(c, 26), JH_COL_MUTED,
               (SDL_Rect){box.x, cy + S(c, 112), box.w, S(c, 40)}, JH_ALIGN_CENTER, NULL);
    if (c->v->reason && c->v->reason[0])
        jh_text_in(c->d, c->v->reason, JH_FONT_REGULAR, S(c, 18), JH_COL_DIM,
                   (SDL_Rect){box.x, box.y + box.h - S(c, 44), box.w, S(c, 34)}, JH_ALIGN_CENTER,
                   "maintenance.reason");
}

void jh_layout_main(jh_draw *d, const jh_view *v)
{
    ctx c = {d, v, v->board, 1.0};
    double sx = d->w / 1920.0, sy = d->h / 1080.0;
    c.s = sx < sy ? sx : sy;
    jh_fill(d, (SDL_Rect){0, 0, d->w, d->h}, JH_COL_BG);

    int hh = S(&c, 100), th = S(&c, 56), m = S(&c, 20);
    header(&c, (SDL_Rect){0, 0, d->w, hh});
    SDL_Rect body = {m, hh + m, d->w - 2 * m, d->h - hh - th - 2 * m};
    if (v->maintenance) {
        maintenance(&c, (SDL_Rect){0, hh, d->w, d->h - hh});
        return;
    }
    int lw = S(&c, 640);
    SDL_Rect left = {body.x, body.y, lw, body.h};
    int hero_h = S(&c, 336), hist_h = S(&c, 206);
    hero(&c, (SDL_Rect){left.x, left.y, lw, hero_h});
    history(&c, (SDL_Rect){left.x, left.y + hero_h + m, lw, hist_h});
    services(&c, (SDL_Rect){left.x, left.y + hero_h + hist_h + 2 * m, lw, left.h - hero_h - hist_h - 2 * m});
    counters(&c, (SDL_Rect){left.x + lw + m, body.y, body.w - lw - m, body.h});
    ticker(&c, (SDL_Rect){0, d->h - th, d->w, th});
}
