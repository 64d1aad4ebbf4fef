/* SPDX-License-Identifier: MIT */
/*
 * escpos — the ESC/POS byte encoder for Chinese thermal printers.
 *
 * Owns: turning printing intentions (text, size, bold, alignment, feed, QR,
 * cut) into the exact bytes of docs/hardware.md, in a growable buffer, and the
 * UTF-8 → two-byte GB18030 text encoding these printers understand. It does
 * no I/O: ticket_layout builds a job with it, printer sends the job.
 *
 * Errors are sticky so a layout can chain calls and check once: the first
 * failure (out of memory, invalid UTF-8, a bad argument) is kept in
 * `b->err`, later calls do nothing, and a failed call never leaves half a
 * command in the buffer.
 */
#ifndef JH_ESCPOS_H
#define JH_ESCPOS_H

#include <stddef.h>
#include <stdint.h>

typedef enum { JH_ESC_ALIGN_LEFT = 0, JH_ESC_ALIGN_CENTER = 1, JH_ESC_ALIGN_RIGHT = 2 } jh_esc_align;

/* QR error-correction levels as ESC/POS numbers them (fn 169: 48..51). */
typedef enum { JH_QR_EC_L = 48, JH_QR_EC_M = 49, JH_QR_EC_Q = 50, JH_QR_EC_H = 51 } jh_qr_ec;

#define JH_QR_MAX_PAYLOAD 1024 /* far above a rating URL; cheap printers' QR buffers are small */

typedef struct {
    uint8_t *data;
    size_t len;
    size_t cap;
    int at_line_start; /* cut and QR must start a line */
    int failed;
    char err[160];
} jh_escpos;

void jh_escpos_init(jh_escpos *b);
void jh_escpos_free(jh_escpos *b);
/* 0 while no call has failed; else -1 and b->err says why. */
int jh_escpos_status(const jh_escpos *b);

/* ESC @ then FS &: a clean printer state in Chinese mode. */
int jh_escpos_reset(jh_escpos *b);

/*
 * UTF-8 text. '\n' ends a line; other control characters become spaces so
 * text from the config can never smuggle in a command. Characters the
 * printer can't show as one or two bytes are replaced (see jh_gb_encode);
 * `replaced` (may be NULL) receives how many. Invalid UTF-8 is an error.
 */
int jh_escpos_text(jh_escpos *b, const char *utf8, int *replaced);
/* Text already encoded by jh_gb_encode (the layout wraps encoded text). */
int jh_escpos_gb(jh_escpos *b, const uint8_t *gb, size_t len);
int jh_escpos_newline(jh_escpos *b);

/* Appends everything in `job` (whole commands), taking over its line state. */
int jh_escpos_append(jh_escpos *b, const jh_escpos *job);

/* GS ! — width and height multipliers 1..8 (Hanzi too). */
int jh_escpos_size(jh_escpos *b, int width, int height);
int jh_escpos_bold(jh_escpos *b, int on);
int jh_escpos_align(jh_escpos *b, jh_esc_align a);
/* GS B — white on black. */
int jh_escpos_reverse(jh_escpos *b, int on);
/* ESC d n — print and feed n lines (0..255). */
int jh_escpos_feed(jh_escpos *b, int lines);

/*
 * QR model 2 (GS ( k fn 165, 167, 169, 180, 181): module size 1..16 dots,
 * payload printable ASCII only, 1..JH_QR_MAX_PAYLOAD bytes. Starts a new
 * line first when needed.
 */
int jh_escpos_qr(jh_escpos *b, const char *payload, int module, jh_qr_ec ec);

/* GS V 66 n — feed to the cutter plus n, partial cut; starts a line first. */
int jh_escpos_cut(jh_escpos *b, int feed);

/* GS r 1 — asks for the paper sensor byte, answered in order with the data. */
int jh_escpos_status_barrier(jh_escpos *b);

/*
 * UTF-8 → printer GB bytes, appended to `out`: ASCII stays one byte, other
 * characters become their two-byte GB18030 code. Characters whose code would
 * be four bytes are mapped to a look-alike (¥ → ￥, • → ·, ™ → TM, NBSP →
 * space, ...) or else '?'. Control characters other than '\n' become ' '.
 * Returns 0, or -1 on invalid UTF-8 (out unchanged, message in out->err).
 * Each output byte is one half-width column: a GB code is two columns.
 */
int jh_gb_encode(jh_escpos *out, const char *utf8, size_t len, int *replaced);

/* Columns `utf8` takes at size 1 once encoded; -1 on invalid UTF-8. */
int jh_gb_width(const char *utf8);

#endif
