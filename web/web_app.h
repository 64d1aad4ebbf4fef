/* SPDX-License-Identifier: MIT */
/*
 * web_app — the pieces of one running jiaohao-web, shared by its modules.
 *
 * Owns: nothing but the struct that ties them together, and the few
 * definitions both the HTTP side (http_api.c) and the WebSocket side
 * (ws_api.c) need: the connection records libwebsockets keeps per socket,
 * the tags that say who asked the caller what, and the clock.
 * web_server.c makes the libwebsockets context; web_main.c runs it.
 */
#ifndef JH_WEB_APP_H
#define JH_WEB_APP_H

#include <stddef.h>
#include <stdint.h>

#include <libwebsockets.h>

#include "hall_config.h"
#include "login_limit.h"
#include "out_queue.h"
#include "relay.h"
#include "sessions.h"
#include "web_config.h"
#include "ws_msg.h"

#define JH_WEB_SESSIONS_MAX 1024
#define JH_WEB_SOCKETS_PER_SESSION 8 /* tabs of one staff member */
#define JH_WEB_INFLIGHT_MAX 32       /* commands in flight per session (CONSOLE.md) */
#define JH_WEB_TICKET_TOKEN_LEN 22   /* 16 bytes in base64url: the ticket's QR token */

/* Who asked the caller: handed to the relay with each request and back with the answer. */
typedef enum {
    JH_TAG_LOGIN_AUTH = 1, /* /api/login: staff-auth */
    JH_TAG_LOGIN_COUNTER,  /* /api/login: login at the counter */
    JH_TAG_FIRE,           /* nobody waits (logout at the counter) */
    JH_TAG_WS_CMD,         /* a staff socket's command */
    JH_TAG_TICKET_STATUS,  /* a citizen socket's ticket */
    JH_TAG_RATE            /* a citizen socket's rating */
} jh_tag;

/* One WebSocket (libwebsockets' per-socket user space of the "jh" protocol). */
typedef struct jh_conn {
    struct lws *wsi;
    uint64_t serial;
    jh_ws_socket_kind kind;
    uint64_t session;                     /* staff: the session's serial */
    char token[JH_WEB_TICKET_TOKEN_LEN + 1]; /* citizen: the ticket's token */
    char ticket[32], service[32];         /* citizen: learned from ticket-status */
    int asking;                           /* citizen: a ticket-status is on its way */
    int dirty;                            /* citizen: something changed since the last ask */
    int64_t last_ask;
    jh_out_queue out;
    char *rx;                             /* a message arriving in fragments */
    size_t rx_len;
    int rx_over;                          /* the current message is past JH_WS_MSG_MAX */
    int close_when_sent;                  /* bye, or unknown-token: close once the queue is out */
    int kill;                             /* fell too far behind: close now */
    struct jh_conn *prev, *next;
} jh_conn;

/* One HTTP transaction on an /api route (the "http" protocol's per-request user space). */
typedef struct jh_http {
    struct lws *wsi;
    uint64_t serial;
    int route;            /* http_api.c's */
    int post;
    char cookie[JH_SESSION_TOKEN_LEN + 1];
    char csrf[64];
    int origin_ok, json_type;
    char peer[JH_LOGIN_LIMIT_ADDR_LEN];
    char *body;
    size_t body_len;
    int body_over;
    /* /api/login while the caller is asked */
    int waiting;
    char staff_id[32], counter[32];
    char secret[160];
    cJSON *auth;          /* staff-auth's answer, while the counter login is asked */
    /* the answer */
    int status;
    char *resp;
    size_t resp_len;
    char set_cookie[200];
    int phase;            /* 0 nothing to send, 1 headers due, 2 body due */
    struct jh_http *prev, *next;
} jh_http;

typedef struct jh_web {
    const jh_hall_config *hall;
    jh_web_config cfg;
    int tls;
    jh_sessions *sessions;
    jh_login_limit *limit;
    jh_relay *relay;
    struct lws_context *ctx;
    void *loop;           /* libev's struct ev_loop (web_server.c) */
    jh_conn *conns;       /* every open WebSocket */
    jh_http *waits;       /* every /api transaction in progress */
    int n_staff, n_citizen;
    uint64_t next_serial;
    int link_up;          /* the broker link is connected */
} jh_web;

/* The monotonic clock, ms. */
int64_t jh_web_now(void);

#endif
