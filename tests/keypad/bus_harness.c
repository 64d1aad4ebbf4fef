/* SPDX-License-Identifier: MIT */
/* bus_harness — see bus_harness.h. */
#include "bus_harness.h"

#include <string.h>

void harness_init(bus_harness *h, const bm_config *cfg)
{
    memset(h, 0, sizeof *h);
    h->tick_ms = 5;
    bm_init(&h->master, cfg);
}

harness_device *harness_add_keypad(bus_harness *h, uint8_t addr, uint16_t session)
{
    harness_device *d = &h->dev[h->ndev++];
    keypad_config kc;
    keypad_config_default(&kc);
    kc.tick_ms = h->tick_ms;
    keypad_init(&d->kp, addr, session, &kc);
    bm_add_device(&h->master, addr, BUS_DEV_KEYPAD);
    return d;
}

harness_device *harness_add_pad(bus_harness *h, uint8_t addr, uint16_t session)
{
    harness_device *d = &h->dev[h->ndev++];
    d->is_pad = 1;
    rating_pad_init(&d->pad, addr, session, h->tick_ms, 4);
    bm_add_device(&h->master, addr, BUS_DEV_RATING_PAD);
    return d;
}

static void deliver_reply(bus_harness *h, harness_device *d, const uint8_t *r, size_t n)
{
    if (d->silent || n == 0)
        return;
    if (d->drop_next) {
        d->drop_next -= d->drop_next > 0;
        return;
    }
    bm_rx(&h->master, h->now, r, n);
    if (d->duplicate_next) {
        d->duplicate_next -= d->duplicate_next > 0;
        bm_rx(&h->master, h->now, r, n);
    }
}

/* Every device hears every byte the master sends, as on a real RS-485 pair. */
static void broadcast(bus_harness *h, const uint8_t *bytes, size_t n)
{
    for (int i = 0; i < h->ndev; i++) {
        harness_device *d = &h->dev[i];
        if (d->deaf)
            continue;
        uint8_t reply[BUS_WIRE_MAX];
        for (size_t k = 0; k < n; k++) {
            size_t r = d->is_pad ? rating_pad_bus_byte(&d->pad, bytes[k], reply, sizeof reply)
                                 : keypad_bus_byte(&d->kp, bytes[k], reply, sizeof reply);
            deliver_reply(h, d, reply, r);
        }
    }
}

static void collect(bus_harness *h)
{
    bm_event ev;
    while (h->nevents < HARNESS_EVENTS && bm_next_event(&h->master, &ev))
        h->events[h->nevents++] = ev;
}

void harness_run(bus_harness *h, int ms)
{
    for (int t = 0; t < ms; t++) {
        h->now++;
        if (h->now % h->tick_ms == 0)
            for (int i = 0; i < h->ndev; i++) {
                harness_device *d = &h->dev[i];
                if (d->is_pad)
                    rating_pad_tick(&d->pad, d->raw);
                else
                    keypad_tick(&d->kp, d->raw);
            }
        uint8_t out[BUS_WIRE_MAX];
        size_t n;
        while ((n = bm_step(&h->master, h->now, out, sizeof out)) > 0)
            broadcast(h, out, n);
        collect(h);
    }
}

void harness_press(bus_harness *h, harness_device *d, uint32_t key_bits, int hold_ms, int release_ms)
{
    d->raw |= key_bits;
    harness_run(h, hold_ms);
    d->raw &= ~key_bits;
    harness_run(h, release_ms);
}

int harness_count(const bus_harness *h, bm_event_type type, uint8_t addr)
{
    int n = 0;
    for (int i = 0; i < h->nevents; i++)
        if (h->events[i].type == type && (addr == 0 || h->events[i].addr == addr))
            n++;
    return n;
}
