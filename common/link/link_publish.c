/* SPDX-License-Identifier: MIT */
/*
 * link_publish — a jh_link's sending side (see mqtt_link.h).
 *
 * Owns: QoS 1 publishing and what became of each message (jh_link_result),
 * the message numbers and their acknowledgements, flushing before a stop, and
 * the goodbye. Only while connected: a message the link takes is one the
 * broker will get, now or after the reconnect.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "link_internal.h"

#define MQTT_MAX_PAYLOAD 268435455

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* libmosquitto queues a QoS 1 message before it writes it: these errors come
 * from the write, so the message stays queued and goes out after a reconnect. */
static int connection_error(int rc)
{
    return rc == MOSQ_ERR_NO_CONN || rc == MOSQ_ERR_CONN_LOST || rc == MOSQ_ERR_ERRNO || rc == MOSQ_ERR_TLS;
}

jh_link_result jh_link_publish_mid(jh_link *l, const char *topic, const void *payload, size_t len,
                                   int retain, int *mid, char *err, size_t errlen)
{
    if (l->phase != LINK_UP) {
        snprintf(err, errlen, "not connected: %s", l->error);
        return JH_LINK_DOWN;
    }
    int rc = len > MQTT_MAX_PAYLOAD ? MOSQ_ERR_PAYLOAD_SIZE
                                    : mosquitto_publish(l->m, mid, topic, (int)len, payload, 1, retain != 0);
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

jh_link_result jh_link_publish(jh_link *l, const char *topic, const void *payload, size_t len, int retain,
                               char *err, size_t errlen)
{
    return jh_link_publish_mid(l, topic, payload, len, retain, NULL, err, errlen);
}

void jh_link_on_ack(jh_link *l, jh_link_ack_fn fn) { l->on_ack = fn; }

int jh_link_unacked(const jh_link *l) { return l->unacked; }

int jh_link_flush(jh_link *l, int timeout_ms)
{
    int64_t t0 = mono_ms(), base = l->now;
    for (;;) {
        if (l->phase != LINK_UP)
            return -1;
        if (l->unacked == 0)
            return 0;
        int64_t spent = mono_ms() - t0;
        if (spent >= timeout_ms)
            return -1;
        jh_link_wait(l, base + spent, (int)(timeout_ms - spent));
        jh_link_pump(l, base + (mono_ms() - t0));
    }
}

int jh_link_goodbye(jh_link *l, const char *topic, const char *payload, int timeout_ms, char *err,
                    size_t errlen)
{
    if (jh_link_publish(l, topic, payload, strlen(payload), 1, err, errlen) < 0)
        return -1;
    if (jh_link_flush(l, timeout_ms) == 0)
        return 0;
    if (l->phase != LINK_UP)
        snprintf(err, errlen, "goodbye on %s: %s", topic, l->error);
    else
        snprintf(err, errlen, "goodbye on %s: %d publish(es) not acknowledged within %d ms", topic,
                 l->unacked, timeout_ms);
    return -1;
}
