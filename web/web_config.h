/* SPDX-License-Identifier: MIT */
/*
 * web_config — the [web] section of the hall config (jiaohao-web, the console).
 *
 * Owns: reading the section with the hall parser's own reader (jh_ini_parse),
 * so a mistake is refused whole with "file:line: [web] key: why" like every
 * other section, and the one start-up rule about plain HTTP: without
 * tls_cert/tls_key the console may listen on a loopback address only, since
 * its cookies and the staff's secrets would otherwise cross the hall's
 * network in the clear.
 *
 *   [web]
 *   listen = 127.0.0.1:8080     — address:port; [v6]:port for IPv6; default 127.0.0.1:8080
 *   tls_cert = /etc/jiaohao/ca/web.crt   — both or neither: then HTTPS (scripts/make-ca)
 *   tls_key = /etc/jiaohao/ca/web.key
 *   pages = /usr/share/jiaohao/web       — the pages' folder; default <asset dir>/web
 *   idle_minutes = 30           — a session unused this long ends (1..1440)
 *   login_per_minute = 5        — sign-in attempts per client address and minute (1..600)
 *
 * Paths are taken as written (relative ones from the working directory), as
 * [hall] data_dir is. The section is optional: without it every default holds.
 */
#ifndef JH_WEB_CONFIG_H
#define JH_WEB_CONFIG_H

#include <stddef.h>

#define JH_WEB_HOST_LEN 64
#define JH_WEB_PATH_LEN 512

typedef struct {
    char host[JH_WEB_HOST_LEN]; /* "127.0.0.1", "0.0.0.0", "::1" (no brackets) */
    int port;
    char tls_cert[JH_WEB_PATH_LEN];
    char tls_key[JH_WEB_PATH_LEN];
    char pages[JH_WEB_PATH_LEN]; /* "" until given: web_main fills in the asset dir's */
    int idle_minutes;
    int login_per_minute;
    int listen_line;             /* where listen was given (0: the default), for messages */
    char source[JH_WEB_PATH_LEN];
} jh_web_config;

/* The defaults, as if the file had no [web] section. */
void jh_web_config_default(jh_web_config *wc);

/* Reads the [web] section of `text`. 0, or -1 with one line in err (*wc then unspecified). */
int jh_web_config_parse(jh_web_config *wc, const char *text, size_t len, const char *name, char *err,
                        size_t errlen);

/* The same from a file. */
int jh_web_config_load(jh_web_config *wc, const char *path, char *err, size_t errlen);

/*
 * "host:port" or "[v6]:port" into host and port (1..65535). A host is an IPv4
 * or IPv6 literal or "localhost". 0, or -1 with the reason in why.
 */
int jh_web_parse_listen(const char *v, char *host, size_t hostlen, int *port, char *why, size_t wl);

/* 1 when host is a loopback address (127.0.0.0/8, ::1, localhost). */
int jh_web_host_is_loopback(const char *host);

/* 1 when the console speaks HTTPS (both tls_cert and tls_key given). */
int jh_web_tls(const jh_web_config *wc);

/*
 * The whole section's rules: tls_cert and tls_key together, and no plain
 * HTTP on an address other hosts can reach. 0, or -1 with one line in err.
 */
int jh_web_config_check(const jh_web_config *wc, char *err, size_t errlen);

#endif
