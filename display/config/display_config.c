/* SPDX-License-Identifier: MIT */
/*
 * display_config — reads one [display <id>] section (see display_config.h).
 * It uses the hall parser's own INI reader (jh_ini_parse) rather than inih, so
 * the boards' sections follow exactly the syntax rules the rest of hall.ini
 * does (no inline comments, long UTF-8 lines kept whole, errors with line
 * numbers). Defaults depend on the layout, so values are collected first and
 * the layout's defaults filled in afterwards for whatever the section left out.
 */
#include "display_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    jh_display_config *dc;
    const char *want;          /* requested id, or "" for the first section */
    char found[JH_ID_LEN];     /* the section being read ("" until found) */
    int in_wanted;             /* the current section is the one being read */
    int has_layout, has_w, has_h, has_voice, has_colors;
} reader;

const char *jh_layout_name(jh_layout_kind k)
{
    return k == JH_LAYOUT_STRIP ? "strip" : k == JH_LAYOUT_LED ? "led" : "main";
}

/* The yes/no words a [display] key has always taken. */
static int parse_bool(const char *v, int *out)
{
    return jh_ini_bool(v, JH_INI_ON_OFF | JH_INI_YES_NO | JH_INI_TRUE_FALSE | JH_INI_ONE_ZERO, out);
}

/* "12:00-13:30, 22:00-07:00" */
static int parse_quiet(jh_display_config *dc, const char *v, char *why, size_t wl)
{
    char buf[256], *save = NULL;
    snprintf(buf, sizeof buf, "%s", v);
    dc->n_quiet = 0;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        char *end = tok + strlen(tok);
        while (end > tok && end[-1] == ' ')
            *--end = '\0';
        char *dash = strchr(tok, '-');
        jh_quiet_window w;
        /* 24:00 either side: a window may run to, or start at, the end of the day */
        if (!dash || jh_ini_hhmm(tok, (size_t)(dash - tok), 1, &w.start_min) < 0 ||
            jh_ini_hhmm(dash + 1, strlen(dash + 1), 1, &w.end_min) < 0 || w.start_min == w.end_min) {
            snprintf(why, wl, "'%s' is not HH:MM-HH:MM", v);
            return -1;
        }
        if (dc->n_quiet == JH_DISPLAY_MAX_QUIET) {
            snprintf(why, wl, "more than %d windows", JH_DISPLAY_MAX_QUIET);
            return -1;
        }
        dc->quiet[dc->n_quiet++] = w;
    }
    if (dc->n_quiet == 0) {
        snprintf(why, wl, "no window given");
        return -1;
    }
    return 0;
}

static int parse_color(const char *s, uint32_t *rgb)
{
    static const struct { const char *name; uint32_t rgb; } named[] = {
        {"red", 0xFF2020}, {"green", 0x20FF40}, {"yellow", 0xFFD800}, {"amber", 0xFFA000},
        {"white", 0xFFFFFF}, {"blue", 0x3080FF},
    };
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strcasecmp(s, named[i].name) == 0)
            return *rgb = named[i].rgb, 0;
    unsigned v;
    int n = 0;
    if (s[0] == '#' && strlen(s) == 7 && sscanf(s + 1, "%6x%n", &v, &n) == 1 && n == 6)
        return *rgb = v, 0;
    return -1;
}

static int parse_colors(jh_display_config *dc, const char *v)
{
    char buf[128], *save = NULL;
    snprintf(buf, sizeof buf, "%s", v);
    dc->n_led_colors = 0;
    for (char *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        if (dc->n_led_colors == 2 || parse_color(tok, &dc->led_colors[dc->n_led_colors]) < 0)
            return -1;
        dc->n_led_colors++;
    }
    return dc->n_led_colors ? 0 : -1;
}

/* One key of the wanted section; returns 0 with why filled on a bad value. */
static int set_key(reader *r, const char *key, const char *v, char *why, size_t wl)
{
    jh_display_config *dc = r->dc;
    int bad = 0;
    if (strcmp(key, "layout") == 0) {
        if (strcmp(v, "main") == 0) dc->layout = JH_LAYOUT_MAIN;
        else if (strcmp(v, "strip") == 0) dc->layout = JH_LAYOUT_STRIP;
        else if (strcmp(v, "led") == 0) dc->layout = JH_LAYOUT_LED;
        else bad = snprintf(why, wl, "'%s' is not main, strip or led", v);
        r->has_layout = 1;
    } else if (strcmp(key, "size") == 0) {
        bad = jh_ini_size(v, 16, 8192, 8, 8192, &dc->width, &dc->height) < 0 &&
              snprintf(why, wl, "'%s' is not WIDTHxHEIGHT", v);
        r->has_w = r->has_h = 1;
    } else if (strcmp(key, "width") == 0) {
        bad = jh_ini_int(v, 16, 8192, &dc->width, NULL, 0) < 0 && snprintf(why, wl, "'%s' is not 16..8192", v);
        r->has_w = 1;
    } else if (strcmp(key, "height") == 0) {
        bad = jh_ini_int(v, 8, 8192, &dc->height, NULL, 0) < 0 && snprintf(why, wl, "'%s' is not 8..8192", v);
        r->has_h = 1;
    } else if (strcmp(key, "x") == 0 || strcmp(key, "y") == 0) {
        bad = jh_ini_int(v, -16384, 16384, key[0] == 'x' ? &dc->x : &dc->y, NULL, 0) < 0 &&
              snprintf(why, wl, "'%s' is not a pixel position", v);
        dc->has_position = 1;
    } else if (strcmp(key, "fullscreen") == 0) {
        bad = parse_bool(v, &dc->fullscreen) < 0 && snprintf(why, wl, "'%s' is not yes/no", v);
    } else if (strcmp(key, "counter") == 0) {
        size_t n = strlen(v);
        bad = (n == 0 || n >= JH_ID_LEN || strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789-") != n) &&
              snprintf(why, wl, "'%s' is not a counter id (a-z0-9-)", v);
        if (!bad)
            memcpy(dc->counter, v, n + 1);
    } else if (strcmp(key, "history") == 0) {
        bad = jh_ini_int(v, 0, 10, &dc->history, NULL, 0) < 0 && snprintf(why, wl, "'%s' is not 0..10", v);
    } else if (strcmp(key, "voice") == 0) {
        bad = parse_bool(v, &dc->voice) < 0 && snprintf(why, wl, "'%s' is not on/off", v);
        r->has_voice = 1;
    } else if (strcmp(key, "repeat") == 0) {
        bad = jh_ini_int(v, 1, 5, &dc->repeat, NULL, 0) < 0 && snprintf(why, wl, "'%s' is not 1..5", v);
    } else if (strcmp(key, "volume") == 0) {
        bad = jh_ini_int(v, 0, 100, &dc->volume, NULL, 0) < 0 && snprintf(why, wl, "'%s' is not 0..100", v);
    } else if (strcmp(key, "quiet_hours") == 0) {
        bad = parse_quiet(dc, v, why, wl) < 0;
    } else if (strcmp(key, "colors") == 0 || strcmp(key, "color") == 0) {
        bad = parse_colors(dc, v) < 0 &&
              snprintf(why, wl, "'%s' is not one or two of red green yellow amber white blue #rrggbb", v);
        r->has_colors = 1;
    } else if (strcmp(key, "font_px") == 0) {
        bad = jh_ini_int(v, 12, 64, &dc->led_font_px, NULL, 0) < 0 && snprintf(why, wl, "'%s' is not 12..64", v);
    } else if (strcmp(key, "fps") == 0) {
        bad = jh_ini_int(v, 1, 60, &dc->fps, NULL, 0) < 0 && snprintf(why, wl, "'%s' is not 1..60", v);
    } else {
        bad = snprintf(why, wl, "unknown key");
    }
    return !bad;
}

static int on_entry(void *user, const char *section, const char *arg, const char *key,
                    const char *value, int line, char *why, size_t wl)
{
    reader *r = user;
    (void)line;
    if (!key) { /* a section header */
        r->in_wanted = 0;
        if (strcmp(section, "display") != 0)
            return 0;
        if (r->found[0] && strcmp(arg, r->found) == 0) {
            snprintf(why, wl, "section given twice");
            return -1;
        }
        if (!r->found[0] && (!r->want[0] || strcmp(arg, r->want) == 0)) {
            snprintf(r->found, sizeof r->found, "%s", arg);
            r->in_wanted = 1;
        }
        return 0;
    }
    if (!r->in_wanted)
        return 0;
    return set_key(r, key, value, why, wl) ? 0 : -1;
}

static void defaults(jh_display_config *dc)
{
    memset(dc, 0, sizeof *dc);
    dc->history = 8;
    dc->repeat = 2;
    dc->volume = 80;
    dc->led_font_px = 16;
    dc->fps = 30;
}

/* Fills what the section left out from its layout and checks what only makes sense together. */
static int finish(reader *r, const char *name, char *err, size_t errlen)
{
    jh_display_config *dc = r->dc;
    static const int size[3][2] = {{1920, 1080}, {1920, 360}, {192, 32}};
    if (!r->found[0]) {
        snprintf(err, errlen, "%s: no [display %s] section", name, r->want[0] ? r->want : "...");
        return -1;
    }
    snprintf(dc->id, sizeof dc->id, "%s", r->found);
    if (!r->has_layout) {
        snprintf(err, errlen, "%s: [display %s] layout: missing (main, strip or led)", name, dc->id);
        return -1;
    }
    if (!r->has_w)
        dc->width = size[dc->layout][0];
    if (!r->has_h)
        dc->height = size[dc->layout][1];
    if (!r->has_voice)
        dc->voice = dc->layout == JH_LAYOUT_MAIN;
    if (!r->has_colors) {
        dc->led_colors[0] = 0xFF2020;
        dc->led_colors[1] = 0x20FF40;
        dc->n_led_colors = 2;
    }
    if (dc->layout == JH_LAYOUT_STRIP && !dc->counter[0]) {
        snprintf(err, errlen, "%s: [display %s] counter: missing (a strip shows one counter)", name, dc->id);
        return -1;
    }
    if (dc->layout == JH_LAYOUT_LED && dc->led_font_px > dc->height) {
        snprintf(err, errlen, "%s: [display %s] font_px: %d is taller than the board (%d)", name,
                 dc->id, dc->led_font_px, dc->height);
        return -1;
    }
    return 0;
}

int jh_display_config_parse(jh_display_config *dc, const char *text, const char *name,
                            const char *id, char *err, size_t errlen)
{
    reader r;
    memset(&r, 0, sizeof r);
    defaults(dc);
    r.dc = dc;
    r.want = id ? id : "";
    if (jh_ini_parse(text, strlen(text), name, on_entry, &r, err, errlen) < 0)
        return -1;
    return finish(&r, name, err, errlen);
}

int jh_display_config_load(jh_display_config *dc, const char *path, const char *id, char *err,
                           size_t errlen)
{
    size_t len;
    char *text = jh_config_read_file(path, &len, err, errlen);
    if (!text)
        return -1;
    int rc = jh_display_config_parse(dc, text, path, id, err, errlen);
    free(text);
    return rc;
}

int jh_display_quiet_at(const jh_display_config *dc, int minute)
{
    for (int i = 0; i < dc->n_quiet; i++) {
        const jh_quiet_window *w = &dc->quiet[i];
        if (w->start_min < w->end_min ? (minute >= w->start_min && minute < w->end_min)
                                      : (minute >= w->start_min || minute < w->end_min))
            return 1;
    }
    return 0;
}
