/* SPDX-License-Identifier: MIT */
/*
 * web_main — jiaohao-web: the staff console and the citizens' ticket pages.
 *
 *   jiaohao-web [--config FILE] [--id NAME] [--pages DIR] [--listen ADDR:PORT]
 *
 * Owns: the command line, loading the hall and [web] config, the broker link
 * (common/link jh_link as broker user "web", client id web:<id>, a Last Will
 * on status/web), the one loop — libwebsockets on libev (web_server.c), with a
 * 10 ms timer inside it that pumps the link, answers what timed out, ends idle
 * sessions and kicks systemd's watchdog — and the log. What the routes and
 * sockets do is http_api.c's and ws_api.c's; what comes from and goes to the
 * broker, relay.c's.
 *
 * Bad config exits 2 with one line on stderr (plain HTTP on a non-loopback
 * address is refused here, web_config.c). SIGINT/SIGTERM exit 0 after
 * publishing status/web offline.
 */
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "asset_dir.h"
#include "broker_auth.h"
#include "cli_opts.h"
#include "hall_config.h"
#include "hall_time.h"
#include "http_api.h"
#include "log.h"
#include "mqtt_link.h"
#include "protocol.h"
#include "sd_notify.h"
#include "web_app.h"
#include "web_server.h"
#include "ws_api.h"

#define PROG "jiaohao-web"
#define TICK_US 10000      /* the link gives no socket to wait on: it is pumped this often */
#define SWEEP_EVERY_MS 1000
#define TIMEOUTS_EVERY_MS 100 /* commands unanswered for 8 s: a tenth of a second late is fine */
#define SHUTDOWN_FLUSH_MS 2000

#ifndef JH_VERSION
#define JH_VERSION "0"
#endif

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

typedef struct {
    const char *config, *id, *pages, *listen;
} options;

typedef struct {
    jh_web w;
    jh_hall_config *hall;
    jh_link *link;
    char status_topic[JH_TOPIC_LEN];
    lws_sorted_usec_list_t tick;
    jh_sd_watchdog watchdog;
    jh_sd_status sd_status;
    int64_t next_sweep, next_timeouts;
    int link_was_up;
    char link_error[300];
} daemon_ctx;

/* ------------------------------------------------------------ command line */

static void usage(FILE *out)
{
    fprintf(out, "usage: " PROG " [--config FILE] [--id NAME] [--pages DIR] [--listen ADDR:PORT]\n"
                 "  --config FILE      hall configuration with its [web] section (default assets/hall.ini)\n"
                 "  --id NAME          this console's name in its broker client id web:<NAME> (default console)\n"
                 "  --pages DIR        the pages' folder (default [web] pages, else <asset dir>/web)\n"
                 "  --listen ADDR:PORT where to listen (default [web] listen, else 127.0.0.1:8080)\n"
                 "  --help             this text\n");
}

static int parse_args(int argc, char **argv, options *o)
{
    *o = (options){.config = "assets/hall.ini", .id = "console"};
    const jh_cli_opt opts[] = {
        {.name = "--config", .text = &o->config},
        {.name = "--id", .text = &o->id},
        {.name = "--pages", .text = &o->pages},
        {.name = "--listen", .text = &o->listen},
    };
    return jh_cli_parse(PROG, argc, argv, opts, sizeof opts / sizeof opts[0], usage);
}

static int load_config(daemon_ctx *d, const options *o, char *err, size_t errlen)
{
    jh_web_config *wc = &d->w.cfg;
    if (jh_config_load(d->hall, o->config, err, errlen) < 0 ||
        jh_time_set_zone(d->hall->timezone, err, errlen) < 0 || jh_web_config_load(wc, o->config, err, errlen) < 0)
        return -1;
    if (o->listen) {
        char why[200];
        if (jh_web_parse_listen(o->listen, wc->host, sizeof wc->host, &wc->port, why, sizeof why) < 0) {
            snprintf(err, errlen, "--listen %s", why);
            return -1;
        }
        wc->listen_line = 0;
    }
    if (o->pages)
        snprintf(wc->pages, sizeof wc->pages, "%s", o->pages);
    else if (!wc->pages[0] && jh_asset_path("web", wc->pages, sizeof wc->pages, err, errlen) < 0)
        return -1;
    if (jh_web_config_check(wc, err, errlen) < 0)
        return -1;
    d->w.hall = d->hall;
    d->w.tls = jh_web_tls(wc);
    return 0;
}

/* ------------------------------------------------------------ broker link */

static int relay_publish(void *user, const char *topic, const char *payload, size_t len, char *why, size_t wl)
{
    daemon_ctx *d = user;
    jh_link_result r = jh_link_publish(d->link, topic, payload, len, 0, why, wl);
    return r == JH_LINK_SENT || r == JH_LINK_QUEUED ? 0 : -1;
}

static void relay_state(void *user, const char *topic, const char *data, size_t len)
{
    jh_ws_on_state(&((daemon_ctx *)user)->w, topic, data, len);
}

static void relay_event(void *user, const char *kind, const char *data, size_t len, const cJSON *ev)
{
    jh_ws_on_event(&((daemon_ctx *)user)->w, kind, data, len, ev);
}

static void relay_reply(void *user, uint64_t owner, int tag, const char *browser_id, const cJSON *reply)
{
    daemon_ctx *d = user;
    if (tag == JH_TAG_LOGIN_AUTH || tag == JH_TAG_LOGIN_COUNTER)
        jh_api_on_reply(&d->w, owner, tag, reply);
    else if (tag != JH_TAG_FIRE)
        jh_ws_on_reply(&d->w, owner, tag, browser_id, reply);
}

static void relay_day(void *user, int day)
{
    daemon_ctx *d = user;
    jh_sessions_set_day(d->w.sessions, day);
    jh_log(JH_LOG_INFO, "business day %d: sessions of other days end", day);
}

static void on_link_message(void *user, const char *topic, const void *payload, size_t len)
{
    daemon_ctx *d = user;
    jh_relay_on_message(d->w.relay, topic, payload, len, jh_web_now());
}

static void publish_status(daemon_ctx *d, int online)
{
    char at[40], json[200], err[300];
    jh_time_iso8601(jh_time_now_ms(), at, sizeof at);
    snprintf(json, sizeof json, "{\"online\":%s,\"version\":\"%s\",\"at\":\"%s\"}", online ? "true" : "false",
             JH_VERSION, at);
    jh_link_result r = jh_link_publish(d->link, d->status_topic, json, strlen(json), 1, err, sizeof err);
    if (r != JH_LINK_SENT && r != JH_LINK_QUEUED)
        jh_log(JH_LOG_WARN, "status/web: %s", err);
}

static void on_link_session(void *user) { publish_status(user, 1); }

static int open_link(daemon_ctx *d, const char *id, char *err, size_t errlen)
{
    const jh_hall_config *c = d->hall;
    char user[JH_ID_LEN], pw[JH_PASSWORD_LEN], client_id[JH_CLIENT_ID_LEN];
    if (jh_broker_login(c, "web", user, sizeof user, pw, sizeof pw, err, errlen) < 0 ||
        jh_client_id(client_id, sizeof client_id, user, id, err, errlen) < 0)
        return -1;
    jh_link_opts lo = {.host = c->broker_host, .port = c->broker_port, .user = user, .password = pw,
                       .client_id = client_id, .cafile = c->broker_cafile, .certfile = c->broker_certfile,
                       .keyfile = c->broker_keyfile, .n_topics = JH_RELAY_TOPICS};
    for (int i = 0; i < JH_RELAY_TOPICS; i++)
        lo.topics[i] = jh_relay_topic(d->w.relay, i);
    d->link = jh_link_new(&lo, on_link_message, on_link_session, d, err, errlen);
    sodium_memzero(pw, sizeof pw);
    if (!d->link || jh_topic(d->status_topic, sizeof d->status_topic, c->site, "status/web") < 0)
        return -1;
    snprintf(d->link_error, sizeof d->link_error, "%s", jh_link_error(d->link));
    return jh_link_set_will(d->link, d->status_topic, "{\"online\":false}", 1, err, errlen);
}

static void log_link(daemon_ctx *d)
{
    int up = jh_link_connected(d->link);
    const char *why = jh_link_error(d->link);
    if (up && !d->link_was_up)
        jh_log(JH_LOG_INFO, "connected to broker %s:%d", d->hall->broker_host, d->hall->broker_port);
    else if (!up && strcmp(why, d->link_error) != 0)
        jh_log(JH_LOG_WARN, "broker: %s; retrying (commands are refused \"unavailable\" meanwhile)", why);
    d->link_was_up = up;
    d->w.link_up = up;
    snprintf(d->link_error, sizeof d->link_error, "%s", up ? "" : why);
}

/* -------------------------------------------------------------------- loop */

static void session_over(void *user, const jh_session *s, const char *reason)
{
    jh_web *w = user;
    jh_log(JH_LOG_INFO, "session of %s ends: %s", s->staff_id, reason);
    jh_ws_end_session(w, s->serial, reason);
}

static void status_line(const daemon_ctx *d, char *out, size_t n)
{
    const jh_web *w = &d->w;
    char broker[360];
    if (jh_link_connected(d->link))
        snprintf(broker, sizeof broker, "broker connected");
    else
        snprintf(broker, sizeof broker, "broker unreachable (%s)", jh_link_error(d->link));
    int len = snprintf(out, n, "%s; %d sessions, %d staff sockets, %d citizen pages, %d waiting for the caller",
                       broker, jh_sessions_count(w->sessions), w->n_staff, w->n_citizen, jh_relay_pending(w->relay));
    if (len >= (int)n) /* a long broker error: the line is cut, as systemd would cut it */
        jh_log(JH_LOG_DEBUG, "status line cut at %zu bytes", n - 1);
}

static void tick(lws_sorted_usec_list_t *sul)
{
    daemon_ctx *d = lws_container_of(sul, daemon_ctx, tick);
    char err[300], line[JH_SD_STATUS_MAX];
    int64_t now = jh_web_now();
    jh_link_pump(d->link, now);
    log_link(d);
    if (now >= d->next_timeouts) {
        jh_relay_pump(d->w.relay, now);
        d->next_timeouts = now + TIMEOUTS_EVERY_MS;
    }
    if (now >= d->next_sweep) {
        jh_sessions_sweep(d->w.sessions, now, session_over, &d->w);
        jh_ws_pump(&d->w, now);
        d->next_sweep = now + SWEEP_EVERY_MS;
    }
    if (jh_sd_watchdog_kick(&d->watchdog, now, err, sizeof err) < 0)
        jh_log(JH_LOG_WARN, "systemd watchdog: %s", err);
    status_line(d, line, sizeof line);
    if (jh_sd_status_set(&d->sd_status, line, now, err, sizeof err) < 0)
        jh_log(JH_LOG_WARN, "systemd: %s", err);
    if (!g_stop)
        lws_sul_schedule(d->w.ctx, 0, &d->tick, tick, TICK_US);
    else
        jh_web_server_break(&d->w);
}

static void run(daemon_ctx *d)
{
    char err[300];
    lws_sul_schedule(d->w.ctx, 0, &d->tick, tick, 1);
    if (jh_sd_notify("READY=1", err, sizeof err) < 0)
        jh_log(JH_LOG_WARN, "systemd: %s", err);
    jh_web_server_run(&d->w);
    if (jh_sd_notify("STOPPING=1", err, sizeof err) < 0)
        jh_log(JH_LOG_WARN, "systemd: %s", err);
}

static void shut_down(daemon_ctx *d)
{
    jh_log(JH_LOG_INFO, "stopping");
    lws_sul_cancel(&d->tick);
    if (jh_link_connected(d->link))
        publish_status(d, 0);
    int64_t deadline = jh_web_now() + SHUTDOWN_FLUSH_MS;
    while (jh_link_connected(d->link) && jh_link_unacked(d->link) > 0 && jh_web_now() < deadline) {
        jh_link_pump(d->link, jh_web_now());
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
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

/* Every socket is a descriptor: 2000 phones need more than the usual soft limit of 1024. */
static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max > 65536 ? 65536 : rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static int start(daemon_ctx *d, const options *o, char *err, size_t errlen)
{
    if (load_config(d, o, err, errlen) < 0)
        return -1;
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium failed to start");
        return -1;
    }
    jh_web *w = &d->w;
    unsigned char raw[6];
    char prefix[13];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(prefix, sizeof prefix, raw, sizeof raw);
    jh_relay_io io = {.publish = relay_publish, .on_state = relay_state, .on_event = relay_event,
                      .on_reply = relay_reply, .on_day = relay_day, .user = d};
    w->sessions = jh_sessions_new(JH_WEB_SESSIONS_MAX, (int64_t)w->cfg.idle_minutes * 60000);
    w->limit = jh_login_limit_new(w->cfg.login_per_minute, 1024);
    if (!w->sessions || !w->limit) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (!(w->relay = jh_relay_new(d->hall->site, prefix, &io, err, errlen)) || open_link(d, o->id, err, errlen) < 0)
        return -1;
    raise_fd_limit();
    return jh_web_server_start(w, err, errlen);
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
        jh_log(JH_LOG_INFO, "console on %s://%s:%d, pages %s, broker %s:%d", d->w.tls ? "https" : "http",
               d->w.cfg.host, d->w.cfg.port, d->w.cfg.pages, d->hall->broker_host, d->hall->broker_port);
        run(d);
        shut_down(d);
        rc = 0;
    }
    jh_web_server_stop(&d->w);
    jh_link_free(d->link);
    jh_relay_free(d->w.relay);
    jh_sessions_free(d->w.sessions);
    jh_login_limit_free(d->w.limit);
    free(d->hall);
    free(d);
    return rc;
}
