/* SPDX-License-Identifier: MIT */
/*
 * test_bridge — the bridge's mapping, on the real bus master and real keypad
 * and rating-pad firmware (tests/keypad/bus_harness: an in-memory wire on a
 * virtual clock). What the bridge publishes is read back with the caller's
 * own command parser (jh_command_parse), so "the command is right" means
 * "the caller understands it as meant". The broker side is the bridge's
 * publish function: here it records (with the bridge's clock at that moment),
 * and can say "no connection". The bridge keeps time only through the `now`
 * its pump is given, so its resend timers are driven by pump_at() on that same
 * virtual clock without running the bus for minutes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "bridge.h"
#include "bus_harness.h"

#define KEY(k) (1u << (k))
#define MAX_PUB 64

typedef struct {
    char topic[JH_TOPIC_LEN];
    char payload[2048];
    int retain;
    int64_t at;          /* the bridge's clock (the pump's now) when it published */
} pub;

static struct {
    jh_hall_config *hall;
    jh_bridge_config bc;
    bus_harness h;
    harness_device *k1, *k2, *pad;
    jh_bridge *b;
    int link_up;
    int64_t clock;       /* the now of the pump running at the moment */
    pub pubs[MAX_PUB];
    int npub;
    char notices[16][512];
    int nnotice;
} F;

static const char hall_text[] =
    "[hall]\nsite = t\nname_zh = 厅\nname_en = Hall\ntimezone = Asia/Shanghai\n"
    "[broker]\nhost = 127.0.0.1\nport = 1883\n"
    "[service A]\nname_zh = 甲\nname_en = A\nnumbers = 1-999\nhours = mon-sun 00:00-24:00\ntarget_minutes = 10\n"
    "[service B]\nname_zh = 乙\nname_en = B\nnumbers = 1-999\nhours = mon-sun 00:00-24:00\ntarget_minutes = 10\n"
    "[counter c01]\nnumber = 1\nname_zh = 一\nname_en = One\nservices = A,B\n"
    "[counter c02]\nnumber = 2\nname_zh = 二\nname_en = Two\nservices = B\n"
    "[counter c07]\nnumber = 7\nname_zh = 七\nname_en = Seven\nservices = A\n";

static const char bridge_text[] = "[bridge b1]\nkeypad = 1 c01\nkeypad = 2 c02\npad = 11 c01\n";

static int on_publish(void *user, const char *topic, const char *payload, int retain)
{
    (void)user;
    if (!F.link_up)
        return -1;
    assert_true(F.npub < MAX_PUB);
    pub *p = &F.pubs[F.npub++];
    snprintf(p->topic, sizeof p->topic, "%s", topic);
    snprintf(p->payload, sizeof p->payload, "%s", payload);
    p->retain = retain;
    p->at = F.clock;
    return 0;
}

static void on_notice(void *user, jh_log_level level, const char *text)
{
    (void)user;
    (void)level;
    if (F.nnotice < 16)
        snprintf(F.notices[F.nnotice++], sizeof F.notices[0], "%s", text);
}

/* Runs the wire for `ms`, handing the bridge what the master reports, as the daemon does. */
static void run(int ms)
{
    for (int t = 0; t < ms; t += 5) {
        harness_run(&F.h, 5);
        for (int i = 0; i < F.h.nevents; i++)
            jh_bridge_handle_event(F.b, &F.h.events[i]);
        F.h.nevents = 0;
        F.clock = F.h.now;
        jh_bridge_pump(F.b, F.h.now);
    }
}

/* One pump at `now` (never before an earlier one), the bus standing still: the timers alone. */
static void pump_at(int64_t now)
{
    assert_true(now >= F.clock);
    F.clock = now;
    jh_bridge_pump(F.b, now);
}

static void press(harness_device *d, int key)
{
    harness_press(&F.h, d, KEY(key), 60, 100);
    run(100);
}

static void message(const char *suffix, const char *payload)
{
    char topic[JH_TOPIC_LEN];
    snprintf(topic, sizeof topic, "jh/v1/t/%s", suffix);
    jh_bridge_on_message(F.b, topic, payload, strlen(payload));
}

static int setup(void **state)
{
    (void)state;
    char err[512];
    memset(&F, 0, sizeof F);
    F.hall = calloc(1, sizeof *F.hall);
    assert_non_null(F.hall);
    if (jh_config_parse(F.hall, hall_text, strlen(hall_text), "hall", err, sizeof err) != 0 ||
        jh_bridge_config_parse(&F.bc, bridge_text, strlen(bridge_text), "bridge", NULL, err, sizeof err) != 0 ||
        jh_bridge_config_check(&F.bc, F.hall, err, sizeof err) != 0)
        fail_msg("%s", err);
    /* The daemon's setup (jh_bridge_bus_setup) is checked on a bus of its own;
     * here the harness adds the same addresses, each with a real device behind it. */
    static bus_master probe;
    assert_int_equal(jh_bridge_bus_setup(&probe, &F.bc, err, sizeof err), 0);
    assert_non_null(bm_device_of(&probe, 11));
    harness_init(&F.h, &F.bc.bus);
    F.k1 = harness_add_keypad(&F.h, 1, 5);
    F.k2 = harness_add_keypad(&F.h, 2, 9);
    F.pad = harness_add_pad(&F.h, 11, 3);
    jh_bridge_io io = {.publish = on_publish, .notice = on_notice};
    F.b = jh_bridge_new(&F.bc, F.hall, &F.h.master, &io, err, sizeof err);
    assert_non_null(F.b);
    F.link_up = 1;
    run(300);
    F.nnotice = 0; /* the devices' "answers" notices */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    jh_bridge_free(F.b);
    free(F.hall);
    return 0;
}

/*
 * The commands published on counter/<id>/cmd, parsed as the caller parses
 * them; idx (may be NULL) gets which publication each one was.
 */
static int command_pubs(const char *counter, jh_command *out, int *idx, int max)
{
    char topic[JH_TOPIC_LEN];
    snprintf(topic, sizeof topic, "jh/v1/t/counter/%s/cmd", counter);
    jh_origin origin = {.kind = JH_ORIGIN_COUNTER};
    snprintf(origin.id, sizeof origin.id, "%s", counter);
    int n = 0;
    for (int i = 0; i < F.npub && n < max; i++) {
        if (strcmp(F.pubs[i].topic, topic) != 0)
            continue;
        jh_error e;
        if (jh_command_parse(F.pubs[i].payload, strlen(F.pubs[i].payload), &origin, &out[n], &e) != 0)
            fail_msg("the caller refuses %s: %s", F.pubs[i].payload, e.message);
        assert_false(F.pubs[i].retain);
        if (idx)
            idx[n] = i;
        n++;
    }
    return n;
}

static int commands(const char *counter, jh_command *out, int max) { return command_pubs(counter, out, NULL, max); }

static int beeps_while_running(harness_device *d, int ms)
{
    int n = 0, was = 0;
    for (int t = 0; t < ms; t++) {
        run(1);
        int on = d->is_pad ? rating_pad_beeper_on(&d->pad) : keypad_beeper_on(&d->kp);
        n += on && !was;
        was = on;
    }
    return n;
}

static void test_keys_become_counter_commands(void **state)
{
    (void)state;
    static const int keys[] = {KEYPAD_CALL, KEYPAD_RECALL, KEYPAD_SKIP, KEYPAD_PAUSE, KEYPAD_RESUME, KEYPAD_FINISH};
    static const jh_op ops[] = {JH_OP_CALL_NEXT, JH_OP_RECALL, JH_OP_NO_SHOW, JH_OP_PAUSE, JH_OP_RESUME, JH_OP_FINISH};
    for (size_t i = 0; i < 6; i++)
        press(F.k1, keys[i]);
    jh_command c[16];
    assert_int_equal(commands("c01", c, 16), 6);
    for (int i = 0; i < 6; i++) {
        char id[32];
        snprintf(id, sizeof id, "b1-1-5-%d", i + 1);
        assert_int_equal(c[i].op, ops[i]);
        assert_string_equal(c[i].id, id);
        assert_string_equal(c[i].reply_to, "b1");
    }
    assert_int_equal(commands("c02", c, 16), 0);
}

static void test_login_transfer_and_rate_on_the_keypad(void **state)
{
    (void)state;
    int login[] = {KEYPAD_LOGIN, KEYPAD_K0 + 1, KEYPAD_K0 + 0, KEYPAD_K0 + 2, KEYPAD_K0 + 3, KEYPAD_ENTER,
                   KEYPAD_K0 + 4, KEYPAD_K0 + 7, KEYPAD_K0 + 1, KEYPAD_K0 + 1, KEYPAD_ENTER};
    for (size_t i = 0; i < 11; i++)
        press(F.k2, login[i]);
    int transfer[] = {KEYPAD_TRANSFER, KEYPAD_K0 + 7, KEYPAD_ENTER};
    for (size_t i = 0; i < 3; i++)
        press(F.k2, transfer[i]);
    press(F.k2, KEYPAD_RATE);
    int logout[] = {KEYPAD_LOGIN, KEYPAD_ENTER};
    for (size_t i = 0; i < 2; i++)
        press(F.k2, logout[i]);
    jh_command c[8];
    assert_int_equal(commands("c02", c, 8), 4);
    assert_int_equal(c[0].op, JH_OP_LOGIN);
    assert_string_equal(c[0].staff_id, "1023");
    assert_string_equal(c[0].secret, "4711");
    assert_int_equal(c[1].op, JH_OP_TRANSFER);
    assert_string_equal(c[1].to_counter, "c07"); /* counter number 7 */
    assert_int_equal(c[2].op, JH_OP_INVITE_RATING); /* never a score from staff */
    assert_int_equal(c[2].score, 0);
    assert_int_equal(c[3].op, JH_OP_LOGOUT);
    for (int i = 0; i < F.npub; i++)
        assert_null(strstr(F.pubs[i].payload, "\"rate\""));
}

/* Old keypad firmware: LOGIN without PIN, RATE with a score. */
static void test_old_keypad_frames_still_map(void **state)
{
    (void)state;
    bm_event ev = {.type = BM_EV_INPUT, .addr = 2, .dev_type = BUS_DEV_KEYPAD, .session = 9,
                   .ev = {.seq = 1, .kind = BUS_EV_LOGIN, .len = 4, .data = "1023"}};
    jh_bridge_handle_event(F.b, &ev);
    ev.ev = (bus_event){.seq = 2, .kind = BUS_EV_RATE, .len = 1, .data = {5}};
    jh_bridge_handle_event(F.b, &ev);
    run(100);
    jh_command c[4];
    int idx[4];
    assert_int_equal(command_pubs("c02", c, idx, 4), 2);
    assert_int_equal(c[0].op, JH_OP_LOGIN);
    assert_string_equal(c[0].staff_id, "1023");
    assert_string_equal(c[0].secret, "");
    assert_null(strstr(F.pubs[idx[0]].payload, "secret"));
    assert_int_equal(c[1].op, JH_OP_INVITE_RATING);
}

/* A refused login reads as a word on the keypad; the pad lights on rating-invited. */
static void test_login_refusal_shows_a_word(void **state)
{
    (void)state;
    static const char *const codes[][2] = {
        {"bad-secret", "BAD PIN"},     {"locked", "LOCKED"},        {"unknown-staff", "NO STAFF"},
        {"not-allowed-here", "NOT HERE"}, {"staff-disabled", "DISABLED"},
        {"no-ticket-to-rate", "NO TICKET"}, {"already-rated", "RATED"},
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        char reply[128];
        snprintf(reply, sizeof reply, "{\"id\":\"b1-1-5-%zu\",\"ok\":false,\"error\":\"%s\"}", i + 1, codes[i][0]);
        message("reply/b1", reply);
        run(300);
        assert_string_equal(keypad_display(&F.k1->kp), codes[i][1]);
    }
    message("state/counter/c01", "{\"status\":\"idle\",\"ticket\":null}");
    run(300);
    assert_string_equal(keypad_display(&F.k1->kp), "---"); /* the next state replaces it */
}

static void test_rating_invited_arms_and_prompts_the_pad(void **state)
{
    (void)state;
    message("event/rating-invited", "{\"seq\":4,\"counter\":\"c02\",\"ticket\":\"A012\"}");
    run(300);
    assert_int_equal(rating_pad_state_of(&F.pad->pad), RATING_PAD_IDLE); /* not this pad's counter */
    message("event/rating-invited", "{\"seq\":5,\"counter\":\"c01\",\"counter_number\":1,"
                                    "\"ticket\":\"A013\",\"staff_id\":\"1023\"}");
    int beeps = beeps_while_running(F.pad, 400);
    assert_int_equal(rating_pad_state_of(&F.pad->pad), RATING_PAD_ARMED);
    assert_string_equal(rating_pad_ticket(&F.pad->pad), "A013");
    assert_string_equal(rating_pad_display(&F.pad->pad), "PLEASE RATE");
    assert_true(rating_pad_leds(&F.pad->pad) != 0);
    assert_true(beeps >= 1);
    harness_press(&F.h, F.pad, RATING_PAD_KEY(5), 60, 100);
    run(300);
    jh_command c[4];
    assert_int_equal(commands("c01", c, 4), 1);
    assert_int_equal(c[0].op, JH_OP_RATE);
    assert_string_equal(c[0].ticket, "A013");
    assert_int_equal(c[0].rate_source, JH_RATE_SRC_PAD);
    message("event/rating-invited", "{\"counter\":\"c01\"}"); /* no ticket: malformed, ignored */
    assert_non_null(strstr(F.notices[F.nnotice - 1], "ignored a malformed message"));
}

static void test_transfer_to_a_missing_counter_sends_nothing_and_beeps(void **state)
{
    (void)state;
    press(F.k1, KEYPAD_TRANSFER);
    press(F.k1, KEYPAD_K0 + 9);
    harness_press(&F.h, F.k1, KEY(KEYPAD_ENTER), 60, 0);
    int beeps = beeps_while_running(F.k1, 600);
    jh_command c[4];
    assert_int_equal(commands("c01", c, 4), 0);
    assert_true(beeps >= 3); /* the click of ENTER, then the error beeps */
    assert_int_equal(F.nnotice, 1);
    assert_non_null(strstr(F.notices[0], "keypad 1 (counter c01): transfer to counter number 9"));
}

static void test_presses_wait_for_the_broker_in_order(void **state)
{
    (void)state;
    F.link_up = 0;
    int before = F.npub;
    press(F.k1, KEYPAD_CALL);
    press(F.k1, KEYPAD_FINISH);
    assert_int_equal(jh_bridge_queued(F.b), 2);
    assert_int_equal(F.npub, before);
    assert_int_equal(F.k1->kp.bus.qcount, 0); /* the bus went on: the keypad was acked */
    F.link_up = 1;
    run(10);
    jh_command c[4];
    assert_int_equal(commands("c01", c, 4), 2);
    assert_int_equal(c[0].op, JH_OP_CALL_NEXT);
    assert_int_equal(c[1].op, JH_OP_FINISH);
    assert_int_equal(jh_bridge_queued(F.b), 0);
}

static void test_counter_state_shows_on_the_keypad(void **state)
{
    (void)state;
    message("state/service/A", "{\"waiting\":3}");
    message("state/service/B", "{\"waiting\":0}");
    message("state/counter/c01", "{\"status\":\"serving\",\"ticket\":\"A012\",\"staff_id\":\"1023\"}");
    message("state/counter/c02", "{\"status\":\"paused\",\"ticket\":null}");
    run(400);
    assert_string_equal(keypad_display(&F.k1->kp), "A012");
    assert_int_equal(keypad_leds(&F.k1->kp), BUS_LED_SERVING);
    assert_string_equal(keypad_display(&F.k2->kp), "PAUSE");
    assert_int_equal(keypad_leds(&F.k2->kp), BUS_LED_PAUSED | BUS_LED_QUEUE_EMPTY);

    message("state/counter/c01", "{\"status\":\"idle\",\"ticket\":null}");
    message("state/service/A", "{\"waiting\":0}");
    run(400);
    assert_string_equal(keypad_display(&F.k1->kp), "---");
    assert_int_equal(keypad_leds(&F.k1->kp), BUS_LED_IDLE | BUS_LED_QUEUE_EMPTY);
}

static void test_first_person_in_an_empty_queue_beeps_its_counters(void **state)
{
    (void)state;
    message("state/service/B", "{\"waiting\":2}"); /* first news: not a change from empty */
    assert_int_equal(beeps_while_running(F.k2, 400), 0);
    message("state/service/B", "{\"waiting\":0}");
    assert_int_equal(beeps_while_running(F.k2, 400), 0);
    message("state/service/B", "{\"waiting\":1}");
    assert_int_equal(beeps_while_running(F.k2, 600), 2); /* c02 serves B */
    message("state/service/A", "{\"waiting\":0}");
    run(300);
    message("state/service/A", "{\"waiting\":1}");
    assert_int_equal(beeps_while_running(F.k2, 600), 0); /* c02 does not serve A */
    assert_int_equal(keypad_leds(&F.k1->kp) & BUS_LED_QUEUE_EMPTY, 0);
}

static void test_finished_ticket_arms_the_pad_and_its_rating_is_bound(void **state)
{
    (void)state;
    message("event/finished", "{\"ticket\":\"A012\",\"counter\":\"c02\"}"); /* not this pad's counter */
    run(300);
    assert_int_equal(rating_pad_state_of(&F.pad->pad), RATING_PAD_IDLE);
    message("event/finished", "{\"ticket\":\"A012\",\"counter\":\"c01\",\"seq\":9}");
    run(300);
    assert_int_equal(rating_pad_state_of(&F.pad->pad), RATING_PAD_ARMED);
    assert_string_equal(rating_pad_ticket(&F.pad->pad), "A012");
    harness_press(&F.h, F.pad, RATING_PAD_KEY(4), 60, 100);
    run(300);
    jh_command c[4];
    assert_int_equal(commands("c01", c, 4), 1);
    assert_int_equal(c[0].op, JH_OP_RATE);
    assert_int_equal(c[0].score, 4);
    assert_string_equal(c[0].ticket, "A012");
    assert_int_equal(c[0].rate_source, JH_RATE_SRC_PAD);
    assert_string_equal(c[0].id, "b1-11-3-1");
}

static cJSON *last_status(void)
{
    for (int i = F.npub - 1; i >= 0; i--)
        if (strcmp(F.pubs[i].topic, "jh/v1/t/status/b1") == 0) {
            assert_true(F.pubs[i].retain);
            return cJSON_Parse(F.pubs[i].payload);
        }
    return NULL;
}

static cJSON *device_in(cJSON *status, int addr)
{
    cJSON *d;
    cJSON_ArrayForEach(d, cJSON_GetObjectItem(status, "keypads"))
        if (cJSON_GetObjectItem(d, "addr")->valueint == addr)
            return d;
    return NULL;
}

static void test_silent_keypad_is_reported_once(void **state)
{
    (void)state;
    cJSON *s = last_status();
    assert_non_null(s);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(s, "online")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(device_in(s, 2), "online")));
    cJSON_Delete(s);

    F.k2->silent = 1;
    run(3000);
    s = last_status();
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(device_in(s, 2), "online")));
    assert_string_equal(cJSON_GetObjectItem(device_in(s, 2), "liveness")->valuestring, "offline");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(device_in(s, 1), "online")));
    assert_string_equal(cJSON_GetObjectItem(device_in(s, 11), "kind")->valuestring, "pad");
    assert_true(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "bus"), "timeouts")->valueint > 0);
    cJSON_Delete(s);
    int offline_notices = 0;
    for (int i = 0; i < F.nnotice; i++)
        offline_notices += strstr(F.notices[i], "keypad 2 (counter c02) stopped answering") != NULL;
    assert_int_equal(offline_notices, 1);
    assert_string_equal(jh_bridge_will_payload(), "{\"online\":false}");
    assert_string_equal(jh_bridge_status_topic(F.b), "jh/v1/t/status/b1");
}

static void test_refusal_is_noticed_and_beeped(void **state)
{
    (void)state;
    message("reply/b1", "{\"id\":\"b1-1-5-1\",\"ok\":true,\"ticket\":\"A001\"}");
    message("reply/b1", "{\"id\":\"other-1-5-1\",\"ok\":false,\"error\":\"x\"}");
    assert_int_equal(F.nnotice, 0);
    message("reply/b1", "{\"id\":\"b1-1-5-2\",\"ok\":false,\"error\":\"not-logged-in\",\"message\":\"nobody\"}");
    assert_int_equal(beeps_while_running(F.k1, 600), 3);
    assert_int_equal(F.nnotice, 1);
    assert_non_null(strstr(F.notices[0], "keypad 1 (counter c01): command b1-1-5-2 refused: not-logged-in"));
}

/*
 * How often command `id` went to counter c01 so far; *last (may be NULL): the
 * bridge's clock when it last did. Every copy must be the very same command.
 */
static int sends(const char *id, int64_t *last)
{
    jh_command c[MAX_PUB];
    int idx[MAX_PUB], k = 0, first = -1;
    int n = command_pubs("c01", c, idx, MAX_PUB);
    for (int i = 0; i < n; i++) {
        if (strcmp(c[i].id, id) != 0)
            continue;
        if (first < 0)
            first = idx[i];
        assert_string_equal(F.pubs[idx[i]].payload, F.pubs[first].payload);
        if (last)
            *last = F.pubs[idx[i]].at;
        k++;
    }
    return k;
}

/* Keypad 1's first press of the test (id b1-1-5-1) goes out once; the bridge's clock then. */
static int64_t first_press(int key)
{
    int64_t at = 0;
    press(F.k1, key);
    assert_int_equal(sends("b1-1-5-1", &at), 1);
    return at;
}

/* A count in the status document as jh_bridge_status_json() writes it now. */
static int status_count(const char *name)
{
    char *json = jh_bridge_status_json(F.b, 1);
    cJSON *o = cJSON_Parse(json);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    assert_true(cJSON_IsNumber(v));
    int n = v->valueint;
    cJSON_Delete(o);
    free(json);
    return n;
}

/* The broker took it, the caller never answered: a killed broker may have lost it. */
static void test_unanswered_command_goes_again_with_its_id(void **state)
{
    (void)state;
    const char *id = "b1-1-5-1";
    int64_t last = first_press(KEYPAD_CALL);
    assert_int_equal(status_count("unanswered"), 1);

    jh_bridge_on_session(F.b); /* at once on a new session, not at its timer */
    pump_at(F.clock + 1);
    assert_int_equal(sends(id, &last), 2);

    /* then after 10 s without an answer, doubling up to 60 s */
    static const int gaps[] = {10000, 20000, 40000, 60000, 60000};
    for (int i = 0; i < 5; i++) {
        pump_at(last + gaps[i] - 1);
        assert_int_equal(sends(id, NULL), 2 + i);
        pump_at(last + gaps[i]);
        assert_int_equal(sends(id, &last), 3 + i);
    }
    message("reply/b1", "{\"id\":\"b1-1-5-9\",\"ok\":true}"); /* another one's answer */
    assert_int_equal(status_count("unanswered"), 1);

    message("reply/b1", "{\"id\":\"b1-1-5-1\",\"ok\":true,\"ticket\":\"A001\"}");
    assert_int_equal(status_count("unanswered"), 0);
    pump_at(last + 600000);
    jh_bridge_on_session(F.b);
    pump_at(last + 600001);
    assert_int_equal(sends(id, NULL), 7);
}

static void test_new_session_sends_all_unanswered_in_order(void **state)
{
    (void)state;
    press(F.k1, KEYPAD_CALL);
    press(F.k1, KEYPAD_FINISH);
    press(F.k1, KEYPAD_CALL);
    message("reply/b1", "{\"id\":\"b1-1-5-2\",\"ok\":true}");
    int before = F.npub;
    jh_bridge_on_session(F.b);
    pump_at(F.clock + 1);
    jh_command c[MAX_PUB];
    int idx[MAX_PUB];
    int n = command_pubs("c01", c, idx, MAX_PUB);
    assert_int_equal(n, 5);
    assert_true(idx[3] >= before);
    assert_string_equal(c[3].id, "b1-1-5-1");
    assert_int_equal(c[3].op, JH_OP_CALL_NEXT);
    assert_string_equal(c[4].id, "b1-1-5-3");
    assert_int_equal(c[4].op, JH_OP_CALL_NEXT);
}

/* `internal`: the caller's store failed and applied nothing, so the press still counts. */
static void test_internal_refusal_keeps_the_command(void **state)
{
    (void)state;
    const char *id = "b1-1-5-1";
    int64_t last = first_press(KEYPAD_CALL);
    message("reply/b1",
            "{\"id\":\"b1-1-5-1\",\"ok\":false,\"error\":\"internal\",\"message\":\"disk full\"}");
    assert_int_equal(beeps_while_running(F.k1, 600), 0); /* not the citizen's or the clerk's fault */
    assert_int_equal(F.nnotice, 1);
    assert_non_null(strstr(F.notices[0], "command b1-1-5-1 not applied (disk full); sending it again"));
    assert_int_equal(status_count("unanswered"), 1);

    pump_at(last + 10000);
    assert_int_equal(sends(id, &last), 2);
    message("reply/b1", "{\"id\":\"b1-1-5-1\",\"ok\":true,\"ticket\":\"A001\"}");
    assert_int_equal(status_count("unanswered"), 0);
    pump_at(last + 600000);
    assert_int_equal(sends(id, NULL), 2);
}

/* Any other refusal is the caller's final word: sent again it would only be refused again. */
static void test_refusal_ends_the_resends(void **state)
{
    (void)state;
    int64_t last = first_press(KEYPAD_RECALL);
    message("reply/b1", "{\"id\":\"b1-1-5-1\",\"ok\":false,\"error\":\"no-current-ticket\"}");
    assert_int_equal(status_count("unanswered"), 0);
    pump_at(last + 600000);
    jh_bridge_on_session(F.b);
    pump_at(last + 600001);
    assert_int_equal(sends("b1-1-5-1", NULL), 1);
}

static void test_status_counts_queued_and_unanswered(void **state)
{
    (void)state;
    assert_int_equal(status_count("queued"), 0);
    assert_int_equal(status_count("unanswered"), 0);
    F.link_up = 0;
    press(F.k1, KEYPAD_CALL);
    press(F.k2, KEYPAD_CALL);
    press(F.k1, KEYPAD_FINISH);
    assert_int_equal(status_count("queued"), 3);
    assert_int_equal(status_count("unanswered"), 0);
    assert_int_equal(jh_bridge_queued(F.b), 3);

    F.link_up = 1;
    jh_bridge_on_session(F.b);
    run(10);
    assert_int_equal(status_count("queued"), 0);
    assert_int_equal(status_count("unanswered"), 3);
    message("reply/b1", "{\"id\":\"b1-2-9-1\",\"ok\":true}");
    message("reply/b1", "{\"id\":\"b1-1-5-2\",\"ok\":false,\"error\":\"internal\"}");
    assert_int_equal(status_count("unanswered"), 2);

    jh_bridge_on_session(F.b); /* what a new session publishes says so too */
    run(10);
    cJSON *s = last_status();
    assert_non_null(s);
    assert_int_equal(cJSON_GetObjectItem(s, "queued")->valueint, 0);
    assert_int_equal(cJSON_GetObjectItem(s, "unanswered")->valueint, 2);
    cJSON_Delete(s);
}

static void test_bad_messages_change_nothing(void **state)
{
    (void)state;
    message("state/counter/c01", "{\"status\":\"serving\",\"ticket\":\"A001\"}");
    run(300);
    static const char *bad[] = {
        "not json", "[1,2]", "{\"status\":5}", "{\"status\":\"serving\",\"ticket\":7}",
        "{\"status\":\"serving\",\"ticket\":\"A0123456789012345678901234567890123\"}",
        "{\"status\":\"a-very-long-status-text\",\"ticket\":null}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        message("state/counter/c01", bad[i]);
    message("state/service/A", "{\"waiting\":\"many\"}");
    message("state/service/A", "{\"waiting\":-1}");
    message("event/finished", "{\"ticket\":\"A001\"}");
    message("reply/b1", "{\"ok\":false}");
    static char huge[JH_MAX_PAYLOAD + 10];
    memset(huge, ' ', sizeof huge - 1);
    message("state/counter/c01", huge);
    message("state/counter/c99", "{\"status\":\"idle\",\"ticket\":null}"); /* not ours: ignored */
    message("state/service/Z", "{\"waiting\":1}");
    run(300);
    assert_string_equal(keypad_display(&F.k1->kp), "A001");
    assert_int_equal(F.nnotice, 11);
    assert_non_null(strstr(F.notices[0], "malformed message on jh/v1/t/state/counter/c01"));
    message("state/counter/c01", "{\"status\":\"serving\",\"ticket\":\"A\xe4\xb8\x80\"}"); /* not ASCII */
    run(300);
    assert_int_equal(F.nnotice, 12);
    assert_non_null(strstr(F.notices[11], "cannot show"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_keys_become_counter_commands),
        T(test_login_transfer_and_rate_on_the_keypad),
        T(test_old_keypad_frames_still_map),
        T(test_login_refusal_shows_a_word),
        T(test_rating_invited_arms_and_prompts_the_pad),
        T(test_transfer_to_a_missing_counter_sends_nothing_and_beeps),
        T(test_presses_wait_for_the_broker_in_order),
        T(test_counter_state_shows_on_the_keypad),
        T(test_first_person_in_an_empty_queue_beeps_its_counters),
        T(test_finished_ticket_arms_the_pad_and_its_rating_is_bound),
        T(test_silent_keypad_is_reported_once),
        T(test_refusal_is_noticed_and_beeped),
        T(test_unanswered_command_goes_again_with_its_id),
        T(test_new_session_sends_all_unanswered_in_order),
        T(test_internal_refusal_keeps_the_command),
        T(test_refusal_ends_the_resends),
        T(test_status_counts_queued_and_unanswered),
        T(test_bad_messages_change_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
