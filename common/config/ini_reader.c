/* SPDX-License-Identifier: MIT */
/*
 * ini_reader — jh_ini_parse, the small strict INI reader every part's config is read with.
 *
 * Owns: the syntax of the hall file, whatever its sections mean. Why not inih:
 * Debian's libinih 55 is built with a 200-byte line limit and cuts longer lines
 * silently, in the middle of a UTF-8 character (a 70-Hanzi materials line is 210
 * bytes); it treats " ;" as an inline comment, which cuts text and URLs; it glues
 * indented lines onto the previous value; and it wants a NUL-terminated buffer.
 * This reader's rules, which assets/hall.ini repeats for operators:
 *   - UTF-8 (optional BOM), LF or CRLF; a NUL byte or broken UTF-8 is an error;
 *   - lines up to JH_INI_MAX_LINE bytes, longer is an error (never truncated);
 *   - '#' or ';' starts a comment only as the first non-blank character;
 *   - "[name]" or "[name arg]", name a-z0-9_-;
 *   - "key = value", key a-z0-9_; the value is the rest of the line, trimmed,
 *     taken literally (no quotes, no escapes, no continuation lines).
 * Also the layered reading of one part's section and the bounded file read.
 */
#include "hall_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini_syntax.h"

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
static int utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t more;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            more = 1, min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            more = 2, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            more = 3, min = 0x10000;
        } else {
            return 0;
        }
        if (n - i <= more)
            return 0;
        unsigned cp = c & (0x3F >> more);
        for (size_t k = 1; k <= more; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += more + 1;
    }
    return 1;
}

char *jh_ini_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

int jh_ini_all_of(const char *s, const char *extra_ok, int upper_ok)
{
    for (; *s; s++) {
        char c = *s;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr(extra_ok, c))
            continue;
        if (upper_ok && c >= 'A' && c <= 'Z')
            continue;
        return 0;
    }
    return 1;
}

typedef struct {
    const char *name;
    int line;
    char section[INI_NAME_LEN];
    char arg[INI_ARG_LEN];
    char *err;
    size_t errlen;
} ini_reader;

static void section_desc(const ini_reader *r, char *out, size_t len)
{
    snprintf(out, len, r->arg[0] ? "[%s %s]" : "[%s]", r->section, r->arg);
}

/* "[name]" or "[name arg]" (whole line, already trimmed). */
static int ini_header(ini_reader *r, char *s)
{
    size_t n = strlen(s);
    if (s[n - 1] != ']') {
        snprintf(r->err, r->errlen, "%s:%d: section header '%s' does not end with ']'", r->name,
                 r->line, s);
        return -1;
    }
    s[n - 1] = '\0';
    char *in = jh_ini_trim(s + 1);
    char *sp = in + strcspn(in, " \t");
    char *arg = *sp ? jh_ini_trim(sp + 1) : sp;
    *sp = '\0';
    if (!*in || strlen(in) >= INI_NAME_LEN || !jh_ini_all_of(in, "_-", 0)) {
        snprintf(r->err, r->errlen, "%s:%d: bad section name '%s' (want a-z0-9_-, at most %d)",
                 r->name, r->line, in, INI_NAME_LEN - 1);
        return -1;
    }
    if (strlen(arg) >= INI_ARG_LEN || strpbrk(arg, " \t[]")) {
        snprintf(r->err, r->errlen, "%s:%d: [%s]: bad section argument '%s' (one word, at most %d bytes)",
                 r->name, r->line, in, arg, INI_ARG_LEN - 1);
        return -1;
    }
    snprintf(r->section, sizeof r->section, "%s", in);
    snprintf(r->arg, sizeof r->arg, "%s", arg);
    return 0;
}

static int ini_line(ini_reader *r, char *s, jh_ini_fn fn, void *user)
{
    char why[512] = "", desc[INI_NAME_LEN + INI_ARG_LEN + 4];
    if (*s == '[') {
        if (ini_header(r, s) != 0)
            return -1;
        if (fn(user, r->section, r->arg, NULL, NULL, r->line, why, sizeof why) == 0)
            return 0;
        section_desc(r, desc, sizeof desc);
        snprintf(r->err, r->errlen, "%s:%d: %s: %s", r->name, r->line, desc, why);
        return -1;
    }
    char *eq = strchr(s, '=');
    if (!eq) {
        snprintf(r->err, r->errlen, "%s:%d: expected 'key = value', '[section]' or a comment",
                 r->name, r->line);
        return -1;
    }
    *eq = '\0';
    char *key = jh_ini_trim(s), *value = jh_ini_trim(eq + 1);
    if (!*key || strlen(key) >= INI_ARG_LEN || !jh_ini_all_of(key, "_", 0)) {
        snprintf(r->err, r->errlen, "%s:%d: bad key '%s' (want a-z0-9_)", r->name, r->line, key);
        return -1;
    }
    if (!r->section[0]) {
        snprintf(r->err, r->errlen, "%s:%d: %s: key before any [section]", r->name, r->line, key);
        return -1;
    }
    if (fn(user, r->section, r->arg, key, value, r->line, why, sizeof why) == 0)
        return 0;
    section_desc(r, desc, sizeof desc);
    snprintf(r->err, r->errlen, "%s:%d: %s %s: %s", r->name, r->line, desc, key, why);
    return -1;
}

int jh_ini_parse(const char *text, size_t len, const char *name, jh_ini_fn fn, void *user,
                 char *err, size_t errlen)
{
    ini_reader r = {.name = name, .err = err, .errlen = errlen};
    static char buf_unused; /* keeps `text` non-NULL for memchr when len == 0 */
    if (!text)
        text = &buf_unused, len = 0;
    size_t pos = (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    char buf[JH_INI_MAX_LINE + 1];
    while (pos < len) {
        r.line++;
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;
        pos += n + (nl ? 1 : 0);
        if (n && start[n - 1] == '\r')
            n--;
        if (n > JH_INI_MAX_LINE) {
            snprintf(err, errlen, "%s:%d: line longer than %d bytes", name, r.line, JH_INI_MAX_LINE);
            return -1;
        }
        if (memchr(start, '\0', n)) {
            snprintf(err, errlen, "%s:%d: NUL byte in line", name, r.line);
            return -1;
        }
        if (!utf8_valid((const unsigned char *)start, n)) {
            snprintf(err, errlen, "%s:%d: not valid UTF-8", name, r.line);
            return -1;
        }
        memcpy(buf, start, n);
        buf[n] = '\0';
        char *s = jh_ini_trim(buf);
        if (!*s || *s == '#' || *s == ';')
            continue;
        if (ini_line(&r, s, fn, user) != 0)
            return -1;
    }
    return 0;
}

typedef struct {
    const char *section, *arg;
    jh_ini_key_fn fn;
    void *user;
} ini_layer;

static int layer_entry(void *user, const char *section, const char *arg, const char *key,
                       const char *value, int line, char *why, size_t whylen)
{
    const ini_layer *l = user;
    (void)line;
    if (!key || strcmp(section, l->section) != 0 || strcmp(arg, l->arg) != 0)
        return 0;
    return l->fn(l->user, key, value, why, whylen);
}

/* Two passes rather than one: the override must win even where it comes first. */
int jh_ini_parse_layered(const char *text, size_t len, const char *name, const char *section,
                         const char *id, jh_ini_key_fn fn, void *user, char *err, size_t errlen)
{
    ini_layer l = {.section = section, .arg = "", .fn = fn, .user = user};
    if (jh_ini_parse(text, len, name, layer_entry, &l, err, errlen) != 0)
        return -1;
    if (!id || !*id)
        return 0;
    l.arg = id;
    return jh_ini_parse(text, len, name, layer_entry, &l, err, errlen);
}

char *jh_config_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = malloc(JH_CONFIG_MAX_BYTES + 1);
    size_t n = buf ? fread(buf, 1, JH_CONFIG_MAX_BYTES + 1, f) : 0;
    int bad = !buf || ferror(f) || n > JH_CONFIG_MAX_BYTES;
    if (bad)
        snprintf(err, errlen, "%s: %s", path,
                 !buf ? "out of memory" : n > JH_CONFIG_MAX_BYTES ? "larger than 1 MiB" : "read error");
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}
