/* SPDX-License-Identifier: MIT */
/*
 * http_api — the console's HTTP routes under /api (CONSOLE.md):
 *
 *   POST /api/login   {staff_id, secret, counter?} → asks the caller
 *                     admin/cmd staff-auth; with a counter and the staff role
 *                     also `login` at counter/<c>/cmd; then a new session:
 *                     cookie jh_session (HttpOnly; SameSite=Strict; Path=/;
 *                     Secure under TLS) and {ok, staff_id, name, roles,
 *                     counters, counter, csrf}
 *   POST /api/logout  (X-CSRF-Token) ends the session and its sockets
 *                     (bye "logout") and logs out at its counter
 *   GET  /api/me      the session {ok, staff_id, name, roles, counter, csrf}, or 401
 *
 * Owns: those routes, their refusals ({ok:false, error, message} with 400,
 * 401, 403, 404, 405, 413, 415, 429 or 503), the login rate limit per client
 * address (login_limit.c), the CSRF and Origin checks of a POST, and
 * Cache-Control: no-store on every answer. The secret is held only while
 * the caller is asked, then wiped; it is never logged or kept.
 * The security headers every response carries are web_server.c's.
 */
#ifndef JH_HTTP_API_H
#define JH_HTTP_API_H

#include <stddef.h>

#include "web_app.h"

/* A new request on /api (uri: the whole path; method: LWSHUMETH_*). 0 to go on, -1 to close. */
int jh_api_begin(jh_web *w, jh_http *h, struct lws *wsi, const char *uri, int method);
/* A piece of a POST body; the end of it. */
int jh_api_body(jh_web *w, jh_http *h, const void *in, size_t len);
int jh_api_body_done(jh_web *w, jh_http *h);
/* The connection can take the answer. */
int jh_api_writeable(jh_web *w, jh_http *h);
/* The transaction is over (answered, or the connection closed). Safe to call twice. */
void jh_api_end(jh_web *w, jh_http *h);

/* The caller's answer to a request an /api route made (relay's on_reply). */
void jh_api_on_reply(jh_web *w, uint64_t owner, int tag, const cJSON *reply);

/* The value of cookie `name` in a Cookie header into out. 0, or -1 when absent or too long. */
int jh_cookie_value(const char *header, const char *name, char *out, size_t outlen);

/* The HTTP status a refusal code gets: 401 for who-you-are, 429, 400, 503, else 403. */
int jh_api_status_for(const char *code);

/*
 * 1 when the request's Origin header is this server's own origin
 * ("http[s]://" + its Host header); 0 when it differs or (need 1) is absent.
 */
int jh_web_origin_ok(const jh_web *w, struct lws *wsi, int need);

#endif
