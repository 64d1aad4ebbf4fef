/* SPDX-License-Identifier: MIT */
/*
 * test_link_schedule — the connection state machine of common/link (jh_link)
 * against a fake broker on a real TCP socket of this process: a listener that
 * accepts every attempt and then, as each test plans it, closes at once,
 * answers nothing, accepts the CONNECT (CONNACK 0) and closes, or refuses the
 * login (CONNACK 5). Times are read from CLOCK_MONOTONIC when each attempt
 * arrives, so the checks are about the schedule the link keeps:
 *   - failed attempts are spaced 250 ms, 500 ms, 1 s, then 2 s, never more;
 *   - an attempt nobody answers is given up after 5 s (the CONNACK deadline),
 *     and the next one follows after the back-off;
 *   - an accepted connection resets the back-off, a refused login does not;
 *   - what the link says it is (jh_link_state_of, jh_link_reason) after each;
 *   - jh_link_wait() sleeps until the next attempt is due, not longer.
 * Lower bounds are exact (the link may never try early); upper bounds allow
 * SLACK_MS for a loaded machine.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "mqtt_link.h"

#define SLACK_MS 1000
#define MAX_CONNS 10
#define RUN_LIMIT_MS 30000

typedef enum { CLOSE_AT_ONCE, ANSWER_NOTHING, ACCEPT_THEN_CLOSE, REFUSE_LOGIN } behaviour;

typedef struct {
    int listen_fd, port;
    int fd;           /* the connection being served, -1 */
    int n_plan;
    behaviour plan[MAX_CONNS];
    int n;            /* connections accepted */
    int64_t at[MAX_CONNS];        /* when connection i arrived */
    int64_t closed_at[MAX_CONNS]; /* when the link closed connection i, 0: we did */
    jh_link_state after[MAX_CONNS]; /* the link's state when connection i+1 arrived */
    char reason[MAX_CONNS][300];
    unsigned char buf[1024];
    size_t got;
    int answered;
} fake_broker;

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void on_message(void *user, const char *topic, const void *payload, size_t len)
{
    (void)user, (void)topic, (void)payload, (void)len;
}

static int listen_any(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(fd, 8), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    *port = ntohs(sa.sin_port);
    return fd;
}

static jh_link *link_to(int port)
{
    char err[300] = "";
    jh_link_opts o = {.host = "127.0.0.1", .port = port, .client_id = "test-link-schedule",
                      .topics = {"jh/test/#"}, .n_topics = 1};
    jh_link *l = jh_link_new(&o, on_message, NULL, NULL, err, sizeof err);
    assert_non_null(l);
    assert_int_equal(jh_link_state_of(l), JH_LINK_STATE_STARTING);
    return l;
}

static void fb_start(fake_broker *fb, const behaviour *plan, int n_plan)
{
    memset(fb, 0, sizeof *fb);
    fb->listen_fd = listen_any(&fb->port);
    fb->fd = -1;
    fb->n_plan = n_plan;
    memcpy(fb->plan, plan, (size_t)n_plan * sizeof *plan);
}

static void fb_drop(fake_broker *fb)
{
    if (fb->fd >= 0)
        close(fb->fd);
    fb->fd = -1;
}

static void fb_accept(fake_broker *fb, jh_link *l)
{
    int fd = accept4(fb->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0)
        return;
    fb_drop(fb);
    if (fb->n > 0) { /* the last attempt has ended: what does the link say it came to? */
        fb->after[fb->n - 1] = jh_link_state_of(l);
        snprintf(fb->reason[fb->n - 1], sizeof fb->reason[0], "%s", jh_link_reason(l));
    }
    fb->at[fb->n] = mono_ms();
    fb->got = 0;
    fb->answered = 0;
    if (fb->plan[fb->n++] == CLOSE_AT_ONCE)
        close(fd);
    else
        fb->fd = fd;
}

/* A whole CONNECT has arrived: fixed header, remaining length (varint), body. */
static int have_connect(const fake_broker *fb)
{
    size_t len = 0, i = 1;
    for (int shift = 0; i < fb->got && i < 5; i++, shift += 7) {
        len |= (size_t)(fb->buf[i] & 0x7f) << shift;
        if (!(fb->buf[i] & 0x80))
            return fb->got >= i + 1 + len;
    }
    return 0;
}

/* Serves the open connection as planned; notes when the link closes it. */
static void fb_serve(fake_broker *fb, jh_link *l)
{
    if (fb->fd < 0)
        return;
    behaviour b = fb->plan[fb->n - 1];
    ssize_t r = read(fb->fd, fb->buf + fb->got, sizeof fb->buf - fb->got);
    if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
        fb->closed_at[fb->n - 1] = mono_ms();
        fb_drop(fb);
        return;
    }
    if (r > 0)
        fb->got += (size_t)r;
    if (b == ANSWER_NOTHING || !have_connect(fb))
        return;
    if (!fb->answered) {
        const unsigned char connack[4] = {0x20, 0x02, 0x00, b == REFUSE_LOGIN ? 0x05 : 0x00};
        assert_int_equal(write(fb->fd, connack, sizeof connack), sizeof connack);
        fb->answered = 1;
    }
    if (b == ACCEPT_THEN_CLOSE && jh_link_connected(l))
        fb_drop(fb); /* the broker went away after the link was up */
    fb->got = 0;
}

/* Drives the link until every planned connection has arrived. */
static void fb_run(fake_broker *fb, jh_link *l)
{
    int64_t end = mono_ms() + RUN_LIMIT_MS;
    while (fb->n < fb->n_plan && mono_ms() < end) {
        struct pollfd p[2] = {{.fd = fb->listen_fd, .events = POLLIN}, {.fd = fb->fd, .events = POLLIN}};
        poll(p, 2, 5);
        jh_link_pump(l, mono_ms());
        fb_accept(fb, l);
        fb_serve(fb, l);
    }
    assert_int_equal(fb->n, fb->n_plan);
}

static void fb_stop(fake_broker *fb)
{
    fb_drop(fb);
    close(fb->listen_fd);
}

static int64_t gap(const fake_broker *fb, int i) { return fb->at[i + 1] - fb->at[i]; }

/* The link waits at least `ms` before attempt i+1, and not much longer. */
static void assert_gap(const fake_broker *fb, int i, int64_t ms)
{
    int64_t g = gap(fb, i);
    if (g < ms - 1 || g > ms + SLACK_MS)
        fail_msg("attempt %d came %lld ms after attempt %d, expected %lld ms", i + 2, (long long)g, i + 1,
                 (long long)ms);
}

static void test_backoff_doubles_to_its_cap(void **state)
{
    (void)state;
    static const behaviour plan[] = {CLOSE_AT_ONCE, CLOSE_AT_ONCE, CLOSE_AT_ONCE, CLOSE_AT_ONCE,
                                     CLOSE_AT_ONCE, CLOSE_AT_ONCE, CLOSE_AT_ONCE};
    static const int64_t expected[] = {250, 500, 1000, 2000, 2000, 2000};
    fake_broker fb;
    fb_start(&fb, plan, 7);
    jh_link *l = link_to(fb.port);
    fb_run(&fb, l);
    print_message("gaps between attempts (ms): %lld %lld %lld %lld %lld %lld\n", (long long)gap(&fb, 0),
                  (long long)gap(&fb, 1), (long long)gap(&fb, 2), (long long)gap(&fb, 3),
                  (long long)gap(&fb, 4), (long long)gap(&fb, 5));
    for (int i = 0; i < 6; i++) {
        assert_gap(&fb, i, expected[i]);
        assert_int_equal(fb.after[i], JH_LINK_STATE_UNREACHABLE);
        assert_true(fb.reason[i][0] != '\0');
    }
    for (int i = 0; i < 3; i++) /* the order, whatever the machine's load added */
        assert_true(gap(&fb, i) < gap(&fb, i + 1));
    assert_int_equal(jh_link_session(l), 0);
    jh_link_free(l);
    fb_stop(&fb);
}

static void test_unanswered_connect_is_given_up_after_5_s(void **state)
{
    (void)state;
    static const behaviour plan[] = {ANSWER_NOTHING, CLOSE_AT_ONCE, CLOSE_AT_ONCE, CLOSE_AT_ONCE, CLOSE_AT_ONCE};
    fake_broker fb;
    fb_start(&fb, plan, 5);
    jh_link *l = link_to(fb.port);
    fb_run(&fb, l);
    int64_t held = fb.closed_at[0] - fb.at[0];
    if (!fb.closed_at[0] || held < JH_LINK_CONNACK_TIMEOUT_MS - 1 || held > JH_LINK_CONNACK_TIMEOUT_MS + SLACK_MS)
        fail_msg("the link held an unanswered connection for %lld ms (closed: %s), expected %d",
                 (long long)held, fb.closed_at[0] ? "yes" : "no", JH_LINK_CONNACK_TIMEOUT_MS);
    print_message("an unanswered connection was closed after %lld ms\n", (long long)held);
    assert_int_equal(fb.after[0], JH_LINK_STATE_UNREACHABLE);
    assert_non_null(strstr(fb.reason[0], "no answer from the broker"));
    int64_t pause = fb.at[1] - fb.closed_at[0]; /* then the back-off's first step */
    assert_true(pause >= JH_LINK_BACKOFF_MIN_MS - 1 && pause <= JH_LINK_BACKOFF_MIN_MS + SLACK_MS);
    assert_gap(&fb, 1, 500); /* one step further each time, not two: */
    assert_gap(&fb, 2, 1000);
    assert_true(gap(&fb, 3) > gap(&fb, 2) + 500); /* 2 s after 1 s: the cap is not reached early */
    jh_link_free(l);
    fb_stop(&fb);
}

static void test_accepted_connection_resets_backoff(void **state)
{
    (void)state;
    static const behaviour plan[] = {CLOSE_AT_ONCE, CLOSE_AT_ONCE, CLOSE_AT_ONCE, ACCEPT_THEN_CLOSE,
                                     CLOSE_AT_ONCE, CLOSE_AT_ONCE};
    fake_broker fb;
    fb_start(&fb, plan, 6);
    jh_link *l = link_to(fb.port);
    fb_run(&fb, l);
    assert_gap(&fb, 0, 250);
    assert_gap(&fb, 1, 500);
    assert_gap(&fb, 2, 1000);
    assert_gap(&fb, 3, 250); /* up, then lost: the schedule starts again */
    assert_gap(&fb, 4, 500);
    assert_int_equal(fb.after[2], JH_LINK_STATE_UNREACHABLE);
    assert_int_equal(fb.after[3], JH_LINK_STATE_LOST);
    assert_int_equal(fb.after[4], JH_LINK_STATE_UNREACHABLE);
    assert_int_equal(jh_link_session(l), 1);
    jh_link_free(l);
    fb_stop(&fb);
}

static void test_refused_login_keeps_backoff(void **state)
{
    (void)state;
    static const behaviour plan[] = {REFUSE_LOGIN, REFUSE_LOGIN, CLOSE_AT_ONCE, CLOSE_AT_ONCE};
    fake_broker fb;
    fb_start(&fb, plan, 4);
    jh_link *l = link_to(fb.port);
    fb_run(&fb, l);
    assert_gap(&fb, 0, 250);
    assert_gap(&fb, 1, 500); /* a CONNACK that says no is no accepted connection */
    assert_gap(&fb, 2, 1000);
    assert_int_equal(fb.after[0], JH_LINK_STATE_REFUSED);
    assert_int_equal(fb.after[1], JH_LINK_STATE_REFUSED);
    assert_non_null(strstr(fb.reason[1], "not authorised")); /* the refusal, not the close after it */
    assert_int_equal(fb.after[2], JH_LINK_STATE_UNREACHABLE);
    assert_int_equal(jh_link_session(l), 0);
    jh_link_free(l);
    fb_stop(&fb);
}

/* A closed port: the attempt fails as "refused"; jh_link_wait sleeps until the next one. */
static void test_wait_sleeps_until_the_next_attempt(void **state)
{
    (void)state;
    int port;
    close(listen_any(&port)); /* nobody listens there now */
    jh_link *l = link_to(port);
    int64_t end = mono_ms() + RUN_LIMIT_MS, before = 0; /* before the pump that saw it fail */
    while (jh_link_state_of(l) == JH_LINK_STATE_STARTING && mono_ms() < end) {
        jh_link_wait(l, mono_ms(), 50);
        before = mono_ms();
        jh_link_pump(l, before);
    }
    assert_int_equal(jh_link_state_of(l), JH_LINK_STATE_UNREACHABLE);
    assert_non_null(strstr(jh_link_reason(l), "refused"));
    assert_non_null(strstr(jh_link_error(l), "127.0.0.1:"));
    int64_t t0 = mono_ms();
    jh_link_wait(l, t0, 10000);
    int64_t woke = mono_ms(), slept = woke - t0;
    if (slept > JH_LINK_BACKOFF_MIN_MS + SLACK_MS)
        fail_msg("jh_link_wait slept %lld ms with an attempt due within %d ms", (long long)slept,
                 JH_LINK_BACKOFF_MIN_MS);
    if (woke < before + JH_LINK_BACKOFF_MIN_MS - 1) /* and not before it was due */
        fail_msg("jh_link_wait woke %lld ms after the failure, before the back-off's %d ms",
                 (long long)(woke - before), JH_LINK_BACKOFF_MIN_MS);
    jh_link_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backoff_doubles_to_its_cap),
        cmocka_unit_test(test_unanswered_connect_is_given_up_after_5_s),
        cmocka_unit_test(test_accepted_connection_resets_backoff),
        cmocka_unit_test(test_refused_login_keeps_backoff),
        cmocka_unit_test(test_wait_sleeps_until_the_next_attempt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
