/* SPDX-License-Identifier: MIT */
/*
 * test_keypad — the firmware behaviour of counter keypads and rating pads,
 * driven as on the device: raw key samples once per tick, requests as bytes
 * on the bus. The test plays the master by hand so it can check every reply.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "beeper.h"
#include "bus_frame.h"
#include "bus_msg.h"
#include "debounce.h"
#include "keypad.h"
#include "rating_pad.h"

#define KEY(k) (1u << (k))

/* ---- playing the master ---- */

typedef size_t (*byte_fn)(void *dev, uint8_t b, uint8_t *reply, size_t cap);
static size_t kp_byte(void *d, uint8_t b, uint8_t *r, size_t c) { return keypad_bus_byte(d, b, r, c); }
static size_t pad_byte(void *d, uint8_t b, uint8_t *r, size_t c) { return rating_pad_bus_byte(d, b, r, c); }

/* Sends one request; returns 1 and the decoded reply, 0 when none came. */
static int request(byte_fn fn, void *dev, uint8_t addr, uint8_t seq, uint8_t cmd,
                   const void *payload, uint8_t len, bus_frame *reply)
{
    bus_frame q = {.addr = addr, .seq = seq, .cmd = cmd, .len = len};
    if (len)
        memcpy(q.payload, payload, len);
    uint8_t wire[BUS_WIRE_MAX], out[BUS_WIRE_MAX];
    size_t n = bus_frame_encode(&q, wire, sizeof wire);
    bus_decoder d;
    bus_decoder_init(&d);
    int got = 0;
    for (size_t i = 0; i < n; i++) {
        size_t r = fn(dev, wire[i], out, sizeof out);
        for (size_t k = 0; k < r; k++)
            got |= bus_decoder_feed(&d, out[k], reply);
    }
    return got;
}

static bus_poll_reply poll_dev(byte_fn fn, void *dev, uint8_t addr, uint8_t seq)
{
    bus_frame r;
    bus_poll_reply pr;
    assert_int_equal(request(fn, dev, addr, seq, BUS_CMD_POLL, NULL, 0, &r), 1);
    assert_int_equal(r.cmd, BUS_CMD_POLL | BUS_REPLY_BIT);
    assert_int_equal(r.addr, addr);
    assert_int_equal(r.seq, seq);
    assert_int_equal(bus_poll_reply_decode(r.payload, r.len, &pr), 0);
    return pr;
}

static void ack_dev(byte_fn fn, void *dev, uint8_t addr, uint8_t seq, uint16_t session, uint16_t ev_seq)
{
    uint8_t p[4];
    bus_frame r;
    bus_ack_encode(session, ev_seq, p);
    assert_int_equal(request(fn, dev, addr, seq, BUS_CMD_ACK, p, 4, &r), 1);
    assert_int_equal(r.cmd, BUS_CMD_ACK | BUS_REPLY_BIT);
}

static void run_ticks(keypad *k, uint32_t raw, int n)
{
    for (int i = 0; i < n; i++)
        keypad_tick(k, raw);
}

static void press(keypad *k, int key)
{
    run_ticks(k, KEY(key), 6);
    run_ticks(k, 0, 6);
}

static keypad make_keypad(uint8_t addr, uint16_t session)
{
    keypad k;
    keypad_config c;
    keypad_config_default(&c);
    keypad_init(&k, addr, session, &c);
    return k;
}

/* ---- debounce ---- */

static void test_bouncing_key_is_one_press(void **state)
{
    (void)state;
    debounce d;
    debounce_init(&d, 4);
    /* Closing: 1 0 1 1 0 1 0 then steady; opening: 0 1 0 0 1 then steady. */
    const uint32_t close_bounce[] = {1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1};
    const uint32_t open_bounce[] = {0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    int presses = 0;
    for (size_t i = 0; i < sizeof close_bounce / sizeof *close_bounce; i++)
        presses += debounce_sample(&d, close_bounce[i] << 3) != 0;
    for (size_t i = 0; i < sizeof open_bounce / sizeof *open_bounce; i++)
        presses += debounce_sample(&d, open_bounce[i] << 3) != 0;
    assert_int_equal(presses, 1);
    assert_int_equal(d.stable, 0);

    /* A glitch shorter than the threshold is no press at all. */
    presses = 0;
    const uint32_t glitch[] = {1, 1, 1, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < 8; i++)
        presses += debounce_sample(&d, glitch[i]) != 0;
    assert_int_equal(presses, 0);
}

static void test_bouncing_key_on_keypad_queues_one_event(void **state)
{
    (void)state;
    keypad k = make_keypad(1, 7);
    const uint32_t raw[] = {1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < sizeof raw / sizeof *raw; i++)
        keypad_tick(&k, raw[i] ? KEY(KEYPAD_CALL) : 0);
    bus_poll_reply pr = poll_dev(kp_byte, &k, 1, 1);
    assert_int_equal(pr.count, 1);
    assert_int_equal(pr.ev[0].kind, BUS_EV_KEY);
    assert_int_equal(pr.ev[0].data[0], BUS_KEY_CALL);
    assert_int_equal(pr.session, 7);
    assert_int_equal(pr.type, BUS_DEV_KEYPAD);
}

/* ---- event queue and acks ---- */

static void test_events_kept_until_acked(void **state)
{
    (void)state;
    keypad k = make_keypad(5, 300);
    press(&k, KEYPAD_CALL);
    press(&k, KEYPAD_FINISH);

    bus_poll_reply a = poll_dev(kp_byte, &k, 5, 1);
    assert_int_equal(a.count, 2);
    assert_int_equal(a.ev[0].seq, 1);
    assert_int_equal(a.ev[1].seq, 2);
    assert_int_equal(a.ev[1].data[0], BUS_KEY_FINISH);

    /* No ack: the next poll sends both again, with the same seqs. */
    bus_poll_reply b = poll_dev(kp_byte, &k, 5, 2);
    assert_int_equal(b.count, 2);
    assert_int_equal(b.ev[0].seq, 1);

    /* An ack of another session (a leftover from before a reboot) drops nothing. */
    ack_dev(kp_byte, &k, 5, 3, 299, 2);
    assert_int_equal(poll_dev(kp_byte, &k, 5, 4).count, 2);

    /* Ack of 1 drops only 1; a new press gets seq 3. */
    ack_dev(kp_byte, &k, 5, 5, 300, 1);
    press(&k, KEYPAD_SKIP);
    bus_poll_reply c = poll_dev(kp_byte, &k, 5, 6);
    assert_int_equal(c.count, 2);
    assert_int_equal(c.ev[0].seq, 2);
    assert_int_equal(c.ev[1].seq, 3);
    assert_int_equal(c.ev[1].data[0], BUS_KEY_SKIP);

    ack_dev(kp_byte, &k, 5, 7, 300, 3);
    assert_int_equal(poll_dev(kp_byte, &k, 5, 8).count, 0);
}

static void test_full_queue_refuses_and_says_so(void **state)
{
    (void)state;
    keypad k = make_keypad(2, 1);
    for (int i = 0; i < BUS_QUEUE_LEN; i++)
        press(&k, KEYPAD_RECALL);
    assert_int_equal(k.refused, 0);
    press(&k, KEYPAD_CALL);
    assert_int_equal(k.refused, 1);
    assert_true(keypad_beeper_on(&k) || k.buzzer.remaining || k.buzzer.left);

    bus_poll_reply pr = poll_dev(kp_byte, &k, 2, 1);
    assert_int_equal(pr.count, BUS_REPLY_EVENTS_MAX);
    assert_true(pr.flags & BUS_FLAG_REFUSED);
    for (int i = 0; i < pr.count; i++)
        assert_int_equal(pr.ev[i].data[0], BUS_KEY_RECALL); /* the refused CALL is not there */
    /* The flag is reported once. */
    assert_false(poll_dev(kp_byte, &k, 2, 2).flags & BUS_FLAG_REFUSED);
}

static void test_requests_for_other_addresses_and_replies_are_ignored(void **state)
{
    (void)state;
    keypad k = make_keypad(4, 1);
    bus_frame r;
    assert_int_equal(request(kp_byte, &k, 5, 1, BUS_CMD_POLL, NULL, 0, &r), 0);
    /* Another keypad's reply heard on the bus is not a request. */
    assert_int_equal(request(kp_byte, &k, 4, 1, BUS_CMD_POLL | BUS_REPLY_BIT, NULL, 0, &r), 0);
    assert_int_equal(k.bus.requests, 0);
}

/* ---- outputs ---- */

static void test_display_leds_and_bad_values(void **state)
{
    (void)state;
    keypad k = make_keypad(3, 1);
    bus_frame r;
    assert_int_equal(request(kp_byte, &k, 3, 1, BUS_CMD_DISPLAY, "A012", 4, &r), 1);
    assert_int_equal(r.cmd, BUS_CMD_DISPLAY | BUS_REPLY_BIT);
    assert_string_equal(keypad_display(&k), "A012");

    const uint8_t leds = BUS_LED_SERVING | BUS_LED_QUEUE_EMPTY;
    assert_int_equal(request(kp_byte, &k, 3, 2, BUS_CMD_LEDS, &leds, 1, &r), 1);
    assert_int_equal(keypad_leds(&k), leds);

    /* Bad values are refused with a NAK and change nothing. */
    assert_int_equal(request(kp_byte, &k, 3, 3, BUS_CMD_DISPLAY, "A\x01" "12", 4, &r), 1);
    assert_int_equal(r.cmd, BUS_CMD_NAK);
    assert_int_equal(r.payload[0], BUS_CMD_DISPLAY);
    assert_int_equal(r.payload[1], BUS_NAK_VALUE);
    assert_int_equal(request(kp_byte, &k, 3, 4, BUS_CMD_DISPLAY, "0123456789abc", 13, &r), 1);
    assert_int_equal(r.payload[1], BUS_NAK_LENGTH);
    const uint8_t bad_leds = 0x30;
    assert_int_equal(request(kp_byte, &k, 3, 5, BUS_CMD_LEDS, &bad_leds, 1, &r), 1);
    assert_int_equal(r.cmd, BUS_CMD_NAK);
    assert_int_equal(request(kp_byte, &k, 3, 6, BUS_CMD_TICKET, "A012", 4, &r), 1);
    assert_int_equal(r.payload[1], BUS_NAK_UNSUPPORTED);
    assert_int_equal(request(kp_byte, &k, 3, 7, 0x42, NULL, 0, &r), 1);
    assert_int_equal(r.payload[1], BUS_NAK_UNSUPPORTED);
    assert_string_equal(keypad_display(&k), "A012");
    assert_int_equal(keypad_leds(&k), leds);
}

static int beeps_heard(keypad *k, int ticks)
{
    int starts = 0, was = keypad_beeper_on(k);
    for (int i = 0; i < ticks; i++) {
        keypad_tick(k, 0);
        int on = keypad_beeper_on(k);
        starts += on && !was;
        was = on;
    }
    return starts;
}

static void test_beep_once_even_when_request_repeats(void **state)
{
    (void)state;
    keypad k = make_keypad(3, 1);
    bus_frame r;
    const uint8_t beep[] = {3, 5}; /* three beeps of 50 ms */
    assert_int_equal(request(kp_byte, &k, 3, 9, BUS_CMD_BEEP, beep, 2, &r), 1);
    assert_int_equal(beeps_heard(&k, 200), 3);
    /* The master's retry (same seq, its reply was lost) is answered but does
     * not sound again. */
    assert_int_equal(request(kp_byte, &k, 3, 9, BUS_CMD_BEEP, beep, 2, &r), 1);
    assert_int_equal(r.cmd, BUS_CMD_BEEP | BUS_REPLY_BIT);
    assert_int_equal(beeps_heard(&k, 200), 0);
    assert_int_equal(k.bus.repeats, 1);
    /* A new request (next seq) does. */
    assert_int_equal(request(kp_byte, &k, 3, 10, BUS_CMD_BEEP, beep, 2, &r), 1);
    assert_int_equal(beeps_heard(&k, 200), 3);
    const uint8_t bad[] = {9, 5};
    assert_int_equal(request(kp_byte, &k, 3, 11, BUS_CMD_BEEP, bad, 2, &r), 1);
    assert_int_equal(r.cmd, BUS_CMD_NAK);
    assert_int_equal(beeps_heard(&k, 200), 0);
}

/* ---- number entry ---- */

static void test_login_transfer_logout_entry(void **state)
{
    (void)state;
    keypad k = make_keypad(6, 1);
    bus_frame r;
    request(kp_byte, &k, 6, 1, BUS_CMD_DISPLAY, "----", 4, &r);

    press(&k, KEYPAD_LOGIN);
    press(&k, 1);
    press(&k, 0);
    assert_string_equal(keypad_display(&k), "L-10");
    press(&k, KEYPAD_CALL);                 /* refused while typing */
    press(&k, 2);
    press(&k, 3);
    press(&k, KEYPAD_ENTER);
    assert_string_equal(keypad_display(&k), "P-");   /* now the PIN */
    press(&k, 4);
    press(&k, 7);
    press(&k, 1);
    assert_string_equal(keypad_display(&k), "P-***"); /* never the digits */
    assert_null(strpbrk(keypad_display(&k), "0123456789"));
    press(&k, KEYPAD_ENTER);
    assert_string_equal(keypad_display(&k), "----");
    assert_int_equal(k.npin, 0);                       /* wiped once queued */
    assert_null(memchr(k.pin, '4', sizeof k.pin));

    press(&k, KEYPAD_TRANSFER);
    press(&k, KEYPAD_ENTER);                /* no number yet: refused, entry stays */
    press(&k, 7);
    press(&k, KEYPAD_ENTER);

    press(&k, KEYPAD_TRANSFER);
    press(&k, 9);
    press(&k, KEYPAD_CLEAR);                /* abandoned: nothing queued */

    press(&k, KEYPAD_LOGIN);
    press(&k, KEYPAD_ENTER);                /* empty login = logout */

    press(&k, KEYPAD_RATE);                 /* invites a rating: no score follows */
    assert_string_equal(keypad_display(&k), "----");
    press(&k, 4);                           /* a digit outside an entry: refused */

    bus_poll_reply pr = poll_dev(kp_byte, &k, 6, 2);
    assert_int_equal(pr.count, 4);
    assert_int_equal(pr.ev[0].kind, BUS_EV_LOGIN);
    assert_int_equal(pr.ev[0].len, 8);
    assert_memory_equal(pr.ev[0].data, "1023*471", 8);
    assert_int_equal(pr.ev[1].kind, BUS_EV_TRANSFER);
    assert_memory_equal(pr.ev[1].data, "7", 1);
    assert_int_equal(pr.ev[2].kind, BUS_EV_LOGOUT);
    assert_int_equal(pr.ev[3].kind, BUS_EV_INVITE);
    assert_int_equal(pr.ev[3].len, 0);
    assert_int_equal(k.refused, 3);
}

/* ENTER at the PIN prompt with nothing typed: the old frame (pinless halls). */
static void test_login_without_pin_sends_the_old_frame(void **state)
{
    (void)state;
    keypad k = make_keypad(6, 1);
    press(&k, KEYPAD_LOGIN);
    press(&k, 5);
    press(&k, KEYPAD_ENTER);
    press(&k, KEYPAD_ENTER);
    bus_poll_reply pr = poll_dev(kp_byte, &k, 6, 1);
    assert_int_equal(pr.count, 1);
    assert_int_equal(pr.ev[0].kind, BUS_EV_LOGIN);
    assert_int_equal(pr.ev[0].len, 1);
    assert_int_equal(pr.ev[0].data[0], '5');
}

static void test_pin_is_bounded_and_clear_wipes_it(void **state)
{
    (void)state;
    keypad k = make_keypad(6, 1);
    press(&k, KEYPAD_LOGIN);
    press(&k, 9);
    press(&k, KEYPAD_ENTER);
    for (int i = 0; i < BUS_PIN_MAX + 2; i++)
        press(&k, 3);
    assert_int_equal(k.refused, 2);
    assert_string_equal(keypad_display(&k), "P-********");
    press(&k, KEYPAD_CLEAR);                /* abandoned: nothing queued, PIN gone */
    assert_int_equal(k.npin, 0);
    assert_null(memchr(k.pin, '3', sizeof k.pin));
    press(&k, KEYPAD_LOGIN);
    press(&k, 9);
    press(&k, KEYPAD_ENTER);
    for (int i = 0; i < BUS_PIN_MAX; i++)
        press(&k, 2);
    press(&k, KEYPAD_ENTER);
    bus_poll_reply pr = poll_dev(kp_byte, &k, 6, 1);
    assert_int_equal(pr.count, 1);
    assert_int_equal(pr.ev[0].len, 2 + BUS_PIN_MAX);
    assert_memory_equal(pr.ev[0].data, "9*22222222", 2 + BUS_PIN_MAX);
}

/* The LOGIN frames both ends agree on: with a PIN, without (old firmware), and bad ones. */
static void test_login_event_validation(void **state)
{
    (void)state;
    static const struct { const char *data; int ok; size_t staff, pin; } cases[] = {
        {"1023", 1, 4, 0},       {"1023*4711", 1, 4, 4},  {"12345678*87654321", 1, 8, 8},
        {"*4711", 0, 0, 0},      {"1023*", 0, 0, 0},      {"1023*47*1", 0, 0, 0},
        {"123456789", 0, 0, 0},  {"1*123456789", 0, 0, 0}, {"10a3*1", 0, 0, 0},
        {"1023*4x", 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bus_event e = {.seq = 1, .kind = BUS_EV_LOGIN, .len = (uint8_t)strlen(cases[i].data)};
        memcpy(e.data, cases[i].data, e.len);
        assert_int_equal(bus_event_valid(&e), cases[i].ok);
        if (!cases[i].ok)
            continue;
        const uint8_t *pin;
        size_t pin_len, staff = bus_login_split(&e, &pin, &pin_len);
        assert_int_equal(staff, cases[i].staff);
        assert_int_equal(pin_len, cases[i].pin);
    }
    bus_event inv = {.seq = 1, .kind = BUS_EV_INVITE, .len = 0};
    assert_int_equal(bus_event_valid(&inv), 1);
    inv.len = 1;
    assert_int_equal(bus_event_valid(&inv), 0);
}

static void test_staff_number_length_is_bounded(void **state)
{
    (void)state;
    keypad k = make_keypad(6, 1);
    press(&k, KEYPAD_LOGIN);
    for (int i = 0; i < BUS_STAFF_MAX + 3; i++)
        press(&k, 1 + i % 9);
    press(&k, KEYPAD_ENTER);
    press(&k, KEYPAD_ENTER);                /* no PIN */
    assert_int_equal(k.refused, 3);
    bus_poll_reply pr = poll_dev(kp_byte, &k, 6, 1);
    assert_int_equal(pr.count, 1);
    assert_int_equal(pr.ev[0].len, BUS_STAFF_MAX);
}

/* ---- rating pad ---- */

static void pad_press(rating_pad *p, int score)
{
    for (int i = 0; i < 6; i++)
        rating_pad_tick(p, RATING_PAD_KEY(score));
    for (int i = 0; i < 6; i++)
        rating_pad_tick(p, 0);
}

static void set_ticket(rating_pad *p, uint8_t seq, const char *t)
{
    bus_frame r;
    assert_int_equal(request(pad_byte, p, 11, seq, BUS_CMD_TICKET, t, (uint8_t)strlen(t), &r), 1);
    assert_int_equal(r.cmd, BUS_CMD_TICKET | BUS_REPLY_BIT);
}

static void test_rating_pad_one_score_per_ticket(void **state)
{
    (void)state;
    rating_pad p;
    rating_pad_init(&p, 11, 42, 5, 4);
    assert_int_equal(rating_pad_state_of(&p), RATING_PAD_IDLE);
    pad_press(&p, 5);                        /* nothing to rate yet */
    assert_int_equal(p.refused, 1);

    set_ticket(&p, 1, "A012");
    assert_int_equal(rating_pad_state_of(&p), RATING_PAD_ARMED);
    pad_press(&p, 4);
    assert_int_equal(rating_pad_state_of(&p), RATING_PAD_LOCKED);
    pad_press(&p, 1);                        /* second score for A012: locked out */
    pad_press(&p, 5);
    assert_int_equal(p.refused, 3);

    set_ticket(&p, 2, "A012");               /* arming again with the same ticket: still locked */
    pad_press(&p, 5);
    assert_int_equal(p.refused, 4);
    set_ticket(&p, 3, "");
    set_ticket(&p, 4, "A012");
    pad_press(&p, 5);
    assert_int_equal(p.refused, 5);

    set_ticket(&p, 5, "B003");               /* the next ticket unlocks */
    assert_int_equal(rating_pad_state_of(&p), RATING_PAD_ARMED);
    pad_press(&p, 2);

    bus_poll_reply pr = poll_dev(pad_byte, &p, 11, 6);
    assert_int_equal(pr.type, BUS_DEV_RATING_PAD);
    assert_int_equal(pr.count, 2);
    assert_int_equal(pr.ev[0].kind, BUS_EV_RATE);
    assert_int_equal(pr.ev[0].data[0], 4);
    assert_memory_equal(pr.ev[0].data + 1, "A012", 4);
    assert_int_equal(pr.ev[1].data[0], 2);
    assert_memory_equal(pr.ev[1].data + 1, "B003", 4);
}

static void test_rating_pad_two_keys_at_once_count_for_nothing(void **state)
{
    (void)state;
    rating_pad p;
    rating_pad_init(&p, 11, 1, 5, 4);
    set_ticket(&p, 1, "C100");
    for (int i = 0; i < 6; i++)
        rating_pad_tick(&p, RATING_PAD_KEY(1) | RATING_PAD_KEY(5));
    for (int i = 0; i < 6; i++)
        rating_pad_tick(&p, 0);
    assert_int_equal(p.refused, 1);
    assert_int_equal(rating_pad_state_of(&p), RATING_PAD_ARMED);
    assert_int_equal(poll_dev(pad_byte, &p, 11, 2).count, 0);
}

static void test_beeper_pattern(void **state)
{
    (void)state;
    beeper b;
    beeper_init(&b);
    beeper_start(&b, 2, 3);
    /* on 3, off 3, on 3, then silent */
    const int want[] = {1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0};
    assert_true(beeper_on(&b));
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        beeper_tick(&b);
        assert_int_equal(beeper_on(&b), want[i]);
    }
    assert_false(beeper_busy(&b));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bouncing_key_is_one_press),
        cmocka_unit_test(test_bouncing_key_on_keypad_queues_one_event),
        cmocka_unit_test(test_events_kept_until_acked),
        cmocka_unit_test(test_full_queue_refuses_and_says_so),
        cmocka_unit_test(test_requests_for_other_addresses_and_replies_are_ignored),
        cmocka_unit_test(test_display_leds_and_bad_values),
        cmocka_unit_test(test_beep_once_even_when_request_repeats),
        cmocka_unit_test(test_login_transfer_logout_entry),
        cmocka_unit_test(test_staff_number_length_is_bounded),
        cmocka_unit_test(test_login_without_pin_sends_the_old_frame),
        cmocka_unit_test(test_pin_is_bounded_and_clear_wipes_it),
        cmocka_unit_test(test_login_event_validation),
        cmocka_unit_test(test_rating_pad_one_score_per_ticket),
        cmocka_unit_test(test_rating_pad_two_keys_at_once_count_for_nothing),
        cmocka_unit_test(test_beeper_pattern),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
