/* SPDX-License-Identifier: MIT */
/*
 * bridge — what jiaohao-bridge means: the glue between the keypad bus and the
 * hall's MQTT contract (docs/protocol.md, docs/keypad-bus.md "What the bridge
 * makes of it").
 *
 * Owns: the mapping of bus events to counter commands (ids from
 * bm_event_id(), so a re-sent press is applied once), the queue of commands
 * not yet handed to the broker, the commands sent but not yet answered by
 * the caller (sent again until they are), what each counter's keypad and
 * rating pad should show (from state/counter/+, state/service/+,
 * event/finished, event/rating-invited), and the status/<bridge-id> document.
 *
 * It does no I/O: bridge_main.c owns the bus master (set up here with
 * jh_bridge_bus_setup()), moves bytes between it and the serial port, and
 * gives this module a publish function and a notice function (the one place
 * that logs). So the whole mapping is tested on a real bus master without a
 * broker, and the daemon only wires things up.
 */
#ifndef JH_BRIDGE_H
#define JH_BRIDGE_H

#include <stddef.h>
#include <stdint.h>

#include "bridge_config.h"
#include "bus_master.h"
#include "hall_config.h"
#include "log.h"
#include "protocol.h"

#define JH_BRIDGE_TOPICS 4      /* subscriptions, see jh_bridge_topic() */
#define JH_BRIDGE_OUTBOX 256    /* commands held while the broker is away; as many await an answer */

typedef struct {
    /*
     * Hands one QoS 1 message on `topic` to the broker link. 0: taken (it is
     * the link's from now on, even if the broker drops before the PUBACK);
     * -1: not now (no connection) — the bridge keeps it and tries again.
     */
    int (*publish)(void *user, const char *topic, const char *payload, int retain);
    /* Something an operator should read (a keypad went silent, a refusal). */
    void (*notice)(void *user, jh_log_level level, const char *text);
    void *user;
} jh_bridge_io;

typedef struct jh_bridge jh_bridge;

/*
 * Prepares `bus` for bc's devices: bm_init with its timing, then one
 * bm_add_device per keypad and pad. 0, or -1 with err.
 */
int jh_bridge_bus_setup(bus_master *bus, const jh_bridge_config *bc, char *err, size_t errlen);

/*
 * A bridge for `bc` in hall `hall` over `bus` (all must outlive it; check the
 * config with jh_bridge_config_check() first). The bus is the caller's, so a
 * test can put the real master on an in-memory wire. NULL with err when the
 * hall's site makes no valid topic.
 */
jh_bridge *jh_bridge_new(const jh_bridge_config *bc, const jh_hall_config *hall, bus_master *bus,
                         const jh_bridge_io *io, char *err, size_t errlen);
void jh_bridge_free(jh_bridge *b);

/* Full topic filters to subscribe to, i in 0..JH_BRIDGE_TOPICS-1. */
const char *jh_bridge_topic(const jh_bridge *b, int i);

/* Full topics of the status document and its Last Will payload. */
const char *jh_bridge_status_topic(const jh_bridge *b);
const char *jh_bridge_will_payload(void);

/* One event from the bus master: a press becomes a queued command, a liveness change is noticed. */
void jh_bridge_handle_event(jh_bridge *b, const bm_event *ev);

/*
 * Takes what the bus master has to say (presses become queued commands,
 * liveness changes are noticed and make the status due), sends again the
 * unanswered commands that are due (see jh_bridge_on_session), sends queued
 * commands in order while publish() takes them, and refreshes the status
 * when due. `now_ms` is the only clock the resend timers use. Call after
 * every bm_rx()/bm_step() round.
 */
void jh_bridge_pump(jh_bridge *b, int64_t now_ms);

/* A message on one of jh_bridge_topic()'s filters. Bad payloads are noticed and change nothing. */
void jh_bridge_on_message(jh_bridge *b, const char *topic, const void *payload, size_t len);

/*
 * A new broker session: at the next pump the status is published again, and
 * every command the broker took but the caller has not answered goes out
 * again, oldest first, with the same id (a broker killed outright loses what
 * it held for a caller that was down; the caller applies an id once). Apart
 * from sessions, an unanswered command goes again 10 s after it was last
 * sent, then after 20 s, 40 s and every 60 s. A reply with its id ends that,
 * except the refusal `internal` (the caller's store failed, nothing applied).
 */
void jh_bridge_on_session(jh_bridge *b);

/*
 * The status document (malloc'd JSON): {online, bridge, at, keypads:[…],
 * bus:{…}, queued, unanswered} — queued: commands the broker has not taken
 * yet (jh_bridge_queued); unanswered: commands it took that still wait for
 * the caller's reply, and so are sent again.
 */
char *jh_bridge_status_json(const jh_bridge *b, int online);

/* Commands waiting for the broker. */
int jh_bridge_queued(const jh_bridge *b);
/* Commands the broker took that still wait for the caller's answer (resent until answered). */
int jh_bridge_unanswered(const jh_bridge *b);

#endif
