/* SPDX-License-Identifier: MIT */
/*
 * bus_harness — an in-memory keypad bus for the tests: the real bus_master
 * and real keypads / rating pads joined byte for byte, on a virtual clock.
 *
 * Owns only the wiring and the faults a wire can have (a device that stops
 * answering, a reply heard twice, a reply lost); every decision is made by
 * the firmware code under test. Time advances in 1 ms steps; devices tick
 * every tick_ms, as on the MCU.
 */
#ifndef JH_BUS_HARNESS_H
#define JH_BUS_HARNESS_H

#include <stdint.h>

#include "bus_master.h"
#include "keypad.h"
#include "rating_pad.h"

#define HARNESS_DEVICES 8
#define HARNESS_EVENTS 64

typedef struct {
    int is_pad;
    keypad kp;
    rating_pad pad;
    uint32_t raw;        /* key matrix as the harness holds it down */
    int silent;          /* hears, acts, but its replies never reach the wire */
    int deaf;            /* hears nothing at all (unplugged) */
    int duplicate_next;  /* the next n replies reach the master twice (< 0: all) */
    int drop_next;       /* the next n replies are lost (< 0: all) */
} harness_device;

typedef struct {
    bus_master master;
    harness_device dev[HARNESS_DEVICES];
    int ndev;
    int64_t now;
    uint8_t tick_ms;
    bm_event events[HARNESS_EVENTS];   /* everything bm_next_event gave */
    int nevents;
} bus_harness;

void harness_init(bus_harness *h, const bm_config *cfg);
harness_device *harness_add_keypad(bus_harness *h, uint8_t addr, uint16_t session);
harness_device *harness_add_pad(bus_harness *h, uint8_t addr, uint16_t session);

/* Runs the bus for `ms` milliseconds of virtual time. */
void harness_run(bus_harness *h, int ms);

/* Holds `key` down for hold_ms, then releases it and runs release_ms more. */
void harness_press(bus_harness *h, harness_device *d, uint32_t key_bits, int hold_ms, int release_ms);

/* Events of one type (and address, 0 = any) collected so far. */
int harness_count(const bus_harness *h, bm_event_type type, uint8_t addr);

#endif
