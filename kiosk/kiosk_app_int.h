/* SPDX-License-Identifier: MIT */
/*
 * kiosk_app_int — the app's state, shared by kiosk_app.c (set-up, broker,
 * status) and kiosk_loop.c (frames, taps, screens, script). Private.
 */
#ifndef JH_KIOSK_APP_INT_H
#define JH_KIOSK_APP_INT_H

#include <stdint.h>

#include "board_state.h"
#include "hall_config.h"
#include "kiosk_app.h"
#include "kiosk_config.h"
#include "kiosk_flow.h"
#include "kiosk_script.h"
#include "kiosk_view.h"
#include "kiosk_window.h"
#include "kiosk_words.h"
#include "mqtt_link.h"
#include "print_worker.h"
#include "printer_config.h"
#include "protocol.h"

#define JH_KIOSK_SETTLE_MS 400 /* a screen (and the retained state) is complete after this much quiet */

struct jh_kiosk_app {
    jh_kiosk_opts o;
    jh_hall_config *cfg;
    const jh_kiosk_config *kiosk; /* &offer: its services filled in when the config lists none */
    jh_kiosk_config offer;
    jh_printer_config pc;
    jh_kiosk_config_screen ks;
    jh_board *board;
    jh_link *link;
    jh_print_worker *printer;
    jh_flow flow;
    jh_script script;

    jh_kiosk_window *win;
    jh_ui_buttons buttons;

    char t_cmd[JH_TOPIC_LEN], t_status[JH_TOPIC_LEN], t_reply[JH_TOPIC_LEN];
    char t_state[JH_TOPIC_LEN], t_caller[JH_TOPIC_LEN];

    /* navigation: what the visitor chose so far */
    jh_screen nav;
    jh_priority green;
    int lang_en;
    int64_t last_touch;

    /* what shows */
    jh_screen screen;
    int screen_key;          /* screen and language: a change is a new screenshot */
    int64_t screen_since;
    int saved_key;
    int n_saved;
    jh_words words;
    jh_pause_reason pause;
    char tech[420];

    /* printer */
    jh_printer_status printer_st;
    uint64_t printer_n;      /* answers so far; 0 = not known yet */
    int published_state;     /* printer state in the last status/<id>; -1 none */
    uint64_t published_session;
    uint64_t check_req, print_req;

    int64_t started;
    int step;                /* script position */
    int64_t step_started;
};

/* kiosk_app.c */
void jh_kiosk_publish_status(jh_kiosk_app *a, int online);
void jh_kiosk_publish_cmd(jh_kiosk_app *a, const char *json, const char *what);
int64_t jh_kiosk_mono_ms(void);

/* kiosk_loop.c */
int jh_kiosk_step(jh_kiosk_app *a, char *err, size_t errlen);

#endif
