/* SPDX-License-Identifier: MIT */
/*
 * test_engine_mirror — the caller's two sides of the wire against each other:
 * the real engine on a temp store writes states and events, the boards'
 * mirror (common/mirror/board_state.h) reads them, exactly as they would
 * travel (same topics, same payload bytes), and the test checks what a board
 * would show: counters, services, the hall, the last calls, what to announce.
 *
 * Two more guards: every payload survives a decode and re-encode by the
 * protocol's codec unchanged (a key the engine wrote that the codec does not
 * know, or reads as another type, fails), and the keys of each retained
 * state and of event/called are those docs/protocol.md lists, spelt out
 * here, so renaming a key on both sides at once does not pass either.
 */
#include "test_engine_fixture.h"

#include "board_state.h"
#include "event_payload.h"
#include "protocol.h"
#include "state_payload.h"

#define SITE "test-hall"

typedef struct {
    fx *f;
    jh_board *b;
    int64_t seq;                 /* outbox position already fed */
    jh_board_call calls[16];     /* what the board was asked to announce, in order */
    int n_calls;
    char last_kind[32];          /* of the newest event fed, and its payload */
    char *last_payload;
} mirror;

static void feed(mirror *m, const char *suffix, const char *json, jh_board_update *up)
{
    char topic[JH_TOPIC_LEN], err[256] = "";
    assert_int_equal(jh_topic(topic, sizeof topic, SITE, suffix), 0);
    if (jh_board_apply(m->b, topic, json, strlen(json), up, err, sizeof err) != 0)
        fail_msg("%s refused by the mirror: %s", suffix, err);
}

/* The payload's top-level keys, sorted and joined by spaces. */
static void key_list(const cJSON *o, char *buf, size_t len)
{
    const char *keys[64];
    int n = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, o)
        if (n < 64)
            keys[n++] = it->string;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
            const char *t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
        }
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i)
            strncat(buf, " ", len - strlen(buf) - 1);
        strncat(buf, keys[i], len - strlen(buf) - 1);
    }
}

/* Fails unless json has exactly the documented keys (given sorted). */
static void assert_keys(const char *json, const char *documented)
{
    char got[1024];
    cJSON *o = cJSON_Parse(json);
    assert_non_null(o);
    key_list(o, got, sizeof got);
    cJSON_Delete(o);
    if (strcmp(got, documented) != 0)
        fail_msg("keys on the wire: %s\n          documented: %s", got, documented);
}

/* Fails unless each of the keys (NULL-ended) is null in json, as docs/protocol.md says it is then. */
static void assert_nulls(const char *json, const char *const *keys)
{
    cJSON *o = cJSON_Parse(json);
    assert_non_null(o);
    for (int i = 0; keys[i]; i++)
        if (!cJSON_IsNull(cJSON_GetObjectItem(o, keys[i])))
            fail_msg("\"%s\" should be null in %s", keys[i], json);
    cJSON_Delete(o);
}

static void assert_same_json(const char *what, const char *json, cJSON *again)
{
    cJSON *o = cJSON_Parse(json);
    assert_non_null(o);
    assert_non_null(again);
    if (!cJSON_Compare(o, again, 1)) {
        char *t = cJSON_PrintUnformatted(again);
        fail_msg("%s does not survive the codec:\n  wrote %s\n  reads %s", what, json, t);
    }
    cJSON_Delete(o);
    cJSON_Delete(again);
}

/* ---- the codec reads back exactly what the engine wrote ---- */

static void roundtrip_counter(const char *json)
{
    jh_counter_state s;
    cJSON *o = cJSON_Parse(json);
    memset(&s, 0, sizeof s);
    jh_counter_state_decode(o, &s);
    cJSON_Delete(o);
    assert_same_json("state/counter", json, jh_counter_state_encode(&s));
}

static void roundtrip_service(const char *json)
{
    jh_service_state s;
    cJSON *o = cJSON_Parse(json);
    memset(&s, 0, sizeof s);
    jh_service_state_decode(o, &s);
    cJSON_Delete(o);
    assert_same_json("state/service", json, jh_service_state_encode(&s));
}

static void roundtrip_hall(const char *json)
{
    jh_hall_state *s = calloc(1, sizeof *s);
    cJSON *o = cJSON_Parse(json);
    s->today.mean_wait_s = s->today.p90_wait_s = JH_COUNT_NULL; /* null stays null */
    s->today.max_wait_s = s->today.mean_service_s = JH_COUNT_NULL;
    s->today.satisfaction_pct = -1;
    jh_hall_state_decode(o, s);
    cJSON_Delete(o);
    assert_same_json("state/hall", json, jh_hall_state_encode(s));
    free(s);
}

static void roundtrip_event(const char *kind, const char *json)
{
    jh_event_payload ev;
    cJSON *o = cJSON_Parse(json);
    memset(&ev, 0, sizeof ev);
    ev.counter_number = -1;
    if (jh_event_decode(kind, o, &ev) != 0)
        fail_msg("event/%s: not a kind the codec knows", kind);
    cJSON_Delete(o);
    assert_string_equal(jh_event_kind_name(ev.kind), kind);
    assert_same_json(kind, json, jh_event_encode(&ev));
}

/* ---- what the front does: events from the outbox, then every retained state ---- */

static void publish_events(mirror *m)
{
    jh_event ev;
    char suffix[64];
    while (jh_engine_outbox_next(m->f->e, m->seq, &ev) == 1) {
        jh_board_update up;
        m->seq = ev.seq;
        roundtrip_event(ev.kind, ev.payload);
        snprintf(suffix, sizeof suffix, "event/%s", ev.kind);
        feed(m, suffix, ev.payload, &up);
        if (up.kind == JH_UPDATE_CALL) {
            assert_true(m->n_calls < 16);
            m->calls[m->n_calls++] = up.call;
        } else {
            assert_int_equal(up.kind, JH_UPDATE_EVENT);
        }
        assert_int_equal(up.gap, 0);
        snprintf(m->last_kind, sizeof m->last_kind, "%s", ev.kind);
        free(m->last_payload);
        m->last_payload = ev.payload; /* kept: the test sends it again */
        ev.payload = NULL;
    }
}

static void publish_states(mirror *m)
{
    fx *f = m->f;
    char suffix[64];
    jh_board_update up;
    for (int i = 0; i < f->cfg->n_counters; i++) {
        char *s = jh_engine_counter_state(f->e, i, f->now);
        assert_non_null(s);
        roundtrip_counter(s);
        snprintf(suffix, sizeof suffix, "state/counter/%s", f->cfg->counters[i].id);
        feed(m, suffix, s, &up);
        free(s);
    }
    for (int i = 0; i < f->cfg->n_services; i++) {
        char *s = jh_engine_service_state(f->e, i, f->now);
        assert_non_null(s);
        roundtrip_service(s);
        snprintf(suffix, sizeof suffix, "state/service/%s", f->cfg->services[i].code);
        feed(m, suffix, s, &up);
        free(s);
    }
    char *s = jh_engine_hall_state(f->e, f->now);
    assert_non_null(s);
    roundtrip_hall(s);
    feed(m, "state/hall", s, &up);
    free(s);
}

static void publish(mirror *m)
{
    publish_events(m);
    publish_states(m);
}

static mirror *mirror_new(void)
{
    mirror *m = calloc(1, sizeof *m);
    assert_non_null(m);
    m->f = fx_new(FX_STRICT);
    m->b = malloc(sizeof *m->b);
    assert_non_null(m->b);
    jh_board_init(m->b, SITE);
    return m;
}

static void mirror_free(mirror *m)
{
    free(m->last_payload);
    free(m->b);
    fx_free(m->f);
    free(m);
}

static const jh_board_counter *counter(mirror *m, const char *id)
{
    const jh_board_counter *c = jh_board_counter_find(m->b, id);
    if (!c)
        fail_msg("the board has no counter %s", id);
    return c;
}

static const jh_board_service *service(mirror *m, const char *code)
{
    const jh_board_service *s = jh_board_service_find(m->b, code);
    if (!s)
        fail_msg("the board has no service %s", code);
    return s;
}

static int engine_ewt(mirror *m, const char *code)
{
    jh_estimate est;
    int si = jh_config_service_index(m->f->cfg, code);
    assert_int_equal(jh_engine_estimate(m->f->e, si, 0, m->f->now, &est), 0);
    return est.ewt_s;
}

static void login(mirror *m, const char *counter_id, const char *staff_id, const char *name)
{
    jh_command c = fx_cmd(JH_OP_LOGIN);
    snprintf(c.staff_id, sizeof c.staff_id, "%s", staff_id);
    snprintf(c.staff_name, sizeof c.staff_name, "%s", name); /* typed: the boards show the roster's */
    snprintf(c.secret, sizeof c.secret, "%s", FX_PIN);
    fx_ok(fx_send(m->f, JH_ORIGIN_COUNTER, counter_id, &c));
}

/* ---- the tests ---- */

/* The retained states' keys are docs/protocol.md's, not merely the codec's. */
static void test_wire_keys_are_the_documented_ones(void **state)
{
    (void)state;
    mirror *m = mirror_new();
    char t[16];
    /* a closed counter has no staff and no ticket; an open service no next_open; nobody called yet */
    static const char *const closed[] = {"staff_id", "staff_name", "ticket", "service", "priority", NULL};
    static const char *const open[] = {"next_open", "last_called", NULL};
    static const char *const none_yet[] = {"mean_wait_s", "p90_wait_s", "max_wait_s", "mean_service_s",
                                           "satisfaction_pct", NULL};
    char *s = jh_engine_counter_state(m->f->e, jh_config_counter_index(m->f->cfg, "c03"), m->f->now);
    assert_nulls(s, closed);
    free(s);
    s = jh_engine_service_state(m->f->e, jh_config_service_index(m->f->cfg, "A"), m->f->now);
    assert_nulls(s, open);
    free(s);
    s = jh_engine_hall_state(m->f->e, m->f->now);
    cJSON *h = cJSON_Parse(s);
    free(s);
    s = cJSON_PrintUnformatted(cJSON_GetObjectItem(h, "today"));
    assert_nulls(s, none_yet);
    free(s);
    cJSON_Delete(h);

    fx_take_ok(m->f, "A", JH_PRIO_NONE, t);
    login(m, "c03", "1003", "李强");
    fx_call_next(m->f, "c03", t);
    s = jh_engine_counter_state(m->f->e, jh_config_counter_index(m->f->cfg, "c03"), m->f->now);
    assert_keys(s, "call_count counter message name name_en number overrun priority service "
                   "serving_s since staff_id staff_name status ticket");
    free(s);
    s = jh_engine_service_state(m->f->e, jh_config_service_index(m->f->cfg, "A"), m->f->now);
    assert_keys(s, "day ewt_s last_called name name_en next_open next_ticket open service "
                   "target_service_s waiting waiting_priority");
    free(s);
    s = jh_engine_hall_state(m->f->e, m->f->now);
    assert_keys(s, "day last_called name name_en notice open seq site today");
    h = cJSON_Parse(s);
    free(s);
    char keys[1024];
    key_list(cJSON_GetObjectItem(h, "today"), keys, sizeof keys);
    assert_string_equal(keys, "counters_open counters_paused expired issued issued_green max_wait_s "
                              "mean_service_s mean_wait_s no_shows overruns p90_wait_s ratings "
                              "satisfaction_pct served served_green serving voided waiting waiting_green");
    key_list(cJSON_GetArrayItem(cJSON_GetObjectItem(h, "last_called"), 0), keys, sizeof keys);
    assert_string_equal(keys, "at counter counter_number ticket");
    cJSON_Delete(h);
    cJSON *ev = fx_last_event(m->f, "called");
    char *text = cJSON_PrintUnformatted(ev);
    assert_keys(text, "at call_count counter counter_name counter_name_en counter_number priority "
                      "reason seq service service_name service_name_en staff_id staff_name ticket "
                      "waited_s");
    free(text);
    cJSON_Delete(ev);
    mirror_free(m);
}

static void test_counters_as_a_board_shows_them(void **state)
{
    (void)state;
    mirror *m = mirror_new();
    char first[16], green[16], t[16];
    publish(m);
    assert_int_equal(counter(m, "c01")->status, JH_COUNTER_CLOSED);
    assert_string_equal(counter(m, "c01")->staff_id, "");
    assert_int_equal(counter(m, "c03")->number, 3);
    assert_string_equal(counter(m, "c03")->name, "3号窗口");
    assert_string_equal(counter(m, "c03")->name_en, "Window 3");

    fx_take_ok(m->f, "A", JH_PRIO_NONE, first);
    fx_take_ok(m->f, "A", JH_PRIO_ELDERLY, green);
    login(m, "c03", "1003", "李强");
    login(m, "c02", "1002", "王芳");
    publish(m);
    assert_int_equal(counter(m, "c03")->status, JH_COUNTER_IDLE);
    assert_string_equal(counter(m, "c03")->staff_id, "1003");
    assert_string_equal(counter(m, "c03")->staff_name, "李强");
    assert_string_equal(counter(m, "c03")->ticket, "");

    m->f->now += 2 * MIN;
    fx_call_next(m->f, "c03", t); /* strict: the green one first */
    assert_string_equal(t, green);
    publish(m);
    const jh_board_counter *c = counter(m, "c03");
    assert_int_equal(c->status, JH_COUNTER_SERVING);
    assert_string_equal(c->ticket, green);
    assert_string_equal(c->service, "A");
    assert_string_equal(c->priority, "elderly");
    assert_int_equal(c->call_count, 1);
    assert_int_equal(c->overrun, 0);
    fx_ok(fx_counter(m->f, "c03", JH_OP_RECALL));
    publish(m);
    assert_int_equal(counter(m, "c03")->call_count, 2);
    m->f->now += 11 * MIN; /* past service A's 10 minutes */
    publish(m);
    assert_int_equal(counter(m, "c03")->overrun, 1);

    jh_command p = fx_cmd(JH_OP_PAUSE);
    snprintf(p.message, sizeof p.message, "去3楼取材料，10分钟回来");
    snprintf(p.reason, sizeof p.reason, "fetching files");
    fx_ok(fx_send(m->f, JH_ORIGIN_COUNTER, "c02", &p));
    publish(m);
    assert_int_equal(counter(m, "c02")->status, JH_COUNTER_PAUSED);
    assert_string_equal(counter(m, "c02")->message, "去3楼取材料，10分钟回来");
    assert_string_equal(counter(m, "c02")->staff_name, "王芳");
    fx_ok(fx_counter(m->f, "c02", JH_OP_RESUME));
    publish(m);
    assert_int_equal(counter(m, "c02")->status, JH_COUNTER_IDLE);
    assert_string_equal(counter(m, "c02")->message, "");
    mirror_free(m);
}

static void test_services_as_a_board_shows_them(void **state)
{
    (void)state;
    mirror *m = mirror_new();
    char t[16];
    publish(m);
    const jh_board_service *a = service(m, "A");
    assert_string_equal(a->name, "社保业务");
    assert_string_equal(a->name_en, "Social Insurance");
    assert_int_equal(a->open, 1);
    assert_int_equal(a->waiting, 0);
    assert_int_equal(a->waiting_priority, 0);
    assert_string_equal(a->next_ticket, "A001");

    for (int i = 0; i < 3; i++)
        fx_take_ok(m->f, "A", JH_PRIO_NONE, NULL);
    fx_take_ok(m->f, "A", JH_PRIO_DISABLED, NULL);
    fx_take_ok(m->f, "A", JH_PRIO_PREGNANT, NULL);
    login(m, "c03", "1003", "李强");
    publish(m);
    a = service(m, "A");
    assert_int_equal(a->waiting, 5);
    assert_int_equal(a->waiting_priority, 2);
    assert_true(engine_ewt(m, "A") > 0);
    assert_int_equal(a->ewt_s, engine_ewt(m, "A"));
    assert_string_equal(a->next_ticket, "A006");

    fx_call_next(m->f, "c03", t);
    publish(m);
    a = service(m, "A");
    assert_int_equal(a->waiting, 4);
    assert_int_equal(a->waiting_priority, 1);
    assert_string_equal(a->last_called, t);
    assert_int_equal(a->ewt_s, engine_ewt(m, "A"));

    /* H keeps office hours: closed over lunch, with the time it opens again */
    m->f->now = T0 + 3 * HOUR + 30 * MIN; /* 12:30 */
    publish(m);
    const jh_board_service *h = service(m, "H");
    assert_int_equal(h->open, 0);
    assert_string_equal(h->next_open, "2026-11-23T14:00:00+08:00");
    assert_string_equal(service(m, "L")->next_ticket, "L01");
    mirror_free(m);
}

static void test_hall_open_notice_and_last_calls(void **state)
{
    (void)state;
    mirror *m = mirror_new();
    char t1[16], t2[16], t3[16];
    publish(m);
    assert_int_equal(m->b->open, 1);
    assert_string_equal(m->b->name, "测试大厅");
    assert_string_equal(m->b->notice, "");

    jh_command n = fx_cmd(JH_OP_NOTICE);
    snprintf(n.message, sizeof n.message, "今日下午暂停办理不动产登记");
    fx_ok(fx_send(m->f, JH_ORIGIN_ADMIN, "admin", &n));
    fx_take_ok(m->f, "A", JH_PRIO_NONE, NULL);
    fx_take_ok(m->f, "B", JH_PRIO_NONE, NULL);
    fx_take_ok(m->f, "A", JH_PRIO_NONE, NULL);
    login(m, "c03", "1003", "李强");
    login(m, "c02", "1002", "王芳");
    fx_call_next(m->f, "c03", t1);
    m->f->now += MIN;
    fx_call_next(m->f, "c02", t2);
    m->f->now += MIN;
    fx_call_next(m->f, "c03", t3);
    publish(m);
    assert_string_equal(m->b->notice, "今日下午暂停办理不动产登记");
    assert_int_equal(m->b->day, 20261123);
    assert_int_equal(m->b->hall_seq, m->seq);
    assert_int_equal(m->b->n_history, 3); /* newest first */
    assert_string_equal(m->b->history[0].ticket, t3);
    assert_string_equal(m->b->history[0].counter, "c03");
    assert_int_equal(m->b->history[0].counter_number, 3);
    assert_string_equal(m->b->history[1].ticket, t2);
    assert_int_equal(m->b->history[1].counter_number, 2);
    assert_string_equal(m->b->history[2].ticket, t1);

    /* a board that starts now knows the last calls from state/hall alone */
    jh_board *fresh = malloc(sizeof *fresh);
    jh_board *seen = m->b;
    jh_board_init(fresh, SITE);
    m->b = fresh;
    publish_states(m);
    assert_int_equal(fresh->n_history, 3);
    assert_string_equal(fresh->history[0].ticket, t3);
    assert_string_equal(fresh->history[0].at, seen->history[0].at);
    assert_string_equal(fresh->history[2].ticket, t1);
    assert_int_equal(fresh->history[2].counter_number, 3);
    m->b = seen;
    free(fresh);

    fx_ok(fx_admin(m->f, JH_OP_CLOSE));
    publish(m);
    assert_int_equal(m->b->open, 0);
    assert_int_equal(service(m, "A")->open, 0);
    fx_ok(fx_admin(m->f, JH_OP_OPEN));
    publish(m);
    assert_int_equal(m->b->open, 1);
    mirror_free(m);
}

static void test_a_call_is_announced_once(void **state)
{
    (void)state;
    mirror *m = mirror_new();
    char t[16];
    fx_take_ok(m->f, "B", JH_PRIO_NONE, NULL);
    fx_take_ok(m->f, "A", JH_PRIO_NONE, NULL);
    login(m, "c01", "1001", "王芳");
    publish(m);
    assert_int_equal(m->n_calls, 0); /* issued is not a call */

    m->f->now += 3 * MIN;
    fx_call_next(m->f, "c01", t); /* c01 serves A first */
    assert_string_equal(t, "A001");
    publish(m);
    assert_int_equal(m->n_calls, 1);
    const jh_board_call *c = &m->calls[0];
    assert_string_equal(c->ticket, "A001");
    assert_string_equal(c->counter, "c01");
    assert_int_equal(c->counter_number, 1);
    assert_string_equal(c->counter_name, "1号窗口");
    assert_string_equal(c->counter_name_en, "Window 1");
    assert_string_equal(c->service, "A");
    assert_string_equal(c->service_name, "社保业务");
    assert_string_equal(c->service_name_en, "Social Insurance");
    assert_string_equal(c->priority, "none");
    assert_string_equal(c->staff_name, "王芳");
    assert_string_equal(c->at, "2026-11-23T09:03:00+08:00");
    assert_int_equal(c->recall, 0);
    assert_int_equal(c->seq, m->seq);
    assert_string_equal(m->last_kind, "called");

    /* QoS 1 may deliver it again: the same seq is not announced twice */
    jh_board_update up;
    feed(m, "event/called", m->last_payload, &up);
    assert_int_equal(up.kind, JH_UPDATE_DUPLICATE);
    assert_int_equal(up.got_seq, m->seq);

    fx_ok(fx_counter(m->f, "c01", JH_OP_RECALL));
    publish(m);
    assert_int_equal(m->n_calls, 2);
    assert_int_equal(m->calls[1].recall, 1);
    assert_string_equal(m->calls[1].ticket, "A001");
    assert_int_equal(m->calls[1].seq, m->calls[0].seq + 1);
    assert_string_equal(m->b->history[0].ticket, "A001");

    /* finishing is an event, not a call; the next call is */
    fx_call_next(m->f, "c01", t);
    publish(m);
    assert_int_equal(m->n_calls, 3);
    assert_string_equal(m->calls[2].ticket, "B001");
    assert_string_equal(m->calls[2].service_name_en, "Medical Insurance");
    mirror_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wire_keys_are_the_documented_ones),
        cmocka_unit_test(test_counters_as_a_board_shows_them),
        cmocka_unit_test(test_services_as_a_board_shows_them),
        cmocka_unit_test(test_hall_open_notice_and_last_calls),
        cmocka_unit_test(test_a_call_is_announced_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
