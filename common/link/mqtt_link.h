/* SPDX-License-Identifier: MIT */
/*
 * mqtt_link — one client's connection to the broker, driven from its own loop:
 * a board's frame loop, the kiosk's, or the bridge's poll loop.
 *
 * Owns: connecting (non-blocking), subscribing, reading messages and handing
 * them to a callback, noticing that the broker went away, and reconnecting by
 * itself with a short back-off. Nothing here blocks: jh_link_pump() does one
 * round of mosquitto_loop() with a zero timeout per frame, then reads on while
 * the socket has data (libmosquitto reads one packet per call, and the retained
 * state after a subscribe is hundreds of packets), and — as libmosquitto
 * only reconnects by itself inside loop_forever/loop_start — it calls
 * mosquitto_reconnect_async() on its own schedule. The boards only read; the
 * kiosk and the bridge also publish their commands and status, with a Last
 * Will (the jh_link_set_will / jh_link_publish pair at the end).
 */
#ifndef JH_MQTT_LINK_H
#define JH_MQTT_LINK_H

#include <stddef.h>
#include <stdint.h>

#define JH_LINK_MAX_TOPICS 4

typedef void (*jh_link_msg_fn)(void *user, const char *topic, const void *payload, size_t len);
/*
 * Called from jh_link_pump() when a connection is accepted, before subscribing:
 * retained state follows. Anything published here goes out after what the
 * last connection left queued (JH_LINK_QUEUED), so a fresh status wins.
 */
typedef void (*jh_link_session_fn)(void *user);

typedef struct {
    const char *host;
    int port;
    const char *user;         /* NULL: none */
    const char *password;     /* NULL: none */
    const char *client_id;
    const char *cafile, *certfile, *keyfile; /* TLS when cafile is set */
    const char *topics[JH_LINK_MAX_TOPICS];  /* subscription filters, QoS 1 */
    int n_topics;
} jh_link_opts;

typedef struct jh_link jh_link;

/* Creates the client; does not connect yet. NULL with err on bad options. */
jh_link *jh_link_new(const jh_link_opts *o, jh_link_msg_fn fn, jh_link_session_fn on_session,
                     void *user, char *err, size_t errlen);

/* Connects, reconnects, reads and writes as far as possible without waiting. */
void jh_link_pump(jh_link *l, int64_t now_ms);

/* Re-subscribes every filter: the broker then sends the retained state again. */
void jh_link_resubscribe(jh_link *l);

int jh_link_connected(const jh_link *l);    /* CONNACK accepted */
int jh_link_subscribed(const jh_link *l);   /* every SUBACK of this session arrived */
uint64_t jh_link_session(const jh_link *l); /* grows with every accepted connection */
int64_t jh_link_subscribed_at(const jh_link *l);  /* ms of the last SUBACK, 0 before */
int64_t jh_link_last_message_at(const jh_link *l);
const char *jh_link_error(const jh_link *l); /* why it is down, "" when up */

/* ---- publishing (the kiosk and the bridge; the boards never call these) ---- */

/*
 * The Last Will the broker publishes (QoS 1) when this client vanishes without
 * a clean disconnect. Call before the first jh_link_pump(). -1 with err when
 * libmosquitto refuses it (bad topic, payload too large).
 */
int jh_link_set_will(jh_link *l, const char *topic, const char *payload, int retain, char *err,
                     size_t errlen);

/*
 * What became of a message given to jh_link_publish(). Negative: nothing was
 * kept and nothing will be sent, so the caller may try again later.
 * Non-negative: the link has it (it counts in jh_link_unacked() until the
 * broker's PUBACK); publishing it again would deliver it twice.
 * (docs/hardware.md: a QoS 1 publish that fails on the connection stays queued.)
 */
typedef enum {
    JH_LINK_SENT = 0,     /* handed to a live connection */
    JH_LINK_QUEUED = 1,   /* the connection broke under it: libmosquitto keeps it and sends it
                           * after the next reconnect, which may be minutes later */
    JH_LINK_DOWN = -1,    /* not connected: dropped */
    JH_LINK_REFUSED = -2  /* can never go (bad topic, too large, out of memory): dropped */
} jh_link_result;

/*
 * Publishes at QoS 1, only while connected: while down the message is refused
 * (JH_LINK_DOWN) rather than queued for a reconnect that may come minutes
 * later, which a command like `take` must never wait for unknowingly. err says
 * why for anything but JH_LINK_SENT.
 */
jh_link_result jh_link_publish(jh_link *l, const char *topic, const void *payload, size_t len, int retain,
                               char *err, size_t errlen);

/* QoS 1 publishes the broker has not acknowledged yet (to flush before exiting). */
int jh_link_unacked(const jh_link *l);

/* Disconnects cleanly (flushing) and frees. */
void jh_link_free(jh_link *l);

#endif
