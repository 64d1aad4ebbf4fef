/* SPDX-License-Identifier: MIT */
/*
 * test_sd_notify — common/box/sd_notify against real AF_UNIX datagram sockets:
 * a socket file and an abstract name, each bound here as systemd binds its
 * own; what arrives is read back byte for byte. Bad NOTIFY_SOCKET,
 * WATCHDOG_USEC and WATCHDOG_PID values are refused with a message and send
 * nothing; the watchdog's kicks come at half the interval, report a failure
 * once per run of failures, and stay away from another process's watchdog.
 * A status line reaches the socket only when it changes, as one line cut at
 * a character, and a failed one is tried again a second later.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "sd_notify.h"

typedef struct {
    int fd;
    char path[108];   /* socket file; empty for an abstract name */
    char env[120];    /* what NOTIFY_SOCKET must say to reach it */
} listener;

/* Binds a datagram socket: a file in /tmp, or (abstract) a name in the abstract namespace. */
static void listen_on(listener *l, int abstract)
{
    static int n;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    socklen_t len;
    memset(l, 0, sizeof *l);
    l->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    assert_true(l->fd >= 0);
    if (abstract) {
        int k = snprintf(sa.sun_path + 1, sizeof sa.sun_path - 1, "jh-test-sd-notify-%d-%d", (int)getpid(), n++);
        len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)k);
        snprintf(l->env, sizeof l->env, "@%s", sa.sun_path + 1);
    } else {
        snprintf(l->path, sizeof l->path, "/tmp/jh-test-sd-notify-%d-%d.sock", (int)getpid(), n++);
        unlink(l->path);
        snprintf(sa.sun_path, sizeof sa.sun_path, "%s", l->path);
        len = sizeof sa;
        snprintf(l->env, sizeof l->env, "%s", l->path);
    }
    assert_int_equal(bind(l->fd, (struct sockaddr *)&sa, len), 0);
    setenv("NOTIFY_SOCKET", l->env, 1);
}

static void listener_close(listener *l)
{
    close(l->fd);
    if (l->path[0])
        unlink(l->path);
    unsetenv("NOTIFY_SOCKET");
}

/* The next datagram, or "" when none is waiting. */
static const char *received(listener *l)
{
    static char buf[512];
    ssize_t n = recv(l->fd, buf, sizeof buf - 1, MSG_DONTWAIT);
    if (n < 0) {
        assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
        n = 0;
    }
    buf[n] = '\0';
    return buf;
}

/* Kicks w every `step` ms over 100 s from `from`: each kick is fine and nothing arrives. */
static void kicks_send_nothing(listener *l, jh_sd_watchdog *w, int64_t from, int64_t step)
{
    char err[200];
    for (int64_t t = from; t < from + 100000; t += step)
        assert_int_equal(jh_sd_watchdog_kick(w, t, err, sizeof err), 0);
    assert_string_equal(received(l), "");
}

static int setup(void **state)
{
    (void)state;
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
    return 0;
}

/* ---- notify ---- */

static void test_no_socket_is_not_an_error(void **state)
{
    (void)state;
    char err[200] = "";
    assert_int_equal(jh_sd_notify("READY=1", err, sizeof err), 0);
    assert_string_equal(err, "");
}

static void test_path_socket(void **state)
{
    (void)state;
    listener l;
    char err[200];
    listen_on(&l, 0);
    assert_int_equal(jh_sd_notify("READY=1\nSTATUS=store open", err, sizeof err), 0);
    assert_string_equal(received(&l), "READY=1\nSTATUS=store open");
    assert_int_equal(jh_sd_notify("STOPPING=1", err, sizeof err), 0);
    assert_string_equal(received(&l), "STOPPING=1");
    assert_string_equal(received(&l), "");
    listener_close(&l);
}

static void test_abstract_socket(void **state)
{
    (void)state;
    listener l;
    char err[200];
    listen_on(&l, 1);
    assert_int_equal(jh_sd_notify("READY=1", err, sizeof err), 0);
    assert_string_equal(received(&l), "READY=1");
    /* The name is exact: one byte more or less is another socket. */
    char longer[130];
    snprintf(longer, sizeof longer, "%sx", l.env);
    setenv("NOTIFY_SOCKET", longer, 1);
    assert_int_equal(jh_sd_notify("READY=1", err, sizeof err), -1);
    assert_string_equal(received(&l), "");
    listener_close(&l);
}

static void test_bad_socket_values(void **state)
{
    (void)state;
    listener l;
    char err[200], too_long[300];
    listen_on(&l, 0);
    memset(too_long, 'a', sizeof too_long - 1);
    too_long[0] = '/';
    too_long[sizeof too_long - 1] = '\0';
    const char *bad[] = {"", "relative/notify.sock", "notify", "@", "/", too_long, "vsock:2:1234"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv("NOTIFY_SOCKET", bad[i], 1);
        err[0] = '\0';
        assert_int_equal(jh_sd_notify("READY=1", err, sizeof err), -1);
        assert_non_null(strstr(err, "NOTIFY_SOCKET"));
    }
    assert_string_equal(received(&l), "");
    /* A well-formed name that nobody listens on: the send fails, and says so. */
    setenv("NOTIFY_SOCKET", "/nonexistent/jh-notify.sock", 1);
    assert_int_equal(jh_sd_notify("READY=1", err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/jh-notify.sock"));
    listener_close(&l);
}

/* ---- watchdog interval ---- */

static void test_watchdog_usec(void **state)
{
    (void)state;
    uint64_t us = 0;
    char err[200], pid[32];
    assert_int_equal(jh_sd_watchdog_usec(&us, err, sizeof err), 0);
    setenv("WATCHDOG_USEC", "30000000", 1);
    assert_int_equal(jh_sd_watchdog_usec(&us, err, sizeof err), 1);
    assert_int_equal(us, 30000000);
    snprintf(pid, sizeof pid, "%d", (int)getpid());
    setenv("WATCHDOG_PID", pid, 1);
    us = 0;
    assert_int_equal(jh_sd_watchdog_usec(&us, err, sizeof err), 1);
    assert_int_equal(us, 30000000);
    /* Inherited from a parent that systemd watches: not ours to kick. */
    snprintf(pid, sizeof pid, "%d", (int)getpid() + 1);
    setenv("WATCHDOG_PID", pid, 1);
    assert_int_equal(jh_sd_watchdog_usec(&us, err, sizeof err), 0);
    unsetenv("WATCHDOG_PID");
}

static void test_watchdog_bad_values(void **state)
{
    (void)state;
    uint64_t us = 7;
    char err[200];
    const char *bad_usec[] = {"", "0", "-5", "abc", "15s", " 100", "100 ", "1e6", "99999999999999999999999"};
    for (size_t i = 0; i < sizeof bad_usec / sizeof bad_usec[0]; i++) {
        setenv("WATCHDOG_USEC", bad_usec[i], 1);
        err[0] = '\0';
        assert_int_equal(jh_sd_watchdog_usec(&us, err, sizeof err), -1);
        assert_non_null(strstr(err, "WATCHDOG_USEC"));
    }
    setenv("WATCHDOG_USEC", "1000000", 1);
    const char *bad_pid[] = {"", "x", "0", "-1", "12 "};
    for (size_t i = 0; i < sizeof bad_pid / sizeof bad_pid[0]; i++) {
        setenv("WATCHDOG_PID", bad_pid[i], 1);
        err[0] = '\0';
        assert_int_equal(jh_sd_watchdog_usec(&us, err, sizeof err), -1);
        assert_non_null(strstr(err, "WATCHDOG_PID"));
    }
    assert_int_equal(us, 7); /* untouched by every refusal */
}

/* ---- kicking ---- */

static void test_kicks_at_half_the_interval(void **state)
{
    (void)state;
    listener l;
    jh_sd_watchdog w = {0};
    char err[200];
    listen_on(&l, 0);
    setenv("WATCHDOG_USEC", "1000000", 1); /* 1 s: a kick every 500 ms */
    const struct {
        int64_t at;
        int sent;
    } rounds[] = {{10000, 1}, {10001, 0}, {10499, 0}, {10500, 1}, {10700, 0}, {10999, 0}, {11000, 1},
                  {13000, 1}, {13001, 0}};
    for (size_t i = 0; i < sizeof rounds / sizeof rounds[0]; i++) {
        assert_int_equal(jh_sd_watchdog_kick(&w, rounds[i].at, err, sizeof err), 0);
        assert_string_equal(received(&l), rounds[i].sent ? "WATCHDOG=1" : "");
    }
    listener_close(&l);
}

static void test_no_watchdog_sends_nothing(void **state)
{
    (void)state;
    listener l;
    char pid[32];
    listen_on(&l, 1);
    jh_sd_watchdog none = {0};
    kicks_send_nothing(&l, &none, 0, 1000);
    /* Someone else's watchdog. */
    setenv("WATCHDOG_USEC", "1000000", 1);
    snprintf(pid, sizeof pid, "%d", (int)getpid() + 1);
    setenv("WATCHDOG_PID", pid, 1);
    jh_sd_watchdog theirs = {0};
    kicks_send_nothing(&l, &theirs, 0, 1000);
    listener_close(&l);
}

static void test_bad_interval_reported_once(void **state)
{
    (void)state;
    listener l;
    jh_sd_watchdog w = {0};
    char err[200] = "";
    listen_on(&l, 0);
    setenv("WATCHDOG_USEC", "soon", 1);
    assert_int_equal(jh_sd_watchdog_kick(&w, 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "WATCHDOG_USEC 'soon'"));
    kicks_send_nothing(&l, &w, 1, 500);
    listener_close(&l);
}

static void test_failed_sends_reported_once_per_run(void **state)
{
    (void)state;
    listener l;
    jh_sd_watchdog w = {0};
    char err[200];
    listen_on(&l, 0);
    char good[120];
    snprintf(good, sizeof good, "%s", l.env);
    setenv("WATCHDOG_USEC", "10000000", 1); /* a kick every 5 s, a failed one retried after 1 s */
    setenv("NOTIFY_SOCKET", "/nonexistent/jh-notify.sock", 1);
    assert_int_equal(jh_sd_watchdog_kick(&w, 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/jh-notify.sock"));
    assert_int_equal(jh_sd_watchdog_kick(&w, 999, err, sizeof err), 0);  /* not yet retried */
    assert_int_equal(jh_sd_watchdog_kick(&w, 1000, err, sizeof err), 0); /* retried, failed, already said */
    setenv("NOTIFY_SOCKET", good, 1);
    assert_int_equal(jh_sd_watchdog_kick(&w, 1500, err, sizeof err), 0);
    assert_string_equal(received(&l), "");
    assert_int_equal(jh_sd_watchdog_kick(&w, 2000, err, sizeof err), 0); /* the retry reaches it */
    assert_string_equal(received(&l), "WATCHDOG=1");
    assert_int_equal(jh_sd_watchdog_kick(&w, 6999, err, sizeof err), 0); /* back to every 5 s */
    assert_string_equal(received(&l), "");
    setenv("NOTIFY_SOCKET", "relative", 1);
    assert_int_equal(jh_sd_watchdog_kick(&w, 7000, err, sizeof err), -1); /* a new run of failures */
    assert_non_null(strstr(err, "NOTIFY_SOCKET 'relative'"));
    listener_close(&l);
}

/* ---- status line ---- */

static void test_status_sent_on_change_only(void **state)
{
    (void)state;
    listener l;
    jh_sd_status s = {0};
    char err[200];
    listen_on(&l, 0);
    const struct {
        const char *line, *arrives;
    } rounds[] = {{"", ""}, {"broker unreachable", "STATUS=broker unreachable"}, {"broker unreachable", ""},
                  {"broker unreachable", ""}, {"broker connected", "STATUS=broker connected"},
                  {"broker connected", ""}, {"broker unreachable", "STATUS=broker unreachable"},
                  {"", ""}, {"broker unreachable", ""}};
    for (size_t i = 0; i < sizeof rounds / sizeof rounds[0]; i++) {
        assert_int_equal(jh_sd_status_set(&s, rounds[i].line, (int64_t)i * 20, err, sizeof err), 0);
        assert_string_equal(received(&l), rounds[i].arrives);
    }
    listener_close(&l);
}

static void test_status_without_systemd(void **state)
{
    (void)state;
    jh_sd_status s = {0};
    char err[200] = "";
    assert_int_equal(jh_sd_status_set(&s, "taking tickets", 0, err, sizeof err), 0);
    assert_int_equal(jh_sd_status_set(&s, "tickets paused", 1, err, sizeof err), 0);
    assert_string_equal(err, "");
}

static void test_status_one_line_cut_at_a_character(void **state)
{
    (void)state;
    listener l;
    jh_sd_status s = {0};
    char err[200], long_line[400] = "x", want[400];
    listen_on(&l, 1);
    assert_int_equal(jh_sd_status_set(&s, "paused\nREADY=1\r", 0, err, sizeof err), 0);
    assert_string_equal(received(&l), "STATUS=paused READY=1 "); /* no second assignment smuggled in */
    for (int i = 0; i < 100; i++)
        strcat(long_line, "维"); /* 3 bytes each: 301 in all */
    assert_int_equal(jh_sd_status_set(&s, long_line, 1, err, sizeof err), 0);
    /* 255 bytes would end inside the 85th character: 84 whole ones stay. */
    snprintf(want, sizeof want, "STATUS=%.*s", 1 + 84 * 3, long_line);
    assert_string_equal(received(&l), want);
    assert_int_equal(strlen(want), strlen("STATUS=") + 253);
    /* The same long line again, or one that differs only past the cut, is no change. */
    assert_int_equal(jh_sd_status_set(&s, long_line, 2, err, sizeof err), 0);
    strcat(long_line, "!");
    assert_int_equal(jh_sd_status_set(&s, long_line, 3, err, sizeof err), 0);
    assert_string_equal(received(&l), "");
    listener_close(&l);
}

static void test_status_failure_reported_once_and_retried(void **state)
{
    (void)state;
    listener l;
    jh_sd_status s = {0};
    char err[200] = "", good[120];
    listen_on(&l, 0);
    snprintf(good, sizeof good, "%s", l.env);
    setenv("NOTIFY_SOCKET", "/nonexistent/jh-notify.sock", 1);
    assert_int_equal(jh_sd_status_set(&s, "broker connected", 5000, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/jh-notify.sock"));
    setenv("NOTIFY_SOCKET", good, 1);
    /* Not tried again on every round: a second later, with whatever the line is then. */
    assert_int_equal(jh_sd_status_set(&s, "broker connected", 5999, err, sizeof err), 0);
    assert_int_equal(jh_sd_status_set(&s, "broker lost", 5999, err, sizeof err), 0);
    assert_string_equal(received(&l), "");
    assert_int_equal(jh_sd_status_set(&s, "broker lost", 6000, err, sizeof err), 0);
    assert_string_equal(received(&l), "STATUS=broker lost");
    assert_int_equal(jh_sd_status_set(&s, "broker lost", 6001, err, sizeof err), 0);
    assert_string_equal(received(&l), "");
    /* Failing again after a success is a new run: said again. */
    setenv("NOTIFY_SOCKET", "relative", 1);
    assert_int_equal(jh_sd_status_set(&s, "broker connected", 7000, err, sizeof err), -1);
    assert_non_null(strstr(err, "NOTIFY_SOCKET 'relative'"));
    assert_int_equal(jh_sd_status_set(&s, "broker connected", 8000, err, sizeof err), 0); /* retried, already said */
    listener_close(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_no_socket_is_not_an_error, setup),
        cmocka_unit_test_setup(test_path_socket, setup),
        cmocka_unit_test_setup(test_abstract_socket, setup),
        cmocka_unit_test_setup(test_bad_socket_values, setup),
        cmocka_unit_test_setup(test_watchdog_usec, setup),
        cmocka_unit_test_setup(test_watchdog_bad_values, setup),
        cmocka_unit_test_setup(test_kicks_at_half_the_interval, setup),
        cmocka_unit_test_setup(test_no_watchdog_sends_nothing, setup),
        cmocka_unit_test_setup(test_bad_interval_reported_once, setup),
        cmocka_unit_test_setup(test_failed_sends_reported_once_per_run, setup),
        cmocka_unit_test_setup(test_status_sent_on_change_only, setup),
        cmocka_unit_test_setup(test_status_without_systemd, setup),
        cmocka_unit_test_setup(test_status_one_line_cut_at_a_character, setup),
        cmocka_unit_test_setup(test_status_failure_reported_once_and_retried, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
