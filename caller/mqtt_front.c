/* SPDX-License-Identifier: MIT */
/*
 * mqtt_front — see mqtt_front.h.
 *
 * Why our own poll loop instead of mosquitto_loop_start(): the engine is not
 * thread-safe and must see commands and ticks one at a time, and a single
 * thread makes the order reply → events → states trivially true.
 *
 * Events are acknowledged to the engine only when the broker has PUBACKed
 * them (on_publish), not when libmosquitto queued them: a crash in between
 * then re-sends them on restart (displays drop duplicates by seq) instead of
 * losing them. The session is persistent (clean_session=false), so commands
 * sent while the daemon is down wait at the broker, and libmosquitto re-sends
 * its own unacknowledged publishes after a reconnect.
 *
 * Simulation (jh_front_set_sim_clock): one virtual clock stands behind both
 * the commands and the ticks, and only the admin op `clock` moves it
 * (sim_clock.h), so a simulated day over MQTT is the same day as one played
 * through the engine directly, however fast or slow the machine is. On the
 * real clock `clock` is refused "not-simulated".
 */
#include "mqtt_front.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <mosquitto.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "broker_auth.h"
#include "hall_time.h"
#include "log.h"
#include "protocol.h"
#include "sd_notify.h"
#include "sim_clock.h"

#define KEEPALIVE_S 15
#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 5000
#define TICK_MS 1000
#define MAX_EVENTS_IN_FLIGHT 256 /* beyond this, events wait in the engine's outbox */
#define SHUTDOWN_FLUSH_MS 2000

typedef enum { LINK_DOWN, LINK_UP, LINK_UNREACHABLE, LINK_REFUSED } link_state;

typedef struct {
    int mid;
    int64_t seq;
    int done;
} inflight_event;

struct jh_front {
    const jh_hall_config *cfg;
    jh_engine *engine;
    struct mosquitto *mosq;
    char version[64];
    char started_at[40];
    char status_topic[JH_TOPIC_LEN];

    int socket_open;     /* TCP connected (CONNACK may still be pending) */
    int ever_opened;     /* mosquitto_connect once, mosquitto_reconnect after */
    int connected;       /* CONNACK accepted */
    int just_connected;  /* set by on_connect; the loop does the connect work */
    link_state logged;   /* last link state written to the log */
    int64_t next_attempt_ms;
    int backoff_ms;

    unsigned char service_dirty[JH_MAX_SERVICES];
    unsigned char counter_dirty[JH_MAX_COUNTERS];
    int hall_dirty;

    int64_t published_seq; /* highest event seq handed to libmosquitto */
    inflight_event inflight[MAX_EVENTS_IN_FLIGHT];
    int n_inflight;
    int outstanding; /* our QoS 1 publishes still waiting for PUBACK */
    int store_failing;

    int sim;         /* on a simulated clock: time moves only by the admin op `clock` */
    int64_t sim_now; /* that clock, epoch ms */
};

/* The hall's "now": the wall clock, or the simulated one. */
static int64_t hall_now(const jh_front *f) { return f->sim ? f->sim_now : jh_time_now_ms(); }

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void log_link(jh_front *f, link_state s, const char *detail)
{
    if (f->logged == s)
        return;
    f->logged = s;
    const jh_hall_config *c = f->cfg;
    if (s == LINK_UP)
        jh_log(JH_LOG_INFO, "connected to broker %s:%d", c->broker_host, c->broker_port);
    else if (s == LINK_UNREACHABLE)
        jh_log(JH_LOG_WARN, "broker %s:%d unreachable (%s); retrying", c->broker_host, c->broker_port, detail);
    else if (s == LINK_REFUSED)
        jh_log(JH_LOG_ERROR, "broker refused the connection (%s); retrying", detail);
    else
        jh_log(JH_LOG_WARN, "lost the broker (%s); reconnecting", detail);
}

/* ---- publishing ---- */

static int publish(jh_front *f, const char *suffix, const char *payload, int retain, int *mid)
{
    char topic[JH_TOPIC_LEN];
    if (jh_topic(topic, sizeof topic, f->cfg->site, suffix) < 0) {
        jh_log(JH_LOG_ERROR, "topic too long: %s", suffix);
        return -1;
    }
    int rc = mosquitto_publish(f->mosq, mid, topic, (int)strlen(payload), payload, 1, retain);
    /* NO_CONN: a QoS 1 message is still queued and goes out after reconnecting. */
    if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_NO_CONN) {
        jh_log(JH_LOG_ERROR, "publish %s: %s", topic, mosquitto_strerror(rc));
        return -1;
    }
    f->outstanding++;
    return 0;
}

static void publish_state(jh_front *f, const char *suffix, char *payload)
{
    if (!payload) {
        jh_log(JH_LOG_ERROR, "engine gave no state for %s", suffix);
        return;
    }
    publish(f, suffix, payload, 1, NULL);
    free(payload);
}

static void flush_dirty(jh_front *f)
{
    if (!f->connected)
        return; /* everything is republished on connect anyway */
    int64_t now = hall_now(f);
    char suffix[JH_TOPIC_LEN];
    for (int i = 0; i < f->cfg->n_services; i++) {
        if (!f->service_dirty[i])
            continue;
        f->service_dirty[i] = 0;
        snprintf(suffix, sizeof suffix, "state/service/%s", f->cfg->services[i].code);
        publish_state(f, suffix, jh_engine_service_state(f->engine, i, now));
    }
    for (int i = 0; i < f->cfg->n_counters; i++) {
        if (!f->counter_dirty[i])
            continue;
        f->counter_dirty[i] = 0;
        snprintf(suffix, sizeof suffix, "state/counter/%s", f->cfg->counters[i].id);
        publish_state(f, suffix, jh_engine_counter_state(f->engine, i, now));
    }
    if (f->hall_dirty) {
        f->hall_dirty = 0;
        publish_state(f, "state/hall", jh_engine_hall_state(f->engine, now));
    }
}

static void mark_all_dirty(jh_front *f)
{
    memset(f->service_dirty, 1, sizeof f->service_dirty);
    memset(f->counter_dirty, 1, sizeof f->counter_dirty);
    f->hall_dirty = 1;
}

static void merge_dirty(jh_front *f, const jh_outcome *o)
{
    for (int i = 0; i < JH_MAX_SERVICES; i++)
        f->service_dirty[i] |= o->service_dirty[i];
    for (int i = 0; i < JH_MAX_COUNTERS; i++)
        f->counter_dirty[i] |= o->counter_dirty[i];
    f->hall_dirty |= o->hall_dirty;
}

/* Hands outbox events to libmosquitto, oldest first, while there is room. */
static void drain_outbox(jh_front *f)
{
    while (f->connected && f->n_inflight < MAX_EVENTS_IN_FLIGHT) {
        jh_event ev;
        int r = jh_engine_outbox_next(f->engine, f->published_seq, &ev);
        if (r < 0)
            jh_log(JH_LOG_ERROR, "reading the event outbox failed");
        if (r <= 0)
            return;
        char suffix[64];
        snprintf(suffix, sizeof suffix, "event/%s", ev.kind);
        int mid = 0;
        int rc = publish(f, suffix, ev.payload, 0, &mid);
        int64_t seq = ev.seq;
        jh_event_free(&ev);
        if (rc < 0)
            return; /* stays in the outbox; tried again on the next drain */
        f->inflight[f->n_inflight++] = (inflight_event){mid, seq, 0};
        f->published_seq = seq;
    }
}

/* PUBACK for `mid`: acknowledge every event up to the oldest one still unacked. */
static void event_acked(jh_front *f, int mid)
{
    int i;
    for (i = 0; i < f->n_inflight && f->inflight[i].mid != mid; i++)
        ;
    if (i == f->n_inflight)
        return; /* a reply or a state, not an event */
    f->inflight[i].done = 1;
    int n = 0;
    while (n < f->n_inflight && f->inflight[n].done)
        n++;
    if (n == 0)
        return;
    if (jh_engine_outbox_ack(f->engine, f->inflight[n - 1].seq) < 0)
        jh_log(JH_LOG_ERROR, "acknowledging events up to %lld failed", (long long)f->inflight[n - 1].seq);
    memmove(f->inflight, f->inflight + n, (size_t)(f->n_inflight - n) * sizeof f->inflight[0]);
    f->n_inflight -= n;
}

/* ---- replies ---- */

static void reply(jh_front *f, const jh_command *cmd, const jh_origin *origin, const char *payload)
{
    const char *to = cmd->reply_to[0] ? cmd->reply_to : origin->id;
    char suffix[JH_TOPIC_LEN];
    snprintf(suffix, sizeof suffix, "reply/%s", to);
    if (payload)
        publish(f, suffix, payload, 0, NULL);
}

/* ---- time ---- */

/* One engine tick at `at` (a jh_sim_tick_fn); what it changed is published by the caller. */
static int engine_tick(void *front, int64_t at, char *err, size_t errlen)
{
    jh_front *f = front;
    jh_outcome out;
    memset(&out, 0, sizeof out);
    int rc = jh_engine_tick(f->engine, at, &out, err, errlen);
    merge_dirty(f, &out);
    jh_outcome_free(&out);
    return rc;
}

/* Wall-clock tick (the real clock only). */
static void tick(jh_front *f)
{
    char err[256] = "";
    if (engine_tick(f, jh_time_now_ms(), err, sizeof err) < 0) {
        if (!f->store_failing)
            jh_log(JH_LOG_ERROR, "engine tick failed: %s", err);
        f->store_failing = 1;
    } else if (f->store_failing) {
        jh_log(JH_LOG_INFO, "engine tick works again");
        f->store_failing = 0;
    }
    drain_outbox(f);
    flush_dirty(f);
}

static void reply_refusal(jh_front *f, const jh_command *cmd, const jh_origin *origin,
                          const char *code, const char *message)
{
    jh_error e;
    snprintf(e.code, sizeof e.code, "%s", code);
    snprintf(e.message, sizeof e.message, "%s", message);
    char *r = jh_reply_error_json(cmd->id, &e);
    reply(f, cmd, origin, r);
    free(r);
}

/* {id, ok:true, now, ticks}: where the clock is now and how often the engine ticked. */
static char *clock_reply(const jh_front *f, const char *id, int ticks)
{
    char now[40];
    cJSON *o = cJSON_CreateObject();
    char *text = NULL;
    if (o && cJSON_AddStringToObject(o, "id", id) && cJSON_AddTrueToObject(o, "ok") &&
        cJSON_AddStringToObject(o, "now", jh_time_iso8601(f->sim_now, now, sizeof now)) &&
        cJSON_AddNumberToObject(o, "ticks", ticks))
        text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

/* The admin op `clock {to}`: moves the simulated clock, ticking on the way. Not recorded
 * as a command (it is no state change of the hall's own), so a resent one is harmless. */
static void handle_clock(jh_front *f, const jh_command *cmd, const jh_origin *origin)
{
    char err[256] = "";
    if (!f->sim) {
        reply_refusal(f, cmd, origin, "not-simulated",
                      "this caller runs on the real clock; only one started with --sim-clock takes clock");
        return;
    }
    if (cmd->clock_to < f->sim_now) {
        char at[40];
        snprintf(err, sizeof err, "the simulated clock is at %s and never goes back",
                 jh_time_iso8601(f->sim_now, at, sizeof at));
        reply_refusal(f, cmd, origin, "bad-field", err);
        return;
    }
    int ticks = jh_sim_clock_advance(&f->sim_now, cmd->clock_to, engine_tick, f, err, sizeof err);
    if (ticks < 0) {
        jh_log(JH_LOG_ERROR, "store failed on clock: %s", err);
        reply_refusal(f, cmd, origin, "internal", "the store failed; the clock stopped at the last good tick");
    } else {
        char *r = clock_reply(f, cmd->id, ticks);
        reply(f, cmd, origin, r);
        free(r);
    }
    drain_outbox(f);
    flush_dirty(f);
}

/* ---- commands from the broker ---- */

static void handle_command(jh_front *f, const char *topic, const char *payload, size_t len)
{
    jh_origin origin;
    if (jh_topic_origin(topic, f->cfg->site, &origin) < 0) {
        jh_log(JH_LOG_DEBUG, "ignored message on %s", topic);
        return;
    }
    jh_command cmd;
    jh_error perr;
    if (jh_command_parse(payload, len, &origin, &cmd, &perr) < 0) {
        char *r = jh_reply_error_json(cmd.id, &perr);
        reply(f, &cmd, &origin, r);
        free(r);
        return;
    }
    if (cmd.op == JH_OP_CLOCK) {
        handle_clock(f, &cmd, &origin);
        return;
    }
    jh_outcome out;
    memset(&out, 0, sizeof out);
    char err[256] = "";
    if (jh_engine_apply(f->engine, &origin, &cmd, hall_now(f), &out, err, sizeof err) < 0)
        jh_log(JH_LOG_ERROR, "store failed on %s from %s: %s", jh_op_name(cmd.op), origin.id, err);
    reply(f, &cmd, &origin, out.reply);
    merge_dirty(f, &out);
    jh_outcome_free(&out);
    drain_outbox(f);
    flush_dirty(f);
}

/* ---- libmosquitto callbacks: record, publish, never run the loop ---- */

static void on_connect(struct mosquitto *m, void *obj, int rc)
{
    (void)m;
    jh_front *f = obj;
    if (rc == 0) {
        f->just_connected = 1;
        return;
    }
    log_link(f, LINK_REFUSED, mosquitto_connack_string(rc));
}

static void on_disconnect(struct mosquitto *m, void *obj, int rc)
{
    (void)m;
    jh_front *f = obj;
    f->connected = 0;
    f->socket_open = 0;
    if (rc != 0 && f->logged == LINK_UP)
        log_link(f, LINK_DOWN, mosquitto_strerror(rc));
}

static void on_publish(struct mosquitto *m, void *obj, int mid)
{
    (void)m;
    jh_front *f = obj;
    if (f->outstanding > 0)
        f->outstanding--;
    event_acked(f, mid);
}

static void on_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg)
{
    (void)m;
    jh_front *f = obj;
    if (msg->payloadlen < 0)
        return;
    handle_command(f, msg->topic, msg->payload ? msg->payload : "", (size_t)msg->payloadlen);
}

/* ---- connection ---- */

static int subscribe_all(jh_front *f)
{
    static const char *const suffixes[] = {"kiosk/+/cmd", "counter/+/cmd", "admin/cmd"};
    for (size_t i = 0; i < 3; i++) {
        char topic[JH_TOPIC_LEN];
        if (jh_topic(topic, sizeof topic, f->cfg->site, suffixes[i]) < 0)
            return -1;
        int rc = mosquitto_subscribe(f->mosq, NULL, topic, 1);
        if (rc != MOSQ_ERR_SUCCESS) {
            jh_log(JH_LOG_ERROR, "subscribe %s: %s", topic, mosquitto_strerror(rc));
            return -1;
        }
    }
    return 0;
}

static void status_online(jh_front *f)
{
    char payload[256];
    snprintf(payload, sizeof payload, "{\"online\":true,\"version\":\"%s\",\"started_at\":\"%s\"%s}",
             f->version, f->started_at, f->sim ? ",\"sim_clock\":true" : "");
    publish(f, "status/caller", payload, 1, NULL);
}

/* CONNACK accepted: what every (re)connection announces. */
static void after_connect(jh_front *f)
{
    f->just_connected = 0;
    f->connected = 1;
    f->backoff_ms = BACKOFF_MIN_MS;
    log_link(f, LINK_UP, "");
    subscribe_all(f);
    status_online(f);
    mark_all_dirty(f);
    flush_dirty(f);
    drain_outbox(f);
}

/* libmosquitto says only "A TLS error occurred."; name the two usual causes. */
static const char *link_error(int rc)
{
    if (rc == MOSQ_ERR_TLS)
        return "TLS handshake failed: is the broker's certificate signed by [broker] cafile, "
               "with [broker] host among its names? Client certificate needed?";
    return rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc);
}

static void schedule_retry(jh_front *f, int64_t now)
{
    f->next_attempt_ms = now + f->backoff_ms;
    f->backoff_ms = f->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : f->backoff_ms * 2;
}

static void try_connect(jh_front *f, int64_t now)
{
    if (f->socket_open || now < f->next_attempt_ms)
        return;
    const jh_hall_config *c = f->cfg;
    /* Asynchronous: a blocking connect to a remote broker that is down would hold
     * the loop (and the systemd watchdog) for the kernel's TCP timeout; a refusal
     * or timeout now surfaces in io_round and reaches connection_lost. */
    int rc = f->ever_opened ? mosquitto_reconnect_async(f->mosq)
                            : mosquitto_connect_async(f->mosq, c->broker_host, c->broker_port, KEEPALIVE_S);
    if (rc == MOSQ_ERR_SUCCESS) {
        f->ever_opened = 1;
        f->socket_open = 1;
        f->next_attempt_ms = now + KEEPALIVE_S * 1000; /* CONNACK deadline */
        return;
    }
    log_link(f, LINK_UNREACHABLE, link_error(rc));
    schedule_retry(f, now);
}

static void connection_lost(jh_front *f, int rc, int64_t now)
{
    if (f->logged == LINK_UP)
        log_link(f, LINK_DOWN, link_error(rc));
    else if (f->logged != LINK_REFUSED || rc == MOSQ_ERR_TLS)
        /* The connect is asynchronous: a refused TCP connection or certificate
         * surfaces here, not in try_connect. After a refused login the broker
         * closes the socket; that is not news. */
        log_link(f, LINK_UNREACHABLE, link_error(rc));
    if (f->socket_open)
        mosquitto_disconnect(f->mosq); /* closes the socket if the library has not */
    f->connected = 0;
    f->socket_open = 0;
    schedule_retry(f, now);
}

/* ---- the loop ---- */

/* Why an asynchronous connect failed (refused, no route, timed out), as errno. */
static int connect_failure(int sock)
{
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(sock, SOL_SOCKET, SO_ERROR, &err, &len) < 0 || err == 0)
        return MOSQ_ERR_CONN_LOST;
    errno = err;
    return MOSQ_ERR_ERRNO;
}

/* One poll round on the broker socket; returns 0 or a libmosquitto error. */
static int io_round(jh_front *f, int timeout_ms)
{
    int sock = mosquitto_socket(f->mosq);
    struct pollfd p = {.fd = sock, .events = POLLIN};
    if (sock < 0) {
        poll(NULL, 0, timeout_ms);
        return MOSQ_ERR_SUCCESS;
    }
    if (mosquitto_want_write(f->mosq))
        p.events |= POLLOUT;
    if (poll(&p, 1, timeout_ms) < 0)
        return errno == EINTR ? MOSQ_ERR_SUCCESS : MOSQ_ERR_ERRNO;
    int rc = MOSQ_ERR_SUCCESS;
    if (!f->connected && (p.revents & (POLLERR | POLLHUP)))
        return connect_failure(sock); /* the library would only call it a protocol error */
    if (p.revents & (POLLIN | POLLERR | POLLHUP))
        rc = mosquitto_loop_read(f->mosq, 1);
    /* Until CONNACK the socket may still be connecting: write only when poll says
     * it can take bytes (writing earlier fails the attempt as a protocol error). */
    if (rc == MOSQ_ERR_SUCCESS && mosquitto_socket(f->mosq) >= 0 && mosquitto_want_write(f->mosq) &&
        (f->connected || (p.revents & POLLOUT)))
        rc = mosquitto_loop_write(f->mosq, 1);
    return rc;
}

static void loop_step(jh_front *f, int64_t *next_tick)
{
    int64_t now = mono_ms();
    if (!f->socket_open)
        try_connect(f, now);
    else if (!f->connected && now >= f->next_attempt_ms) /* no CONNACK in time */
        connection_lost(f, MOSQ_ERR_CONN_LOST, now);
    if (now >= *next_tick) {
        *next_tick = now + TICK_MS;
        if (f->sim) { /* no time passes, but events held back for room go out */
            drain_outbox(f);
            flush_dirty(f);
        } else {
            tick(f);
        }
        if (f->socket_open && mosquitto_loop_misc(f->mosq) != MOSQ_ERR_SUCCESS)
            connection_lost(f, MOSQ_ERR_CONN_LOST, now);
    }
    int64_t wake = *next_tick;
    if (!f->socket_open && f->next_attempt_ms < wake)
        wake = f->next_attempt_ms;
    int timeout = wake > now ? (int)(wake - now) : 0;
    int had_socket = f->socket_open;
    int rc = io_round(f, timeout);
    /* on_disconnect may already have cleared socket_open; the retry still needs scheduling. */
    if (had_socket && (rc != MOSQ_ERR_SUCCESS || !f->socket_open))
        connection_lost(f, rc, mono_ms());
    if (f->just_connected)
        after_connect(f);
}

/* Publishes offline, waits briefly for PUBACKs, then DISCONNECTs (which cancels the Will). */
static void shutdown_link(jh_front *f)
{
    if (!f->connected)
        return;
    char payload[128];
    snprintf(payload, sizeof payload, "{\"online\":false,\"version\":\"%s\"}", f->version);
    publish(f, "status/caller", payload, 1, NULL);
    int64_t deadline = mono_ms() + SHUTDOWN_FLUSH_MS;
    while (f->outstanding > 0 && f->connected && mono_ms() < deadline)
        if (io_round(f, 100) != MOSQ_ERR_SUCCESS)
            break;
    mosquitto_disconnect(f->mosq);
    f->connected = 0;
}

/* systemd's status line (systemctl status jiaohao-caller) follows the broker link. */
static void notify_link(const jh_front *f)
{
    static const char *what[] = {[LINK_DOWN] = "lost; reconnecting", [LINK_UP] = "connected",
                                 [LINK_UNREACHABLE] = "unreachable; retrying",
                                 [LINK_REFUSED] = "refused the login; retrying"};
    char st[300], err[300];
    snprintf(st, sizeof st, "STATUS=broker %s:%d %s", f->cfg->broker_host, f->cfg->broker_port,
             what[f->logged]);
    if (jh_sd_notify(st, err, sizeof err) < 0)
        jh_log(JH_LOG_WARN, "systemd: %s", err);
}

void jh_front_run(jh_front *f, volatile sig_atomic_t *stop)
{
    int64_t next_tick = mono_ms();
    link_state told = f->logged;
    jh_sd_watchdog watchdog = {0};
    char err[300];
    while (!*stop) {
        loop_step(f, &next_tick);
        /* Kicked from the loop itself: a round stuck in the store or the broker
         * link stops the kicks, and systemd restarts the daemon (WatchdogSec=). */
        if (jh_sd_watchdog_kick(&watchdog, mono_ms(), err, sizeof err) < 0)
            jh_log(JH_LOG_WARN, "systemd watchdog: %s", err);
        if (f->logged != told) {
            told = f->logged;
            notify_link(f);
        }
    }
    jh_log(JH_LOG_INFO, "stopping");
    if (jh_sd_notify("STOPPING=1", err, sizeof err) < 0)
        jh_log(JH_LOG_WARN, "systemd: %s", err);
    shutdown_link(f);
}

/* ---- setup ---- */

static int configure_client(jh_front *f, char *err, size_t errlen)
{
    const jh_hall_config *c = f->cfg;
    char user[JH_ID_LEN], password[JH_PASSWORD_LEN];
    if (jh_broker_login(c, "caller", user, sizeof user, password, sizeof password, err, errlen) < 0)
        return -1;
    int rc = mosquitto_username_pw_set(f->mosq, user, password);
    memset(password, 0, sizeof password);
    static const char will[] = "{\"online\":false}";
    if (rc == MOSQ_ERR_SUCCESS)
        rc = mosquitto_will_set(f->mosq, f->status_topic, (int)strlen(will), will, 1, true);
    if (rc == MOSQ_ERR_SUCCESS)
        rc = mosquitto_int_option(f->mosq, MOSQ_OPT_TCP_NODELAY, 1);
    if (rc == MOSQ_ERR_SUCCESS && c->broker_cafile[0])
        rc = mosquitto_tls_set(f->mosq, c->broker_cafile, NULL, c->broker_certfile[0] ? c->broker_certfile : NULL,
                               c->broker_keyfile[0] ? c->broker_keyfile : NULL, NULL);
    if (rc != MOSQ_ERR_SUCCESS) {
        snprintf(err, errlen, "setting up the MQTT client: %s", mosquitto_strerror(rc));
        return -1;
    }
    return 0;
}

jh_front *jh_front_new(const jh_hall_config *cfg, jh_engine *engine, const char *version,
                       char *err, size_t errlen)
{
    jh_front *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    f->cfg = cfg;
    f->engine = engine;
    f->backoff_ms = BACKOFF_MIN_MS;
    snprintf(f->version, sizeof f->version, "%s", version);
    jh_time_iso8601(jh_time_now_ms(), f->started_at, sizeof f->started_at);
    /* Stable across restarts: its persistent session keeps the commands sent while it is down. */
    char client_id[JH_CLIENT_ID_LEN];
    mosquitto_lib_init();
    if (jh_client_id(client_id, sizeof client_id, jh_broker_user(cfg, "caller"), cfg->site, err, errlen) < 0 ||
        jh_topic(f->status_topic, sizeof f->status_topic, cfg->site, "status/caller") < 0 ||
        !(f->mosq = mosquitto_new(client_id, false, f))) {
        snprintf(err, errlen, "cannot create the MQTT client for site '%s'", cfg->site);
        jh_front_free(f);
        return NULL;
    }
    if (configure_client(f, err, errlen) < 0) {
        jh_front_free(f);
        return NULL;
    }
    mosquitto_connect_callback_set(f->mosq, on_connect);
    mosquitto_disconnect_callback_set(f->mosq, on_disconnect);
    mosquitto_publish_callback_set(f->mosq, on_publish);
    mosquitto_message_callback_set(f->mosq, on_message);
    return f;
}

void jh_front_set_sim_clock(jh_front *f, int64_t start_ms)
{
    f->sim = 1;
    f->sim_now = start_ms;
}

void jh_front_free(jh_front *f)
{
    if (!f)
        return;
    if (f->mosq)
        mosquitto_destroy(f->mosq);
    mosquitto_lib_cleanup();
    free(f);
}
