/* SPDX-License-Identifier: MIT */
/*
 * ticket_layout — see ticket_layout.h.
 *
 * Wrapping works on the encoded GB bytes, where the column count is simply
 * the byte count (ASCII one column, a GB code two), so what is measured is
 * exactly what is printed. English wraps at spaces, Chinese between any two
 * characters.
 */
#include "ticket_layout.h"

#include <stdio.h>
#include <string.h>

/* The ticket's fixed words, Chinese then English. */
#define T_GREEN_ZH "绿色通道"
#define T_GREEN_EN "Green Channel"
#define T_AHEAD_ZH "您前面还有 %d 人"
#define T_AHEAD_EN "%d ahead of you"
#define T_NEXT_ZH "您前面没有人等候"
#define T_NEXT_EN "You are next"
#define T_EWT_ZH "预计等候约 %d 分钟"
#define T_EWT_EN "Est. wait about %d min"
#define T_ISSUED_ZH "取号时间"
#define T_ISSUED_EN "Issued"
#define T_MATERIALS_ZH "一次性告知 · 请备齐以下材料"
#define T_MATERIALS_EN "Please bring all of the following:"
#define T_LIMIT_ZH "承诺时限"
#define T_LIMIT_EN "Time limit"
#define T_HOTLINE_ZH "投诉电话"
#define T_HOTLINE_EN "Complaints"
#define T_RATE_ZH "扫码评价服务"
#define T_RATE_EN "Scan to rate our service"
#define T_WAIT_ZH "请在等候区留意叫号"
#define T_WAIT_EN "Please wait for your number to be called"

typedef struct {
    jh_escpos *b;
    const jh_printer_config *pc;
    int cols;
} layout;

/* Next token of encoded text: a GB code, a space, a newline or an ASCII word
 * (one character at a time when the word can't fit on any line). */
static size_t token(const uint8_t *s, size_t n, int room)
{
    if (s[0] >= 0x81)
        return n >= 2 ? 2 : 1;
    if (s[0] == ' ' || s[0] == '\n')
        return 1;
    size_t k = 0;
    while (k < n && s[k] != ' ' && s[k] != '\n' && s[k] < 0x81)
        k++;
    return (int)k > room ? 1 : k;
}

static int flush_line(jh_escpos *b, jh_escpos *line)
{
    while (line->len > 0 && line->data[line->len - 1] == ' ')
        line->len--;
    jh_escpos_gb(b, line->data, line->len);
    line->len = 0;
    return jh_escpos_newline(b);
}

static void indent_to(jh_escpos *line, int indent)
{
    for (int i = 0; i < indent; i++)
        jh_escpos_gb(line, (const uint8_t *)" ", 1);
}

/* Encoded text into `line`-sized pieces: the greedy wrap. */
static void wrap_gb(jh_escpos *b, const jh_escpos *gb, int width, int indent)
{
    jh_escpos line;
    jh_escpos_init(&line);
    int col = 0, cont = 0; /* cont: on a continuation line, nothing printed yet */
    for (size_t i = 0; i < gb->len && !b->failed;) {
        const uint8_t *tok = gb->data + i;
        size_t k = token(tok, gb->len - i, width - indent);
        i += k;
        if (tok[0] == '\n') {
            flush_line(b, &line);
            col = cont = 0;
            continue;
        }
        if (col > (cont ? indent : 0) && col + (int)k > width) {
            flush_line(b, &line);
            indent_to(&line, col = indent);
            cont = 1;
        }
        if (tok[0] == ' ' && cont)
            continue; /* no space at the start of a continuation line */
        jh_escpos_gb(&line, tok, k);
        col += (int)k;
        cont = 0;
    }
    if (line.len > 0 && !b->failed)
        flush_line(b, &line);
    if (line.failed && !b->failed) {
        snprintf(b->err, sizeof b->err, "%s", line.err);
        b->failed = 1;
    }
    jh_escpos_free(&line);
}

/* `utf8` wrapped to `width` columns; lines after the first start `indent` in. */
static int wrapped(jh_escpos *b, const char *utf8, int width, int indent)
{
    jh_escpos gb;
    jh_escpos_init(&gb);
    if (jh_gb_encode(&gb, utf8, strlen(utf8), NULL) != 0 && !b->failed) {
        snprintf(b->err, sizeof b->err, "%s", gb.err);
        b->failed = 1;
    }
    if (width < 1)
        width = 1;
    wrap_gb(b, &gb, width, indent < width ? indent : 0);
    jh_escpos_free(&gb);
    return jh_escpos_status(b);
}

/* Chinese and English on one line when both fit, else one under the other. */
static int pair(layout *l, const char *zh, const char *en)
{
    int wz = jh_gb_width(zh), we = jh_gb_width(en);
    if (!*en)
        return wrapped(l->b, zh, l->cols, 0);
    if (!*zh)
        return wrapped(l->b, en, l->cols, 0);
    if (wz >= 0 && we >= 0 && wz + 2 + we <= l->cols) {
        char both[2 * JH_LONG_TEXT_LEN + 4];
        snprintf(both, sizeof both, "%s  %s", zh, en);
        return wrapped(l->b, both, l->cols, 0);
    }
    wrapped(l->b, zh, l->cols, 0);
    return wrapped(l->b, en, l->cols, 0);
}

static int rule(layout *l)
{
    char dashes[64];
    int n = l->cols < (int)sizeof dashes - 1 ? l->cols : (int)sizeof dashes - 1;
    memset(dashes, '-', (size_t)n);
    dashes[n] = '\0';
    jh_escpos_align(l->b, JH_ESC_ALIGN_LEFT);
    return wrapped(l->b, dashes, l->cols, 0);
}

static int header(layout *l, const jh_hall_config *cfg, const jh_service_config *svc)
{
    jh_escpos *b = l->b;
    jh_escpos_align(b, JH_ESC_ALIGN_CENTER);
    jh_escpos_bold(b, 1);
    wrapped(b, cfg->name_zh, l->cols, 0);
    jh_escpos_bold(b, 0);
    wrapped(b, cfg->name_en, l->cols, 0);
    rule(l);
    jh_escpos_align(b, JH_ESC_ALIGN_CENTER);
    jh_escpos_size(b, 2, 2);
    wrapped(b, svc->name_zh, l->cols / 2, 0);
    jh_escpos_size(b, 1, 1);
    return wrapped(b, svc->name_en, l->cols, 0);
}

/* As large as the paper allows, up to number_size. */
static int number_block(layout *l, const char *ticket)
{
    int n = (int)strlen(ticket);
    int k = l->pc->number_size;
    while (k > 1 && n * k > l->cols)
        k--;
    jh_escpos *b = l->b;
    jh_escpos_align(b, JH_ESC_ALIGN_CENTER);
    jh_escpos_size(b, k, k);
    jh_escpos_bold(b, 1);
    wrapped(b, ticket, l->cols / k, 0);
    jh_escpos_bold(b, 0);
    return jh_escpos_size(b, 1, 1);
}

static int green_mark(layout *l, const jh_hall_config *cfg, jh_priority p)
{
    jh_escpos *b = l->b;
    char en[JH_TEXT_LEN + 32];
    snprintf(en, sizeof en, T_GREEN_EN " - %s", cfg->priority_en[p]);
    jh_escpos_align(b, JH_ESC_ALIGN_CENTER);
    jh_escpos_size(b, 2, 2);
    jh_escpos_bold(b, 1);
    jh_escpos_reverse(b, 1);
    wrapped(b, " " T_GREEN_ZH " ", l->cols / 2, 0);
    jh_escpos_reverse(b, 0);
    jh_escpos_size(b, 1, 1);
    pair(l, cfg->priority_zh[p], en);
    return jh_escpos_bold(b, 0);
}

/* "2026-11-23T09:05:07+08:00" → "2026-11-23 09:05"; anything else as it came. */
static void short_time(char *buf, size_t len, const char *iso)
{
    int y, mo, d, h, mi;
    if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) == 5)
        snprintf(buf, len, "%04d-%02d-%02d %02d:%02d", y, mo, d, h, mi);
    else
        snprintf(buf, len, "%s", iso);
}

static int wait_block(layout *l, const jh_issued_ticket *t)
{
    char zh[128], en[128], when[48];
    jh_escpos_align(l->b, JH_ESC_ALIGN_LEFT);
    if (t->ahead > 0) {
        snprintf(zh, sizeof zh, T_AHEAD_ZH, t->ahead);
        snprintf(en, sizeof en, T_AHEAD_EN, t->ahead);
        pair(l, zh, en);
        if (t->ewt_s > 0) {
            int min = (t->ewt_s + 59) / 60;
            snprintf(zh, sizeof zh, T_EWT_ZH, min);
            snprintf(en, sizeof en, T_EWT_EN, min);
            pair(l, zh, en);
        }
    } else {
        pair(l, T_NEXT_ZH, T_NEXT_EN);
    }
    short_time(when, sizeof when, t->issued_at);
    snprintf(zh, sizeof zh, T_ISSUED_ZH " " T_ISSUED_EN " %s", when);
    return wrapped(l->b, zh, l->cols, 0);
}

/* "1. 身份证原件  ID card (original)", or the English under the Chinese,
 * both indented past the number, when one line is too short. */
static int material(layout *l, int number, const char *zh, const char *en)
{
    char item[2 * JH_TEXT_LEN + 16];
    int w = snprintf(item, sizeof item, "%d. ", number);
    int wz = jh_gb_width(zh), we = jh_gb_width(en);
    if (*en && wz >= 0 && we >= 0 && w + wz + 2 + we <= l->cols) {
        snprintf(item + w, sizeof item - (size_t)w, "%s  %s", zh, en);
        return wrapped(l->b, item, l->cols, w);
    }
    snprintf(item + w, sizeof item - (size_t)w, "%s", zh);
    wrapped(l->b, item, l->cols, w);
    if (!*en)
        return jh_escpos_status(l->b);
    snprintf(item, sizeof item, "%*s%s", w, "", en);
    return wrapped(l->b, item, l->cols, w);
}

/* 一次性告知: the checklist and the promised time limit. */
static int materials_block(layout *l, const jh_service_config *svc)
{
    jh_escpos *b = l->b;
    if (svc->n_materials == 0 && !svc->time_limit_zh[0] && !svc->time_limit_en[0])
        return jh_escpos_status(b);
    rule(l);
    if (svc->n_materials > 0) {
        jh_escpos_bold(b, 1);
        wrapped(b, T_MATERIALS_ZH, l->cols, 0);
        jh_escpos_bold(b, 0);
        wrapped(b, T_MATERIALS_EN, l->cols, 0);
    }
    for (int i = 0; i < svc->n_materials; i++)
        material(l, i + 1, svc->materials_zh[i], svc->materials_en[i]);
    if (svc->time_limit_zh[0] || svc->time_limit_en[0]) {
        char zh[JH_TEXT_LEN + 16], en[JH_TEXT_LEN + 16];
        snprintf(zh, sizeof zh, T_LIMIT_ZH ": %s", svc->time_limit_zh);
        snprintf(en, sizeof en, T_LIMIT_EN ": %s", svc->time_limit_en);
        jh_escpos_bold(b, 1);
        pair(l, svc->time_limit_zh[0] ? zh : "", svc->time_limit_en[0] ? en : "");
        jh_escpos_bold(b, 0);
    }
    return jh_escpos_status(b);
}

static int footer(layout *l, const jh_hall_config *cfg, const jh_issued_ticket *t)
{
    jh_escpos *b = l->b;
    rule(l);
    if (cfg->hotline[0]) {
        char line[JH_TEXT_LEN + 40];
        snprintf(line, sizeof line, T_HOTLINE_ZH " " T_HOTLINE_EN ": %s", cfg->hotline);
        jh_escpos_align(b, JH_ESC_ALIGN_LEFT);
        wrapped(b, line, l->cols, 0);
    }
    jh_escpos_align(b, JH_ESC_ALIGN_CENTER);
    char qr[JH_LONG_TEXT_LEN * 3 + 64];
    if (l->pc->qr && jh_ticket_qr_payload(qr, sizeof qr, cfg->rating_url, t->ticket, t->day) == 0 && qr[0]) {
        jh_escpos_qr(b, qr, l->pc->qr_module, JH_QR_EC_M);
        pair(l, T_RATE_ZH, T_RATE_EN);
    }
    pair(l, T_WAIT_ZH, T_WAIT_EN);
    return jh_escpos_cut(b, l->pc->cut_feed);
}

int jh_ticket_qr_payload(char *buf, size_t len, const char *rating_url, const char *ticket, int day)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    buf[0] = '\0';
    if (!*rating_url)
        return 0;
    for (const unsigned char *p = (const unsigned char *)rating_url; *p; p++) {
        if (n + 4 > len)
            return -1;
        if (*p > 0x20 && *p < 0x7F) {
            buf[n++] = (char)*p;
        } else {
            buf[n++] = '%', buf[n++] = hex[*p >> 4], buf[n++] = hex[*p & 15];
        }
    }
    /* hall.ini's rating_url is a prefix the ticket id completes ("...&ticket=");
     * a plain URL gets its own query. The day makes the id unique over time. */
    int w = rating_url[strlen(rating_url) - 1] == '='
                ? snprintf(buf + n, len - n, "%s&d=%d", ticket, day)
                : snprintf(buf + n, len - n, "%ct=%s&d=%d", strchr(rating_url, '?') ? '&' : '?', ticket, day);
    return w < 0 || (size_t)w >= len - n ? -1 : 0;
}

static int check_ticket(const jh_hall_config *cfg, const jh_issued_ticket *t, char *err, size_t errlen)
{
    size_t n = strlen(t->ticket);
    if (n == 0 || n > 12 || strspn(t->ticket, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != n) {
        snprintf(err, errlen, "ticket number '%.40s' is not 1-12 capital letters and digits", t->ticket);
        return -1;
    }
    if ((unsigned)t->priority >= JH_PRIO_COUNT) {
        snprintf(err, errlen, "ticket %s: unknown priority %d", t->ticket, (int)t->priority);
        return -1;
    }
    if (jh_config_service_index(cfg, t->service) < 0) {
        snprintf(err, errlen, "ticket %s: service '%.40s' is not in the hall config", t->ticket, t->service);
        return -1;
    }
    return 0;
}

int jh_ticket_layout(jh_escpos *out, const jh_hall_config *cfg, const jh_printer_config *pc,
                     const jh_issued_ticket *t, char *err, size_t errlen)
{
    if (check_ticket(cfg, t, err, errlen) != 0)
        return -1;
    const jh_service_config *svc = &cfg->services[jh_config_service_index(cfg, t->service)];
    jh_escpos b;
    jh_escpos_init(&b);
    layout l = {.b = &b, .pc = pc, .cols = pc->columns};
    jh_escpos_reset(&b);
    header(&l, cfg, svc);
    number_block(&l, t->ticket);
    if (t->priority != JH_PRIO_NONE)
        green_mark(&l, cfg, t->priority);
    wait_block(&l, t);
    materials_block(&l, svc);
    footer(&l, cfg, t);
    int rc = jh_escpos_status(&b);
    if (rc != 0)
        snprintf(err, errlen, "ticket %s: %s", t->ticket, b.err);
    else if (jh_escpos_append(out, &b) != 0) {
        snprintf(err, errlen, "ticket %s: %s", t->ticket, out->err);
        rc = -1;
    }
    jh_escpos_free(&b);
    return rc;
}
