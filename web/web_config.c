/* SPDX-License-Identifier: MIT */
/*
 * web_config — see web_config.h. The INI reader calls on_entry() once per
 * header and key; only [web] is read, every other section is passed over.
 * A key may appear once: a second "listen" is a copy-paste slip, not an override.
 */
#include "web_config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall_config.h"

typedef struct {
    jh_web_config *wc;
    int in_web, found;
    unsigned seen; /* bit per entry of keys[] already given */
    int line;
} reader;

typedef int (*key_fn)(jh_web_config *wc, const char *v, char *why, size_t wl);

typedef struct {
    const char *name;
    key_fn fn;
} key_def;

int jh_web_parse_listen(const char *v, char *host, size_t hostlen, int *port, char *why, size_t wl)
{
    const char *colon;
    char h[JH_WEB_HOST_LEN];
    size_t hl;
    if (v[0] == '[') {
        const char *close = strchr(v, ']');
        if (!close || close[1] != ':') {
            snprintf(why, wl, "'%s': want [ipv6]:port", v);
            return -1;
        }
        hl = (size_t)(close - v - 1);
        colon = close + 1;
        v++;
    } else {
        colon = strrchr(v, ':');
        if (!colon || strchr(v, ':') != colon) {
            snprintf(why, wl, "'%s': want address:port, e.g. 127.0.0.1:8080 or [::1]:8080", v);
            return -1;
        }
        hl = (size_t)(colon - v);
    }
    if (hl == 0 || hl >= sizeof h || hl >= hostlen) {
        snprintf(why, wl, "'%s': no address before the port", v);
        return -1;
    }
    memcpy(h, v, hl);
    h[hl] = '\0';
    unsigned char bin[16];
    int v6 = strchr(h, ':') != NULL;
    if (strcmp(h, "localhost") != 0 && inet_pton(v6 ? AF_INET6 : AF_INET, h, bin) != 1) {
        snprintf(why, wl, "'%s': not an IP address (or localhost)", h);
        return -1;
    }
    if (jh_ini_int(colon + 1, 1, 65535, port, NULL, 0) < 0) {
        snprintf(why, wl, "'%s': want a port 1..65535", colon + 1);
        return -1;
    }
    snprintf(host, hostlen, "%s", h);
    return 0;
}

int jh_web_host_is_loopback(const char *host)
{
    unsigned char a[16];
    if (strcmp(host, "localhost") == 0)
        return 1;
    if (inet_pton(AF_INET, host, a) == 1)
        return a[0] == 127;
    if (inet_pton(AF_INET6, host, a) == 1) {
        static const unsigned char one[16] = {[15] = 1};
        return memcmp(a, one, sizeof one) == 0;
    }
    return 0;
}

int jh_web_tls(const jh_web_config *wc) { return wc->tls_cert[0] && wc->tls_key[0]; }

static int k_listen(jh_web_config *wc, const char *v, char *why, size_t wl)
{
    return jh_web_parse_listen(v, wc->host, sizeof wc->host, &wc->port, why, wl);
}

static int set_path(char *dst, size_t n, const char *v, char *why, size_t wl)
{
    if (!*v || strlen(v) >= n) {
        snprintf(why, wl, "want a path of 1..%zu bytes", n - 1);
        return -1;
    }
    snprintf(dst, n, "%s", v);
    return 0;
}

static int k_tls_cert(jh_web_config *wc, const char *v, char *why, size_t wl)
{
    return set_path(wc->tls_cert, sizeof wc->tls_cert, v, why, wl);
}

static int k_tls_key(jh_web_config *wc, const char *v, char *why, size_t wl)
{
    return set_path(wc->tls_key, sizeof wc->tls_key, v, why, wl);
}

static int k_pages(jh_web_config *wc, const char *v, char *why, size_t wl)
{
    return set_path(wc->pages, sizeof wc->pages, v, why, wl);
}

static int k_idle(jh_web_config *wc, const char *v, char *why, size_t wl)
{
    return jh_ini_int(v, 1, 24 * 60, &wc->idle_minutes, why, wl);
}

static int k_login_rate(jh_web_config *wc, const char *v, char *why, size_t wl)
{
    return jh_ini_int(v, 1, 600, &wc->login_per_minute, why, wl);
}

static const key_def keys[] = {
    {"listen", k_listen},   {"tls_cert", k_tls_cert},     {"tls_key", k_tls_key},
    {"pages", k_pages},     {"idle_minutes", k_idle},     {"login_per_minute", k_login_rate},
};

static int on_entry(void *user, const char *section, const char *arg, const char *key,
                    const char *value, int line, char *why, size_t wl)
{
    reader *r = user;
    if (!key) {
        r->in_web = strcmp(section, "web") == 0;
        if (!r->in_web)
            return 0;
        if (*arg) {
            snprintf(why, wl, "want [web] without an id (one console per hall config)");
            return -1;
        }
        if (r->found) {
            snprintf(why, wl, "the section appears twice");
            return -1;
        }
        r->found = 1;
        return 0;
    }
    if (!r->in_web)
        return 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(key, keys[i].name) != 0)
            continue;
        if (r->seen & (1u << i)) {
            snprintf(why, wl, "given twice");
            return -1;
        }
        r->seen |= 1u << i;
        if (i == 0)
            r->wc->listen_line = line;
        return keys[i].fn(r->wc, value, why, wl);
    }
    snprintf(why, wl, "unknown key (see web/web_config.h)");
    return -1;
}

void jh_web_config_default(jh_web_config *wc)
{
    memset(wc, 0, sizeof *wc);
    snprintf(wc->host, sizeof wc->host, "127.0.0.1");
    wc->port = 8080;
    wc->idle_minutes = 30;
    wc->login_per_minute = 5;
}

int jh_web_config_parse(jh_web_config *wc, const char *text, size_t len, const char *name, char *err,
                        size_t errlen)
{
    jh_web_config_default(wc);
    snprintf(wc->source, sizeof wc->source, "%s", name);
    reader r = {.wc = wc};
    return jh_ini_parse(text, len, name, on_entry, &r, err, errlen);
}

int jh_web_config_load(jh_web_config *wc, const char *path, char *err, size_t errlen)
{
    size_t len;
    char *text = jh_config_read_file(path, &len, err, errlen);
    if (!text)
        return -1;
    int rc = jh_web_config_parse(wc, text, len, path, err, errlen);
    free(text);
    return rc;
}

int jh_web_config_check(const jh_web_config *wc, char *err, size_t errlen)
{
    if (!wc->tls_cert[0] != !wc->tls_key[0]) {
        snprintf(err, errlen, "%s: [web] needs both tls_cert and tls_key, or neither", wc->source);
        return -1;
    }
    if (!jh_web_tls(wc) && !jh_web_host_is_loopback(wc->host)) {
        char at[32] = "";
        if (wc->listen_line > 0)
            snprintf(at, sizeof at, ":%d", wc->listen_line);
        snprintf(err, errlen,
                 "%s%s: [web] listen: plain HTTP on %s is refused (staff secrets and session cookies "
                 "would cross the network in the clear): set tls_cert and tls_key (scripts/make-ca "
                 "makes them), or listen on 127.0.0.1",
                 wc->source, at, wc->host);
        return -1;
    }
    return 0;
}
