/* SPDX-License-Identifier: MIT */
/*
 * serial_port — the project's one way to talk to a serial device (the kiosk's
 * thermal printer, the firmware-bridge's RS-485 keypad bus).
 *
 * Owns: opening a device at a baud rate with 8N1 and a flow-control mode,
 * reading with a timeout, writing everything with chunking and draining, and
 * listing the machine's ports. The caller keeps its own poll loop: the fd is
 * exposed and is always non-blocking.
 *
 * Two backends behind this interface, chosen when opening by what the device
 * is: libserialport for real ports (USB adapters, on-board UARTs), plain
 * termios for pseudo-terminals, which libserialport cannot open (it looks the
 * device up in sysfs and needs modem lines; see docs/hardware.md). Tests run
 * through ptys with an emulator on the master side. Once open, both backends
 * read and write the same non-blocking fd, so there is one I/O path to test.
 */
#ifndef JH_SERIAL_PORT_H
#define JH_SERIAL_PORT_H

#include <stddef.h>
#include <sys/types.h>

typedef enum {
    JH_FLOW_NONE = 0,
    JH_FLOW_RTSCTS,  /* hardware handshake: the printer holds CTS low when busy */
    JH_FLOW_XONXOFF  /* software handshake: the printer sends XOFF 0x13 / XON 0x11 */
} jh_serial_flow;

typedef enum { JH_SERIAL_BACKEND_LIBSERIALPORT, JH_SERIAL_BACKEND_TERMIOS } jh_serial_backend;

typedef struct jh_serial jh_serial;

/*
 * Opens `path` at `baud` (a standard rate, 1200..921600), 8N1, raw, with
 * `flow`. Returns 0 and *out, or -1 with a message in err. Symlinks are
 * followed, so /dev/serial/by-id names and test links to a pty both work.
 */
int jh_serial_open(jh_serial **out, const char *path, int baud, jh_serial_flow flow,
                   char *err, size_t errlen);

void jh_serial_close(jh_serial *s);

/* The non-blocking fd, for the caller's own poll(). Valid until close. */
int jh_serial_fd(const jh_serial *s);
jh_serial_backend jh_serial_backend_of(const jh_serial *s);
int jh_serial_baud(const jh_serial *s);

/*
 * Reads up to `len` bytes, waiting at most `timeout_ms` for the first one
 * (0: only what is already there). Returns the count, 0 on timeout, -1 on
 * error (device gone) with a message.
 */
ssize_t jh_serial_read(jh_serial *s, void *buf, size_t len, int timeout_ms, char *err, size_t errlen);

/*
 * Writes all `len` bytes in chunks of `chunk` bytes (0: one chunk), waiting
 * after each until the device has sent it, so a printer without flow control
 * is not overrun and the next real-time query is not stuck behind kilobytes of
 * queued data. Gives up when `timeout_ms` passes (a printer holding CTS low, a
 * peer that stopped reading): -1 with a message saying how much went out.
 */
int jh_serial_write_all(jh_serial *s, const void *buf, size_t len, size_t chunk, int timeout_ms,
                        char *err, size_t errlen);

/* Drops whatever was received and not yet read (stale replies). */
void jh_serial_discard_input(jh_serial *s);

/* "none" | "rtscts" | "xonxoff" → flow; -1 when unknown. */
int jh_serial_flow_parse(const char *name);
const char *jh_serial_flow_name(jh_serial_flow flow);

/* 1 when `baud` is a rate both backends can set. */
int jh_serial_baud_valid(int baud);

/* 1 when `path` (after symlinks) is a pseudo-terminal: the termios backend. */
int jh_serial_path_is_pty(const char *path);

/*
 * Calls fn once per serial port libserialport finds (real ports only), with
 * its name and a description ("" when none). Returns the count, or -1 with a
 * message.
 */
int jh_serial_list_ports(void (*fn)(const char *name, const char *description, void *ctx), void *ctx,
                         char *err, size_t errlen);

#endif
