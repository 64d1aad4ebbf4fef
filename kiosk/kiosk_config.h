/* SPDX-License-Identifier: MIT */
/*
 * kiosk_config — the ticket machine's screen settings: [kiosk-screen] of the hall config.
 *
 * Owns: reading and checking how the kiosk's touch screen behaves (size,
 * language shown first, how long the confirmation and error screens stay, how
 * long to wait for the caller's reply, how often to ask the printer how it
 * is, where it keeps its journal). hall_config passes sections it does not know over; the kiosk reads its
 * own here with the same INI reader. `[kiosk-screen]` holds the settings for
 * every kiosk, `[kiosk-screen <kiosk-id>]` overrides them for one machine (a
 * landscape screen in the lobby). Unknown keys and bad values are errors.
 *
 *   [kiosk-screen]
 *   size = 1080x1920            ; portrait; 1920x1080 landscape works as well
 *   fullscreen = yes
 *   lang = zh                   ; zh | en: the language shown first (toggle on screen)
 *   confirm_seconds = 8         ; the "take your ticket" screen, then home
 *   error_seconds = 10          ; the "no ticket" screen, then home
 *   idle_seconds = 30           ; a half-finished choice goes back home after this
 *   reply_timeout_ms = 5000     ; no answer from the caller within this: error screen
 *   printer_poll_seconds = 5    ; how often the printer is asked while idle
 *   fps = 30
 *   state_dir = /var/lib/jiaohao-kiosk  ; where <kiosk-id>.journal lives (void_journal.h);
 *                               ; unset: $STATE_DIRECTORY (systemd's StateDirectory=), else none
 */
#ifndef JH_KIOSK_CONFIG_H
#define JH_KIOSK_CONFIG_H

#include <stddef.h>

typedef struct {
    int width, height;
    int fullscreen;
    int lang_en;              /* 1: English first */
    int confirm_s;
    int error_s;
    int idle_s;
    int reply_timeout_ms;
    int printer_poll_s;
    int fps;
    char state_dir[512];      /* absolute path, "" when not set */
} jh_kiosk_config_screen;

void jh_kiosk_screen_defaults(jh_kiosk_config_screen *ks);

/*
 * Reads [kiosk-screen] then [kiosk-screen <kiosk_id>] over the defaults.
 * 0, or -1 with "file:line: [kiosk-screen] size: '10x10' is not WIDTHxHEIGHT
 * (320..7680)"; *ks is then unspecified.
 */
int jh_kiosk_screen_parse(jh_kiosk_config_screen *ks, const char *text, size_t len, const char *name,
                          const char *kiosk_id, char *err, size_t errlen);
int jh_kiosk_screen_load(jh_kiosk_config_screen *ks, const char *path, const char *kiosk_id, char *err,
                         size_t errlen);

#endif
