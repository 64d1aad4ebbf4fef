/* SPDX-License-Identifier: MIT */
/*
 * staff_csv — see staff_csv.h. One pass over the bytes of a line: a field is
 * either plain (up to the next ',' or the end of the line) or quoted.
 */
#include "staff_csv.h"

#include <stdio.h>
#include <string.h>

#include "utf8_text.h"

void jh_csv_init(jh_csv *c, const char *text, size_t len)
{
    memset(c, 0, sizeof *c);
    c->text = text;
    c->len = len;
    c->line = 1;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        c->pos = 3; /* the BOM a spreadsheet writes first */
}

/* The end of the line that starts at pos: the index of its '\n', or len. */
static size_t line_end(const jh_csv *c, size_t pos)
{
    const char *nl = memchr(c->text + pos, '\n', c->len - pos);
    return nl ? (size_t)(nl - c->text) : c->len;
}

static int skippable(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
        i++;
    return i == n || s[i] == '#';
}

/* Every byte of the line is text: UTF-8, no NUL, no control character but tab and the CR of CRLF. */
static int check_bytes(const char *s, size_t n, char *why, size_t whylen)
{
    for (size_t i = 0, l; i < n; i += l) {
        unsigned char b = (unsigned char)s[i];
        l = jh_utf8_seq_len((const unsigned char *)s + i, n - i);
        if (b == 0 || l == 0) {
            snprintf(why, whylen, b ? "not UTF-8 text" : "a NUL byte");
            return -1;
        }
        if ((b < 0x20 && b != '\t' && !(b == '\r' && i + 1 == n)) || b == 0x7f) {
            snprintf(why, whylen, "a control character");
            return -1;
        }
    }
    return 0;
}

typedef struct {
    char (*fields)[JH_CSV_FIELD_LEN];
    int max, n;
    size_t used; /* bytes in the current field */
} record;

static int put(record *r, char ch, char *why, size_t whylen)
{
    if (r->used + 1 >= JH_CSV_FIELD_LEN) {
        snprintf(why, whylen, "field %d is longer than %d bytes", r->n + 1, JH_CSV_FIELD_LEN - 1);
        return -1;
    }
    r->fields[r->n][r->used++] = ch;
    return 0;
}

static int next_field(record *r, char *why, size_t whylen)
{
    r->fields[r->n][r->used] = '\0';
    if (++r->n >= r->max) {
        snprintf(why, whylen, "more than %d fields", r->max);
        return -1;
    }
    r->used = 0;
    return 0;
}

/* A quoted field starting after its opening quote at s[*i]; *i ends after the closing quote. */
static int quoted(record *r, const char *s, size_t n, size_t *i, char *why, size_t whylen)
{
    for (; *i < n; (*i)++) {
        if (s[*i] != '"') {
            if (put(r, s[*i], why, whylen) < 0)
                return -1;
        } else if (*i + 1 < n && s[*i + 1] == '"') {
            if (put(r, '"', why, whylen) < 0)
                return -1;
            (*i)++;
        } else {
            (*i)++;
            if (*i < n && s[*i] != ',' && !(s[*i] == '\r' && *i + 1 == n)) {
                snprintf(why, whylen, "text after the closing quote of field %d", r->n + 1);
                return -1;
            }
            return 0;
        }
    }
    snprintf(why, whylen, "the quote of field %d does not close on its line", r->n + 1);
    return -1;
}

static int split(record *r, const char *s, size_t n, char *why, size_t whylen)
{
    size_t i = 0;
    int start = 1; /* at the start of a field */
    if (n && s[n - 1] == '\r')
        n--; /* CRLF */
    for (; i < n; i++) {
        if (start && s[i] == '"') {
            i++;
            if (quoted(r, s, n, &i, why, whylen) < 0)
                return -1;
            if (i >= n)
                break;
        }
        if (start && r->n == r->max - 1) {
            /* the last field is the rest of the line: a hash ("m=2048,t=3,p=1") needs no quotes */
            for (; i < n; i++)
                if (put(r, s[i], why, whylen) < 0)
                    return -1;
            break;
        }
        start = 0;
        if (s[i] == ',') {
            if (next_field(r, why, whylen) < 0)
                return -1;
            start = 1;
        } else if (s[i] == '"') {
            snprintf(why, whylen, "a quote inside unquoted field %d", r->n + 1);
            return -1;
        } else if (put(r, s[i], why, whylen) < 0) {
            return -1;
        }
    }
    r->fields[r->n][r->used] = '\0';
    r->n++;
    return 0;
}

int jh_csv_next(jh_csv *c, char (*fields)[JH_CSV_FIELD_LEN], int max, int *n, int *line,
                char *why, size_t whylen)
{
    *n = 0;
    while (c->pos < c->len) {
        size_t end = line_end(c, c->pos);
        const char *s = c->text + c->pos;
        size_t len = end - c->pos;
        *line = c->line++;
        c->pos = end < c->len ? end + 1 : end;
        if (check_bytes(s, len, why, whylen) < 0)
            return -1;
        if (skippable(s, len))
            continue;
        record r = {fields, max, 0, 0};
        if (max < 1 || split(&r, s, len, why, whylen) < 0)
            return -1;
        *n = r.n;
        return 1;
    }
    return 0;
}
