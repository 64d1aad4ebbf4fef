/* SPDX-License-Identifier: MIT */
/*
 * test_web_relay — the console's side of the broker (web/relay.c) with a
 * recording publish function and an injected clock: the retained snapshot
 * (states and device statuses under the browser's topic names, replaced,
 * cleared, non-JSON dropped), events passed on once per seq, commands
 * published with the server's own id, reply_to "web" and by (whatever the
 * browser tried), answers matched back with the browser's id, a timeout
 * answer, a broker that is down, forgotten owners, and the day from
 * state/hall. Also the outgoing queues (web/out_queue.c) the answers wait in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "out_queue.h"
#include "relay.h"

#define P "jh/v1/test-hall/"

static struct {
    char topic[256], payload[2048];
    int published, down;
    char state_topic[64], state_data[2048];
    int states, state_null;
    char event_kind[32];
    int events;
    uint64_t reply_owner;
    int reply_tag, replies;
    char reply_bid[64], reply_error[32], reply_json[2048];
    int day;
} rec;

static int pub(void *u, const char *topic, const char *payload, size_t len, char *why, size_t wl)
{
    (void)u;
    if (rec.down) {
        snprintf(why, wl, "down");
        return -1;
    }
    snprintf(rec.topic, sizeof rec.topic, "%s", topic);
    snprintf(rec.payload, sizeof rec.payload, "%.*s", (int)len, payload);
    rec.published++;
    return 0;
}

static void on_state(void *u, const char *topic, const char *data, size_t len)
{
    (void)u;
    snprintf(rec.state_topic, sizeof rec.state_topic, "%s", topic);
    snprintf(rec.state_data, sizeof rec.state_data, "%.*s", (int)len, data ? data : "");
    rec.state_null = data == NULL;
    rec.states++;
}

static void on_event(void *u, const char *kind, const char *data, size_t len, const cJSON *ev)
{
    (void)u;
    (void)data;
    (void)len;
    assert_non_null(ev);
    snprintf(rec.event_kind, sizeof rec.event_kind, "%s", kind);
    rec.events++;
}

static void on_reply(void *u, uint64_t owner, int tag, const char *bid, const cJSON *reply)
{
    (void)u;
    rec.reply_owner = owner;
    rec.reply_tag = tag;
    snprintf(rec.reply_bid, sizeof rec.reply_bid, "%s", bid);
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(reply, "error");
    snprintf(rec.reply_error, sizeof rec.reply_error, "%s", cJSON_IsString(err) ? err->valuestring : "");
    char *text = cJSON_PrintUnformatted(reply);
    snprintf(rec.reply_json, sizeof rec.reply_json, "%s", text);
    free(text);
    rec.replies++;
}

static void on_day(void *u, int day)
{
    (void)u;
    rec.day = day;
}

static jh_relay *relay;

static int setup(void **state)
{
    (void)state;
    memset(&rec, 0, sizeof rec);
    jh_relay_io io = {.publish = pub, .on_state = on_state, .on_event = on_event, .on_reply = on_reply,
                      .on_day = on_day};
    char err[200];
    relay = jh_relay_new("test-hall", "0a1b2c", &io, err, sizeof err);
    return relay ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    jh_relay_free(relay);
    return 0;
}

static void msg(const char *topic, const char *payload, int64_t now)
{
    jh_relay_on_message(relay, topic, payload, strlen(payload), now);
}

static int n_snap;
static char snap[8][64];

static void snap_one(void *u, const char *topic, const char *data, size_t len)
{
    (void)u;
    (void)data;
    (void)len;
    if (n_snap < 8)
        snprintf(snap[n_snap], sizeof snap[0], "%s", topic);
    n_snap++;
}

static int in_snap(const char *topic)
{
    for (int i = 0; i < n_snap && i < 8; i++)
        if (strcmp(snap[i], topic) == 0)
            return 1;
    return 0;
}

static void test_topics(void **state)
{
    (void)state;
    assert_string_equal(jh_relay_topic(relay, 0), P "state/#");
    assert_string_equal(jh_relay_topic(relay, 1), P "event/#");
    assert_string_equal(jh_relay_topic(relay, 2), P "status/#");
    assert_string_equal(jh_relay_topic(relay, 3), P "reply/web");
    assert_null(jh_relay_topic(relay, 4));
    char err[200];
    jh_relay_io io = {.publish = pub};
    assert_null(jh_relay_new("test-hall", "XYZ", &io, err, sizeof err));
    assert_null(jh_relay_new("test-hall", "", &io, err, sizeof err));
}

static void test_snapshot(void **state)
{
    (void)state;
    msg(P "state/hall", "{\"site\":\"test-hall\",\"day\":20261123}", 0);
    assert_string_equal(rec.state_topic, "hall");
    assert_int_equal(rec.day, 20261123);
    assert_int_equal(jh_relay_day(relay), 20261123);
    msg(P "state/service/A", "{\"service\":\"A\",\"waiting\":1}", 0);
    assert_string_equal(rec.state_topic, "service/A");
    msg(P "state/counter/c01", "{\"counter\":\"c01\"}", 0);
    msg(P "state/alerts", "{\"alerts\":[]}", 0);
    msg(P "status/k1", "{\"online\":true,\"printer\":\"ready\"}", 0);
    assert_string_equal(rec.state_topic, "devices/k1");
    assert_int_equal(rec.states, 5);
    /* A replacement keeps one entry; non-JSON, non-objects and other topics are dropped. */
    msg(P "state/service/A", "{\"service\":\"A\",\"waiting\":2}", 0);
    assert_string_equal(rec.state_data, "{\"service\":\"A\",\"waiting\":2}");
    msg(P "status/k2", "not json", 0);
    msg(P "status/k3", "[1]", 0);
    msg(P "status/a/b", "{}", 0);
    msg("jh/v1/other-hall/state/hall", "{\"day\":1}", 0);
    msg(P "kiosk/k1/cmd", "{\"op\":\"take\"}", 0);
    assert_int_equal(rec.states, 6);
    assert_int_equal(jh_relay_cached(relay), 5);
    n_snap = 0;
    jh_relay_snapshot(relay, snap_one, NULL);
    assert_int_equal(n_snap, 5);
    assert_true(in_snap("hall") && in_snap("service/A") && in_snap("counter/c01") && in_snap("alerts") &&
                in_snap("devices/k1"));
    /* A cleared retained message leaves the snapshot and is said as data null. */
    jh_relay_on_message(relay, P "state/counter/c01", "", 0, 0);
    assert_true(rec.state_null);
    assert_string_equal(rec.state_topic, "counter/c01");
    assert_int_equal(jh_relay_cached(relay), 4);
    /* The same day again says nothing; a new one does. */
    rec.day = 0;
    msg(P "state/hall", "{\"day\":20261123}", 0);
    assert_int_equal(rec.day, 0);
    msg(P "state/hall", "{\"day\":20261124}", 0);
    assert_int_equal(rec.day, 20261124);
}

static void test_events_once(void **state)
{
    (void)state;
    msg(P "event/called", "{\"seq\":5,\"ticket\":\"A001\"}", 0);
    assert_int_equal(rec.events, 1);
    assert_string_equal(rec.event_kind, "called");
    msg(P "event/called", "{\"seq\":5,\"ticket\":\"A001\"}", 0); /* resent after a crash */
    assert_int_equal(rec.events, 1);
    msg(P "event/finished", "{\"seq\":6}", 0);
    assert_int_equal(rec.events, 2);
    msg(P "event/alert", "nonsense", 0);
    msg(P "event/a/b", "{\"seq\":9}", 0);
    assert_int_equal(rec.events, 2);
    /* A fresh store starts again at 1: new seqs are not "seen" ones. */
    msg(P "event/issued", "{\"seq\":1}", 0);
    assert_int_equal(rec.events, 3);
}

static jh_relay_request request(cJSON *fields, uint64_t owner, uint64_t session, const char *bid)
{
    jh_relay_request q = {.route = {.kind = JH_ROUTE_COUNTER, .counter = "c01"}, .fields = fields, .by = "1001",
                          .prefix = "feedbeef0001", .owner = owner, .session = session, .tag = 4,
                          .browser_id = bid};
    return q;
}

static void test_command_and_reply(void **state)
{
    (void)state;
    cJSON *f = cJSON_Parse("{\"op\":\"call-next\",\"counter\":\"c01\",\"id\":\"spoof\",\"by\":\"9999\",\"reply_to\":\"x\"}");
    jh_relay_request q = request(f, 77, 3, "b-1");
    char id[JH_RELAY_ID_LEN], code[32], why[200];
    assert_int_equal(jh_relay_send(relay, &q, 1000, id, code, sizeof code, why, sizeof why), 0);
    assert_string_equal(id, "w-feedbeef0001-1");
    assert_string_equal(rec.topic, P "counter/c01/cmd");
    cJSON *sent = cJSON_Parse(rec.payload);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(sent, "id")->valuestring, "w-feedbeef0001-1");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(sent, "by")->valuestring, "1001");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(sent, "reply_to")->valuestring, "web");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(sent, "op")->valuestring, "call-next");
    cJSON_Delete(sent);
    assert_int_equal(jh_relay_in_flight(relay, 3), 1);
    assert_int_equal(jh_relay_in_flight(relay, 4), 0);
    /* The admin route, the relay's own prefix, no by. */
    jh_relay_request a = {.route = {.kind = JH_ROUTE_ADMIN}, .fields = f, .owner = 78, .tag = 1};
    assert_int_equal(jh_relay_send(relay, &a, 1000, id, code, sizeof code, why, sizeof why), 0);
    assert_string_equal(id, "w-0a1b2c-2");
    assert_string_equal(rec.topic, P "admin/cmd");
    assert_null(strstr(rec.payload, "\"by\""));
    cJSON_Delete(f);

    /* A reply for someone else, one without id, one that is not JSON: nothing. */
    msg(P "reply/web", "{\"id\":\"w-other-1\",\"ok\":true}", 1100);
    msg(P "reply/web", "{\"ok\":true}", 1100);
    msg(P "reply/web", "garbage", 1100);
    assert_int_equal(rec.replies, 0);
    msg(P "reply/web", "{\"id\":\"w-feedbeef0001-1\",\"ok\":true,\"ticket\":\"A001\"}", 1100);
    assert_int_equal(rec.replies, 1);
    assert_int_equal(rec.reply_owner, 77);
    assert_int_equal(rec.reply_tag, 4);
    assert_string_equal(rec.reply_bid, "b-1");
    assert_non_null(strstr(rec.reply_json, "\"ticket\":\"A001\""));
    assert_int_equal(jh_relay_in_flight(relay, 3), 0);
    /* Answered once: the same reply again (QoS 1 may repeat) is dropped. */
    msg(P "reply/web", "{\"id\":\"w-feedbeef0001-1\",\"ok\":true}", 1200);
    assert_int_equal(rec.replies, 1);
    assert_int_equal(jh_relay_pending(relay), 1);
}

static void test_timeout_down_forget(void **state)
{
    (void)state;
    cJSON *f = cJSON_Parse("{\"op\":\"recall\"}");
    jh_relay_request q = request(f, 5, 9, "b-2");
    char id[JH_RELAY_ID_LEN], code[32], why[200];
    assert_int_equal(jh_relay_send(relay, &q, 0, id, code, sizeof code, why, sizeof why), 0);
    jh_relay_pump(relay, JH_RELAY_TIMEOUT_MS - 1);
    assert_int_equal(rec.replies, 0);
    jh_relay_pump(relay, JH_RELAY_TIMEOUT_MS);
    assert_int_equal(rec.replies, 1);
    assert_string_equal(rec.reply_error, "timeout");
    assert_string_equal(rec.reply_bid, "b-2");
    assert_int_equal(jh_relay_pending(relay), 0);
    /* The late answer finds nobody. */
    char late[100];
    snprintf(late, sizeof late, "{\"id\":\"%s\",\"ok\":true}", id);
    msg(P "reply/web", late, JH_RELAY_TIMEOUT_MS + 5);
    assert_int_equal(rec.replies, 1);

    rec.down = 1;
    assert_int_equal(jh_relay_send(relay, &q, 0, id, code, sizeof code, why, sizeof why), -1);
    assert_string_equal(code, "unavailable");
    assert_int_equal(jh_relay_pending(relay), 0);
    rec.down = 0;

    assert_int_equal(jh_relay_send(relay, &q, 0, id, code, sizeof code, why, sizeof why), 0);
    jh_relay_forget_owner(relay, 5);
    assert_int_equal(jh_relay_pending(relay), 0);
    snprintf(late, sizeof late, "{\"id\":\"%s\",\"ok\":true}", id);
    msg(P "reply/web", late, 10);
    assert_int_equal(rec.replies, 1);

    /* No op: refused before anything is published. */
    cJSON *noop = cJSON_Parse("{\"x\":1}");
    q.fields = noop;
    int before = rec.published;
    assert_int_equal(jh_relay_send(relay, &q, 0, id, code, sizeof code, why, sizeof why), -1);
    assert_int_equal(rec.published, before);
    cJSON_Delete(noop);
    cJSON_Delete(f);
}

static void test_out_queue(void **state)
{
    (void)state;
    jh_out_queue a = {0}, b = {0};
    jh_out_msg *m = jh_out_msg_new("hello", 5, 16);
    assert_memory_equal(jh_out_msg_text(m), "hello", 5);
    assert_int_equal(jh_out_msg_len(m), 5);
    assert_int_equal(jh_out_push(&a, m, 100), 0);
    assert_int_equal(jh_out_push(&b, m, 100), 0);
    jh_out_msg_unref(m); /* the queues keep it */
    assert_ptr_equal(jh_out_peek(&a), jh_out_peek(&b));
    jh_out_msg *m2 = jh_out_msg_new("0123456789", 10, 16);
    assert_int_equal(jh_out_push(&a, m2, 15), 0);
    assert_int_equal(jh_out_push(&a, m2, 15), -1); /* over the budget: refused, nothing kept */
    assert_int_equal(a.count, 2);
    assert_int_equal(a.bytes, 15);
    jh_out_pop(&a);
    assert_ptr_equal(jh_out_peek(&a), m2);
    jh_out_clear(&a);
    assert_null(jh_out_peek(&a));
    assert_int_equal(a.bytes, 0);
    jh_out_msg_unref(m2);
    assert_memory_equal(jh_out_msg_text(jh_out_peek(&b)), "hello", 5);
    jh_out_clear(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_topics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_snapshot, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_command_and_reply, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timeout_down_forget, setup, teardown),
        cmocka_unit_test(test_out_queue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
