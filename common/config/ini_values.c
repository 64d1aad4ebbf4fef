/* SPDX-License-Identifier: MIT */
/*
 * ini_values — the value parsers of hall_config.h (jh_ini_int, _size, _hhmm, _bool).
 *
 * Owns: how a number, a size, a time of day or a yes/no is spelt in any section of
 * the file, so the hall's keys and every part's own keys read them alike.
 */
#include "hall_config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>


/* The n bytes at s: an optional '-' (only where lo < 0), then 1..9 digits. */
static int int_span(const char *s, size_t n, int lo, int hi, int *out)
{
    int neg = lo < 0 && n > 0 && *s == '-';
    s += neg;
    n -= (size_t)neg;
    if (n == 0 || n > 9)
        return -1;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (neg)
        v = -v;
    if (v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

int jh_ini_int(const char *v, int lo, int hi, int *out, char *why, size_t whylen)
{
    if (int_span(v, strlen(v), lo, hi, out) == 0)
        return 0;
    if (why)
        snprintf(why, whylen, "'%s': want a whole number %d..%d", v, lo, hi);
    return -1;
}

int jh_ini_size(const char *v, int wlo, int whi, int hlo, int hhi, int *w, int *h)
{
    const char *x = strchr(v, 'x');
    if (!x || int_span(v, (size_t)(x - v), wlo, whi, w) != 0)
        return -1;
    return int_span(x + 1, strlen(x + 1), hlo, hhi, h);
}

int jh_ini_hhmm(const char *s, size_t n, int allow_24, int *out)
{
    if (n != 5 || s[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24)))
        return -1;
    *out = h * 60 + m;
    return 0;
}

int jh_ini_bool(const char *v, unsigned words, int *out)
{
    static const struct {
        unsigned set;
        const char *yes, *no;
    } pairs[] = {{JH_INI_YES_NO, "yes", "no"}, {JH_INI_TRUE_FALSE, "true", "false"},
                 {JH_INI_ONE_ZERO, "1", "0"}, {JH_INI_ON_OFF, "on", "off"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        if (!(words & pairs[i].set))
            continue;
        if (strcasecmp(v, pairs[i].yes) == 0)
            return *out = 1, 0;
        if (strcasecmp(v, pairs[i].no) == 0)
            return *out = 0, 0;
    }
    return -1;
}
