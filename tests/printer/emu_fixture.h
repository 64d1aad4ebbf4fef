/* SPDX-License-Identifier: MIT */
/*
 * emu_fixture — jiaohao-printer-emu on a real pseudo-terminal, for the tests
 * of the kiosk's printing stack.
 *
 * Owns: starting one emulator in its own temp folder (it dies with the test),
 * reading the pty name it publishes, its control FIFO (emu_cmd: "paper-out",
 * "silent", … as tools/printer-emu/main.c lists), the tickets it writes back
 * as JSON, and removing it all again.
 */
#ifndef JH_EMU_FIXTURE_H
#define JH_EMU_FIXTURE_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct {
    pid_t pid;
    char dir[64], pty[128], ctl[128];
} emu_fixture;

/* Starts the emulator with paper "58" or "80"; 0, or -1 when it did not come up. */
int emu_start(emu_fixture *e, const char *paper);
void emu_stop(emu_fixture *e);
/* One control line; 0, or -1 when the FIFO could not take it. */
int emu_cmd(const emu_fixture *e, const char *line);
/* The n-th printed ticket as the emulator read it (1-based), NULL when not (yet) there. */
cJSON *emu_ticket(const emu_fixture *e, int n);

void emu_sleep_ms(int ms);
int64_t emu_now_ms(void); /* monotonic */

#endif
