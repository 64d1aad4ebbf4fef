/* SPDX-License-Identifier: MIT */
/*
 * test_serial_pty — the serial layer on a pseudo-terminal pair made here:
 * backend choice, reading with a timeout, writing in drained chunks, a peer
 * that stops reading, a peer that hangs up, and refusals of bad settings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "serial_port.h"

typedef struct {
    int master, slave;
    char name[128];
    jh_serial *s;
} pair;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int setup(void **state)
{
    pair *p = calloc(1, sizeof *p);
    char err[256];
    if (!p || openpty(&p->master, &p->slave, p->name, NULL, NULL) != 0)
        return -1;
    struct termios t;
    tcgetattr(p->master, &t);
    cfmakeraw(&t);
    tcsetattr(p->master, TCSANOW, &t);
    if (jh_serial_open(&p->s, p->name, 115200, JH_FLOW_NONE, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    *state = p;
    return 0;
}

static int teardown(void **state)
{
    pair *p = *state;
    jh_serial_close(p->s);
    if (p->master >= 0)
        close(p->master);
    close(p->slave);
    free(p);
    return 0;
}

static void test_pty_uses_termios(void **state)
{
    pair *p = *state;
    assert_true(jh_serial_path_is_pty(p->name));
    assert_false(jh_serial_path_is_pty("/dev/null"));
    assert_false(jh_serial_path_is_pty("/nonexistent"));
    assert_int_equal(jh_serial_backend_of(p->s), JH_SERIAL_BACKEND_TERMIOS);
    assert_true(jh_serial_fd(p->s) >= 0);
    assert_true(fcntl(jh_serial_fd(p->s), F_GETFL) & O_NONBLOCK);
    assert_int_equal(jh_serial_baud(p->s), 115200);
}

static void test_symlink_to_pty(void **state)
{
    pair *p = *state;
    char link[64], err[256];
    snprintf(link, sizeof link, "/tmp/jh-serial-link-%d", (int)getpid());
    unlink(link);
    assert_int_equal(symlink(p->name, link), 0);
    assert_true(jh_serial_path_is_pty(link));
    /* the same device again: the lock keeps a second user out */
    jh_serial *s2 = NULL;
    assert_int_equal(jh_serial_open(&s2, link, 9600, JH_FLOW_NONE, err, sizeof err), -1);
    assert_non_null(strstr(err, "in use"));
    assert_null(s2);
    unlink(link);
}

static void test_round_trip(void **state)
{
    pair *p = *state;
    char err[256];
    uint8_t job[5000];
    for (size_t i = 0; i < sizeof job; i++)
        job[i] = (uint8_t)(i * 7);
    assert_int_equal(jh_serial_write_all(p->s, job, sizeof job, 256, 2000, err, sizeof err), 0);
    uint8_t got[sizeof job];
    size_t n = 0;
    int64_t until = now_ms() + 2000;
    while (n < sizeof got && now_ms() < until) {
        ssize_t r = read(p->master, got + n, sizeof got - n);
        if (r > 0)
            n += (size_t)r;
    }
    assert_int_equal(n, sizeof job);
    assert_memory_equal(got, job, sizeof job);

    assert_int_equal(write(p->master, "\x12\x1A", 2), 2);
    uint8_t r[8];
    assert_int_equal(jh_serial_read(p->s, r, sizeof r, 500, err, sizeof err), 2);
    assert_memory_equal(r, "\x12\x1A", 2);
}

static void test_read_timeout(void **state)
{
    pair *p = *state;
    char err[256];
    uint8_t b;
    int64_t t0 = now_ms();
    assert_int_equal(jh_serial_read(p->s, &b, 1, 120, err, sizeof err), 0);
    int64_t took = now_ms() - t0;
    assert_true(took >= 110); /* waited the timeout; how much longer is the machine's business */
    assert_int_equal(jh_serial_read(p->s, &b, 1, 0, err, sizeof err), 0);
}

static void test_discard_input(void **state)
{
    pair *p = *state;
    char err[256];
    assert_int_equal(write(p->master, "stale", 5), 5);
    usleep(20000);
    jh_serial_discard_input(p->s);
    uint8_t b;
    assert_int_equal(jh_serial_read(p->s, &b, 1, 50, err, sizeof err), 0);
}

/* Nobody reads the other end: the pty fills and the write gives up in time. */
static void test_write_times_out_when_peer_stalls(void **state)
{
    pair *p = *state;
    char err[256];
    static uint8_t big[256 * 1024];
    int64_t t0 = now_ms();
    assert_int_equal(jh_serial_write_all(p->s, big, sizeof big, 4096, 300, err, sizeof err), -1);
    int64_t took = now_ms() - t0;
    assert_true(took >= 290 && took < 60000); /* gave up, and did not hang */
    assert_non_null(strstr(err, "timed out"));
}

static void test_peer_hangs_up(void **state)
{
    pair *p = *state;
    char err[256] = "";
    close(p->master);
    p->master = -1;
    uint8_t b;
    assert_int_equal(jh_serial_read(p->s, &b, 1, 200, err, sizeof err), -1);
    assert_non_null(strstr(err, "gone"));
}

static void test_bad_settings(void **state)
{
    pair *p = *state;
    char err[256];
    jh_serial *s = NULL;
    assert_int_equal(jh_serial_open(&s, p->name, 9601, JH_FLOW_NONE, err, sizeof err), -1);
    assert_non_null(strstr(err, "9601"));
    assert_int_equal(jh_serial_open(&s, p->name, 9600, (jh_serial_flow)7, err, sizeof err), -1);
    assert_int_equal(jh_serial_open(&s, "/nonexistent/ttyUSB9", 9600, JH_FLOW_NONE, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/ttyUSB9"));
    /* not a serial port at all: libserialport's backend refuses it */
    assert_int_equal(jh_serial_open(&s, "/dev/null", 9600, JH_FLOW_NONE, err, sizeof err), -1);
    assert_null(s);
    assert_int_equal(jh_serial_flow_parse("rtscts"), JH_FLOW_RTSCTS);
    assert_int_equal(jh_serial_flow_parse("xonxoff"), JH_FLOW_XONXOFF);
    assert_int_equal(jh_serial_flow_parse("none"), JH_FLOW_NONE);
    assert_int_equal(jh_serial_flow_parse("RTS"), -1);
    assert_string_equal(jh_serial_flow_name(JH_FLOW_XONXOFF), "xonxoff");
}

static void count_port(const char *name, const char *desc, void *ctx)
{
    assert_non_null(name);
    assert_non_null(desc);
    ++*(int *)ctx;
}

/* The machine may have no serial port at all; listing must still work. */
static void test_list_ports(void **state)
{
    (void)state;
    char err[256];
    int seen = 0;
    int n = jh_serial_list_ports(count_port, &seen, err, sizeof err);
    assert_true(n >= 0);
    assert_int_equal(n, seen);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pty_uses_termios, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symlink_to_pty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_discard_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_times_out_when_peer_stalls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_peer_hangs_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_settings, setup, teardown),
        cmocka_unit_test(test_list_ports),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
