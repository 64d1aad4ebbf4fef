/* SPDX-License-Identifier: MIT */
/*
 * utf8_text — what counts as text on the wire, and text made fit for a screen.
 *
 * Owns: the one UTF-8 rule every part applies (a command with anything else
 * is refused by protocol.c; a state or event read by payload_codec.c has it
 * replaced), and copying text as one clean line: valid UTF-8, no control
 * characters, cut at a character boundary, so a renderer never sees bytes it
 * could choke on.
 */
#ifndef JH_UTF8_TEXT_H
#define JH_UTF8_TEXT_H

#include <stddef.h>

/* Length of the UTF-8 sequence at p (at most n bytes), or 0 when it is not one:
 * overlong forms, surrogates and code points above U+10FFFF are not text. */
size_t jh_utf8_seq_len(const unsigned char *p, size_t n);

/* Copies src into dst[dstlen] as clean single-line UTF-8: a byte that is not
 * text becomes '?', a control character (newline, tab) a space; a character
 * that does not fit is left out whole. src NULL is "". */
void jh_clean_text(char *dst, size_t dstlen, const char *src);

#endif
