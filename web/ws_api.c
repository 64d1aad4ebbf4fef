/* SPDX-License-Identifier: MIT */
/*
 * ws_api — see ws_api.h. Every open socket is a jh_conn (libwebsockets'
 * per-socket user space) on one list; sessions and requests refer to a
 * socket by its serial, never by pointer, because a closed socket's memory
 * is reused.
 */
#include "ws_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_api.h"
#include "role_check.h"

#define STAFF_BUDGET (4u << 20)    /* bytes waiting for one staff socket (a hall's snapshot fits) */
#define CITIZEN_BUDGET (64u << 10) /* for a phone: a few ticket messages */
#define CITIZENS_MAX 8000
#define ASK_SOON_MS 3000           /* a citizen's queue moved: ask again at most this often */
#define ASK_EVERY_MS 30000         /* and at least this often (the estimate moves with time) */

/* ------------------------------------------------------------- admission */

typedef struct {
    jh_ws_socket_kind kind;
    uint64_t session;
    char token[JH_WEB_TICKET_TOKEN_LEN + 1];
} admission;

static int token_ok(const char *t)
{
    if (strlen(t) != JH_WEB_TICKET_TOKEN_LEN)
        return 0;
    return strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == JH_WEB_TICKET_TOKEN_LEN;
}

static int sockets_of(const jh_web *w, uint64_t session)
{
    int n = 0;
    for (const jh_conn *c = w->conns; c; c = c->next)
        n += c->kind == JH_WS_STAFF && c->session == session;
    return n;
}

/* NULL when the upgrade may go on (a filled in), else why not. */
static const char *admit(jh_web *w, struct lws *wsi, admission *a)
{
    char *uri = NULL, path[128];
    int len = 0;
    memset(a, 0, sizeof *a);
    if (lws_http_get_uri_and_method(wsi, &uri, &len) != LWSHUMETH_GET || len <= 0 || len >= (int)sizeof path)
        return "not a GET of /ws or /ws/t/<token>";
    memcpy(path, uri, (size_t)len);
    path[len] = '\0';
    if (!jh_web_origin_ok(w, wsi, 1))
        return "Origin is not this server's";
    if (strncmp(path, "/ws/t/", 6) == 0) {
        if (!token_ok(path + 6))
            return "not a ticket token";
        if (w->n_citizen >= CITIZENS_MAX)
            return "too many citizen pages open";
        a->kind = JH_WS_CITIZEN;
        snprintf(a->token, sizeof a->token, "%s", path + 6);
        return NULL;
    }
    if (strcmp(path, "/ws") != 0)
        return "no WebSocket here";
    char cookie[512], token[JH_SESSION_TOKEN_LEN + 1];
    if (lws_hdr_copy(wsi, cookie, sizeof cookie, WSI_TOKEN_HTTP_COOKIE) <= 0 ||
        jh_cookie_value(cookie, "jh_session", token, sizeof token) < 0)
        return "not signed in";
    jh_session *s = jh_sessions_lookup(w->sessions, token, jh_web_now());
    if (!s)
        return "not signed in (or the session ended)";
    if (sockets_of(w, s->serial) >= JH_WEB_SOCKETS_PER_SESSION)
        return "too many sockets for this session";
    a->kind = JH_WS_STAFF;
    a->session = s->serial;
    return NULL;
}

int jh_ws_confirm_upgrade(jh_web *w, struct lws *wsi, const char *upgrade)
{
    admission a;
    const char *why = strcmp(upgrade, "websocket") != 0 ? "only WebSocket upgrades" : admit(w, wsi, &a);
    if (!why)
        return 0;
    lws_return_http_status(wsi, HTTP_STATUS_FORBIDDEN, why);
    return 1;
}

/* ----------------------------------------------------------------- sending */

static jh_out_msg *msg_of(cJSON *o)
{
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (!text)
        return NULL;
    jh_out_msg *m = jh_out_msg_new(text, strlen(text), LWS_PRE);
    free(text);
    return m;
}

static void push(jh_conn *c, jh_out_msg *m)
{
    if (!m || c->kill)
        return;
    if (jh_out_push(&c->out, m, c->kind == JH_WS_STAFF ? STAFF_BUDGET : CITIZEN_BUDGET) < 0)
        c->kill = 1; /* too far behind: it reconnects and gets a fresh snapshot */
    lws_callback_on_writable(c->wsi);
}

static void send_json(jh_conn *c, cJSON *o)
{
    jh_out_msg *m = msg_of(o);
    push(c, m);
    jh_out_msg_unref(m);
}

static jh_conn *conn_of(jh_web *w, uint64_t serial)
{
    jh_conn *c = w->conns;
    while (c && c->serial != serial)
        c = c->next;
    return c;
}

/* {"type":"state","topic":...,"data":<data>} with data already known to be a JSON object. */
static cJSON *state_json(const char *topic, const char *data, size_t len)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "type", "state");
    cJSON_AddStringToObject(o, "topic", topic);
    if (!data) {
        cJSON_AddNullToObject(o, "data");
        return o;
    }
    char *copy = malloc(len + 1);
    if (copy) {
        memcpy(copy, data, len);
        copy[len] = '\0';
        cJSON_AddItemToObject(o, "data", cJSON_CreateRaw(copy));
        free(copy);
    }
    return o;
}

static void reply_error(jh_conn *c, const char *id, const char *code, const char *message)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return;
    cJSON_AddStringToObject(o, "type", "reply");
    if (id && *id)
        cJSON_AddStringToObject(o, "id", id);
    else
        cJSON_AddNullToObject(o, "id");
    cJSON_AddFalseToObject(o, "ok");
    cJSON_AddStringToObject(o, "error", code);
    cJSON_AddStringToObject(o, "message", message);
    send_json(c, o);
}

static void bye(jh_conn *c, const char *reason)
{
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddStringToObject(o, "type", "bye");
        cJSON_AddStringToObject(o, "reason", reason);
    }
    send_json(c, o);
    c->close_when_sent = 1;
    lws_callback_on_writable(c->wsi);
}

void jh_ws_end_session(jh_web *w, uint64_t session, const char *reason)
{
    for (jh_conn *c = w->conns; c; c = c->next)
        if (c->kind == JH_WS_STAFF && c->session == session && !c->close_when_sent)
            bye(c, reason);
}

/* ------------------------------------------------------------ staff sockets */

static void add_roles(cJSON *o, unsigned roles)
{
    cJSON *a = cJSON_AddArrayToObject(o, "roles");
    for (unsigned bit = 1; a && bit <= JH_ROLE_ADMIN; bit <<= 1)
        if (roles & bit)
            cJSON_AddItemToArray(a, cJSON_CreateString(jh_role_name(bit)));
}

static void snapshot_one(void *u, const char *topic, const char *data, size_t len)
{
    send_json(u, state_json(topic, data, len));
}

static void staff_hello(jh_web *w, jh_conn *c, const jh_session *s)
{
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddStringToObject(o, "type", "hello");
        cJSON_AddStringToObject(o, "staff_id", s->staff_id);
        cJSON_AddStringToObject(o, "name", s->name);
        add_roles(o, s->roles);
        if (s->counter[0])
            cJSON_AddStringToObject(o, "counter", s->counter);
        else
            cJSON_AddNullToObject(o, "counter");
        cJSON_AddStringToObject(o, "csrf", s->csrf);
    }
    send_json(c, o);
    jh_relay_snapshot(w->relay, snapshot_one, c);
}

static void staff_message(jh_web *w, jh_conn *c, const char *buf, size_t len)
{
    int64_t now = jh_web_now();
    jh_session *s = jh_sessions_by_serial(w->sessions, c->session, now);
    if (!s) {
        bye(c, "idle");
        return;
    }
    jh_ws_msg m;
    jh_ws_error e;
    if (jh_ws_msg_parse(buf, len, JH_WS_STAFF, &m, &e) < 0) {
        reply_error(c, e.id, e.code, e.message);
        return;
    }
    char code[32], why[200], id[JH_RELAY_ID_LEN];
    jh_asker who = {.roles = s->roles, .counter = s->counter};
    jh_relay_request q = {.fields = m.fields, .by = s->staff_id, .prefix = s->sid, .owner = c->serial,
                          .session = s->serial, .tag = JH_TAG_WS_CMD, .browser_id = m.id};
    if (!jh_session_csrf_ok(s, m.csrf))
        reply_error(c, m.id, "csrf", "csrf: not this session's token; nothing was sent");
    else if (jh_session_touch(s, now), jh_role_check(&who, m.op, m.counter, &q.route, code, sizeof code, why,
                                                     sizeof why) < 0)
        reply_error(c, m.id, code, why);
    else if (jh_relay_in_flight(w->relay, s->serial) >= JH_WEB_INFLIGHT_MAX)
        reply_error(c, m.id, "busy", "32 commands are waiting for the caller already; wait for their answers");
    else if (jh_relay_send(w->relay, &q, now, id, code, sizeof code, why, sizeof why) < 0)
        reply_error(c, m.id, code, why);
    jh_ws_msg_clear(&m);
}

/* ---------------------------------------------------------- citizen sockets */

static void ask_ticket(jh_web *w, jh_conn *c)
{
    cJSON *f = cJSON_CreateObject();
    char code[32], why[200], id[JH_RELAY_ID_LEN];
    jh_relay_request q = {.route = {.kind = JH_ROUTE_ADMIN}, .fields = f, .owner = c->serial,
                          .tag = JH_TAG_TICKET_STATUS};
    c->last_ask = jh_web_now();
    c->dirty = 0;
    if (f && cJSON_AddStringToObject(f, "op", "ticket-status") && cJSON_AddStringToObject(f, "token", c->token) &&
        jh_relay_send(w->relay, &q, c->last_ask, id, code, sizeof code, why, sizeof why) == 0)
        c->asking = 1;
    cJSON_Delete(f);
}

static void citizen_message(jh_web *w, jh_conn *c, const char *buf, size_t len)
{
    jh_ws_msg m;
    jh_ws_error e;
    if (jh_ws_msg_parse(buf, len, JH_WS_CITIZEN, &m, &e) < 0) {
        reply_error(c, e.id, e.code, e.message);
        return;
    }
    cJSON *f = cJSON_CreateObject();
    char code[32] = "internal", why[200] = "out of memory", id[JH_RELAY_ID_LEN];
    jh_relay_request q = {.route = {.kind = JH_ROUTE_ADMIN}, .fields = f, .owner = c->serial,
                          .tag = JH_TAG_RATE, .browser_id = m.id};
    if (!f || !cJSON_AddStringToObject(f, "op", "rate") || !cJSON_AddStringToObject(f, "token", c->token) ||
        !cJSON_AddNumberToObject(f, "score", m.score) || !cJSON_AddStringToObject(f, "source", "phone") ||
        jh_relay_send(w->relay, &q, jh_web_now(), id, code, sizeof code, why, sizeof why) < 0)
        reply_error(c, m.id, code, why);
    cJSON_Delete(f);
    jh_ws_msg_clear(&m);
}

static void remember_ticket(jh_conn *c, const cJSON *data)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(data, "ticket");
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(data, "service");
    snprintf(c->ticket, sizeof c->ticket, "%s", cJSON_IsString(t) ? t->valuestring : "");
    snprintf(c->service, sizeof c->service, "%s", cJSON_IsString(s) ? s->valuestring : "");
}

/* The answer to ticket-status: {"type":"ticket","data":{...}} or data null with the error. */
static void ticket_answer(jh_conn *c, const cJSON *reply)
{
    c->asking = 0;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return;
    cJSON_AddStringToObject(o, "type", "ticket");
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(reply, "ok"))) {
        cJSON *data = cJSON_Duplicate(reply, 1);
        cJSON_DeleteItemFromObjectCaseSensitive(data, "id");
        cJSON_DeleteItemFromObjectCaseSensitive(data, "ok");
        remember_ticket(c, data);
        cJSON_AddItemToObject(o, "data", data ? data : cJSON_CreateNull());
    } else {
        const cJSON *err = cJSON_GetObjectItemCaseSensitive(reply, "error");
        const char *code = cJSON_IsString(err) ? err->valuestring : "internal";
        cJSON_AddNullToObject(o, "data");
        cJSON_AddStringToObject(o, "error", code);
        /* An unknown token stays unknown; anything else (the caller down) is asked again later. */
        if (strcmp(code, "unknown-token") == 0)
            c->close_when_sent = 1;
    }
    send_json(c, o);
}

/* ------------------------------------------------------------ from the relay */

void jh_ws_on_state(jh_web *w, const char *topic, const char *data, size_t len)
{
    jh_out_msg *m = msg_of(state_json(topic, data, len));
    for (jh_conn *c = w->conns; m && c; c = c->next)
        if (c->kind == JH_WS_STAFF)
            push(c, m);
    jh_out_msg_unref(m);
}

static const char *text_field(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

void jh_ws_on_event(jh_web *w, const char *kind, const char *data, size_t len, const cJSON *ev)
{
    cJSON *o = cJSON_CreateObject();
    char *copy = malloc(len + 1);
    if (o && copy) {
        memcpy(copy, data, len);
        copy[len] = '\0';
        cJSON_AddStringToObject(o, "type", "event");
        cJSON_AddStringToObject(o, "kind", kind);
        cJSON_AddItemToObject(o, "data", cJSON_CreateRaw(copy));
    }
    free(copy);
    jh_out_msg *m = msg_of(o);
    const char *ticket = text_field(ev, "ticket"), *service = text_field(ev, "service");
    for (jh_conn *c = w->conns; c; c = c->next) {
        if (c->kind == JH_WS_STAFF) {
            push(c, m);
        } else if (ticket && c->ticket[0] && strcmp(ticket, c->ticket) == 0) {
            if (c->asking)
                c->dirty = 1;
            else
                ask_ticket(w, c);
        } else if (service && c->service[0] && strcmp(service, c->service) == 0) {
            c->dirty = 1;
        }
    }
    jh_out_msg_unref(m);
}

void jh_ws_on_reply(jh_web *w, uint64_t owner, int tag, const char *browser_id, const cJSON *reply)
{
    jh_conn *c = conn_of(w, owner);
    if (!c)
        return;
    if (tag == JH_TAG_TICKET_STATUS) {
        ticket_answer(c, reply);
        return;
    }
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return;
    cJSON_AddStringToObject(o, "type", "reply");
    if (browser_id && *browser_id)
        cJSON_AddStringToObject(o, "id", browser_id);
    else
        cJSON_AddNullToObject(o, "id");
    for (const cJSON *f = reply ? reply->child : NULL; f; f = f->next)
        if (f->string && strcmp(f->string, "id") != 0 && strcmp(f->string, "type") != 0)
            cJSON_AddItemToObject(o, f->string, cJSON_Duplicate(f, 1));
    send_json(c, o);
    if (tag == JH_TAG_RATE && c->kind == JH_WS_CITIZEN)
        ask_ticket(w, c); /* "rated" has changed */
}

void jh_ws_pump(jh_web *w, int64_t now_ms)
{
    for (jh_conn *c = w->conns; c; c = c->next) {
        if (c->kind != JH_WS_CITIZEN || c->asking || c->close_when_sent)
            continue;
        int64_t since = now_ms - c->last_ask;
        if ((c->dirty && since >= ASK_SOON_MS) || since >= ASK_EVERY_MS)
            ask_ticket(w, c);
    }
}

/* -------------------------------------------------------- the lws protocol */

static void conn_open(jh_web *w, jh_conn *c, struct lws *wsi)
{
    c->wsi = wsi;
    c->serial = ++w->next_serial;
    c->prev = NULL;
    c->next = w->conns;
    if (w->conns)
        w->conns->prev = c;
    w->conns = c;
    if (c->kind == JH_WS_STAFF)
        w->n_staff++;
    else
        w->n_citizen++;
}

static void conn_close(jh_web *w, jh_conn *c)
{
    if (!c->serial)
        return;
    jh_relay_forget_owner(w->relay, c->serial);
    if (c->prev)
        c->prev->next = c->next;
    else if (w->conns == c)
        w->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    if (c->kind == JH_WS_STAFF)
        w->n_staff--;
    else
        w->n_citizen--;
    jh_out_clear(&c->out);
    free(c->rx);
    c->rx = NULL;
    c->serial = 0;
}

static void on_message(jh_web *w, jh_conn *c, const char *buf, size_t len)
{
    if (c->kind == JH_WS_STAFF)
        staff_message(w, c, buf, len);
    else
        citizen_message(w, c, buf, len);
}

/* A piece of a message: kept until its last fragment, at most JH_WS_MSG_MAX bytes. */
static int on_receive(jh_web *w, jh_conn *c, struct lws *wsi, const void *in, size_t len)
{
    int last = lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0;
    if (!c->rx_over && c->rx_len + len > JH_WS_MSG_MAX) {
        c->rx_over = 1;
        reply_error(c, NULL, "too-large", "a message is at most 8192 bytes");
    }
    if (!c->rx_over) {
        if (!c->rx && !(c->rx = malloc(JH_WS_MSG_MAX)))
            return -1;
        memcpy(c->rx + c->rx_len, in, len);
        c->rx_len += len;
    }
    if (!last)
        return 0;
    if (!c->rx_over && lws_frame_is_binary(wsi))
        reply_error(c, NULL, "bad-json", "want text messages");
    else if (!c->rx_over)
        on_message(w, c, c->rx, c->rx_len);
    c->rx_len = 0;
    c->rx_over = 0;
    return 0;
}

static int on_writeable(jh_conn *c, struct lws *wsi)
{
    if (c->kill) {
        lws_close_reason(wsi, LWS_CLOSE_STATUS_POLICY_VIOLATION, (unsigned char *)"too slow", 8);
        return -1;
    }
    jh_out_msg *m = jh_out_peek(&c->out);
    if (!m) {
        if (!c->close_when_sent)
            return 0;
        lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
        return -1;
    }
    size_t len = jh_out_msg_len(m);
    if (lws_write(wsi, jh_out_msg_text(m), len, LWS_WRITE_TEXT) < (int)len)
        return -1;
    jh_out_pop(&c->out);
    if (jh_out_peek(&c->out) || c->close_when_sent)
        lws_callback_on_writable(wsi);
    return 0;
}

int jh_ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    jh_web *w = lws_context_user(lws_get_context(wsi));
    jh_conn *c = user;
    admission a;
    switch (reason) {
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        if (admit(w, wsi, &a))
            return 1;
        memset(c, 0, sizeof *c);
        c->kind = a.kind;
        c->session = a.session;
        snprintf(c->token, sizeof c->token, "%s", a.token);
        return 0;
    case LWS_CALLBACK_ESTABLISHED: {
        conn_open(w, c, wsi);
        if (c->kind == JH_WS_CITIZEN) {
            ask_ticket(w, c);
            return 0;
        }
        jh_session *s = jh_sessions_by_serial(w->sessions, c->session, jh_web_now());
        if (!s)
            return -1;
        staff_hello(w, c, s);
        return 0;
    }
    case LWS_CALLBACK_RECEIVE:
        return c && c->serial ? on_receive(w, c, wsi, in, len) : -1;
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return c && c->serial ? on_writeable(c, wsi) : -1;
    case LWS_CALLBACK_CLOSED:
        if (c)
            conn_close(w, c);
        return 0;
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE: /* a new connection starts bound to this, the default */
        return jh_ws_confirm_upgrade(w, wsi, in);
    case LWS_CALLBACK_HTTP:
        /* Every path is under a mount that binds "http" first: this is never the answer. */
        lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, NULL);
        return lws_http_transaction_completed(wsi) ? -1 : 0;
    default:
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    }
}
