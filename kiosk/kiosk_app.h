/* SPDX-License-Identifier: MIT */
/*
 * kiosk_app — jiaohao-kiosk's frame loop and the glue between its modules.
 *
 * Owns: the window, the broker link (commands out, replies and the caller's
 * state in, our retained status with its Last Will), the printer thread, the
 * take → print → void flow, which screen shows, taps (finger, mouse, or the
 * --script test hook) and screenshots. Each module does one job
 * (kiosk_flow, print_worker, kiosk_ui, kiosk_words, kiosk_script); this only
 * moves events between them once per frame.
 */
#ifndef JH_KIOSK_APP_H
#define JH_KIOSK_APP_H

#include <signal.h>
#include <stddef.h>

typedef struct {
    const char *config_path;
    const char *kiosk_id;       /* NULL: the first [kiosk] */
    const char *printer_device; /* overrides [printer] device */
    const char *screenshot;     /* save the first complete frame here and exit */
    const char *shot_dir;       /* save every new screen here: NNN-<screen>.png + .json */
    const char *script;         /* test hook: kiosk_script.h */
    int wait_ms;                /* --screenshot: how long to wait for broker and printer */
    volatile sig_atomic_t *quit_flag;
} jh_kiosk_opts;

typedef struct jh_kiosk_app jh_kiosk_app;

jh_kiosk_app *jh_kiosk_new(const jh_kiosk_opts *o, char *err, size_t errlen);

/* Runs until quit, the screenshot, or the script's end: 0; -1 with err on failure. */
int jh_kiosk_run(jh_kiosk_app *a, char *err, size_t errlen);

/* Publishes status offline, disconnects cleanly, stops the printer thread, frees. */
void jh_kiosk_free(jh_kiosk_app *a);

#endif
