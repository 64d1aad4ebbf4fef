/* SPDX-License-Identifier: MIT */
/*
 * kiosk_view — what the touch screen is asked to show, without any drawing.
 *
 * Owns: the names of the screens, the buttons a frame offers (and finding
 * the one under a finger or by its script name), and jh_ui_view, everything
 * one frame depends on. The app fills a view; kiosk_ui draws it. This header
 * pulls in no SDL drawing and no printer headers, so the app and the test
 * scripts decide what is shown without a renderer.
 */
#ifndef JH_KIOSK_VIEW_H
#define JH_KIOSK_VIEW_H

#include <stdint.h>

#include "board_state.h"
#include "hall_config.h"

typedef enum {
    JH_SCREEN_HOME = 0,
    JH_SCREEN_GREEN,          /* who is the green-channel ticket for */
    JH_SCREEN_GREEN_SERVICE,  /* then which service */
    JH_SCREEN_BUSY,           /* checking the printer, taking, printing */
    JH_SCREEN_CONFIRM,
    JH_SCREEN_ERROR,
    JH_SCREEN_PAUSED,         /* hall closed, caller offline, broker unreachable */
    JH_SCREEN_OUT_OF_SERVICE, /* the printer cannot print */
    JH_SCREEN_COUNT
} jh_screen;

/* "home", "green", "green-service", "busy", "confirm", "error", "paused", "out-of-service" */
const char *jh_screen_name(jh_screen s);

typedef enum { JH_BTN_SERVICE, JH_BTN_GREEN, JH_BTN_LANG, JH_BTN_PRIORITY, JH_BTN_BACK, JH_BTN_OK } jh_button_kind;

typedef struct {
    int x, y, w, h;
} jh_box;

typedef struct {
    jh_button_kind kind;
    int arg;           /* SERVICE: index into cfg->services; PRIORITY: jh_priority */
    int enabled;       /* a closed service is drawn but does nothing */
    jh_box box;
    char name[48];     /* for test scripts: "service:A", "green", "lang", "prio:elderly", "back", "ok" */
} jh_button;

#define JH_UI_MAX_BUTTONS (JH_MAX_SERVICES + 8)

typedef struct {
    jh_button b[JH_UI_MAX_BUTTONS];
    int n;
} jh_ui_buttons;

/* The issued ticket as the confirmation screen shows it. */
typedef struct {
    char ticket[JH_ID_LEN];
    char service[JH_ID_LEN];
    jh_priority priority;
    int ahead;
    int ewt_s;                       /* < 0: unknown */
} jh_ui_ticket;

typedef struct {
    jh_screen screen;
    int lang_en;                     /* English first */
    const jh_hall_config *cfg;
    const jh_kiosk_config *kiosk;    /* the services this machine offers */
    const jh_board *board;           /* the caller's published state */
    int64_t now_ms;                  /* wall clock (hall time zone set) */
    jh_priority green;               /* GREEN_SERVICE: the chosen class */
    jh_ui_ticket ticket;             /* CONFIRM */
    int countdown_s;                 /* CONFIRM, ERROR: back home in */
    /* ERROR, PAUSED, OUT_OF_SERVICE, BUSY: the words */
    const char *title_zh, *title_en;
    const char *reason_zh, *reason_en;
    const char *tech;                /* small print for staff ("" none) */
} jh_ui_view;

/* The button under x,y (enabled or not); NULL when none. */
const jh_button *jh_ui_hit(const jh_ui_buttons *b, int x, int y);
const jh_button *jh_ui_find(const jh_ui_buttons *b, const char *name);

/* Whether service `si` takes tickets now: the caller's word, else the configured hours. */
int jh_ui_service_open(const jh_ui_view *v, int si);

#endif
