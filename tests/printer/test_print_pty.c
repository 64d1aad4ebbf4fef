/* SPDX-License-Identifier: MIT */
/*
 * test_print_pty — the kiosk's printing stack against jiaohao-printer-emu
 * through a real pseudo-terminal: a printed ticket reads back as laid out;
 * paper out, cover open, a silent or babbling printer are reported as such
 * and nothing is sent; a printer that goes silent or runs out of paper
 * mid-ticket makes the job fail. Each test starts its own emulator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "emu_fixture.h"
#include "hall_config.h"
#include "printer.h"
#include "ticket_print.h"

typedef struct {
    emu_fixture emu;
    jh_printer_config pc;
    jh_printer *printer;
} fixture;

static jh_hall_config *g_cfg;

static int setup_paper(void **state, const char *paper)
{
    fixture *f = calloc(1, sizeof *f);
    char err[256];
    if (!f || emu_start(&f->emu, paper) != 0)
        return -1;
    jh_printer_config_defaults(&f->pc);
    snprintf(f->pc.device, sizeof f->pc.device, "%s", f->emu.pty);
    f->pc.baud = 115200;
    /* Generous on purpose: under ASan on a loaded 2-core machine the emulator
     * may take a while to answer, and a slow answer must not read as a fault.
     * The assertions below check that a timeout was waited for, never how fast. */
    f->pc.status_timeout_ms = 1000;
    f->pc.job_timeout_ms = 30000;
    f->pc.paper_mm = atoi(paper);
    f->pc.columns = f->pc.paper_mm == 58 ? 32 : 48;
    if (jh_printer_open(&f->printer, &f->pc, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    *state = f;
    return 0;
}

static int setup80(void **state) { return setup_paper(state, "80"); }
static int setup58(void **state) { return setup_paper(state, "58"); }

static int teardown(void **state)
{
    fixture *f = *state;
    jh_printer_close(f->printer);
    emu_stop(&f->emu);
    free(f);
    return 0;
}

static void emu_say(fixture *f, const char *line) { assert_int_equal(emu_cmd(&f->emu, line), 0); }

static cJSON *read_ticket(fixture *f, int n) { return emu_ticket(&f->emu, n); }

static jh_issued_ticket ticket(const char *number, const char *service, jh_priority p)
{
    jh_issued_ticket t = {.priority = p, .ahead = 3, .ewt_s = 300, .issued_at = "2026-11-23T09:05:07+08:00",
                          .day = 20261123};
    snprintf(t.ticket, sizeof t.ticket, "%s", number);
    snprintf(t.service, sizeof t.service, "%s", service);
    return t;
}

static jh_print_result print(fixture *f, const char *number, jh_ticket_print_outcome *o)
{
    jh_issued_ticket t = ticket(number, "A", JH_PRIO_NONE);
    return jh_ticket_print(f->printer, g_cfg, &f->pc, &t, o);
}

/* ---- tests ---- */

static void test_ready(void **state)
{
    fixture *f = *state;
    jh_printer_status st;
    assert_int_equal(jh_printer_query(f->printer, &st), 0);
    assert_int_equal(st.state, JH_PRINTER_READY);
    assert_int_equal(st.n_reply, 3);
}

static void test_printed_ticket_reads_back(void **state)
{
    fixture *f = *state;
    jh_ticket_print_outcome o;
    jh_issued_ticket t = ticket("A012", "A", JH_PRIO_DISABLED);
    assert_int_equal(jh_ticket_print(f->printer, g_cfg, &f->pc, &t, &o), JH_PRINT_OK);
    assert_true(o.job_bytes > 500);
    assert_int_equal(o.status.state, JH_PRINTER_READY);
    cJSON *j = read_ticket(f, 1); /* written at the cut, before GS r was answered */
    assert_non_null(j);
    assert_int_equal(cJSON_GetObjectItem(j, "invalid_codes")->valueint, 0);
    assert_int_equal(cJSON_GetObjectItem(j, "auto_wraps")->valueint, 0);
    int saw_number = 0, saw_qr = 0, saw_hall = 0, saw_green = 0;
    cJSON *l;
    cJSON_ArrayForEach(l, cJSON_GetObjectItem(j, "lines"))
    {
        cJSON *text = cJSON_GetObjectItem(l, "text"), *qr = cJSON_GetObjectItem(l, "qr");
        if (cJSON_IsString(text) && strcmp(text->valuestring, "A012") == 0) {
            saw_number = 1;
            assert_int_equal(cJSON_GetObjectItem(l, "w")->valueint, 6);
            assert_int_equal(cJSON_GetObjectItem(l, "h")->valueint, 6);
            assert_true(cJSON_IsTrue(cJSON_GetObjectItem(l, "bold")));
        }
        if (cJSON_IsString(text) && strcmp(text->valuestring, g_cfg->name_zh) == 0)
            saw_hall = 1;
        if (cJSON_IsString(text) && strstr(text->valuestring, "绿色通道"))
            saw_green = 1;
        if (cJSON_IsString(qr)) {
            saw_qr = 1;
            assert_string_equal(qr->valuestring,
                                "https://zwfw.example.gov.cn/rate?site=tianhe-zwfw&ticket=A012&d=20261123");
        }
    }
    assert_true(saw_number && saw_qr && saw_hall && saw_green);
    cJSON_Delete(j);
}

static void test_two_tickets_in_a_row(void **state)
{
    fixture *f = *state;
    jh_ticket_print_outcome o;
    assert_int_equal(print(f, "A001", &o), JH_PRINT_OK);
    assert_int_equal(print(f, "A002", &o), JH_PRINT_OK);
    cJSON *j = read_ticket(f, 2);
    assert_non_null(j);
    cJSON_Delete(j);
}

static void test_paper_near_end_still_prints(void **state)
{
    fixture *f = *state;
    emu_say(f, "paper-near-end");
    jh_ticket_print_outcome o;
    assert_int_equal(print(f, "A003", &o), JH_PRINT_OK);
    assert_int_equal(o.status.state, JH_PRINTER_PAPER_NEAR_END);
}

/* Refused before sending: once the printer is fixed nothing comes out. */
static void check_refused(fixture *f, const char *fault, const char *fix, jh_printer_state want)
{
    emu_say(f, fault);
    jh_printer_status st;
    jh_printer_query(f->printer, &st);
    assert_int_equal(st.state, want);
    jh_ticket_print_outcome o;
    assert_int_equal(print(f, "A004", &o), JH_PRINT_REFUSED);
    assert_int_equal(o.job_bytes, 0);
    assert_int_equal(o.status.state, want);
    assert_non_null(strstr(o.message, "not printed"));
    emu_say(f, fix);
    assert_int_equal(jh_printer_query(f->printer, &st), 0);
    assert_int_equal(st.state, JH_PRINTER_READY);
    emu_sleep_ms(200);
    assert_null(read_ticket(f, 1));
}

static void test_paper_out_refuses(void **state)
{
    check_refused(*state, "paper-out", "paper-ok", JH_PRINTER_PAPER_OUT);
}

static void test_cover_open_refuses(void **state)
{
    check_refused(*state, "cover-open", "cover-close", JH_PRINTER_COVER_OPEN);
}

static void test_cutter_error_refuses(void **state)
{
    fixture *f = *state;
    check_refused(f, "cutter-error", "error-clear", JH_PRINTER_ERROR);
    emu_say(f, "cutter-error");
    jh_printer_status st;
    jh_printer_query(f->printer, &st);
    assert_non_null(strstr(st.detail, "autocutter"));
}

static void test_silent_printer_is_offline(void **state)
{
    fixture *f = *state;
    emu_say(f, "silent");
    jh_printer_status st;
    int64_t t0 = emu_now_ms();
    assert_int_equal(jh_printer_query(f->printer, &st), -1);
    int64_t took = emu_now_ms() - t0;
    assert_int_equal(st.state, JH_PRINTER_OFFLINE);
    assert_true(took >= f->pc.status_timeout_ms);
    jh_ticket_print_outcome o;
    assert_int_equal(print(f, "A005", &o), JH_PRINT_REFUSED);
    emu_say(f, "online");
    assert_int_equal(jh_printer_query(f->printer, &st), 0);
    assert_int_equal(st.state, JH_PRINTER_READY);
}

static void test_babbling_printer_is_an_error(void **state)
{
    fixture *f = *state;
    check_refused(f, "garbage-replies", "normal-replies", JH_PRINTER_ERROR);
    /* unasked bytes from before a question are not taken as its answer */
    emu_say(f, "send ff 00 a5 7e 13");
    emu_sleep_ms(50);
    jh_printer_status st;
    assert_int_equal(jh_printer_query(f->printer, &st), 0);
    assert_int_equal(st.state, JH_PRINTER_READY);
}

/* `stops_printing`: the fault halts the print engine, so no ticket comes out.
 * A babbling printer may still print, but the job can't be confirmed. */
static void check_fails_mid_ticket(fixture *f, const char *fault, jh_printer_state want, int stops_printing)
{
    char line[64];
    snprintf(line, sizeof line, "after 400 %s", fault);
    emu_say(f, line);
    jh_ticket_print_outcome o;
    int64_t t0 = emu_now_ms();
    assert_int_equal(print(f, "A006", &o), JH_PRINT_FAILED);
    assert_true(emu_now_ms() - t0 < f->pc.job_timeout_ms); /* noticed by polling, not by the job timeout */
    assert_int_equal(o.status.state, want);
    assert_true(o.job_bytes > 400);
    assert_non_null(strstr(o.message, "may not have printed"));
    if (stops_printing)
        assert_null(read_ticket(f, 1));
}

static void test_silent_mid_ticket_fails(void **state)
{
    check_fails_mid_ticket(*state, "silent", JH_PRINTER_OFFLINE, 1);
}

static void test_paper_out_mid_ticket_fails(void **state)
{
    check_fails_mid_ticket(*state, "paper-out", JH_PRINTER_PAPER_OUT, 1);
}

static void test_cover_open_mid_ticket_fails(void **state)
{
    check_fails_mid_ticket(*state, "cover-open", JH_PRINTER_COVER_OPEN, 1);
}

static void test_garbage_mid_ticket_fails(void **state)
{
    check_fails_mid_ticket(*state, "garbage-replies", JH_PRINTER_ERROR, 0);
}

static void test_printer_gone(void **state)
{
    fixture *f = *state;
    kill(f->emu.pid, SIGKILL);
    waitpid(f->emu.pid, NULL, 0);
    f->emu.pid = 0;
    jh_printer_status st;
    assert_int_equal(jh_printer_query(f->printer, &st), -1);
    assert_int_equal(st.state, JH_PRINTER_OFFLINE);
    jh_ticket_print_outcome o;
    assert_int_equal(print(f, "A007", &o), JH_PRINT_REFUSED);
}

static void test_58mm_ticket_fits(void **state)
{
    fixture *f = *state;
    jh_ticket_print_outcome o;
    jh_issued_ticket t = ticket("C123", "C", JH_PRIO_PREGNANT);
    assert_int_equal(jh_ticket_print(f->printer, g_cfg, &f->pc, &t, &o), JH_PRINT_OK);
    cJSON *j = read_ticket(f, 1);
    assert_non_null(j);
    assert_int_equal(cJSON_GetObjectItem(j, "columns")->valueint, 32);
    assert_int_equal(cJSON_GetObjectItem(j, "auto_wraps")->valueint, 0);
    assert_int_equal(cJSON_GetObjectItem(j, "invalid_codes")->valueint, 0);
    cJSON_Delete(j);
}

static void test_unknown_service_sends_nothing(void **state)
{
    fixture *f = *state;
    jh_ticket_print_outcome o;
    jh_issued_ticket t = ticket("Q001", "Q", JH_PRIO_NONE);
    assert_int_equal(jh_ticket_print(f->printer, g_cfg, &f->pc, &t, &o), JH_PRINT_REFUSED);
    assert_non_null(strstr(o.message, "'Q'"));
    assert_int_equal(o.status.state, JH_PRINTER_READY); /* the printer itself is fine */
}

static int group_setup(void **state)
{
    (void)state;
    char path[1024], err[256];
    const char *src = getenv("JH_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/assets/hall.ini", src ? src : ".");
    g_cfg = calloc(1, sizeof *g_cfg);
    if (!g_cfg || jh_config_load(g_cfg, path, err, sizeof err) != 0)
        return fprintf(stderr, "%s\n", err), -1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    free(g_cfg);
    return 0;
}

#define T80(fn) cmocka_unit_test_setup_teardown(fn, setup80, teardown)

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        T80(test_ready),
        T80(test_printed_ticket_reads_back),
        T80(test_two_tickets_in_a_row),
        T80(test_paper_near_end_still_prints),
        T80(test_paper_out_refuses),
        T80(test_cover_open_refuses),
        T80(test_cutter_error_refuses),
        T80(test_silent_printer_is_offline),
        T80(test_babbling_printer_is_an_error),
        T80(test_silent_mid_ticket_fails),
        T80(test_paper_out_mid_ticket_fails),
        T80(test_cover_open_mid_ticket_fails),
        T80(test_garbage_mid_ticket_fails),
        T80(test_printer_gone),
        T80(test_unknown_service_sends_nothing),
        cmocka_unit_test_setup_teardown(test_58mm_ticket_fits, setup58, teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
