/* SPDX-License-Identifier: MIT */
/*
 * bridge_main — jiaohao-bridge: the wired keypad bus ↔ the hall's broker.
 *
 *   jiaohao-bridge [--config FILE] [--id BRIDGE] [--device PATH]
 *
 * Owns: the command line, loading the hall and [bridge <id>] config, the
 * serial port (reopened by itself if the adapter goes away), the broker link
 * (common/link/mqtt_link, with a Last Will on status/<id>), the one poll loop
 * that drives both, and the log. What things mean is bridge.c's job.
 *
 * The bus keeps running whatever the broker does: keypads keep answering,
 * presses wait in the bridge's outbox and go out when the broker is back.
 * Bad input exits 2 with one line on stderr; SIGINT/SIGTERM exit 0 after
 * publishing status/<id> offline.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bridge.h"
#include "bridge_config.h"
#include "cli_opts.h"
#include "hall_config.h"
#include "hall_time.h"
#include "log.h"
#include "broker_auth.h"
#include "mqtt_link.h"
#include "sd_notify.h"
#include "serial_port.h"

#define PROG "jiaohao-bridge"
#define WRITE_TIMEOUT_MS 200
#define REOPEN_EVERY_MS 1000
#define MAX_SLEEP_MS 20    /* the link gives no socket to poll: look at it this often */
#define SHUTDOWN_FLUSH_MS 2000

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

typedef struct {
    const char *config, *id, *device;
} options;

typedef struct {
    jh_hall_config *hall;
    jh_bridge_config bc;
    bus_master bus;
    jh_bridge *bridge;
    jh_link *link;
    jh_serial *port;
    int64_t reopen_at;
    int link_was_up;
    char link_error[300];
} daemon_ctx;

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------ command line */

static void usage(FILE *out)
{
    fprintf(out,
            "usage: " PROG " [--config FILE] [--id BRIDGE] [--device PATH]\n"
            "  --config FILE  hall configuration (default assets/hall.ini)\n"
            "  --id BRIDGE    which [bridge <id>] section (default: the first)\n"
            "  --device PATH  serial device of the RS-485 bus (default: the section's device)\n"
            "  --help         this text\n");
}

/* 0: run; -1: exit 0 (help); > 0: exit with that status (message printed). */
static int parse_args(int argc, char **argv, options *o)
{
    o->config = "assets/hall.ini";
    o->id = o->device = NULL;
    const jh_cli_opt opts[] = {
        {.name = "--config", .text = &o->config},
        {.name = "--id", .text = &o->id},
        {.name = "--device", .text = &o->device},
    };
    return jh_cli_parse(PROG, argc, argv, opts, sizeof opts / sizeof opts[0], usage);
}

/* ---------------------------------------------------------------- config */

static int load_config(daemon_ctx *d, const options *o, char *err, size_t errlen)
{
    /* The zone first: the status document's times are hall time. */
    if (jh_config_load(d->hall, o->config, err, errlen) < 0 ||
        jh_time_set_zone(d->hall->timezone, err, errlen) < 0 ||
        jh_bridge_config_load(&d->bc, o->config, o->id, err, errlen) < 0 ||
        jh_bridge_config_check(&d->bc, d->hall, err, errlen) < 0)
        return -1;
    if (o->device)
        snprintf(d->bc.device, sizeof d->bc.device, "%s", o->device);
    if (!d->bc.device[0]) {
        snprintf(err, errlen, "%s: [bridge %s] has no device (set device = or give --device)",
                 o->config, d->bc.id);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ broker link */

static void on_link_message(void *user, const char *topic, const void *payload, size_t len)
{
    jh_bridge_on_message(((daemon_ctx *)user)->bridge, topic, payload, len);
}

static void on_link_session(void *user) { jh_bridge_on_session(((daemon_ctx *)user)->bridge); }

/* bridge.h's publish: -1 only when there is no connection to hand it to. */
static int link_publish(void *user, const char *topic, const char *payload, int retain)
{
    daemon_ctx *d = user;
    char err[400];
    jh_link_result r = jh_link_publish(d->link, topic, payload, strlen(payload), retain, err, sizeof err);
    if (r == JH_LINK_DOWN)
        return -1;
    /* QUEUED goes out after the reconnect (resending would duplicate it);
     * REFUSED can never go (too large): neither is tried again. */
    if (r != JH_LINK_SENT)
        jh_log(JH_LOG_WARN, "%s", err);
    return 0;
}

static void on_notice(void *user, jh_log_level level, const char *text)
{
    (void)user;
    jh_log(level, "%s", text);
}

static int open_link(daemon_ctx *d, char *err, size_t errlen)
{
    const jh_hall_config *c = d->hall;
    char user[JH_ID_LEN], pw[JH_PASSWORD_LEN], client_id[JH_CLIENT_ID_LEN];
    if (jh_broker_login(c, "bridge", user, sizeof user, pw, sizeof pw, err, errlen) < 0)
        return -1;
    if (jh_client_id(client_id, sizeof client_id, user, d->bc.id, err, errlen) < 0)
        return -1;
    jh_link_opts lo = {.host = c->broker_host, .port = c->broker_port, .user = user, .password = pw,
                       .client_id = client_id, .cafile = c->broker_cafile,
                       .certfile = c->broker_certfile, .keyfile = c->broker_keyfile,
                       .n_topics = JH_BRIDGE_TOPICS};
    for (int i = 0; i < JH_BRIDGE_TOPICS; i++)
        lo.topics[i] = jh_bridge_topic(d->bridge, i);
    d->link = jh_link_new(&lo, on_link_message, on_link_session, d, err, errlen);
    memset(pw, 0, sizeof pw);
    if (!d->link)
        return -1;
    /* "not connected yet" is not news: log only what the first attempt says. */
    snprintf(d->link_error, sizeof d->link_error, "%s", jh_link_error(d->link));
    return jh_link_set_will(d->link, jh_bridge_status_topic(d->bridge), jh_bridge_will_payload(), 1,
                            err, errlen);
}

/* One line per change of the link, not one per retry. */
static void log_link(daemon_ctx *d)
{
    int up = jh_link_connected(d->link);
    const char *why = jh_link_error(d->link);
    if (up && !d->link_was_up)
        jh_log(JH_LOG_INFO, "connected to broker %s:%d", d->hall->broker_host, d->hall->broker_port);
    else if (!up && strcmp(why, d->link_error) != 0)
        jh_log(JH_LOG_WARN, "broker: %s; retrying (the bus keeps running, presses wait)", why);
    d->link_was_up = up;
    snprintf(d->link_error, sizeof d->link_error, "%s", up ? "" : why);
}

/* ------------------------------------------------------------- serial bus */

static int open_port(daemon_ctx *d, char *err, size_t errlen)
{
    return jh_serial_open(&d->port, d->bc.device, d->bc.baud, d->bc.flow, err, errlen);
}

static void lose_port(daemon_ctx *d, const char *why, int64_t now)
{
    jh_log(JH_LOG_ERROR, "bus device %s: %s; reopening every %d ms", d->bc.device, why, REOPEN_EVERY_MS);
    jh_serial_close(d->port);
    d->port = NULL;
    d->reopen_at = now + REOPEN_EVERY_MS;
}

static void reopen_port(daemon_ctx *d, int64_t now)
{
    char err[300];
    if (d->port || now < d->reopen_at)
        return;
    if (open_port(d, err, sizeof err) == 0)
        jh_log(JH_LOG_INFO, "bus device %s open again", d->bc.device);
    else
        d->reopen_at = now + REOPEN_EVERY_MS;
}

/* Reads what arrived, then sends what the master wants sent. Without a port
 * the master still runs: its requests go nowhere and the devices turn offline. */
static void bus_round(daemon_ctx *d, int64_t now)
{
    bus_master *m = &d->bus;
    char err[300];
    uint8_t buf[512];
    ssize_t got;
    while (d->port && (got = jh_serial_read(d->port, buf, sizeof buf, 0, err, sizeof err)) != 0) {
        if (got < 0)
            lose_port(d, err, now);
        else
            bm_rx(m, now, buf, (size_t)got);
    }
    uint8_t out[BUS_WIRE_MAX];
    size_t len = bm_step(m, now, out, sizeof out);
    if (len && d->port && jh_serial_write_all(d->port, out, len, 0, WRITE_TIMEOUT_MS, err, sizeof err) < 0)
        lose_port(d, err, now);
}

/* ------------------------------------------------------------------ loop */

static void wait_for_io(daemon_ctx *d, int64_t now)
{
    int64_t wait = bm_wait_ms(&d->bus, now);
    if (wait > MAX_SLEEP_MS)
        wait = MAX_SLEEP_MS;
    struct pollfd p = {.fd = d->port ? jh_serial_fd(d->port) : -1, .events = POLLIN};
    if (poll(&p, 1, (int)wait) < 0 && errno != EINTR)
        jh_log(JH_LOG_ERROR, "poll: %s", strerror(errno));
}

/* systemctl status's line: the broker link, the bus and the keypads on it, what waits. */
static void status_line(const daemon_ctx *d, char *out, size_t n)
{
    int online = 0, queued = jh_bridge_queued(d->bridge), unanswered = jh_bridge_unanswered(d->bridge);
    for (int i = 0; i < d->bc.n_dev; i++) {
        const bm_device *bd = bm_device_of(&d->bus, (uint8_t)d->bc.dev[i].addr);
        online += bd && bd->live == BM_ONLINE;
    }
    char broker[360], bus[300];
    if (jh_link_connected(d->link))
        snprintf(broker, sizeof broker, "broker connected");
    else
        snprintf(broker, sizeof broker, "broker unreachable (%s)", jh_link_error(d->link));
    if (d->port)
        snprintf(bus, sizeof bus, "keypads %d/%d online", online, d->bc.n_dev);
    else
        snprintf(bus, sizeof bus, "bus device %.200s lost; reopening", d->bc.device);
    int len = snprintf(out, n, "%s; %s; %d command%s queued, %d unanswered", broker, bus, queued,
                       queued == 1 ? "" : "s", unanswered);
    if (len >= (int)n) /* a long broker error: the line is cut, as systemd would cut it */
        jh_log(JH_LOG_DEBUG, "status line cut at %zu bytes", n - 1);
}

/* systemd (sd_notify.h): ready once the bus is open, the broker may come later;
 * the watchdog is kicked from this loop, so a wedged round gets the bridge restarted,
 * and the status line is said from here whenever it changes. */
static void run(daemon_ctx *d)
{
    jh_sd_watchdog watchdog = {0};
    jh_sd_status status = {0};
    char err[300], line[JH_SD_STATUS_MAX];
    if (jh_sd_notify("READY=1", err, sizeof err) < 0)
        jh_log(JH_LOG_WARN, "systemd: %s", err);
    while (!g_stop) {
        int64_t now = mono_ms();
        reopen_port(d, now);
        jh_link_pump(d->link, now);
        log_link(d);
        bus_round(d, now);
        jh_bridge_pump(d->bridge, now);
        wait_for_io(d, mono_ms());
        if (jh_sd_watchdog_kick(&watchdog, mono_ms(), err, sizeof err) < 0)
            jh_log(JH_LOG_WARN, "systemd watchdog: %s", err);
        status_line(d, line, sizeof line);
        if (jh_sd_status_set(&status, line, mono_ms(), err, sizeof err) < 0)
            jh_log(JH_LOG_WARN, "systemd: %s", err);
    }
    if (jh_sd_notify("STOPPING=1", err, sizeof err) < 0)
        jh_log(JH_LOG_WARN, "systemd: %s", err);
}

/* Says offline (the Will is not sent after a clean DISCONNECT) and lets it out. */
static void shut_down(daemon_ctx *d)
{
    jh_log(JH_LOG_INFO, "stopping");
    if (jh_bridge_queued(d->bridge) > 0)
        jh_log(JH_LOG_WARN, "%d commands never reached the broker", jh_bridge_queued(d->bridge));
    char *json = jh_bridge_status_json(d->bridge, 0);
    if (json)
        link_publish(d, jh_bridge_status_topic(d->bridge), json, 1);
    free(json);
    int64_t deadline = mono_ms() + SHUTDOWN_FLUSH_MS;
    while (jh_link_connected(d->link) && jh_link_unacked(d->link) > 0 && mono_ms() < deadline) {
        jh_link_pump(d->link, mono_ms());
        poll(NULL, 0, 5);
    }
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static int start(daemon_ctx *d, const options *o, char *err, size_t errlen)
{
    jh_bridge_io io = {.publish = link_publish, .notice = on_notice, .user = d};
    if (load_config(d, o, err, errlen) < 0)
        return -1;
    if (jh_bridge_bus_setup(&d->bus, &d->bc, err, errlen) < 0 ||
        !(d->bridge = jh_bridge_new(&d->bc, d->hall, &d->bus, &io, err, errlen)))
        return -1;
    if (open_link(d, err, errlen) < 0)
        return -1;
    return open_port(d, err, errlen);
}

int main(int argc, char **argv)
{
    options o;
    int a = parse_args(argc, argv, &o);
    if (a != 0)
        return a < 0 ? 0 : a;
    jh_log_init(PROG, getenv("JH_DEBUG") ? JH_LOG_DEBUG : JH_LOG_INFO);
    daemon_ctx *d = calloc(1, sizeof *d);
    char err[1024];
    if (!d || !(d->hall = calloc(1, sizeof *d->hall))) {
        fprintf(stderr, PROG ": out of memory\n");
        free(d);
        return 1;
    }
    int rc = 2;
    if (start(d, &o, err, sizeof err) < 0) {
        fprintf(stderr, PROG ": %s\n", err);
    } else {
        install_signals();
        jh_log(JH_LOG_INFO, "bridge %s: %s at %d baud, %d devices, broker %s:%d", d->bc.id, d->bc.device,
               d->bc.baud, d->bc.n_dev, d->hall->broker_host, d->hall->broker_port);
        run(d);
        shut_down(d);
        rc = 0;
    }
    jh_link_free(d->link);
    jh_serial_close(d->port);
    jh_bridge_free(d->bridge);
    free(d->hall);
    free(d);
    return rc;
}
