/* SPDX-License-Identifier: MIT */
/*
 * sim_mqtt — see sim_mqtt.h.
 *
 * Each device's connection is a jh_link (common/link), the state machine every
 * program of the hall uses; this file keeps only the driver's request/reply
 * logic on top of it.
 *
 * Why waits on one client at a time: the day is a strict sequence (each action
 * depends on the answer to the one before), so there is never more than one
 * command in flight. While waiting for a reply the driver sleeps on the link
 * that sent the command (jh_link_wait) and services the others (keepalive, the
 * admin client's alert events) about once a second.
 *
 * A day played over a connection that broke is no day to compare: the driver
 * stops at the first attempt that fails (refused login, no broker) and at the
 * first connection that is lost, rather than letting the link reconnect behind
 * its back (replies and alerts sent in the gap would be missing).
 */
#include "sim_mqtt.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "broker_auth.h"
#include "hall_time.h"
#include "mqtt_link.h"
#include "protocol.h"

#define KEEPALIVE_S 60
#define REPLY_TIMEOUT_MS 30000 /* normally well under a millisecond; generous for a loaded box */
#define LOGIN_TIMEOUT_MS 10000
#define OTHERS_EVERY_MS 1000
#define WAIT_SLICE_MS 50

enum { C_ADMIN, C_BRIDGE, C_KIOSKS }; /* conns[]: admin, bridge, then one per kiosk */

typedef struct {
    struct jh_sim_mqtt *m;
    jh_link *link;
    char device[JH_ID_LEN];      /* "admin", "bridge" or the kiosk id: replies come to reply/<device> */
    char reply_topic[JH_TOPIC_LEN];
} conn;

struct jh_sim_mqtt {
    const jh_hall_config *cfg;
    conn *conns;
    int n_conns;
    char alert_topic[JH_TOPIC_LEN], status_topic[JH_TOPIC_LEN];
    char waiting_id[JH_CMD_ID_LEN]; /* the command whose reply we wait for */
    char *reply;
    int caller_online, caller_sim;  /* from the retained status/caller */
    int alerts_wait, alerts_overrun;
    long long clock_no;
    int clock_moves;
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- what arrives ---- */

static void on_reply(jh_sim_mqtt *m, const void *payload, size_t len, const cJSON *j)
{
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(j, "id"));
    if (!m->reply && m->waiting_id[0] && id && !strcmp(id, m->waiting_id)) {
        m->reply = malloc(len + 1);
        if (m->reply) {
            memcpy(m->reply, payload, len);
            m->reply[len] = '\0';
        }
    }
}

static void on_message(void *user, const char *topic, const void *payload, size_t len)
{
    conn *k = user;
    jh_sim_mqtt *m = k->m;
    cJSON *j = len > 0 ? cJSON_ParseWithLength(payload, len) : NULL;
    if (!j)
        return;
    if (!strcmp(topic, k->reply_topic)) {
        on_reply(m, payload, len, j);
    } else if (!strcmp(topic, m->alert_topic)) {
        const char *kind = cJSON_GetStringValue(cJSON_GetObjectItem(j, "kind"));
        int wait = kind && !strcmp(kind, "long-wait");
        m->alerts_wait += wait;
        m->alerts_overrun += !wait;
    } else if (!strcmp(topic, m->status_topic)) {
        m->caller_online = cJSON_IsTrue(cJSON_GetObjectItem(j, "online"));
        m->caller_sim = cJSON_IsTrue(cJSON_GetObjectItem(j, "sim_clock"));
    }
    cJSON_Delete(j);
}

/* ---- waiting ---- */

typedef int (*done_fn)(const jh_sim_mqtt *m, const conn *k);

static int got_reply(const jh_sim_mqtt *m, const conn *k) { (void)k; return m->reply != NULL; }
static int is_subscribed(const jh_sim_mqtt *m, const conn *k) { (void)m; return jh_link_subscribed(k->link); }
static int caller_online(const jh_sim_mqtt *m, const conn *k) { (void)k; return m->caller_online; }

/* -1 with err once k's link failed an attempt, was lost or came back in a new session. */
static int broken(const conn *k, const char *what, char *err, size_t errlen)
{
    jh_link_state s = jh_link_state_of(k->link);
    const char *refused = jh_link_refused_filter(k->link);
    if (s == JH_LINK_STATE_STARTING || (s == JH_LINK_STATE_ONLINE && jh_link_session(k->link) <= 1 && !refused))
        return 0;
    if (refused)
        snprintf(err, errlen, "%s: the broker refused %s the subscription to %s", what, k->device, refused);
    else
        snprintf(err, errlen, "%s: the broker connection as %s failed: %s", what, k->device,
                 s == JH_LINK_STATE_ONLINE ? "lost and connected again" : jh_link_error(k->link));
    return -1;
}

/* Pumps `focus` (and now and then the others) until done; -1 with err on timeout or a broken link. */
static int pump_until(jh_sim_mqtt *m, conn *focus, done_fn done, int timeout_ms, const char *what,
                      char *err, size_t errlen)
{
    int64_t start = mono_ms(), others = start;
    for (;;) {
        int64_t now = mono_ms();
        jh_link_pump(focus->link, now);
        if (broken(focus, what, err, errlen) < 0)
            return -1;
        if (done(m, focus))
            return 0;
        if (now - start > timeout_ms) {
            snprintf(err, errlen, "%s: nothing within %d s", what, timeout_ms / 1000);
            return -1;
        }
        for (int i = 0; now - others >= OTHERS_EVERY_MS && i < m->n_conns; i++) {
            if (&m->conns[i] == focus)
                continue;
            jh_link_pump(m->conns[i].link, now);
            if (broken(&m->conns[i], what, err, errlen) < 0)
                return -1;
        }
        if (now - others >= OTHERS_EVERY_MS)
            others = now;
        jh_link_wait(focus->link, mono_ms(), WAIT_SLICE_MS);
    }
}

/* ---- connecting ---- */

/* Its reply topic, and for the admin client the alerts and the caller's status too. */
static int open_link(jh_sim_mqtt *m, conn *k, char *err, size_t errlen)
{
    const jh_hall_config *c = m->cfg;
    char id[JH_CLIENT_ID_LEN], sfx[JH_ID_LEN + 32], user[JH_ID_LEN], password[JH_PASSWORD_LEN];
    snprintf(sfx, sizeof sfx, "sim-%s-%ld", k->device, (long)getpid());
    if (jh_client_id(id, sizeof id, jh_broker_user(c, k->device), sfx, err, errlen) < 0 ||
        jh_broker_login(c, k->device, user, sizeof user, password, sizeof password, err, errlen) < 0)
        return -1;
    jh_link_opts o = {.host = c->broker_host, .port = c->broker_port, .user = user, .password = password,
                      .client_id = id, .cafile = c->broker_cafile, .certfile = c->broker_certfile,
                      .keyfile = c->broker_keyfile, .topics = {k->reply_topic}, .n_topics = 1,
                      .keepalive_s = KEEPALIVE_S};
    if (k == &m->conns[C_ADMIN]) {
        o.topics[1] = m->alert_topic;
        o.topics[2] = m->status_topic;
        o.n_topics = 3;
    }
    k->link = jh_link_new(&o, on_message, NULL, k, err, errlen);
    memset(password, 0, sizeof password);
    return k->link ? 0 : -1;
}

static int open_conn(jh_sim_mqtt *m, conn *k, const char *device, char *err, size_t errlen)
{
    char suffix[JH_TOPIC_LEN];
    k->m = m;
    snprintf(k->device, sizeof k->device, "%s", device);
    snprintf(suffix, sizeof suffix, "reply/%s", device);
    if (jh_topic(k->reply_topic, sizeof k->reply_topic, m->cfg->site, suffix) < 0) {
        snprintf(err, errlen, "bad site '%s'", m->cfg->site);
        return -1;
    }
    if (open_link(m, k, err, errlen) < 0)
        return -1;
    char what[64];
    snprintf(what, sizeof what, "logging in as %s", device);
    return pump_until(m, k, is_subscribed, LOGIN_TIMEOUT_MS, what, err, errlen);
}

/* The caller must be online on a simulated clock: a real one would refuse `clock` anyway. */
static int check_caller(jh_sim_mqtt *m, int wait_s, char *err, size_t errlen)
{
    const jh_hall_config *c = m->cfg;
    if (pump_until(m, &m->conns[C_ADMIN], caller_online, wait_s * 1000, "waiting for jiaohao-caller",
                   err, errlen) < 0) {
        snprintf(err, errlen, "no jiaohao-caller online at %s:%d for site %s within %d s",
                 c->broker_host, c->broker_port, c->site, wait_s);
        return -1;
    }
    if (!m->caller_sim) {
        snprintf(err, errlen, "the jiaohao-caller of site %s runs on the real clock;"
                              " start it with --sim-clock DATE for a simulated day", c->site);
        return -1;
    }
    return 0;
}

jh_sim_mqtt *jh_sim_mqtt_open(const jh_hall_config *cfg, int wait_s, char *err, size_t errlen)
{
    jh_sim_mqtt *m = calloc(1, sizeof *m);
    if (m) {
        m->cfg = cfg;
        m->conns = calloc((size_t)cfg->n_kiosks + C_KIOSKS, sizeof *m->conns);
    }
    if (!m || !m->conns) {
        snprintf(err, errlen, "out of memory");
        free(m);
        return NULL;
    }
    int bad = jh_topic(m->alert_topic, sizeof m->alert_topic, cfg->site, "event/alert") < 0 ||
              jh_topic(m->status_topic, sizeof m->status_topic, cfg->site, "status/caller") < 0;
    if (bad)
        snprintf(err, errlen, "bad site '%s'", cfg->site);
    for (int i = 0; !bad && i < cfg->n_kiosks + C_KIOSKS; i++) {
        const char *device = i == C_ADMIN ? "admin" : i == C_BRIDGE ? "bridge" : cfg->kiosks[i - C_KIOSKS].id;
        m->n_conns = i + 1; /* a client that failed half-way is freed too */
        bad = open_conn(m, &m->conns[i], device, err, errlen) < 0;
    }
    if (bad || check_caller(m, wait_s, err, errlen) < 0) {
        jh_sim_mqtt_close(m);
        return NULL;
    }
    return m;
}

void jh_sim_mqtt_close(jh_sim_mqtt *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->n_conns; i++)
        jh_link_free(m->conns[i].link); /* DISCONNECT when up */
    free(m->conns);
    free(m->reply);
    free(m);
}

/* ---- the hall ---- */

/* Which client speaks for `origin`, on which topic; counters go through the bridge. */
static conn *route(jh_sim_mqtt *m, const jh_origin *origin, jh_command *c, char *suffix, size_t len)
{
    if (origin->kind == JH_ORIGIN_ADMIN) {
        snprintf(suffix, len, "admin/cmd");
        return &m->conns[C_ADMIN];
    }
    if (origin->kind == JH_ORIGIN_COUNTER) {
        snprintf(suffix, len, "counter/%s/cmd", origin->id);
        snprintf(c->reply_to, sizeof c->reply_to, "bridge");
        return &m->conns[C_BRIDGE];
    }
    snprintf(suffix, len, "kiosk/%s/cmd", origin->id);
    for (int i = C_KIOSKS; i < m->n_conns; i++)
        if (!strcmp(m->conns[i].device, origin->id))
            return &m->conns[i];
    return NULL;
}

static char *mqtt_send(void *ctx, const jh_origin *origin, const jh_command *cmd, char *err,
                       size_t errlen)
{
    jh_sim_mqtt *m = ctx;
    jh_command c = *cmd;
    char suffix[JH_TOPIC_LEN], topic[JH_TOPIC_LEN], what[160];
    conn *k = route(m, origin, &c, suffix, sizeof suffix);
    if (!k) {
        snprintf(err, errlen, "no [kiosk %s] in the config to take tickets at", origin->id);
        return NULL;
    }
    char *json = jh_command_to_json(&c), why[512] = "cannot encode it";
    jh_link_result r = json && jh_topic(topic, sizeof topic, m->cfg->site, suffix) == 0
                           ? jh_link_publish(k->link, topic, json, strlen(json), 0, why, sizeof why)
                           : JH_LINK_REFUSED;
    free(json);
    if (r != JH_LINK_SENT) { /* even QUEUED: the connection broke under it */
        snprintf(err, errlen, "publishing %s as %s: %s", jh_op_name(c.op), k->device, why);
        return NULL;
    }
    snprintf(m->waiting_id, sizeof m->waiting_id, "%s", c.id);
    snprintf(what, sizeof what, "the reply to %s %s from %s", jh_op_name(c.op), c.id, origin->id);
    int rc = pump_until(m, k, got_reply, REPLY_TIMEOUT_MS, what, err, errlen);
    m->waiting_id[0] = '\0';
    char *reply = m->reply;
    m->reply = NULL;
    return rc == 0 ? reply : (free(reply), NULL);
}

static int mqtt_advance(void *ctx, int64_t to, char *err, size_t errlen)
{
    jh_sim_mqtt *m = ctx;
    jh_command c;
    jh_origin admin = {.kind = JH_ORIGIN_ADMIN, .id = "admin"};
    memset(&c, 0, sizeof c);
    c.op = JH_OP_CLOCK;
    c.clock_to = to;
    snprintf(c.id, sizeof c.id, "sim-clock-%ld-%lld", (long)getpid(), ++m->clock_no);
    char *text = mqtt_send(m, &admin, &c, err, errlen);
    cJSON *r = text ? cJSON_Parse(text) : NULL;
    free(text);
    int ok = cJSON_IsTrue(cJSON_GetObjectItem(r, "ok"));
    if (text && !ok) {
        char at[40];
        const char *why = cJSON_GetStringValue(cJSON_GetObjectItem(r, "message"));
        const char *code = cJSON_GetStringValue(cJSON_GetObjectItem(r, "error"));
        snprintf(err, errlen, "the caller refused to move its clock to %s: %s (%s)",
                 jh_time_iso8601(to, at, sizeof at), why ? why : "no reason", code ? code : "?");
    }
    cJSON_Delete(r);
    m->clock_moves += ok;
    return ok ? 0 : -1;
}

static void mqtt_alerts(void *ctx, int *long_wait, int *overrun)
{
    jh_sim_mqtt *m = ctx;
    *long_wait = m->alerts_wait;
    *overrun = m->alerts_overrun;
}

jh_sim_hall jh_sim_mqtt_hall(jh_sim_mqtt *m)
{
    return (jh_sim_hall){m, mqtt_send, mqtt_advance, NULL, mqtt_alerts};
}

int jh_sim_mqtt_clock_moves(const jh_sim_mqtt *m) { return m->clock_moves; }
