/* SPDX-License-Identifier: MIT */
/*
 * utf8_text — see utf8_text.h.
 */
#include "utf8_text.h"

#include <string.h>

size_t jh_utf8_seq_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t len;
    unsigned cp, min;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) { len = 2; cp = c & 0x1f; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { len = 3; cp = c & 0x0f; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { len = 4; cp = c & 0x07; min = 0x10000; }
    else return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

void jh_clean_text(char *dst, size_t dstlen, const char *src)
{
    size_t o = 0;
    if (dstlen == 0)
        return;
    const unsigned char *s = (const unsigned char *)(src ? src : "");
    size_t left = strlen((const char *)s);
    while (*s && o + 1 < dstlen) {
        size_t n = jh_utf8_seq_len(s, left);
        if (n == 0) { /* a stray byte becomes '?' rather than garbage on a screen */
            dst[o++] = '?';
            n = 1;
        } else if (n == 1 && (*s < 0x20 || *s == 0x7f)) { /* newlines, tabs: one line of text */
            dst[o++] = ' ';
        } else if (o + n >= dstlen) {
            break; /* never cut a character in half */
        } else {
            memcpy(dst + o, s, n);
            o += n;
        }
        s += n;
        left -= n;
    }
    dst[o] = '\0';
}
