/* SPDX-License-Identifier: MIT */
/*
 * test_staff_protocol — the wire side of staff identity (common/protocol):
 * `by` and `secret` on any command, the roster's admin ops and their fields,
 * read strictly and written back unchanged (jh_command_to_json), and the
 * staff-locked alert through the event codec.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "event_payload.h"
#include "protocol.h"

static const jh_origin COUNTER = {JH_ORIGIN_COUNTER, "c03"};
static const jh_origin ADMIN = {JH_ORIGIN_ADMIN, "admin"};

static jh_command cmd;
static jh_error err;

static int parse(const char *text, const jh_origin *o)
{
    return jh_command_parse(text, strlen(text), o, &cmd, &err);
}

static void refused(const char *text, const jh_origin *o, const char *code, const char *field)
{
    if (parse(text, o) != -1 || strcmp(err.code, code) != 0 || !strstr(err.message, field))
        fail_msg("%s: %s %s, want %s naming %s", text, err.code, err.message, code, field);
}

static void roundtrip(const jh_command *in, const jh_origin *o)
{
    char *json = jh_command_to_json(in);
    assert_non_null(json);
    jh_command *out = malloc(sizeof *out);
    assert_non_null(out);
    if (jh_command_parse(json, strlen(json), o, out, &err) != 0)
        fail_msg("%s: %s %s", json, err.code, err.message);
    assert_memory_equal(in, out, sizeof *out);
    free(out);
    free(json);
}

static void test_login_secret_and_by(void **state)
{
    (void)state;
    assert_int_equal(parse("{\"id\":\"w-1\",\"op\":\"login\",\"staff_id\":\"1001\",\"secret\":\"100 101\","
                           "\"by\":\"1001\"}", &COUNTER), 0);
    assert_string_equal(cmd.secret, "100 101");
    assert_string_equal(cmd.by, "1001");
    assert_int_equal(parse("{\"id\":\"w-2\",\"op\":\"call-next\",\"by\":\"3001\"}", &COUNTER), 0);
    assert_string_equal(cmd.by, "3001");
    refused("{\"id\":\"w-3\",\"op\":\"call-next\",\"by\":\"30 01\"}", &COUNTER, "bad-field", "by");
    refused("{\"id\":\"w-4\",\"op\":\"login\",\"staff_id\":\"1\",\"secret\":7}", &COUNTER, "bad-field",
            "secret");
    refused("{\"id\":\"w-5\",\"op\":\"login\",\"staff_id\":\"1\",\"secret\":\"a\\nb\"}", &COUNTER,
            "bad-field", "secret");
    refused("{\"id\":\"w-6\",\"op\":\"staff-list\"}", &COUNTER, "wrong-origin", "counter");
}

static void test_staff_fields(void **state)
{
    (void)state;
    assert_int_equal(parse("{\"id\":\"a-1\",\"op\":\"staff-add\",\"staff_id\":\"1001\",\"name\":\"王芳\","
                           "\"roles\":[\"staff\",\"guide\"],\"counters\":[\"c01\",\"c03\"],"
                           "\"services\":[],\"photo\":\"wang-fang.jpg\",\"enabled\":false}", &ADMIN), 0);
    assert_int_equal(cmd.op, JH_OP_STAFF_ADD);
    assert_string_equal(cmd.staff_name, "王芳");
    assert_string_equal(cmd.roles, "staff;guide");
    assert_string_equal(cmd.counters, "c01;c03");
    assert_string_equal(cmd.services, "");
    assert_int_equal(cmd.staff_fields, JH_SF_NAME | JH_SF_ROLES | JH_SF_COUNTERS | JH_SF_SERVICES |
                                           JH_SF_PHOTO | JH_SF_ENABLED);
    assert_int_equal(cmd.enabled, 0);
    refused("{\"id\":\"a-2\",\"op\":\"staff-add\",\"staff_id\":\"1001\"}", &ADMIN, "missing-field", "name");
    refused("{\"id\":\"a-3\",\"op\":\"staff-add\",\"staff_id\":\"1\",\"name\":\"x\",\"roles\":[\"boss\"]}",
            &ADMIN, "bad-field", "roles");
    refused("{\"id\":\"a-4\",\"op\":\"staff-add\",\"staff_id\":\"1\",\"name\":\"x\",\"roles\":\"staff\"}",
            &ADMIN, "bad-field", "array");
    refused("{\"id\":\"a-5\",\"op\":\"staff-update\",\"staff_id\":\"1\",\"counters\":[\"c01\",\"c01\"]}",
            &ADMIN, "bad-field", "twice");
    refused("{\"id\":\"a-6\",\"op\":\"staff-update\",\"staff_id\":\"1\",\"covers\":[3]}", &ADMIN,
            "bad-field", "covers");
    refused("{\"id\":\"a-7\",\"op\":\"staff-update\",\"staff_id\":\"1\",\"photo\":\"../etc/passwd\"}",
            &ADMIN, "bad-field", "photo");
    refused("{\"id\":\"a-8\",\"op\":\"staff-update\",\"staff_id\":\"1\",\"enabled\":1}", &ADMIN,
            "bad-field", "enabled");
    /* staff-update needs only the id: it changes what it names */
    assert_int_equal(parse("{\"id\":\"a-9\",\"op\":\"staff-update\",\"staff_id\":\"1\"}", &ADMIN), 0);
    assert_int_equal(cmd.staff_fields, 0);
    refused("{\"id\":\"a-10\",\"op\":\"staff-set-secret\",\"staff_id\":\"1\"}", &ADMIN, "missing-field",
            "secret");
    refused("{\"id\":\"a-11\",\"op\":\"staff-auth\",\"secret\":\"x\"}", &ADMIN, "missing-field", "staff_id");
}

static void test_import_and_audit_fields(void **state)
{
    (void)state;
    assert_int_equal(parse("{\"id\":\"i-1\",\"op\":\"staff-import\",\"csv\":\"a,b\\r\\nc,\\td\\n\"}", &ADMIN), 0);
    assert_string_equal(cmd.csv, "a,b\r\nc,\td\n");
    refused("{\"id\":\"i-2\",\"op\":\"staff-import\"}", &ADMIN, "missing-field", "csv");
    refused("{\"id\":\"i-3\",\"op\":\"staff-import\",\"csv\":\"a\\u0001\"}", &ADMIN, "bad-field", "csv");
    assert_int_equal(parse("{\"id\":\"q-1\",\"op\":\"audit\",\"staff_id\":\"1001\",\"counter\":\"c03\","
                           "\"ticket\":\"A012\",\"day\":20261123,\"limit\":50}", &ADMIN), 0);
    assert_string_equal(cmd.counter, "c03");
    assert_int_equal(cmd.day, 20261123);
    assert_int_equal(cmd.limit, 50);
    refused("{\"id\":\"q-2\",\"op\":\"audit\",\"limit\":501}", &ADMIN, "bad-field", "limit");
    refused("{\"id\":\"q-3\",\"op\":\"audit\",\"limit\":2.5}", &ADMIN, "bad-field", "limit");
    refused("{\"id\":\"q-4\",\"op\":\"audit\",\"day\":\"today\"}", &ADMIN, "bad-field", "day");
}

static void test_roundtrips(void **state)
{
    (void)state;
    static jh_command c;
    memset(&c, 0, sizeof c);
    strcpy(c.id, "a-1");
    c.op = JH_OP_STAFF_ADD;
    strcpy(c.by, "9001");
    strcpy(c.staff_id, "1001");
    strcpy(c.staff_name, "王芳");
    strcpy(c.department, "社保科");
    strcpy(c.photo, "1001.png");
    strcpy(c.roles, "staff;supervisor");
    strcpy(c.counters, "c01;c02");
    strcpy(c.covers, "1002");
    strcpy(c.secret, "pass word");
    c.enabled = 1;
    c.staff_fields = JH_SF_NAME | JH_SF_DEPARTMENT | JH_SF_PHOTO | JH_SF_ROLES | JH_SF_COUNTERS |
                     JH_SF_SERVICES | JH_SF_COVERS | JH_SF_SECRET | JH_SF_ENABLED;
    roundtrip(&c, &ADMIN);
    c.op = JH_OP_STAFF_UPDATE;
    c.staff_fields = JH_SF_COUNTERS;
    memset(c.staff_name, 0, sizeof c.staff_name);
    memset(c.department, 0, sizeof c.department);
    memset(c.photo, 0, sizeof c.photo);
    memset(c.roles, 0, sizeof c.roles);
    memset(c.covers, 0, sizeof c.covers);
    memset(c.secret, 0, sizeof c.secret);
    c.enabled = 0;
    roundtrip(&c, &ADMIN);
    memset(&c, 0, sizeof c);
    strcpy(c.id, "i-1");
    c.op = JH_OP_STAFF_IMPORT;
    strcpy(c.csv, "staff_id,name\r\n1001,\"王, 芳\"\n");
    roundtrip(&c, &ADMIN);
    memset(&c, 0, sizeof c);
    strcpy(c.id, "q-1");
    c.op = JH_OP_AUDIT;
    strcpy(c.staff_id, "1001");
    strcpy(c.counter, "c01");
    c.day = 20261123;
    c.limit = 10;
    roundtrip(&c, &ADMIN);
    static const jh_op plain[] = {JH_OP_STAFF_LIST, JH_OP_STAFF_DISABLE, JH_OP_STAFF_AUTH,
                                  JH_OP_STAFF_SET_SECRET};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        memset(&c, 0, sizeof c);
        strcpy(c.id, "p-1");
        c.op = plain[i];
        if (c.op != JH_OP_STAFF_LIST)
            strcpy(c.staff_id, "1001");
        if (c.op == JH_OP_STAFF_AUTH || c.op == JH_OP_STAFF_SET_SECRET)
            strcpy(c.secret, "100101");
        roundtrip(&c, &ADMIN);
    }
    memset(&c, 0, sizeof c);
    strcpy(c.id, "l-1");
    c.op = JH_OP_LOGIN;
    strcpy(c.staff_id, "1001");
    strcpy(c.secret, "100101");
    strcpy(c.by, "1001");
    roundtrip(&c, &COUNTER);
}

static void test_staff_locked_alert(void **state)
{
    (void)state;
    jh_event_payload ev, back;
    memset(&ev, 0, sizeof ev);
    ev.kind = JH_EVENT_ALERT_STAFF_LOCKED;
    ev.seq = 42;
    ev.counter_number = -1;
    strcpy(ev.staff_id, "1001");
    strcpy(ev.staff_name, "王芳");
    strcpy(ev.until, "2026-11-23T09:15:00+08:00");
    strcpy(ev.at, "2026-11-23T09:00:00+08:00");
    cJSON *o = jh_event_encode(&ev);
    char *text = cJSON_PrintUnformatted(o);
    assert_string_equal(text, "{\"seq\":42,\"kind\":\"staff-locked\",\"staff_id\":\"1001\","
                              "\"staff_name\":\"王芳\",\"until\":\"2026-11-23T09:15:00+08:00\","
                              "\"at\":\"2026-11-23T09:00:00+08:00\"}");
    assert_string_equal(jh_event_kind_name(ev.kind), "alert");
    memset(&back, 0, sizeof back);
    assert_int_equal(jh_event_decode("alert", o, &back), 0);
    assert_int_equal(back.kind, JH_EVENT_ALERT_STAFF_LOCKED);
    assert_string_equal(back.until, ev.until);
    free(text);
    cJSON_Delete(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_secret_and_by),
        cmocka_unit_test(test_staff_fields),
        cmocka_unit_test(test_import_and_audit_fields),
        cmocka_unit_test(test_roundtrips),
        cmocka_unit_test(test_staff_locked_alert),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
