/* SPDX-License-Identifier: MIT */
/*
 * bus_frame — see bus_frame.h. The decoder is a three-state machine:
 * HUNT (between frames, waiting for 7E), BODY (collecting unstuffed bytes) and
 * ESC (the previous byte was 7D). The length byte tells when a frame is
 * complete, so no closing flag and no timer is needed; the stuffing makes the
 * start of the next frame unmistakable, so a truncated frame costs only itself.
 */
#include "bus_frame.h"

enum { ST_HUNT, ST_BODY, ST_ESC };

uint16_t bus_crc16(const uint8_t *data, size_t len)
{
    uint16_t crc = 0xFFFF;
    for (size_t i = 0; i < len; i++) {
        crc ^= data[i];
        for (int b = 0; b < 8; b++)
            crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA001) : (uint16_t)(crc >> 1);
    }
    return crc;
}

static size_t put_stuffed(uint8_t *out, size_t at, uint8_t byte)
{
    if (byte == BUS_FLAG || byte == BUS_ESC) {
        out[at++] = BUS_ESC;
        out[at++] = (uint8_t)(byte ^ BUS_ESC_XOR);
    } else {
        out[at++] = byte;
    }
    return at;
}

size_t bus_frame_encode(const bus_frame *f, uint8_t *out, size_t cap)
{
    if (f->len > BUS_PAYLOAD_MAX || cap < BUS_WIRE_MAX)
        return 0;
    uint8_t raw[BUS_RAW_MAX];
    size_t n = 0;
    raw[n++] = f->addr;
    raw[n++] = f->seq;
    raw[n++] = f->cmd;
    raw[n++] = f->len;
    for (size_t i = 0; i < f->len; i++)
        raw[n++] = f->payload[i];
    uint16_t crc = bus_crc16(raw, n);
    raw[n++] = (uint8_t)(crc & 0xFF);
    raw[n++] = (uint8_t)(crc >> 8);

    size_t at = 0;
    out[at++] = BUS_FLAG;
    for (size_t i = 0; i < n; i++)
        at = put_stuffed(out, at, raw[i]);
    return at;
}

void bus_decoder_init(bus_decoder *d)
{
    *d = (bus_decoder){.state = ST_HUNT};
}

uint32_t bus_decoder_dropped(const bus_decoder *d)
{
    const bus_decoder_stats *s = &d->stats;
    return s->truncated + s->bad_escape + s->oversize + s->crc_errors;
}

/* A frame is complete once the header and len+CRC bytes are in. */
static int finish_frame(bus_decoder *d, bus_frame *out)
{
    size_t body = (size_t)d->n - BUS_CRC_LEN;
    uint16_t want = (uint16_t)(d->raw[body] | (d->raw[body + 1] << 8));
    d->state = ST_HUNT;
    if (bus_crc16(d->raw, body) != want) {
        d->stats.crc_errors++;
        return 0;
    }
    out->addr = d->raw[0];
    out->seq = d->raw[1];
    out->cmd = d->raw[2];
    out->len = d->raw[3];
    for (size_t i = 0; i < out->len; i++)
        out->payload[i] = d->raw[BUS_HEADER_LEN + i];
    d->stats.frames++;
    return 1;
}

static int store(bus_decoder *d, uint8_t byte, bus_frame *out)
{
    d->raw[d->n++] = byte;
    if (d->n == BUS_HEADER_LEN && d->raw[3] > BUS_PAYLOAD_MAX) {
        d->stats.oversize++;
        d->state = ST_HUNT;
        return 0;
    }
    if (d->n >= BUS_HEADER_LEN && d->n == BUS_HEADER_LEN + d->raw[3] + BUS_CRC_LEN)
        return finish_frame(d, out);
    return 0;
}

int bus_decoder_feed(bus_decoder *d, uint8_t byte, bus_frame *out)
{
    if (byte == BUS_FLAG) {
        /* A flag inside a frame means the sender stopped mid-frame (or noise
         * cut it): the unfinished frame is lost, the new one starts here. */
        if (d->state != ST_HUNT)
            d->stats.truncated++;
        d->state = ST_BODY;
        d->n = 0;
        return 0;
    }
    switch (d->state) {
    case ST_HUNT:
        d->stats.noise_bytes++;
        return 0;
    case ST_ESC:
        if (byte != (BUS_FLAG ^ BUS_ESC_XOR) && byte != (BUS_ESC ^ BUS_ESC_XOR)) {
            d->stats.bad_escape++;
            d->state = ST_HUNT;
            return 0;
        }
        d->state = ST_BODY;
        return store(d, (uint8_t)(byte ^ BUS_ESC_XOR), out);
    default:
        if (byte == BUS_ESC) {
            d->state = ST_ESC;
            return 0;
        }
        return store(d, byte, out);
    }
}
