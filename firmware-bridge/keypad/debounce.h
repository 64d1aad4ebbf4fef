/* SPDX-License-Identifier: MIT */
/*
 * debounce — turns raw key samples, taken once per tick, into clean presses.
 *
 * Owns: the stable state of up to 32 keys and, per key, how many consecutive
 * samples have disagreed with it. A key changes state only after `threshold`
 * such samples in a row, so contact bounce (a few ms of chatter when a key
 * closes or opens) never yields a second press. With a 5 ms tick and a
 * threshold of 4 a press is seen 20 ms after the contact settles.
 *
 * Portable C (MCU and host): no OS calls, no malloc.
 */
#ifndef JH_DEBOUNCE_H
#define JH_DEBOUNCE_H

#include <stdint.h>

#define DEBOUNCE_KEYS 32

typedef struct {
    uint32_t stable;               /* bit k set: key k is held down */
    uint8_t count[DEBOUNCE_KEYS];
    uint8_t threshold;
} debounce;

/* threshold: consecutive samples needed to accept a change (1..255). */
void debounce_init(debounce *d, uint8_t threshold);

/* Takes one sample (bit k = key k closed); returns the keys newly pressed. */
uint32_t debounce_sample(debounce *d, uint32_t raw);

#endif
