/* SPDX-License-Identifier: MIT */
/*
 * test_web_msg — the browser message parser (web/ws_msg.c): good staff
 * commands and citizen ratings, and each way a message is refused with its
 * code: too large, not UTF-8, bad JSON, repeated keys, unknown type, a
 * missing or ill-typed field, a missing csrf, fields only the server may
 * set. A refused message leaves nothing to free; the id of a refused
 * command is kept when it could be read, so the page can match the refusal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ws_msg.h"

static jh_ws_msg m;
static jh_ws_error e;

static int parse(const char *text, jh_ws_socket_kind kind)
{
    return jh_ws_msg_parse(text, strlen(text), kind, &m, &e);
}

static void refused(const char *text, jh_ws_socket_kind kind, const char *code)
{
    if (parse(text, kind) == 0) {
        jh_ws_msg_clear(&m);
        fail_msg("accepted: %s", text);
    }
    if (strcmp(e.code, code) != 0)
        fail_msg("%s: got %s (%s), want %s", text, e.code, e.message, code);
    assert_null(m.fields);
    assert_true(e.message[0] != '\0');
}

static void test_good_command(void **state)
{
    (void)state;
    assert_int_equal(parse("{\"type\":\"cmd\",\"id\":\"b-17\",\"csrf\":\"tok\",\"op\":\"transfer\","
                           "\"counter\":\"c02\",\"to_service\":\"B\",\"extra\":[1,{\"x\":null}]}",
                           JH_WS_STAFF),
                     0);
    assert_int_equal(m.type, JH_WS_CMD);
    assert_string_equal(m.id, "b-17");
    assert_string_equal(m.csrf, "tok");
    assert_string_equal(m.op, "transfer");
    assert_string_equal(m.counter, "c02");
    /* What goes on: everything but type, id and csrf. */
    assert_null(cJSON_GetObjectItemCaseSensitive(m.fields, "type"));
    assert_null(cJSON_GetObjectItemCaseSensitive(m.fields, "id"));
    assert_null(cJSON_GetObjectItemCaseSensitive(m.fields, "csrf"));
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(m.fields, "op")->valuestring, "transfer");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(m.fields, "to_service")->valuestring, "B");
    assert_non_null(cJSON_GetObjectItemCaseSensitive(m.fields, "extra"));
    jh_ws_msg_clear(&m);
    assert_null(m.fields);
    /* No counter, null counter, whitespace around the object. */
    assert_int_equal(parse(" \n{\"type\":\"cmd\",\"id\":\"1\",\"csrf\":\"t\",\"op\":\"call-next\",\"counter\":null}\r\n",
                           JH_WS_STAFF),
                     0);
    assert_string_equal(m.counter, "");
    jh_ws_msg_clear(&m);
}

static void test_good_rating(void **state)
{
    (void)state;
    assert_int_equal(parse("{\"type\":\"rate\",\"score\":5}", JH_WS_CITIZEN), 0);
    assert_int_equal(m.type, JH_WS_RATE);
    assert_int_equal(m.score, 5);
    assert_string_equal(m.id, "");
    assert_null(m.fields);
    assert_int_equal(parse("{\"type\":\"rate\",\"score\":1.0,\"id\":\"r1\"}", JH_WS_CITIZEN), 0);
    assert_int_equal(m.score, 1);
    assert_string_equal(m.id, "r1");
}

static void test_too_large(void **state)
{
    (void)state;
    size_t n = JH_WS_MSG_MAX + 1;
    char *big = malloc(n + 1);
    memset(big, ' ', n);
    memcpy(big, "{\"type\":\"zzz\"", 13);
    big[n - 1] = '}';
    big[n] = '\0';
    refused(big, JH_WS_STAFF, "too-large");
    /* Exactly the limit is read. */
    big[JH_WS_MSG_MAX - 1] = '}';
    big[JH_WS_MSG_MAX] = '\0';
    refused(big, JH_WS_STAFF, "unknown-type");
    free(big);
}

static void test_bad_json_and_encoding(void **state)
{
    (void)state;
    refused("", JH_WS_STAFF, "bad-json");
    refused("not json", JH_WS_STAFF, "bad-json");
    refused("{\"type\":\"cmd\"", JH_WS_STAFF, "bad-json");
    refused("[1,2]", JH_WS_STAFF, "bad-json");
    refused("\"cmd\"", JH_WS_STAFF, "bad-json");
    refused("{\"type\":\"cmd\"} {}", JH_WS_STAFF, "bad-json");
    refused("{\"type\":\"cmd\",\"type\":\"cmd\",\"id\":\"1\",\"csrf\":\"t\",\"op\":\"x\"}", JH_WS_STAFF, "bad-json");
    refused("{\"type\":\"rate\",\"score\":3,\"score\":5}", JH_WS_CITIZEN, "bad-json");
    refused("{\"type\":\"cmd\",\"op\":\"\xff\xfe\"}", JH_WS_STAFF, "bad-json");
    refused("{\"type\":\"cmd\",\"op\":\"\xc0\xaf\"}", JH_WS_STAFF, "bad-json"); /* overlong */
    refused("{\"type\":\"cmd\",\"op\":\"\xed\xa0\x80\"}", JH_WS_STAFF, "bad-json"); /* a surrogate */
    /* A NUL byte inside the message. */
    static const char nul[] = "{\"type\":\"rate\",\"score\":5}\0";
    assert_int_equal(jh_ws_msg_parse(nul, sizeof nul - 1, JH_WS_CITIZEN, &m, &e), -1);
    assert_string_equal(e.code, "bad-json");
    /* Too many members. */
    char many[4096] = "{\"type\":\"cmd\"";
    for (int i = 0; i < JH_WS_FIELDS_MAX; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), ",\"f%d\":1", i);
    strcat(many, "}");
    refused(many, JH_WS_STAFF, "bad-json");
    /* Deep nesting is parsed without harm (cJSON's own limit) and refused or passed on whole. */
    char deep[8000];
    size_t d = 0;
    d += (size_t)snprintf(deep, sizeof deep, "{\"type\":\"cmd\",\"id\":\"1\",\"csrf\":\"t\",\"op\":\"audit\",\"x\":");
    for (int i = 0; i < 3000; i++)
        deep[d++] = '[';
    deep[d] = '\0';
    refused(deep, JH_WS_STAFF, "bad-json");
}

static void test_unknown_type(void **state)
{
    (void)state;
    refused("{}", JH_WS_STAFF, "unknown-type");
    refused("{\"type\":\"hello\"}", JH_WS_STAFF, "unknown-type");
    refused("{\"type\":1}", JH_WS_STAFF, "unknown-type");
    refused("{\"type\":\"CMD\"}", JH_WS_STAFF, "unknown-type");
    /* Each socket takes only its own kind. */
    refused("{\"type\":\"rate\",\"score\":5}", JH_WS_STAFF, "unknown-type");
    refused("{\"type\":\"cmd\",\"id\":\"1\",\"csrf\":\"t\",\"op\":\"call-next\"}", JH_WS_CITIZEN, "unknown-type");
}

static void test_fields(void **state)
{
    (void)state;
    refused("{\"type\":\"cmd\",\"csrf\":\"t\",\"op\":\"call-next\"}", JH_WS_STAFF, "missing-field");
    refused("{\"type\":\"cmd\",\"id\":7,\"csrf\":\"t\",\"op\":\"call-next\"}", JH_WS_STAFF, "bad-field");
    refused("{\"type\":\"cmd\",\"id\":\"\",\"csrf\":\"t\",\"op\":\"call-next\"}", JH_WS_STAFF, "bad-field");
    refused("{\"type\":\"cmd\",\"id\":\"a b\",\"csrf\":\"t\",\"op\":\"call-next\"}", JH_WS_STAFF, "bad-field");
    refused("{\"type\":\"cmd\",\"id\":\"1234567890123456789012345678901234567890123456789012345678901234\","
            "\"csrf\":\"t\",\"op\":\"call-next\"}",
            JH_WS_STAFF, "bad-field");
    refused("{\"type\":\"cmd\",\"id\":\"1\",\"csrf\":\"t\"}", JH_WS_STAFF, "missing-field");
    assert_string_equal(e.id, "1"); /* the refusal can still be matched */
    refused("{\"type\":\"cmd\",\"id\":\"1\",\"csrf\":\"t\",\"op\":5}", JH_WS_STAFF, "bad-field");
    refused("{\"type\":\"cmd\",\"id\":\"1\",\"csrf\":\"t\",\"op\":\"Call-Next\"}", JH_WS_STAFF, "bad-field");
    refused("{\"type\":\"cmd\",\"id\":\"1\",\"csrf\":\"t\",\"op\":\"call next\"}", JH_WS_STAFF, "bad-field");
    refused("{\"type\":\"cmd\",\"id\":\"1\",\"csrf\":\"t\",\"op\":\"call-next\",\"counter\":3}", JH_WS_STAFF,
            "bad-field");
    refused("{\"type\":\"cmd\",\"id\":\"1\",\"csrf\":\"t\",\"op\":\"call-next\",\"counter\":\"c01/cmd\"}",
            JH_WS_STAFF, "bad-field");
    refused("{\"type\":\"cmd\",\"id\":\"1\",\"csrf\":\"t\",\"op\":\"call-next\",\"counter\":\"#\"}", JH_WS_STAFF,
            "bad-field");
    /* What only the server sets. */
    refused("{\"type\":\"cmd\",\"id\":\"1\",\"csrf\":\"t\",\"op\":\"call-next\",\"by\":\"9999\"}", JH_WS_STAFF,
            "bad-field");
    refused("{\"type\":\"cmd\",\"id\":\"1\",\"csrf\":\"t\",\"op\":\"call-next\",\"reply_to\":\"c01\"}",
            JH_WS_STAFF, "bad-field");
    /* Ratings: a whole score 1..5 and nothing else. */
    refused("{\"type\":\"rate\"}", JH_WS_CITIZEN, "missing-field");
    refused("{\"type\":\"rate\",\"score\":0}", JH_WS_CITIZEN, "bad-field");
    refused("{\"type\":\"rate\",\"score\":6}", JH_WS_CITIZEN, "bad-field");
    refused("{\"type\":\"rate\",\"score\":4.5}", JH_WS_CITIZEN, "bad-field");
    refused("{\"type\":\"rate\",\"score\":\"5\"}", JH_WS_CITIZEN, "bad-field");
    refused("{\"type\":\"rate\",\"score\":1e400}", JH_WS_CITIZEN, "bad-field");
    refused("{\"type\":\"rate\",\"score\":5,\"token\":\"someone-elses-ticket00\"}", JH_WS_CITIZEN, "bad-field");
    refused("{\"type\":\"rate\",\"score\":5,\"id\":3}", JH_WS_CITIZEN, "bad-field");
}

static void test_csrf_required(void **state)
{
    (void)state;
    refused("{\"type\":\"cmd\",\"id\":\"c1\",\"op\":\"call-next\"}", JH_WS_STAFF, "csrf");
    assert_string_equal(e.id, "c1");
    refused("{\"type\":\"cmd\",\"id\":\"c1\",\"csrf\":null,\"op\":\"call-next\"}", JH_WS_STAFF, "csrf");
    refused("{\"type\":\"cmd\",\"id\":\"c1\",\"csrf\":\"\",\"op\":\"call-next\"}", JH_WS_STAFF, "csrf");
    refused("{\"type\":\"cmd\",\"id\":\"c1\",\"csrf\":42,\"op\":\"call-next\"}", JH_WS_STAFF, "csrf");
    char longer[200];
    snprintf(longer, sizeof longer, "{\"type\":\"cmd\",\"id\":\"c1\",\"csrf\":\"%064d\",\"op\":\"call-next\"}", 0);
    refused(longer, JH_WS_STAFF, "csrf");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_command), cmocka_unit_test(test_good_rating),
        cmocka_unit_test(test_too_large),    cmocka_unit_test(test_bad_json_and_encoding),
        cmocka_unit_test(test_unknown_type), cmocka_unit_test(test_fields),
        cmocka_unit_test(test_csrf_required),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
