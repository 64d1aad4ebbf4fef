/* SPDX-License-Identifier: MIT */
/*
 * rating_pad — the firmware logic of one citizen-facing rating pad (服务评价器).
 *
 * Owns: the five score keys (5 非常满意, 4 满意, 3 基本满意, 2 不满意,
 * 1 非常不满意), the rule "one score per served ticket", and the pad's
 * feedback. The master tells the pad which ticket it may rate (BUS_CMD_TICKET,
 * kept by the embedded bus_slave); the first score pressed becomes one
 * BUS_EV_RATE event carrying that ticket, and the pad then locks out until a
 * different ticket arrives. Arming again with the ticket just rated does not
 * unlock it, so neither a repeated frame nor staff re-sending the ticket can
 * buy a second rating. With no ticket the pad is idle and refuses presses.
 *
 * Portable C (MCU and host): no OS calls, no malloc.
 */
#ifndef JH_RATING_PAD_H
#define JH_RATING_PAD_H

#include <stddef.h>
#include <stdint.h>

#include "beeper.h"
#include "bus_slave.h"
#include "debounce.h"

/* Raw sample bit of the key for score s (1..5). */
#define RATING_PAD_KEY(s) (1u << ((s) - 1))

typedef enum {
    RATING_PAD_IDLE,   /* no ticket to rate */
    RATING_PAD_ARMED,  /* a ticket waits for its score */
    RATING_PAD_LOCKED  /* this ticket is rated; wait for the next */
} rating_pad_state;

typedef struct {
    bus_slave bus;
    debounce keys;
    beeper buzzer;
    uint8_t tick_ms;
    char rated[BUS_TICKET_MAX + 1]; /* the ticket last rated here */
    uint8_t last_score;
    uint32_t ratings, refused;
} rating_pad;

/* tick_ms: how often rating_pad_tick is called; debounce_ticks as for keypad. */
void rating_pad_init(rating_pad *p, uint8_t addr, uint16_t session, uint8_t tick_ms,
                     uint8_t debounce_ticks);

void rating_pad_tick(rating_pad *p, uint32_t raw);

size_t rating_pad_bus_byte(rating_pad *p, uint8_t byte, uint8_t *reply, size_t cap);

rating_pad_state rating_pad_state_of(const rating_pad *p);
const char *rating_pad_ticket(const rating_pad *p);   /* "" when none */
const char *rating_pad_display(const rating_pad *p);
uint8_t rating_pad_leds(const rating_pad *p);
int rating_pad_beeper_on(const rating_pad *p);
const char *rating_pad_state_name(rating_pad_state s);

#endif
