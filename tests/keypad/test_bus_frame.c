/* SPDX-License-Identifier: MIT */
/*
 * test_bus_frame — the byte layer of the keypad bus: CRC vectors, encoding
 * with stuffing, and a decoder that recovers every good frame from a noisy
 * stream and counts what it dropped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bus_frame.h"
#include "bus_msg.h"

static void test_crc_vectors(void **state)
{
    (void)state;
    assert_int_equal(bus_crc16((const uint8_t *)"123456789", 9), 0x4B37);
    /* The MODBUS manual's "read 10 holding registers" request: 01 03 00 00 00 0A C5 CD. */
    const uint8_t modbus[] = {0x01, 0x03, 0x00, 0x00, 0x00, 0x0A};
    assert_int_equal(bus_crc16(modbus, sizeof modbus), 0xCDC5);
    assert_int_equal(bus_crc16(NULL, 0), 0xFFFF);
}

/* The documented example (docs/keypad-bus.md): poll of address 3, seq 0x11. */
static void test_encode_poll_example(void **state)
{
    (void)state;
    bus_frame f = {.addr = 3, .seq = 0x11, .cmd = BUS_CMD_POLL, .len = 0};
    uint8_t wire[BUS_WIRE_MAX];
    size_t n = bus_frame_encode(&f, wire, sizeof wire);
    const uint8_t raw[] = {0x03, 0x11, 0x01, 0x00};
    uint16_t crc = bus_crc16(raw, sizeof raw);
    assert_int_equal(n, 7);
    assert_int_equal(wire[0], 0x7E);
    assert_memory_equal(wire + 1, raw, 4);
    assert_int_equal(wire[5], crc & 0xFF);
    assert_int_equal(wire[6], crc >> 8);
}

/* The byte-level examples of docs/keypad-bus.md, exactly. */
static void check_wire(const bus_frame *f, const uint8_t *want, size_t n)
{
    uint8_t wire[BUS_WIRE_MAX];
    assert_int_equal(bus_frame_encode(f, wire, sizeof wire), n);
    assert_memory_equal(wire, want, n);
}

static void test_documented_examples(void **state)
{
    (void)state;
    bus_frame poll = {.addr = 3, .seq = 0x11, .cmd = BUS_CMD_POLL};
    const uint8_t poll_wire[] = {0x7E, 0x03, 0x11, 0x01, 0x00, 0x51, 0xF5};
    check_wire(&poll, poll_wire, sizeof poll_wire);

    bus_poll_reply r = {.type = BUS_DEV_KEYPAD, .session = 5, .count = 1};
    r.ev[0] = (bus_event){.seq = 1, .kind = BUS_EV_KEY, .len = 1, .data = {BUS_KEY_CALL}};
    bus_frame reply = {.addr = 3, .seq = 0x12, .cmd = BUS_CMD_POLL | BUS_REPLY_BIT};
    reply.len = (uint8_t)bus_poll_reply_encode(&r, reply.payload);
    const uint8_t reply_wire[] = {0x7E, 0x03, 0x12, 0x81, 0x0A, 0x01, 0x00, 0x05, 0x00, 0x01,
                                  0x00, 0x01, 0x01, 0x01, 0x01, 0x4F, 0xF2};
    check_wire(&reply, reply_wire, sizeof reply_wire);

    bus_frame ack = {.addr = 3, .seq = 0x13, .cmd = BUS_CMD_ACK};
    ack.len = (uint8_t)bus_ack_encode(5, 1, ack.payload);
    const uint8_t ack_wire[] = {0x7E, 0x03, 0x13, 0x02, 0x04, 0x00, 0x05, 0x00, 0x01, 0x03, 0x3C};
    check_wire(&ack, ack_wire, sizeof ack_wire);

    bus_poll_reply pr = {.type = BUS_DEV_RATING_PAD, .session = 3, .count = 1};
    pr.ev[0] = (bus_event){.seq = 7, .kind = BUS_EV_RATE, .len = 5, .data = {4, 'A', '0', '1', '2'}};
    bus_frame pad = {.addr = 11, .seq = 0x21, .cmd = BUS_CMD_POLL | BUS_REPLY_BIT};
    pad.len = (uint8_t)bus_poll_reply_encode(&pr, pad.payload);
    const uint8_t pad_wire[] = {0x7E, 0x0B, 0x21, 0x81, 0x0E, 0x02, 0x00, 0x03, 0x00, 0x01, 0x00,
                                0x07, 0x05, 0x05, 0x04, 0x41, 0x30, 0x31, 0x32, 0x56, 0xAA};
    check_wire(&pad, pad_wire, sizeof pad_wire);

    bus_frame stuffed = {.addr = 3, .seq = 0x7E, .cmd = BUS_CMD_POLL};
    const uint8_t stuffed_wire[] = {0x7E, 0x03, 0x7D, 0x5E, 0x01, 0x00, 0x61, 0xE8};
    check_wire(&stuffed, stuffed_wire, sizeof stuffed_wire);
}

static size_t feed_all(bus_decoder *d, const uint8_t *b, size_t n, bus_frame *got, size_t max)
{
    size_t k = 0;
    bus_frame f;
    for (size_t i = 0; i < n; i++)
        if (bus_decoder_feed(d, b[i], &f) && k < max)
            got[k++] = f;
    return k;
}

static void assert_frame_equal(const bus_frame *a, const bus_frame *b)
{
    assert_int_equal(a->addr, b->addr);
    assert_int_equal(a->seq, b->seq);
    assert_int_equal(a->cmd, b->cmd);
    assert_int_equal(a->len, b->len);
    assert_memory_equal(a->payload, b->payload, a->len);
}

static void test_round_trip_every_length_and_stuffed_byte(void **state)
{
    (void)state;
    bus_decoder d;
    bus_decoder_init(&d);
    for (int len = 0; len <= BUS_PAYLOAD_MAX; len++) {
        /* addr / seq 0x7E and 0x7D force escapes in the header too */
        bus_frame f = {.addr = 0x7E, .seq = (uint8_t)(0x7D + len), .cmd = 0x83, .len = (uint8_t)len};
        for (int i = 0; i < len; i++)
            f.payload[i] = (uint8_t)(i % 3 == 0 ? 0x7E : i % 3 == 1 ? 0x7D : i * 37);
        uint8_t wire[BUS_WIRE_MAX];
        size_t n = bus_frame_encode(&f, wire, sizeof wire);
        assert_true(n > 0 && n <= BUS_WIRE_MAX);
        for (size_t i = 1; i < n; i++)
            assert_int_not_equal(wire[i], 0x7E);
        bus_frame got[2];
        assert_int_equal(feed_all(&d, wire, n, got, 2), 1);
        assert_frame_equal(&got[0], &f);
    }
    assert_int_equal(d.stats.frames, BUS_PAYLOAD_MAX + 1);
    assert_int_equal(bus_decoder_dropped(&d), 0);
}

static void test_encode_refuses_bad_input(void **state)
{
    (void)state;
    bus_frame f = {.addr = 1, .len = BUS_PAYLOAD_MAX + 1};
    uint8_t wire[BUS_WIRE_MAX];
    assert_int_equal(bus_frame_encode(&f, wire, sizeof wire), 0);
    f.len = 0;
    assert_int_equal(bus_frame_encode(&f, wire, 6), 0);
}

/* A tiny deterministic generator so the noise is the same on every run. */
static uint32_t rng_state = 12345;
static uint8_t rnd(void)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return (uint8_t)(rng_state >> 16);
}

static void test_noise_between_frames_recovers_every_frame(void **state)
{
    (void)state;
    static uint8_t stream[200 * (BUS_WIRE_MAX + 40)];
    bus_frame sent[200];
    size_t n = 0;
    int noise_with_flag = 0;
    for (int k = 0; k < 200; k++) {
        /* Noise first: random bytes, often containing 7E (a false start) and 7D. */
        int nn = rnd() % 40;
        for (int i = 0; i < nn; i++) {
            uint8_t b = rnd();
            if (i == 0 && k % 3 == 0)
                b = 0x7E;
            stream[n++] = b;
        }
        noise_with_flag += nn > 0 && k % 3 == 0;
        bus_frame f = {.addr = (uint8_t)(1 + k % 20), .seq = (uint8_t)k, .cmd = 0x81,
                       .len = (uint8_t)(rnd() % 20)};
        for (int i = 0; i < f.len; i++)
            f.payload[i] = rnd();
        sent[k] = f;
        n += bus_frame_encode(&f, stream + n, BUS_WIRE_MAX);
    }
    bus_decoder d;
    bus_decoder_init(&d);
    static bus_frame got[400];
    size_t ngot = feed_all(&d, stream, n, got, 400);
    /* A random 16-bit CRC can pass by chance; with ~8 kB of noise that is
     * unlikely but possible, so accept extra frames only if they are not ours. */
    size_t j = 0;
    for (size_t i = 0; i < ngot && j < 200; i++)
        if (got[i].seq == sent[j].seq && got[i].addr == sent[j].addr && got[i].len == sent[j].len &&
            memcmp(got[i].payload, sent[j].payload, got[i].len) == 0)
            j++;
    assert_int_equal(j, 200);
    assert_true(ngot - 200 <= 2);
    /* Every noise burst that began with 7E started a false frame, which the
     * real frame's flag (or a bad escape / length / CRC) must have dropped. */
    assert_true(bus_decoder_dropped(&d) >= (uint32_t)noise_with_flag);
    assert_true(d.stats.noise_bytes > 0);
}

static void test_truncated_frame_is_dropped(void **state)
{
    (void)state;
    bus_frame a = {.addr = 2, .seq = 9, .cmd = 0x81, .len = 6, .payload = {1, 0, 7, 0, 0, 0}};
    bus_frame b = {.addr = 3, .seq = 10, .cmd = 0x81, .len = 5, .payload = {1, 0, 8, 0, 0}};
    uint8_t wa[BUS_WIRE_MAX], wb[BUS_WIRE_MAX], stream[2 * BUS_WIRE_MAX];
    size_t na = bus_frame_encode(&a, wa, sizeof wa);
    size_t nb = bus_frame_encode(&b, wb, sizeof wb);
    memcpy(stream, wa, na - 3); /* a loses its last three bytes */
    memcpy(stream + na - 3, wb, nb);
    bus_decoder d;
    bus_decoder_init(&d);
    bus_frame got[3];
    assert_int_equal(feed_all(&d, stream, na - 3 + nb, got, 3), 1);
    assert_frame_equal(&got[0], &b);
    assert_int_equal(d.stats.truncated, 1);

    /* Cut short at the very end of the stream: nothing comes out. */
    bus_decoder_init(&d);
    assert_int_equal(feed_all(&d, wa, na - 1, got, 3), 0);
    assert_int_equal(d.stats.frames, 0);
}

static void test_corruption_is_counted_by_kind(void **state)
{
    (void)state;
    bus_frame f = {.addr = 4, .seq = 1, .cmd = 0x81, .len = 3, .payload = {1, 2, 3}};
    uint8_t w[BUS_WIRE_MAX];
    size_t n = bus_frame_encode(&f, w, sizeof w);
    bus_decoder d;
    bus_frame got[2];

    bus_decoder_init(&d);
    w[5] ^= 0x01; /* a payload bit flipped */
    assert_int_equal(feed_all(&d, w, n, got, 2), 0);
    assert_int_equal(d.stats.crc_errors, 1);
    w[5] ^= 0x01;

    const uint8_t bad_escape[] = {0x7E, 0x04, 0x7D, 0x11, 0x00};
    bus_decoder_init(&d);
    assert_int_equal(feed_all(&d, bad_escape, sizeof bad_escape, got, 2), 0);
    assert_int_equal(d.stats.bad_escape, 1);
    assert_int_equal(d.stats.noise_bytes, 1); /* the byte after the bad escape */

    const uint8_t oversize[] = {0x7E, 0x04, 0x01, 0x01, BUS_PAYLOAD_MAX + 1};
    bus_decoder_init(&d);
    assert_int_equal(feed_all(&d, oversize, sizeof oversize, got, 2), 0);
    assert_int_equal(d.stats.oversize, 1);

    /* After each of these the decoder still takes the next good frame. */
    assert_int_equal(feed_all(&d, w, n, got, 2), 1);
    assert_frame_equal(&got[0], &f);
}

static void test_poll_reply_codec(void **state)
{
    (void)state;
    bus_poll_reply r = {.type = BUS_DEV_RATING_PAD, .session = 0x1234, .flags = BUS_FLAG_REFUSED, .count = 2};
    r.ev[0] = (bus_event){.seq = 0xFFFF, .kind = BUS_EV_RATE, .len = 5, .data = {5, 'A', '0', '1', '2'}};
    r.ev[1] = (bus_event){.seq = 0x0000, .kind = BUS_EV_LOGOUT, .len = 0};
    uint8_t p[BUS_PAYLOAD_MAX];
    size_t n = bus_poll_reply_encode(&r, p);
    bus_poll_reply back;
    assert_int_equal(bus_poll_reply_decode(p, n, &back), 0);
    assert_int_equal(back.session, 0x1234);
    assert_int_equal(back.count, 2);
    assert_int_equal(back.ev[0].data[0], 5);
    assert_int_equal(back.ev[1].seq, 0);

    /* Each of these makes the whole reply unusable. */
    assert_int_equal(bus_poll_reply_decode(p, n - 1, &back), -1);   /* short */
    p[n] = 0;
    assert_int_equal(bus_poll_reply_decode(p, n + 1, &back), -1);   /* trailing byte */
    p[9] = 6;                                                         /* score 6 */
    assert_int_equal(bus_poll_reply_decode(p, n, &back), -1);
    p[9] = 5;
    p[6] = 0x10;                                                      /* seqs not consecutive */
    assert_int_equal(bus_poll_reply_decode(p, n, &back), -1);

    bus_event e = {.kind = BUS_EV_LOGIN, .len = 3, .data = {'1', 'x', '3'}};
    assert_false(bus_event_valid(&e));
    e.data[1] = '2';
    assert_true(bus_event_valid(&e));
    e = (bus_event){.kind = BUS_EV_KEY, .len = 1, .data = {BUS_KEY_MAX + 1}};
    assert_false(bus_event_valid(&e));
    e.kind = 99;
    assert_false(bus_event_valid(&e));
}

static void test_seq_order_wraps(void **state)
{
    (void)state;
    assert_true(bus_seq_after(1, 0xFFFF));
    assert_true(bus_seq_after(10, 9));
    assert_false(bus_seq_after(9, 9));
    assert_false(bus_seq_after(9, 10));
    assert_int_equal(bus_key_parse("skip"), BUS_KEY_SKIP);
    assert_int_equal(bus_key_parse("ski"), 0);
    assert_string_equal(bus_key_name(BUS_KEY_FINISH), "finish");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc_vectors),
        cmocka_unit_test(test_encode_poll_example),
        cmocka_unit_test(test_documented_examples),
        cmocka_unit_test(test_round_trip_every_length_and_stuffed_byte),
        cmocka_unit_test(test_encode_refuses_bad_input),
        cmocka_unit_test(test_noise_between_frames_recovers_every_frame),
        cmocka_unit_test(test_truncated_frame_is_dropped),
        cmocka_unit_test(test_corruption_is_counted_by_kind),
        cmocka_unit_test(test_poll_reply_codec),
        cmocka_unit_test(test_seq_order_wraps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
