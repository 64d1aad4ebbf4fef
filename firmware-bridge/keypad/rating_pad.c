/* SPDX-License-Identifier: MIT */
/*
 * rating_pad — see rating_pad.h. The state is derived, not stored: it follows
 * from the ticket the master set and the ticket last rated, so there is no
 * transition that could be missed when frames are lost or repeated.
 */
#include "rating_pad.h"

#include <string.h>

#define CLICK_MS 60
#define ERROR_MS 120

void rating_pad_init(rating_pad *p, uint8_t addr, uint16_t session, uint8_t tick_ms,
                     uint8_t debounce_ticks)
{
    memset(p, 0, sizeof *p);
    p->tick_ms = tick_ms ? tick_ms : 1;
    bus_slave_init(&p->bus, addr, BUS_DEV_RATING_PAD, session);
    debounce_init(&p->keys, debounce_ticks);
    beeper_init(&p->buzzer);
}

rating_pad_state rating_pad_state_of(const rating_pad *p)
{
    if (p->bus.ticket[0] == 0)
        return RATING_PAD_IDLE;
    return strcmp(p->bus.ticket, p->rated) == 0 ? RATING_PAD_LOCKED : RATING_PAD_ARMED;
}

static void sound(rating_pad *p, uint8_t count, uint16_t ms)
{
    uint16_t ticks = (uint16_t)((ms + p->tick_ms - 1) / p->tick_ms);
    beeper_start(&p->buzzer, count, ticks ? ticks : 1);
}

static void on_score(rating_pad *p, uint8_t score)
{
    if (rating_pad_state_of(p) != RATING_PAD_ARMED) {
        p->refused++;
        sound(p, 2, ERROR_MS);
        return;
    }
    uint8_t data[BUS_EVENT_DATA_MAX];
    size_t tlen = strlen(p->bus.ticket);
    data[0] = score;
    memcpy(data + 1, p->bus.ticket, tlen);
    if (bus_slave_queue(&p->bus, BUS_EV_RATE, data, (uint8_t)(1 + tlen)) == 0) {
        p->refused++;
        sound(p, 2, ERROR_MS);
        return;
    }
    memcpy(p->rated, p->bus.ticket, tlen + 1);
    p->last_score = score;
    p->ratings++;
    sound(p, 1, CLICK_MS);
}

void rating_pad_tick(rating_pad *p, uint32_t raw)
{
    beeper_tick(&p->buzzer);
    uint8_t count, on_10ms;
    if (bus_slave_take_beep(&p->bus, &count, &on_10ms))
        sound(p, count, (uint16_t)(on_10ms * 10));
    uint32_t pressed = debounce_sample(&p->keys, raw & 0x1F);
    /* Two scores pressed in the same tick are ambiguous: neither counts. */
    if (pressed && (pressed & (pressed - 1))) {
        p->refused++;
        sound(p, 2, ERROR_MS);
        return;
    }
    for (uint8_t s = 1; s <= 5; s++)
        if (pressed & RATING_PAD_KEY(s))
            on_score(p, s);
}

size_t rating_pad_bus_byte(rating_pad *p, uint8_t byte, uint8_t *reply, size_t cap)
{
    return bus_slave_feed(&p->bus, byte, reply, cap);
}

const char *rating_pad_ticket(const rating_pad *p)
{
    return p->bus.ticket;
}

const char *rating_pad_display(const rating_pad *p)
{
    return p->bus.display;
}

uint8_t rating_pad_leds(const rating_pad *p)
{
    return p->bus.leds;
}

int rating_pad_beeper_on(const rating_pad *p)
{
    return beeper_on(&p->buzzer);
}

const char *rating_pad_state_name(rating_pad_state s)
{
    switch (s) {
    case RATING_PAD_ARMED: return "armed";
    case RATING_PAD_LOCKED: return "locked";
    default: return "idle";
    }
}
