/* SPDX-License-Identifier: MIT */
/*
 * sim_mqtt — a jiaohao-caller started with --sim-clock, reached through the
 * hall's broker, as the hall a simulated day is played in (sim_run.h).
 *
 * Owns the driver's side of the wire: one broker link (common/link's jh_link)
 * per device the day speaks as — each kiosk as itself, the counters through
 * the bridge user (as wired keypads do: counter/<id>/cmd with reply_to
 * "bridge"), the admin for open, end-day and the clock — each logged in as
 * common/broker_auth says.
 * Every command is published with the protocol codec and the driver waits
 * for its reply before going on; moving the clock is the admin op `clock`,
 * so the daemon ticks exactly where the engine-level driver does and the two
 * stores end identical. It refuses to start unless status/caller says the
 * daemon is online on a simulated clock.
 */
#ifndef JH_SIM_MQTT_H
#define JH_SIM_MQTT_H

#include <stddef.h>

#include "hall_config.h"
#include "sim_run.h"

typedef struct jh_sim_mqtt jh_sim_mqtt;

/*
 * Connects every client to cfg's broker and waits (up to `wait_s`) for the
 * caller to be online with sim_clock. NULL with a message on failure.
 */
jh_sim_mqtt *jh_sim_mqtt_open(const jh_hall_config *cfg, int wait_s, char *err, size_t errlen);

/* The hall to hand to jh_sim_play; valid while m is open. */
jh_sim_hall jh_sim_mqtt_hall(jh_sim_mqtt *m);

/* Clock moves sent so far (besides the day's own commands). */
int jh_sim_mqtt_clock_moves(const jh_sim_mqtt *m);

void jh_sim_mqtt_close(jh_sim_mqtt *m);

#endif
