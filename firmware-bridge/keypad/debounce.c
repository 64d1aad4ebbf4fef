/* SPDX-License-Identifier: MIT */
/*
 * debounce — see debounce.h. A counter per key rather than a shift register,
 * so the threshold is a setting and not the register's width.
 */
#include "debounce.h"

#include <string.h>

void debounce_init(debounce *d, uint8_t threshold)
{
    memset(d, 0, sizeof *d);
    d->threshold = threshold ? threshold : 1;
}

uint32_t debounce_sample(debounce *d, uint32_t raw)
{
    uint32_t pressed = 0;
    uint32_t differs = raw ^ d->stable;
    for (int k = 0; k < DEBOUNCE_KEYS; k++) {
        uint32_t bit = (uint32_t)1 << k;
        if (!(differs & bit)) {
            d->count[k] = 0;
            continue;
        }
        if (++d->count[k] < d->threshold)
            continue;
        d->count[k] = 0;
        d->stable ^= bit;
        if (d->stable & bit)
            pressed |= bit;
    }
    return pressed;
}
