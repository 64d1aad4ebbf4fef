/* SPDX-License-Identifier: MIT */
/*
 * ticket_layout — what a Jiaohao queue ticket looks like on paper.
 *
 * Owns: turning one issued ticket (the caller's `take` reply) plus the hall
 * config into an ESC/POS job: hall name, service, the number very large, the
 * green-channel mark, people ahead and estimated wait, issue time, the
 * service's materials checklist and promised time limit (一次性告知), the
 * complaint hotline and a rating QR code, then the cut. Chinese first,
 * English second. Text is wrapped here, to the paper's columns, so the
 * printer never wraps a line by itself in the middle of a word.
 *
 * Pure: no I/O, no clock. The printer module sends what this builds.
 */
#ifndef JH_TICKET_LAYOUT_H
#define JH_TICKET_LAYOUT_H

#include <stddef.h>

#include "escpos.h"
#include "hall_config.h"
#include "printer_config.h"

/* One issued ticket, as the caller's take reply describes it (docs/protocol.md). */
typedef struct {
    char ticket[JH_ID_LEN];  /* "A012": capital letters and digits */
    char service[JH_ID_LEN]; /* "A": a service code of the config */
    jh_priority priority;
    int ahead;               /* people waiting before this ticket */
    int ewt_s;               /* estimated wait, seconds; < 0 when the caller gave none */
    char issued_at[40];      /* "2026-11-23T09:05:07+08:00" */
    int day;                 /* business day, YYYYMMDD */
} jh_issued_ticket;

/*
 * Appends the ticket's job (from ESC @ to the cut) to `out`, laid out for
 * pc->columns with pc's number size, QR and cut settings. Returns 0, or -1
 * with a message (unknown service, malformed ticket number, bad text in the
 * config); `out` is then unchanged.
 */
int jh_ticket_layout(jh_escpos *out, const jh_hall_config *cfg, const jh_printer_config *pc,
                     const jh_issued_ticket *t, char *err, size_t errlen);

/*
 * The rating QR payload. A rating_url ending in '=' is a prefix the ticket
 * completes (assets/hall.ini): "...&ticket=" → "...&ticket=A012&d=20261123".
 * Any other URL gets "?t=A012&d=20261123" ('&' when it already has a query).
 * Anything that is not printable ASCII is percent-encoded. "" when the hall
 * has no rating_url. Returns -1 when it does not fit in `len`.
 */
int jh_ticket_qr_payload(char *buf, size_t len, const char *rating_url, const char *ticket, int day);

#endif
