/* SPDX-License-Identifier: MIT */
/*
 * fuzz_bus_frame — the keypad bus from the wire inward: the byte decoder,
 * the bus master's handling of whatever frames come out of it, and the
 * keypad / rating-pad firmware's handling of requests.
 *
 * The input is used twice. First as a raw byte stream, fed to the master
 * (with time advancing, so retries, timeouts and new requests happen) and to
 * the devices. Then as chunks ([len][bytes]) wrapped into frames with a good
 * CRC and the address / seq the receiver expects, so the fuzzer reaches the
 * payload parsers without having to guess a CRC. Invariants: every event the
 * master hands out is well-formed and from a configured address; a decoded
 * frame re-encodes to the same frame; device state stays in range.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bus_master.h"
#include "keypad.h"
#include "rating_pad.h"
#include "fuzz_target.h"

static void check(int ok)
{
    if (!ok)
        abort();
}

static void check_round_trip(const bus_frame *f)
{
    uint8_t w[BUS_WIRE_MAX];
    size_t n = bus_frame_encode(f, w, sizeof w);
    check(n > 0);
    bus_decoder d;
    bus_decoder_init(&d);
    bus_frame g;
    int got = 0;
    for (size_t i = 0; i < n; i++)
        got += bus_decoder_feed(&d, w[i], &g);
    check(got == 1 && g.addr == f->addr && g.seq == f->seq && g.cmd == f->cmd && g.len == f->len &&
          memcmp(g.payload, f->payload, f->len) == 0);
}

static void drain_events(bus_master *m)
{
    bm_event ev;
    while (bm_next_event(m, &ev)) {
        check(bm_device_of(m, ev.addr) != NULL);
        if (ev.type == BM_EV_INPUT)
            check(bus_event_valid(&ev.ev));
    }
}

static void check_devices(const keypad *k, const rating_pad *p)
{
    check(k->bus.qcount <= BUS_QUEUE_LEN && p->bus.qcount <= BUS_QUEUE_LEN);
    check(strlen(keypad_display(k)) <= BUS_TEXT_MAX);
    check(strlen(rating_pad_ticket(p)) <= BUS_TICKET_MAX);
    check((keypad_leds(k) & ~BUS_LED_ALL) == 0);
}

static void feed_devices(keypad *k, rating_pad *p, const uint8_t *b, size_t n)
{
    uint8_t reply[BUS_WIRE_MAX];
    for (size_t i = 0; i < n; i++) {
        keypad_bus_byte(k, b[i], reply, sizeof reply);
        rating_pad_bus_byte(p, b[i], reply, sizeof reply);
    }
}

static void setup(bus_master *m, keypad *k, rating_pad *p)
{
    bm_config c;
    bm_config_default(&c);
    bm_init(m, &c);
    bm_add_device(m, 1, BUS_DEV_KEYPAD);
    bm_add_device(m, 11, BUS_DEV_RATING_PAD);
    bm_set_display(m, 1, "A012");
    bm_set_ticket(m, 11, "A012");
    keypad_config kc;
    keypad_config_default(&kc);
    keypad_init(k, 1, 7, &kc);
    rating_pad_init(p, 11, 7, 5, 4);
}

static void raw_stream(const uint8_t *data, size_t size)
{
    static bus_master m;
    static keypad k;
    static rating_pad p;
    setup(&m, &k, &p);
    uint8_t out[BUS_WIRE_MAX];
    int64_t now = 0;
    bus_decoder d;
    bus_decoder_init(&d);
    for (size_t at = 0; at < size; at += 16) {
        size_t n = size - at < 16 ? size - at : 16;
        bm_step(&m, now, out, sizeof out);
        bm_rx(&m, now, data + at, n);
        feed_devices(&k, &p, data + at, n);
        bus_frame f;
        for (size_t i = 0; i < n; i++)
            if (bus_decoder_feed(&d, data[at + i], &f))
                check_round_trip(&f);
        drain_events(&m);
        now += data[at] % 64;
    }
    check_devices(&k, &p);
}

/* Chunk i is a reply to whatever the master has out, or a request to a device. */
static void framed_chunks(const uint8_t *data, size_t size)
{
    static bus_master m;
    static keypad k;
    static rating_pad p;
    setup(&m, &k, &p);
    uint8_t out[BUS_WIRE_MAX], w[BUS_WIRE_MAX];
    int64_t now = 0;
    size_t at = 0;
    while (at + 2 <= size) {
        uint8_t ctl = data[at], len = (uint8_t)(data[at + 1] % (BUS_PAYLOAD_MAX + 1));
        at += 2;
        if (len > size - at)
            len = (uint8_t)(size - at);
        bm_step(&m, now, out, sizeof out);
        const bm_device *cur = &m.dev[m.cur];
        bus_frame f = {.len = len};
        memcpy(f.payload, data + at, len);
        if (ctl & 1) { /* to the devices: a request */
            f.addr = (ctl & 2) ? 11 : 1;
            f.seq = (uint8_t)(ctl >> 2);
            f.cmd = (uint8_t)(1 + (ctl >> 4) % 7);
            size_t n = bus_frame_encode(&f, w, sizeof w);
            feed_devices(&k, &p, w, n);
            keypad_tick(&k, (uint32_t)ctl << (ctl % 8));
            rating_pad_tick(&p, ctl);
        } else {       /* to the master: a reply to its request, or a NAK */
            f.addr = cur->addr;
            f.seq = m.req_seq;
            f.cmd = (ctl & 2) ? BUS_CMD_NAK : (uint8_t)(m.req_cmd | BUS_REPLY_BIT);
            size_t n = bus_frame_encode(&f, w, sizeof w);
            bm_rx(&m, now, w, n);
            drain_events(&m);
        }
        at += len;
        now += ctl % 32;
    }
    check_devices(&k, &p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    raw_stream(data, size);
    framed_chunks(data, size);
    return 0;
}
