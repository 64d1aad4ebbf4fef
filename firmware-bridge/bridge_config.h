/* SPDX-License-Identifier: MIT */
/*
 * bridge_config — the [bridge <id>] sections of the hall config.
 *
 * Owns: reading one bridge's settings from the hall INI with the hall
 * parser's own reader (jh_ini_parse): the serial device, its speed and flow
 * control, which bus address is whose keypad or rating pad, the bus master's
 * timing, and how often the bridge's status is refreshed. The hall parser
 * passes these sections over; bridge_main.c loads both and checks them
 * against each other with jh_bridge_config_check(). A broken section is
 * refused whole with "file:line: [bridge id] key: why".
 *
 *   [bridge b1]
 *   device = /dev/serial/by-id/usb-FTDI_RS485-if00-port0
 *   baud = 19200                — 1200..921600, a standard rate
 *   flow = none                 — none | rtscts | xonxoff
 *   keypad = 1 c01              — bus address 1 is counter c01's keypad (repeat per keypad)
 *   pad = 11 c01                — bus address 11 is counter c01's rating pad
 *   reply_timeout_ms = 80       — the bus master's timing (docs/keypad-bus.md)
 *   turnaround_ms = 2
 *   cycle_ms = 100
 *   retries = 2
 *   offline_after = 3
 *   offline_poll_every = 5
 *   status_interval_s = 10      — republish status/<id> this often when bus counters moved
 *
 * Keys of this INI are a-z0-9_ only, hence "keypad = <addr> <counter>" rather
 * than "keypad <addr> = <counter>".
 */
#ifndef JH_BRIDGE_CONFIG_H
#define JH_BRIDGE_CONFIG_H

#include <stddef.h>

#include "bus_master.h"
#include "hall_config.h"
#include "serial_port.h"

#define JH_BRIDGE_DEVICE_LEN 512

typedef struct {
    int addr;                  /* 1..247 */
    int type;                  /* BUS_DEV_KEYPAD or BUS_DEV_RATING_PAD */
    char counter[JH_ID_LEN];
    int line;                  /* where it was declared, for jh_bridge_config_check() */
} jh_bridge_device;

typedef struct {
    char id[JH_ID_LEN];
    char device[JH_BRIDGE_DEVICE_LEN];
    int baud;
    jh_serial_flow flow;
    jh_bridge_device dev[BM_MAX_DEVICES];
    int n_dev;
    bm_config bus;
    int status_interval_s;
    char source[JH_LONG_TEXT_LEN]; /* the file name, for messages */
} jh_bridge_config;

/*
 * Reads the [bridge <id>] section of `text` (`id` NULL: the first [bridge]
 * section). 0, or -1 with one line in err; *bc is then unspecified.
 */
int jh_bridge_config_parse(jh_bridge_config *bc, const char *text, size_t len, const char *name,
                           const char *id, char *err, size_t errlen);

/* The same from a file. */
int jh_bridge_config_load(jh_bridge_config *bc, const char *path, const char *id, char *err,
                          size_t errlen);

/*
 * Checks the section against the hall: every counter named exists, and a
 * counter has at most one keypad and one pad. 0, or -1 with one line in err.
 */
int jh_bridge_config_check(const jh_bridge_config *bc, const jh_hall_config *hall, char *err,
                           size_t errlen);

/* The device at bus address `addr`, NULL when none. */
const jh_bridge_device *jh_bridge_config_device(const jh_bridge_config *bc, int addr);

#endif
