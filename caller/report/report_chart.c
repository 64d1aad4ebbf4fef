/* SPDX-License-Identifier: MIT */
/*
 * report_chart — the three report charts (see report_chart.h).
 */
#include "report_chart.h"

#include <stdio.h>
#include <string.h>

#include "report_canvas.h"

typedef void (*chart_fn)(jh_canvas *c, jh_report *r, const char *subtitle);

typedef struct {
    char text[24][16];
    const char *ptr[24];
    int n;
} hour_labels;

static void make_hour_labels(const jh_report *r, hour_labels *l)
{
    l->n = r->last_hour - r->first_hour + 1;
    for (int i = 0; i < l->n; i++) {
        snprintf(l->text[i], sizeof l->text[i], "%02d:00", r->first_hour + i);
        l->ptr[i] = l->text[i];
    }
}

static void draw_wait(jh_canvas *c, jh_report *r, const char *subtitle)
{
    static const jh_legend_item legend[] = {{"平均等候 / mean", JH_RGB_BLUE, 0}, {"P90", JH_RGB_DARK, 1}};
    const jh_plot_text t = {"各时段等候时间 · Waiting time by hour of arrival", subtitle,
                            "等候（分钟）/ Waiting (minutes)", "取号时段 / Hour the ticket was issued", ""};
    hour_labels l;
    jh_summary s[24];
    double top = 0;
    make_hour_labels(r, &l);
    for (int i = 0; i < l.n; i++) {
        s[i] = jh_sample_summary(&r->hours[r->first_hour + i].wait);
        top = s[i].p90 / 60 > top ? s[i].p90 / 60 : top;
    }
    jh_plot p;
    char v[16];
    jh_plot_begin(c, &p, &t, top, 0, l.n, l.ptr);
    for (int i = 0; i < l.n; i++) {
        if (!s[i].n)
            continue;
        SDL_Rect bar = jh_plot_bar(c, &p, i, 0, 1, s[i].mean / 60, JH_RGB_BLUE);
        jh_plot_mark(c, &p, i, 0, 1, s[i].mean / 60, s[i].p90 / 60, JH_RGB_DARK);
        snprintf(v, sizeof v, "%.1f", s[i].mean / 60);
        jh_plot_label_above(c, bar, v, JH_RGB_TEXT);
    }
    jh_plot_legend(c, &p, legend, 2);
    if (!r->summary.wait.n)
        jh_plot_note(c, &p, "本期无人被叫号 · nobody was called in this period");
}

static void count_bar(jh_canvas *c, const jh_plot *p, int slot, int k, int count, uint32_t rgb)
{
    char v[16];
    if (count <= 0)
        return;
    snprintf(v, sizeof v, "%d", count);
    jh_plot_label_above(c, jh_plot_bar(c, p, slot, k, 2, count, rgb), v, JH_RGB_TEXT);
}

static void draw_flow(jh_canvas *c, jh_report *r, const char *subtitle)
{
    static const jh_legend_item legend[] = {{"取号 / issued", JH_RGB_BLUE, 0},
                                            {"办结 / served", JH_RGB_GREEN, 0}};
    const jh_plot_text t = {"各时段取号与办结 · Arrivals and served by hour", subtitle,
                            "人次 / tickets", "时段 / Hour", ""};
    hour_labels l;
    double top = 0;
    make_hour_labels(r, &l);
    for (int i = 0; i < l.n; i++) {
        const jh_report_group *g = &r->hours[r->first_hour + i];
        top = g->tickets > top ? g->tickets : top;
        top = g->served > top ? g->served : top;
    }
    jh_plot p;
    jh_plot_begin(c, &p, &t, top, 0, l.n, l.ptr);
    for (int i = 0; i < l.n; i++) {
        count_bar(c, &p, i, 0, r->hours[r->first_hour + i].tickets, JH_RGB_BLUE);
        count_bar(c, &p, i, 1, r->hours[r->first_hour + i].served, JH_RGB_GREEN);
    }
    jh_plot_legend(c, &p, legend, 2);
    if (!r->summary.tickets)
        jh_plot_note(c, &p, "本期无取号 · no tickets in this period");
}

static void satisfaction_bar(jh_canvas *c, const jh_plot *p, int slot, const jh_report_group *g)
{
    char v[32];
    double rate = jh_group_satisfaction(g);
    if (rate < 0) { /* a stub, so "no ratings" is visibly not "0 %" */
        SDL_Rect stub = jh_plot_bar(c, p, slot, 0, 1, 1.5, JH_RGB_NODATA);
        snprintf(v, sizeof v, "全部可疑 (%d)", g->flagged); /* every rating flagged: say so */
        jh_plot_label_above(c, stub, g->flagged ? v : "无评价", g->flagged ? JH_RGB_RED : JH_RGB_MUTED);
        return;
    }
    snprintf(v, sizeof v, "%.0f%% (%d)", rate, g->ratings - g->flagged);
    SDL_Rect bar = jh_plot_bar(c, p, slot, 0, 1, rate, rate >= JH_SATISFACTION_LINE ? JH_RGB_GREEN : JH_RGB_RED);
    jh_plot_label_above(c, bar, v, JH_RGB_TEXT);
}

static void draw_satisfaction(jh_canvas *c, jh_report *r, const char *subtitle)
{
    static const jh_legend_item legend[] = {{"达标 / met", JH_RGB_GREEN, 0},
                                            {"未达标 / below", JH_RGB_RED, 0},
                                            {"80% 达标线 / pass line", JH_RGB_RED, 1}};
    const jh_plot_text t = {"各窗口满意率 · Satisfaction rate by counter", subtitle,
                            "满意率 / satisfaction", "窗口（括号内为有效评价数）/ Counter (valid ratings in brackets)",
                            "%"};
    char text[JH_MAX_COUNTERS][JH_ID_LEN];
    const char *labels[JH_MAX_COUNTERS] = {0};
    int n = r->counters.n < JH_MAX_COUNTERS ? r->counters.n : JH_MAX_COUNTERS;
    for (int i = 0; i < n; i++) {
        int ci = jh_config_counter_index(r->cfg, r->counters.g[i].key);
        if (ci >= 0)
            snprintf(text[i], sizeof text[i], "%d号", r->cfg->counters[ci].number);
        else
            snprintf(text[i], sizeof text[i], "%s", r->counters.g[i].key);
        labels[i] = text[i];
    }
    jh_plot p;
    jh_plot_begin(c, &p, &t, 100, 110, n, labels); /* headroom for the labels over 100 % */
    for (int i = 0; i < n; i++)
        satisfaction_bar(c, &p, i, &r->counters.g[i]);
    jh_plot_hline(c, &p, JH_SATISFACTION_LINE, JH_RGB_RED);
    jh_plot_legend(c, &p, legend, 3);
}

static int one_chart(jh_report *r, const char *dir, const char *name, chart_fn draw, char *err,
                     size_t errlen)
{
    jh_canvas c;
    char path[1024], subtitle[JH_TEXT_LEN * 2 + 64];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(subtitle, sizeof subtitle, "%s %s · %s", r->cfg->name_zh, r->cfg->name_en, r->period.label);
    if (jh_canvas_open(&c, JH_CHART_W, JH_CHART_H, err, errlen) < 0)
        return -1;
    draw(&c, r, subtitle);
    int rc = jh_canvas_save_png(&c, path, err, errlen);
    jh_canvas_close(&c);
    return rc;
}

int jh_report_write_charts(jh_report *r, const char *dir, char *err, size_t errlen)
{
    if (one_chart(r, dir, "wait-by-hour.png", draw_wait, err, errlen) < 0 ||
        one_chart(r, dir, "arrivals-served-by-hour.png", draw_flow, err, errlen) < 0)
        return -1;
    return one_chart(r, dir, "satisfaction-by-counter.png", draw_satisfaction, err, errlen);
}
