/* SPDX-License-Identifier: MIT */
/*
 * broker_auth — how one Jiaohao program logs in to the hall's broker.
 *
 * Owns the one rule every program follows (caller, kiosk, boards, bridge), so
 * an IT person configures it once: the user is [broker] user, else the
 * program's own name (its counter/kiosk id, "caller", "display", "bridge");
 * the password is [broker] password, else the first line of password_file,
 * else <credentials_dir>/<user>.pw as written by scripts/broker-config. With
 * none of the three the password is empty, for a development broker; the
 * project's own broker config refuses such a client with a clear log line.
 *
 * It also owns the client id each program connects with. The broker's plugin
 * (broker/clientid_rule.h) accepts from a user only the id `<user>` or
 * `<user>:<suffix>`, so no device can take over another's session; every
 * program builds its id here: `caller:<site>`, `<kiosk-id>:<pid>`,
 * `display:<display-id>-<pid>`, `bridge:<bridge-id>`.
 */
#ifndef JH_BROKER_AUTH_H
#define JH_BROKER_AUTH_H

#include <stddef.h>

#include "hall_config.h"

#define JH_PASSWORD_LEN 256
/* Room for any client id the broker accepts (JH_CLIENTID_MAX, broker/clientid_rule.h) and its NUL. */
#define JH_CLIENT_ID_LEN 129

/* The broker user a program logs in as: [broker] user, else `own_name`. */
const char *jh_broker_user(const jh_hall_config *cfg, const char *own_name);

/* The client id `<user>:<suffix>` (just `<user>` when suffix is NULL or empty)
 * into buf. 0, or -1 with a message when it does not fit in `len` or in
 * JH_CLIENT_ID_LEN - 1 bytes (the broker would refuse it). */
int jh_client_id(char *buf, size_t len, const char *user, const char *suffix, char *err, size_t errlen);

/* Fills user and password. 0, or -1 with a message naming the file it tried. */
int jh_broker_login(const jh_hall_config *cfg, const char *own_name, char *user, size_t userlen,
                    char *password, size_t pwlen, char *err, size_t errlen);

/* The first line of `path`, without its line end; -1 when unreadable or empty. */
int jh_read_first_line(const char *path, char *out, size_t outlen, char *err, size_t errlen);

#endif
