/* SPDX-License-Identifier: MIT */
/*
 * hall_words — how the hall says a time to the public, in both languages:
 * the clock and date in the header of every screen, and an estimated wait.
 *
 * Owns the wording only (Simplified Chinese first, English second), so the
 * boards and the kiosk say the same thing the same way. No drawing, no state.
 */
#ifndef JH_HALL_WORDS_H
#define JH_HALL_WORDS_H

#include <stddef.h>
#include <stdint.h>

/* "14:05:32"; "2026年11月23日 星期一"; "Mon 23 Nov 2026" in hall time. */
void jh_clock_text(int64_t now_ms, char *hms, size_t hl, char *date_zh, size_t dzl,
                   char *date_en, size_t del);

/* "约 12 分钟" / "~12 min"; "—" when unknown, "即将 / now" under a minute. */
void jh_wait_text(int ewt_s, char *zh, size_t zl, char *en, size_t el);

#endif
