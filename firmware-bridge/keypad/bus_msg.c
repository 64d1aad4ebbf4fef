/* SPDX-License-Identifier: MIT */
/*
 * bus_msg — see bus_msg.h. Multi-byte fields are big-endian (unlike the CRC,
 * which follows MODBUS and goes low byte first).
 */
#include "bus_msg.h"

static const char *const key_names[BUS_KEY_MAX + 1] = {
    NULL, "call", "recall", "skip", "pause", "resume", "finish",
};

static int all_digits(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    return 1;
}

int bus_text_valid(const uint8_t *text, size_t len, size_t max)
{
    if (len > max)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] < 0x20 || text[i] > 0x7E)
            return 0;
    return 1;
}

size_t bus_login_split(const bus_event *e, const uint8_t **pin, size_t *pin_len)
{
    size_t n = 0;
    while (n < e->len && e->data[n] != BUS_PIN_SEP)
        n++;
    *pin = n < e->len ? e->data + n + 1 : e->data + e->len;
    *pin_len = n < e->len ? (size_t)e->len - n - 1 : 0;
    return n;
}

/* Staff number, then (new firmware) the separator and a PIN. */
static int login_valid(const bus_event *e)
{
    const uint8_t *pin;
    size_t pin_len, staff = bus_login_split(e, &pin, &pin_len);
    if (staff < 1 || staff > BUS_STAFF_MAX || !all_digits(e->data, staff))
        return 0;
    if (staff == e->len)
        return 1;
    return pin_len >= 1 && pin_len <= BUS_PIN_MAX && all_digits(pin, pin_len);
}

int bus_event_valid(const bus_event *e)
{
    switch (e->kind) {
    case BUS_EV_KEY:
        return e->len == 1 && e->data[0] >= 1 && e->data[0] <= BUS_KEY_MAX;
    case BUS_EV_LOGIN:
        return login_valid(e);
    case BUS_EV_LOGOUT:
    case BUS_EV_INVITE:
        return e->len == 0;
    case BUS_EV_TRANSFER:
        return e->len >= 1 && e->len <= BUS_TRANSFER_MAX && all_digits(e->data, e->len);
    case BUS_EV_RATE:
        return e->len >= 1 && e->len <= 1 + BUS_TICKET_MAX && e->data[0] >= 1 && e->data[0] <= 5 &&
               bus_text_valid(e->data + 1, (size_t)e->len - 1, BUS_TICKET_MAX);
    default:
        return 0;
    }
}

size_t bus_event_wire_len(const bus_event *e)
{
    return 4 + (size_t)e->len;
}

size_t bus_poll_reply_encode(const bus_poll_reply *r, uint8_t *payload)
{
    size_t n = 0;
    payload[n++] = r->type;
    payload[n++] = (uint8_t)(r->session >> 8);
    payload[n++] = (uint8_t)r->session;
    payload[n++] = r->flags;
    payload[n++] = r->count;
    for (int i = 0; i < r->count; i++) {
        const bus_event *e = &r->ev[i];
        payload[n++] = (uint8_t)(e->seq >> 8);
        payload[n++] = (uint8_t)e->seq;
        payload[n++] = e->kind;
        payload[n++] = e->len;
        for (int k = 0; k < e->len; k++)
            payload[n++] = e->data[k];
    }
    return n;
}

static int decode_event(const uint8_t *p, size_t left, bus_event *e, size_t *used)
{
    if (left < 4)
        return -1;
    e->seq = (uint16_t)((p[0] << 8) | p[1]);
    e->kind = p[2];
    e->len = p[3];
    if (e->len > BUS_EVENT_DATA_MAX || left - 4 < e->len)
        return -1;
    for (int k = 0; k < e->len; k++)
        e->data[k] = p[4 + k];
    *used = 4 + (size_t)e->len;
    return bus_event_valid(e) ? 0 : -1;
}

int bus_poll_reply_decode(const uint8_t *payload, size_t len, bus_poll_reply *r)
{
    if (len < BUS_REPLY_HEAD)
        return -1;
    r->type = payload[0];
    r->session = (uint16_t)((payload[1] << 8) | payload[2]);
    r->flags = payload[3];
    r->count = payload[4];
    if ((r->type != BUS_DEV_KEYPAD && r->type != BUS_DEV_RATING_PAD) ||
        r->count > BUS_REPLY_EVENTS_MAX || (r->flags & ~(BUS_FLAG_REFUSED | BUS_FLAG_ENTRY)))
        return -1;
    size_t at = BUS_REPLY_HEAD;
    for (int i = 0; i < r->count; i++) {
        size_t used;
        if (decode_event(payload + at, len - at, &r->ev[i], &used) != 0)
            return -1;
        /* Events of one reply are consecutive: anything else is corruption. */
        if (i > 0 && r->ev[i].seq != (uint16_t)(r->ev[i - 1].seq + 1))
            return -1;
        at += used;
    }
    return at == len ? 0 : -1;
}

size_t bus_ack_encode(uint16_t session, uint16_t seq, uint8_t *payload)
{
    payload[0] = (uint8_t)(session >> 8);
    payload[1] = (uint8_t)session;
    payload[2] = (uint8_t)(seq >> 8);
    payload[3] = (uint8_t)seq;
    return 4;
}

int bus_ack_decode(const uint8_t *payload, size_t len, uint16_t *session, uint16_t *seq)
{
    if (len != 4)
        return -1;
    *session = (uint16_t)((payload[0] << 8) | payload[1]);
    *seq = (uint16_t)((payload[2] << 8) | payload[3]);
    return 0;
}

int bus_seq_after(uint16_t a, uint16_t b)
{
    uint16_t d = (uint16_t)(a - b);
    return d != 0 && d < 0x8000;
}

const char *bus_key_name(uint8_t key)
{
    return key >= 1 && key <= BUS_KEY_MAX ? key_names[key] : NULL;
}

uint8_t bus_key_parse(const char *name)
{
    for (uint8_t k = 1; k <= BUS_KEY_MAX; k++) {
        const char *a = key_names[k], *b = name;
        while (*a && *a == *b)
            a++, b++;
        if (*a == 0 && *b == 0)
            return k;
    }
    return 0;
}

const char *bus_event_kind_name(uint8_t kind)
{
    switch (kind) {
    case BUS_EV_KEY: return "key";
    case BUS_EV_LOGIN: return "login";
    case BUS_EV_LOGOUT: return "logout";
    case BUS_EV_TRANSFER: return "transfer";
    case BUS_EV_RATE: return "rate";
    case BUS_EV_INVITE: return "invite-rating";
    default: return NULL;
    }
}
