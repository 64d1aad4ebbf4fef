/* SPDX-License-Identifier: MIT */
/*
 * report_csv — BOM, quoting and atomic files for the report CSVs (see report_csv.h).
 */
#include "report_csv.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

int jh_csv_open(jh_csv *c, const char *path, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    snprintf(c->path, sizeof c->path, "%s", path);
    snprintf(c->tmp, sizeof c->tmp, "%s.tmp", path);
    c->f = fopen(c->tmp, "wb");
    if (!c->f) {
        snprintf(err, errlen, "cannot write %s: %s", c->tmp, strerror(errno));
        return -1;
    }
    fputs("\xEF\xBB\xBF", c->f);
    return 0;
}

static void separator(jh_csv *c)
{
    if (c->col++)
        fputc(',', c->f);
}

static int needs_quotes(const char *s)
{
    size_t n = strlen(s);
    return strpbrk(s, ",\"\r\n") || (n && (s[0] == ' ' || s[n - 1] == ' '));
}

void jh_csv_text(jh_csv *c, const char *s)
{
    separator(c);
    int formula = s[0] && strchr("=+-@\t\r", s[0]);
    if (!formula && !needs_quotes(s)) {
        fputs(s, c->f);
        return;
    }
    fputc('"', c->f);
    if (formula)
        fputc('\'', c->f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', c->f);
        fputc(*s, c->f);
    }
    fputc('"', c->f);
}

void jh_csv_int(jh_csv *c, long long v)
{
    separator(c);
    fprintf(c->f, "%lld", v);
}

void jh_csv_number(jh_csv *c, double v, int decimals)
{
    separator(c);
    fprintf(c->f, "%.*f", decimals, v);
}

void jh_csv_empty(jh_csv *c) { separator(c); }

void jh_csv_end_row(jh_csv *c)
{
    fputs("\r\n", c->f);
    c->col = 0;
}

int jh_csv_close(jh_csv *c, char *err, size_t errlen)
{
    int bad = ferror(c->f);
    bad |= fclose(c->f) != 0;
    c->f = NULL;
    if (bad || rename(c->tmp, c->path) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", c->path, strerror(errno));
        unlink(c->tmp);
        return -1;
    }
    return 0;
}
