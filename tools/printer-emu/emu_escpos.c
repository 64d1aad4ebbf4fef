/* SPDX-License-Identifier: MIT */
/*
 * emu_escpos — see emu_escpos.h.
 *
 * One byte at a time: a command's fixed head is collected in `pend` (never
 * more than a few dozen bytes) and decoded once complete; bulk data after a
 * head (bit images, barcodes, QR text) is skipped or collected by counters,
 * so memory stays bounded whatever the head claims.
 */
#include "emu_escpos.h"

#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#define ESC 0x1B
#define GS 0x1D
#define FS 0x1C
#define DLE 0x10

struct jh_emu_parser {
    int columns;
    jh_emu_hooks hooks;
    iconv_t cd;
    int chinese, w, h, bold, reverse, align;
    uint8_t pend[48];
    size_t npend;
    int lead;           /* a GB lead byte waiting for its trail, or -1 */
    uint64_t skip;      /* data bytes of an ignored command still to come */
    int skip_nul;       /* skipping up to a NUL, at most this many more bytes */
    size_t qr_collect;  /* QR store data still to come */
    char *qr;
    size_t qr_len;
    int qr_module, qr_ec;
    jh_emu_line line;
    int col;
    jh_emu_ticket t;
};

/* ---- the ticket model ---- */

static void line_free(jh_emu_line *l)
{
    for (size_t i = 0; i < l->n_spans; i++)
        free(l->spans[i].text);
    free(l->spans);
    free(l->qr);
    memset(l, 0, sizeof *l);
}

void jh_emu_ticket_clear(jh_emu_ticket *t)
{
    for (size_t i = 0; i < t->n_lines; i++)
        line_free(&t->lines[i]);
    free(t->lines);
    memset(t, 0, sizeof *t);
}

/* Takes ownership of *l (and clears it) whether or not it fits. */
static void push_line(jh_emu_ticket *t, jh_emu_line *l)
{
    if (t->n_lines == t->cap && t->n_lines < JH_EMU_MAX_LINES) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        jh_emu_line *n = realloc(t->lines, cap * sizeof *n);
        if (n)
            t->lines = n, t->cap = cap;
    }
    if (t->n_lines < t->cap && t->n_lines < JH_EMU_MAX_LINES) {
        t->lines[t->n_lines++] = *l;
        memset(l, 0, sizeof *l);
    } else {
        t->dropped_lines++;
        line_free(l);
    }
}

static void reset_modes(jh_emu_parser *p)
{
    p->chinese = 1; /* Chinese printers power up in Chinese mode */
    p->w = p->h = 1;
    p->bold = p->reverse = p->align = 0;
}

jh_emu_parser *jh_emu_parser_new(int columns, const jh_emu_hooks *hooks)
{
    jh_emu_parser *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->cd = iconv_open("UTF-8", "GB18030");
    if (p->cd == (iconv_t)-1) {
        free(p);
        return NULL;
    }
    p->columns = columns > 0 ? columns : 48;
    if (hooks)
        p->hooks = *hooks;
    p->lead = -1;
    p->qr_module = 3;
    p->qr_ec = 48;
    reset_modes(p);
    return p;
}

void jh_emu_parser_free(jh_emu_parser *p)
{
    if (!p)
        return;
    iconv_close(p->cd);
    free(p->qr);
    line_free(&p->line);
    jh_emu_ticket_clear(&p->t);
    free(p);
}

const jh_emu_ticket *jh_emu_parser_pending(const jh_emu_parser *p) { return &p->t; }

static int line_empty(const jh_emu_parser *p) { return p->line.n_spans == 0; }

static void end_line(jh_emu_parser *p)
{
    if (line_empty(p))
        p->line.h = p->h;
    push_line(&p->t, &p->line);
    p->col = 0;
}

static int same_style(const jh_emu_span *s, const jh_emu_parser *p)
{
    return s->w == p->w && s->h == p->h && s->bold == p->bold && s->reverse == p->reverse;
}

static void span_append(jh_emu_parser *p, const char *utf8)
{
    jh_emu_line *l = &p->line;
    if (l->n_spans == 0 || !same_style(&l->spans[l->n_spans - 1], p)) {
        jh_emu_span *s = realloc(l->spans, (l->n_spans + 1) * sizeof *s);
        if (!s)
            return;
        l->spans = s;
        s[l->n_spans++] = (jh_emu_span){.text = NULL, .w = p->w, .h = p->h, .bold = p->bold, .reverse = p->reverse};
    }
    jh_emu_span *s = &l->spans[l->n_spans - 1];
    size_t old = s->text ? strlen(s->text) : 0, add = strlen(utf8);
    char *t = realloc(s->text, old + add + 1);
    if (!t)
        return;
    memcpy(t + old, utf8, add + 1);
    s->text = t;
}

/* One printed character `cols` half-width columns wide at size 1. */
static void put_char(jh_emu_parser *p, const char *utf8, int cols)
{
    int cw = cols * p->w;
    int wrap = !line_empty(p) && p->col + cw > p->columns;
    if (wrap) {
        end_line(p);
        p->line.auto_wrapped = 1;
        p->t.auto_wraps++;
    }
    if (line_empty(p))
        p->line.align = p->align;
    span_append(p, utf8);
    p->col += cw;
    if (p->h > p->line.h)
        p->line.h = p->h;
}

static void put_gb(jh_emu_parser *p, uint8_t lead, uint8_t trail)
{
    char in[2] = {(char)lead, (char)trail}, out[8] = {0};
    char *ip = in, *op = out;
    size_t il = 2, ol = sizeof out - 1;
    iconv(p->cd, NULL, NULL, NULL, NULL);
    size_t r = iconv(p->cd, &ip, &il, &op, &ol);
    /* Three UTF-8 bytes EE..EF 80..A3 are private use: GB's user-defined area prints blank. */
    int pua = (uint8_t)out[0] == 0xEE || ((uint8_t)out[0] == 0xEF && (uint8_t)out[1] < 0xA4);
    if (r == (size_t)-1 || il != 0 || pua) {
        p->t.invalid_codes++;
        put_char(p, "\xEF\xBF\xBD", 2);
        return;
    }
    *op = '\0';
    put_char(p, out, 2);
}

static void text_byte(jh_emu_parser *p, uint8_t c)
{
    if (c >= 0x20 && c < 0x7F) {
        char s[2] = {(char)c, 0};
        put_char(p, s, 1);
    } else if (c >= 0x81 && c <= 0xFE && p->chinese) {
        p->lead = c;
    } else if (c >= 0x7F) {
        p->t.invalid_codes++; /* code-page characters are not what Jiaohao sends */
        put_char(p, "\xEF\xBF\xBD", 1);
    } else if (c == '\n') {
        end_line(p);
    }
    /* other control bytes (CR, HT, NUL...) print nothing */
}

/* ---- commands ---- */

static void feed_lines(jh_emu_parser *p, int n)
{
    if (!line_empty(p)) {
        end_line(p);
        n--;
    }
    for (int i = 0; i < n; i++)
        end_line(p);
}

static void cut(jh_emu_parser *p, int feed)
{
    if (!line_empty(p)) {
        p->t.misplaced++; /* real printers ignore a cut in mid-line */
        return;
    }
    p->t.cut_feed = feed;
    if (p->hooks.on_ticket)
        p->hooks.on_ticket(&p->t, p->hooks.ctx);
    jh_emu_ticket_clear(&p->t);
}

static void qr_print(jh_emu_parser *p)
{
    if (!p->qr || p->qr_len == 0)
        return;
    if (!line_empty(p)) {
        p->t.misplaced++;
        end_line(p);
    }
    jh_emu_line l = {.kind = JH_EMU_LINE_QR, .align = p->align, .h = 1, .qr_module = p->qr_module,
                     .qr_ec = p->qr_ec};
    l.qr = malloc(p->qr_len + 1);
    if (!l.qr)
        return;
    memcpy(l.qr, p->qr, p->qr_len);
    l.qr[p->qr_len] = '\0';
    push_line(&p->t, &l);
}

/* GS ( k with its whole (short) parameter block in pend. */
static void qr_command(jh_emu_parser *p, const uint8_t *c, size_t n)
{
    if (n < 2 || c[0] != 0x31)
        return;
    switch (c[1]) {
    case 0x41: break; /* fn 165: model — only model 2 is sent */
    case 0x43: if (n >= 3 && c[2] >= 1 && c[2] <= 16) p->qr_module = c[2]; break;
    case 0x45: if (n >= 3 && c[2] >= 48 && c[2] <= 51) p->qr_ec = c[2]; break;
    case 0x51: qr_print(p); break;
    default: break;
    }
}

static void start_qr_store(jh_emu_parser *p, size_t data_len)
{
    free(p->qr);
    p->qr = malloc((data_len < JH_EMU_MAX_QR ? data_len : JH_EMU_MAX_QR) + 1);
    p->qr_len = 0;
    p->qr_collect = p->qr ? data_len : 0;
    if (!p->qr)
        p->skip = data_len;
}

static void qr_store_byte(jh_emu_parser *p, uint8_t c)
{
    p->qr_collect--;
    if (p->qr_len < JH_EMU_MAX_QR)
        p->qr[p->qr_len++] = (char)c;
}

/* Decoders return 0 while the head is incomplete, else its length (and act). */
typedef size_t (*head_fn)(jh_emu_parser *p, const uint8_t *c, size_t n);

static size_t esc_head(jh_emu_parser *p, const uint8_t *c, size_t n)
{
    static const char one[] = "EG-adJ!3MRtV{ eUTr";
    if (n < 2)
        return 0;
    uint8_t x = c[1];
    if (x == '@' || x == '2' || x == 'L' || x == 'S')
        return x == '@' ? (reset_modes(p), 2) : 2;
    if (x == 'p')
        return n < 5 ? 0 : 5;
    if (x == '$' || x == '\\')
        return n < 4 ? 0 : 4;
    if (x == 'c')
        return n < 4 ? 0 : 4;
    if (x == '*') {
        if (n < 5)
            return 0;
        uint64_t dots = (uint64_t)c[3] + 256u * c[4];
        p->skip = (c[2] == 32 || c[2] == 33) ? 3 * dots : dots;
        return 5;
    }
    if (x == 'B') /* Chinese printers' buzzer: ESC B n t */
        return n < 4 ? 0 : 4;
    if (x == 'D') /* tab stops, ended by NUL */
        return p->skip_nul = 33, 2;
    if (x && strchr(one, x)) {
        if (n < 3)
            return 0;
        uint8_t v = c[2];
        switch (x) {
        case 'E': case 'G': p->bold = v & 1; break;
        case 'a': p->align = (v == 1 || v == 49) ? 1 : (v == 2 || v == 50) ? 2 : 0; break;
        case 'd': feed_lines(p, v); break;
        case 'J': if (!line_empty(p)) end_line(p); break;
        case '!': p->bold = (v >> 3) & 1; p->h = (v & 0x10) ? 2 : 1; p->w = (v & 0x20) ? 2 : 1; break;
        default: break;
        }
        return 3;
    }
    p->t.unknown_commands++;
    return 2;
}

/* GS ( X pL pH ...: every GS ( command carries its own length. */
static size_t gs_paren(jh_emu_parser *p, const uint8_t *c, size_t n)
{
    if (n < 5)
        return 0;
    size_t len = (size_t)c[3] + 256u * c[4];
    if (c[2] != 'k' || len < 2)
        return p->skip = len, 5;
    if (n < 7)
        return 0;
    if (c[5] == 0x31 && c[6] == 0x50) { /* fn 180: store, the data follows */
        if (len < 3)
            return p->skip = len - 2, 7;
        if (n < 8)
            return 0;
        start_qr_store(p, len - 3);
        return 8;
    }
    if (len > 8)
        return p->skip = len - 2, 7;
    if (n < 5 + len)
        return 0;
    qr_command(p, c + 5, len);
    return 5 + len;
}

static size_t gs_head(jh_emu_parser *p, const uint8_t *c, size_t n)
{
    static const char one[] = "!BrHhwfaIb/";
    if (n < 2)
        return 0;
    uint8_t x = c[1];
    if (x == '(')
        return gs_paren(p, c, n);
    if (x == 'V') {
        if (n < 3)
            return 0;
        if (c[2] == 65 || c[2] == 66) {
            if (n < 4)
                return 0;
            return cut(p, c[3]), 4;
        }
        return cut(p, 0), 3;
    }
    if (x == 'k') {
        if (n < 3)
            return 0;
        if (c[2] <= 6)
            return p->skip_nul = 256, 3;
        if (n < 4)
            return 0;
        return p->skip = c[3], 4;
    }
    if (x == 'v') {
        if (n < 8)
            return 0;
        p->skip = ((uint64_t)c[4] + 256u * c[5]) * ((uint64_t)c[6] + 256u * c[7]);
        return 8;
    }
    if (x == '*') {
        if (n < 4)
            return 0;
        return p->skip = (uint64_t)c[2] * c[3] * 8, 4;
    }
    if (x == '8') {
        if (n < 7)
            return 0;
        p->skip = (uint64_t)c[3] | (uint64_t)c[4] << 8 | (uint64_t)c[5] << 16 | (uint64_t)c[6] << 24;
        return 7;
    }
    if (x == 'L' || x == 'W' || x == 'P')
        return n < 4 ? 0 : 4;
    if (x && strchr(one, x)) {
        if (n < 3)
            return 0;
        uint8_t v = c[2];
        if (x == '!') {
            p->w = ((v >> 4) & 7) + 1;
            p->h = (v & 7) + 1;
        } else if (x == 'B') {
            p->reverse = v & 1;
        } else if (x == 'r' && p->hooks.on_gs_r) {
            p->hooks.on_gs_r(v, p->hooks.ctx);
        }
        return 3;
    }
    p->t.unknown_commands++;
    return 2;
}

static size_t fs_head(jh_emu_parser *p, const uint8_t *c, size_t n)
{
    if (n < 2)
        return 0;
    switch (c[1]) {
    case '&': p->chinese = 1; return 2;
    case '.': p->chinese = 0; p->lead = -1; return 2;
    case '!': case '-': case 'W': case 'C': return n < 3 ? 0 : 3;
    case 'S': case 'p': return n < 4 ? 0 : 4;
    default: p->t.unknown_commands++; return 2;
    }
}

/* DLE EOT/ENQ are real-time: answered by the scanner, only stepped over here. */
static size_t dle_head(jh_emu_parser *p, const uint8_t *c, size_t n)
{
    (void)p;
    if (n < 2)
        return 0;
    if (c[1] == 0x04 || c[1] == 0x05)
        return n < 3 ? 0 : 3;
    if (c[1] == 0x14) {
        if (n < 3)
            return 0;
        size_t len = c[2] == 8 ? 10 : 5;
        return n < len ? 0 : len;
    }
    return 1; /* a lone DLE: the next byte stands on its own */
}

static void feed_byte(jh_emu_parser *p, uint8_t c);

static void head_byte(jh_emu_parser *p, uint8_t c)
{
    p->pend[p->npend++] = c;
    head_fn fn = p->pend[0] == ESC ? esc_head : p->pend[0] == GS ? gs_head : p->pend[0] == FS ? fs_head : dle_head;
    size_t used = fn(p, p->pend, p->npend);
    if (used == 0 && p->npend < sizeof p->pend)
        return;
    if (used == 0) { /* a head longer than any real one: give up on it */
        p->t.unknown_commands++;
        used = p->npend;
    }
    size_t rest = p->npend - used;
    uint8_t tail[sizeof p->pend];
    memcpy(tail, p->pend + used, rest);
    p->npend = 0;
    for (size_t i = 0; i < rest; i++)
        feed_byte(p, tail[i]);
}

/* The byte after a GB lead: a trail completes the code; anything else shows
 * the lead as garbage (as a printer would) and is then read on its own. */
static void gb_trail(jh_emu_parser *p, uint8_t c)
{
    uint8_t lead = (uint8_t)p->lead;
    p->lead = -1;
    if (c >= 0x40 && c != 0x7F && c != 0xFF) {
        put_gb(p, lead, c);
        return;
    }
    p->t.invalid_codes++;
    put_char(p, "\xEF\xBF\xBD", 1);
    feed_byte(p, c);
}

static void feed_byte(jh_emu_parser *p, uint8_t c)
{
    if (p->qr_collect) {
        qr_store_byte(p, c);
    } else if (p->skip) {
        p->skip--;
    } else if (p->skip_nul) {
        p->skip_nul = c == 0 ? 0 : p->skip_nul - 1;
    } else if (p->npend) {
        head_byte(p, c);
    } else if (p->lead >= 0) {
        gb_trail(p, c);
    } else if (c == ESC || c == GS || c == FS || c == DLE) {
        head_byte(p, c);
    } else {
        text_byte(p, c);
    }
}

void jh_emu_parser_feed(jh_emu_parser *p, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++)
        feed_byte(p, data[i]);
}

void jh_emu_rt_scan(jh_emu_rt *s, const uint8_t *data, size_t len, void (*on_dle_eot)(int n, void *ctx),
                    void *ctx)
{
    for (size_t i = 0; i < len; i++) {
        uint8_t c = data[i];
        if (s->state == 2 && c >= 1 && c <= 4) {
            on_dle_eot(c, ctx);
            s->state = 0;
        } else if (s->state == 1 && c == 0x04) {
            s->state = 2;
        } else {
            s->state = c == DLE ? 1 : 0;
        }
    }
}
