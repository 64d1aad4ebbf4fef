/* SPDX-License-Identifier: MIT */
/*
 * bus_frame — the byte layer of the wired keypad bus (docs/keypad-bus.md).
 *
 * Owns: the CRC (CRC-16/MODBUS), turning one frame into wire bytes with byte
 * stuffing, and an incremental decoder that takes the wire one byte at a time
 * and hands back only frames whose length and CRC check out, with counters of
 * what it threw away. It knows nothing of what a frame means: bus_msg gives
 * the payloads their meaning, bus_slave and bus_master act on them.
 *
 * Portable C for a small MCU as well as the host: no OS calls, no malloc,
 * fixed buffers, one decoder is a few dozen bytes.
 *
 * Wire format:  7E | stuffed( addr seq cmd len payload[len] crc_lo crc_hi )
 * Inside the stuffed part 7E and 7D never appear: each is sent as 7D, byte^20.
 * So an unescaped 7E always starts a frame, and the decoder resynchronises on
 * it no matter what garbage came before.
 */
#ifndef JH_BUS_FRAME_H
#define JH_BUS_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define BUS_FLAG 0x7E
#define BUS_ESC 0x7D
#define BUS_ESC_XOR 0x20

#define BUS_HEADER_LEN 4            /* addr, seq, cmd, len */
#define BUS_CRC_LEN 2
#define BUS_PAYLOAD_MAX 64
#define BUS_RAW_MAX (BUS_HEADER_LEN + BUS_PAYLOAD_MAX + BUS_CRC_LEN)
#define BUS_WIRE_MAX (1 + 2 * BUS_RAW_MAX) /* flag + every byte escaped */

#define BUS_REPLY_BIT 0x80          /* set in cmd of every slave → master frame */
#define BUS_ADDR_MIN 1
#define BUS_ADDR_MAX 247            /* 0 and 248..255 are reserved */

typedef struct {
    uint8_t addr;
    uint8_t seq;
    uint8_t cmd;
    uint8_t len;
    uint8_t payload[BUS_PAYLOAD_MAX];
} bus_frame;

/* CRC-16/MODBUS: poly 0x8005 reflected (0xA001), init 0xFFFF, no final xor.
 * "123456789" → 0x4B37. Sent low byte first. */
uint16_t bus_crc16(const uint8_t *data, size_t len);

/*
 * Writes the wire bytes of `f` into out. Returns their count, or 0 when
 * f->len > BUS_PAYLOAD_MAX or `cap` is too small (BUS_WIRE_MAX always fits).
 */
size_t bus_frame_encode(const bus_frame *f, uint8_t *out, size_t cap);

/* What the decoder threw away; every dropped candidate frame is in exactly one
 * of truncated / bad_escape / oversize / crc_errors. */
typedef struct {
    uint32_t frames;       /* good frames handed out */
    uint32_t noise_bytes;  /* bytes seen outside any frame */
    uint32_t truncated;    /* a new 7E arrived before the frame was complete */
    uint32_t bad_escape;   /* 7D followed by something other than 5E / 5D */
    uint32_t oversize;     /* len byte above BUS_PAYLOAD_MAX */
    uint32_t crc_errors;
} bus_decoder_stats;

typedef struct {
    uint8_t raw[BUS_RAW_MAX];
    uint8_t n;
    uint8_t state;
    bus_decoder_stats stats;
} bus_decoder;

void bus_decoder_init(bus_decoder *d);

/*
 * Feeds one byte. Returns 1 and fills *out when that byte completed a good
 * frame, else 0. Never fails: anything malformed is counted and dropped, and
 * decoding resumes at the next 7E.
 */
int bus_decoder_feed(bus_decoder *d, uint8_t byte, bus_frame *out);

/* Frames dropped so far, whatever the reason. */
uint32_t bus_decoder_dropped(const bus_decoder *d);

#endif
