/* SPDX-License-Identifier: MIT */
/*
 * test_keypad_pty — the bus master against jiaohao-keypad-sim through a real
 * pseudo-terminal, opened with the project's serial layer (jh_serial), in
 * real time. The simulator runs the real keypad firmware and injects the
 * faults of a real wire: noise before a reply, a reply sent twice, a reply cut
 * in half, a keypad that stops answering. Every press must arrive exactly
 * once, and what the master asks the devices to show must show.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "bus_master.h"
#include "serial_port.h"

static const char script[] =
    "# two counter keypads and a rating pad\n"
    "keypad 1 session 5\n"
    "keypad 2 session 9\n"
    "pad 11 session 3\n"
    "at 0.3 keypad 2 silent\n"
    "at 0.5 keypad 1 press call\n"
    "at 0.515 keypad 1 noise 40       # just after the press is queued\n"
    "at 0.515 keypad 1 duplicate-next\n"
    "at 1.0 keypad 1 bounce finish\n"
    "at 1.035 keypad 1 truncate-next\n"
    "at 1.2 pad 11 rate 4\n"
    "at 1.5 keypad 1 login 1023\n"
    "at 2.0 keypad 2 answer\n"
    "at 4.0 end\n";

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* Starts the simulator; returns its pid and the pty path it published. */
static pid_t start_sim(const char *dir, char *pty, size_t ptylen)
{
    const char *sim = getenv("JH_KEYPAD_SIM");
    assert_non_null(sim);
    char script_path[512], link[512], log[512];
    snprintf(script_path, sizeof script_path, "%s/script", dir);
    snprintf(link, sizeof link, "%s/pty", dir);
    snprintf(log, sizeof log, "%s/log", dir);
    write_file(script_path, script);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execl(sim, sim, "--script", script_path, "--pty-link", link, "--log", log, "--seed", "7", (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 500; i++) {
        FILE *f = fopen(link, "r");
        if (f) {
            char *ok = fgets(pty, (int)ptylen, f);
            fclose(f);
            assert_non_null(ok);
            pty[strcspn(pty, "\n")] = 0;
            return pid;
        }
        usleep(10000);
    }
    kill(pid, SIGTERM);
    fail_msg("simulator did not publish its pty");
    return -1;
}

static int count_input(const bm_event *ev, int n, uint8_t addr, uint8_t kind, uint8_t first)
{
    int c = 0;
    for (int i = 0; i < n; i++)
        if (ev[i].type == BM_EV_INPUT && ev[i].addr == addr && ev[i].ev.kind == kind &&
            (kind == BUS_EV_LOGOUT || ev[i].ev.data[0] == first))
            c++;
    return c;
}

static int count_type(const bm_event *ev, int n, uint8_t addr, bm_event_type type)
{
    int c = 0;
    for (int i = 0; i < n; i++)
        c += ev[i].type == type && ev[i].addr == addr;
    return c;
}

/* Drives the bus until the simulator's script is over. */
static int run_master(bus_master *m, jh_serial *port, int ms, bm_event *events, int max)
{
    char err[256];
    int n = 0;
    int64_t end = mono_ms() + ms;
    for (int64_t now = mono_ms(); now < end; now = mono_ms()) {
        int64_t wait = bm_wait_ms(m, now);
        struct pollfd p = {.fd = jh_serial_fd(port), .events = POLLIN};
        poll(&p, 1, (int)(wait < 20 ? wait : 20));
        uint8_t buf[256];
        ssize_t got = jh_serial_read(port, buf, sizeof buf, 0, err, sizeof err);
        if (got < 0)
            break;                   /* the simulator has gone */
        now = mono_ms();
        bm_rx(m, now, buf, (size_t)got);
        uint8_t out[BUS_WIRE_MAX];
        size_t len = bm_step(m, now, out, sizeof out);
        if (len && jh_serial_write_all(port, out, len, 0, 200, err, sizeof err) != 0)
            fail_msg("%s", err);
        while (n < max && bm_next_event(m, &events[n]))
            n++;
    }
    return n;
}

static char *read_all(const char *path)
{
    static char text[256 * 1024];
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    return text;
}

static void test_master_drives_simulator_over_pty(void **state)
{
    (void)state;
    char dir[] = "/tmp/jh-keypad-pty-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char pty[256];
    pid_t pid = start_sim(dir, pty, sizeof pty);

    jh_serial *port;
    char err[256];
    if (jh_serial_open(&port, pty, 19200, JH_FLOW_NONE, err, sizeof err) != 0) {
        kill(pid, SIGTERM);
        fail_msg("%s", err);
    }
    assert_int_equal(jh_serial_backend_of(port), JH_SERIAL_BACKEND_TERMIOS);

    static bus_master m;
    bm_config cfg;
    bm_config_default(&cfg);
    cfg.offline_poll_every = 2;
    assert_int_equal(bm_init(&m, &cfg), 0);
    assert_int_equal(bm_add_device(&m, 1, BUS_DEV_KEYPAD), 0);
    assert_int_equal(bm_add_device(&m, 2, BUS_DEV_KEYPAD), 0);
    assert_int_equal(bm_add_device(&m, 11, BUS_DEV_RATING_PAD), 0);
    assert_int_equal(bm_set_display(&m, 1, "A012"), 0);
    assert_int_equal(bm_set_leds(&m, 1, BUS_LED_SERVING), 0);
    assert_int_equal(bm_set_ticket(&m, 11, "A012"), 0);

    static bm_event ev[256];
    int n = run_master(&m, port, 4300, ev, 256);
    jh_serial_close(port);

    int status = 0;
    for (int i = 0; i < 200 && waitpid(pid, &status, WNOHANG) == 0; i++)
        usleep(10000);
    if (waitpid(pid, &status, WNOHANG) == 0) {
        kill(pid, SIGTERM);
        waitpid(pid, &status, 0);
    }
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    /* Each press once, despite the noise, the duplicate and the cut reply. */
    assert_int_equal(count_input(ev, n, 1, BUS_EV_KEY, BUS_KEY_CALL), 1);
    assert_int_equal(count_input(ev, n, 1, BUS_EV_KEY, BUS_KEY_FINISH), 1);
    assert_int_equal(count_input(ev, n, 1, BUS_EV_LOGIN, '1'), 1);
    assert_int_equal(count_input(ev, n, 11, BUS_EV_RATE, 4), 1);
    assert_int_equal(count_type(ev, n, 1, BM_EV_INPUT), 3);
    assert_int_equal(count_type(ev, n, 2, BM_EV_INPUT), 0);
    for (int i = 0; i < n; i++)
        if (ev[i].type == BM_EV_INPUT && ev[i].addr == 11)
            assert_memory_equal(ev[i].ev.data + 1, "A012", 4);

    /* The faults did reach the master, and were refused there. */
    assert_true(m.stats.stray >= 1);
    assert_true(m.dec.stats.noise_bytes + bus_decoder_dropped(&m.dec) >= 1);
    assert_true(m.stats.retries >= 1);

    /* Keypad 2 went silent, was declared offline, and came back. */
    assert_int_equal(count_type(ev, n, 2, BM_EV_OFFLINE), 1);
    assert_int_equal(count_type(ev, n, 2, BM_EV_ONLINE), 2);
    assert_int_equal(bm_device_of(&m, 2)->live, BM_ONLINE);

    char log_path[512];
    snprintf(log_path, sizeof log_path, "%s/log", dir);
    const char *log = read_all(log_path);
    assert_non_null(strstr(log, "keypad 1 display \"A012\""));
    assert_non_null(strstr(log, "keypad 1 leds serving"));
    assert_non_null(strstr(log, "keypad 1 display \"L-1023\""));
    assert_non_null(strstr(log, "pad 11 ticket \"A012\" armed"));
    assert_non_null(strstr(log, "pad 11 ticket \"A012\" locked"));
    assert_non_null(strstr(log, "keypad 1 queued 1 key call"));
    assert_non_null(strstr(log, "keypad 1 queued 2 key finish"));
    assert_null(strstr(log, "keypad 1 queued 4"));   /* the bounce made no second finish */

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_master_drives_simulator_over_pty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
