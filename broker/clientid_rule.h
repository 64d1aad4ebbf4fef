/* SPDX-License-Identifier: MIT */
/*
 * clientid_rule — which MQTT client ids a broker user may connect with.
 *
 * Owns the one rule the broker plugin (broker_guard.c) enforces at CONNECT so
 * that no authenticated device can take over another client's session by
 * connecting with its client id: a user's client id is exactly its user name,
 * or its user name, ':' and a non-empty suffix ("caller:test-hall",
 * "display:main-4711"). Broker user names never contain ':', so the part
 * before the first ':' names exactly one user and no user can claim another's
 * ids. Pure (no mosquitto, no I/O) so that unit tests and the fuzzer run it.
 * Programs build their ids with jh_client_id() (common/config/broker_auth.h).
 */
#ifndef JH_CLIENTID_RULE_H
#define JH_CLIENTID_RULE_H

#include <stdbool.h>

/* Longest client id accepted, in bytes. A central broker's user (up to 64
 * characters, scripts/central-bridge) plus ':' and a hall's bridge suffix fits;
 * anything longer is not one of ours. */
#define JH_CLIENTID_MAX 128

/* The character between a user name and its suffix. */
#define JH_CLIENTID_SEP ':'

/*
 * True when `user` may connect with `client_id`. Refused: NULL or empty user
 * or id; a user name containing ':'; an id longer than JH_CLIENTID_MAX; any
 * byte in either outside visible ASCII (0x21-0x7e: no spaces, no control or
 * non-ASCII bytes); an id that is not `user` or `user:<suffix>` with a
 * non-empty suffix. Comparison is exact (case-sensitive), as the broker's.
 */
bool jh_clientid_allowed(const char *user, const char *client_id);

#endif
