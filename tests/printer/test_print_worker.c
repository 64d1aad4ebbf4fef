/* SPDX-License-Identifier: MIT */
/*
 * test_print_worker — the kiosk's printer thread (kiosk/printer/print_worker.c)
 * against jiaohao-printer-emu on a real pty: the first status comes by itself,
 * a ticket prints and is answered once, a roll that runs out while nobody
 * takes a ticket is noticed by the poll and a new roll by the next one, a
 * vanished printer reads as offline and refuses to print, and the worker
 * stops cleanly in the middle of a job. The frame loop's side (posting,
 * polling for answers and status) runs here on the main thread the whole
 * time, so scripts/test's ThreadSanitizer build checks the hand-over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "emu_fixture.h"
#include "hall_config.h"
#include "print_worker.h"

#define POLL_MS 100
#define WAIT_MS 8000 /* far above any answer; a loaded machine under a sanitizer is slow */

typedef struct {
    emu_fixture emu;
    jh_printer_config pc;
    jh_print_worker *w;
} fixture;

static jh_hall_config *g_cfg;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char err[256];
    if (!f || emu_start(&f->emu, "80") != 0)
        return -1;
    jh_printer_config_defaults(&f->pc);
    snprintf(f->pc.device, sizeof f->pc.device, "%s", f->emu.pty);
    f->pc.baud = 115200;
    /* Generous: a slow emulator under a sanitizer must not read as a fault. */
    f->pc.status_timeout_ms = 1000;
    f->pc.job_timeout_ms = 30000;
    if (!(f->w = jh_print_worker_start(g_cfg, &f->pc, POLL_MS, err, sizeof err))) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    jh_print_worker_stop(f->w);
    emu_stop(&f->emu);
    free(f);
    return 0;
}

/* Polls as the frame loop does until the answer is there; 1 when it came. */
static int wait_answer(fixture *f, uint64_t request, jh_pw_result *r)
{
    for (int64_t t0 = emu_now_ms(); emu_now_ms() - t0 < WAIT_MS; emu_sleep_ms(5))
        if (jh_print_worker_result(f->w, request, r))
            return 1;
    return 0;
}

/* Polls the latest status until it is `want`; 1 when it became so. */
static int wait_state(fixture *f, jh_printer_state want)
{
    jh_printer_status st;
    for (int64_t t0 = emu_now_ms(); emu_now_ms() - t0 < WAIT_MS; emu_sleep_ms(5))
        if (jh_print_worker_status(f->w, &st) > 0 && st.state == want)
            return 1;
    return 0;
}

static jh_issued_ticket ticket(const char *number)
{
    jh_issued_ticket t = {.priority = JH_PRIO_NONE, .ahead = 2, .ewt_s = 240,
                          .issued_at = "2026-11-23T09:05:07+08:00", .day = 20261123};
    snprintf(t.ticket, sizeof t.ticket, "%s", number);
    snprintf(t.service, sizeof t.service, "A");
    return t;
}

/* ---- tests ---- */

static void test_first_status_comes_by_itself(void **state)
{
    fixture *f = *state;
    assert_true(wait_state(f, JH_PRINTER_READY));
    jh_printer_status st;
    assert_true(jh_print_worker_status(f->w, &st) >= 1);
    assert_true(st.can_print);
}

static void test_ticket_prints_and_is_answered_once(void **state)
{
    fixture *f = *state;
    jh_issued_ticket t = ticket("A012");
    uint64_t req = jh_print_worker_print(f->w, &t);
    assert_true(req > 0);
    jh_pw_result r;
    assert_true(wait_answer(f, req, &r));
    assert_int_equal(r.request, req);
    assert_int_equal(r.kind, JH_PW_PRINT);
    assert_int_equal(r.outcome.result, JH_PRINT_OK);
    assert_false(jh_print_worker_result(f->w, req, &r)); /* forgotten once taken */
    cJSON *j = emu_ticket(&f->emu, 1);
    assert_non_null(j);
    cJSON_Delete(j);
    assert_null(emu_ticket(&f->emu, 2)); /* printed exactly once */
}

static void test_check_answers_with_fresh_state(void **state)
{
    fixture *f = *state;
    assert_true(wait_state(f, JH_PRINTER_READY));
    assert_int_equal(emu_cmd(&f->emu, "cover-open"), 0);
    uint64_t req = jh_print_worker_check(f->w);
    jh_pw_result r;
    assert_true(wait_answer(f, req, &r));
    assert_int_equal(r.kind, JH_PW_CHECK);
    assert_int_equal(r.status.state, JH_PRINTER_COVER_OPEN);
    assert_false(r.status.can_print);
}

static void test_poll_notices_paper_out_and_new_roll(void **state)
{
    fixture *f = *state;
    assert_true(wait_state(f, JH_PRINTER_READY));
    assert_int_equal(emu_cmd(&f->emu, "paper-out"), 0);
    assert_true(wait_state(f, JH_PRINTER_PAPER_OUT)); /* nobody asked: the poll saw it */
    assert_int_equal(emu_cmd(&f->emu, "paper-ok"), 0);
    assert_true(wait_state(f, JH_PRINTER_READY));
}

static void test_paper_out_refuses_the_ticket(void **state)
{
    fixture *f = *state;
    assert_int_equal(emu_cmd(&f->emu, "paper-out"), 0);
    assert_true(wait_state(f, JH_PRINTER_PAPER_OUT));
    jh_issued_ticket t = ticket("A013");
    jh_pw_result r;
    assert_true(wait_answer(f, jh_print_worker_print(f->w, &t), &r));
    assert_int_not_equal(r.outcome.result, JH_PRINT_OK);
    assert_null(emu_ticket(&f->emu, 1));
}

static void test_vanished_printer_is_offline(void **state)
{
    fixture *f = *state;
    assert_true(wait_state(f, JH_PRINTER_READY));
    kill(f->emu.pid, SIGKILL);
    waitpid(f->emu.pid, NULL, 0);
    f->emu.pid = 0;
    assert_true(wait_state(f, JH_PRINTER_OFFLINE));
    jh_issued_ticket t = ticket("A014");
    jh_pw_result r;
    assert_true(wait_answer(f, jh_print_worker_print(f->w, &t), &r));
    assert_int_not_equal(r.outcome.result, JH_PRINT_OK);
}

/* Tickets back to back while the main thread reads status all the time. */
static void test_tickets_back_to_back(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 5; i++) {
        char number[8];
        snprintf(number, sizeof number, "B%03d", i + 1);
        jh_issued_ticket t = ticket(number);
        uint64_t req = jh_print_worker_print(f->w, &t);
        jh_pw_result r;
        jh_printer_status st;
        int64_t t0 = emu_now_ms();
        int got;
        while (!(got = jh_print_worker_result(f->w, req, &r)) && emu_now_ms() - t0 < WAIT_MS)
            jh_print_worker_status(f->w, &st);
        assert_true(got);
        assert_int_equal(r.outcome.result, JH_PRINT_OK);
    }
    cJSON *j = emu_ticket(&f->emu, 5);
    assert_non_null(j);
    cJSON_Delete(j);
}

/* Stopping waits for the job in progress and leaves nothing running. */
static void test_stop_mid_job(void **state)
{
    fixture *f = *state;
    jh_issued_ticket t = ticket("C001");
    assert_true(jh_print_worker_print(f->w, &t) > 0);
    emu_sleep_ms(20);
    jh_print_worker_stop(f->w);
    char err[256];
    f->w = jh_print_worker_start(g_cfg, &f->pc, POLL_MS, err, sizeof err); /* for teardown */
    assert_non_null(f->w);
    assert_true(wait_state(f, JH_PRINTER_READY));
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

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        T(test_first_status_comes_by_itself),
        T(test_ticket_prints_and_is_answered_once),
        T(test_check_answers_with_fresh_state),
        T(test_poll_notices_paper_out_and_new_roll),
        T(test_paper_out_refuses_the_ticket),
        T(test_vanished_printer_is_offline),
        T(test_tickets_back_to_back),
        T(test_stop_mid_job),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
