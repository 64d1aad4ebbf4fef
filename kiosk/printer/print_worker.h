/* SPDX-License-Identifier: MIT */
/*
 * print_worker — the kiosk's printer, run on its own thread.
 *
 * Owns: the one jh_printer of the kiosk and the thread that talks to it.
 * Asking a printer how it is takes up to a few status timeouts when it does
 * not answer, and a ticket takes seconds on a 9600-baud line; the touch
 * screen and the broker link must go on meanwhile, so the frame loop never
 * touches the device. It posts requests here (check now, print this ticket)
 * and picks the answers up on a later frame. Between requests the printer is
 * asked every poll interval (every second while it cannot print), so a roll
 * that runs out while nobody is taking a ticket still takes the kiosk out of
 * service, and a new roll brings it back at once. A device that cannot be
 * opened, or stops answering, is opened again on the next round (a USB
 * adapter that was unplugged comes back under the same by-id name).
 */
#ifndef JH_PRINT_WORKER_H
#define JH_PRINT_WORKER_H

#include <stddef.h>
#include <stdint.h>

#include "hall_config.h"
#include "printer.h"
#include "printer_config.h"
#include "ticket_layout.h"
#include "ticket_print.h"

typedef struct jh_print_worker jh_print_worker;

typedef enum { JH_PW_CHECK = 1, JH_PW_PRINT } jh_pw_kind;

/* The answer to one request. */
typedef struct {
    uint64_t request;           /* what jh_print_worker_check/print returned */
    jh_pw_kind kind;
    jh_printer_status status;   /* CHECK: the fresh state */
    jh_ticket_print_outcome outcome; /* PRINT */
} jh_pw_result;

/*
 * Starts the thread; the first status query begins at once. `cfg` and `pc`
 * must outlive the worker. NULL with err when the thread cannot start (a
 * missing device is not an error: it reads as OFFLINE until it appears).
 */
jh_print_worker *jh_print_worker_start(const jh_hall_config *cfg, const jh_printer_config *pc, int poll_ms,
                                       char *err, size_t errlen);

/* Stops the thread (waiting for a job in progress to end) and closes the device. */
void jh_print_worker_stop(jh_print_worker *w);

/* Requests; each returns a request number (> 0) whose answer jh_print_worker_result gives. */
uint64_t jh_print_worker_check(jh_print_worker *w);
uint64_t jh_print_worker_print(jh_print_worker *w, const jh_issued_ticket *t);

/* 1 and *r when the answer to `request` is there (it is then forgotten), else 0. */
int jh_print_worker_result(jh_print_worker *w, uint64_t request, jh_pw_result *r);

/*
 * The latest state the printer reported (from any request or poll), and how
 * many answers there have been: 0 before the first query finished.
 */
uint64_t jh_print_worker_status(jh_print_worker *w, jh_printer_status *st);

#endif
