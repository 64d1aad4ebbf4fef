/* SPDX-License-Identifier: MIT */
/*
 * display_config — the [display <id>] sections of the hall config.
 *
 * Owns: reading one board's settings (layout, size, position, LED colours,
 * history length, voice, volume, quiet hours) from the hall INI. The shared
 * hall_config parser passes these sections over, so the boards read them here
 * with the same INI reader (jh_ini_parse). Unknown keys and bad values are
 * refused with "file:line: [display id] key: why"; nothing half-read is returned.
 *
 *   Keys (key = value, one per line; see the [display ...] examples in assets/hall.ini):
 *   [display hall-main]
 *   layout = main            — main | strip | led
 *   size = 1920x1080         — or width = / height =
 *   x = 0                    — window position (LED: where the sending card captures)
 *   y = 0
 *   fullscreen = no
 *   counter = c03            — strip: the counter it shows (required)
 *   history = 8              — main: last N calls (0..10)
 *   voice = on               — announcements from this board
 *   repeat = 2               — each call said this many times (1..5)
 *   volume = 80              — 0..100
 *   quiet_hours = 12:00-13:30, 22:00-07:00 — no sound then (hall time)
 *   colors = red, green      — led: one or two of red green yellow amber white blue, or #rrggbb
 *   font_px = 16             — led: glyph height in pixels (12..64)
 *   fps = 30                 — frames per second (1..60)
 */
#ifndef JH_DISPLAY_CONFIG_H
#define JH_DISPLAY_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "hall_config.h"

#define JH_DISPLAY_MAX_QUIET 4

typedef enum { JH_LAYOUT_MAIN = 0, JH_LAYOUT_STRIP, JH_LAYOUT_LED } jh_layout_kind;

/* A daily window in hall time, minutes after midnight; end < start wraps past midnight. */
typedef struct {
    int start_min;
    int end_min;
} jh_quiet_window;

typedef struct {
    char id[JH_ID_LEN];
    jh_layout_kind layout;
    int width, height;
    int x, y;
    int has_position;            /* x or y given: place the window there, borderless */
    int fullscreen;
    char counter[JH_ID_LEN];
    int history;
    int voice;
    int repeat;
    int volume;
    jh_quiet_window quiet[JH_DISPLAY_MAX_QUIET];
    int n_quiet;
    uint32_t led_colors[2];      /* 0xRRGGBB */
    int n_led_colors;
    int led_font_px;
    int fps;
} jh_display_config;

/*
 * Reads [display <id>] from the INI file at `path`; id NULL or "" picks the
 * first [display ...] section. Returns 0, or -1 with one line in err.
 */
int jh_display_config_load(jh_display_config *dc, const char *path, const char *id,
                           char *err, size_t errlen);

/* The same from NUL-terminated text; `name` is used in messages. */
int jh_display_config_parse(jh_display_config *dc, const char *text, const char *name,
                            const char *id, char *err, size_t errlen);

/* Whether local time `minute` (0..1439) falls in a quiet window. */
int jh_display_quiet_at(const jh_display_config *dc, int minute);

const char *jh_layout_name(jh_layout_kind k);

#endif
