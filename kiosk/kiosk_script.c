/* SPDX-License-Identifier: MIT */
/*
 * kiosk_script — the test script reader (see kiosk_script.h).
 */
#include "kiosk_script.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall_config.h"
#include "kiosk_view.h"

static int number(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || errno || *end || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

static int known_screen(const char *name)
{
    for (int i = 0; i < JH_SCREEN_COUNT; i++)
        if (strcmp(name, jh_screen_name((jh_screen)i)) == 0)
            return 1;
    return 0;
}

/* One line's words (at most 4) → *st; a reason in why when it is not a step. */
static int parse_step(char **w, int n, jh_script_step *st, char *why, size_t wl)
{
    if (!strcmp(w[0], "wait") && n == 2) {
        st->kind = JH_STEP_WAIT;
        return number(w[1], 0, 600000, &st->ms) ? (snprintf(why, wl, "wait needs 0..600000 ms"), -1) : 0;
    }
    if (!strcmp(w[0], "wait-screen") && (n == 2 || n == 3)) {
        st->kind = JH_STEP_WAIT_SCREEN;
        st->ms = 10000;
        snprintf(st->arg, sizeof st->arg, "%s", w[1]);
        if (!known_screen(w[1]))
            return snprintf(why, wl, "unknown screen '%s'", w[1]), -1;
        return n == 3 && number(w[2], 0, 600000, &st->ms) ? (snprintf(why, wl, "bad timeout '%s'", w[2]), -1) : 0;
    }
    if (!strcmp(w[0], "tap") && n == 3) {
        st->kind = JH_STEP_TAP_XY;
        return number(w[1], 0, 100000, &st->x) || number(w[2], 0, 100000, &st->y)
                   ? (snprintf(why, wl, "tap X Y needs two coordinates"), -1) : 0;
    }
    if ((!strcmp(w[0], "tap") || !strcmp(w[0], "shot")) && n == 2) {
        st->kind = w[0][0] == 't' ? JH_STEP_TAP_NAME : JH_STEP_SHOT;
        if (strlen(w[1]) >= sizeof st->arg)
            return snprintf(why, wl, "argument too long"), -1;
        snprintf(st->arg, sizeof st->arg, "%s", w[1]);
        return 0;
    }
    if (!strcmp(w[0], "quit") && n == 1)
        return st->kind = JH_STEP_QUIT, 0;
    return snprintf(why, wl, "not a step: '%s' with %d argument(s)", w[0], n - 1), -1;
}

static int parse_line(jh_script *s, char *line, int lineno, const char *name, char *err, size_t errlen)
{
    char *w[5], *save = NULL, why[200];
    int n = 0;
    for (char *t = strtok_r(line, " \t\r", &save); t; t = strtok_r(NULL, " \t\r", &save))
        if (n < 5)
            w[n++] = t;
        else
            n = 6;
    if (n == 0 || w[0][0] == '#')
        return 0;
    jh_script_step *st = &s->steps[s->n];
    memset(st, 0, sizeof *st);
    st->line = lineno;
    if (n > 4 || parse_step(w, n, st, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s:%d: %s", name, lineno, n > 4 ? "too many words" : why);
        return -1;
    }
    s->n++;
    return 0;
}

int jh_script_parse(jh_script *s, const char *text, const char *name, char *err, size_t errlen)
{
    size_t lines = 1;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    char *copy = strdup(text);
    s->n = 0;
    s->steps = calloc(lines, sizeof *s->steps);
    if (!copy || !s->steps) {
        free(copy);
        jh_script_free(s);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int lineno = 0, rc = 0;
    for (char *line = copy, *next; line && rc == 0; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        rc = parse_line(s, line, ++lineno, name, err, errlen);
    }
    free(copy);
    if (rc != 0)
        jh_script_free(s);
    return rc;
}

int jh_script_load(jh_script *s, const char *path, char *err, size_t errlen)
{
    size_t len;
    char *text = jh_config_read_file(path, &len, err, errlen);
    if (!text)
        return -1;
    int rc = strlen(text) != len ? (snprintf(err, errlen, "%s: contains a NUL byte", path), -1)
                                  : jh_script_parse(s, text, path, err, errlen);
    free(text);
    return rc;
}

void jh_script_free(jh_script *s)
{
    free(s->steps);
    s->steps = NULL;
    s->n = 0;
}
