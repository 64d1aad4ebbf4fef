/* SPDX-License-Identifier: MIT */
/*
 * bus_master — the bridge's end of the keypad bus: whose turn it is, what to
 * send, what the answers mean.
 *
 * Owns: the list of configured addresses and, per address, its liveness
 * (unknown → online / offline), the request seq, the outputs wanted on the
 * device (display, LEDs, beep, ticket to rate) and whether they have been
 * delivered, and the (session, event seq) of the last event taken from it, so
 * a repeated frame or a re-sent event is passed on once only. It also owns the
 * byte decoder for the bus.
 *
 * It does no I/O and reads no clock: the caller passes `now` in milliseconds,
 * writes what bm_step() returns to the serial port, feeds what it reads to
 * bm_rx(), and takes key presses and liveness changes from bm_next_event().
 * So the same code runs against a pty in tests, a real RS-485 adapter in the
 * bridge, and the fuzzer's bytes.
 *
 * One exchange at a time (half duplex): a request, then its reply or a
 * timeout. A device's turn is: pending ack, changed outputs, then one poll
 * (and the ack of what the poll returned); then the next address. A full
 * round over all addresses is a cycle, started at most every cycle_ms.
 */
#ifndef JH_BUS_MASTER_H
#define JH_BUS_MASTER_H

#include <stddef.h>
#include <stdint.h>

#include "bus_frame.h"
#include "bus_msg.h"

#define BM_MAX_DEVICES 32
#define BM_EVENTS_MAX 32

typedef struct {
    uint32_t reply_timeout_ms;   /* wait this long for a reply: 80 (19200 baud) */
    uint32_t turnaround_ms;      /* quiet gap after a reply before the next request: 2 */
    uint32_t cycle_ms;           /* start a new round of polls at most this often: 100 */
    uint8_t retries;             /* extra attempts of one request (same seq): 2 */
    uint8_t offline_after;       /* consecutive failed exchanges → offline: 3 */
    uint8_t offline_poll_every;  /* probe an offline device every N cycles, once: 5 */
} bm_config;

typedef enum { BM_UNKNOWN = 0, BM_ONLINE, BM_OFFLINE } bm_liveness;

typedef enum {
    BM_EV_INPUT = 1, /* a key press, login, logout, transfer or rating (ev) */
    BM_EV_ONLINE,    /* the device answers (again) */
    BM_EV_OFFLINE,   /* offline_after exchanges in a row failed */
    BM_EV_REBOOTED   /* it answers with a new session: it restarted */
} bm_event_type;

typedef struct {
    bm_event_type type;
    uint8_t addr;
    uint8_t dev_type;   /* BUS_DEV_* */
    uint16_t session;
    bus_event ev;       /* BM_EV_INPUT only */
} bm_event;

enum { BM_OUT_DISPLAY = 1, BM_OUT_LEDS = 2, BM_OUT_BEEP = 4, BM_OUT_TICKET = 8 };

typedef struct {
    uint8_t addr, type;
    bm_liveness live;
    uint8_t misses;            /* consecutive failed exchanges */
    uint8_t seq;               /* seq of the last request sent here */
    uint8_t known, have_last;  /* session known; last_seq valid */
    uint16_t session, last_seq;
    uint8_t ack_pending;
    uint16_t ack_seq;
    uint8_t polled;            /* polled in this cycle */
    uint8_t set, dirty;        /* BM_OUT_*: ever set / not yet delivered */
    char display[BUS_TEXT_MAX + 1];
    uint8_t leds;
    uint8_t beep_count, beep_10ms;
    char ticket[BUS_TICKET_MAX + 1];
    uint32_t exchanges, failures;
} bm_device;

typedef struct {
    uint32_t requests, retries, timeouts, failed_exchanges;
    uint32_t replies, naks, stray, echoes, malformed, mismatched;
    uint32_t events, duplicate_events, lost_notices;
} bm_stats;

typedef struct {
    bm_config cfg;
    bm_device dev[BM_MAX_DEVICES];
    int ndev;
    int cur;                  /* index of the device whose turn it is */
    int in_cycle;
    uint32_t cycle;
    int64_t cycle_start, ready_at, sent_at;
    int waiting;              /* a request is out, its reply not in */
    uint8_t req_cmd, req_seq, attempt;
    uint16_t req_ack_seq;
    uint8_t wire[BUS_WIRE_MAX];
    size_t wire_len;
    bus_decoder dec;
    bm_event out[BM_EVENTS_MAX];
    int out_head, out_count;
    bm_stats stats;
} bus_master;

/* Error codes of the functions below; bm_strerror() says them in words. */
enum {
    BM_E_CONFIG = -1, BM_E_ADDR = -2, BM_E_DUP = -3, BM_E_FULL = -4,
    BM_E_NO_DEVICE = -5, BM_E_TEXT = -6, BM_E_VALUE = -7, BM_E_TYPE = -8
};
const char *bm_strerror(int code);

void bm_config_default(bm_config *c);

/* 0, or BM_E_CONFIG when a setting is out of range (zero timeouts, ...). */
int bm_init(bus_master *m, const bm_config *cfg);

/* Adds an address (1..247) of a BUS_DEV_* type. 0 or BM_E_*. */
int bm_add_device(bus_master *m, uint8_t addr, uint8_t type);

/*
 * Advances timers and returns the wire bytes to send now (0: nothing now).
 * Call it whenever bm_wait_ms() has passed or bytes arrived. out: BUS_WIRE_MAX.
 */
size_t bm_step(bus_master *m, int64_t now_ms, uint8_t *out, size_t cap);

/* Bytes read from the bus. */
void bm_rx(bus_master *m, int64_t now_ms, const uint8_t *bytes, size_t n);

/* Milliseconds until bm_step() may have something to send (0: now). */
int64_t bm_wait_ms(const bus_master *m, int64_t now_ms);

/* Takes the oldest event; 1 when there was one. */
int bm_next_event(bus_master *m, bm_event *ev);

/*
 * What a device should show. Unchanged values send nothing; changed ones go
 * out in the device's next turn, and again whenever it comes back online or
 * reboots. Return 0 or BM_E_* (no such device, text not printable ASCII or too
 * long, value out of range, ticket for a keypad).
 */
int bm_set_display(bus_master *m, uint8_t addr, const char *text);
int bm_set_leds(bus_master *m, uint8_t addr, uint8_t leds);
int bm_beep(bus_master *m, uint8_t addr, uint8_t count, uint8_t on_10ms);
int bm_set_ticket(bus_master *m, uint8_t addr, const char *ticket);

/* NULL when the address is not configured. */
const bm_device *bm_device_of(const bus_master *m, uint8_t addr);
const char *bm_liveness_name(bm_liveness l);

/*
 * The docs/protocol.md command id of an input event:
 * "<bridge-id>-<addr>-<session>-<seq>", unique across retries, bridge restarts
 * and keypad reboots. Returns 0, or -1 when it does not fit.
 */
int bm_event_id(const bm_event *ev, const char *bridge_id, char *buf, size_t len);

#endif
