/* SPDX-License-Identifier: MIT */
/*
 * serial_port — see serial_port.h. The backends differ only in how a device
 * is opened and configured; reading, writing and draining go through the same
 * non-blocking fd, which is also what libserialport itself does on Linux.
 */
#include "serial_port.h"

#include <errno.h>
#include <fcntl.h>
#include <libserialport.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

struct jh_serial {
    jh_serial_backend backend;
    struct sp_port *port; /* libserialport backend only */
    int fd;
    int baud;
    jh_serial_flow flow;
    char path[256];
};

static const struct {
    int baud;
    speed_t speed;
} g_rates[] = {
    {1200, B1200},     {2400, B2400},     {4800, B4800},     {9600, B9600},
    {19200, B19200},   {38400, B38400},   {57600, B57600},   {115200, B115200},
    {230400, B230400}, {460800, B460800}, {921600, B921600},
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int jh_serial_baud_valid(int baud)
{
    for (size_t i = 0; i < sizeof g_rates / sizeof g_rates[0]; i++)
        if (g_rates[i].baud == baud)
            return 1;
    return 0;
}

static speed_t speed_of(int baud)
{
    for (size_t i = 0; i < sizeof g_rates / sizeof g_rates[0]; i++)
        if (g_rates[i].baud == baud)
            return g_rates[i].speed;
    return B9600;
}

int jh_serial_flow_parse(const char *name)
{
    if (strcmp(name, "none") == 0)
        return JH_FLOW_NONE;
    if (strcmp(name, "rtscts") == 0)
        return JH_FLOW_RTSCTS;
    if (strcmp(name, "xonxoff") == 0)
        return JH_FLOW_XONXOFF;
    return -1;
}

const char *jh_serial_flow_name(jh_serial_flow flow)
{
    switch (flow) {
    case JH_FLOW_RTSCTS: return "rtscts";
    case JH_FLOW_XONXOFF: return "xonxoff";
    default: return "none";
    }
}

/* Unix98 pty slaves are majors 136..143; 3 is the legacy BSD pty slaves. */
int jh_serial_path_is_pty(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISCHR(st.st_mode))
        return 0;
    unsigned maj = major(st.st_rdev);
    return (maj >= 136 && maj <= 143) || maj == 3;
}

static int set_nonblocking(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static int open_termios(jh_serial *s, char *err, size_t errlen)
{
    s->fd = open(s->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (s->fd < 0) {
        snprintf(err, errlen, "serial %s: open: %s", s->path, strerror(errno));
        return -1;
    }
    struct termios t;
    if (tcgetattr(s->fd, &t) != 0) {
        snprintf(err, errlen, "serial %s: not a terminal: %s", s->path, strerror(errno));
        return -1;
    }
    cfmakeraw(&t);
    t.c_cflag &= ~(tcflag_t)(CSTOPB | PARENB | CRTSCTS | CSIZE);
    t.c_cflag |= CS8 | CLOCAL | CREAD;
    t.c_iflag &= ~(tcflag_t)(IXON | IXOFF | IXANY);
    if (s->flow == JH_FLOW_RTSCTS)
        t.c_cflag |= CRTSCTS;
    else if (s->flow == JH_FLOW_XONXOFF)
        t.c_iflag |= IXON | IXOFF;
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    cfsetispeed(&t, speed_of(s->baud));
    cfsetospeed(&t, speed_of(s->baud));
    if (tcsetattr(s->fd, TCSANOW, &t) != 0) {
        snprintf(err, errlen, "serial %s: cannot configure: %s", s->path, strerror(errno));
        return -1;
    }
    return 0;
}

static int sp_fail(jh_serial *s, const char *what, char *err, size_t errlen)
{
    char *msg = sp_last_error_message();
    snprintf(err, errlen, "serial %s: %s: %s", s->path, what, msg ? msg : "failed");
    sp_free_error_message(msg);
    return -1;
}

static int open_libserialport(jh_serial *s, char *err, size_t errlen)
{
    static const enum sp_flowcontrol flows[] = {SP_FLOWCONTROL_NONE, SP_FLOWCONTROL_RTSCTS,
                                                SP_FLOWCONTROL_XONXOFF};
    if (sp_get_port_by_name(s->path, &s->port) != SP_OK)
        return sp_fail(s, "not a serial port", err, errlen);
    if (sp_open(s->port, SP_MODE_READ_WRITE) != SP_OK) {
        sp_free_port(s->port);
        s->port = NULL;
        return sp_fail(s, errno == EACCES ? "open (is the user in group dialout?)" : "open", err, errlen);
    }
    if (sp_set_baudrate(s->port, s->baud) != SP_OK || sp_set_bits(s->port, 8) != SP_OK ||
        sp_set_parity(s->port, SP_PARITY_NONE) != SP_OK || sp_set_stopbits(s->port, 1) != SP_OK ||
        sp_set_flowcontrol(s->port, flows[s->flow]) != SP_OK)
        return sp_fail(s, "cannot configure", err, errlen);
    if (sp_get_port_handle(s->port, &s->fd) != SP_OK || set_nonblocking(s->fd) != 0)
        return sp_fail(s, "no handle", err, errlen);
    return 0;
}

int jh_serial_open(jh_serial **out, const char *path, int baud, jh_serial_flow flow,
                   char *err, size_t errlen)
{
    *out = NULL;
    if (!jh_serial_baud_valid(baud)) {
        snprintf(err, errlen, "serial %s: unsupported baud rate %d", path, baud);
        return -1;
    }
    if ((int)flow < JH_FLOW_NONE || flow > JH_FLOW_XONXOFF) {
        snprintf(err, errlen, "serial %s: bad flow control %d", path, (int)flow);
        return -1;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "serial %s: %s", path, strerror(errno));
        return -1;
    }
    jh_serial *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "serial %s: out of memory", path);
        return -1;
    }
    s->fd = -1;
    s->baud = baud;
    s->flow = flow;
    snprintf(s->path, sizeof s->path, "%s", path);
    s->backend = jh_serial_path_is_pty(path) ? JH_SERIAL_BACKEND_TERMIOS : JH_SERIAL_BACKEND_LIBSERIALPORT;
    int rc = s->backend == JH_SERIAL_BACKEND_TERMIOS ? open_termios(s, err, errlen)
                                                     : open_libserialport(s, err, errlen);
    /* Two kiosk processes sharing one printer would interleave tickets. */
    if (rc == 0 && flock(s->fd, LOCK_EX | LOCK_NB) != 0) {
        snprintf(err, errlen, "serial %s: in use by another process", path);
        rc = -1;
    }
    if (rc != 0) {
        jh_serial_close(s);
        return -1;
    }
    *out = s;
    return 0;
}

void jh_serial_close(jh_serial *s)
{
    if (!s)
        return;
    if (s->port) {
        sp_close(s->port);
        sp_free_port(s->port);
    } else if (s->fd >= 0) {
        close(s->fd);
    }
    free(s);
}

int jh_serial_fd(const jh_serial *s) { return s->fd; }
jh_serial_backend jh_serial_backend_of(const jh_serial *s) { return s->backend; }
int jh_serial_baud(const jh_serial *s) { return s->baud; }

static int wait_fd(int fd, short events, int timeout_ms)
{
    struct pollfd p = {.fd = fd, .events = events};
    for (;;) {
        int n = poll(&p, 1, timeout_ms < 0 ? 0 : timeout_ms);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n;
        return p.revents;
    }
}

ssize_t jh_serial_read(jh_serial *s, void *buf, size_t len, int timeout_ms, char *err, size_t errlen)
{
    int rev = wait_fd(s->fd, POLLIN, timeout_ms);
    if (rev < 0) {
        snprintf(err, errlen, "serial %s: poll: %s", s->path, strerror(errno));
        return -1;
    }
    if (rev == 0)
        return 0;
    ssize_t n = read(s->fd, buf, len);
    if (n > 0)
        return n;
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    /* POLLHUP with nothing to read: the USB adapter was pulled or the pty peer closed. */
    snprintf(err, errlen, "serial %s: device gone (%s)", s->path, n < 0 ? strerror(errno) : "hang-up");
    return -1;
}

/* Waits until the driver's output queue is empty. Unlike tcdrain() this has a
 * deadline: a printer holding CTS low must not hang the kiosk. */
static int drain(jh_serial *s, int64_t deadline)
{
    for (;;) {
        int queued = 0;
        if (ioctl(s->fd, TIOCOUTQ, &queued) != 0 || queued <= 0)
            break;
        int64_t left = deadline - now_ms();
        if (left <= 0)
            return -1;
        int64_t need = (int64_t)queued * 10 * 1000 / s->baud + 1;
        struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)(need < left ? need : left) * 1000000L};
        if (ts.tv_nsec >= 1000000000L)
            ts = (struct timespec){.tv_sec = 0, .tv_nsec = 999999999L};
        nanosleep(&ts, NULL);
    }
    /* With no handshake nothing can stall the UART, so tcdrain() returns
     * within a FIFO's worth of bit times and flushes what TIOCOUTQ can't see. */
    if (s->flow == JH_FLOW_NONE && s->backend == JH_SERIAL_BACKEND_LIBSERIALPORT)
        tcdrain(s->fd);
    return 0;
}

static int write_chunk(jh_serial *s, const uint8_t *p, size_t n, int64_t deadline, size_t *sent)
{
    while (n > 0) {
        ssize_t w = write(s->fd, p, n);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
            *sent += (size_t)w;
            continue;
        }
        if (w < 0 && errno != EAGAIN && errno != EINTR)
            return -1;
        int64_t left = deadline - now_ms();
        if (left <= 0)
            return -2;
        int rev = wait_fd(s->fd, POLLOUT, (int)left);
        if (rev & (POLLERR | POLLHUP | POLLNVAL))
            return -1;
    }
    return 0;
}

int jh_serial_write_all(jh_serial *s, const void *buf, size_t len, size_t chunk, int timeout_ms,
                        char *err, size_t errlen)
{
    const uint8_t *p = buf;
    size_t sent = 0;
    int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    if (chunk == 0)
        chunk = len;
    while (sent < len) {
        size_t n = len - sent < chunk ? len - sent : chunk;
        int rc = write_chunk(s, p + sent, n, deadline, &sent);
        if (rc == 0)
            rc = drain(s, deadline) == 0 ? 0 : -2;
        if (rc == -1) {
            snprintf(err, errlen, "serial %s: write failed after %zu of %zu bytes: %s", s->path, sent, len,
                     strerror(errno));
            return -1;
        }
        if (rc == -2) {
            snprintf(err, errlen, "serial %s: write timed out after %zu of %zu bytes (device not taking data)",
                     s->path, sent, len);
            return -1;
        }
    }
    return 0;
}

void jh_serial_discard_input(jh_serial *s)
{
    tcflush(s->fd, TCIFLUSH);
    /* A pty's flush does not reach bytes already in the line discipline on
     * every kernel; read them away as well. */
    uint8_t junk[256];
    while (read(s->fd, junk, sizeof junk) > 0) {
    }
}

int jh_serial_list_ports(void (*fn)(const char *name, const char *description, void *ctx), void *ctx,
                         char *err, size_t errlen)
{
    struct sp_port **ports = NULL;
    if (sp_list_ports(&ports) != SP_OK) {
        char *msg = sp_last_error_message();
        snprintf(err, errlen, "listing serial ports: %s", msg ? msg : "failed");
        sp_free_error_message(msg);
        return -1;
    }
    int n = 0;
    for (; ports[n]; n++) {
        const char *desc = sp_get_port_description(ports[n]);
        fn(sp_get_port_name(ports[n]), desc ? desc : "", ctx);
    }
    sp_free_port_list(ports);
    return n;
}
