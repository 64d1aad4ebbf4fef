/* SPDX-License-Identifier: MIT */
/*
 * kiosk_script — the test hook that drives the touch screen without a finger.
 *
 * Owns: reading a script of steps (one per line) for `jiaohao-kiosk --script
 * FILE`. The app runs the steps between frames, against the buttons of the
 * frame the screen really shows, so a script taps exactly what a visitor
 * would. A step that cannot be done (a button that is not on the screen, a
 * screen that does not come) stops the kiosk with an error naming the line.
 *
 *   # comment
 *   wait-screen home 10000     wait until this screen shows (ms, default 10000)
 *   tap service:A              tap a named button (see jh_button.name)
 *   tap 540 1700               tap at x,y
 *   wait 500                   let time pass (ms)
 *   shot /tmp/x.png            save the current frame
 *   quit                       exit 0 (also at the end of the script)
 */
#ifndef JH_KIOSK_SCRIPT_H
#define JH_KIOSK_SCRIPT_H

#include <stddef.h>

typedef enum { JH_STEP_WAIT, JH_STEP_WAIT_SCREEN, JH_STEP_TAP_NAME, JH_STEP_TAP_XY, JH_STEP_SHOT, JH_STEP_QUIT } jh_step_kind;

typedef struct {
    jh_step_kind kind;
    int line;
    int ms;        /* WAIT; WAIT_SCREEN timeout */
    int x, y;      /* TAP_XY */
    char arg[256]; /* WAIT_SCREEN screen name, TAP_NAME button, SHOT path */
} jh_script_step;

typedef struct {
    jh_script_step *steps;
    int n;
} jh_script;

/* 0, or -1 with "file:line: why" (unknown step, bad number, unknown screen). */
int jh_script_parse(jh_script *s, const char *text, const char *name, char *err, size_t errlen);
int jh_script_load(jh_script *s, const char *path, char *err, size_t errlen);
void jh_script_free(jh_script *s);

#endif
