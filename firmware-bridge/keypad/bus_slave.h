/* SPDX-License-Identifier: MIT */
/*
 * bus_slave — the bus end of one keypad or rating pad: what it answers.
 *
 * Owns: the device's address, type and session number, its queue of events
 * waiting to be acknowledged (with the per-session event seq), and the outputs
 * the master sets (display text, LED bits, ticket to rate, beep requests).
 * keypad and rating_pad each embed one and decide what goes into the queue;
 * this module decides what goes onto the wire.
 *
 * An event leaves the queue only when the master acknowledges its seq, so a
 * lost reply means the event is sent again, never lost; the master removes
 * the repeat by (address, session, seq). The session is chosen by the device
 * at boot (an MCU increments a counter in EEPROM) so seqs of a rebooted device
 * never collide with the ones it used before.
 *
 * Portable C (MCU and host): no OS calls, no malloc.
 */
#ifndef JH_BUS_SLAVE_H
#define JH_BUS_SLAVE_H

#include <stddef.h>
#include <stdint.h>

#include "bus_frame.h"
#include "bus_msg.h"

#define BUS_QUEUE_LEN 8

typedef struct {
    uint8_t addr;
    uint8_t type;          /* BUS_DEV_* */
    uint16_t session;

    bus_event queue[BUS_QUEUE_LEN];
    uint8_t qhead, qcount;
    uint16_t next_seq;
    uint8_t flags;         /* BUS_FLAG_* reported with the next poll reply */

    /* The last request handled, to tell a master's retry from a new request. */
    uint8_t have_last, last_seq, last_cmd;

    char display[BUS_TEXT_MAX + 1];
    uint8_t leds;
    char ticket[BUS_TICKET_MAX + 1];
    uint8_t beep_count, beep_10ms; /* a beep asked for and not yet taken */

    bus_decoder dec;
    uint32_t requests, repeats, refused_requests;
} bus_slave;

void bus_slave_init(bus_slave *s, uint8_t addr, uint8_t type, uint16_t session);

/*
 * Queues an event (seq assigned here). Returns the seq, or 0 when the queue
 * is full or the event is malformed; then nothing is queued and the next
 * poll reply carries BUS_FLAG_REFUSED.
 */
uint16_t bus_slave_queue(bus_slave *s, uint8_t kind, const uint8_t *data, uint8_t len);

/*
 * Feeds one byte heard on the bus. When it completes a request for this
 * address, acts on it and writes the reply's wire bytes into `reply` (cap >=
 * BUS_WIRE_MAX); returns their count, else 0. Frames for other addresses and
 * other slaves' replies are ignored.
 */
size_t bus_slave_feed(bus_slave *s, uint8_t byte, uint8_t *reply, size_t cap);

/* Takes a pending beep request: 1 and its count / on-time, or 0. */
int bus_slave_take_beep(bus_slave *s, uint8_t *count, uint8_t *on_10ms);

#endif
