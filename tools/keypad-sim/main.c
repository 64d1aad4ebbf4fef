/* SPDX-License-Identifier: MIT */
/*
 * jiaohao-keypad-sim — counter keypads and rating pads on one end of a serial
 * line, running the real firmware logic (firmware-bridge/keypad/), driven by a
 * timed script, for tests and demos of jiaohao-bridge without hardware.
 *
 * Owns: the simulated wire (every device hears every byte, as on RS-485, and
 * the faults a script asks for: silence, noise, duplicated / corrupted /
 * truncated replies, reboots), the simulated fingers (presses, with bounce
 * when asked), and the log of what each device shows. The script format is in
 * docs/keypad-bus.md; sim_script parses it.
 *
 *   jiaohao-keypad-sim --script FILE (--device PATH | --pty-link FILE)
 *                      [--log FILE] [--tick-ms N] [--seed N]
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "keypad.h"
#include "rating_pad.h"
#include "sim_script.h"

#define HOLD_MS 80     /* how long a finger holds a key */
#define GAP_MS 80      /* between two presses of a sequence */
#define MAX_CHANGES 4096

typedef struct {
    const sim_device *decl;
    keypad kp;
    rating_pad pad;
    uint32_t raw;
    int silent, duplicate_next, corrupt_next, truncate_next, noise_next;
    uint32_t replies, replies_dropped;
    /* what was last logged */
    char shown[BUS_TEXT_MAX + 1];
    uint8_t leds;
    int beep, pad_state;
    char ticket[BUS_TICKET_MAX + 1];
    uint16_t next_seq;
    uint32_t refused;
} sim_dev;

typedef struct {
    int64_t at_ms;
    int dev;
    uint32_t set, clear;
} key_change;

typedef struct {
    sim_script script;
    sim_dev dev[SIM_MAX_DEVICES];
    key_change changes[MAX_CHANGES];
    int nchanges;
    int next_action;
    int fd;
    FILE *log;
    int tick_ms;
    uint32_t rng;
    int64_t now;       /* simulated time: the current tick, ms since start */
} sim;

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static const char *dev_kind(const sim_dev *d)
{
    return d->decl->is_pad ? "pad" : "keypad";
}

static void logf_dev(sim *s, const sim_dev *d, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void logf_dev(sim *s, const sim_dev *d, const char *fmt, ...)
{
    va_list ap;
    fprintf(s->log, "%.3f %s %u ", (double)s->now / 1000.0, dev_kind(d), d->decl->addr);
    va_start(ap, fmt);
    vfprintf(s->log, fmt, ap);
    va_end(ap);
    fputc('\n', s->log);
}

static uint8_t rnd(sim *s)
{
    s->rng ^= s->rng << 13;
    s->rng ^= s->rng >> 17;
    s->rng ^= s->rng << 5;
    return (uint8_t)s->rng;
}

/* ---- the wire ---- */

static int write_all(sim *s, const uint8_t *b, size_t n)
{
    while (n > 0) {
        ssize_t w = write(s->fd, b, n);
        if (w > 0) {
            b += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno != EAGAIN && errno != EINTR)
            return -1;
        struct pollfd p = {.fd = s->fd, .events = POLLOUT};
        if (poll(&p, 1, 200) == 0)
            return -1;          /* nobody reads the other end */
    }
    return 0;
}

static size_t dev_byte(sim_dev *d, uint8_t b, uint8_t *reply, size_t cap)
{
    return d->decl->is_pad ? rating_pad_bus_byte(&d->pad, b, reply, cap)
                           : keypad_bus_byte(&d->kp, b, reply, cap);
}

/* What one device sends is heard by all the others, which must ignore it. */
static void send_from(sim *s, int from, const uint8_t *b, size_t n)
{
    if (write_all(s, b, n) != 0)
        s->dev[from].replies_dropped++;
    uint8_t scratch[BUS_WIRE_MAX];
    for (int i = 0; i < s->script.ndev; i++)
        if (i != from)
            for (size_t k = 0; k < n; k++)
                dev_byte(&s->dev[i], b[k], scratch, sizeof scratch);
}

static void reply(sim *s, int i, uint8_t *r, size_t n)
{
    sim_dev *d = &s->dev[i];
    if (d->silent) {
        d->replies_dropped++;
        return;
    }
    d->replies++;
    if (d->noise_next > 0) {
        uint8_t junk[4096];
        for (int k = 0; k < d->noise_next; k++)
            junk[k] = rnd(s);
        send_from(s, i, junk, (size_t)d->noise_next);
        logf_dev(s, d, "sent %d noise bytes", d->noise_next);
        d->noise_next = 0;
    }
    if (d->corrupt_next) {
        r[1 + rnd(s) % (n - 1)] ^= (uint8_t)(1u << (rnd(s) % 8));
        logf_dev(s, d, "sent a reply with one bit flipped");
        d->corrupt_next = 0;
    }
    if (d->truncate_next) {
        n /= 2;
        logf_dev(s, d, "sent only %zu bytes of a reply", n);
        d->truncate_next = 0;
    }
    send_from(s, i, r, n);
    if (d->duplicate_next) {
        send_from(s, i, r, n);
        logf_dev(s, d, "sent a reply twice");
        d->duplicate_next = 0;
    }
}

static void on_bytes(sim *s, const uint8_t *b, size_t n)
{
    for (size_t k = 0; k < n; k++)
        for (int i = 0; i < s->script.ndev; i++) {
            uint8_t r[BUS_WIRE_MAX];
            size_t rn = dev_byte(&s->dev[i], b[k], r, sizeof r);
            if (rn)
                reply(s, i, r, rn);
        }
}

/* ---- fingers ---- */

static void add_change(sim *s, int64_t at, int dev, uint32_t set, uint32_t clear)
{
    if (s->nchanges == MAX_CHANGES)
        return;
    int i = s->nchanges++;
    while (i > 0 && s->changes[i - 1].at_ms > at) {
        s->changes[i] = s->changes[i - 1];
        i--;
    }
    s->changes[i] = (key_change){.at_ms = at, .dev = dev, .set = set, .clear = clear};
}

/* Returns when the finger is free again. */
static int64_t press(sim *s, int64_t at, int dev, uint32_t bit, int bounce)
{
    if (bounce)
        for (int k = 0; k < 4; k++) { /* 20 ms of chatter at each end */
            add_change(s, at + k * 5, dev, k % 2 ? 0 : bit, k % 2 ? bit : 0);
            add_change(s, at + 20 + HOLD_MS + k * 5, dev, k % 2 ? bit : 0, k % 2 ? 0 : bit);
        }
    int64_t settle = bounce ? 20 : 0;
    add_change(s, at + settle, dev, bit, 0);
    add_change(s, at + settle + HOLD_MS + settle, dev, 0, bit);
    return at + 2 * settle + HOLD_MS + GAP_MS;
}

static int64_t press_digits(sim *s, int64_t at, int dev, const char *digits)
{
    for (const char *p = digits; *p; p++)
        at = press(s, at, dev, 1u << (KEYPAD_K0 + (*p - '0')), 0);
    return at;
}

static void keypad_sequence(sim *s, const sim_action *a, int64_t at)
{
    if (a->kind == SIM_TYPE) {
        press_digits(s, at, a->dev, a->text);
        return;
    }
    int first = a->kind == SIM_LOGIN ? KEYPAD_LOGIN : a->kind == SIM_TRANSFER ? KEYPAD_TRANSFER : KEYPAD_RATE;
    at = press(s, at, a->dev, 1u << first, 0);
    if (a->kind == SIM_RATE)
        return;
    at = press_digits(s, at, a->dev, a->text);
    at = press(s, at, a->dev, 1u << KEYPAD_ENTER, 0);
    if (a->kind != SIM_LOGIN || !a->text[0])
        return;
    at = press_digits(s, at, a->dev, a->pin); /* the PIN prompt; none typed: pinless */
    press(s, at, a->dev, 1u << KEYPAD_ENTER, 0);
}

/* ---- actions ---- */

static void boot(sim *s, int i, uint16_t session)
{
    sim_dev *d = &s->dev[i];
    if (d->decl->is_pad) {
        rating_pad_init(&d->pad, d->decl->addr, session, (uint8_t)s->tick_ms, 4);
    } else {
        keypad_config c;
        keypad_config_default(&c);
        c.tick_ms = (uint8_t)s->tick_ms;
        keypad_init(&d->kp, d->decl->addr, session, &c);
    }
    d->raw = 0;
}

static uint16_t session_of(const sim_dev *d)
{
    return d->decl->is_pad ? d->pad.bus.session : d->kp.bus.session;
}

static int run_action(sim *s, const sim_action *a)
{
    if (a->kind == SIM_END)
        return 1;
    sim_dev *d = &s->dev[a->dev];
    char arg[32] = "";
    if (a->kind == SIM_PRESS || a->kind == SIM_BOUNCE)
        snprintf(arg, sizeof arg, " %s", d->decl->is_pad ? (const char[]){(char)('0' + a->key), 0}
                                                          : keypad_key_name(a->key));
    else if ((a->kind == SIM_RATE && d->decl->is_pad) || a->kind == SIM_NOISE || (a->kind == SIM_REBOOT && a->n >= 0))
        snprintf(arg, sizeof arg, " %d", a->n);
    else if (a->text[0])
        snprintf(arg, sizeof arg, " %s", a->text);
    logf_dev(s, d, "action %s%s", sim_action_name(a->kind), arg);
    switch (a->kind) {
    case SIM_PRESS:
    case SIM_BOUNCE: {
        uint32_t bit = d->decl->is_pad ? RATING_PAD_KEY(a->key) : 1u << a->key;
        press(s, s->now, a->dev, bit, a->kind == SIM_BOUNCE);
        break;
    }
    case SIM_RATE:
        if (d->decl->is_pad)
            press(s, s->now, a->dev, RATING_PAD_KEY(a->n), 0);
        else
            keypad_sequence(s, a, s->now);
        break;
    case SIM_TYPE:
    case SIM_LOGIN:
    case SIM_TRANSFER:
        keypad_sequence(s, a, s->now);
        break;
    case SIM_SILENT: d->silent = 1; break;
    case SIM_ANSWER: d->silent = 0; break;
    case SIM_NOISE: d->noise_next = a->n; break;
    case SIM_DUPLICATE: d->duplicate_next = 1; break;
    case SIM_CORRUPT: d->corrupt_next = 1; break;
    case SIM_TRUNCATE: d->truncate_next = 1; break;
    case SIM_REBOOT:
        boot(s, a->dev, a->n >= 0 ? (uint16_t)a->n : (uint16_t)(session_of(d) + 1));
        logf_dev(s, d, "session %u", session_of(d));
        break;
    default:
        break;
    }
    return 0;
}

/* ---- what the devices show ---- */

static void describe_event(char *buf, size_t len, const bus_event *e)
{
    const char *kind = bus_event_kind_name(e->kind);
    if (e->kind == BUS_EV_KEY)
        snprintf(buf, len, "key %s", bus_key_name(e->data[0]));
    else if (e->kind == BUS_EV_RATE)
        snprintf(buf, len, "rate %u %.*s", e->data[0], e->len - 1, (const char *)e->data + 1);
    else if (e->kind == BUS_EV_LOGIN) {
        const uint8_t *pin;
        size_t pin_len, staff = bus_login_split(e, &pin, &pin_len);
        snprintf(buf, len, "login %.*s%s", (int)staff, (const char *)e->data, pin_len ? " pin ****" : "");
    }
    else
        snprintf(buf, len, "%s %.*s", kind, e->len, (const char *)e->data);
}

static void log_leds(sim *s, const sim_dev *d, uint8_t leds)
{
    static const char *const names[] = {"serving", "idle", "paused", "queue-empty"};
    char buf[64] = "";
    for (int b = 0; b < 4; b++)
        if (leds & (1u << b)) {
            if (buf[0])
                strcat(buf, "+");
            strcat(buf, names[b]);
        }
    logf_dev(s, d, "leds %s", buf[0] ? buf : "none");
}

static void log_changes(sim *s, sim_dev *d)
{
    const bus_slave *bus = d->decl->is_pad ? &d->pad.bus : &d->kp.bus;
    const char *shown = d->decl->is_pad ? rating_pad_display(&d->pad) : keypad_display(&d->kp);
    uint32_t refused = d->decl->is_pad ? d->pad.refused : d->kp.refused;
    int beep = d->decl->is_pad ? rating_pad_beeper_on(&d->pad) : keypad_beeper_on(&d->kp);
    if (strcmp(shown, d->shown) != 0)
        logf_dev(s, d, "display \"%s\"", shown);
    if (bus->leds != d->leds)
        log_leds(s, d, bus->leds);
    if (beep != d->beep)
        logf_dev(s, d, "beep %s", beep ? "on" : "off");
    if (bus->next_seq != d->next_seq && bus->qcount > 0) {
        char what[64];
        describe_event(what, sizeof what, &bus->queue[(bus->qhead + bus->qcount - 1) % BUS_QUEUE_LEN]);
        logf_dev(s, d, "queued %u %s", (unsigned)(uint16_t)(bus->next_seq - 1), what);
    }
    if (refused != d->refused)
        logf_dev(s, d, "refused");
    if (d->decl->is_pad) {
        int st = (int)rating_pad_state_of(&d->pad);
        if (st != d->pad_state || strcmp(d->ticket, rating_pad_ticket(&d->pad)) != 0)
            logf_dev(s, d, "ticket \"%s\" %s", rating_pad_ticket(&d->pad), rating_pad_state_name(st));
        d->pad_state = st;
        strcpy(d->ticket, rating_pad_ticket(&d->pad));
    }
    strcpy(d->shown, shown);
    d->leds = bus->leds;
    d->beep = beep;
    d->next_seq = bus->next_seq;
    d->refused = refused;
}

/* ---- time ---- */

static int tick(sim *s)
{
    int stop = 0;
    while (s->next_action < s->script.nact && s->script.act[s->next_action].at_ms <= s->now)
        stop |= run_action(s, &s->script.act[s->next_action++]);
    int used = 0;
    for (; used < s->nchanges && s->changes[used].at_ms <= s->now; used++) {
        sim_dev *d = &s->dev[s->changes[used].dev];
        d->raw = (d->raw | s->changes[used].set) & ~s->changes[used].clear;
    }
    memmove(s->changes, s->changes + used, (size_t)(s->nchanges - used) * sizeof *s->changes);
    s->nchanges -= used;
    for (int i = 0; i < s->script.ndev; i++) {
        sim_dev *d = &s->dev[i];
        if (d->decl->is_pad)
            rating_pad_tick(&d->pad, d->raw);
        else
            keypad_tick(&d->kp, d->raw);
        log_changes(s, d);
    }
    return stop;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int run(sim *s)
{
    int64_t start = mono_ms();
    for (;;) {
        if (g_stop)
            return 0;
        int64_t wait = start + s->now - mono_ms();
        struct pollfd p = {.fd = s->fd, .events = POLLIN};
        int r = poll(&p, 1, wait > 0 ? (int)wait : 0);
        if (r < 0 && errno != EINTR)
            return -1;
        if (r > 0 && (p.revents & POLLIN)) {
            uint8_t buf[512];
            ssize_t n = read(s->fd, buf, sizeof buf);
            if (n > 0)
                on_bytes(s, buf, (size_t)n);
            else if (n < 0 && errno != EAGAIN && errno != EINTR)
                return -1;
        }
        while (mono_ms() - start >= s->now) {
            if (tick(s))
                return 0;
            s->now += s->tick_ms;
        }
    }
}

/* ---- set-up ---- */

static int set_raw(int fd)
{
    struct termios t;
    if (tcgetattr(fd, &t) != 0)
        return -1;
    cfmakeraw(&t);
    cfsetspeed(&t, B19200);
    return tcsetattr(fd, TCSANOW, &t);
}

static int open_device(const char *path)
{
    int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (fd >= 0 && isatty(fd) && set_raw(fd) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* The slave stays open here so the master side never reads EIO while the
 * process under test has not opened it yet (or reopens it). */
static int open_pty(const char *link_file, int *slave_keep)
{
    int mfd, sfd;
    char name[256];
    if (openpty(&mfd, &sfd, name, NULL, NULL) != 0)
        return -1;
    if (set_raw(sfd) != 0 || fcntl(mfd, F_SETFL, O_NONBLOCK) != 0)
        goto fail;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", link_file);
    FILE *f = fopen(tmp, "w");
    if (!f)
        goto fail;
    fprintf(f, "%s\n", name);
    /* Written whole, then renamed: a reader never sees half a path. */
    if (fclose(f) != 0 || rename(tmp, link_file) != 0)
        goto fail;
    *slave_keep = sfd;
    return mfd;
fail:
    close(mfd);
    close(sfd);
    return -1;
}

static void usage(FILE *to)
{
    fprintf(to,
            "usage: jiaohao-keypad-sim --script FILE (--device PATH | --pty-link FILE)\n"
            "                          [--log FILE] [--tick-ms N] [--seed N]\n"
            "Runs counter keypads and rating pads (the real firmware logic) on a serial line.\n"
            "  --device PATH    use this serial device or pty end\n"
            "  --pty-link FILE  open a pty pair, write the other end's path to FILE\n"
            "  --log FILE       what each device shows, one line per change (default stdout)\n"
            "  --tick-ms N      firmware tick, 1..50 ms (default 5)\n"
            "  --seed N         seed for injected noise (default 1)\n"
            "Script format: docs/keypad-bus.md.\n");
}

typedef struct {
    const char *script, *device, *pty_link, *log;
    long tick_ms, seed;
} options;

static int parse_options(int argc, char **argv, options *o)
{
    static const struct option longs[] = {
        {"script", required_argument, NULL, 's'}, {"device", required_argument, NULL, 'd'},
        {"pty-link", required_argument, NULL, 'p'}, {"log", required_argument, NULL, 'l'},
        {"tick-ms", required_argument, NULL, 't'}, {"seed", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    *o = (options){.tick_ms = 5, .seed = 1};
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (c) {
        case 's': o->script = optarg; break;
        case 'd': o->device = optarg; break;
        case 'p': o->pty_link = optarg; break;
        case 'l': o->log = optarg; break;
        case 't': o->tick_ms = strtol(optarg, &end, 10); if (*end) o->tick_ms = 0; break;
        case 'r': o->seed = strtol(optarg, &end, 10); if (*end) o->seed = 0; break;
        case 'h': usage(stdout); exit(0);
        default: return -1;
        }
    }
    if (optind != argc || !o->script || !o->device == !o->pty_link)
        return -1;
    return o->tick_ms >= 1 && o->tick_ms <= 50 && o->seed > 0 ? 0 : -1;
}

static void final_report(sim *s)
{
    for (int i = 0; i < s->script.ndev; i++) {
        sim_dev *d = &s->dev[i];
        const bus_slave *b = d->decl->is_pad ? &d->pad.bus : &d->kp.bus;
        logf_dev(s, d, "stats requests %u repeats %u refused-requests %u replies %u silenced %u "
                 "frames-dropped %u queued %u",
                 b->requests, b->repeats, b->refused_requests, d->replies, d->replies_dropped,
                 bus_decoder_dropped(&b->dec), b->qcount);
    }
}

int main(int argc, char **argv)
{
    static sim s;
    options o;
    char err[512];
    if (parse_options(argc, argv, &o) != 0) {
        fprintf(stderr, "jiaohao-keypad-sim: bad arguments (see --help)\n");
        return 2;
    }
    if (sim_script_load(&s.script, o.script, err, sizeof err) != 0) {
        fprintf(stderr, "jiaohao-keypad-sim: %s\n", err);
        return 2;
    }
    s.log = o.log ? fopen(o.log, "w") : stdout;
    if (!s.log) {
        fprintf(stderr, "jiaohao-keypad-sim: %s: %s\n", o.log, strerror(errno));
        return 2;
    }
    setvbuf(s.log, NULL, _IOLBF, 0);
    int keep = -1;
    s.fd = o.device ? open_device(o.device) : open_pty(o.pty_link, &keep);
    if (s.fd < 0) {
        fprintf(stderr, "jiaohao-keypad-sim: %s: %s\n", o.device ? o.device : o.pty_link, strerror(errno));
        return 1;
    }
    s.tick_ms = (int)o.tick_ms;
    s.rng = (uint32_t)o.seed;
    for (int i = 0; i < s.script.ndev; i++) {
        s.dev[i].decl = &s.script.dev[i];
        boot(&s, i, s.script.dev[i].session);
        logf_dev(&s, &s.dev[i], "start session %u", s.script.dev[i].session);
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    int rc = run(&s);
    if (rc != 0)
        fprintf(stderr, "jiaohao-keypad-sim: serial line: %s\n", strerror(errno));
    final_report(&s);
    if (keep >= 0)
        close(keep);
    close(s.fd);
    if (s.log != stdout)
        fclose(s.log);
    return rc == 0 ? 0 : 1;
}
