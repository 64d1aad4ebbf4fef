/* SPDX-License-Identifier: MIT */
/*
 * test_protocol — the command codec and topic names of common/protocol/protocol.c.
 *
 * Every refusal class of docs/protocol.md is provoked at least once, good commands
 * of every op round-trip through jh_command_to_json, and hostile payloads
 * (deep nesting, huge numbers, NUL escapes, duplicate keys, broken UTF-8) are
 * refused with the right code instead of being half-read. The simulation-only
 * admin op `clock` reads its moment strictly (ISO 8601 with an offset).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "protocol.h"

static const jh_origin KIOSK = {JH_ORIGIN_KIOSK, "k1"};
static const jh_origin COUNTER = {JH_ORIGIN_COUNTER, "c03"};
static const jh_origin ADMIN = {JH_ORIGIN_ADMIN, "admin"};

static int parse_s(const char *text, const jh_origin *o, jh_command *c, jh_error *e)
{
    return jh_command_parse(text, strlen(text), o, c, e);
}

/* Parses text, expects refusal `code`, and (when given) that the message names `field`. */
static void expect_refusal(const char *text, size_t len, const jh_origin *o, const char *code,
                           const char *field)
{
    jh_command c;
    jh_error e;
    int rc = jh_command_parse(text, len, o, &c, &e);
    if (rc != -1 || strcmp(e.code, code) != 0)
        print_error("payload %.80s: rc %d code '%s' (%s), expected '%s'\n", text, rc, e.code,
                    e.message, code);
    assert_int_equal(rc, -1);
    assert_string_equal(e.code, code);
    assert_true(e.message[0] != '\0');
    if (field)
        assert_non_null(strstr(e.message, field));
}

static void refuse(const char *text, const jh_origin *o, const char *code, const char *field)
{
    expect_refusal(text, strlen(text), o, code, field);
}

static void test_take_ok(void **state)
{
    (void)state;
    jh_command c;
    jh_error e;
    assert_int_equal(parse_s("{\"id\":\"k1-000001\",\"op\":\"take\",\"reply_to\":\"k1\","
                             "\"service\":\"A\",\"priority\":\"elderly\",\"lang\":\"en\"}",
                             &KIOSK, &c, &e), 0);
    assert_int_equal(c.op, JH_OP_TAKE);
    assert_string_equal(c.id, "k1-000001");
    assert_string_equal(c.reply_to, "k1");
    assert_string_equal(c.service, "A");
    assert_int_equal(c.priority, JH_PRIO_ELDERLY);
    assert_string_equal(c.lang, "en");

    /* priority defaults to none; unknown fields are ignored; null optional = absent */
    assert_int_equal(parse_s("{\"id\":\"x\",\"op\":\"take\",\"service\":\"FP\",\"future\":[1,{}],"
                             "\"lang\":null}", &KIOSK, &c, &e), 0);
    assert_int_equal(c.priority, JH_PRIO_NONE);
    assert_string_equal(c.reply_to, "");
    assert_string_equal(c.lang, "");
}

static void test_counter_ops_ok(void **state)
{
    (void)state;
    jh_command c;
    jh_error e;
    assert_int_equal(parse_s("{\"id\":\"c03-1\",\"op\":\"login\",\"staff_id\":\"10023\","
                             "\"staff_name\":\"王芳\"}", &COUNTER, &c, &e), 0);
    assert_string_equal(c.staff_name, "王芳");
    assert_int_equal(parse_s("{\"id\":\"c03-2\",\"op\":\"call-next\"}", &COUNTER, &c, &e), 0);
    assert_int_equal(c.op, JH_OP_CALL_NEXT);
    assert_int_equal(parse_s("{\"id\":\"c03-3\",\"op\":\"rate\",\"score\":5,\"source\":\"staff-keypad\"}",
                             &COUNTER, &c, &e), 0);
    assert_int_equal(c.score, 5);
    assert_int_equal(c.rate_source, JH_RATE_SRC_STAFF_KEYPAD);
    assert_int_equal(parse_s("{\"id\":\"c03-4\",\"op\":\"rate\",\"score\":1.0,\"ticket\":\"A012\"}",
                             &COUNTER, &c, &e), 0);
    assert_int_equal(c.score, 1);
    assert_int_equal(c.rate_source, JH_RATE_SRC_PAD);
    assert_int_equal(parse_s("{\"id\":\"c03-5\",\"op\":\"transfer\",\"to_counter\":\"c05\"}",
                             &COUNTER, &c, &e), 0);
    assert_string_equal(c.to_counter, "c05");
    assert_int_equal(parse_s("{\"id\":\"c03-6\",\"op\":\"pause\",\"message\":\"10 分钟后回来\"}",
                             &COUNTER, &c, &e), 0);
    assert_string_equal(c.message, "10 分钟后回来");
    assert_int_equal(parse_s("{\"id\":\"a1\",\"op\":\"notice\",\"message\":\"\"}", &ADMIN, &c, &e), 0);
    assert_int_equal(c.op, JH_OP_NOTICE);
}

static void test_size_and_encoding(void **state)
{
    (void)state;
    size_t n = JH_MAX_PAYLOAD + 1;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, ' ', n);
    memcpy(big, "{\"id\":\"x\",\"op\":\"call-next\"}", 27); /* valid JSON + spaces */
    big[n] = '\0';
    expect_refusal(big, n, &COUNTER, "too-large", NULL);
    /* exactly the limit is still read */
    jh_command c;
    jh_error e;
    assert_int_equal(jh_command_parse(big, JH_MAX_PAYLOAD, &COUNTER, &c, &e), 0);
    free(big);

    refuse("{\"id\":\"x\",\"op\":\"take\",\"service\":\"\xff\"}", &KIOSK, "bad-encoding", NULL);
    refuse("{\"id\":\"x\",\"op\":\"pause\",\"message\":\"\xc0\xaf\"}", &COUNTER, "bad-encoding", NULL);      /* overlong '/' */
    refuse("{\"id\":\"x\",\"op\":\"pause\",\"message\":\"\xed\xa0\x80\"}", &COUNTER, "bad-encoding", NULL);  /* surrogate */
    refuse("{\"id\":\"x\",\"op\":\"pause\",\"message\":\"\xe7\x8e\"}", &COUNTER, "bad-encoding", NULL);      /* cut short */
    refuse("{\"id\":\"x\",\"op\":\"pause\",\"message\":\"\xf4\x90\x80\x80\"}", &COUNTER, "bad-encoding", NULL); /* > U+10FFFF */

    /* NUL bytes: raw, and as an escape cJSON would cut the string at */
    static const char raw_nul[] = "{\"id\":\"x\",\"op\":\"pause\",\"message\":\"a\0b\"}";
    expect_refusal(raw_nul, sizeof raw_nul - 1, &COUNTER, "bad-encoding", NULL);
    refuse("{\"id\":\"x\",\"op\":\"pause\",\"message\":\"ab\\u0000cd\"}", &COUNTER, "bad-encoding", NULL);
    /* an escaped backslash followed by the text u0000 is fine */
    assert_int_equal(parse_s("{\"id\":\"x\",\"op\":\"pause\",\"message\":\"a\\\\u0000\"}", &COUNTER, &c, &e), 0);
    assert_string_equal(c.message, "a\\u0000");
    /* a bad escape before a multi-byte character is bad JSON, not bad encoding */
    refuse("{\"id\":\"x\",\"op\":\"pause\",\"message\":\"\\王\"}", &COUNTER, "bad-json", NULL);
    /* an escaped quote does not end the string: the \u0000 after it is still inside */
    refuse("{\"id\":\"x\",\"op\":\"pause\",\"message\":\"a\\\"\\u0000\"}", &COUNTER, "bad-encoding", NULL);
    /* other control characters are refused in text fields */
    refuse("{\"id\":\"x\",\"op\":\"pause\",\"message\":\"a\\u0007\"}", &COUNTER, "bad-field", "message");
}

static void test_bad_json(void **state)
{
    (void)state;
    refuse("", &KIOSK, "bad-json", NULL);
    refuse("{", &KIOSK, "bad-json", NULL);
    refuse("[1,2]", &KIOSK, "bad-json", NULL);
    refuse("\"take\"", &KIOSK, "bad-json", NULL);
    refuse("null", &KIOSK, "bad-json", NULL);
    refuse("{\"id\":\"x\",\"op\":\"call-next\"} {}", &COUNTER, "bad-json", NULL);
    refuse("{\"id\":\"x\",\"op\":\"call-next\",}", &COUNTER, "bad-json", NULL);
    /* duplicate keys: parsers disagree on which wins, so neither does */
    refuse("{\"id\":\"x\",\"op\":\"take\",\"service\":\"A\",\"service\":\"B\"}", &KIOSK, "bad-json", NULL);
    refuse("{\"id\":\"x\",\"op\":\"take\",\"op\":\"void\",\"service\":\"A\"}", &KIOSK, "bad-json", NULL);
    /* trailing whitespace is not garbage */
    jh_command c;
    jh_error e;
    assert_int_equal(parse_s("{\"id\":\"x\",\"op\":\"finish\"}\r\n ", &COUNTER, &c, &e), 0);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    size_t depth = 5000;
    char *s = malloc(depth * 2 + 64);
    assert_non_null(s);
    size_t n = 0;
    n += (size_t)sprintf(s, "{\"id\":\"x\",\"op\":\"finish\",\"a\":");
    for (size_t i = 0; i < depth && n < JH_MAX_PAYLOAD / 2; i++)
        s[n++] = '[';
    s[n] = '\0';
    refuse(s, &COUNTER, "bad-json", NULL); /* unterminated and deeper than cJSON's limit */
    free(s);
}

static void test_envelope(void **state)
{
    (void)state;
    refuse("{\"op\":\"finish\"}", &COUNTER, "missing-field", "id");
    refuse("{\"id\":\"\",\"op\":\"finish\"}", &COUNTER, "bad-field", "id");
    refuse("{\"id\":7,\"op\":\"finish\"}", &COUNTER, "bad-field", "id");
    refuse("{\"id\":\"a b\",\"op\":\"finish\"}", &COUNTER, "bad-field", "id");
    refuse("{\"id\":\"ab\\n\",\"op\":\"finish\"}", &COUNTER, "bad-field", "id");
    char longid[200];
    snprintf(longid, sizeof longid, "{\"id\":\"%064d\",\"op\":\"finish\"}", 1);
    refuse(longid, &COUNTER, "bad-field", "id");
    snprintf(longid, sizeof longid, "{\"id\":\"%063d\",\"op\":\"finish\"}", 1);
    jh_command c;
    jh_error e;
    assert_int_equal(parse_s(longid, &COUNTER, &c, &e), 0);

    refuse("{\"id\":\"x\"}", &COUNTER, "missing-field", "op");
    refuse("{\"id\":\"x\",\"op\":3}", &COUNTER, "bad-field", "op");
    refuse("{\"id\":\"x\",\"op\":\"dance\"}", &COUNTER, "unknown-op", "dance");
    refuse("{\"id\":\"x\",\"op\":\"Call-Next\"}", &COUNTER, "unknown-op", NULL);
    refuse("{\"id\":\"x\",\"op\":\"finish\",\"reply_to\":\"c03/x\"}", &COUNTER, "bad-field", "reply_to");
    refuse("{\"id\":\"x\",\"op\":\"finish\",\"reply_to\":\"#\"}", &COUNTER, "bad-field", "reply_to");
    refuse("{\"id\":\"x\",\"op\":\"finish\",\"reply_to\":[]}", &COUNTER, "bad-field", "reply_to");
}

static void test_id_kept_on_failure(void **state)
{
    (void)state;
    jh_command c;
    jh_error e;
    assert_int_equal(parse_s("{\"id\":\"k1-9\",\"reply_to\":\"k1\",\"op\":\"take\"}", &KIOSK, &c, &e), -1);
    assert_string_equal(e.code, "missing-field");
    assert_string_equal(c.id, "k1-9");
    assert_string_equal(c.reply_to, "k1");
    /* a duplicated key: refused, but a unique id and reply_to still address the refusal */
    assert_int_equal(parse_s("{\"id\":\"k1-11\",\"reply_to\":\"k1\",\"op\":\"take\",\"service\":\"A\","
                             "\"service\":\"B\"}", &KIOSK, &c, &e), -1);
    assert_string_equal(e.code, "bad-json");
    assert_non_null(strstr(e.message, "service"));
    assert_string_equal(c.id, "k1-11");
    assert_string_equal(c.reply_to, "k1");
    assert_int_equal(parse_s("{\"id\":\"k1-12\",\"reply_to\":\"k1\",\"op\":\"take\",\"id\":\"k1-13\","
                             "\"service\":\"A\"}", &KIOSK, &c, &e), -1);
    assert_string_equal(e.code, "bad-json");
    assert_string_equal(c.id, "");
    assert_string_equal(c.reply_to, "");
    /* a bad reply_to still leaves the id usable */
    assert_int_equal(parse_s("{\"id\":\"k1-10\",\"reply_to\":\"+\",\"op\":\"take\"}", &KIOSK, &c, &e), -1);
    assert_string_equal(c.id, "k1-10");
    assert_string_equal(c.reply_to, "");
}

static void test_wrong_origin(void **state)
{
    (void)state;
    refuse("{\"id\":\"x\",\"op\":\"call-next\"}", &KIOSK, "wrong-origin", "call-next");
    refuse("{\"id\":\"x\",\"op\":\"take\",\"service\":\"A\"}", &COUNTER, "wrong-origin", "take");
    refuse("{\"id\":\"x\",\"op\":\"end-day\"}", &COUNTER, "wrong-origin", NULL);
    refuse("{\"id\":\"x\",\"op\":\"finish\"}", &ADMIN, "wrong-origin", NULL);
    refuse("{\"id\":\"x\",\"op\":\"open\"}", &KIOSK, "wrong-origin", NULL);
}

static void test_field_types(void **state)
{
    (void)state;
    refuse("{\"id\":\"x\",\"op\":\"take\"}", &KIOSK, "missing-field", "service");
    refuse("{\"id\":\"x\",\"op\":\"take\",\"service\":null}", &KIOSK, "missing-field", "service");
    refuse("{\"id\":\"x\",\"op\":\"take\",\"service\":1}", &KIOSK, "bad-field", "service");
    refuse("{\"id\":\"x\",\"op\":\"take\",\"service\":\"A B\"}", &KIOSK, "bad-field", "service");
    refuse("{\"id\":\"x\",\"op\":\"take\",\"service\":\"A\",\"priority\":\"vip\"}", &KIOSK, "bad-field", "priority");
    refuse("{\"id\":\"x\",\"op\":\"take\",\"service\":\"A\",\"priority\":true}", &KIOSK, "bad-field", "priority");
    refuse("{\"id\":\"x\",\"op\":\"take\",\"service\":\"A\",\"lang\":\"fr\"}", &KIOSK, "bad-field", "lang");
    refuse("{\"id\":\"x\",\"op\":\"void\",\"ticket\":\"A001\"}", &KIOSK, "missing-field", "reason");
    refuse("{\"id\":\"x\",\"op\":\"login\"}", &COUNTER, "missing-field", "staff_id");
    refuse("{\"id\":\"x\",\"op\":\"login\",\"staff_id\":{}}", &COUNTER, "bad-field", "staff_id");
    refuse("{\"id\":\"x\",\"op\":\"requeue\"}", &COUNTER, "missing-field", "ticket");
    refuse("{\"id\":\"x\",\"op\":\"call\",\"ticket\":\"A/1\"}", &COUNTER, "bad-field", "ticket");
    refuse("{\"id\":\"x\",\"op\":\"transfer\"}", &COUNTER, "missing-field", "to_service");
    refuse("{\"id\":\"x\",\"op\":\"flag\",\"ticket\":\"A001\"}", &COUNTER, "missing-field", "priority");
    refuse("{\"id\":\"x\",\"op\":\"notice\"}", &ADMIN, "missing-field", "message");
    refuse("{\"id\":\"x\",\"op\":\"rate\",\"source\":\"pad\"}", &COUNTER, "missing-field", "score");
    refuse("{\"id\":\"x\",\"op\":\"rate\",\"score\":\"5\"}", &COUNTER, "bad-field", "score");
    refuse("{\"id\":\"x\",\"op\":\"rate\",\"score\":0}", &COUNTER, "bad-field", "score");
    refuse("{\"id\":\"x\",\"op\":\"rate\",\"score\":6}", &COUNTER, "bad-field", "score");
    refuse("{\"id\":\"x\",\"op\":\"rate\",\"score\":4.5}", &COUNTER, "bad-field", "score");
    refuse("{\"id\":\"x\",\"op\":\"rate\",\"score\":-1e999}", &COUNTER, "bad-field", "score");
    refuse("{\"id\":\"x\",\"op\":\"rate\",\"score\":1e400}", &COUNTER, "bad-field", "score");
    refuse("{\"id\":\"x\",\"op\":\"rate\",\"score\":4294967301}", &COUNTER, "bad-field", "score");
    refuse("{\"id\":\"x\",\"op\":\"rate\",\"score\":5,\"source\":\"staff\"}", &COUNTER, "bad-field", "source");

    char msg[JH_LONG_TEXT_LEN + 64];
    int n = snprintf(msg, sizeof msg, "{\"id\":\"x\",\"op\":\"pause\",\"message\":\"");
    memset(msg + n, 'm', JH_LONG_TEXT_LEN);
    snprintf(msg + n + JH_LONG_TEXT_LEN, sizeof msg - (size_t)n - JH_LONG_TEXT_LEN, "\"}");
    refuse(msg, &COUNTER, "bad-field", "message");
    /* 511 bytes fit */
    msg[n + JH_LONG_TEXT_LEN - 1] = '"';
    msg[n + JH_LONG_TEXT_LEN] = '}';
    msg[n + JH_LONG_TEXT_LEN + 1] = '\0';
    jh_command c;
    jh_error e;
    assert_int_equal(parse_s(msg, &COUNTER, &c, &e), 0);
    assert_int_equal(strlen(c.message), JH_LONG_TEXT_LEN - 1);
}

/* Every op, built with to_json and parsed back, gives the same command. */
static void roundtrip(const jh_command *in, const jh_origin *o)
{
    char *json = jh_command_to_json(in);
    assert_non_null(json);
    jh_command out;
    jh_error e;
    int rc = jh_command_parse(json, strlen(json), o, &out, &e);
    if (rc != 0)
        print_error("%s: %s %s\n", json, e.code, e.message);
    assert_int_equal(rc, 0);
    assert_memory_equal(in, &out, sizeof out);
    free(json);
}

static void test_roundtrip(void **state)
{
    (void)state;
    jh_command c;
    memset(&c, 0, sizeof c);
    strcpy(c.id, "k1-000042");
    strcpy(c.reply_to, "k1");
    c.op = JH_OP_TAKE;
    strcpy(c.service, "FP");
    c.priority = JH_PRIO_PREGNANT;
    strcpy(c.lang, "zh");
    roundtrip(&c, &KIOSK);

    memset(&c, 0, sizeof c); /* found by fuzz_command: an empty required reason */
    strcpy(c.id, "k1-44");
    c.op = JH_OP_VOID;
    strcpy(c.ticket, "A012");
    roundtrip(&c, &KIOSK);

    memset(&c, 0, sizeof c);
    strcpy(c.id, "k1-43");
    c.op = JH_OP_VOID;
    strcpy(c.ticket, "A012");
    strcpy(c.reason, "缺纸 \"paper\" \\ out");
    roundtrip(&c, &KIOSK);

    static const jh_op counter_ops[] = {JH_OP_LOGIN, JH_OP_LOGOUT, JH_OP_CALL_NEXT, JH_OP_RECALL,
                                        JH_OP_NO_SHOW, JH_OP_REQUEUE, JH_OP_FINISH, JH_OP_TRANSFER,
                                        JH_OP_CALL, JH_OP_PAUSE, JH_OP_RESUME, JH_OP_FLAG, JH_OP_RATE};
    for (size_t i = 0; i < sizeof counter_ops / sizeof counter_ops[0]; i++) {
        memset(&c, 0, sizeof c);
        snprintf(c.id, sizeof c.id, "c03-%zu", i);
        strcpy(c.reply_to, "c03");
        c.op = counter_ops[i];
        if (c.op == JH_OP_LOGIN) { strcpy(c.staff_id, "10023"); strcpy(c.staff_name, "李 明"); }
        if (c.op == JH_OP_REQUEUE || c.op == JH_OP_CALL || c.op == JH_OP_FLAG) strcpy(c.ticket, "B007");
        if (c.op == JH_OP_TRANSFER) { strcpy(c.to_service, "B"); strcpy(c.to_counter, "c07"); }
        if (c.op == JH_OP_PAUSE) { strcpy(c.reason, "lunch"); strcpy(c.message, "14:00 回来"); }
        if (c.op == JH_OP_FLAG) c.priority = JH_PRIO_DISABLED;
        if (c.op == JH_OP_RATE) { c.score = 4; c.rate_source = JH_RATE_SRC_STAFF_KEYPAD; }
        roundtrip(&c, &COUNTER);
    }
    static const jh_op admin_ops[] = {JH_OP_OPEN, JH_OP_CLOSE, JH_OP_NOTICE, JH_OP_END_DAY};
    for (size_t i = 0; i < 4; i++) {
        memset(&c, 0, sizeof c);
        snprintf(c.id, sizeof c.id, "adm-%zu", i);
        c.op = admin_ops[i];
        roundtrip(&c, &ADMIN); /* notice with an empty message too */
    }
    memset(&c, 0, sizeof c);
    c.op = JH_OP_UNKNOWN;
    assert_null(jh_command_to_json(&c));
}

static void test_op_names(void **state)
{
    (void)state;
    for (int op = JH_OP_UNKNOWN + 1; op < JH_OP_COUNT; op++)
        assert_int_equal(jh_op_parse(jh_op_name((jh_op)op)), op);
    assert_int_equal(jh_op_parse("unknown"), JH_OP_UNKNOWN);
    assert_int_equal(jh_op_parse(NULL), JH_OP_UNKNOWN);
    assert_string_equal(jh_op_name(JH_OP_CALL_NEXT), "call-next");
    assert_string_equal(jh_op_name(JH_OP_NO_SHOW), "no-show");
    assert_string_equal(jh_op_name(JH_OP_COUNT), "unknown");
}

static void test_error_reply(void **state)
{
    (void)state;
    jh_error e = {"bad-json", "payload is \"not\" JSON"};
    char *s = jh_reply_error_json("c03-1", &e);
    assert_string_equal(s, "{\"id\":\"c03-1\",\"ok\":false,\"error\":\"bad-json\","
                           "\"message\":\"payload is \\\"not\\\" JSON\"}");
    free(s);
    s = jh_reply_error_json("", &e);
    assert_non_null(strstr(s, "\"id\":null"));
    free(s);
    s = jh_reply_error_json(NULL, &e);
    assert_non_null(strstr(s, "\"id\":null"));
    free(s);
}

static void test_topics(void **state)
{
    (void)state;
    char t[JH_TOPIC_LEN];
    assert_int_equal(jh_topic(t, sizeof t, "hall-1", "state/hall"), 0);
    assert_string_equal(t, "jh/v1/hall-1/state/hall");
    assert_int_equal(jh_topic(t, 10, "hall-1", "state/hall"), -1);
    assert_int_equal(jh_topic(t, sizeof t, "bad/site", "x"), -1);
    assert_int_equal(jh_topic(t, sizeof t, "", "x"), -1);

    jh_origin o;
    assert_int_equal(jh_topic_origin("jh/v1/hall-1/counter/c03/cmd", "hall-1", &o), 0);
    assert_int_equal(o.kind, JH_ORIGIN_COUNTER);
    assert_string_equal(o.id, "c03");
    assert_int_equal(jh_topic_origin("jh/v1/hall-1/kiosk/k1/cmd", "hall-1", &o), 0);
    assert_int_equal(o.kind, JH_ORIGIN_KIOSK);
    assert_string_equal(o.id, "k1");
    assert_int_equal(jh_topic_origin("jh/v1/hall-1/admin/cmd", "hall-1", &o), 0);
    assert_int_equal(o.kind, JH_ORIGIN_ADMIN);
    assert_string_equal(o.id, "admin");

    static const char *bad[] = {
        "jh/v1/hall-2/counter/c03/cmd", "jh/v1/hall-1/counter/c03/cmd/x", "jh/v1/hall-1/counter//cmd",
        "jh/v1/hall-1/counter/c03", "jh/v1/hall-1/display/d1/cmd", "jh/v1/hall-1/admin/cmd/x",
        "jh/v1/hall-1/state/hall", "jh/v1/hall-1", "jh/v1/hall-1/", "jh/v2/hall-1/admin/cmd",
        "jh/v1/hall-10/admin/cmd", "jh/v1/hall-1/counter/c_3/cmd",
        "jh/v1/hall-1/counter/c0123456789012345678901234567890123456789/cmd", "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (jh_topic_origin(bad[i], "hall-1", &o) != -1)
            print_error("accepted %s\n", bad[i]);
        assert_int_equal(jh_topic_origin(bad[i], "hall-1", &o), -1);
    }
    assert_int_equal(jh_topic_origin(NULL, "hall-1", &o), -1);
}

static void test_valid_id(void **state)
{
    (void)state;
    assert_true(jh_valid_id("c03"));
    assert_true(jh_valid_id("FP"));
    assert_true(jh_valid_id("a-b-9"));
    assert_false(jh_valid_id(""));
    assert_false(jh_valid_id(NULL));
    assert_false(jh_valid_id("c 3"));
    assert_false(jh_valid_id("c/3"));
    assert_false(jh_valid_id("c+"));
    assert_false(jh_valid_id("窗口"));
    char s[JH_ID_LEN + 1];
    memset(s, 'a', JH_ID_LEN);
    s[JH_ID_LEN] = '\0';
    assert_false(jh_valid_id(s));
    s[JH_ID_LEN - 1] = '\0';
    assert_true(jh_valid_id(s));
}

/* Moments as the clock op reads them; expectations come from timegm, not from the parser. */
static int64_t utc_ms(int y, int mo, int d, int h, int mi, int sec, int ms)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
                    .tm_min = mi, .tm_sec = sec};
    return (int64_t)timegm(&tm) * 1000 + ms;
}

static void test_parse_time(void **state)
{
    (void)state;
    int64_t t = -1;
    assert_int_equal(jh_parse_time("2026-11-23T09:05:07+08:00", &t), 0);
    assert_true(t == utc_ms(2026, 11, 23, 1, 5, 7, 0));
    assert_int_equal(jh_parse_time("2026-11-23T01:05:07.25Z", &t), 0);
    assert_true(t == utc_ms(2026, 11, 23, 1, 5, 7, 250));
    assert_int_equal(jh_parse_time("2026-11-22T19:35:07.001-05:30", &t), 0);
    assert_true(t == utc_ms(2026, 11, 23, 1, 5, 7, 1));
    assert_int_equal(jh_parse_time("2028-02-29T00:00:00Z", &t), 0); /* a leap year */
    assert_true(t == utc_ms(2028, 2, 29, 0, 0, 0, 0));
    assert_int_equal(jh_parse_time("1970-01-01T00:00:00Z", &t), 0);
    assert_true(t == 0);
    assert_int_equal(jh_parse_time("9999-12-31T23:59:59.999Z", &t), 0);
    assert_true(t == utc_ms(9999, 12, 31, 23, 59, 59, 999));
    static const char *const bad[] = {
        "2026-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2026-02-30T00:00:00Z",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-11-00T00:00:00Z",
        "2026-11-23T24:00:00Z", "2026-11-23T09:60:00Z", "2026-11-23T09:05:60Z",
        "2026-11-23T09:05:07", "2026-11-23T09:05:07+8:00", "2026-11-23T09:05:07+15:00",
        "2026-11-23T09:05:07+08:60", "2026-11-23T09:05:07.1234Z", "2026-11-23T09:05:07.Z",
        "2026-11-23t09:05:07Z", "2026-11-23 09:05:07Z", "2026-11-23T09:05:07Zx",
        "2026-11-23", "1969-12-31T23:59:59Z", "1970-01-01T00:30:00+01:00", "9999-12-31T23:59:59-00:01",
        "+026-11-23T09:05:07Z",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (jh_parse_time(bad[i], &t) != -1)
            print_error("accepted %s\n", bad[i]);
        assert_int_equal(jh_parse_time(bad[i], &t), -1);
    }
    assert_int_equal(jh_parse_time(NULL, &t), -1);
}

/* The simulation-only admin op: parsed like any other; the caller decides whether it applies. */
static void test_clock(void **state)
{
    (void)state;
    jh_command c;
    jh_error e;
    assert_int_equal(parse_s("{\"id\":\"s1\",\"op\":\"clock\",\"to\":\"2026-11-23T09:05:07+08:00\"}",
                             &ADMIN, &c, &e), 0);
    assert_int_equal(c.op, JH_OP_CLOCK);
    assert_true(c.clock_to == utc_ms(2026, 11, 23, 1, 5, 7, 0));
    refuse("{\"id\":\"x\",\"op\":\"clock\"}", &ADMIN, "missing-field", "to");
    refuse("{\"id\":\"x\",\"op\":\"clock\",\"to\":1795395907000}", &ADMIN, "bad-field", "to");
    refuse("{\"id\":\"x\",\"op\":\"clock\",\"to\":\"tomorrow\"}", &ADMIN, "bad-field", "to");
    refuse("{\"id\":\"x\",\"op\":\"clock\",\"to\":\"2026-02-30T09:00:00Z\"}", &ADMIN, "bad-field", "to");
    refuse("{\"id\":\"x\",\"op\":\"clock\",\"to\":\"2026-11-23T09:05:07Z\"}", &COUNTER, "wrong-origin", "clock");
    refuse("{\"id\":\"x\",\"op\":\"clock\",\"to\":\"2026-11-23T09:05:07Z\"}", &KIOSK, "wrong-origin", "clock");
    static const int64_t moments[] = {0, 1795395907123, 253402300799999};
    for (size_t i = 0; i < 3; i++) {
        memset(&c, 0, sizeof c);
        snprintf(c.id, sizeof c.id, "sim-clock-%zu", i);
        c.op = JH_OP_CLOCK;
        c.clock_to = moments[i];
        roundtrip(&c, &ADMIN);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_take_ok),        cmocka_unit_test(test_counter_ops_ok),
        cmocka_unit_test(test_size_and_encoding), cmocka_unit_test(test_bad_json),
        cmocka_unit_test(test_deep_nesting),   cmocka_unit_test(test_envelope),
        cmocka_unit_test(test_id_kept_on_failure), cmocka_unit_test(test_wrong_origin),
        cmocka_unit_test(test_field_types),    cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_op_names),       cmocka_unit_test(test_error_reply),
        cmocka_unit_test(test_topics),         cmocka_unit_test(test_valid_id),
        cmocka_unit_test(test_parse_time),     cmocka_unit_test(test_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
