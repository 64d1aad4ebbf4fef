/* SPDX-License-Identifier: MIT */
/*
 * kiosk_config — see kiosk_config.h. Read with the hall config's layered INI
 * reader, so `[kiosk-screen <id>]` overrides `[kiosk-screen]` wherever each
 * appears in the file (as [printer] does).
 */
#include "kiosk_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall_config.h"

void jh_kiosk_screen_defaults(jh_kiosk_config_screen *ks)
{
    *ks = (jh_kiosk_config_screen){.width = 1080, .height = 1920, .fullscreen = 1, .confirm_s = 8,
                                   .error_s = 10, .idle_s = 30, .reply_timeout_ms = 5000,
                                   .printer_poll_s = 5, .fps = 30};
}

static const struct {
    const char *key;
    size_t off;
    int lo, hi;
} g_ints[] = {
    {"confirm_seconds", offsetof(jh_kiosk_config_screen, confirm_s), 2, 60},
    {"error_seconds", offsetof(jh_kiosk_config_screen, error_s), 2, 120},
    {"idle_seconds", offsetof(jh_kiosk_config_screen, idle_s), 5, 600},
    {"reply_timeout_ms", offsetof(jh_kiosk_config_screen, reply_timeout_ms), 200, 60000},
    {"printer_poll_seconds", offsetof(jh_kiosk_config_screen, printer_poll_s), 1, 600},
    {"fps", offsetof(jh_kiosk_config_screen, fps), 1, 60},
};

static int set_int(jh_kiosk_config_screen *ks, const char *key, const char *v, char *msg, size_t len)
{
    for (size_t i = 0; i < sizeof g_ints / sizeof g_ints[0]; i++) {
        if (strcmp(key, g_ints[i].key) != 0)
            continue;
        if (jh_ini_int(v, g_ints[i].lo, g_ints[i].hi, (int *)((char *)ks + g_ints[i].off), NULL, 0) != 0)
            return snprintf(msg, len, "'%s' is not a number in %d..%d", v, g_ints[i].lo, g_ints[i].hi), -1;
        return 0;
    }
    return snprintf(msg, len, "unknown key"), -1;
}

static int set_key(void *user, const char *key, const char *v, char *msg, size_t len)
{
    jh_kiosk_config_screen *ks = user;
    if (!strcmp(key, "size")) {
        if (jh_ini_size(v, 320, 7680, 320, 7680, &ks->width, &ks->height) != 0)
            return snprintf(msg, len, "'%s' is not WIDTHxHEIGHT (320..7680)", v), -1;
    } else if (!strcmp(key, "fullscreen")) {
        if (jh_ini_bool(v, JH_INI_YES_NO, &ks->fullscreen) != 0)
            return snprintf(msg, len, "'%s' is not yes or no", v), -1;
    } else if (!strcmp(key, "state_dir")) {
        /* Absolute: the kiosk may be started from anywhere, and must find its journal again. */
        if (v[0] != '/' || strlen(v) >= sizeof ks->state_dir || strcspn(v, "\n\r\t") != strlen(v))
            return snprintf(msg, len, "'%s' is not an absolute path (at most %zu bytes)", v,
                            sizeof ks->state_dir - 1), -1;
        snprintf(ks->state_dir, sizeof ks->state_dir, "%s", v);
    } else if (!strcmp(key, "lang")) {
        if (strcmp(v, "zh") != 0 && strcmp(v, "en") != 0)
            return snprintf(msg, len, "'%s' is not zh or en", v), -1;
        ks->lang_en = strcmp(v, "en") == 0;
    } else {
        return set_int(ks, key, v, msg, len);
    }
    return 0;
}

int jh_kiosk_screen_parse(jh_kiosk_config_screen *ks, const char *text, size_t len, const char *name,
                          const char *kiosk_id, char *err, size_t errlen)
{
    jh_kiosk_screen_defaults(ks);
    return jh_ini_parse_layered(text, len, name, "kiosk-screen", kiosk_id, set_key, ks, err, errlen);
}

int jh_kiosk_screen_load(jh_kiosk_config_screen *ks, const char *path, const char *kiosk_id, char *err,
                         size_t errlen)
{
    size_t len;
    char *text = jh_config_read_file(path, &len, err, errlen);
    if (!text)
        return -1;
    int rc = jh_kiosk_screen_parse(ks, text, len, path, kiosk_id, err, errlen);
    free(text);
    return rc;
}
