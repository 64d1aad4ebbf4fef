/* SPDX-License-Identifier: MIT */
/*
 * http_api — see http_api.h. A request's life: jh_api_begin (headers read,
 * the route chosen), jh_api_body / jh_api_body_done for a POST, then either
 * an answer at once or a question to the caller whose reply comes back
 * through jh_api_on_reply; the answer is written from jh_api_writeable
 * (headers, then the body), as libwebsockets wants writes made.
 */
#include "http_api.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall_config.h"
#include "protocol.h"
#include "role_check.h"
#include "ws_api.h"

#define BODY_MAX 4096
#define SECRET_MAX 128

enum { ROUTE_NONE, ROUTE_LOGIN, ROUTE_LOGOUT, ROUTE_ME };

/* ---------------------------------------------------------------- helpers */

int jh_cookie_value(const char *header, const char *name, char *out, size_t outlen)
{
    size_t nl = strlen(name);
    const char *p = header;
    while (p && *p) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
            size_t vl = len - nl - 1;
            while (vl && p[nl + 1 + vl - 1] == ' ')
                vl--;
            if (vl == 0 || vl >= outlen)
                return -1;
            memcpy(out, p + nl + 1, vl);
            out[vl] = '\0';
            return 0;
        }
        p = end;
    }
    return -1;
}

int jh_api_status_for(const char *code)
{
    static const struct {
        const char *code;
        int status;
    } map[] = {{"unknown-staff", 401}, {"bad-secret", 401}, {"no-session", 401},
               {"rate-limited", 429},  {"bad-request", 400}, {"unavailable", 503},
               {"timeout", 503},       {"busy", 503},        {"not-found", 404},
               {"too-large", 413},     {"bad-method", 405},  {"bad-type", 415}};
    for (size_t i = 0; code && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(code, map[i].code) == 0)
            return map[i].status;
    return 403;
}

static int header(struct lws *wsi, enum lws_token_indexes t, char *out, size_t n)
{
    out[0] = '\0';
    if (lws_hdr_total_length(wsi, t) <= 0)
        return -1;
    return lws_hdr_copy(wsi, out, (int)n, t) > 0 ? 0 : -1;
}

int jh_web_origin_ok(const jh_web *w, struct lws *wsi, int need)
{
    char origin[300], host[256], own[300];
    if (header(wsi, WSI_TOKEN_ORIGIN, origin, sizeof origin) < 0)
        return !need;
    if (header(wsi, WSI_TOKEN_HOST, host, sizeof host) < 0)
        return 0;
    snprintf(own, sizeof own, "%s://%s", w->tls ? "https" : "http", host);
    return strcmp(origin, own) == 0;
}

static void wipe_secret(jh_http *h) { sodium_memzero(h->secret, sizeof h->secret); }

static void add_roles(cJSON *o, unsigned roles)
{
    cJSON *a = cJSON_AddArrayToObject(o, "roles");
    for (unsigned bit = 1; a && bit <= JH_ROLE_ADMIN; bit <<= 1)
        if (roles & bit)
            cJSON_AddItemToArray(a, cJSON_CreateString(jh_role_name(bit)));
}

static void add_text_or_null(cJSON *o, const char *key, const char *v)
{
    if (v && *v)
        cJSON_AddStringToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

/* The session as /api/me and /api/login tell it. */
static cJSON *session_json(const jh_session *s)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddTrueToObject(o, "ok");
    cJSON_AddStringToObject(o, "staff_id", s->staff_id);
    cJSON_AddStringToObject(o, "name", s->name);
    add_roles(o, s->roles);
    add_text_or_null(o, "counter", s->counter);
    cJSON_AddStringToObject(o, "csrf", s->csrf);
    return o;
}

/* ------------------------------------------------------------- answering */

static void respond(jh_http *h, int status, cJSON *body)
{
    free(h->resp);
    h->resp = body ? cJSON_PrintUnformatted(body) : NULL;
    h->resp_len = h->resp ? strlen(h->resp) : 0;
    cJSON_Delete(body);
    h->status = h->resp ? status : 500;
    h->phase = 1;
    h->waiting = 0;
    lws_callback_on_writable(h->wsi);
}

static void refuse(jh_http *h, const char *code, const char *message)
{
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddFalseToObject(o, "ok");
        cJSON_AddStringToObject(o, "error", code);
        cJSON_AddStringToObject(o, "message", message);
    }
    wipe_secret(h);
    respond(h, jh_api_status_for(code), o);
}

/* The caller's refusal passed on with its own code and words. */
static void refuse_reply(jh_http *h, const cJSON *reply)
{
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(reply, "error");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(reply, "message");
    refuse(h, cJSON_IsString(code) ? code->valuestring : "refused",
           cJSON_IsString(msg) ? msg->valuestring : "the caller refused the sign-in");
}

int jh_api_writeable(jh_web *w, jh_http *h)
{
    (void)w;
    uint8_t buf[LWS_PRE + 1024], *start = buf + LWS_PRE, *p = start, *end = buf + sizeof buf - 1;
    if (h->phase == 1) {
        if (lws_add_http_common_headers(h->wsi, (unsigned)h->status, "application/json; charset=utf-8",
                                        h->resp_len, &p, end) ||
            lws_add_http_header_by_name(h->wsi, (const unsigned char *)"cache-control:",
                                        (const unsigned char *)"no-store", 8, &p, end) ||
            (h->set_cookie[0] &&
             lws_add_http_header_by_name(h->wsi, (const unsigned char *)"set-cookie:",
                                         (const unsigned char *)h->set_cookie, (int)strlen(h->set_cookie),
                                         &p, end)) ||
            lws_finalize_write_http_header(h->wsi, start, &p, end))
            return -1;
        h->phase = 2;
        lws_callback_on_writable(h->wsi);
        return 0;
    }
    if (h->phase != 2)
        return 0;
    h->phase = 0;
    unsigned char *body = malloc(LWS_PRE + h->resp_len);
    if (!body)
        return -1;
    memcpy(body + LWS_PRE, h->resp, h->resp_len);
    int n = lws_write(h->wsi, body + LWS_PRE, h->resp_len, LWS_WRITE_HTTP_FINAL);
    free(body);
    if (n < 0 || (size_t)n != h->resp_len)
        return -1;
    jh_api_end(w, h);
    return lws_http_transaction_completed(h->wsi) ? -1 : 0;
}

/* ------------------------------------------------------------------ routes */

static jh_session *session_of(jh_web *w, jh_http *h)
{
    return h->cookie[0] ? jh_sessions_lookup(w->sessions, h->cookie, jh_web_now()) : NULL;
}

static void route_me(jh_web *w, jh_http *h)
{
    jh_session *s = session_of(w, h);
    if (!s) {
        refuse(h, "no-session", "not signed in (or the session ended)");
        return;
    }
    jh_session_touch(s, jh_web_now());
    respond(h, 200, session_json(s));
}

static void route_logout(jh_web *w, jh_http *h)
{
    jh_session *s = session_of(w, h);
    if (!s) {
        refuse(h, "no-session", "not signed in (or the session ended)");
        return;
    }
    if (!jh_session_csrf_ok(s, h->csrf)) {
        refuse(h, "csrf", "the X-CSRF-Token header is missing or not this session's");
        return;
    }
    if (s->counter[0]) {
        /* The counter is logged out too; its answer (e.g. "serving") changes nothing here. */
        cJSON *f = cJSON_CreateObject();
        char id[JH_RELAY_ID_LEN], code[32], why[200];
        jh_relay_request q = {.route = {.kind = JH_ROUTE_COUNTER}, .fields = f, .by = s->staff_id,
                              .prefix = s->sid, .tag = JH_TAG_FIRE};
        snprintf(q.route.counter, sizeof q.route.counter, "%s", s->counter);
        if (f && cJSON_AddStringToObject(f, "op", "logout"))
            jh_relay_send(w->relay, &q, jh_web_now(), id, code, sizeof code, why, sizeof why);
        cJSON_Delete(f);
    }
    jh_ws_end_session(w, s->serial, "logout");
    jh_sessions_end(w->sessions, s);
    snprintf(h->set_cookie, sizeof h->set_cookie, "jh_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0%s",
             w->tls ? "; Secure" : "");
    cJSON *o = cJSON_CreateObject();
    if (o)
        cJSON_AddTrueToObject(o, "ok");
    respond(h, 200, o);
}

/* ------------------------------------------------------------------- login */

static int secret_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > SECRET_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 0;
    return 1;
}

/* Reads {staff_id, secret, counter?} into h. NULL, or the reason it was refused. */
static const char *read_login(jh_web *w, jh_http *h, const cJSON *o)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "staff_id");
    const cJSON *sec = cJSON_GetObjectItemCaseSensitive(o, "secret");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "counter");
    if (!cJSON_IsString(id) || !jh_valid_id(id->valuestring))
        return "staff_id: want the staff id (工号)";
    if (!cJSON_IsString(sec) || !secret_ok(sec->valuestring))
        return "secret: want the PIN or password (1-128 characters)";
    if (c && !cJSON_IsNull(c) && !(cJSON_IsString(c) && (!c->valuestring[0] || jh_config_counter_index(w->hall, c->valuestring) >= 0)))
        return "counter: not a counter of this hall";
    snprintf(h->staff_id, sizeof h->staff_id, "%s", id->valuestring);
    snprintf(h->secret, sizeof h->secret, "%s", sec->valuestring);
    snprintf(h->counter, sizeof h->counter, "%s", cJSON_IsString(c) ? c->valuestring : "");
    return NULL;
}

static void wipe_json_strings(cJSON *o)
{
    for (cJSON *f = o ? o->child : NULL; f; f = f->next)
        if (cJSON_IsString(f) && f->valuestring)
            sodium_memzero(f->valuestring, strlen(f->valuestring));
}

/* Asks the caller `op` for this login (staff-auth, or login at the counter). 0 or -1 (answered). */
static int ask(jh_web *w, jh_http *h, const char *op, int tag)
{
    cJSON *f = cJSON_CreateObject();
    char id[JH_RELAY_ID_LEN], code[32], why[200];
    jh_relay_request q = {.route = {.kind = tag == JH_TAG_LOGIN_COUNTER ? JH_ROUTE_COUNTER : JH_ROUTE_ADMIN},
                          .fields = f, .owner = h->serial, .tag = tag,
                          .by = tag == JH_TAG_LOGIN_COUNTER ? h->staff_id : NULL};
    snprintf(q.route.counter, sizeof q.route.counter, "%s", tag == JH_TAG_LOGIN_COUNTER ? h->counter : "");
    int rc = -1;
    if (f && cJSON_AddStringToObject(f, "op", op) && cJSON_AddStringToObject(f, "staff_id", h->staff_id) &&
        cJSON_AddStringToObject(f, "secret", h->secret))
        rc = jh_relay_send(w->relay, &q, jh_web_now(), id, code, sizeof code, why, sizeof why);
    else
        snprintf(code, sizeof code, "internal"), snprintf(why, sizeof why, "out of memory");
    wipe_json_strings(f);
    cJSON_Delete(f);
    if (rc < 0) {
        refuse(h, code, why);
        return -1;
    }
    h->waiting = 1;
    return 0;
}

static void route_login(jh_web *w, jh_http *h)
{
    int retry = 0;
    if (!jh_login_limit_take(w->limit, h->peer, jh_web_now(), &retry)) {
        char msg[120];
        snprintf(msg, sizeof msg, "too many sign-ins from this address; try again in %d s", retry);
        refuse(h, "rate-limited", msg);
        return;
    }
    cJSON *o = h->body ? cJSON_ParseWithLength(h->body, h->body_len) : NULL;
    sodium_memzero(h->body, h->body_len);
    const char *bad = cJSON_IsObject(o) ? read_login(w, h, o) : "want a JSON object {staff_id, secret, counter?}";
    wipe_json_strings(o);
    cJSON_Delete(o);
    if (bad) {
        refuse(h, "bad-request", bad);
        return;
    }
    ask(w, h, "staff-auth", JH_TAG_LOGIN_AUTH);
}

static unsigned roles_of(const cJSON *reply)
{
    unsigned roles = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(reply, "roles"))
        if (cJSON_IsString(r))
            roles |= jh_role_parse(r->valuestring);
    return roles;
}

/* staff-auth said yes (and the counter, if any, took the login): the session. */
static void finish_login(jh_web *w, jh_http *h, const cJSON *auth, const char *counter)
{
    wipe_secret(h);
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(auth, "name");
    jh_session_who who = {.staff_id = h->staff_id, .name = cJSON_IsString(name) ? name->valuestring : "",
                          .counter = counter, .roles = roles_of(auth)};
    char err[200];
    jh_session *s = jh_sessions_create(w->sessions, &who, jh_web_now(), err, sizeof err);
    if (!s) {
        refuse(h, "busy", err);
        return;
    }
    snprintf(h->set_cookie, sizeof h->set_cookie, "jh_session=%s; HttpOnly; SameSite=Strict; Path=/%s", s->token,
             w->tls ? "; Secure" : "");
    cJSON *o = session_json(s);
    const cJSON *counters = cJSON_GetObjectItemCaseSensitive(auth, "counters");
    if (o)
        cJSON_AddItemToObject(o, "counters",
                              cJSON_IsArray(counters) ? cJSON_Duplicate(counters, 1) : cJSON_CreateArray());
    respond(h, 200, o);
}

static int ok_reply(const cJSON *reply) { return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(reply, "ok")); }

void jh_api_on_reply(jh_web *w, uint64_t owner, int tag, const cJSON *reply)
{
    jh_http *h = w->waits;
    while (h && h->serial != owner)
        h = h->next;
    if (!h || !h->waiting)
        return; /* the browser went away, or FIRE */
    if (!ok_reply(reply)) {
        refuse_reply(h, reply);
        return;
    }
    if (tag == JH_TAG_LOGIN_AUTH) {
        if (h->counter[0] && (roles_of(reply) & JH_ROLE_STAFF)) {
            h->auth = cJSON_Duplicate(reply, 1);
            if (!h->auth)
                refuse(h, "internal", "out of memory");
            else
                ask(w, h, "login", JH_TAG_LOGIN_COUNTER);
            return;
        }
        finish_login(w, h, reply, "");
    } else if (tag == JH_TAG_LOGIN_COUNTER) {
        finish_login(w, h, h->auth, h->counter);
    }
}

/* ------------------------------------------------------------ the request */

int jh_api_begin(jh_web *w, jh_http *h, struct lws *wsi, const char *uri, int method)
{
    memset(h, 0, sizeof *h);
    h->wsi = wsi;
    h->serial = ++w->next_serial;
    h->next = w->waits;
    if (w->waits)
        w->waits->prev = h;
    w->waits = h;
    h->post = method == LWSHUMETH_POST;
    char buf[512];
    if (header(wsi, WSI_TOKEN_HTTP_COOKIE, buf, sizeof buf) == 0)
        jh_cookie_value(buf, "jh_session", h->cookie, sizeof h->cookie);
    if (lws_hdr_custom_length(wsi, "x-csrf-token:", 13) > 0)
        lws_hdr_custom_copy(wsi, h->csrf, sizeof h->csrf, "x-csrf-token:", 13);
    h->origin_ok = jh_web_origin_ok(w, wsi, 0);
    h->json_type = header(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE, buf, sizeof buf) == 0 &&
                   strncmp(buf, "application/json", 16) == 0;
    lws_get_peer_simple(wsi, h->peer, sizeof h->peer);
    int get = method == LWSHUMETH_GET;
    static const struct {
        const char *path;
        int route, post;
    } routes[] = {{"/api/login", ROUTE_LOGIN, 1}, {"/api/logout", ROUTE_LOGOUT, 1}, {"/api/me", ROUTE_ME, 0}};
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (strcmp(uri, routes[i].path) != 0)
            continue;
        if (routes[i].post ? !h->post : !get) {
            refuse(h, "bad-method", routes[i].post ? "use POST" : "use GET");
            return 0;
        }
        h->route = routes[i].route;
        if (!h->post)
            route_me(w, h);
        else if (!h->origin_ok)
            refuse(h, "csrf", "the request came from another site (Origin)");
        else if (!h->json_type)
            refuse(h, "bad-type", "want Content-Type: application/json");
        return 0;
    }
    refuse(h, "not-found", "no such route");
    return 0;
}

int jh_api_body(jh_web *w, jh_http *h, const void *in, size_t len)
{
    (void)w;
    if (h->phase || h->body_over)
        return 0;
    if (h->body_len + len > BODY_MAX) {
        h->body_over = 1;
        return 0;
    }
    char *b = realloc(h->body, h->body_len + len + 1);
    if (!b)
        return -1;
    memcpy(b + h->body_len, in, len);
    h->body = b;
    h->body_len += len;
    h->body[h->body_len] = '\0';
    return 0;
}

int jh_api_body_done(jh_web *w, jh_http *h)
{
    if (h->phase) /* answered already (bad method, Origin, type) */
        return 0;
    if (h->body_over)
        refuse(h, "too-large", "the request body is at most 4096 bytes");
    else if (h->route == ROUTE_LOGIN)
        route_login(w, h);
    else if (h->route == ROUTE_LOGOUT)
        route_logout(w, h);
    return 0;
}

void jh_api_end(jh_web *w, jh_http *h)
{
    if (!h->serial)
        return;
    jh_relay_forget_owner(w->relay, h->serial);
    if (h->prev)
        h->prev->next = h->next;
    else if (w->waits == h)
        w->waits = h->next;
    if (h->next)
        h->next->prev = h->prev;
    wipe_secret(h);
    if (h->body)
        sodium_memzero(h->body, h->body_len);
    free(h->body);
    free(h->resp);
    cJSON_Delete(h->auth);
    h->body = h->resp = NULL;
    h->auth = NULL;
    h->prev = h->next = NULL;
    h->serial = 0;
}
