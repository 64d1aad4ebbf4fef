/* SPDX-License-Identifier: MIT */
/*
 * jiaohao-printer-emu — a Chinese ESC/POS thermal printer on a pseudo-terminal,
 * for tests, benchmarks and demos without hardware.
 *
 * Owns: the pty pair (the kiosk opens the slave like a serial port), the
 * printer's state (paper, cover, cutter, silence), answering DLE EOT at once
 * and GS r in order, holding data while offline like a real printer, the
 * wire speed (--baud: bytes/s = baud/10), and writing each cut ticket as
 * PNG + JSON. The ESC/POS reading is emu_escpos, the drawing emu_render.
 *
 * Control: --control FIFO takes one command per line (echo paper-out > FIFO):
 *   paper-ok | paper-near-end | paper-out     cover-open | cover-close
 *   cutter-error | error-clear                 silent | online
 *   garbage-replies | normal-replies           send <hex bytes>
 *   baud <n>                                   after <n> <command>
 * "after 300 paper-out" runs the command once 300 more bytes have arrived
 * from the host, which puts a failure exactly mid-ticket. Commands already
 * in the FIFO are always handled before more host bytes are read, so a test
 * that writes a command and then talks to the pty sees its effect.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "emu_escpos.h"
#include "emu_json.h"
#include "emu_render.h"
#include "log.h"

#define QUEUE_MAX 65536 /* a printer's receive buffer; beyond it the host must wait */

enum { PAPER_OK, PAPER_NEAR, PAPER_OUT };

typedef struct {
    int master, slave;
    char slave_name[128];
    const char *link, *pty_file, *out_dir, *ctl_path, *font;
    int ctl_fd;
    char ctl_buf[1024];
    size_t ctl_len;
    int columns, png;
    int paper, cover_open, cutter_error, silent, garbage_replies;
    long baud;
    double tokens;
    int64_t last_us;
    long after_bytes;
    char after_cmd[128];
    uint8_t *queue;
    size_t qlen;
    jh_emu_parser *parser;
    jh_emu_rt rt;
    jh_emu_renderer *renderer;
    int tickets;
} emu;

static volatile sig_atomic_t g_stop;
static void on_signal(int sig) { (void)sig; g_stop = 1; }

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int online(const emu *e) { return !e->cover_open && e->paper != PAPER_OUT && !e->cutter_error; }

/* Real-printer-shaped replies (docs/hardware.md): 0xx1xx10 plus the state bits. */
static uint8_t dle_eot_reply(const emu *e, int n)
{
    uint8_t b = 0x12;
    if (n == 1 && !online(e))
        b |= 0x08;
    if (n == 2)
        b |= (e->cover_open ? 0x04 : 0) | (e->paper == PAPER_OUT ? 0x20 : 0) | (e->cutter_error ? 0x40 : 0);
    if (n == 3 && e->cutter_error)
        b |= 0x08;
    if (n == 4)
        b |= (e->paper != PAPER_OK ? 0x0C : 0) | (e->paper == PAPER_OUT ? 0x60 : 0);
    return b;
}

static void reply(emu *e, uint8_t b)
{
    static const uint8_t junk[] = {0xFF, 0xA5};
    if (e->garbage_replies) {
        if (write(e->master, junk, sizeof junk) < 0)
            jh_log(JH_LOG_WARN, "reply: %s", strerror(errno));
    } else if (write(e->master, &b, 1) < 0) {
        jh_log(JH_LOG_WARN, "reply: %s", strerror(errno));
    }
}

static void on_dle_eot(int n, void *ctx)
{
    emu *e = ctx;
    reply(e, dle_eot_reply(e, n));
}

static void on_gs_r(int n, void *ctx)
{
    emu *e = ctx;
    if (n == 1 || n == 49)
        reply(e, e->paper == PAPER_NEAR ? 0x03 : e->paper == PAPER_OUT ? 0x0F : 0x00);
    else
        reply(e, 0x00);
}

static void on_ticket(const jh_emu_ticket *t, void *ctx)
{
    emu *e = ctx;
    char path[1024], err[256];
    int num = ++e->tickets;
    char *json = jh_emu_ticket_json(t, num, e->columns);
    snprintf(path, sizeof path, "%s/ticket-%04d.json", e->out_dir, num);
    FILE *f = fopen(path, "w");
    if (!f || !json || fputs(json, f) < 0)
        jh_log(JH_LOG_ERROR, "%s: cannot write", path);
    if (f)
        fclose(f);
    free(json);
    if (e->png) {
        snprintf(path, sizeof path, "%s/ticket-%04d.png", e->out_dir, num);
        if (jh_emu_render_png(e->renderer, t, path, err, sizeof err) != 0)
            jh_log(JH_LOG_ERROR, "%s", err);
    }
    jh_log(JH_LOG_INFO, "ticket %d cut: %zu lines", num, t->n_lines);
}

/* ---- control ---- */

static void send_hex(emu *e, const char *hex)
{
    uint8_t out[256];
    size_t n = 0;
    unsigned v;
    int used;
    while (n < sizeof out && sscanf(hex, " %2x%n", &v, &used) == 1) {
        out[n++] = (uint8_t)v;
        hex += used;
    }
    if (n && write(e->master, out, n) < 0)
        jh_log(JH_LOG_WARN, "send: %s", strerror(errno));
}

static int command(emu *e, const char *line)
{
    static const struct {
        const char *name;
        size_t off;
        int value;
    } flags[] = {
        {"paper-ok", offsetof(emu, paper), PAPER_OK},     {"paper-near-end", offsetof(emu, paper), PAPER_NEAR},
        {"paper-out", offsetof(emu, paper), PAPER_OUT},   {"cover-open", offsetof(emu, cover_open), 1},
        {"cover-close", offsetof(emu, cover_open), 0},    {"cutter-error", offsetof(emu, cutter_error), 1},
        {"error-clear", offsetof(emu, cutter_error), 0},  {"silent", offsetof(emu, silent), 1},
        {"online", offsetof(emu, silent), 0},             {"garbage-replies", offsetof(emu, garbage_replies), 1},
        {"normal-replies", offsetof(emu, garbage_replies), 0},
    };
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
        if (strcmp(line, flags[i].name) == 0)
            return *(int *)((char *)e + flags[i].off) = flags[i].value, 0;
    long n;
    int used = 0;
    if (sscanf(line, "baud %ld", &n) == 1 && n >= 0)
        return e->baud = n, 0;
    if (strncmp(line, "send ", 5) == 0)
        return send_hex(e, line + 5), 0;
    if (sscanf(line, "after %ld %n", &n, &used) == 1 && used > 0 && n > 0) {
        snprintf(e->after_cmd, sizeof e->after_cmd, "%s", line + used);
        e->after_bytes = n;
        return 0;
    }
    return -1;
}

static void read_control(emu *e)
{
    ssize_t n = read(e->ctl_fd, e->ctl_buf + e->ctl_len, sizeof e->ctl_buf - 1 - e->ctl_len);
    if (n <= 0)
        return;
    e->ctl_len += (size_t)n;
    e->ctl_buf[e->ctl_len] = '\0';
    char *nl;
    while ((nl = strchr(e->ctl_buf, '\n'))) {
        *nl = '\0';
        if (nl > e->ctl_buf && nl[-1] == '\r')
            nl[-1] = '\0';
        if (e->ctl_buf[0] && command(e, e->ctl_buf) != 0)
            jh_log(JH_LOG_WARN, "control: unknown command '%s'", e->ctl_buf);
        else if (e->ctl_buf[0])
            jh_log(JH_LOG_INFO, "control: %s", e->ctl_buf);
        size_t used = (size_t)(nl + 1 - e->ctl_buf);
        memmove(e->ctl_buf, nl + 1, e->ctl_len - used + 1);
        e->ctl_len -= used;
    }
    if (e->ctl_len == sizeof e->ctl_buf - 1)
        e->ctl_len = 0; /* an endless line: drop it */
}

/* ---- the host side ---- */

static void refill(emu *e)
{
    int64_t now = now_us();
    double rate = e->baud / 10.0, burst = rate / 100 > 1 ? rate / 100 : 1;
    e->tokens += (double)(now - e->last_us) * rate / 1e6;
    if (e->tokens > burst)
        e->tokens = burst;
    e->last_us = now;
}

static size_t read_allowance(emu *e)
{
    size_t n = QUEUE_MAX - e->qlen;
    if (e->baud > 0) {
        refill(e);
        n = e->tokens >= 1 ? ((size_t)e->tokens < n ? (size_t)e->tokens : n) : 0;
    }
    if (e->after_bytes > 0 && (size_t)e->after_bytes < n)
        n = (size_t)e->after_bytes;
    return n;
}

static void process_queue(emu *e)
{
    if (!online(e) || e->silent || e->qlen == 0)
        return;
    jh_emu_parser_feed(e->parser, e->queue, e->qlen);
    e->qlen = 0;
}

static void read_host(emu *e, size_t allow)
{
    uint8_t buf[4096];
    ssize_t n = read(e->master, buf, allow < sizeof buf ? allow : sizeof buf);
    if (n <= 0)
        return;
    if (e->baud > 0)
        e->tokens -= (double)n;
    if (!e->silent) { /* a silent printer is an unplugged one: the bytes go nowhere */
        jh_emu_rt_scan(&e->rt, buf, (size_t)n, on_dle_eot, e);
        memcpy(e->queue + e->qlen, buf, (size_t)n);
        e->qlen += (size_t)n;
        process_queue(e);
    }
    if (e->after_bytes > 0 && (e->after_bytes -= n) <= 0) {
        e->after_bytes = 0;
        jh_log(JH_LOG_INFO, "after: %s", e->after_cmd);
        if (command(e, e->after_cmd) != 0)
            jh_log(JH_LOG_WARN, "after: unknown command '%s'", e->after_cmd);
    }
}

static int poll_timeout(emu *e, size_t allow)
{
    if (allow > 0 || e->qlen >= QUEUE_MAX || e->baud <= 0)
        return e->qlen && online(e) && !e->silent ? 0 : 250;
    int ms = (int)ceil((1 - e->tokens) * 1000.0 / (e->baud / 10.0));
    return ms < 1 ? 1 : ms;
}

static int run(emu *e)
{
    while (!g_stop) {
        process_queue(e); /* a control command may have brought the printer back */
        size_t allow = read_allowance(e);
        struct pollfd p[2] = {{.fd = e->ctl_fd, .events = POLLIN}, {.fd = e->master, .events = allow ? POLLIN : 0}};
        int n = poll(p, 2, poll_timeout(e, allow));
        if (n < 0 && errno != EINTR)
            return jh_log(JH_LOG_ERROR, "poll: %s", strerror(errno)), 1;
        if (n <= 0)
            continue;
        if (p[0].revents & POLLIN)
            read_control(e);
        if (p[1].revents & POLLIN)
            read_host(e, read_allowance(e)); /* control changes above already apply */
    }
    return 0;
}

/* ---- setup ---- */

static int open_pty(emu *e)
{
    struct termios t;
    if (openpty(&e->master, &e->slave, e->slave_name, NULL, NULL) != 0)
        return jh_log(JH_LOG_ERROR, "openpty: %s", strerror(errno)), -1;
    /* Raw on our side too until the host configures it, and the slave stays
     * open here so the master never reads EIO between host sessions. */
    tcgetattr(e->slave, &t);
    cfmakeraw(&t);
    tcsetattr(e->slave, TCSANOW, &t);
    fcntl(e->master, F_SETFL, fcntl(e->master, F_GETFL) | O_NONBLOCK);
    fcntl(e->master, F_SETFD, FD_CLOEXEC);
    fcntl(e->slave, F_SETFD, FD_CLOEXEC);
    return 0;
}

static int open_control(emu *e)
{
    e->ctl_fd = -1;
    if (!e->ctl_path)
        return 0;
    unlink(e->ctl_path);
    if (mkfifo(e->ctl_path, 0600) != 0)
        return jh_log(JH_LOG_ERROR, "%s: mkfifo: %s", e->ctl_path, strerror(errno)), -1;
    /* O_RDWR: the FIFO never reports EOF when a writer closes. */
    e->ctl_fd = open(e->ctl_path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    return e->ctl_fd < 0 ? (jh_log(JH_LOG_ERROR, "%s: %s", e->ctl_path, strerror(errno)), -1) : 0;
}

/* The pty's name, published only once everything is ready: tests wait for it. */
static int announce(emu *e)
{
    if (e->link) {
        unlink(e->link);
        if (symlink(e->slave_name, e->link) != 0)
            return jh_log(JH_LOG_ERROR, "%s: symlink: %s", e->link, strerror(errno)), -1;
    }
    if (e->pty_file) {
        char tmp[1024];
        snprintf(tmp, sizeof tmp, "%s.tmp", e->pty_file);
        FILE *f = fopen(tmp, "w");
        if (!f || fprintf(f, "%s\n", e->slave_name) < 0 || fclose(f) != 0 || rename(tmp, e->pty_file) != 0)
            return jh_log(JH_LOG_ERROR, "%s: cannot write", e->pty_file), -1;
    }
    printf("%s\n", e->slave_name);
    fflush(stdout);
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: jiaohao-printer-emu [options]\n"
            "  --link PATH       make PATH a symlink to the printer's pty\n"
            "  --pty-file PATH   write the pty's name into PATH when ready\n"
            "  --out DIR         write ticket-0001.png/.json ... here (default .)\n"
            "  --control FIFO    create FIFO and read commands from it (see source header)\n"
            "  --baud N          wire speed: read at most N/10 bytes/s (default 0 = unlimited)\n"
            "  --paper 58|80     paper width: 32 or 48 columns (default 80)\n"
            "  --no-png          JSON only\n"
            "  --font FILE       CJK font (face 0) instead of Noto Sans CJK SC / WenQuanYi\n"
            "  --quiet           log warnings only\n"
            "The pty's name is also printed on stdout.\n");
}

static int parse_args(emu *e, int argc, char **argv)
{
    static const struct option opts[] = {
        {"link", 1, 0, 'l'},  {"pty-file", 1, 0, 'f'}, {"out", 1, 0, 'o'},    {"control", 1, 0, 'c'},
        {"baud", 1, 0, 'b'},  {"paper", 1, 0, 'p'},    {"no-png", 0, 0, 'n'},  {"font", 1, 0, 'F'},
        {"quiet", 0, 0, 'q'}, {"help", 0, 0, 'h'},     {0, 0, 0, 0},
    };
    int c, paper = 80;
    char *end;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'l': e->link = optarg; break;
        case 'f': e->pty_file = optarg; break;
        case 'o': e->out_dir = optarg; break;
        case 'c': e->ctl_path = optarg; break;
        case 'F': e->font = optarg; break;
        case 'n': e->png = 0; break;
        case 'q': jh_log_init("jiaohao-printer-emu", JH_LOG_WARN); break;
        case 'b':
            e->baud = strtol(optarg, &end, 10);
            if (*end || e->baud < 0 || e->baud > 10000000)
                return fprintf(stderr, "jiaohao-printer-emu: --baud '%s' is not a rate\n", optarg), -1;
            break;
        case 'p':
            paper = (int)strtol(optarg, &end, 10);
            if (*end || (paper != 58 && paper != 80))
                return fprintf(stderr, "jiaohao-printer-emu: --paper '%s' is not 58 or 80\n", optarg), -1;
            break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return -1;
        }
    }
    if (optind < argc)
        return fprintf(stderr, "jiaohao-printer-emu: unexpected argument '%s'\n", argv[optind]), -1;
    e->columns = paper == 58 ? 32 : 48;
    return 0;
}

int main(int argc, char **argv)
{
    static emu e = {.out_dir = ".", .png = 1, .master = -1, .slave = -1};
    char err[256];
    jh_log_init("jiaohao-printer-emu", JH_LOG_INFO);
    if (parse_args(&e, argc, argv) != 0)
        return 2;
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);
    jh_emu_hooks hooks = {.on_ticket = on_ticket, .on_gs_r = on_gs_r, .ctx = &e};
    e.queue = malloc(QUEUE_MAX);
    e.parser = jh_emu_parser_new(e.columns, &hooks);
    if (!e.queue || !e.parser)
        return fprintf(stderr, "jiaohao-printer-emu: out of memory\n"), 1;
    if (e.png && jh_emu_renderer_open(&e.renderer, e.columns, e.font, err, sizeof err) != 0)
        return fprintf(stderr, "jiaohao-printer-emu: %s\n", err), 1;
    e.last_us = now_us();
    int rc = open_pty(&e) != 0 || open_control(&e) != 0 || announce(&e) != 0 ? 1 : run(&e);
    if (e.link)
        unlink(e.link);
    if (e.ctl_fd >= 0)
        close(e.ctl_fd), unlink(e.ctl_path);
    jh_emu_parser_free(e.parser);
    jh_emu_renderer_close(e.renderer);
    free(e.queue);
    return rc;
}
