/* SPDX-License-Identifier: MIT */
/*
 * mqtt_link — one client's connection to the broker, driven from its own loop:
 * a board's frame loop, the kiosk's, the bridge's poll loop, the caller
 * daemon's loop or the simulated day's driver. It is the one connection state
 * machine of the hall's programs.
 *
 * Owns: connecting (non-blocking), the CONNACK deadline (5 s), the one
 * back-off schedule (250 ms, 500 ms, 1 s, then every 2 s; back to 250 ms after
 * an accepted connection), subscribing, reading messages and handing them to a
 * callback, noticing that the broker went away and why (jh_link_state_of),
 * reconnecting by itself, the Last Will, QoS 1 publishing with the broker's
 * acknowledgements, and a clean goodbye. Nothing here blocks except
 * jh_link_wait() and jh_link_flush(), which wait only as long as they are told:
 * jh_link_pump() does one round of mosquitto_loop() with a zero timeout, then
 * reads on while the socket has data (libmosquitto reads one packet per call,
 * and the retained state after a subscribe is hundreds of packets), and — as
 * libmosquitto only reconnects by itself inside loop_forever/loop_start — it
 * calls mosquitto_reconnect_async() on its own schedule.
 *
 * A frame loop calls jh_link_pump() once per frame. A program without one
 * (the caller daemon, the simulated day) sleeps in jh_link_wait(), which wakes
 * for the socket or the link's own next step, then pumps.
 *
 * On a clean stop a program says goodbye: jh_link_goodbye() publishes its
 * retained status and waits for the broker's PUBACK, then jh_link_free() sends
 * DISCONNECT, so the broker drops the Will. Vanishing without that (a crash,
 * SIGKILL, a cut cable) makes the broker publish the Will.
 */
#ifndef JH_MQTT_LINK_H
#define JH_MQTT_LINK_H

#include <stddef.h>
#include <stdint.h>

#define JH_LINK_MAX_TOPICS 4

/* The schedule, for the tests and the docs that state it. */
#define JH_LINK_BACKOFF_MIN_MS 250
#define JH_LINK_BACKOFF_MAX_MS 2000
#define JH_LINK_CONNACK_TIMEOUT_MS 5000

typedef void (*jh_link_msg_fn)(void *user, const char *topic, const void *payload, size_t len);
/*
 * Called from jh_link_pump() when a connection is accepted, after every
 * SUBSCRIBE of the new session has been handed over (so a status "online"
 * published here means: listening) and before anything the new session brings
 * is read: retained state follows. Anything published here goes out after what
 * the last connection left queued (JH_LINK_QUEUED), so a fresh status wins.
 */
typedef void (*jh_link_session_fn)(void *user);
/* The broker acknowledged (PUBACK) the publish jh_link_publish_mid() numbered `mid`. */
typedef void (*jh_link_ack_fn)(void *user, int mid);

typedef struct {
    const char *host;
    int port;
    const char *user;         /* NULL: none */
    const char *password;     /* NULL: none */
    const char *client_id;
    const char *cafile, *certfile, *keyfile; /* TLS when cafile is set */
    const char *topics[JH_LINK_MAX_TOPICS];  /* subscription filters, QoS 1 */
    int n_topics;
    /* 1: a persistent session (clean_session off): the broker keeps the
     * subscriptions and the QoS 1 messages for this client while it is away.
     * Needs a client_id that stays the same across restarts. */
    int persistent;
    int keepalive_s;    /* 0: 10 s */
    int reads_per_pump; /* packets read per jh_link_pump() at most; 0: 2000 (a board's retained burst) */
} jh_link_opts;

typedef struct jh_link jh_link;

/* Creates the client; does not connect yet. NULL with err on bad options. */
jh_link *jh_link_new(const jh_link_opts *o, jh_link_msg_fn fn, jh_link_session_fn on_session,
                     void *user, char *err, size_t errlen);

/* Connects, reconnects, reads and writes as far as possible without waiting. */
void jh_link_pump(jh_link *l, int64_t now_ms);

/*
 * Sleeps until the socket has something to read or can take what waits to be
 * written, or the link's own next step is due (a reconnect attempt, the
 * CONNACK deadline, a keepalive), or max_ms passed. Call jh_link_pump() next.
 */
void jh_link_wait(jh_link *l, int64_t now_ms, int max_ms);

/* Re-subscribes every filter: the broker then sends the retained state again. */
void jh_link_resubscribe(jh_link *l);

/* Where the link is, as a person watching it would say it: changes only when
 * an attempt ends differently from the last one, never once per retry. */
typedef enum {
    JH_LINK_STATE_STARTING,    /* no attempt has ended yet */
    JH_LINK_STATE_ONLINE,      /* CONNACK accepted */
    JH_LINK_STATE_UNREACHABLE, /* the last attempt failed before a CONNACK: refused or no route,
                                * TLS, or no answer within JH_LINK_CONNACK_TIMEOUT_MS */
    JH_LINK_STATE_REFUSED,     /* the broker's CONNACK refused the last attempt (login, client id) */
    JH_LINK_STATE_LOST         /* the connection went after its CONNACK; no attempt has ended since */
} jh_link_state;

jh_link_state jh_link_state_of(const jh_link *l);
int jh_link_connected(const jh_link *l);    /* CONNACK accepted */
int jh_link_subscribed(const jh_link *l);   /* every SUBACK of this session arrived */
uint64_t jh_link_session(const jh_link *l); /* grows with every accepted connection */
int64_t jh_link_subscribed_at(const jh_link *l);  /* ms of the last SUBACK, 0 before */
int64_t jh_link_last_message_at(const jh_link *l);
const char *jh_link_error(const jh_link *l);  /* "host:port: why" it is down, "" when up */
const char *jh_link_reason(const jh_link *l); /* the same without "host:port: " */
/* The first filter the broker refused (ACL) in this session, NULL when none. */
const char *jh_link_refused_filter(const jh_link *l);

/* ---- publishing (the kiosk, the bridge, the caller, the simulated day; never the boards) ---- */

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

/*
 * The same, and *mid (when not NULL) gets the message's number for a result
 * >= 0: the ack callback (jh_link_on_ack) says it when the broker has it, also
 * after a reconnect for a JH_LINK_QUEUED one.
 */
jh_link_result jh_link_publish_mid(jh_link *l, const char *topic, const void *payload, size_t len,
                                   int retain, int *mid, char *err, size_t errlen);

/* Asks for a call with every PUBACK (NULL: none). */
void jh_link_on_ack(jh_link *l, jh_link_ack_fn fn);

/* QoS 1 publishes the broker has not acknowledged yet (to flush before exiting). */
int jh_link_unacked(const jh_link *l);

/*
 * Pumps (sleeping in jh_link_wait) until the broker has acknowledged every
 * publish, the connection goes, or timeout_ms passed: 0 when all were acked.
 * Any clock that moves at the real pace works: the link adds the time spent
 * here to the last now_ms it was given.
 */
int jh_link_flush(jh_link *l, int timeout_ms);

/*
 * A clean stop's goodbye: publishes `payload` retained on `topic` and flushes
 * (timeout_ms at most). jh_link_free() then sends DISCONNECT, so the broker
 * forgets the Will. 0 when the broker has everything; -1 with err when not
 * connected, refused, or not acknowledged in time.
 */
int jh_link_goodbye(jh_link *l, const char *topic, const char *payload, int timeout_ms, char *err,
                    size_t errlen);

/* Disconnects cleanly (flushing) and frees. */
void jh_link_free(jh_link *l);

#endif
