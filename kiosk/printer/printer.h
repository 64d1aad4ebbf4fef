/* SPDX-License-Identifier: MIT */
/*
 * printer — the kiosk's thermal printer: its state and its print jobs.
 *
 * Owns: asking the printer how it is (DLE EOT 1/2/4, and 3 when it reports an
 * error), deciding from the replies whether a ticket can be printed, and
 * sending a job so that the kiosk knows whether it really printed: the job is
 * written in drained chunks, ends with GS r 1 (answered only after everything
 * before it was processed), and while waiting for that answer the printer is
 * polled with DLE EOT, which it answers at once even mid-job. A printer that
 * runs out of paper or goes silent mid-ticket is reported as a failed job, and
 * the kiosk then voids the ticket.
 *
 * The reply-byte decoding is a pure function (jh_printer_status_decode) so the
 * fuzzer and the unit tests can drive it without a device. Messages for the
 * screen are plain Chinese and English, static strings.
 */
#ifndef JH_PRINTER_H
#define JH_PRINTER_H

#include <stddef.h>
#include <stdint.h>

#include "printer_config.h"
#include "serial_port.h"

typedef enum {
    JH_PRINTER_READY = 0,
    JH_PRINTER_PAPER_NEAR_END, /* still prints; staff should change the roll */
    JH_PRINTER_PAPER_OUT,
    JH_PRINTER_COVER_OPEN,
    JH_PRINTER_OFFLINE,        /* no answer (unplugged, powered off), or offline with no cause given */
    JH_PRINTER_ERROR           /* cutter jam, head overheat, or replies that make no sense */
} jh_printer_state;

typedef struct {
    jh_printer_state state;
    int can_print;        /* READY or PAPER_NEAR_END */
    uint8_t reply[4];     /* replies to DLE EOT 1, 2, 4 and (on error) 3 */
    size_t n_reply;
    const char *text_zh;  /* one short line for the screen, e.g. "打印机缺纸，请联系工作人员" */
    const char *text_en;  /* "Printer out of paper, please ask staff" */
    char detail[256];     /* for the log: which byte said what */
} jh_printer_status;

/*
 * Decodes the replies to DLE EOT 1, 2, 4 (and optionally 3) in that order.
 * Fewer than three bytes means the printer stopped answering (OFFLINE); a
 * byte not shaped 0xx1xx10, or more than four bytes, is ERROR. Never fails:
 * any input gives a state.
 */
void jh_printer_status_decode(const uint8_t *reply, size_t len, jh_printer_status *st);

const char *jh_printer_state_name(jh_printer_state s); /* "ready", "paper-out", ... */

typedef struct jh_printer jh_printer;

/* Opens the device of `pc` (serial layer). -1 with a message when it can't. */
int jh_printer_open(jh_printer **out, const jh_printer_config *pc, char *err, size_t errlen);
void jh_printer_close(jh_printer *p);
/* The serial fd, for a poll loop that wants to notice a hang-up. */
int jh_printer_fd(const jh_printer *p);

/*
 * Asks the printer for its state. Always fills *st (a device that is gone
 * reads as OFFLINE). Returns 0 when the printer answered, -1 when it did not
 * or the device failed; the reason is in st->detail either way.
 */
int jh_printer_query(jh_printer *p, jh_printer_status *st);

typedef enum {
    JH_PRINT_OK = 0,     /* confirmed: all data processed, printer still fine afterwards */
    JH_PRINT_REFUSED,    /* nothing sent: the printer was not ready (st says why) */
    JH_PRINT_FAILED      /* sent but not confirmed: assume the ticket is not in the visitor's hand */
} jh_print_result;

const char *jh_print_result_name(jh_print_result r);

/*
 * Prints `job` (ESC/POS bytes, without the GS r barrier: this adds it).
 * First checks the state and refuses before sending anything unless it can
 * print. *st is the state at the end. `err` explains REFUSED and FAILED.
 */
jh_print_result jh_printer_print(jh_printer *p, const uint8_t *job, size_t len, jh_printer_status *st,
                                 char *err, size_t errlen);

#endif
