/* SPDX-License-Identifier: MIT */
/*
 * bus_slave — see bus_slave.h. Every request is answered with a reply or a
 * NAK carrying the same address and seq, so the master can match it; a request
 * that fails validation changes nothing on the device.
 */
#include "bus_slave.h"

#include <string.h>

void bus_slave_init(bus_slave *s, uint8_t addr, uint8_t type, uint16_t session)
{
    memset(s, 0, sizeof *s);
    s->addr = addr;
    s->type = type;
    s->session = session;
    s->next_seq = 1;
    bus_decoder_init(&s->dec);
}

uint16_t bus_slave_queue(bus_slave *s, uint8_t kind, const uint8_t *data, uint8_t len)
{
    bus_event e = {.kind = kind, .len = len};
    if (len > BUS_EVENT_DATA_MAX || s->qcount == BUS_QUEUE_LEN) {
        s->flags |= BUS_FLAG_REFUSED;
        return 0;
    }
    if (len)
        memcpy(e.data, data, len);
    if (!bus_event_valid(&e)) {
        s->flags |= BUS_FLAG_REFUSED;
        return 0;
    }
    e.seq = s->next_seq++;
    if (s->next_seq == 0)
        s->next_seq = 1;
    s->queue[(s->qhead + s->qcount) % BUS_QUEUE_LEN] = e;
    s->qcount++;
    return e.seq;
}

int bus_slave_take_beep(bus_slave *s, uint8_t *count, uint8_t *on_10ms)
{
    if (s->beep_count == 0)
        return 0;
    *count = s->beep_count;
    *on_10ms = s->beep_10ms;
    s->beep_count = 0;
    return 1;
}

/* Poll reply: as many queued events, oldest first, as fit in one frame. */
static uint8_t on_poll(bus_slave *s, bus_frame *r)
{
    bus_poll_reply pr = {.type = s->type, .session = s->session, .flags = s->flags};
    size_t used = BUS_REPLY_HEAD;
    for (int i = 0; i < s->qcount && pr.count < BUS_REPLY_EVENTS_MAX; i++) {
        const bus_event *e = &s->queue[(s->qhead + i) % BUS_QUEUE_LEN];
        if (used + bus_event_wire_len(e) > BUS_PAYLOAD_MAX)
            break;
        pr.ev[pr.count++] = *e;
        used += bus_event_wire_len(e);
    }
    s->flags &= (uint8_t)~BUS_FLAG_REFUSED;
    r->len = (uint8_t)bus_poll_reply_encode(&pr, r->payload);
    return 0;
}

static uint8_t on_ack(bus_slave *s, const bus_frame *q)
{
    uint16_t session, seq;
    if (bus_ack_decode(q->payload, q->len, &session, &seq) != 0)
        return BUS_NAK_LENGTH;
    /* An ack for another session is a leftover from before a reboot: it must
     * not drop events it never saw. */
    if (session != s->session)
        return 0;
    while (s->qcount > 0 && !bus_seq_after(s->queue[s->qhead].seq, seq)) {
        s->qhead = (uint8_t)((s->qhead + 1) % BUS_QUEUE_LEN);
        s->qcount--;
    }
    return 0;
}

static uint8_t set_text(char *dst, size_t max, const bus_frame *q)
{
    if (!bus_text_valid(q->payload, q->len, max))
        return q->len > max ? BUS_NAK_LENGTH : BUS_NAK_VALUE;
    memcpy(dst, q->payload, q->len);
    dst[q->len] = 0;
    return 0;
}

static uint8_t on_beep(bus_slave *s, const bus_frame *q, int repeat)
{
    if (q->len != 2)
        return BUS_NAK_LENGTH;
    if (q->payload[0] < 1 || q->payload[0] > 5 || q->payload[1] < 1 || q->payload[1] > 100)
        return BUS_NAK_VALUE;
    /* A retry of a beep already sounded must not sound it twice. */
    if (!repeat) {
        s->beep_count = q->payload[0];
        s->beep_10ms = q->payload[1];
    }
    return 0;
}

/* Acts on a request; returns 0 or a BUS_NAK_* code. r->len is set by POLL. */
static uint8_t dispatch(bus_slave *s, const bus_frame *q, bus_frame *r, int repeat)
{
    switch (q->cmd) {
    case BUS_CMD_POLL:
        return q->len != 0 ? BUS_NAK_LENGTH : on_poll(s, r);
    case BUS_CMD_ACK:
        return on_ack(s, q);
    case BUS_CMD_DISPLAY:
        return set_text(s->display, BUS_TEXT_MAX, q);
    case BUS_CMD_LEDS:
        if (q->len != 1)
            return BUS_NAK_LENGTH;
        if (q->payload[0] & ~BUS_LED_ALL)
            return BUS_NAK_VALUE;
        s->leds = q->payload[0];
        return 0;
    case BUS_CMD_BEEP:
        return on_beep(s, q, repeat);
    case BUS_CMD_TICKET:
        if (s->type != BUS_DEV_RATING_PAD)
            return BUS_NAK_UNSUPPORTED;
        return set_text(s->ticket, BUS_TICKET_MAX, q);
    default:
        return BUS_NAK_UNSUPPORTED;
    }
}

static size_t handle(bus_slave *s, const bus_frame *q, uint8_t *reply, size_t cap)
{
    bus_frame r = {.addr = s->addr, .seq = q->seq, .cmd = (uint8_t)(q->cmd | BUS_REPLY_BIT)};
    int repeat = s->have_last && s->last_seq == q->seq && s->last_cmd == q->cmd;
    s->requests++;
    s->repeats += (uint32_t)repeat;
    uint8_t nak = dispatch(s, q, &r, repeat);
    if (nak) {
        s->refused_requests++;
        r.cmd = BUS_CMD_NAK;
        r.len = 2;
        r.payload[0] = q->cmd;
        r.payload[1] = nak;
    }
    s->have_last = 1;
    s->last_seq = q->seq;
    s->last_cmd = q->cmd;
    return bus_frame_encode(&r, reply, cap);
}

size_t bus_slave_feed(bus_slave *s, uint8_t byte, uint8_t *reply, size_t cap)
{
    bus_frame q;
    if (!bus_decoder_feed(&s->dec, byte, &q))
        return 0;
    if (q.addr != s->addr || (q.cmd & BUS_REPLY_BIT))
        return 0;
    return handle(s, &q, reply, cap);
}
