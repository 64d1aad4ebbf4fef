/* SPDX-License-Identifier: MIT */
/*
 * keypad — the firmware logic of one counter keypad (呼叫器).
 *
 * Owns: what a key press does on the device — command keys (call, recall,
 * skip, pause, resume, finish) become queued events; LOGIN and TRANSFER
 * start a number entry that staff finish with ENTER (or abandon with CLEAR)
 * and that becomes one login / logout / transfer event — a login asks for the
 * PIN after the staff number (LOGIN, number, ENTER, PIN, ENTER); RATE invites
 * the visitor to rate on the counter's rating pad (staff never enter a score:
 * 擅自按键评价 is forbidden); what the display shows (the master's text, or
 * the entry being typed — a PIN only as one '*' per digit); the LEDs the
 * master set; and the beeper (a click per accepted key, an error sound for a
 * refused one, beeps the master asks for). The bus side is the embedded
 * bus_slave; the hardware side is one call per tick with the raw key matrix.
 *
 * Portable C (MCU and host): no OS calls, no malloc. The simulator and the
 * tests run exactly this code.
 */
#ifndef JH_KEYPAD_H
#define JH_KEYPAD_H

#include <stddef.h>
#include <stdint.h>

#include "beeper.h"
#include "bus_slave.h"
#include "debounce.h"

/* Bit k of the raw sample is key k. */
typedef enum {
    KEYPAD_K0 = 0, /* digits 0..9 are bits 0..9 */
    KEYPAD_CALL = 10,
    KEYPAD_RECALL,
    KEYPAD_SKIP,
    KEYPAD_PAUSE,
    KEYPAD_RESUME,
    KEYPAD_FINISH,
    KEYPAD_TRANSFER,
    KEYPAD_LOGIN,
    KEYPAD_RATE,
    KEYPAD_ENTER,
    KEYPAD_CLEAR,
    KEYPAD_KEY_COUNT
} keypad_key;

typedef enum { KEYPAD_ENTRY_NONE, KEYPAD_ENTRY_LOGIN, KEYPAD_ENTRY_TRANSFER, KEYPAD_ENTRY_PIN } keypad_entry;

typedef struct {
    uint8_t tick_ms;        /* how often keypad_tick is called; 5 */
    uint8_t debounce_ticks; /* consecutive equal samples to accept a change; 4 */
} keypad_config;

typedef struct {
    bus_slave bus;
    debounce keys;
    beeper buzzer;
    keypad_config cfg;
    keypad_entry entry;
    uint8_t digits[BUS_STAFF_MAX];
    uint8_t ndigits;
    uint8_t pin[BUS_PIN_MAX];   /* wiped as soon as the LOGIN is queued or abandoned */
    uint8_t npin;
    char shown[BUS_TEXT_MAX + 1];
    uint32_t presses, refused;
} keypad;

void keypad_config_default(keypad_config *c);

void keypad_init(keypad *k, uint8_t addr, uint16_t session, const keypad_config *cfg);

/* Once per tick: raw = the key matrix now (bit k = keypad_key k closed). */
void keypad_tick(keypad *k, uint32_t raw);

/* A byte heard on the bus; returns the reply's length in `reply` (0: none). */
size_t keypad_bus_byte(keypad *k, uint8_t byte, uint8_t *reply, size_t cap);

/* What the display shows now: the entry being typed, else the master's text. */
const char *keypad_display(const keypad *k);
uint8_t keypad_leds(const keypad *k);
int keypad_beeper_on(const keypad *k);

/* "call" → KEYPAD_CALL, "5" → KEYPAD_K0+5, ...; -1 when unknown. */
int keypad_key_parse(const char *name);
const char *keypad_key_name(int key);   /* "?" when out of range */

#endif
