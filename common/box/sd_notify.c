/* SPDX-License-Identifier: MIT */
/*
 * sd_notify — the sd_notify protocol and watchdog timing (see sd_notify.h).
 *
 * A fresh socket per message, as libsystemd does: messages are rare (READY
 * once, a STATUS per change of state, a WATCHDOG every several seconds), and
 * no descriptor is left open for a forked child to inherit.
 */
#include "sd_notify.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define RETRY_MS 1000 /* a failed WATCHDOG=1 is tried again this soon, not half an interval later */

/* NOTIFY_SOCKET into an address. 1: sa and len set; 0: unset; -1 with err. */
static int notify_address(struct sockaddr_un *sa, socklen_t *len, char *err, size_t errlen)
{
    const char *e = getenv("NOTIFY_SOCKET");
    if (!e)
        return 0;
    size_t n = strlen(e);
    /* A path needs its terminating NUL inside sun_path; an abstract name does not, but
     * keeping one limit for both costs nothing (systemd's own names are short). */
    if ((e[0] != '/' && e[0] != '@') || n < 2 || n >= sizeof sa->sun_path) {
        snprintf(err, errlen, "NOTIFY_SOCKET '%.120s': want an absolute path or @name of 1..%zu bytes", e,
                 sizeof sa->sun_path - 2);
        return -1;
    }
    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    memcpy(sa->sun_path, e, n);
    if (e[0] == '@')
        sa->sun_path[0] = '\0'; /* abstract: the name is exactly the bytes after the NUL */
    *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (e[0] == '/'));
    return 1;
}

int jh_sd_notify(const char *state, char *err, size_t errlen)
{
    struct sockaddr_un sa;
    socklen_t len;
    int a = notify_address(&sa, &len, err, errlen);
    if (a <= 0)
        return a;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errlen, "NOTIFY_SOCKET: socket: %s", strerror(errno));
        return -1;
    }
    size_t n = strlen(state);
    ssize_t sent = sendto(fd, state, n, MSG_NOSIGNAL, (const struct sockaddr *)&sa, len);
    int saved = errno;
    close(fd);
    if (sent != (ssize_t)n) {
        snprintf(err, errlen, "NOTIFY_SOCKET %s: %s", getenv("NOTIFY_SOCKET"),
                 sent < 0 ? strerror(saved) : "short send");
        return -1;
    }
    return 0;
}

/* A whole positive decimal number, nothing around it. */
static int parse_positive(const char *s, uint64_t *v)
{
    uint64_t x = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || x > (UINT64_MAX - 9) / 10)
            return -1;
        x = x * 10 + (uint64_t)(*s - '0');
    }
    if (x == 0)
        return -1;
    *v = x;
    return 0;
}

int jh_sd_watchdog_usec(uint64_t *usec, char *err, size_t errlen)
{
    const char *us = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
    uint64_t v, p;
    if (!us)
        return 0;
    if (parse_positive(us, &v) < 0) {
        snprintf(err, errlen, "WATCHDOG_USEC '%.40s' is not a positive number of microseconds", us);
        return -1;
    }
    if (pid) {
        if (parse_positive(pid, &p) < 0) {
            snprintf(err, errlen, "WATCHDOG_PID '%.40s' is not a process id", pid);
            return -1;
        }
        if (p != (uint64_t)getpid())
            return 0;
    }
    *usec = v;
    return 1;
}

int jh_sd_watchdog_kick(jh_sd_watchdog *w, int64_t now_ms, char *err, size_t errlen)
{
    if (w->state == 0) {
        uint64_t usec = 0;
        int r = jh_sd_watchdog_usec(&usec, err, errlen);
        w->state = r == 1 ? 1 : 2;
        w->every_ms = (int64_t)(usec / 2000);
        w->next_ms = now_ms;
        if (r < 0)
            return -1;
    }
    if (w->state != 1 || now_ms < w->next_ms)
        return 0;
    if (jh_sd_notify("WATCHDOG=1", err, errlen) < 0) {
        w->next_ms = now_ms + (w->every_ms < RETRY_MS ? w->every_ms : RETRY_MS);
        if (w->failing)
            return 0;
        w->failing = 1;
        return -1;
    }
    w->failing = 0;
    w->next_ms = now_ms + w->every_ms;
    return 0;
}

/* line into out (JH_SD_STATUS_MAX): one line, cut at a character boundary. */
static void status_clean(char *out, const char *line)
{
    size_t n = strlen(line);
    if (n >= JH_SD_STATUS_MAX) {
        n = JH_SD_STATUS_MAX - 1;
        while (n > 0 && ((unsigned char)line[n] & 0xC0) == 0x80)
            n--; /* line[n] would start the cut-off part: never split a 汉字 */
    }
    for (size_t i = 0; i < n; i++)
        out[i] = line[i] == '\n' || line[i] == '\r' ? ' ' : line[i];
    out[n] = '\0';
}

int jh_sd_status_set(jh_sd_status *s, const char *line, int64_t now_ms, char *err, size_t errlen)
{
    char clean[JH_SD_STATUS_MAX], msg[sizeof "STATUS=" + JH_SD_STATUS_MAX];
    status_clean(clean, line);
    if (s->failing ? now_ms < s->retry_ms : strcmp(clean, s->sent) == 0)
        return 0;
    if (!clean[0])
        return 0;
    snprintf(msg, sizeof msg, "STATUS=%s", clean);
    if (jh_sd_notify(msg, err, errlen) < 0) {
        s->retry_ms = now_ms + RETRY_MS;
        if (s->failing)
            return 0;
        s->failing = 1;
        return -1;
    }
    s->failing = 0;
    memcpy(s->sent, clean, sizeof clean);
    return 0;
}
