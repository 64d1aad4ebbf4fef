/* SPDX-License-Identifier: MIT */
/*
 * broker_guard — a mosquitto 2.0 broker plugin (plugin API v5) that closes the
 * client-id takeover hole: mosquitto disconnects a connected client whenever
 * another one connects with the same client id, and its ACL file cannot tie
 * an id to a user, so without this any device with a password could knock the
 * caller daemon off the broker (and, with clean_session, wipe its queued
 * commands). At CONNECT this refuses every client whose id does not follow
 * clientid_rule.h (the id is the user name, or the user name, ':' and a suffix).
 *
 * It decides nothing else: for an acceptable id it answers
 * MOSQ_ERR_PLUGIN_DEFER, and mosquitto's own password_file decides (in 2.0.11
 * the plugin's BASIC_AUTH callback runs first and the password file after a
 * deferral; a success from the password file never skips the plugin, and
 * mosquitto only looks for a session with that id after authentication, so a
 * refused impostor never disturbs the real client). tests/security/
 * test_clientid.sh checks all three against the real broker.
 *
 * Loaded by the system's mosquitto (`plugin PATH` in the config written by
 * scripts/broker-config), so it is built without sanitizers and exports only
 * the three plugin entry points.
 */
#include <mosquitto.h>
#include <mosquitto_broker.h>
#include <mosquitto_plugin.h>

#include <stddef.h>

#include "clientid_rule.h"

#define JH_EXPORT __attribute__((visibility("default")))

/* How much of a refused user name or id the log line shows. */
#define LOG_TEXT_MAX 64

static mosquitto_plugin_id_t *plugin_id;

/* `src` for the log: visible ASCII kept, anything else shown as '?', long text
 * cut with "..." (the id came from the network; the log must not carry it raw). */
static const char *loggable(char *dst, size_t dstlen, const char *src)
{
    size_t n = 0;
    for (; src[n] && n < LOG_TEXT_MAX && n + 4 < dstlen; n++)
        dst[n] = (src[n] >= 0x20 && src[n] <= 0x7e) ? src[n] : '?';
    if (src[n] && n + 4 <= dstlen) {
        dst[n++] = '.';
        dst[n++] = '.';
        dst[n++] = '.';
    }
    dst[n] = '\0';
    return dst;
}

static int on_basic_auth(int event, void *event_data, void *userdata)
{
    (void)event;
    (void)userdata;
    const struct mosquitto_evt_basic_auth *ev = event_data;
    const char *user = ev->username;
    const char *id = mosquitto_client_id(ev->client);
    if (jh_clientid_allowed(user, id))
        return MOSQ_ERR_PLUGIN_DEFER; /* the password file decides */

    char u[LOG_TEXT_MAX + 4], i[LOG_TEXT_MAX + 4];
    const char *addr = mosquitto_client_address(ev->client);
    loggable(i, sizeof i, id ? id : "");
    if (!user)
        mosquitto_log_printf(MOSQ_LOG_WARNING, "jh_broker_guard: refused client id '%s' from %s: no user name", i,
                             addr ? addr : "?");
    else
        mosquitto_log_printf(MOSQ_LOG_WARNING,
                             "jh_broker_guard: refused client id '%s' for user '%s' from %s: "
                             "its client id must be '%s' or '%s:<suffix>'",
                             i, loggable(u, sizeof u, user), addr ? addr : "?", u, u);
    return MOSQ_ERR_AUTH;
}

JH_EXPORT int mosquitto_plugin_version(int supported_version_count, const int *supported_versions)
{
    for (int k = 0; k < supported_version_count; k++)
        if (supported_versions[k] == 5)
            return 5;
    return -1;
}

JH_EXPORT int mosquitto_plugin_init(mosquitto_plugin_id_t *identifier, void **userdata,
                                    struct mosquitto_opt *options, int option_count)
{
    (void)userdata;
    (void)options;
    (void)option_count;
    plugin_id = identifier;
    int rc = mosquitto_callback_register(plugin_id, MOSQ_EVT_BASIC_AUTH, on_basic_auth, NULL, NULL);
    if (rc == MOSQ_ERR_SUCCESS)
        mosquitto_log_printf(MOSQ_LOG_NOTICE,
                             "jh_broker_guard: client ids must be '<user>' or '<user>:<suffix>'");
    else
        mosquitto_log_printf(MOSQ_LOG_ERR, "jh_broker_guard: cannot register for authentication: %s",
                             mosquitto_strerror(rc));
    return rc;
}

JH_EXPORT int mosquitto_plugin_cleanup(void *userdata, struct mosquitto_opt *options, int option_count)
{
    (void)userdata;
    (void)options;
    (void)option_count;
    return mosquitto_callback_unregister(plugin_id, MOSQ_EVT_BASIC_AUTH, on_basic_auth, NULL);
}
