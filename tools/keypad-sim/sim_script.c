/* SPDX-License-Identifier: MIT */
/*
 * sim_script — see sim_script.h. One line, one statement; words separated by
 * blanks; '#' starts a comment.
 */
#include "sim_script.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keypad.h"

#define MAX_WORDS 8

static const char *const action_names[] = {
    "press", "bounce", "type", "login", "transfer", "rate", "silent", "answer",
    "noise", "duplicate-next", "corrupt-next", "truncate-next", "reboot", "end",
};

const char *sim_action_name(sim_action_kind k)
{
    return action_names[k];
}

static int fail(char *err, size_t errlen, const char *name, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int fail(char *err, size_t errlen, const char *name, int line, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(err, errlen, "%s:%d: %s", name, line, msg);
    return -1;
}

static int split(char *line, char **w)
{
    int n = 0;
    char *hash = strchr(line, '#');
    if (hash)
        *hash = 0;
    for (char *tok = strtok(line, " \t\r"); tok; tok = strtok(NULL, " \t\r")) {
        if (n == MAX_WORDS)
            return -1;
        w[n++] = tok;
    }
    return n;
}

static int parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_seconds(const char *s, int64_t *ms)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= 0) || v > 86400)
        return -1;
    *ms = (int64_t)(v * 1000 + 0.5);
    return 0;
}

static int find_device(const sim_script *s, int is_pad, long addr)
{
    for (int i = 0; i < s->ndev; i++)
        if (s->dev[i].addr == addr && s->dev[i].is_pad == is_pad)
            return i;
    return -1;
}

static int kind_of(const char *word, const char *kind)
{
    return strcmp(word, kind) == 0;
}

/* "keypad 3" / "pad 11 session 7" */
static int parse_declaration(sim_script *s, char **w, int n, const char *name, int line, char *err, size_t errlen)
{
    long addr, session = 1;
    if (n != 2 && n != 4)
        return fail(err, errlen, name, line, "expected '%s <addr> [session <n>]'", w[0]);
    if (parse_long(w[1], 1, 247, &addr) != 0)
        return fail(err, errlen, name, line, "address '%s' not in 1..247", w[1]);
    if (n == 4 && (strcmp(w[2], "session") != 0 || parse_long(w[3], 0, 65535, &session) != 0))
        return fail(err, errlen, name, line, "expected 'session <0..65535>'");
    for (int i = 0; i < s->ndev; i++)
        if (s->dev[i].addr == addr)
            return fail(err, errlen, name, line, "address %ld declared twice", addr);
    if (s->ndev == SIM_MAX_DEVICES)
        return fail(err, errlen, name, line, "more than %d devices", SIM_MAX_DEVICES);
    s->dev[s->ndev++] = (sim_device){.is_pad = kind_of(w[0], "pad"), .addr = (uint8_t)addr,
                                     .session = (uint16_t)session};
    return 0;
}

static int digits_ok(const char *t, size_t max)
{
    size_t n = strlen(t);
    if (n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (t[i] < '0' || t[i] > '9')
            return 0;
    return 1;
}

/* Fills the action's argument from w (the words after the action name). */
static const char *parse_argument(sim_action *a, int is_pad, char **w, int n)
{
    long v;
    switch (a->kind) {
    case SIM_PRESS:
    case SIM_BOUNCE:
        if (n != 1)
            return "expects one key";
        if (is_pad) {
            if (parse_long(w[0], 1, 5, &v) != 0)
                return "a rating pad's keys are 1..5";
            a->key = (int)v;
        } else if ((a->key = keypad_key_parse(w[0])) < 0) {
            return "unknown key";
        }
        return NULL;
    case SIM_LOGIN:
        if (is_pad)
            return "is for keypads";
        if (n > 2)
            return "expects a staff number and a PIN";
        strcpy(a->text, n ? w[0] : "");
        if (n == 2 && (strlen(w[1]) < 1 || !digits_ok(w[1], 8)))
            return "expects a PIN of 1..8 digits";
        strcpy(a->pin, n == 2 ? w[1] : "");
        return digits_ok(a->text, 8) ? NULL : "expects 1..8 digits";
    case SIM_TYPE:
    case SIM_TRANSFER:
        if (is_pad)
            return "is for keypads";
        if (n != 1)
            return "expects digits";
        strcpy(a->text, w[0]);
        return digits_ok(a->text, 8) ? NULL : "expects 1..8 digits";
    case SIM_RATE:
        if (!is_pad)
            return n == 0 ? NULL : "a keypad's RATE invites a rating: no score";
        if (n != 1 || parse_long(w[0], 1, 5, &v) != 0)
            return "expects a score 1..5";
        a->n = (int)v;
        return NULL;
    case SIM_NOISE:
        if (n != 1 || parse_long(w[0], 1, 4096, &v) != 0)
            return "expects a byte count 1..4096";
        a->n = (int)v;
        return NULL;
    case SIM_REBOOT:
        a->n = -1;
        if (n == 1 && parse_long(w[0], 0, 65535, &v) == 0)
            a->n = (int)v;
        return n == 0 || a->n >= 0 ? NULL : "expects an optional session 0..65535";
    default:
        return n == 0 ? NULL : "takes no argument";
    }
}

/* "at 1.5 keypad 3 press call" / "at 9 end" */
static int parse_at(sim_script *s, char **w, int n, const char *name, int line, char *err, size_t errlen)
{
    if (s->nact == SIM_MAX_ACTIONS)
        return fail(err, errlen, name, line, "more than %d actions", SIM_MAX_ACTIONS);
    sim_action *a = &s->act[s->nact];
    *a = (sim_action){.line = line, .dev = -1};
    if (n < 3 || parse_seconds(w[1], &a->at_ms) != 0)
        return fail(err, errlen, name, line, "expected 'at <seconds> ...'");
    if (n == 3 && strcmp(w[2], "end") == 0) {
        a->kind = SIM_END;
        s->nact++;
        return 0;
    }
    long addr;
    if (n < 5 || (!kind_of(w[2], "keypad") && !kind_of(w[2], "pad")) || parse_long(w[3], 1, 247, &addr) != 0)
        return fail(err, errlen, name, line, "expected 'at <seconds> keypad|pad <addr> <action>'");
    int is_pad = kind_of(w[2], "pad");
    if ((a->dev = find_device(s, is_pad, addr)) < 0)
        return fail(err, errlen, name, line, "%s %ld is not declared", w[2], addr);
    int k = 0;
    while (k <= SIM_END && strcmp(action_names[k], w[4]) != 0)
        k++;
    if (k >= SIM_END)
        return fail(err, errlen, name, line, "unknown action '%s'", w[4]);
    a->kind = (sim_action_kind)k;
    const char *why = parse_argument(a, is_pad, w + 5, n - 5);
    if (why)
        return fail(err, errlen, name, line, "%s: %s", w[4], why);
    s->nact++;
    return 0;
}

static int parse_line(sim_script *s, char *text, const char *name, int line, char *err, size_t errlen)
{
    char *w[MAX_WORDS];
    int n = split(text, w);
    if (n < 0)
        return fail(err, errlen, name, line, "too many words");
    if (n == 0)
        return 0;
    if (kind_of(w[0], "keypad") || kind_of(w[0], "pad"))
        return parse_declaration(s, w, n, name, line, err, errlen);
    if (kind_of(w[0], "at"))
        return parse_at(s, w, n, name, line, err, errlen);
    return fail(err, errlen, name, line, "unknown statement '%s'", w[0]);
}

static int by_time(const void *a, const void *b)
{
    const sim_action *x = a, *y = b;
    if (x->at_ms != y->at_ms)
        return x->at_ms < y->at_ms ? -1 : 1;
    return x->line - y->line; /* same time: script order */
}

int sim_script_parse(sim_script *s, const char *text, const char *name, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    int line = 0;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char buf[256];
        line++;
        if (len >= sizeof buf)
            return fail(err, errlen, name, line, "line too long");
        memcpy(buf, p, len);
        buf[len] = 0;
        if (parse_line(s, buf, name, line, err, errlen) != 0)
            return -1;
        p += len + (nl ? 1 : 0);
    }
    if (s->ndev == 0)
        return fail(err, errlen, name, line, "no keypad or pad declared");
    qsort(s->act, (size_t)s->nact, sizeof *s->act, by_time);
    return 0;
}

int sim_script_load(sim_script *s, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    static char text[256 * 1024];
    size_t n = fread(text, 1, sizeof text - 1, f);
    int too_big = !feof(f);
    fclose(f);
    if (too_big) {
        snprintf(err, errlen, "%s: larger than %zu bytes", path, sizeof text - 1);
        return -1;
    }
    text[n] = 0;
    if (strlen(text) != n) {
        snprintf(err, errlen, "%s: contains a NUL byte", path);
        return -1;
    }
    return sim_script_parse(s, text, path, err, errlen);
}
