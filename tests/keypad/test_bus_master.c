/* SPDX-License-Identifier: MIT */
/*
 * test_bus_master — the bridge's poller: turns, retries, liveness, dedup of
 * events, outputs. Two ways in: the in-memory bus (bus_harness: the real
 * master and real keypads on a virtual clock), and frames written by hand
 * where a test needs a reply no correct keypad would send.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bus_harness.h"
#include "bus_master.h"

#define KEY(k) (1u << (k))

static bm_config default_cfg(void)
{
    bm_config c;
    bm_config_default(&c);
    return c;
}

static int count_key(const bus_harness *h, uint8_t addr, uint8_t key)
{
    int n = 0;
    for (int i = 0; i < h->nevents; i++) {
        const bm_event *e = &h->events[i];
        if (e->type == BM_EV_INPUT && e->addr == addr && e->ev.kind == BUS_EV_KEY && e->ev.data[0] == key)
            n++;
    }
    return n;
}

/* ---- through the in-memory bus ---- */

static void test_press_arrives_once_and_is_acked(void **state)
{
    (void)state;
    static bus_harness h;
    bm_config cfg = default_cfg();
    harness_init(&h, &cfg);
    harness_device *k1 = harness_add_keypad(&h, 1, 100);
    harness_add_keypad(&h, 2, 200);
    harness_run(&h, 300);
    assert_int_equal(harness_count(&h, BM_EV_ONLINE, 0), 2);

    harness_press(&h, k1, KEY(KEYPAD_CALL), 60, 500);
    assert_int_equal(count_key(&h, 1, BUS_KEY_CALL), 1);
    assert_int_equal(harness_count(&h, BM_EV_INPUT, 0), 1);
    assert_int_equal(k1->kp.bus.qcount, 0);          /* acked, gone from the keypad */

    const bm_event *e = &h.events[h.nevents - 1];
    char id[64];
    assert_int_equal(bm_event_id(e, "br1", id, sizeof id), 0);
    assert_string_equal(id, "br1-1-100-1");
    assert_int_equal(bm_event_id(e, "br1", id, 8), -1);
}

static void test_duplicated_and_lost_replies_give_one_event(void **state)
{
    (void)state;
    static bus_harness h;
    bm_config cfg = default_cfg();
    harness_init(&h, &cfg);
    harness_device *k = harness_add_keypad(&h, 7, 1);
    harness_run(&h, 200);

    /* Every reply heard twice on the wire. */
    k->duplicate_next = -1;
    harness_press(&h, k, KEY(KEYPAD_SKIP), 60, 400);
    k->duplicate_next = 0;
    assert_int_equal(count_key(&h, 7, BUS_KEY_SKIP), 1);
    assert_true(h.master.stats.stray > 0);           /* the copies were seen and refused */

    /* Replies lost: the master retries with the same seq, the keypad sends
     * the same event again; still one event. */
    k->drop_next = 3;
    harness_press(&h, k, KEY(KEYPAD_FINISH), 60, 600);
    assert_int_equal(count_key(&h, 7, BUS_KEY_FINISH), 1);
    assert_true(h.master.stats.retries > 0);
    assert_int_equal(k->kp.bus.qcount, 0);
}

static void test_silent_keypad_goes_offline_and_comes_back(void **state)
{
    (void)state;
    static bus_harness h;
    bm_config cfg = default_cfg();
    harness_init(&h, &cfg);
    harness_device *k1 = harness_add_keypad(&h, 1, 1);
    harness_device *k2 = harness_add_keypad(&h, 2, 1);
    harness_run(&h, 300);
    assert_int_equal(bm_device_of(&h.master, 2)->live, BM_ONLINE);

    k2->silent = 1;
    int ms = 0;
    while (harness_count(&h, BM_EV_OFFLINE, 2) == 0 && ms < 5000) {
        harness_run(&h, 1);
        ms++;
    }
    assert_int_equal(harness_count(&h, BM_EV_OFFLINE, 2), 1);
    /* Offline after exactly offline_after failed exchanges, each with its retries. */
    assert_int_equal(bm_device_of(&h.master, 2)->failures, cfg.offline_after);
    assert_int_equal(h.master.stats.timeouts, cfg.offline_after * (1 + cfg.retries));
    assert_int_equal(harness_count(&h, BM_EV_OFFLINE, 1), 0);

    /* The rest of the bus keeps working while 2 is away. */
    harness_press(&h, k1, KEY(KEYPAD_CALL), 60, 600);
    assert_int_equal(count_key(&h, 1, BUS_KEY_CALL), 1);

    /* What 2 should show is delivered once it answers again. */
    assert_int_equal(bm_set_display(&h.master, 2, "B007"), 0);
    harness_run(&h, 1000);
    assert_string_equal(keypad_display(&k2->kp), "");
    k2->silent = 0;
    harness_run(&h, 1000);
    assert_int_equal(harness_count(&h, BM_EV_ONLINE, 2), 2);
    assert_int_equal(bm_device_of(&h.master, 2)->live, BM_ONLINE);
    assert_string_equal(keypad_display(&k2->kp), "B007");
}

static void test_rebooted_keypad_is_noticed_and_restored(void **state)
{
    (void)state;
    static bus_harness h;
    bm_config cfg = default_cfg();
    harness_init(&h, &cfg);
    harness_device *k = harness_add_keypad(&h, 3, 10);
    bm_set_display(&h.master, 3, "A001");
    bm_set_leds(&h.master, 3, BUS_LED_SERVING);
    harness_press(&h, k, KEY(KEYPAD_CALL), 60, 500);
    assert_string_equal(keypad_display(&k->kp), "A001");
    assert_int_equal(count_key(&h, 3, BUS_KEY_CALL), 1);

    /* Power cycle: blank display, event seqs start at 1 again, new session. */
    keypad_config kc;
    keypad_config_default(&kc);
    keypad_init(&k->kp, 3, 11, &kc);
    harness_run(&h, 300);
    assert_int_equal(harness_count(&h, BM_EV_REBOOTED, 3), 1);
    assert_string_equal(keypad_display(&k->kp), "A001");
    assert_int_equal(keypad_leds(&k->kp), BUS_LED_SERVING);

    /* Its seq 1 is a new press, not a repeat of the old seq 1. */
    harness_press(&h, k, KEY(KEYPAD_CALL), 60, 500);
    assert_int_equal(count_key(&h, 3, BUS_KEY_CALL), 2);
    assert_int_equal(h.events[h.nevents - 1].session, 11);
    assert_int_equal(h.events[h.nevents - 1].ev.seq, 1);
}

static void test_outputs_reach_devices(void **state)
{
    (void)state;
    static bus_harness h;
    bm_config cfg = default_cfg();
    harness_init(&h, &cfg);
    harness_device *k = harness_add_keypad(&h, 1, 1);
    harness_device *p = harness_add_pad(&h, 11, 1);
    assert_int_equal(bm_set_display(&h.master, 1, "A012"), 0);
    assert_int_equal(bm_set_leds(&h.master, 1, BUS_LED_SERVING), 0);
    assert_int_equal(bm_set_ticket(&h.master, 11, "A012"), 0);
    assert_int_equal(bm_beep(&h.master, 1, 2, 10), 0);
    harness_run(&h, 30);
    assert_string_equal(keypad_display(&k->kp), "A012");
    assert_int_equal(keypad_leds(&k->kp), BUS_LED_SERVING);
    assert_string_equal(rating_pad_ticket(&p->pad), "A012");
    assert_true(keypad_beeper_on(&k->kp));

    /* The citizen rates; the event carries the ticket it was armed with. */
    harness_press(&h, p, RATING_PAD_KEY(5), 60, 400);
    int rated = 0;
    for (int i = 0; i < h.nevents; i++)
        if (h.events[i].type == BM_EV_INPUT && h.events[i].ev.kind == BUS_EV_RATE) {
            rated++;
            assert_int_equal(h.events[i].dev_type, BUS_DEV_RATING_PAD);
            assert_int_equal(h.events[i].ev.data[0], 5);
            assert_memory_equal(h.events[i].ev.data + 1, "A012", 4);
        }
    assert_int_equal(rated, 1);

    /* An unchanged value costs no bus time. */
    assert_int_equal(bm_set_display(&h.master, 1, "A012"), 0);
    assert_int_equal(bm_device_of(&h.master, 1)->dirty, 0);

    /* Bad input is refused and changes nothing. */
    assert_int_equal(bm_set_ticket(&h.master, 1, "A013"), BM_E_TYPE);
    assert_int_equal(bm_set_display(&h.master, 1, "A\n12"), BM_E_TEXT);
    assert_int_equal(bm_set_display(&h.master, 1, "0123456789abc"), BM_E_TEXT);
    assert_int_equal(bm_set_display(&h.master, 9, "A012"), BM_E_NO_DEVICE);
    assert_int_equal(bm_set_leds(&h.master, 1, 0x10), BM_E_VALUE);
    assert_int_equal(bm_beep(&h.master, 1, 0, 10), BM_E_VALUE);
    assert_int_equal(bm_device_of(&h.master, 1)->dirty, 0);
    assert_string_equal(bm_device_of(&h.master, 1)->display, "A012");
}

static void test_config_and_addresses_checked(void **state)
{
    (void)state;
    static bus_master m;
    bm_config c = default_cfg();
    c.reply_timeout_ms = 0;
    assert_int_equal(bm_init(&m, &c), BM_E_CONFIG);
    c = default_cfg();
    assert_int_equal(bm_init(&m, &c), 0);
    assert_int_equal(bm_add_device(&m, 0, BUS_DEV_KEYPAD), BM_E_ADDR);
    assert_int_equal(bm_add_device(&m, 248, BUS_DEV_KEYPAD), BM_E_ADDR);
    assert_int_equal(bm_add_device(&m, 5, 9), BM_E_VALUE);
    assert_int_equal(bm_add_device(&m, 5, BUS_DEV_KEYPAD), 0);
    assert_int_equal(bm_add_device(&m, 5, BUS_DEV_RATING_PAD), BM_E_DUP);
    for (int a = 6; a < 6 + BM_MAX_DEVICES - 1; a++)
        assert_int_equal(bm_add_device(&m, (uint8_t)a, BUS_DEV_KEYPAD), 0);
    assert_int_equal(bm_add_device(&m, 100, BUS_DEV_KEYPAD), BM_E_FULL);
    assert_string_equal(bm_strerror(BM_E_DUP), "address configured twice");
}

/* ---- frames written by hand ---- */

static int64_t now_ms;

/* Runs bm_step at now_ms; returns 1 and the request it sent. */
static int sent(bus_master *m, bus_frame *f)
{
    uint8_t out[BUS_WIRE_MAX];
    size_t n = bm_step(m, now_ms, out, sizeof out);
    bus_decoder d;
    bus_decoder_init(&d);
    int got = 0;
    for (size_t i = 0; i < n; i++)
        got |= bus_decoder_feed(&d, out[i], f);
    return got;
}

static void put(bus_master *m, const bus_frame *f)
{
    uint8_t w[BUS_WIRE_MAX];
    size_t n = bus_frame_encode(f, w, sizeof w);
    bm_rx(m, now_ms, w, n);
}

static bus_frame poll_reply(uint8_t addr, uint8_t seq, uint16_t session, uint16_t first, int count, uint8_t key)
{
    bus_poll_reply r = {.type = BUS_DEV_KEYPAD, .session = session, .count = (uint8_t)count};
    for (int i = 0; i < count; i++)
        r.ev[i] = (bus_event){.seq = (uint16_t)(first + i), .kind = BUS_EV_KEY, .len = 1, .data = {key}};
    bus_frame f = {.addr = addr, .seq = seq, .cmd = BUS_CMD_POLL | BUS_REPLY_BIT};
    f.len = (uint8_t)bus_poll_reply_encode(&r, f.payload);
    return f;
}

static void test_wrong_address_and_stale_replies_are_ignored(void **state)
{
    (void)state;
    static bus_master m;
    bm_config c = default_cfg();
    bm_init(&m, &c);
    bm_add_device(&m, 1, BUS_DEV_KEYPAD);
    bm_add_device(&m, 2, BUS_DEV_KEYPAD);
    now_ms = 1000;
    bus_frame q;
    assert_true(sent(&m, &q));
    assert_int_equal(q.addr, 1);
    assert_int_equal(q.cmd, BUS_CMD_POLL);

    bus_frame wrong_addr = poll_reply(2, q.seq, 5, 1, 1, BUS_KEY_CALL);
    bus_frame wrong_seq = poll_reply(1, (uint8_t)(q.seq - 1), 5, 1, 1, BUS_KEY_CALL);
    bus_frame wrong_cmd = poll_reply(1, q.seq, 5, 1, 1, BUS_KEY_CALL);
    wrong_cmd.cmd = BUS_CMD_ACK | BUS_REPLY_BIT;
    bus_frame echo = q;                      /* our own request heard back */
    put(&m, &wrong_addr);
    put(&m, &wrong_seq);
    put(&m, &wrong_cmd);
    put(&m, &echo);
    bm_event ev;
    assert_int_equal(bm_next_event(&m, &ev), 0);
    assert_int_equal(m.stats.stray, 3);
    assert_int_equal(m.stats.echoes, 1);
    assert_int_equal(bm_device_of(&m, 2)->live, BM_UNKNOWN);

    /* A well-formed frame with a malformed payload is no reply either. */
    bus_frame bad = poll_reply(1, q.seq, 5, 1, 1, BUS_KEY_CALL);
    bad.payload[9] = 0;                      /* key 0 does not exist */
    put(&m, &bad);
    assert_int_equal(m.stats.malformed, 1);
    assert_int_equal(bm_next_event(&m, &ev), 0);

    bus_frame right = poll_reply(1, q.seq, 5, 1, 1, BUS_KEY_RECALL);
    put(&m, &right);
    assert_int_equal(bm_next_event(&m, &ev), 1);
    assert_int_equal(ev.type, BM_EV_ONLINE);
    assert_int_equal(bm_next_event(&m, &ev), 1);
    assert_int_equal(ev.type, BM_EV_INPUT);
    assert_int_equal(ev.ev.data[0], BUS_KEY_RECALL);
    assert_int_equal(bm_next_event(&m, &ev), 0);

    /* The same reply again, after the exchange is over, is stray too. */
    put(&m, &right);
    assert_int_equal(bm_next_event(&m, &ev), 0);
}

static void test_lost_ack_resent_events_are_not_repeated(void **state)
{
    (void)state;
    static bus_master m;
    bm_config c = default_cfg();
    bm_init(&m, &c);
    bm_add_device(&m, 4, BUS_DEV_KEYPAD);
    now_ms = 0;
    bus_frame q, r;
    assert_true(sent(&m, &q));
    r = poll_reply(4, q.seq, 9, 1, 2, BUS_KEY_CALL);
    put(&m, &r);
    now_ms += c.turnaround_ms;
    assert_true(sent(&m, &q));
    assert_int_equal(q.cmd, BUS_CMD_ACK);
    uint16_t session, seq;
    assert_int_equal(bus_ack_decode(q.payload, q.len, &session, &seq), 0);
    assert_int_equal(session, 9);
    assert_int_equal(seq, 2);

    /* The ack and its retries go unanswered; the keypad never got it. */
    for (int i = 0; i <= c.retries; i++) {
        now_ms += c.reply_timeout_ms;
        sent(&m, &q);
    }
    /* Next cycle: the keypad sends events 1, 2 again, plus a new 3. */
    now_ms += c.cycle_ms;
    assert_true(sent(&m, &q));
    assert_int_equal(q.cmd, BUS_CMD_ACK);   /* the pending ack goes first */
    bus_frame ack_ok = {.addr = 4, .seq = q.seq, .cmd = BUS_CMD_ACK | BUS_REPLY_BIT};
    bus_frame stale = poll_reply(4, q.seq, 9, 1, 3, BUS_KEY_CALL);
    put(&m, &stale);                        /* wrong cmd for an ack: ignored */
    put(&m, &ack_ok);
    now_ms += c.turnaround_ms;
    assert_true(sent(&m, &q));
    assert_int_equal(q.cmd, BUS_CMD_POLL);
    r = poll_reply(4, q.seq, 9, 1, 3, BUS_KEY_CALL);
    put(&m, &r);

    int inputs = 0;
    bm_event ev;
    while (bm_next_event(&m, &ev))
        inputs += ev.type == BM_EV_INPUT;
    assert_int_equal(inputs, 3);
    assert_int_equal(m.stats.duplicate_events, 2);
    assert_int_equal(bm_device_of(&m, 4)->ack_seq, 3);
}

static void test_full_event_queue_holds_back_the_ack(void **state)
{
    (void)state;
    static bus_master m;
    bm_config c = default_cfg();
    bm_init(&m, &c);
    bm_add_device(&m, 4, BUS_DEV_KEYPAD);
    now_ms = 0;
    bus_frame q, r;
    uint16_t next = 1;
    /* Nobody drains the master: after BM_EVENTS_MAX - 1 inputs (plus the
     * ONLINE notice) it must stop taking, and stop acking. */
    for (int round = 0; round < 12; round++) {
        now_ms += c.cycle_ms;
        while (sent(&m, &q)) {
            if (q.cmd == BUS_CMD_POLL) {
                r = poll_reply(4, q.seq, 9, next, 4, BUS_KEY_CALL);
            } else {
                r = (bus_frame){.addr = 4, .seq = q.seq, .cmd = (uint8_t)(q.cmd | BUS_REPLY_BIT)};
                uint16_t s, acked;
                bus_ack_decode(q.payload, q.len, &s, &acked);
                next = (uint16_t)(acked + 1);
            }
            put(&m, &r);
            now_ms += c.turnaround_ms;
        }
    }
    assert_int_equal(m.out_count, BM_EVENTS_MAX);
    assert_int_equal(bm_device_of(&m, 4)->ack_seq, BM_EVENTS_MAX - 1);
    assert_int_equal(next, BM_EVENTS_MAX);
    bm_event ev;
    while (bm_next_event(&m, &ev))
        ;
    /* Drained: the held-back events come in now. */
    now_ms += c.cycle_ms;
    assert_true(sent(&m, &q));
    r = poll_reply(4, q.seq, 9, next, 4, BUS_KEY_CALL);
    put(&m, &r);
    assert_int_equal(m.out_count, 4);
}

static void test_nak_drops_the_output_and_keeps_the_device(void **state)
{
    (void)state;
    static bus_master m;
    bm_config c = default_cfg();
    bm_init(&m, &c);
    bm_add_device(&m, 4, BUS_DEV_KEYPAD);
    now_ms = 0;
    bus_frame q, r;
    assert_true(sent(&m, &q));
    r = poll_reply(4, q.seq, 9, 1, 0, 0);
    put(&m, &r);
    bm_set_display(&m, 4, "A1");
    now_ms += c.cycle_ms;
    assert_true(sent(&m, &q));
    assert_int_equal(q.cmd, BUS_CMD_DISPLAY);
    r = (bus_frame){.addr = 4, .seq = q.seq, .cmd = BUS_CMD_NAK, .len = 2,
                    .payload = {BUS_CMD_DISPLAY, BUS_NAK_VALUE}};
    put(&m, &r);
    assert_int_equal(m.stats.naks, 1);
    assert_int_equal(bm_device_of(&m, 4)->live, BM_ONLINE);
    now_ms += c.turnaround_ms;
    assert_true(sent(&m, &q));
    assert_int_equal(q.cmd, BUS_CMD_POLL);   /* not the display again */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_press_arrives_once_and_is_acked),
        cmocka_unit_test(test_duplicated_and_lost_replies_give_one_event),
        cmocka_unit_test(test_silent_keypad_goes_offline_and_comes_back),
        cmocka_unit_test(test_rebooted_keypad_is_noticed_and_restored),
        cmocka_unit_test(test_outputs_reach_devices),
        cmocka_unit_test(test_config_and_addresses_checked),
        cmocka_unit_test(test_wrong_address_and_stale_replies_are_ignored),
        cmocka_unit_test(test_lost_ack_resent_events_are_not_repeated),
        cmocka_unit_test(test_full_event_queue_holds_back_the_ack),
        cmocka_unit_test(test_nak_drops_the_output_and_keeps_the_device),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
