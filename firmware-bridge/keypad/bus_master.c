/* SPDX-License-Identifier: MIT */
/*
 * bus_master — see bus_master.h.
 *
 * A reply is accepted only when it carries the reply bit, the address and
 * the seq of the request now out, and the matching command (or a NAK of it);
 * everything else on the wire is counted and ignored. That is what keeps a
 * late reply, a reply from a misconfigured twin address, or noise that
 * happens to form a frame from ever becoming somebody's key press. Events that
 * pass are then filtered by (address, session, event seq), so a repeat of a
 * reply or of an unacknowledged event is passed on once only.
 */
#include "bus_master.h"

#include <stdio.h>
#include <string.h>

void bm_config_default(bm_config *c)
{
    c->reply_timeout_ms = 80;
    c->turnaround_ms = 2;
    c->cycle_ms = 100;
    c->retries = 2;
    c->offline_after = 3;
    c->offline_poll_every = 5;
}

const char *bm_strerror(int code)
{
    switch (code) {
    case 0: return "ok";
    case BM_E_CONFIG: return "bus settings out of range";
    case BM_E_ADDR: return "address out of range 1..247";
    case BM_E_DUP: return "address configured twice";
    case BM_E_FULL: return "too many devices on one bus";
    case BM_E_NO_DEVICE: return "no device configured at that address";
    case BM_E_TEXT: return "text too long or not printable ASCII";
    case BM_E_VALUE: return "value out of range";
    case BM_E_TYPE: return "not supported by that kind of device";
    default: return "unknown error";
    }
}

int bm_init(bus_master *m, const bm_config *cfg)
{
    memset(m, 0, sizeof *m);
    if (cfg->reply_timeout_ms == 0 || cfg->reply_timeout_ms > 10000 || cfg->cycle_ms > 60000 ||
        cfg->turnaround_ms > 1000 || cfg->retries > 10 || cfg->offline_after == 0 ||
        cfg->offline_poll_every == 0)
        return BM_E_CONFIG;
    m->cfg = *cfg;
    bus_decoder_init(&m->dec);
    return 0;
}

static bm_device *find(bus_master *m, uint8_t addr)
{
    for (int i = 0; i < m->ndev; i++)
        if (m->dev[i].addr == addr)
            return &m->dev[i];
    return NULL;
}

const bm_device *bm_device_of(const bus_master *m, uint8_t addr)
{
    return find((bus_master *)m, addr);
}

int bm_add_device(bus_master *m, uint8_t addr, uint8_t type)
{
    if (addr < BUS_ADDR_MIN || addr > BUS_ADDR_MAX)
        return BM_E_ADDR;
    if (type != BUS_DEV_KEYPAD && type != BUS_DEV_RATING_PAD)
        return BM_E_VALUE;
    if (find(m, addr))
        return BM_E_DUP;
    if (m->ndev == BM_MAX_DEVICES)
        return BM_E_FULL;
    m->dev[m->ndev++] = (bm_device){.addr = addr, .type = type};
    return 0;
}

/* ---- events out ---- */

static int emit(bus_master *m, const bm_event *ev)
{
    if (m->out_count == BM_EVENTS_MAX)
        return -1;
    m->out[(m->out_head + m->out_count) % BM_EVENTS_MAX] = *ev;
    m->out_count++;
    return 0;
}

static void notice(bus_master *m, const bm_device *d, bm_event_type type)
{
    bm_event ev = {.type = type, .addr = d->addr, .dev_type = d->type, .session = d->session};
    /* Liveness can always be read back with bm_device_of(); a notice that does
     * not fit is counted rather than allowed to hold up key presses. */
    if (emit(m, &ev) != 0)
        m->stats.lost_notices++;
}

int bm_next_event(bus_master *m, bm_event *ev)
{
    if (m->out_count == 0)
        return 0;
    *ev = m->out[m->out_head];
    m->out_head = (m->out_head + 1) % BM_EVENTS_MAX;
    m->out_count--;
    return 1;
}

/* ---- outputs wanted ---- */

static int text_ok(const char *text, size_t max)
{
    size_t n = strnlen(text, max + 1);
    return n <= max && bus_text_valid((const uint8_t *)text, n, max);
}

static void want(bm_device *d, uint8_t what)
{
    d->set |= what;
    d->dirty |= what;
}

int bm_set_display(bus_master *m, uint8_t addr, const char *text)
{
    bm_device *d = find(m, addr);
    if (!d)
        return BM_E_NO_DEVICE;
    if (!text_ok(text, BUS_TEXT_MAX))
        return BM_E_TEXT;
    if ((d->set & BM_OUT_DISPLAY) && strcmp(d->display, text) == 0)
        return 0;
    strcpy(d->display, text);
    want(d, BM_OUT_DISPLAY);
    return 0;
}

int bm_set_leds(bus_master *m, uint8_t addr, uint8_t leds)
{
    bm_device *d = find(m, addr);
    if (!d)
        return BM_E_NO_DEVICE;
    if (leds & ~BUS_LED_ALL)
        return BM_E_VALUE;
    if ((d->set & BM_OUT_LEDS) && d->leds == leds)
        return 0;
    d->leds = leds;
    want(d, BM_OUT_LEDS);
    return 0;
}

int bm_beep(bus_master *m, uint8_t addr, uint8_t count, uint8_t on_10ms)
{
    bm_device *d = find(m, addr);
    if (!d)
        return BM_E_NO_DEVICE;
    if (count < 1 || count > 5 || on_10ms < 1 || on_10ms > 100)
        return BM_E_VALUE;
    d->beep_count = count;
    d->beep_10ms = on_10ms;
    want(d, BM_OUT_BEEP);
    return 0;
}

int bm_set_ticket(bus_master *m, uint8_t addr, const char *ticket)
{
    bm_device *d = find(m, addr);
    if (!d)
        return BM_E_NO_DEVICE;
    if (d->type != BUS_DEV_RATING_PAD)
        return BM_E_TYPE;
    if (!text_ok(ticket, BUS_TICKET_MAX))
        return BM_E_TEXT;
    if ((d->set & BM_OUT_TICKET) && strcmp(d->ticket, ticket) == 0)
        return 0;
    strcpy(d->ticket, ticket);
    want(d, BM_OUT_TICKET);
    return 0;
}

/* A device that (re)appears may have lost everything it was showing. */
static void resend_outputs(bm_device *d)
{
    d->dirty |= d->set & (BM_OUT_DISPLAY | BM_OUT_LEDS | BM_OUT_TICKET);
}

/* ---- building requests ---- */

static uint8_t next_request(const bus_master *m, const bm_device *d)
{
    if (d->live == BM_OFFLINE) {
        /* Probing dead addresses costs a full timeout each: do it rarely. */
        int due = (m->cycle + (uint32_t)(d - m->dev)) % m->cfg.offline_poll_every == 0;
        return !d->polled && due ? BUS_CMD_POLL : 0;
    }
    if (d->live == BM_UNKNOWN)
        return d->polled ? 0 : BUS_CMD_POLL;
    if (d->ack_pending)
        return BUS_CMD_ACK;
    if (d->dirty & BM_OUT_DISPLAY)
        return BUS_CMD_DISPLAY;
    if (d->dirty & BM_OUT_LEDS)
        return BUS_CMD_LEDS;
    if (d->dirty & BM_OUT_BEEP)
        return BUS_CMD_BEEP;
    if (d->dirty & BM_OUT_TICKET)
        return BUS_CMD_TICKET;
    return d->polled ? 0 : BUS_CMD_POLL;
}

static uint8_t out_bit(uint8_t cmd)
{
    switch (cmd) {
    case BUS_CMD_DISPLAY: return BM_OUT_DISPLAY;
    case BUS_CMD_LEDS: return BM_OUT_LEDS;
    case BUS_CMD_BEEP: return BM_OUT_BEEP;
    case BUS_CMD_TICKET: return BM_OUT_TICKET;
    default: return 0;
    }
}

static void fill_payload(bus_master *m, bm_device *d, bus_frame *f)
{
    switch (f->cmd) {
    case BUS_CMD_ACK:
        m->req_ack_seq = d->ack_seq;
        f->len = (uint8_t)bus_ack_encode(d->session, d->ack_seq, f->payload);
        break;
    case BUS_CMD_DISPLAY:
        f->len = (uint8_t)strlen(d->display);
        memcpy(f->payload, d->display, f->len);
        break;
    case BUS_CMD_LEDS:
        f->len = 1;
        f->payload[0] = d->leds;
        break;
    case BUS_CMD_BEEP:
        f->len = 2;
        f->payload[0] = d->beep_count;
        f->payload[1] = d->beep_10ms;
        break;
    case BUS_CMD_TICKET:
        f->len = (uint8_t)strlen(d->ticket);
        memcpy(f->payload, d->ticket, f->len);
        break;
    default:
        f->len = 0;
    }
}

static size_t send_request(bus_master *m, int64_t now, uint8_t cmd, uint8_t *out, size_t cap)
{
    bm_device *d = &m->dev[m->cur];
    bus_frame f = {.addr = d->addr, .seq = ++d->seq, .cmd = cmd};
    fill_payload(m, d, &f);
    if (cmd == BUS_CMD_POLL)
        d->polled = 1;
    /* Cleared when sent and set again if delivery fails, so a value changed
     * while this request is out is sent again rather than lost. */
    d->dirty &= (uint8_t)~out_bit(cmd);
    m->wire_len = bus_frame_encode(&f, m->wire, sizeof m->wire);
    m->req_cmd = cmd;
    m->req_seq = f.seq;
    m->attempt = 0;
    m->waiting = 1;
    m->sent_at = now;
    m->stats.requests++;
    if (cap < m->wire_len)
        return 0;
    memcpy(out, m->wire, m->wire_len);
    return m->wire_len;
}

/* ---- turns and cycles ---- */

static void start_cycle(bus_master *m, int64_t now)
{
    m->in_cycle = 1;
    m->cycle++;
    m->cycle_start = now;
    m->cur = 0;
    for (int i = 0; i < m->ndev; i++)
        m->dev[i].polled = 0;
}

static void end_turn(bus_master *m)
{
    if (++m->cur >= m->ndev) {
        m->cur = 0;
        m->in_cycle = 0;
    }
}

static void exchange_done(bus_master *m, int64_t now)
{
    m->waiting = 0;
    m->ready_at = now + m->cfg.turnaround_ms;
}

static void exchange_failed(bus_master *m, int64_t now)
{
    bm_device *d = &m->dev[m->cur];
    m->stats.failed_exchanges++;
    d->failures++;
    d->dirty |= out_bit(m->req_cmd);
    if (d->misses < 255)
        d->misses++;
    if (d->misses >= m->cfg.offline_after && d->live != BM_OFFLINE) {
        d->live = BM_OFFLINE;
        d->dirty &= (uint8_t)~BM_OUT_BEEP;   /* a beep minutes late means nothing */
        d->ack_pending = 0;
        notice(m, d, BM_EV_OFFLINE);
    }
    exchange_done(m, now);
    end_turn(m);
}

static void exchange_ok(bus_master *m, bm_device *d, int64_t now)
{
    m->stats.replies++;
    d->exchanges++;
    d->misses = 0;
    if (d->live != BM_ONLINE) {
        d->live = BM_ONLINE;
        resend_outputs(d);
        notice(m, d, BM_EV_ONLINE);
    }
    exchange_done(m, now);
}

size_t bm_step(bus_master *m, int64_t now, uint8_t *out, size_t cap)
{
    if (m->ndev == 0)
        return 0;
    if (m->waiting) {
        if (now - m->sent_at < (int64_t)m->cfg.reply_timeout_ms)
            return 0;
        m->stats.timeouts++;
        /* A retry keeps its seq, so a device that did act on the first copy
         * and only lost its reply recognises the repeat. */
        if (m->dev[m->cur].live != BM_OFFLINE && m->attempt < m->cfg.retries && cap >= m->wire_len) {
            m->attempt++;
            m->stats.retries++;
            m->sent_at = now;
            memcpy(out, m->wire, m->wire_len);
            return m->wire_len;
        }
        exchange_failed(m, now);
    }
    if (now < m->ready_at)
        return 0;
    for (int guard = 0; guard <= m->ndev; guard++) {
        if (!m->in_cycle) {
            if (m->cycle > 0 && now - m->cycle_start < (int64_t)m->cfg.cycle_ms)
                return 0;
            start_cycle(m, now);
        }
        uint8_t cmd = next_request(m, &m->dev[m->cur]);
        if (cmd)
            return send_request(m, now, cmd, out, cap);
        end_turn(m);
    }
    return 0;
}

int64_t bm_wait_ms(const bus_master *m, int64_t now)
{
    int64_t at;
    if (m->ndev == 0)
        return 1000;
    if (m->waiting)
        at = m->sent_at + m->cfg.reply_timeout_ms;
    else if (!m->in_cycle && m->cycle > 0)
        at = m->cycle_start + m->cfg.cycle_ms;
    else
        at = m->ready_at;
    if (!m->waiting && m->ready_at > at)
        at = m->ready_at;
    return at > now ? at - now : 0;
}

/* ---- replies ---- */

static void take_events(bus_master *m, bm_device *d, const bus_poll_reply *r)
{
    int seen = 0;
    for (int i = 0; i < r->count; i++) {
        const bus_event *e = &r->ev[i];
        if (d->have_last && !bus_seq_after(e->seq, d->last_seq)) {
            m->stats.duplicate_events++;
            seen = 1;
            continue;
        }
        bm_event ev = {.type = BM_EV_INPUT, .addr = d->addr, .dev_type = d->type,
                       .session = d->session, .ev = *e};
        /* No room: stop here and do not ack, so the device keeps it for later. */
        if (emit(m, &ev) != 0)
            break;
        m->stats.events++;
        d->last_seq = e->seq;
        d->have_last = 1;
        seen = 1;
    }
    if (seen && d->have_last) {
        d->ack_pending = 1;
        d->ack_seq = d->last_seq;
    }
}

/* 0 when taken, -1 when the payload is not what this request expects. */
static int on_poll_reply(bus_master *m, bm_device *d, const bus_frame *f, int64_t now)
{
    bus_poll_reply r;
    if (bus_poll_reply_decode(f->payload, f->len, &r) != 0) {
        m->stats.malformed++;
        return -1;
    }
    if (r.type != d->type) {
        m->stats.mismatched++;
        return -1;
    }
    int rebooted = d->known && d->session != r.session;
    if (!d->known || rebooted) {
        d->known = 1;
        d->session = r.session;
        d->have_last = 0;
        d->ack_pending = 0;
        resend_outputs(d);
    }
    exchange_ok(m, d, now);
    if (rebooted)
        notice(m, d, BM_EV_REBOOTED);
    take_events(m, d, &r);
    return 0;
}

static void on_reply(bus_master *m, const bus_frame *f, int64_t now)
{
    bm_device *d = &m->dev[m->cur];
    if (!m->waiting || f->addr != d->addr || f->seq != m->req_seq) {
        m->stats.stray++;
        return;
    }
    if (f->cmd == BUS_CMD_NAK) {
        if (f->len != 2 || f->payload[0] != m->req_cmd) {
            m->stats.malformed++;
            return;
        }
        /* The device is alive but will never take this value: drop it rather
         * than send it forever. */
        m->stats.naks++;
        if (m->req_cmd == BUS_CMD_ACK)
            d->ack_pending = 0;
        exchange_ok(m, d, now);
        return;
    }
    if (f->cmd != (m->req_cmd | BUS_REPLY_BIT)) {
        m->stats.stray++;
        return;
    }
    if (m->req_cmd == BUS_CMD_POLL) {
        on_poll_reply(m, d, f, now);
        return;
    }
    if (f->len != 0) {
        m->stats.malformed++;
        return;
    }
    if (m->req_cmd == BUS_CMD_ACK && d->ack_seq == m->req_ack_seq)
        d->ack_pending = 0;
    exchange_ok(m, d, now);
}

void bm_rx(bus_master *m, int64_t now, const uint8_t *bytes, size_t n)
{
    bus_frame f;
    for (size_t i = 0; i < n; i++) {
        if (!bus_decoder_feed(&m->dec, bytes[i], &f))
            continue;
        if (!(f.cmd & BUS_REPLY_BIT)) {
            m->stats.echoes++;   /* our own request, heard back on a 2-wire bus */
            continue;
        }
        if (m->ndev > 0)
            on_reply(m, &f, now);
        else
            m->stats.stray++;
    }
}

const char *bm_liveness_name(bm_liveness l)
{
    switch (l) {
    case BM_ONLINE: return "online";
    case BM_OFFLINE: return "offline";
    default: return "unknown";
    }
}

int bm_event_id(const bm_event *ev, const char *bridge_id, char *buf, size_t len)
{
    int n = snprintf(buf, len, "%s-%u-%u-%u", bridge_id, (unsigned)ev->addr,
                     (unsigned)ev->session, (unsigned)ev->ev.seq);
    return n < 0 || (size_t)n >= len ? -1 : 0;
}
