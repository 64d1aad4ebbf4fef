/* SPDX-License-Identifier: MIT */
/*
 * ticket_print — the kiosk's one call to put an issued ticket on paper.
 *
 * Owns: the step from the caller's `take` reply to a known outcome: read the
 * reply into a jh_issued_ticket, lay the ticket out for this printer, print
 * it and say plainly what happened. The kiosk then either hands over the
 * ticket or sends `void {ticket, reason}` and shows out->status's text.
 *
 *   jh_issued_ticket t;
 *   if (jh_issued_ticket_from_reply(&t, payload, len, err, sizeof err) == 0) {
 *       jh_ticket_print_outcome o;
 *       if (jh_ticket_print(printer, cfg, pc, &t, &o) != JH_PRINT_OK)
 *           send_void(t.ticket, o.message);   // and show o.status.text_zh / text_en
 *   }
 */
#ifndef JH_TICKET_PRINT_H
#define JH_TICKET_PRINT_H

#include <stddef.h>

#include "hall_config.h"
#include "printer.h"
#include "printer_config.h"
#include "ticket_layout.h"

typedef struct {
    jh_print_result result;
    jh_printer_status status; /* the printer afterwards: what the screen should say */
    size_t job_bytes;         /* 0 when nothing was sent */
    char message[384];        /* one line for the log and the void reason */
} jh_ticket_print_outcome;

/*
 * The caller's take reply {id, ok:true, ticket, service, priority, ahead,
 * ewt_s, issued_at, day} → *t. -1 with a message for a refusal (ok:false:
 * its error and message are quoted), bad JSON, or a missing or mistyped field.
 */
int jh_issued_ticket_from_reply(jh_issued_ticket *t, const char *json, size_t len, char *err, size_t errlen);

/* Lays out, checks the printer, prints. A layout error is REFUSED (nothing sent). */
jh_print_result jh_ticket_print(jh_printer *p, const jh_hall_config *cfg, const jh_printer_config *pc,
                                const jh_issued_ticket *t, jh_ticket_print_outcome *out);

#endif
