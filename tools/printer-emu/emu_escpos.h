/* SPDX-License-Identifier: MIT */
/*
 * emu_escpos — the printer emulator's ESC/POS interpreter: bytes in, printed
 * lines out, the way a Chinese thermal printer reads them.
 *
 * Owns: a streaming parser (commands may be split across reads at any byte)
 * for the subset Jiaohao prints with — text in Chinese mode (two-byte GB
 * codes back to UTF-8), GS ! sizes, bold, alignment, reverse, feeds, QR model
 * 2, cuts, GS r — plus the lengths of common commands it doesn't act on, so it
 * stays in step; the real-time DLE EOT scanner; and the decoded ticket model
 * (lines of styled spans, QR codes) handed over at each cut. Like a real
 * printer it wraps a line that is too wide and ignores a cut that is not at
 * the start of a line, and it counts such things so tests can insist on none.
 * It must survive any byte sequence: a fuzz target drives it.
 *
 * No I/O: the emulator's main loop and the fuzzer feed it.
 */
#ifndef JH_EMU_ESCPOS_H
#define JH_EMU_ESCPOS_H

#include <stddef.h>
#include <stdint.h>

#define JH_EMU_MAX_LINES 4096  /* per ticket; more are dropped (and counted) */
#define JH_EMU_MAX_QR 7089     /* the QR standard's own limit */

typedef struct {
    char *text; /* UTF-8 */
    int w, h, bold, reverse;
} jh_emu_span;

typedef enum { JH_EMU_LINE_TEXT = 0, JH_EMU_LINE_QR } jh_emu_line_kind;

typedef struct {
    jh_emu_line_kind kind;
    int align;           /* 0 left, 1 center, 2 right */
    int h;               /* text: tallest span, or the size in force for an empty line */
    int auto_wrapped;    /* the printer broke here itself: the previous line was too long */
    jh_emu_span *spans;
    size_t n_spans;
    char *qr;            /* QR: the payload */
    int qr_module, qr_ec; /* module dots; 48..51 */
} jh_emu_line;

typedef struct {
    jh_emu_line *lines;
    size_t n_lines, cap;
    int cut_feed;          /* n of GS V 66 n, or 0 */
    int invalid_codes;     /* bytes that were not a printable two-byte GB code */
    int unknown_commands;
    int auto_wraps;
    int misplaced;         /* cuts or QR prints that were not at the start of a line */
    int dropped_lines;
} jh_emu_ticket;

typedef struct {
    void (*on_ticket)(const jh_emu_ticket *t, void *ctx); /* at each cut */
    void (*on_gs_r)(int n, void *ctx);                    /* GS r n, in order with the data */
    void *ctx;
} jh_emu_hooks;

typedef struct jh_emu_parser jh_emu_parser;

/* `columns`: half-width characters per line at size 1 (32 or 48). NULL on no memory. */
jh_emu_parser *jh_emu_parser_new(int columns, const jh_emu_hooks *hooks);
void jh_emu_parser_free(jh_emu_parser *p);
void jh_emu_parser_feed(jh_emu_parser *p, const uint8_t *data, size_t len);
/* What has been printed since the last cut (the current line not yet ended). */
const jh_emu_ticket *jh_emu_parser_pending(const jh_emu_parser *p);

/* Real-time command scanner: finds DLE EOT n (n = 1..4) in the raw stream as it arrives. */
typedef struct {
    int state;
} jh_emu_rt;
void jh_emu_rt_scan(jh_emu_rt *s, const uint8_t *data, size_t len, void (*on_dle_eot)(int n, void *ctx),
                    void *ctx);

void jh_emu_ticket_clear(jh_emu_ticket *t);

#endif
