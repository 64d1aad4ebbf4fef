/* SPDX-License-Identifier: MIT */
/*
 * beeper — a buzzer driven in ticks: n beeps of a given length with equal
 * gaps. The device's tick advances it; whoever drives the pin reads
 * beeper_on(). A new request replaces the one sounding (the newest sound is
 * the one that matters to the person at the counter).
 *
 * Portable C (MCU and host): no OS calls, no malloc.
 */
#ifndef JH_BEEPER_H
#define JH_BEEPER_H

#include <stdint.h>

typedef struct {
    uint16_t on_ticks;
    uint16_t left;      /* ticks left in the current on or off phase */
    uint8_t remaining;  /* beeps still to start after the current one */
    uint8_t on;
} beeper;

void beeper_init(beeper *b);

/* count beeps of on_ticks each, separated by as long a silence. */
void beeper_start(beeper *b, uint8_t count, uint16_t on_ticks);

void beeper_tick(beeper *b);

static inline int beeper_on(const beeper *b) { return b->on; }
static inline int beeper_busy(const beeper *b) { return b->on || b->left || b->remaining; }

#endif
