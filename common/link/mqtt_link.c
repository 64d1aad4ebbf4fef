/* SPDX-License-Identifier: MIT */
/*
 * mqtt_link — non-blocking libmosquitto client with its own reconnect schedule
 * (see mqtt_link.h). Callbacks run inside mosquitto_loop(), called only from
 * jh_link_pump(); they never call the loop themselves.
 */
#include "mqtt_link.h"

#include <errno.h>
#include <mosquitto.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 2000
#define CONNECT_TIMEOUT_MS 5000
#define KEEPALIVE_S 10
#define MAX_READS_PER_PUMP 2000 /* one packet per read: a burst of retained state is hundreds */

typedef enum { LINK_DOWN, LINK_CONNECTING, LINK_UP } link_state;

struct jh_link {
    struct mosquitto *m;
    char host[128];
    int port;
    char *topics[JH_LINK_MAX_TOPICS];
    int n_topics;
    int sub_mids[JH_LINK_MAX_TOPICS];
    int subs_pending;
    jh_link_msg_fn fn;
    jh_link_session_fn on_session;
    void *user;

    link_state state;
    int tried;
    int64_t now;
    int64_t next_try;
    int64_t attempt_started;
    int backoff;
    uint64_t session;
    int session_due;         /* accepted: start the session at the end of this pump */
    int subscribed;          /* every filter acknowledged (a flag: the clock may read 0) */
    int64_t subscribed_at;
    int64_t last_message_at;
    int unacked;              /* QoS 1 publishes without PUBACK (jh_link_publish) */
    char error[300];
};

static void set_error(jh_link *l, int rc)
{
    if (rc == MOSQ_ERR_ERRNO)
        snprintf(l->error, sizeof l->error, "%s:%d: %s", l->host, l->port, strerror(errno));
    else
        snprintf(l->error, sizeof l->error, "%s:%d: %s", l->host, l->port, mosquitto_strerror(rc));
}

static void go_down(jh_link *l)
{
    l->state = LINK_DOWN;
    l->session_due = 0;
    l->subs_pending = 0;
    l->subscribed = 0;
    l->subscribed_at = 0;
    l->next_try = l->now + l->backoff;
    l->backoff = l->backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : l->backoff * 2;
}

static void on_connect(struct mosquitto *m, void *obj, int rc)
{
    jh_link *l = obj;
    (void)m;
    if (rc != 0) {
        snprintf(l->error, sizeof l->error, "%s:%d: %s", l->host, l->port, mosquitto_connack_string(rc));
        return; /* the broker closes the connection; the next loop round notices */
    }
    l->state = LINK_UP;
    l->error[0] = '\0';
    l->backoff = BACKOFF_MIN_MS;
    /* Not here: libmosquitto re-sends what it kept from the last connection
     * (JH_LINK_QUEUED) only after this callback, so a status published in
     * on_session now would be overwritten by an older one. */
    l->session_due = 1;
}

static void start_session(jh_link *l)
{
    l->session_due = 0;
    l->session++;
    if (l->on_session)
        l->on_session(l->user);
    jh_link_resubscribe(l);
}

static void on_disconnect(struct mosquitto *m, void *obj, int rc)
{
    jh_link *l = obj;
    (void)m;
    if (rc != 0 && !l->error[0])
        snprintf(l->error, sizeof l->error, "%s:%d: connection lost", l->host, l->port);
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
        if (qos_count > 0 && granted[0] == 0x80) /* the ACL refused this filter */
            snprintf(l->error, sizeof l->error, "subscription to %s refused", l->topics[i]);
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
    l->fn(l->user, msg->topic, msg->payload, msg->payloadlen > 0 ? (size_t)msg->payloadlen : 0);
}

static void on_publish(struct mosquitto *m, void *obj, int mid)
{
    jh_link *l = obj;
    (void)m;
    (void)mid;
    if (l->unacked > 0)
        l->unacked--;
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

jh_link *jh_link_new(const jh_link_opts *o, jh_link_msg_fn fn, jh_link_session_fn on_session,
                     void *user, char *err, size_t errlen)
{
    if (!o->host || !*o->host || o->port < 1 || o->port > 65535 || o->n_topics < 1 ||
        o->n_topics > JH_LINK_MAX_TOPICS) {
        snprintf(err, errlen, "broker: need a host, a port 1..65535 and 1..%d topics", JH_LINK_MAX_TOPICS);
        return NULL;
    }
    jh_link *l = calloc(1, sizeof *l);
    if (!l) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    snprintf(l->host, sizeof l->host, "%s", o->host);
    l->port = o->port;
    l->fn = fn;
    l->on_session = on_session;
    l->user = user;
    l->backoff = BACKOFF_MIN_MS;
    snprintf(l->error, sizeof l->error, "%s:%d: not connected yet", l->host, l->port);
    for (int i = 0; i < o->n_topics; i++)
        if ((l->topics[l->n_topics] = strdup(o->topics[i])))
            l->n_topics++;
    l->m = mosquitto_new(o->client_id, true, l);
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
    l->state = LINK_CONNECTING;
    l->attempt_started = l->now;
    int rc = l->tried ? mosquitto_reconnect_async(l->m)
                      : mosquitto_connect_async(l->m, l->host, l->port, KEEPALIVE_S);
    l->tried = 1;
    if (rc != MOSQ_ERR_SUCCESS) {
        set_error(l, rc);
        go_down(l);
    }
}

void jh_link_pump(jh_link *l, int64_t now_ms)
{
    l->now = now_ms;
    if (l->state == LINK_DOWN) {
        if (now_ms < l->next_try)
            return;
        start_attempt(l);
        if (l->state == LINK_DOWN)
            return;
    }
    int rc = mosquitto_loop(l->m, 0, 1);
    for (int i = 0; rc == MOSQ_ERR_SUCCESS && l->state == LINK_UP && i < MAX_READS_PER_PUMP; i++) {
        struct pollfd p = {mosquitto_socket(l->m), POLLIN, 0};
        if (p.fd < 0 || poll(&p, 1, 0) <= 0)
            break;
        rc = mosquitto_loop_read(l->m, 1);
    }
    if (rc == MOSQ_ERR_SUCCESS && l->state == LINK_UP && mosquitto_want_write(l->m))
        rc = mosquitto_loop_write(l->m, 1);
    if (rc != MOSQ_ERR_SUCCESS && l->state != LINK_DOWN) {
        if (l->state == LINK_UP || !l->error[0] || strstr(l->error, "not connected yet"))
            set_error(l, rc);
        go_down(l);
        return;
    }
    if (l->state == LINK_UP && l->session_due)
        start_session(l);
    if (l->state == LINK_CONNECTING && now_ms - l->attempt_started > CONNECT_TIMEOUT_MS) {
        snprintf(l->error, sizeof l->error, "%s:%d: no answer from the broker", l->host, l->port);
        mosquitto_disconnect(l->m);
        go_down(l);
    }
}

void jh_link_resubscribe(jh_link *l)
{
    if (l->state != LINK_UP)
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

int jh_link_connected(const jh_link *l) { return l->state == LINK_UP; }
int jh_link_subscribed(const jh_link *l) { return l->state == LINK_UP && l->subscribed; }
uint64_t jh_link_session(const jh_link *l) { return l->session; }
int64_t jh_link_subscribed_at(const jh_link *l) { return l->subscribed_at; }
int64_t jh_link_last_message_at(const jh_link *l) { return l->last_message_at; }
const char *jh_link_error(const jh_link *l) { return l->state == LINK_UP ? "" : l->error; }

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

/* libmosquitto queues a QoS 1 message before it writes it: these errors come
 * from the write, so the message stays queued and goes out after a reconnect. */
static int connection_error(int rc)
{
    return rc == MOSQ_ERR_NO_CONN || rc == MOSQ_ERR_CONN_LOST || rc == MOSQ_ERR_ERRNO || rc == MOSQ_ERR_TLS;
}

jh_link_result jh_link_publish(jh_link *l, const char *topic, const void *payload, size_t len, int retain,
                               char *err, size_t errlen)
{
    if (l->state != LINK_UP) {
        snprintf(err, errlen, "not connected: %s", l->error);
        return JH_LINK_DOWN;
    }
    int rc = len > 268435455 ? MOSQ_ERR_PAYLOAD_SIZE
                             : mosquitto_publish(l->m, NULL, topic, (int)len, payload, 1, retain != 0);
    if (rc != MOSQ_ERR_SUCCESS && !connection_error(rc)) {
        snprintf(err, errlen, "publish on %s: %s", topic, mosquitto_strerror(rc));
        return JH_LINK_REFUSED;
    }
    l->unacked++; /* on_publish counts it down when the PUBACK comes, after a reconnect too */
    if (rc == MOSQ_ERR_SUCCESS)
        return JH_LINK_SENT;
    snprintf(err, errlen, "publish on %s: %s; kept for the next connection", topic,
             rc == MOSQ_ERR_ERRNO ? strerror(errno) : mosquitto_strerror(rc));
    return JH_LINK_QUEUED;
}

int jh_link_unacked(const jh_link *l) { return l->unacked; }

void jh_link_free(jh_link *l)
{
    if (!l)
        return;
    if (l->m) {
        if (l->state == LINK_UP) {
            mosquitto_disconnect(l->m);
            mosquitto_loop(l->m, 0, 1); /* let the DISCONNECT out */
        }
        mosquitto_destroy(l->m);
    }
    for (int i = 0; i < l->n_topics; i++)
        free(l->topics[i]);
    free(l);
}
