/* SPDX-License-Identifier: MIT */
/*
 * web_server — jiaohao-web's libwebsockets context: the listener, its TLS,
 * the routes and the headers every answer carries.
 *
 * Owns: making (and destroying) the one lws context and vhost from the [web]
 * config, and the event loop it runs on (libev, epoll): HTTP/1.1 only (ALPN "http/1.1": no HTTP/2, so every WebSocket is
 * a plain RFC 6455 upgrade), HTTPS when tls_cert/tls_key are set, the pages
 * folder mounted at / (index.html, *.js, *.css ... with their MIME types,
 * anything else refused), the role pages /counter, /guide, /supervisor,
 * /admin and the citizen page /t/<token> served from their files, /api
 * handed to http_api.c, upgrades handed to ws_api.c. Every response carries
 *   Content-Security-Policy: default-src 'self'; connect-src 'self'
 *   X-Content-Type-Options: nosniff
 *   Referrer-Policy: no-referrer
 *   X-Frame-Options: DENY
 * (and Strict-Transport-Security under TLS); /api adds Cache-Control: no-store.
 */
#ifndef JH_WEB_SERVER_H
#define JH_WEB_SERVER_H

#include <stddef.h>

#include "web_app.h"

/* Creates w->ctx listening as w->cfg says, serving w->cfg.pages, on a libev loop of its
 * own (epoll). 0, or -1 with err. */
int jh_web_server_start(jh_web *w, char *err, size_t errlen);
/* Runs the loop until jh_web_server_break() is called from inside it (a timer). */
void jh_web_server_run(jh_web *w);
void jh_web_server_break(jh_web *w);
void jh_web_server_stop(jh_web *w);

/* The page file a path is served from ("/counter" → "counter.html"), NULL when none. */
const char *jh_web_page_for(const char *path);

#endif
