/* SPDX-License-Identifier: MIT */
/*
 * escpos — see escpos.h. Byte values are those of docs/hardware.md; the unit
 * tests compare whole jobs byte for byte.
 */
#include "escpos.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jh_escpos_init(jh_escpos *b)
{
    memset(b, 0, sizeof *b);
    b->at_line_start = 1;
}

void jh_escpos_free(jh_escpos *b)
{
    free(b->data);
    jh_escpos_init(b);
}

int jh_escpos_status(const jh_escpos *b) { return b->failed ? -1 : 0; }

static int fail(jh_escpos *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(jh_escpos *b, const char *fmt, ...)
{
    if (!b->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(b->err, sizeof b->err, fmt, ap);
        va_end(ap);
        b->failed = 1;
    }
    return -1;
}

static int reserve(jh_escpos *b, size_t extra)
{
    if (b->len + extra <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra)
        cap *= 2;
    uint8_t *p = realloc(b->data, cap);
    if (!p)
        return fail(b, "out of memory (%zu bytes)", cap);
    b->data = p;
    b->cap = cap;
    return 0;
}

/* Appends bytes as one unit: all or nothing. */
static int put(jh_escpos *b, const void *bytes, size_t n)
{
    if (b->failed)
        return -1;
    if (n == 0)
        return 0;
    if (reserve(b, n) != 0)
        return -1;
    memcpy(b->data + b->len, bytes, n);
    b->len += n;
    return 0;
}

int jh_escpos_reset(jh_escpos *b)
{
    static const uint8_t cmd[] = {0x1B, 0x40, 0x1C, 0x26};
    if (put(b, cmd, sizeof cmd) != 0)
        return -1;
    b->at_line_start = 1;
    return 0;
}

int jh_escpos_newline(jh_escpos *b)
{
    if (put(b, "\n", 1) != 0)
        return -1;
    b->at_line_start = 1;
    return 0;
}

static int start_line(jh_escpos *b)
{
    return b->at_line_start ? jh_escpos_status(b) : jh_escpos_newline(b);
}

int jh_escpos_gb(jh_escpos *b, const uint8_t *gb, size_t len)
{
    if (len == 0)
        return jh_escpos_status(b);
    if (put(b, gb, len) != 0)
        return -1;
    b->at_line_start = gb[len - 1] == '\n';
    return 0;
}

int jh_escpos_text(jh_escpos *b, const char *utf8, int *replaced)
{
    if (b->failed)
        return -1;
    size_t before = b->len;
    if (jh_gb_encode(b, utf8, strlen(utf8), replaced) != 0)
        return -1;
    if (b->len > before)
        b->at_line_start = b->data[b->len - 1] == '\n';
    return 0;
}

int jh_escpos_append(jh_escpos *b, const jh_escpos *job)
{
    if (job->failed)
        return fail(b, "%s", job->err);
    if (put(b, job->data, job->len) != 0)
        return -1;
    b->at_line_start = job->at_line_start;
    return 0;
}

int jh_escpos_size(jh_escpos *b, int width, int height)
{
    if (width < 1 || width > 8 || height < 1 || height > 8)
        return fail(b, "character size %dx%d out of range 1..8", width, height);
    uint8_t cmd[] = {0x1D, 0x21, (uint8_t)(((width - 1) << 4) | (height - 1))};
    return put(b, cmd, sizeof cmd);
}

int jh_escpos_bold(jh_escpos *b, int on)
{
    uint8_t cmd[] = {0x1B, 0x45, on ? 1 : 0};
    return put(b, cmd, sizeof cmd);
}

int jh_escpos_align(jh_escpos *b, jh_esc_align a)
{
    if (a != JH_ESC_ALIGN_LEFT && a != JH_ESC_ALIGN_CENTER && a != JH_ESC_ALIGN_RIGHT)
        return fail(b, "bad alignment %d", (int)a);
    uint8_t cmd[] = {0x1B, 0x61, (uint8_t)a};
    return put(b, cmd, sizeof cmd);
}

int jh_escpos_reverse(jh_escpos *b, int on)
{
    uint8_t cmd[] = {0x1D, 0x42, on ? 1 : 0};
    return put(b, cmd, sizeof cmd);
}

int jh_escpos_feed(jh_escpos *b, int lines)
{
    if (lines < 0 || lines > 255)
        return fail(b, "feed of %d lines out of range 0..255", lines);
    uint8_t cmd[] = {0x1B, 0x64, (uint8_t)lines};
    if (put(b, cmd, sizeof cmd) != 0)
        return -1;
    b->at_line_start = 1;
    return 0;
}

static int qr_check(jh_escpos *b, const char *payload, size_t n, int module, jh_qr_ec ec)
{
    if (n == 0 || n > JH_QR_MAX_PAYLOAD)
        return fail(b, "QR payload of %zu bytes (1..%d allowed)", n, JH_QR_MAX_PAYLOAD);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)payload[i] < 0x20 || (unsigned char)payload[i] > 0x7E)
            return fail(b, "QR payload byte %zu is 0x%02X: only printable ASCII is allowed", i,
                        (unsigned char)payload[i]);
    if (module < 1 || module > 16)
        return fail(b, "QR module size %d out of range 1..16", module);
    if (ec < JH_QR_EC_L || ec > JH_QR_EC_H)
        return fail(b, "QR error level %d out of range 48..51", (int)ec);
    return 0;
}

int jh_escpos_qr(jh_escpos *b, const char *payload, int module, jh_qr_ec ec)
{
    size_t n = strlen(payload);
    if (b->failed || qr_check(b, payload, n, module, ec) != 0)
        return -1;
    size_t store = n + 3;
    const uint8_t head[] = {
        0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00,   /* fn 165: model 2 */
        0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, (uint8_t)module, /* fn 167 */
        0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, (uint8_t)ec,  /* fn 169 */
        0x1D, 0x28, 0x6B, (uint8_t)(store & 0xFF), (uint8_t)(store >> 8), 0x31, 0x50, 0x30, /* fn 180 */
    };
    static const uint8_t print[] = {0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30}; /* fn 181 */
    size_t start = b->len;
    if (start_line(b) != 0 || reserve(b, sizeof head + n + sizeof print) != 0)
        return -1;
    if (put(b, head, sizeof head) != 0 || put(b, payload, n) != 0 || put(b, print, sizeof print) != 0) {
        b->len = start;
        return -1;
    }
    b->at_line_start = 1;
    return 0;
}

int jh_escpos_cut(jh_escpos *b, int feed)
{
    if (feed < 0 || feed > 255)
        return fail(b, "cut feed %d out of range 0..255", feed);
    uint8_t cmd[] = {0x1D, 0x56, 0x42, (uint8_t)feed};
    if (start_line(b) != 0 || put(b, cmd, sizeof cmd) != 0)
        return -1;
    b->at_line_start = 1;
    return 0;
}

int jh_escpos_status_barrier(jh_escpos *b)
{
    static const uint8_t cmd[] = {0x1D, 0x72, 0x01};
    return put(b, cmd, sizeof cmd);
}

/* ---- UTF-8 → two-byte GB ---- */

/* Strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF.
 * Returns the sequence length, 0 when invalid. */
static size_t utf8_next(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2, min = 0x80, c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, min = 0x800, c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, min = 0x10000, c &= 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Look-alikes for characters GB18030 can only write in four bytes. */
static const struct {
    unsigned cp;
    const char *as;
} g_lookalike[] = {
    {0x00A0, " "},   {0x00A5, "\xEF\xBF\xA5"}, /* ¥ → ￥ */
    {0x00A9, "(C)"}, {0x00AE, "(R)"},          {0x00AD, "-"},
    {0x00B2, "2"},   {0x00B3, "3"},            {0x00B9, "1"},
    {0x00BD, "1/2"}, {0x00BC, "1/4"},          {0x00BE, "3/4"},
    {0x2010, "-"},   {0x2011, "-"},            {0x2012, "-"},
    {0x2022, "\xC2\xB7"}, /* • → · */         {0x2122, "TM"},
    {0x20A9, "W"},   {0x2032, "'"},            {0x2033, "\""},
    {0x2044, "/"},   {0x2212, "-"},            {0x202F, " "},
    {0x2007, " "},   {0x2009, " "},            {0x200A, " "},
    {0x2002, " "},   {0x2003, " "},
};

static const char *lookalike(unsigned cp)
{
    for (size_t i = 0; i < sizeof g_lookalike / sizeof g_lookalike[0]; i++)
        if (g_lookalike[i].cp == cp)
            return g_lookalike[i].as;
    return NULL;
}

/* Two-byte GB code of cp into gb[2]; 0 when it has none the printer can show. */
static int gb2(iconv_t cd, unsigned cp, uint8_t gb[2])
{
    /* Private-use code points land in GB's user-defined areas: blank on paper. */
    if (cp >= 0xE000 && cp <= 0xF8FF)
        return 0;
    char in[4], out[8];
    size_t inlen;
    if (cp < 0x800)
        in[0] = (char)(0xC0 | (cp >> 6)), in[1] = (char)(0x80 | (cp & 0x3F)), inlen = 2;
    else if (cp < 0x10000)
        in[0] = (char)(0xE0 | (cp >> 12)), in[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
        in[2] = (char)(0x80 | (cp & 0x3F)), inlen = 3;
    else
        return 0; /* everything above the BMP is four bytes in GB18030 */
    char *ip = in, *op = out;
    size_t il = inlen, ol = sizeof out;
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || sizeof out - ol != 2)
        return 0;
    gb[0] = (uint8_t)out[0];
    gb[1] = (uint8_t)out[1];
    return gb[0] >= 0x81 && gb[0] <= 0xFE && gb[1] >= 0x40 && gb[1] != 0x7F && gb[1] <= 0xFE;
}

static int put_cp(jh_escpos *b, iconv_t cd, unsigned cp, int *replaced)
{
    if (cp == '\n')
        return put(b, "\n", 1);
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
        return put(b, " ", 1);
    if (cp < 0x80) {
        uint8_t c = (uint8_t)cp;
        return put(b, &c, 1);
    }
    uint8_t gb[2];
    if (gb2(cd, cp, gb))
        return put(b, gb, 2);
    ++*replaced;
    const char *as = lookalike(cp);
    if (!as)
        return put(b, "?", 1);
    for (const unsigned char *p = (const unsigned char *)as; *p;) {
        unsigned c;
        size_t k = utf8_next(p, strlen((const char *)p), &c);
        if (c < 0x80 ? put(b, p, 1) != 0 : (!gb2(cd, c, gb) || put(b, gb, 2) != 0))
            return put(b, "?", 1);
        p += k;
    }
    return 0;
}

int jh_gb_encode(jh_escpos *out, const char *utf8, size_t len, int *replaced)
{
    int dummy = 0;
    if (!replaced)
        replaced = &dummy;
    *replaced = 0;
    if (out->failed)
        return -1;
    const unsigned char *s = (const unsigned char *)utf8;
    for (size_t i = 0; i < len;) {
        unsigned cp;
        size_t k = utf8_next(s + i, len - i, &cp);
        if (k == 0)
            return fail(out, "text is not valid UTF-8 at byte %zu", i);
        i += k;
    }
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    if (cd == (iconv_t)-1)
        return fail(out, "iconv UTF-8 to GB18030 unavailable: %s", strerror(errno));
    size_t start = out->len;
    int rc = 0;
    for (size_t i = 0; i < len && rc == 0;) {
        unsigned cp;
        i += utf8_next(s + i, len - i, &cp);
        rc = put_cp(out, cd, cp, replaced);
    }
    iconv_close(cd);
    if (rc != 0)
        out->len = start;
    return rc;
}

int jh_gb_width(const char *utf8)
{
    jh_escpos tmp;
    jh_escpos_init(&tmp);
    int w = jh_gb_encode(&tmp, utf8, strlen(utf8), NULL) == 0 ? (int)tmp.len : -1;
    jh_escpos_free(&tmp);
    return w;
}
