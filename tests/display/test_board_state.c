/* SPDX-License-Identifier: MIT */
/*
 * test_board_state — the boards' model of the caller's published state and events:
 * parsing, ordering, clearing, duplicates, gaps, resets, and refusing bad input
 * without changing anything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "board_state.h"
#include "utf8_text.h"

#define P "jh/v1/hall-1/"

static jh_board *B;

static int setup(void **state)
{
    (void)state;
    B = malloc(sizeof *B);
    jh_board_init(B, "hall-1");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(B);
    return 0;
}

static int apply(const char *topic, const char *json, jh_board_update *up)
{
    char err[256];
    jh_board_update tmp;
    return jh_board_apply(B, topic, json, json ? strlen(json) : 0, up ? up : &tmp, err, sizeof err);
}

static void test_counter_parsed_and_sorted(void **state)
{
    (void)state;
    assert_int_equal(apply(P "state/counter/c10", "{\"number\":10,\"status\":\"idle\"}", NULL), 0);
    assert_int_equal(apply(P "state/counter/c02",
                           "{\"counter\":\"c02\",\"number\":2,\"name\":\"2号窗口\",\"status\":\"paused\","
                           "\"ticket\":null,\"staff_id\":\"1024\",\"staff_name\":\"王小明\","
                           "\"message\":\"去3楼取材料\",\"call_count\":0,\"overrun\":true}", NULL), 0);
    assert_int_equal(B->n_counters, 2);
    assert_string_equal(B->counters[0].id, "c02"); /* by number, not by arrival */
    assert_int_equal(B->counters[0].status, JH_COUNTER_PAUSED);
    assert_string_equal(B->counters[0].message, "去3楼取材料");
    assert_string_equal(B->counters[0].staff_name, "王小明");
    assert_string_equal(B->counters[0].ticket, "");
    assert_int_equal(B->counters[0].overrun, 1);
    /* an update replaces the whole entry and re-sorts when the number changes */
    assert_int_equal(apply(P "state/counter/c02", "{\"number\":12,\"status\":\"serving\",\"ticket\":\"A001\"}", NULL), 0);
    assert_int_equal(B->n_counters, 2);
    assert_string_equal(B->counters[1].id, "c02");
    assert_string_equal(B->counters[1].message, "");
    assert_string_equal(B->counters[1].ticket, "A001");
    /* an empty retained payload clears it */
    assert_int_equal(apply(P "state/counter/c10", NULL, NULL), 0);
    assert_int_equal(B->n_counters, 1);
    assert_null(jh_board_counter_find(B, "c10"));
}

static void test_missing_and_mistyped_fields(void **state)
{
    (void)state;
    assert_int_equal(apply(P "state/service/A", "{\"waiting\":\"lots\",\"ewt_s\":1e300,\"open\":\"yes\"}", NULL), 0);
    const jh_board_service *s = jh_board_service_find(B, "A");
    assert_non_null(s);
    assert_int_equal(s->waiting, -1);
    assert_int_equal(s->ewt_s, -1);
    assert_int_equal(s->open, -1);
    assert_int_equal(apply(P "state/counter/c01", "{\"status\":\"dancing\",\"number\":-4,\"staff_id\":1024}", NULL), 0);
    assert_int_equal(jh_board_counter_find(B, "c01")->status, JH_COUNTER_UNKNOWN);
    assert_int_equal(jh_board_counter_find(B, "c01")->number, 0);
    assert_string_equal(jh_board_counter_find(B, "c01")->staff_id, "1024");
}

static void test_bad_input_changes_nothing(void **state)
{
    (void)state;
    char err[256];
    jh_board_update up;
    apply(P "state/counter/c01", "{\"number\":1,\"status\":\"idle\"}", NULL);
    jh_board *before = malloc(sizeof *before);
    memcpy(before, B, sizeof *B);
    const char *bad[] = {"{", "[1,2]", "\"text\"", "null", "{\"a\":}", "\xff\xfe"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(jh_board_apply(B, P "state/counter/c01", bad[i], strlen(bad[i]), &up, err, sizeof err), -1);
        assert_true(strlen(err) > 0);
    }
    assert_int_equal(jh_board_apply(B, "jh/v1/other-hall/state/counter/c01", "{}", 2, &up, err, sizeof err), -1);
    assert_int_equal(jh_board_apply(B, "jh/v1/hall-10/state/hall", "{}", 2, &up, err, sizeof err), -1);
    assert_memory_equal(before, B, sizeof *B);
    free(before);
    /* ids that are not ids are passed over, not stored */
    assert_int_equal(apply(P "state/counter/a/b", "{\"number\":1}", NULL), 0);
    assert_int_equal(apply(P "state/counter/", "{\"number\":1}", NULL), 0);
    assert_int_equal(B->n_counters, 1);
}

static void test_call_event_duplicate_and_gap(void **state)
{
    (void)state;
    jh_board_update up;
    apply(P "state/hall", "{\"seq\":40,\"last_called\":[{\"ticket\":\"B002\",\"counter\":\"c04\",\"counter_number\":4}]}", NULL);
    assert_int_equal(apply(P "event/called", "{\"seq\":41,\"ticket\":\"A012\",\"counter\":\"c03\","
                           "\"counter_number\":3,\"counter_name\":\"3号窗口\"}", &up), 0);
    assert_int_equal(up.kind, JH_UPDATE_CALL);
    assert_int_equal(up.gap, 0);
    assert_string_equal(up.call.ticket, "A012");
    assert_int_equal(up.call.counter_number, 3);
    assert_int_equal(B->n_history, 2);
    assert_string_equal(B->history[0].ticket, "A012");
    /* QoS 1 may deliver twice: not a second announcement */
    assert_int_equal(apply(P "event/called", "{\"seq\":41,\"ticket\":\"A012\",\"counter\":\"c03\"}", &up), 0);
    assert_int_equal(up.kind, JH_UPDATE_DUPLICATE);
    /* a non-call event only moves seq */
    assert_int_equal(apply(P "event/finished", "{\"seq\":42,\"ticket\":\"A012\"}", &up), 0);
    assert_int_equal(up.kind, JH_UPDATE_EVENT);
    /* 43 and 44 were missed */
    assert_int_equal(apply(P "event/recalled", "{\"seq\":45,\"ticket\":\"B002\",\"counter\":\"c04\",\"counter_number\":4}", &up), 0);
    assert_int_equal(up.kind, JH_UPDATE_CALL);
    assert_int_equal(up.call.recall, 1);
    assert_int_equal(up.gap, 1);
    assert_int_equal(up.expected_seq, 43);
    assert_int_equal(up.got_seq, 45);
    assert_string_equal(B->history[0].ticket, "B002"); /* a recall moves it to the front, once */
    assert_int_equal(B->n_history, 2);
}

static void test_state_before_event_still_announces(void **state)
{
    (void)state;
    jh_board_update up;
    apply(P "event/issued", "{\"seq\":9}", NULL);
    /* the caller may publish state/hall (counting event 10) before event 10 itself */
    apply(P "state/hall", "{\"seq\":10,\"last_called\":[{\"ticket\":\"A005\",\"counter\":\"c01\"}]}", NULL);
    assert_int_equal(apply(P "event/called", "{\"seq\":10,\"ticket\":\"A005\",\"counter\":\"c01\"}", &up), 0);
    assert_int_equal(up.kind, JH_UPDATE_CALL);
    assert_int_equal(up.gap, 0);
}

static void test_hall_behind_event_keeps_newest_call(void **state)
{
    (void)state;
    apply(P "event/called", "{\"seq\":20,\"ticket\":\"C001\",\"counter\":\"c05\"}", NULL);
    /* an older state/hall (seq 19) must not push the newer call out of the history */
    apply(P "state/hall", "{\"seq\":19,\"notice\":\"今日下午暂停办理不动产登记\",\"open\":false,"
                          "\"last_called\":[{\"ticket\":\"B009\",\"counter\":\"c04\"},{\"counter\":\"c01\"},\"x\"]}", NULL);
    assert_int_equal(B->n_history, 2);
    assert_string_equal(B->history[0].ticket, "C001");
    assert_string_equal(B->history[1].ticket, "B009");
    assert_string_equal(B->notice, "今日下午暂停办理不动产登记");
    assert_int_equal(B->open, 0);
    /* once state/hall has caught up, its list is the history */
    apply(P "state/hall", "{\"seq\":20,\"last_called\":[{\"ticket\":\"C001\",\"counter\":\"c05\"}]}", NULL);
    assert_int_equal(B->n_history, 1);
}

static void test_seq_reset_detected(void **state)
{
    (void)state;
    jh_board_update up;
    apply(P "event/called", "{\"seq\":500,\"ticket\":\"A100\",\"counter\":\"c01\"}", NULL);
    assert_int_equal(apply(P "state/hall", "{\"seq\":0,\"last_called\":[]}", &up), 0);
    assert_int_equal(up.seq_reset, 1);
    assert_int_equal(apply(P "event/called", "{\"seq\":1,\"ticket\":\"A001\",\"counter\":\"c01\"}", &up), 0);
    assert_int_equal(up.kind, JH_UPDATE_CALL);
}

static void test_caller_status(void **state)
{
    (void)state;
    assert_int_equal(B->caller_online, -1);
    apply(P "status/caller", "{\"online\":true}", NULL);
    assert_int_equal(B->caller_online, 1);
    apply(P "status/caller", "{\"online\":false}", NULL);
    assert_int_equal(B->caller_online, 0);
    apply(P "status/caller", NULL, NULL);
    assert_int_equal(B->caller_online, -1);
    apply(P "status/kiosk-k1", "{\"online\":true}", NULL); /* someone else's status */
    assert_int_equal(B->caller_online, -1);
}

static void test_clean_text(void **state)
{
    (void)state;
    char out[16];
    jh_clean_text(out, sizeof out, "a\nb\tc");
    assert_string_equal(out, "a b c");
    jh_clean_text(out, sizeof out, "x\xff\xc0\xafy");
    assert_string_equal(out, "x???y");
    jh_clean_text(out, sizeof out, "\xed\xa0\x80"); /* a UTF-16 surrogate is not text */
    assert_string_equal(out, "???");
    jh_clean_text(out, 8, "窗口窗口"); /* 12 bytes into 8: whole characters only */
    assert_string_equal(out, "窗口");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_counter_parsed_and_sorted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_and_mistyped_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_call_event_duplicate_and_gap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_state_before_event_still_announces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hall_behind_event_keeps_newest_call, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seq_reset_detected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caller_status, setup, teardown),
        cmocka_unit_test(test_clean_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
