/* SPDX-License-Identifier: MIT */
/*
 * app — one running board: config, window, broker link, board state, voice, frames.
 *
 * Owns: wiring the modules together and the frame step — pump the broker link
 * (messages land in the board), move announcements on, draw the layout, save
 * screenshots when asked, present. It decides when the board is in
 * maintenance (broker unreachable, or the caller not online) and when a first
 * frame is "complete" for --screenshot (subscribed and the retained state has
 * stopped arriving, or no broker within the wait). main.c only parses the
 * command line and handles signals; the bench drives jh_app_step() directly.
 */
#ifndef JH_APP_H
#define JH_APP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "board_state.h"
#include "text_cache.h"

typedef struct {
    const char *config_path;
    const char *display_id;       /* NULL: the first [display ...] section */
    const char *screenshot;       /* save the first complete frame here, then stop */
    const char *layout_out;       /* with every saved frame: JSON of where each tagged text went */
    const char *shot_signal;      /* on *shot_flag (SIGUSR1) save the current frame here */
    const char *voice_out;        /* write announcements to this WAV instead of playing */
    const char *voice_dir;        /* clips; NULL: the built-in default */
    const char *user;             /* broker user; NULL: [broker] user, else "display" */
    const char *password_file;
    int wait_ms;                  /* --screenshot: how long to wait for a broker */
    volatile sig_atomic_t *quit_flag;
    volatile sig_atomic_t *shot_flag;
} jh_app_opts;

typedef struct jh_app jh_app;

/* Loads config, opens window, fonts, voice and the link. NULL with one line in err. */
jh_app *jh_app_new(const jh_app_opts *o, char *err, size_t errlen);

/* One frame. 0: go on; 1: finished (screenshot saved or quit asked); -1: error in err. */
int jh_app_step(jh_app *a, char *err, size_t errlen);

/* Steps at the configured frame rate until finished. 0 or -1 with err. */
int jh_app_run(jh_app *a, char *err, size_t errlen);

void jh_app_free(jh_app *a);

/* For the bench and tests. */
const jh_board *jh_app_board(const jh_app *a);
jh_text_stats jh_app_text_stats(const jh_app *a);
int jh_app_maintenance(const jh_app *a);

#endif
