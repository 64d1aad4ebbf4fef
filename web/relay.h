/* SPDX-License-Identifier: MIT */
/*
 * relay — the console's side of the hall's broker, without the connection.
 *
 * Owns: what jiaohao-web reads from the broker and what it sends there on the
 * staff's behalf. It keeps the retained snapshot (the latest state/# and
 * status/# payload by topic, so a socket that opens now gets the hall at
 * once) — the only hall state jiaohao-web holds besides the sessions — and
 * the table of commands in flight: each one published with an id of the
 * server's own ("w-<prefix>-<n>", unique across restarts because the prefix
 * is random), `reply_to:"web"` and `by`, so the caller's answer on
 * reply/web comes back here and is handed to whoever asked, with the
 * browser's own id. A command unanswered in time gets a "timeout" answer.
 *
 * Topics as the browser sees them: state/hall → "hall", state/service/<c>
 * → "service/<c>", state/counter/<id> → "counter/<id>", state/alerts →
 * "alerts", status/<id> → "devices/<id>". Events are passed on once each
 * (the caller may send one again after a crash: a repeated seq is dropped).
 * Payloads that are not JSON objects are dropped, so a browser message
 * built around one is always JSON.
 *
 * No I/O: web_main.c feeds it the link's messages and gives it a publish
 * function (common/link jh_link_publish). Time is passed in (monotonic ms).
 */
#ifndef JH_RELAY_H
#define JH_RELAY_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "role_check.h"

#define JH_RELAY_PENDING_MAX 8192
#define JH_RELAY_CACHE_MAX 4096
#define JH_RELAY_TIMEOUT_MS 8000

typedef struct {
    /* Hands one payload to the broker: 0 sent (or queued by the link), -1 with why (link down). */
    int (*publish)(void *user, const char *topic, const char *payload, size_t len, char *why, size_t wl);
    /* A state changed or appeared (data NULL: it was removed). data is a JSON object's text. */
    void (*on_state)(void *user, const char *topic, const char *data, size_t len);
    /* An event as the caller published it (kind: "called", ...); data is a JSON object's text. */
    void (*on_event)(void *user, const char *kind, const char *data, size_t len, const cJSON *ev);
    /* The answer to a request (or {ok:false,error:"timeout"}), for the owner that sent it. */
    void (*on_reply)(void *user, uint64_t owner, int tag, const char *browser_id, const cJSON *reply);
    /* state/hall's business day changed (YYYYMMDD). */
    void (*on_day)(void *user, int day);
    void *user;
} jh_relay_io;

typedef struct jh_relay jh_relay;

/* For the hall `site`; `prefix` (1-20 of [0-9a-f]) starts the ids of the server's own requests. */
jh_relay *jh_relay_new(const char *site, const char *prefix, const jh_relay_io *io, char *err, size_t errlen);
void jh_relay_free(jh_relay *r);

/* The four filters to subscribe to (i < 4), full topics. */
const char *jh_relay_topic(const jh_relay *r, int i);
#define JH_RELAY_TOPICS 4

/* One message from the broker (any of the four filters). */
void jh_relay_on_message(jh_relay *r, const char *topic, const void *payload, size_t len, int64_t now_ms);

/* Answers every request past its deadline with "timeout". */
void jh_relay_pump(jh_relay *r, int64_t now_ms);

/* One command to send. The relay adds "id", "reply_to":"web" and (when by is set) "by". */
typedef struct {
    jh_route route;
    const cJSON *fields;     /* the op and its fields ("op" required) */
    const char *by;          /* the signed-in staff id, NULL for the server's own requests */
    const char *prefix;      /* the session's sid; NULL: the relay's own prefix */
    uint64_t owner;          /* handed back with the answer (a connection's serial) */
    uint64_t session;        /* counted in jh_relay_in_flight (0: none) */
    int tag;                 /* handed back with the answer */
    const char *browser_id;  /* handed back with the answer (NULL: "") */
    int64_t timeout_ms;      /* 0: JH_RELAY_TIMEOUT_MS */
} jh_relay_request;

/*
 * Publishes the command and remembers it. 0 with the id used in cmd_id
 * (JH_RELAY_ID_LEN); -1 with a code ("unavailable": the broker is not
 * reachable now; "busy": too many in flight; "internal") and a sentence.
 */
#define JH_RELAY_ID_LEN 64
int jh_relay_send(jh_relay *r, const jh_relay_request *q, int64_t now_ms, char *cmd_id, char *code,
                  size_t cl, char *why, size_t wl);

/* Requests of this session still waiting for their answer. */
int jh_relay_in_flight(const jh_relay *r, uint64_t session);
int jh_relay_pending(const jh_relay *r);

/* Forgets the requests of this owner (its connection closed): their answers are dropped. */
void jh_relay_forget_owner(jh_relay *r, uint64_t owner);

/* Calls fn for every retained state now known (the snapshot for a new socket). */
void jh_relay_snapshot(const jh_relay *r, void (*fn)(void *u, const char *topic, const char *data, size_t len),
                       void *u);
int jh_relay_cached(const jh_relay *r);
size_t jh_relay_cached_bytes(const jh_relay *r);

/* The business day of the last state/hall, 0 before one arrived. */
int jh_relay_day(const jh_relay *r);

#endif
