/* SPDX-License-Identifier: MIT */
/*
 * printer_config — the kiosk's [printer] section of the hall config.
 *
 * Owns: reading and checking the printer settings (device, baud, flow
 * control, paper width, timeouts, ticket look). hall_config passes sections it
 * does not know over, so the kiosk reads its own here. `[printer]` holds the
 * settings for every kiosk; `[printer <kiosk-id>]` overrides them for one
 * machine (a hall whose second kiosk has an 58 mm head). Unknown keys are
 * errors, so a typo can't silently fall back to a default.
 *
 *   [printer]
 *   device = /dev/serial/by-id/usb-1a86_USB_Serial-if00-port0
 *   baud = 9600                 ; 1200..921600
 *   flow = none                 ; none | rtscts | xonxoff
 *   paper_mm = 80               ; 58 (32 columns) | 80 (48 columns)
 *   status_timeout_ms = 500     ; no reply to DLE EOT within this = printer offline
 *   job_timeout_ms = 15000      ; a job not confirmed within this (after sending) failed
 *   chunk_bytes = 256           ; written, then drained, at a time
 *   number_size = 6             ; largest magnification for the ticket number, 1..8
 *   qr = yes                    ; print the rating QR code
 *   qr_module = 6               ; QR dot size 1..16
 *   cut_feed = 3                ; extra feed before the cut, 0..255
 */
#ifndef JH_PRINTER_CONFIG_H
#define JH_PRINTER_CONFIG_H

#include <stddef.h>

#include "serial_port.h"

typedef struct {
    char device[256];
    int baud;
    jh_serial_flow flow;
    int paper_mm;
    int columns; /* from paper_mm: 32 or 48 half-width characters */
    int status_timeout_ms;
    int job_timeout_ms;
    int chunk_bytes;
    int number_size;
    int qr;
    int qr_module;
    int cut_feed;
} jh_printer_config;

void jh_printer_config_defaults(jh_printer_config *pc);

/*
 * Reads [printer] then [printer <kiosk_id>] (kiosk_id may be NULL) from the
 * hall config at `path` over the defaults. Returns 0, or -1 with one line
 * "file:line: [printer] baud: '9601' is not a supported rate"; *pc is then
 * unspecified. The INI syntax is hall_config's (jh_ini_parse).
 */
int jh_printer_config_load(jh_printer_config *pc, const char *path, const char *kiosk_id,
                           char *err, size_t errlen);
int jh_printer_config_parse(jh_printer_config *pc, const char *text, size_t len, const char *name,
                            const char *kiosk_id, char *err, size_t errlen);

#endif
