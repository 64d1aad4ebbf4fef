/* SPDX-License-Identifier: MIT */
/*
 * test_kiosk_flow — the kiosk's take → print → void state machine, driven the
 * way the app drives it: printer states decoded from real DLE EOT replies,
 * take replies shaped like the caller's, print outcomes as jh_ticket_print
 * reports them. Checks that nothing is taken without a working printer, that
 * every number the visitor does not get is voided (late replies included),
 * and that voids are resent until answered.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk_flow.h"

static jh_printer_status printer(const uint8_t *r, size_t n)
{
    jh_printer_status st;
    jh_printer_status_decode(r, n, &st);
    return st;
}
#define READY printer((const uint8_t[]){0x12, 0x12, 0x12}, 3)
#define NEAR_END printer((const uint8_t[]){0x12, 0x12, 0x1E}, 3)
#define PAPER_OUT printer((const uint8_t[]){0x1A, 0x32, 0x7E}, 3)

static const char *field(cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Starts a take for `service` and gets past the printer check; returns the take's id. */
static void take_sent(jh_flow *f, const char *service, jh_priority p, char *id, size_t len)
{
    char *json = NULL;
    assert_int_equal(jh_flow_start(f, service, p, 0, 1000), 0);
    jh_printer_status st = READY;
    assert_int_equal(jh_flow_printer_checked(f, &st, 1010, &json), 1);
    assert_non_null(json);
    cJSON *o = cJSON_Parse(json);
    snprintf(id, len, "%s", field(o, "id"));
    cJSON_Delete(o);
    free(json);
    assert_int_equal(f->phase, JH_FLOW_WAITING);
}

static char *ok_reply(const char *id, const char *ticket, int ahead)
{
    static char buf[512];
    snprintf(buf, sizeof buf,
             "{\"id\":\"%s\",\"ok\":true,\"ticket\":\"%s\",\"service\":\"%c\",\"priority\":\"none\","
             "\"ahead\":%d,\"ewt_s\":300,\"issued_at\":\"2026-11-23T09:05:07+08:00\",\"day\":20261123}",
             id, ticket, ticket[0], ahead);
    return buf;
}

static jh_reply_kind reply(jh_flow *f, const char *json, int64_t now)
{
    return jh_flow_reply(f, json, strlen(json), now);
}

static void test_take_command(void **state)
{
    (void)state;
    jh_flow f;
    char *json = NULL;
    jh_flow_init(&f, "k1", "boot7", 5000);
    assert_int_equal(jh_flow_start(&f, "A", JH_PRIO_ELDERLY, 1, 0), 0);
    assert_int_equal(jh_flow_start(&f, "B", JH_PRIO_NONE, 0, 0), -1); /* one visitor at a time */
    jh_printer_status st = NEAR_END; /* paper low still prints */
    assert_int_equal(jh_flow_printer_checked(&f, &st, 5, &json), 1);
    cJSON *o = cJSON_Parse(json);
    assert_string_equal(field(o, "op"), "take");
    assert_string_equal(field(o, "id"), "k1-boot7-1");
    assert_string_equal(field(o, "reply_to"), "k1");
    assert_string_equal(field(o, "service"), "A");
    assert_string_equal(field(o, "priority"), "elderly");
    assert_string_equal(field(o, "lang"), "en");
    cJSON_Delete(o);
    free(json);
}

static void test_printer_not_ready_takes_nothing(void **state)
{
    (void)state;
    jh_flow f;
    char *json = (char *)"x";
    jh_flow_init(&f, "k1", "b", 5000);
    jh_flow_start(&f, "A", JH_PRIO_NONE, 0, 0);
    jh_printer_status st = PAPER_OUT;
    assert_int_equal(jh_flow_printer_checked(&f, &st, 5, &json), 0);
    assert_null(json);
    assert_int_equal(f.phase, JH_FLOW_FAILED);
    assert_int_equal(f.failure, JH_FAIL_PRINTER);
    assert_int_equal(f.printer.state, JH_PRINTER_PAPER_OUT);
    assert_null(jh_flow_next_void(&f, 1)); /* nothing was issued, nothing to void */
    jh_flow_reset(&f);
    assert_int_equal(f.phase, JH_FLOW_IDLE);
}

static void test_printed(void **state)
{
    (void)state;
    jh_flow f;
    char id[64];
    jh_flow_init(&f, "k1", "b", 5000);
    take_sent(&f, "A", JH_PRIO_NONE, id, sizeof id);
    assert_int_equal(reply(&f, "{\"id\":\"someone-else\",\"ok\":true,\"ticket\":\"A009\"}", 1100), JH_REPLY_IGNORED);
    assert_int_equal(reply(&f, ok_reply(id, "A012", 3), 1200), JH_REPLY_TAKE);
    assert_int_equal(f.phase, JH_FLOW_PRINTING);
    assert_string_equal(f.ticket.ticket, "A012");
    assert_int_equal(f.ticket.ahead, 3);
    /* QoS 1 may deliver the reply twice: the second changes nothing */
    assert_int_equal(reply(&f, ok_reply(id, "A012", 3), 1300), JH_REPLY_IGNORED);
    jh_ticket_print_outcome o = {.result = JH_PRINT_OK, .status = READY};
    jh_flow_printed(&f, &o, 2000);
    assert_int_equal(f.phase, JH_FLOW_DONE);
    assert_null(jh_flow_next_void(&f, 1));
    assert_int_equal(jh_flow_tick(&f, 999999), 0); /* no timeout once answered */
}

static void test_refused(void **state)
{
    (void)state;
    jh_flow f;
    char id[64], buf[256];
    jh_flow_init(&f, "k1", "b", 5000);
    take_sent(&f, "C", JH_PRIO_NONE, id, sizeof id);
    snprintf(buf, sizeof buf, "{\"id\":\"%s\",\"ok\":false,\"error\":\"closed\",\"message\":\"service C is closed\"}", id);
    assert_int_equal(reply(&f, buf, 1100), JH_REPLY_TAKE);
    assert_int_equal(f.failure, JH_FAIL_REFUSED);
    assert_string_equal(f.error_code, "closed");
    assert_non_null(strstr(f.why, "service C is closed"));
    assert_null(jh_flow_next_void(&f, 1));
}

static void test_print_failure_voids_until_answered(void **state)
{
    (void)state;
    jh_flow f;
    char id[64], buf[256];
    jh_flow_init(&f, "k1", "b", 5000);
    take_sent(&f, "B", JH_PRIO_NONE, id, sizeof id);
    reply(&f, ok_reply(id, "B001", 0), 1100);
    jh_ticket_print_outcome o = {.result = JH_PRINT_FAILED, .status = PAPER_OUT};
    snprintf(o.message, sizeof o.message, "ticket B001 may not have printed: paper end mid-job");
    jh_flow_printed(&f, &o, 2000);
    assert_int_equal(f.failure, JH_FAIL_PRINT);
    assert_int_equal(f.printer.state, JH_PRINTER_PAPER_OUT);

    char *v = jh_flow_next_void(&f, 1);
    assert_non_null(v);
    cJSON *c = cJSON_Parse(v);
    assert_string_equal(field(c, "op"), "void");
    assert_string_equal(field(c, "ticket"), "B001");
    for (const unsigned char *p = (const unsigned char *)field(c, "reason"); *p; p++)
        assert_true(*p >= 0x20 && *p < 0x7f); /* ASCII: the caller stores it as is */
    snprintf(id, sizeof id, "%s", field(c, "id"));
    cJSON_Delete(c);
    free(v);
    assert_null(jh_flow_next_void(&f, 1)); /* sent in this session */
    v = jh_flow_next_void(&f, 2);           /* reconnected without an answer: again */
    assert_non_null(v);
    assert_non_null(strstr(v, id));
    free(v);
    snprintf(buf, sizeof buf, "{\"id\":\"%s\",\"ok\":true,\"ticket\":\"B001\"}", id);
    assert_int_equal(reply(&f, buf, 3000), JH_REPLY_VOID);
    assert_null(jh_flow_next_void(&f, 3));
}

static void test_timeout_then_late_reply(void **state)
{
    (void)state;
    jh_flow f;
    char id[64];
    jh_flow_init(&f, "k1", "b", 5000);
    take_sent(&f, "G", JH_PRIO_NONE, id, sizeof id);
    assert_int_equal(jh_flow_tick(&f, 1010 + 4999), 0);
    assert_int_equal(jh_flow_tick(&f, 1010 + 5000), 1);
    assert_int_equal(f.failure, JH_FAIL_TIMEOUT);
    jh_flow_reset(&f);
    /* the next visitor is under way when the old answer arrives */
    char id2[64];
    take_sent(&f, "A", JH_PRIO_NONE, id2, sizeof id2);
    assert_int_equal(reply(&f, ok_reply(id, "G001", 0), 9000), JH_REPLY_LATE_VOIDED);
    assert_int_equal(f.phase, JH_FLOW_WAITING); /* the current visitor is not disturbed */
    char *v = jh_flow_next_void(&f, 1);
    assert_non_null(v);
    assert_non_null(strstr(v, "\"G001\""));
    free(v);
    /* the same late reply again (QoS 1) does not void twice */
    assert_int_equal(reply(&f, ok_reply(id, "G001", 0), 9100), JH_REPLY_IGNORED);
    assert_null(jh_flow_next_void(&f, 1));
}

static void test_late_refusal_needs_nothing(void **state)
{
    (void)state;
    jh_flow f;
    char id[64], buf[200];
    jh_flow_init(&f, "k1", "b", 100);
    take_sent(&f, "A", JH_PRIO_NONE, id, sizeof id);
    jh_flow_tick(&f, 5000);
    snprintf(buf, sizeof buf, "{\"id\":\"%s\",\"ok\":false,\"error\":\"limit\"}", id);
    assert_int_equal(reply(&f, buf, 6000), JH_REPLY_IGNORED);
    assert_null(jh_flow_next_void(&f, 1));
}

static void test_unreadable_ok_reply_is_voided(void **state)
{
    (void)state;
    jh_flow f;
    char id[64], buf[200];
    jh_flow_init(&f, "k1", "b", 5000);
    take_sent(&f, "A", JH_PRIO_NONE, id, sizeof id);
    snprintf(buf, sizeof buf, "{\"id\":\"%s\",\"ok\":true,\"ticket\":\"A003\",\"ahead\":\"many\"}", id);
    assert_int_equal(reply(&f, buf, 1100), JH_REPLY_TAKE);
    assert_int_equal(f.failure, JH_FAIL_BAD_REPLY);
    char *v = jh_flow_next_void(&f, 1);
    assert_non_null(v);
    assert_non_null(strstr(v, "\"A003\""));
    free(v);
}

static void test_garbage_replies(void **state)
{
    (void)state;
    static const char *bad[] = {"", "null", "[1,2]", "{\"id\":5}", "{\"ok\":true}", "\xff\xfe{", "{\"id\":\"k1-b-1\""};
    jh_flow f;
    char id[64];
    jh_flow_init(&f, "k1", "b", 5000);
    take_sent(&f, "A", JH_PRIO_NONE, id, sizeof id);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(jh_flow_reply(&f, bad[i], strlen(bad[i]), 1100), JH_REPLY_IGNORED);
    assert_int_equal(f.phase, JH_FLOW_WAITING);
}

static void test_void_queue_overflow(void **state)
{
    (void)state;
    jh_flow f;
    char id[64];
    jh_flow_init(&f, "k1", "b", 5000);
    for (int i = 0; i < JH_FLOW_MAX_VOIDS + 1; i++) {
        char t[16];
        snprintf(t, sizeof t, "A%03d", i + 1);
        take_sent(&f, "A", JH_PRIO_NONE, id, sizeof id);
        reply(&f, ok_reply(id, t, 0), 1100);
        jh_ticket_print_outcome o = {.result = JH_PRINT_FAILED, .status = PAPER_OUT};
        jh_flow_printed(&f, &o, 1200);
        jh_flow_reset(&f);
    }
    assert_int_equal(f.n_voids, JH_FLOW_MAX_VOIDS);
    assert_int_equal(f.voids_dropped, 1);
    char *v = jh_flow_next_void(&f, 1);
    assert_non_null(strstr(v, "\"A002\"")); /* the oldest gave way */
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_take_command),
        cmocka_unit_test(test_printer_not_ready_takes_nothing),
        cmocka_unit_test(test_printed),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_print_failure_voids_until_answered),
        cmocka_unit_test(test_timeout_then_late_reply),
        cmocka_unit_test(test_late_refusal_needs_nothing),
        cmocka_unit_test(test_unreadable_ok_reply_is_voided),
        cmocka_unit_test(test_garbage_replies),
        cmocka_unit_test(test_void_queue_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
