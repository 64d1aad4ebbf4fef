/* SPDX-License-Identifier: MIT */
/*
 * mqtt_link — non-blocking libmosquitto client with its own reconnect schedule
 * (see mqtt_link.h). Callbacks run inside mosquitto_loop(), called only from
 * jh_link_pump(); they never call the loop themselves.
 *
 * The phases: DOWN (waiting for next_try) → CONNECTING (TCP, TLS, CONNECT sent,
 * waiting for CONNACK until the deadline) → UP (CONNACK accepted) → DOWN.
 * Every way down goes through go_down(), once per attempt, which names the
 * outcome (jh_link_state) and schedules the next attempt on the back-off.
 * Publishing, flushing and the goodbye are in link_publish.c.
 */
#include "link_internal.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define KEEPALIVE_S 10
#define MAX_READS_PER_PUMP 2000 /* one packet per read: a burst of retained state is hundreds */

/* libmosquitto says only "A TLS error occurred."; name the two usual causes. */
#define TLS_HINT "TLS handshake failed: is the broker's certificate signed by [broker] cafile, " \
                 "with [broker] host among its names? Client certificate needed?"

/* Why this attempt or session ended; the first reason given wins (a refusal
 * stays the reason when the broker then closes the socket). */
static void set_reason(jh_link *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_reason(jh_link *l, const char *fmt, ...)
{
    if (l->reason_set)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->reason, sizeof l->reason, fmt, ap);
    va_end(ap);
    snprintf(l->error, sizeof l->error, "%s:%d: %s", l->host, l->port, l->reason);
    l->reason_set = 1;
}

/* A libmosquitto error as a reason; errno is read first, before anything clobbers it. */
static void set_reason_rc(jh_link *l, int rc)
{
    int e = errno;
    if (rc == MOSQ_ERR_TLS)
        set_reason(l, "%s", TLS_HINT);
    else if (rc == MOSQ_ERR_ERRNO && e != 0)
        set_reason(l, "%s", strerror(e));
    else if (rc == MOSQ_ERR_ERRNO)
        set_reason(l, "connection lost");
    else
        set_reason(l, "%s", mosquitto_strerror(rc));
}

static void go_down(jh_link *l)
{
    if (l->phase == LINK_DOWN)
        return; /* on_disconnect and the failing loop call may both report one end */
    if (!l->reason_set)
        set_reason(l, "connection lost");
    l->state = l->phase == LINK_UP ? JH_LINK_STATE_LOST
             : l->refused          ? JH_LINK_STATE_REFUSED
                                   : JH_LINK_STATE_UNREACHABLE;
    l->phase = LINK_DOWN;
    l->session_due = 0;
    l->subs_pending = 0;
    l->subscribed = 0;
    l->subscribed_at = 0;
    l->next_try = l->now + l->backoff;
    l->backoff = l->backoff * 2 > JH_LINK_BACKOFF_MAX_MS ? JH_LINK_BACKOFF_MAX_MS : l->backoff * 2;
}

static void on_connect(struct mosquitto *m, void *obj, int rc)
{
    jh_link *l = obj;
    (void)m;
    if (rc != 0) {
        l->refused = 1;
        set_reason(l, "%s", mosquitto_connack_string(rc));
        return; /* libmosquitto closes the connection; go_down() follows in this pump */
    }
    l->phase = LINK_UP;
    l->state = JH_LINK_STATE_ONLINE;
    l->reason_set = 0;
    l->refused_topic = -1;
    l->backoff = JH_LINK_BACKOFF_MIN_MS;
    /* Not here: libmosquitto re-sends what it kept from the last connection
     * (JH_LINK_QUEUED) only after this callback, so a status published in
     * on_session now would be overwritten by an older one. */
    l->session_due = 1;
}

static void start_session(jh_link *l)
{
    l->session_due = 0;
    l->session++;
    jh_link_resubscribe(l);
    if (l->on_session)
        l->on_session(l->user);
}

static void on_disconnect(struct mosquitto *m, void *obj, int rc)
{
    jh_link *l = obj;
    (void)m;
    if (rc != 0)
        set_reason_rc(l, rc);
    go_down(l);
}

static void on_subscribe(struct mosquitto *m, void *obj, int mid, int qos_count, const int *granted)
{
    jh_link *l = obj;
    (void)m;
    for (int i = 0; i < l->n_topics; i++) {
        if (l->sub_mids[i] != mid)
            continue;
        l->sub_mids[i] = 0;
        if (qos_count > 0 && granted[0] == 0x80 && l->refused_topic < 0) /* the ACL refused it */
            l->refused_topic = i;
        if (--l->subs_pending == 0) {
            l->subscribed = 1;
            l->subscribed_at = l->now;
        }
    }
}

static void on_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg)
{
    jh_link *l = obj;
    (void)m;
    l->last_message_at = l->now;
    l->fn(l->user, msg->topic, msg->payload ? msg->payload : "",
          msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0);
}

static void on_publish(struct mosquitto *m, void *obj, int mid)
{
    jh_link *l = obj;
    (void)m;
    if (l->unacked > 0)
        l->unacked--;
    if (l->on_ack)
        l->on_ack(l->user, mid);
}

static int configure(jh_link *l, const jh_link_opts *o, char *err, size_t errlen)
{
    int rc = MOSQ_ERR_SUCCESS;
    if (o->user)
        rc = mosquitto_username_pw_set(l->m, o->user, o->password);
    if (rc == MOSQ_ERR_SUCCESS && o->cafile && *o->cafile)
        rc = mosquitto_tls_set(l->m, o->cafile, NULL, o->certfile && *o->certfile ? o->certfile : NULL,
                               o->keyfile && *o->keyfile ? o->keyfile : NULL, NULL);
    if (rc != MOSQ_ERR_SUCCESS) {
        snprintf(err, errlen, "broker options: %s", mosquitto_strerror(rc));
        return -1;
    }
    mosquitto_int_option(l->m, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_connect_callback_set(l->m, on_connect);
    mosquitto_disconnect_callback_set(l->m, on_disconnect);
    mosquitto_subscribe_callback_set(l->m, on_subscribe);
    mosquitto_message_callback_set(l->m, on_message);
    mosquitto_publish_callback_set(l->m, on_publish);
    return 0;
}

static int check_opts(const jh_link_opts *o, char *err, size_t errlen)
{
    if (!o->host || !*o->host || o->port < 1 || o->port > 65535 || o->n_topics < 1 ||
        o->n_topics > JH_LINK_MAX_TOPICS) {
        snprintf(err, errlen, "broker: need a host, a port 1..65535 and 1..%d topics", JH_LINK_MAX_TOPICS);
        return -1;
    }
    if (o->persistent && (!o->client_id || !*o->client_id)) {
        snprintf(err, errlen, "broker: a persistent session needs a client id");
        return -1;
    }
    if (o->keepalive_s < 0 || o->reads_per_pump < 0) {
        snprintf(err, errlen, "broker: keepalive and reads per pump must not be negative");
        return -1;
    }
    return 0;
}

jh_link *jh_link_new(const jh_link_opts *o, jh_link_msg_fn fn, jh_link_session_fn on_session,
                     void *user, char *err, size_t errlen)
{
    if (check_opts(o, err, errlen) < 0)
        return NULL;
    jh_link *l = calloc(1, sizeof *l);
    if (!l) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    mosquitto_lib_init(); /* counted: jh_link_free's cleanup leaves other users' alone */
    snprintf(l->host, sizeof l->host, "%s", o->host);
    l->port = o->port;
    l->fn = fn;
    l->on_session = on_session;
    l->user = user;
    l->backoff = JH_LINK_BACKOFF_MIN_MS;
    l->keepalive = o->keepalive_s ? o->keepalive_s : KEEPALIVE_S;
    l->reads_per_pump = o->reads_per_pump ? o->reads_per_pump : MAX_READS_PER_PUMP;
    l->refused_topic = -1;
    set_reason(l, "not connected yet");
    for (int i = 0; i < o->n_topics; i++)
        if ((l->topics[l->n_topics] = strdup(o->topics[i])))
            l->n_topics++;
    l->m = mosquitto_new(o->client_id, !o->persistent, l);
    if (!l->m || l->n_topics != o->n_topics || configure(l, o, err, errlen) < 0) {
        if (!l->m || l->n_topics != o->n_topics)
            snprintf(err, errlen, "cannot create the MQTT client");
        jh_link_free(l);
        return NULL;
    }
    return l;
}

static void start_attempt(jh_link *l)
{
    /* Set before the call, not after: on a loaded machine the CONNACK can be
     * processed inside the connect call, and on_connect's LINK_UP must not then
     * be overwritten — the board would wait for a second CONNACK forever. */
    l->phase = LINK_CONNECTING;
    l->attempt_started = l->now;
    l->refused = 0;
    l->reason_set = 0;
    int rc = l->tried ? mosquitto_reconnect_async(l->m)
                      : mosquitto_connect_async(l->m, l->host, l->port, l->keepalive);
    l->tried = 1;
    if (rc != MOSQ_ERR_SUCCESS) {
        set_reason_rc(l, rc);
        go_down(l);
    }
}

/* A refused or unroutable TCP connect, named by the socket itself: libmosquitto
 * would only call it a protocol error. 1 when the attempt failed so. */
static int tcp_connect_failed(jh_link *l)
{
    int fd = mosquitto_socket(l->m);
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    if (l->phase != LINK_CONNECTING || fd < 0 || poll(&p, 1, 0) <= 0 || !(p.revents & (POLLERR | POLLHUP)))
        return 0;
    int e = 0;
    socklen_t len = sizeof e;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0 || e == 0)
        return 0; /* a plain close after connecting: the library reads it */
    set_reason(l, "%s", strerror(e));
    return 1;
}

/* No CONNACK in time: close (the peer sees it now, not at the next attempt). */
static void give_up_attempt(jh_link *l)
{
    set_reason(l, "no answer from the broker within %d s", JH_LINK_CONNACK_TIMEOUT_MS / 1000);
    mosquitto_disconnect(l->m);
    int fd = mosquitto_socket(l->m);
    if (fd >= 0)
        shutdown(fd, SHUT_RDWR); /* the DISCONNECT could not go: the connect never finished */
    go_down(l);
}

/* Reads on while the socket has data; mosquitto_loop() read one packet. */
static int read_on(jh_link *l, int rc)
{
    for (int i = 0; rc == MOSQ_ERR_SUCCESS && l->phase == LINK_UP && i < l->reads_per_pump; i++) {
        struct pollfd p = {.fd = mosquitto_socket(l->m), .events = POLLIN};
        if (p.fd < 0 || poll(&p, 1, 0) <= 0)
            break;
        rc = mosquitto_loop_read(l->m, 1);
    }
    if (rc == MOSQ_ERR_SUCCESS && l->phase == LINK_UP && mosquitto_want_write(l->m))
        rc = mosquitto_loop_write(l->m, 1);
    return rc;
}

void jh_link_pump(jh_link *l, int64_t now_ms)
{
    l->now = now_ms;
    if (l->phase == LINK_DOWN) {
        if (now_ms < l->next_try)
            return;
        start_attempt(l);
        if (l->phase == LINK_DOWN)
            return;
    }
    if (tcp_connect_failed(l)) {
        go_down(l);
        return;
    }
    int rc = read_on(l, mosquitto_loop(l->m, 0, 1));
    if (rc != MOSQ_ERR_SUCCESS && l->phase != LINK_DOWN) {
        set_reason_rc(l, rc);
        go_down(l);
        return;
    }
    if (l->phase == LINK_UP && l->session_due)
        start_session(l);
    if (l->phase == LINK_CONNECTING && now_ms - l->attempt_started >= JH_LINK_CONNACK_TIMEOUT_MS)
        give_up_attempt(l);
}

/* When the link must be pumped again by itself, whatever the socket does. */
static int64_t next_step(const jh_link *l, int64_t now_ms)
{
    if (l->phase == LINK_DOWN)
        return l->next_try;
    if (l->phase == LINK_CONNECTING)
        return l->attempt_started + JH_LINK_CONNACK_TIMEOUT_MS;
    return l->session_due ? now_ms : now_ms + l->keepalive * 1000 / 2;
}

void jh_link_wait(jh_link *l, int64_t now_ms, int max_ms)
{
    int64_t due = next_step(l, now_ms);
    if (due > now_ms + max_ms)
        due = now_ms + max_ms;
    int timeout = due > now_ms ? (int)(due - now_ms) : 0;
    /* fd -1 (no socket while down) makes poll() a plain sleep. */
    struct pollfd p = {.fd = l->phase == LINK_DOWN ? -1 : mosquitto_socket(l->m), .events = POLLIN};
    if (p.fd >= 0 && mosquitto_want_write(l->m))
        p.events |= POLLOUT;
    if (poll(&p, 1, timeout) < 0 && errno != EINTR)
        poll(NULL, 0, timeout); /* never spin on a poll that fails at once */
}

void jh_link_resubscribe(jh_link *l)
{
    if (l->phase != LINK_UP)
        return;
    l->subs_pending = 0;
    l->subscribed = 0;
    l->subscribed_at = 0;
    for (int i = 0; i < l->n_topics; i++) {
        l->sub_mids[i] = 0;
        if (mosquitto_subscribe(l->m, &l->sub_mids[i], l->topics[i], 1) == MOSQ_ERR_SUCCESS)
            l->subs_pending++;
    }
}

jh_link_state jh_link_state_of(const jh_link *l) { return l->state; }
int jh_link_connected(const jh_link *l) { return l->phase == LINK_UP; }
int jh_link_subscribed(const jh_link *l) { return l->phase == LINK_UP && l->subscribed; }
uint64_t jh_link_session(const jh_link *l) { return l->session; }
int64_t jh_link_subscribed_at(const jh_link *l) { return l->subscribed_at; }
int64_t jh_link_last_message_at(const jh_link *l) { return l->last_message_at; }
const char *jh_link_error(const jh_link *l) { return l->phase == LINK_UP ? "" : l->error; }
const char *jh_link_reason(const jh_link *l) { return l->phase == LINK_UP ? "" : l->reason; }

const char *jh_link_refused_filter(const jh_link *l)
{
    return l->phase == LINK_UP && l->refused_topic >= 0 ? l->topics[l->refused_topic] : NULL;
}

int jh_link_set_will(jh_link *l, const char *topic, const char *payload, int retain, char *err,
                     size_t errlen)
{
    int rc = mosquitto_will_set(l->m, topic, (int)strlen(payload), payload, 1, retain != 0);
    if (rc != MOSQ_ERR_SUCCESS) {
        snprintf(err, errlen, "will on %s: %s", topic, mosquitto_strerror(rc));
        return -1;
    }
    return 0;
}

void jh_link_free(jh_link *l)
{
    if (!l)
        return;
    if (l->m) {
        if (l->phase == LINK_UP) {
            mosquitto_disconnect(l->m);
            mosquitto_loop(l->m, 0, 1); /* let the DISCONNECT out */
        }
        mosquitto_destroy(l->m);
    }
    for (int i = 0; i < l->n_topics; i++)
        free(l->topics[i]);
    free(l);
    mosquitto_lib_cleanup();
}
