/* SPDX-License-Identifier: MIT */
/* beeper — see beeper.h. */
#include "beeper.h"

void beeper_init(beeper *b)
{
    *b = (beeper){0};
}

void beeper_start(beeper *b, uint8_t count, uint16_t on_ticks)
{
    if (count == 0 || on_ticks == 0) {
        beeper_init(b);
        return;
    }
    b->on_ticks = on_ticks;
    b->on = 1;
    b->left = on_ticks;
    b->remaining = (uint8_t)(count - 1);
}

void beeper_tick(beeper *b)
{
    if (b->left == 0)
        return;
    if (--b->left > 0)
        return;
    if (b->on) {
        b->on = 0;
        b->left = b->remaining ? b->on_ticks : 0;
    } else if (b->remaining) {
        b->remaining--;
        b->on = 1;
        b->left = b->on_ticks;
    }
}
