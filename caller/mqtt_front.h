/* SPDX-License-Identifier: MIT */
/*
 * mqtt_front — the caller daemon's MQTT side: the only code that turns broker
 * traffic into engine calls and engine results into broker traffic.
 *
 * Owns: the daemon's use of its broker link (common/link's jh_link, which
 * connects, reconnects on its back-off, keeps the persistent session and the
 * Last Will): the loop around it, the command subscriptions, what every new
 * session announces (status/caller online, every retained state, the outbox),
 * the order of announcements — reply, then events from the engine's outbox,
 * then the retained states the command made dirty — and the log and systemd
 * lines that follow the link. It holds no queue state of its own; what it
 * publishes is always what the engine has already committed.
 *
 * main.c loads the config, opens the engine and hands both in here.
 */
#ifndef JH_MQTT_FRONT_H
#define JH_MQTT_FRONT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "hall_config.h"

typedef struct jh_front jh_front;

/*
 * Prepares a client for `cfg`'s broker (credentials, TLS, Will) without
 * connecting yet. `cfg` and `engine` must outlive the front; `version` is
 * published in status/caller. NULL with a message in err on failure (e.g. no
 * password can be found).
 */
jh_front *jh_front_new(const jh_hall_config *cfg, jh_engine *engine, const char *version,
                       char *err, size_t errlen);

/*
 * Runs until *stop becomes non-zero (a signal handler sets it): connects and
 * keeps reconnecting (jh_link's schedule), serves commands, ticks the engine
 * about once a second.
 * Nothing makes it give up on its own: broker and store failures are logged
 * and retried. On stop it publishes status/caller offline and disconnects
 * cleanly (waiting at most 2 s for the broker's acknowledgements).
 */
void jh_front_run(jh_front *f, volatile sig_atomic_t *stop);

/*
 * Test and simulation only — never on a hall's box. Puts the front on a
 * simulated clock starting at `start_ms` (before jh_front_run): commands and
 * ticks then see that clock, which moves only when the admin op
 * `clock {to}` moves it (ticking the engine every 15 virtual seconds on the
 * way, sim_clock.h), so a day runs as fast as its commands come and always
 * gives the same store. Without this call `clock` is refused "not-simulated".
 */
void jh_front_set_sim_clock(jh_front *f, int64_t start_ms);

void jh_front_free(jh_front *f);


#endif
