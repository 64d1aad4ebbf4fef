/* SPDX-License-Identifier: MIT */
/*
 * bus_msg — what the frames of the keypad bus mean (docs/keypad-bus.md):
 * command codes, the events a keypad or rating pad queues, the LED bits, and
 * the codecs for the payloads that have structure (poll reply, ack, beep).
 *
 * Both ends use these codecs, so the decoder here is the single place where a
 * payload is checked field by field; a payload that fails any check is refused
 * as a whole and never becomes a half-understood key press.
 * Portable C (MCU and host): no OS calls, no malloc.
 */
#ifndef JH_BUS_MSG_H
#define JH_BUS_MSG_H

#include <stddef.h>
#include <stdint.h>

/* Requests (master → slave). A reply carries cmd | BUS_REPLY_BIT. */
enum {
    BUS_CMD_POLL = 0x01,    /* → poll reply: type, session, flags, queued events */
    BUS_CMD_ACK = 0x02,     /* session, seq: drop events up to seq; → empty reply */
    BUS_CMD_DISPLAY = 0x03, /* text, 0..BUS_TEXT_MAX printable ASCII; → empty reply */
    BUS_CMD_LEDS = 0x04,    /* one byte of BUS_LED_* bits; → empty reply */
    BUS_CMD_BEEP = 0x05,    /* count 1..5, on-time in 10 ms 1..100; → empty reply */
    BUS_CMD_TICKET = 0x06,  /* rating pads: ticket to rate, 0..BUS_TICKET_MAX chars */
    BUS_CMD_NAK = 0xFF      /* reply only: [refused cmd, BUS_NAK_*] */
};

enum { BUS_NAK_LENGTH = 1, BUS_NAK_VALUE = 2, BUS_NAK_UNSUPPORTED = 3 };

enum { BUS_DEV_KEYPAD = 1, BUS_DEV_RATING_PAD = 2 };

/* LEDs a counter keypad shows; several may be lit at once. */
enum {
    BUS_LED_SERVING = 0x01,
    BUS_LED_IDLE = 0x02,
    BUS_LED_PAUSED = 0x04,
    BUS_LED_QUEUE_EMPTY = 0x08,
    BUS_LED_ALL = 0x0F
};

/* Poll-reply flags. */
enum {
    BUS_FLAG_REFUSED = 0x01, /* a press was refused (queue full) since the last poll */
    BUS_FLAG_ENTRY = 0x02    /* staff are typing a number right now */
};

enum {
    BUS_EV_KEY = 1,      /* data: one BUS_KEY_* */
    BUS_EV_LOGIN = 2,    /* data: staff number, 1..BUS_STAFF_MAX digits, then optionally
                            BUS_PIN_SEP and the PIN, 1..BUS_PIN_MAX digits */
    BUS_EV_LOGOUT = 3,   /* no data */
    BUS_EV_TRANSFER = 4, /* data: target counter number, 1..BUS_TRANSFER_MAX digits */
    BUS_EV_RATE = 5,     /* data: score 1..5, then the ticket rated (0..BUS_TICKET_MAX) */
    BUS_EV_INVITE = 6    /* keypads: staff invite the visitor to rate; no data */
};

/* Keys whose press is an event of its own (docs/protocol.md counter operations). */
enum {
    BUS_KEY_CALL = 1,   /* call-next */
    BUS_KEY_RECALL = 2,
    BUS_KEY_SKIP = 3,   /* no-show */
    BUS_KEY_PAUSE = 4,
    BUS_KEY_RESUME = 5,
    BUS_KEY_FINISH = 6,
    BUS_KEY_MAX = 6
};

#define BUS_TEXT_MAX 12      /* display text */
#define BUS_TICKET_MAX 8
#define BUS_STAFF_MAX 8
#define BUS_TRANSFER_MAX 3
#define BUS_PIN_MAX 8
#define BUS_PIN_SEP '*'      /* between staff number and PIN in a LOGIN */
/* The longest event data: a LOGIN with a PIN (a rating is 1 + BUS_TICKET_MAX). */
#define BUS_EVENT_DATA_MAX (BUS_STAFF_MAX + 1 + BUS_PIN_MAX)
#define BUS_REPLY_HEAD 5     /* type, session (2), flags, count */
#define BUS_REPLY_EVENTS_MAX 4

typedef struct {
    uint16_t seq;   /* per device and session, from 1, +1 per event */
    uint8_t kind;
    uint8_t len;
    uint8_t data[BUS_EVENT_DATA_MAX];
} bus_event;

typedef struct {
    uint8_t type;
    uint16_t session;
    uint8_t flags;
    uint8_t count;
    bus_event ev[BUS_REPLY_EVENTS_MAX];
} bus_poll_reply;

/* 1 when the event's data is exactly what its kind allows. */
int bus_event_valid(const bus_event *e);

/* Bytes the event takes in a poll reply. */
size_t bus_event_wire_len(const bus_event *e);

/* Payload of a poll reply; returns its length (caller's buffer: BUS_PAYLOAD_MAX). */
size_t bus_poll_reply_encode(const bus_poll_reply *r, uint8_t *payload);

/* 0, or -1 when anything in the payload is malformed (then *r is unspecified). */
int bus_poll_reply_decode(const uint8_t *payload, size_t len, bus_poll_reply *r);

/* ACK payload: session and the last event seq received. */
size_t bus_ack_encode(uint16_t session, uint16_t seq, uint8_t *payload);
int bus_ack_decode(const uint8_t *payload, size_t len, uint16_t *session, uint16_t *seq);

/* 1 when `len` bytes are printable ASCII (what a keypad display can show). */
int bus_text_valid(const uint8_t *text, size_t len, size_t max);

/* Serial-number order for 16-bit event seqs: 1 when a comes after b. */
int bus_seq_after(uint16_t a, uint16_t b);

/* "call" ↔ BUS_KEY_CALL, and so on; NULL / 0 when unknown. */
const char *bus_key_name(uint8_t key);
uint8_t bus_key_parse(const char *name);
const char *bus_event_kind_name(uint8_t kind);

/* Splits a valid LOGIN's data: the staff number's length, and where the PIN
 * starts and how long it is (*pin_len 0: a LOGIN without PIN, old firmware). */
size_t bus_login_split(const bus_event *e, const uint8_t **pin, size_t *pin_len);

#endif
