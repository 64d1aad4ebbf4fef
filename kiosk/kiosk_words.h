/* SPDX-License-Identifier: MIT */
/*
 * kiosk_words — what the kiosk says to a visitor when it cannot give a ticket.
 *
 * Owns: turning the technical reason (a flow failure, the caller's refusal
 * code, why the kiosk is paused) into short plain sentences in Simplified
 * Chinese and English for the error, paused and out-of-service screens. The
 * technical detail goes to the log and the small print, never to the title.
 */
#ifndef JH_KIOSK_WORDS_H
#define JH_KIOSK_WORDS_H

#include "kiosk_flow.h"

typedef struct {
    const char *title_zh, *title_en;
    const char *reason_zh, *reason_en;
} jh_words;

/* The error screen for a FAILED flow (f->failure, f->error_code, f->printer). */
void jh_words_for_failure(const jh_flow *f, jh_words *w);

typedef enum {
    JH_PAUSE_NONE = 0,
    JH_PAUSE_BROKER,       /* broker unreachable */
    JH_PAUSE_CONNECTING,   /* connected, state not read yet */
    JH_PAUSE_CALLER,       /* status/caller offline or never heard */
    JH_PAUSE_HALL_CLOSED   /* state/hall open=false */
} jh_pause_reason;

const char *jh_pause_reason_name(jh_pause_reason r);
void jh_words_for_pause(jh_pause_reason r, jh_words *w);

/* The out-of-service screen for a printer that cannot print. */
void jh_words_for_printer(const jh_printer_status *st, jh_words *w);

#endif
