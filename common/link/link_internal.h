/* SPDX-License-Identifier: MIT */
/*
 * link_internal — the jh_link struct, shared by the two halves of the link:
 * mqtt_link.c (the connection's state machine) and link_publish.c (QoS 1
 * publishing, flushing, the goodbye). Nothing outside common/link includes it.
 *
 * Owns: the one definition of what a link remembers.
 */
#ifndef JH_LINK_INTERNAL_H
#define JH_LINK_INTERNAL_H

#include <mosquitto.h>

#include "mqtt_link.h"

typedef enum { LINK_DOWN, LINK_CONNECTING, LINK_UP } link_phase;

struct jh_link {
    struct mosquitto *m;
    char host[128];
    int port;
    int keepalive;       /* s */
    int reads_per_pump;
    char *topics[JH_LINK_MAX_TOPICS];
    int n_topics;
    int sub_mids[JH_LINK_MAX_TOPICS];
    int subs_pending;
    int refused_topic;   /* index of the first filter the ACL refused this session, -1 */
    jh_link_msg_fn fn;
    jh_link_session_fn on_session;
    jh_link_ack_fn on_ack;
    void *user;

    link_phase phase;
    jh_link_state state; /* what the last attempt came to */
    int refused;         /* this attempt's CONNACK said no */
    int tried;           /* mosquitto_connect_async once, mosquitto_reconnect_async after */
    int64_t now;         /* the now_ms of the last pump */
    int64_t next_try;
    int64_t attempt_started;
    int backoff;
    uint64_t session;
    int session_due;     /* accepted: start the session at the end of this pump */
    int subscribed;      /* every filter acknowledged (a flag: the clock may read 0) */
    int64_t subscribed_at;
    int64_t last_message_at;
    int unacked;         /* QoS 1 publishes without PUBACK (jh_link_publish) */
    int reason_set;      /* this attempt or session has its reason already */
    char reason[300];
    char error[440];     /* "host:port: " reason */
};

#endif
