/* SPDX-License-Identifier: MIT */
/* web_server — see web_server.h. */
#include "web_server.h"

#include <ev.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "http_api.h"
#include "log.h"
#include "ws_api.h"

int64_t jh_web_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------------ headers */

static const struct lws_protocol_vhost_options hdr_frame = {NULL, NULL, "x-frame-options:", "DENY"};
static const struct lws_protocol_vhost_options hdr_referrer = {&hdr_frame, NULL, "referrer-policy:",
                                                               "no-referrer"};
static const struct lws_protocol_vhost_options hdr_nosniff = {&hdr_referrer, NULL, "x-content-type-options:",
                                                              "nosniff"};
static const struct lws_protocol_vhost_options headers = {&hdr_nosniff, NULL, "content-security-policy:",
                                                          "default-src 'self'; connect-src 'self'"};

/* The pages' types; anything else under / is refused (415) rather than guessed. */
static const struct lws_protocol_vhost_options mt_woff2 = {NULL, NULL, ".woff2", "font/woff2"};
static const struct lws_protocol_vhost_options mt_txt = {&mt_woff2, NULL, ".txt", "text/plain; charset=utf-8"};
static const struct lws_protocol_vhost_options mt_ico = {&mt_txt, NULL, ".ico", "image/x-icon"};
static const struct lws_protocol_vhost_options mt_jpg = {&mt_ico, NULL, ".jpg", "image/jpeg"};
static const struct lws_protocol_vhost_options mt_png = {&mt_jpg, NULL, ".png", "image/png"};
static const struct lws_protocol_vhost_options mt_svg = {&mt_png, NULL, ".svg", "image/svg+xml"};
static const struct lws_protocol_vhost_options mt_json = {&mt_svg, NULL, ".json", "application/json"};
static const struct lws_protocol_vhost_options mt_css = {&mt_json, NULL, ".css", "text/css; charset=utf-8"};
static const struct lws_protocol_vhost_options mt_mjs = {&mt_css, NULL, ".mjs", "text/javascript; charset=utf-8"};
static const struct lws_protocol_vhost_options mt_js = {&mt_mjs, NULL, ".js", "text/javascript; charset=utf-8"};
static const struct lws_protocol_vhost_options mimetypes = {&mt_js, NULL, ".html", "text/html; charset=utf-8"};

/* WebSocket upgrades without a subprotocol are the "jh" protocol's. libwebsockets also binds
 * a new connection to the default protocol, so jh_ws_callback answers what plain HTTP asks of
 * it (ws_api.c), and every mount names "http", which takes over for the request itself. */
static const struct lws_protocol_vhost_options pvo_default = {NULL, NULL, "default", "1"};
static const struct lws_protocol_vhost_options pvo = {NULL, &pvo_default, "jh", ""};

/* Phones leave without closing: a socket silent for 30 s is pinged, hung up after 70 s. */
static const lws_retry_bo_t idle_policy = {.secs_since_valid_ping = 30, .secs_since_valid_hangup = 70};

/* ------------------------------------------------------------------- pages */

const char *jh_web_page_for(const char *path)
{
    static const struct {
        const char *path, *file;
    } pages[] = {{"/counter", "counter.html"}, {"/guide", "guide.html"},
                 {"/supervisor", "supervisor.html"}, {"/admin", "admin.html"}};
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        if (strcmp(path, pages[i].path) == 0)
            return pages[i].file;
    if (strncmp(path, "/t/", 3) == 0) {
        const char *t = path + 3;
        size_t n = strlen(t);
        if (n == JH_WEB_TICKET_TOKEN_LEN &&
            strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == n)
            return "t.html";
    }
    return NULL;
}

static int finish(struct lws *wsi, int status)
{
    if (lws_return_http_status(wsi, (unsigned)status, NULL))
        return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int serve_page(jh_web *w, struct lws *wsi, const char *path, int method)
{
    const char *file = jh_web_page_for(path);
    char full[JH_WEB_PATH_LEN + 64];
    struct stat st;
    if (!file)
        return finish(wsi, HTTP_STATUS_NOT_FOUND);
    if (method != LWSHUMETH_GET)
        return finish(wsi, HTTP_STATUS_METHOD_NOT_ALLOWED);
    snprintf(full, sizeof full, "%s/%s", w->cfg.pages, file);
    if (stat(full, &st) != 0 || !S_ISREG(st.st_mode))
        return finish(wsi, HTTP_STATUS_NOT_FOUND);
    int n = lws_serve_http_file(wsi, full, "text/html; charset=utf-8", NULL, 0);
    if (n < 0 || (n > 0 && lws_http_transaction_completed(wsi)))
        return -1;
    return 0;
}

/* --------------------------------------------------------- the http protocol */

static int http_request(jh_web *w, jh_http *h, struct lws *wsi)
{
    char *uri = NULL, path[256];
    int len = 0, method = lws_http_get_uri_and_method(wsi, &uri, &len);
    if (method < 0 || len <= 0 || len >= (int)sizeof path)
        return finish(wsi, HTTP_STATUS_NOT_FOUND);
    memcpy(path, uri, (size_t)len);
    path[len] = '\0';
    if (strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0)
        return jh_api_begin(w, h, wsi, path, method);
    return serve_page(w, wsi, path, method);
}

static int http_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    jh_web *w = lws_context_user(lws_get_context(wsi));
    jh_http *h = user;
    switch (reason) {
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
        return jh_ws_confirm_upgrade(w, wsi, in);
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        return 1; /* a WebSocket asking for the "http" subprotocol by name */
    case LWS_CALLBACK_HTTP:
        if (!h)
            return finish(wsi, HTTP_STATUS_INTERNAL_SERVER_ERROR);
        jh_api_end(w, h);
        return http_request(w, h, wsi);
    case LWS_CALLBACK_HTTP_BODY:
        return h && h->serial ? jh_api_body(w, h, in, len) : 0;
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        return h && h->serial ? jh_api_body_done(w, h) : 0;
    case LWS_CALLBACK_HTTP_WRITEABLE:
        if (h && h->serial)
            return jh_api_writeable(w, h);
        break;
    case LWS_CALLBACK_HTTP_DROP_PROTOCOL:
    case LWS_CALLBACK_CLOSED_HTTP:
        if (h)
            jh_api_end(w, h);
        break;
    default:
        break;
    }
    return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
    {.name = "http", .callback = http_cb, .per_session_data_size = sizeof(jh_http)},
    {.name = "jh", .callback = jh_ws_callback, .per_session_data_size = sizeof(jh_conn), .rx_buffer_size = 4096},
    {.name = NULL},
};

/* ------------------------------------------------------------------- mounts */

/* The pages folder at /, and the routes the http callback answers (a mount point matches
 * itself and what follows a '/': "/t" takes "/t/<token>" but not "/t.html"). */
static const char *const cb_points[] = {"/api", "/counter", "/guide", "/supervisor", "/admin", "/t"};
#define N_MOUNTS (1 + sizeof cb_points / sizeof cb_points[0])
static struct lws_http_mount m_pages[N_MOUNTS];

static void make_mounts(jh_web *w)
{
    memset(m_pages, 0, sizeof m_pages);
    m_pages[0] = (struct lws_http_mount){.mountpoint = "/", .mountpoint_len = 1, .origin = w->cfg.pages,
                                         .def = "index.html", .origin_protocol = LWSMPRO_FILE,
                                         .protocol = "http", .extra_mimetypes = &mimetypes};
    for (size_t i = 0; i < sizeof cb_points / sizeof cb_points[0]; i++) {
        m_pages[i + 1] = (struct lws_http_mount){.mountpoint = cb_points[i],
                                                 .mountpoint_len = (unsigned char)strlen(cb_points[i]),
                                                 .origin = "http", .protocol = "http",
                                                 .origin_protocol = LWSMPRO_CALLBACK};
        m_pages[i].mount_next = &m_pages[i + 1];
    }
}

static void emit(int level, const char *line)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", line);
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    jh_log(level & LLL_ERR ? JH_LOG_ERROR : JH_LOG_WARN, "lws: %s", buf);
}

int jh_web_server_start(jh_web *w, char *err, size_t errlen)
{
    struct stat st;
    if (stat(w->cfg.pages, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "pages folder %s: not found (set [web] pages or --pages)", w->cfg.pages);
        return -1;
    }
    lws_set_log_level(LLL_ERR | LLL_WARN, emit);
    make_mounts(w);

    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    const char *host = strcmp(w->cfg.host, "localhost") == 0 ? "127.0.0.1" : w->cfg.host;
    info.port = w->cfg.port;
    info.iface = host;
    info.protocols = protocols;
    info.pvo = &pvo;
    info.mounts = m_pages;
    info.headers = &headers;
    info.user = w;
    info.server_string = "jiaohao-web";
    info.alpn = "http/1.1";
    info.retry_and_idle_policy = &idle_policy;
    info.options = LWS_SERVER_OPTION_VALIDATE_UTF8 | LWS_SERVER_OPTION_FAIL_UPON_UNABLE_TO_BIND;
    if (!strchr(host, ':'))
        info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
    if (w->tls) {
        info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT | LWS_SERVER_OPTION_STS;
        info.ssl_cert_filepath = w->cfg.tls_cert;
        info.ssl_private_key_filepath = w->cfg.tls_key;
    }
    /* libev's epoll loop, not lws's own poll(): a wake-up then costs what is active, not
     * what is open, and the 10 ms timer of web_main.c wakes it 100 times a second
     * (with lws's poll() and 2200 sockets open that alone took 12 % of a core). */
    struct ev_loop *loop = ev_loop_new(EVBACKEND_EPOLL);
    if (!loop && !(loop = ev_loop_new(EVFLAG_AUTO))) {
        snprintf(err, errlen, "libev: no event loop");
        return -1;
    }
    void *loops[1] = {loop};
    info.options |= LWS_SERVER_OPTION_LIBEV;
    info.foreign_loops = loops;
    w->loop = loop;
    w->ctx = lws_create_context(&info);
    if (!w->ctx) {
        snprintf(err, errlen,
                 "cannot serve on %s:%d%s (in use, not this machine's address, %s, or libwebsockets' libev "
                 "plugin missing: libwebsockets-evlib-ev)",
                 w->cfg.host, w->cfg.port, w->tls ? " with TLS" : "",
                 w->tls ? "the certificate or key unreadable" : "not allowed");
        return -1;
    }
    return 0;
}

void jh_web_server_run(jh_web *w) { ev_run(w->loop, 0); }

void jh_web_server_break(jh_web *w) { ev_break(w->loop, EVBREAK_ALL); }

void jh_web_server_stop(jh_web *w)
{
    if (w->ctx)
        lws_context_destroy(w->ctx);
    w->ctx = NULL;
    if (w->loop)
        ev_loop_destroy(w->loop);
    w->loop = NULL;
}
