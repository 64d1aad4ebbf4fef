/* SPDX-License-Identifier: MIT */
/*
 * mqtt_front — see mqtt_front.h.
 *
 * The connection itself is common/link's jh_link, the one state machine every
 * program of the hall uses (connect, CONNACK deadline, back-off, Will,
 * persistent session, goodbye); this file keeps what only the daemon does with
 * it: commands in, replies, events and states out, and the log and systemd
 * lines that follow the link.
 *
 * Why our own loop instead of a libmosquitto thread: the engine is not
 * thread-safe and must see commands and ticks one at a time, and a single
 * thread makes the order reply → events → states trivially true. The loop
 * sleeps in jh_link_wait() until the broker's socket has something, the link's
 * own schedule is due, or the next tick.
 *
 * Events are acknowledged to the engine only when the broker has PUBACKed
 * them (on_ack), not when libmosquitto queued them: a crash in between
 * then re-sends them on restart (displays drop duplicates by seq) instead of
 * losing them. The session is persistent (clean_session=false), so commands
 * sent while the daemon is down wait at the broker, and libmosquitto re-sends
 * its own unacknowledged publishes after a reconnect.
 *
 * Simulation (jh_front_set_sim_clock): one virtual clock stands behind both
 * the commands and the ticks, and only the admin op `clock` moves it
 * (sim_clock.h), so a simulated day over MQTT is the same day as one played
 * through the engine directly, however fast or slow the machine is. On the
 * real clock `clock` is refused "not-simulated".
 */
#include "mqtt_front.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "broker_auth.h"
#include "hall_time.h"
#include "log.h"
#include "mqtt_link.h"
#include "protocol.h"
#include "sd_notify.h"
#include "sim_clock.h"

#define KEEPALIVE_S 15
#define READS_PER_PUMP 16 /* commands per loop round: the tick and the watchdog come round between */
#define TICK_MS 1000
#define MAX_EVENTS_IN_FLIGHT 256 /* beyond this, events wait in the engine's outbox */
#define SHUTDOWN_FLUSH_MS 2000
#define N_COMMAND_TOPICS 3

typedef struct {
    int mid;
    int64_t seq;
    int done;
} inflight_event;

struct jh_front {
    const jh_hall_config *cfg;
    jh_engine *engine;
    jh_link *link;
    char version[64];
    char started_at[40];
    char status_topic[JH_TOPIC_LEN];
    char command_topics[N_COMMAND_TOPICS][JH_TOPIC_LEN];

    uint64_t announced;  /* the link session whose status, states and outbox went out */
    jh_link_state told;  /* the link's state as last logged and sent to systemd */

    unsigned char service_dirty[JH_MAX_SERVICES];
    unsigned char counter_dirty[JH_MAX_COUNTERS];
    int hall_dirty;

    int64_t published_seq; /* highest event seq handed to the link */
    inflight_event inflight[MAX_EVENTS_IN_FLIGHT];
    int n_inflight;
    int store_failing;

    int sim;         /* on a simulated clock: time moves only by the admin op `clock` */
    int64_t sim_now; /* that clock, epoch ms */
};

/* The hall's "now": the wall clock, or the simulated one. */
static int64_t hall_now(const jh_front *f) { return f->sim ? f->sim_now : jh_time_now_ms(); }

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- publishing ---- */

/* Connected, and this session's announcements made (on_session): what flush_dirty and
 * drain_outbox wait for, so the states and events of a new session follow its status. */
static int announced(const jh_front *f)
{
    return f->announced != 0 && jh_link_connected(f->link) && f->announced == jh_link_session(f->link);
}

static int publish(jh_front *f, const char *suffix, const char *payload, int retain, int *mid)
{
    char topic[JH_TOPIC_LEN], err[512];
    if (jh_topic(topic, sizeof topic, f->cfg->site, suffix) < 0) {
        jh_log(JH_LOG_ERROR, "topic too long: %s", suffix);
        return -1;
    }
    /* QUEUED: the connection broke under it; the link sends it after reconnecting. */
    jh_link_result r = jh_link_publish_mid(f->link, topic, payload, strlen(payload), retain, mid, err, sizeof err);
    if (r == JH_LINK_REFUSED)
        jh_log(JH_LOG_ERROR, "%s", err);
    return r < 0 ? -1 : 0;
}

static void publish_state(jh_front *f, const char *suffix, char *payload)
{
    if (!payload) {
        jh_log(JH_LOG_ERROR, "engine gave no state for %s", suffix);
        return;
    }
    publish(f, suffix, payload, 1, NULL);
    free(payload);
}

static void flush_dirty(jh_front *f)
{
    if (!announced(f))
        return; /* everything is republished on connect anyway */
    int64_t now = hall_now(f);
    char suffix[JH_TOPIC_LEN];
    for (int i = 0; i < f->cfg->n_services; i++) {
        if (!f->service_dirty[i])
            continue;
        f->service_dirty[i] = 0;
        snprintf(suffix, sizeof suffix, "state/service/%s", f->cfg->services[i].code);
        publish_state(f, suffix, jh_engine_service_state(f->engine, i, now));
    }
    for (int i = 0; i < f->cfg->n_counters; i++) {
        if (!f->counter_dirty[i])
            continue;
        f->counter_dirty[i] = 0;
        snprintf(suffix, sizeof suffix, "state/counter/%s", f->cfg->counters[i].id);
        publish_state(f, suffix, jh_engine_counter_state(f->engine, i, now));
    }
    if (f->hall_dirty) {
        f->hall_dirty = 0;
        publish_state(f, "state/hall", jh_engine_hall_state(f->engine, now));
    }
}

static void mark_all_dirty(jh_front *f)
{
    memset(f->service_dirty, 1, sizeof f->service_dirty);
    memset(f->counter_dirty, 1, sizeof f->counter_dirty);
    f->hall_dirty = 1;
}

static void merge_dirty(jh_front *f, const jh_outcome *o)
{
    for (int i = 0; i < JH_MAX_SERVICES; i++)
        f->service_dirty[i] |= o->service_dirty[i];
    for (int i = 0; i < JH_MAX_COUNTERS; i++)
        f->counter_dirty[i] |= o->counter_dirty[i];
    f->hall_dirty |= o->hall_dirty;
}

/* Hands outbox events to the link, oldest first, while there is room. */
static void drain_outbox(jh_front *f)
{
    while (announced(f) && f->n_inflight < MAX_EVENTS_IN_FLIGHT) {
        jh_event ev;
        int r = jh_engine_outbox_next(f->engine, f->published_seq, &ev);
        if (r < 0)
            jh_log(JH_LOG_ERROR, "reading the event outbox failed");
        if (r <= 0)
            return;
        char suffix[64];
        snprintf(suffix, sizeof suffix, "event/%s", ev.kind);
        int mid = 0;
        int rc = publish(f, suffix, ev.payload, 0, &mid);
        int64_t seq = ev.seq;
        jh_event_free(&ev);
        if (rc < 0)
            return; /* stays in the outbox; tried again on the next drain */
        f->inflight[f->n_inflight++] = (inflight_event){mid, seq, 0};
        f->published_seq = seq;
    }
}

/* PUBACK for `mid`: acknowledge every event up to the oldest one still unacked. */
static void event_acked(jh_front *f, int mid)
{
    int i;
    for (i = 0; i < f->n_inflight && f->inflight[i].mid != mid; i++)
        ;
    if (i == f->n_inflight)
        return; /* a reply or a state, not an event */
    f->inflight[i].done = 1;
    int n = 0;
    while (n < f->n_inflight && f->inflight[n].done)
        n++;
    if (n == 0)
        return;
    if (jh_engine_outbox_ack(f->engine, f->inflight[n - 1].seq) < 0)
        jh_log(JH_LOG_ERROR, "acknowledging events up to %lld failed", (long long)f->inflight[n - 1].seq);
    memmove(f->inflight, f->inflight + n, (size_t)(f->n_inflight - n) * sizeof f->inflight[0]);
    f->n_inflight -= n;
}

/* ---- replies ---- */

static void reply(jh_front *f, const jh_command *cmd, const jh_origin *origin, const char *payload)
{
    const char *to = cmd->reply_to[0] ? cmd->reply_to : origin->id;
    char suffix[JH_TOPIC_LEN];
    snprintf(suffix, sizeof suffix, "reply/%s", to);
    if (payload)
        publish(f, suffix, payload, 0, NULL);
}

/* ---- time ---- */

/* One engine tick at `at` (a jh_sim_tick_fn); what it changed is published by the caller. */
static int engine_tick(void *front, int64_t at, char *err, size_t errlen)
{
    jh_front *f = front;
    jh_outcome out;
    memset(&out, 0, sizeof out);
    int rc = jh_engine_tick(f->engine, at, &out, err, errlen);
    merge_dirty(f, &out);
    jh_outcome_free(&out);
    return rc;
}

/* Wall-clock tick (the real clock only). */
static void tick(jh_front *f)
{
    char err[256] = "";
    if (engine_tick(f, jh_time_now_ms(), err, sizeof err) < 0) {
        if (!f->store_failing)
            jh_log(JH_LOG_ERROR, "engine tick failed: %s", err);
        f->store_failing = 1;
    } else if (f->store_failing) {
        jh_log(JH_LOG_INFO, "engine tick works again");
        f->store_failing = 0;
    }
    drain_outbox(f);
    flush_dirty(f);
}

static void reply_refusal(jh_front *f, const jh_command *cmd, const jh_origin *origin,
                          const char *code, const char *message)
{
    jh_error e;
    snprintf(e.code, sizeof e.code, "%s", code);
    snprintf(e.message, sizeof e.message, "%s", message);
    char *r = jh_reply_error_json(cmd->id, &e);
    reply(f, cmd, origin, r);
    free(r);
}

/* {id, ok:true, now, ticks}: where the clock is now and how often the engine ticked. */
static char *clock_reply(const jh_front *f, const char *id, int ticks)
{
    char now[40];
    cJSON *o = cJSON_CreateObject();
    char *text = NULL;
    if (o && cJSON_AddStringToObject(o, "id", id) && cJSON_AddTrueToObject(o, "ok") &&
        cJSON_AddStringToObject(o, "now", jh_time_iso8601(f->sim_now, now, sizeof now)) &&
        cJSON_AddNumberToObject(o, "ticks", ticks))
        text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

/* The admin op `clock {to}`: moves the simulated clock, ticking on the way. Not recorded
 * as a command (it is no state change of the hall's own), so a resent one is harmless. */
static void handle_clock(jh_front *f, const jh_command *cmd, const jh_origin *origin)
{
    char err[256] = "";
    if (!f->sim) {
        reply_refusal(f, cmd, origin, "not-simulated",
                      "this caller runs on the real clock; only one started with --sim-clock takes clock");
        return;
    }
    if (cmd->clock_to < f->sim_now) {
        char at[40];
        snprintf(err, sizeof err, "the simulated clock is at %s and never goes back",
                 jh_time_iso8601(f->sim_now, at, sizeof at));
        reply_refusal(f, cmd, origin, "bad-field", err);
        return;
    }
    int ticks = jh_sim_clock_advance(&f->sim_now, cmd->clock_to, engine_tick, f, err, sizeof err);
    if (ticks < 0) {
        jh_log(JH_LOG_ERROR, "store failed on clock: %s", err);
        reply_refusal(f, cmd, origin, "internal", "the store failed; the clock stopped at the last good tick");
    } else {
        char *r = clock_reply(f, cmd->id, ticks);
        reply(f, cmd, origin, r);
        free(r);
    }
    drain_outbox(f);
    flush_dirty(f);
}

/* ---- commands from the broker ---- */

static void handle_command(jh_front *f, const char *topic, const char *payload, size_t len)
{
    jh_origin origin;
    if (jh_topic_origin(topic, f->cfg->site, &origin) < 0) {
        jh_log(JH_LOG_DEBUG, "ignored message on %s", topic);
        return;
    }
    jh_command cmd;
    jh_error perr;
    if (jh_command_parse(payload, len, &origin, &cmd, &perr) < 0) {
        char *r = jh_reply_error_json(cmd.id, &perr);
        reply(f, &cmd, &origin, r);
        free(r);
        return;
    }
    if (cmd.op == JH_OP_CLOCK) {
        handle_clock(f, &cmd, &origin);
        return;
    }
    jh_outcome out;
    memset(&out, 0, sizeof out);
    char err[256] = "";
    if (jh_engine_apply(f->engine, &origin, &cmd, hall_now(f), &out, err, sizeof err) < 0)
        jh_log(JH_LOG_ERROR, "store failed on %s from %s: %s", jh_op_name(cmd.op), origin.id, err);
    reply(f, &cmd, &origin, out.reply);
    merge_dirty(f, &out);
    jh_outcome_free(&out);
    drain_outbox(f);
    flush_dirty(f);
}

/* ---- the link's callbacks: record, publish, never pump ---- */

static void on_ack(void *user, int mid) { event_acked(user, mid); }

static void on_message(void *user, const char *topic, const void *payload, size_t len)
{
    handle_command(user, topic, payload, len);
}

static void status_online(jh_front *f)
{
    char payload[256];
    snprintf(payload, sizeof payload, "{\"online\":true,\"version\":\"%s\",\"started_at\":\"%s\"%s}",
             f->version, f->started_at, f->sim ? ",\"sim_clock\":true" : "");
    publish(f, "status/caller", payload, 1, NULL);
}

/* CONNACK accepted and the commands subscribed: what every (re)connection announces. */
static void on_session(void *user)
{
    jh_front *f = user;
    f->announced = jh_link_session(f->link);
    status_online(f);
    mark_all_dirty(f);
    flush_dirty(f);
    drain_outbox(f);
}

/* ---- what the link says: one log line per change, not one per attempt ---- */

static void log_link(const jh_front *f, jh_link_state s)
{
    const jh_hall_config *c = f->cfg;
    const char *why = jh_link_reason(f->link);
    if (s == JH_LINK_STATE_ONLINE)
        jh_log(JH_LOG_INFO, "connected to broker %s:%d", c->broker_host, c->broker_port);
    else if (s == JH_LINK_STATE_UNREACHABLE)
        jh_log(JH_LOG_WARN, "broker %s:%d unreachable (%s); retrying", c->broker_host, c->broker_port, why);
    else if (s == JH_LINK_STATE_REFUSED)
        jh_log(JH_LOG_ERROR, "broker refused the connection (%s); retrying", why);
    else if (s == JH_LINK_STATE_LOST)
        jh_log(JH_LOG_WARN, "lost the broker (%s); reconnecting", why);
}

/* systemd's status line (systemctl status jiaohao-caller) follows the broker link. */
static void notify_link(const jh_front *f, jh_link_state s)
{
    static const char *what[] = {[JH_LINK_STATE_STARTING] = "connecting",
                                 [JH_LINK_STATE_ONLINE] = "connected",
                                 [JH_LINK_STATE_UNREACHABLE] = "unreachable; retrying",
                                 [JH_LINK_STATE_REFUSED] = "refused the login; retrying",
                                 [JH_LINK_STATE_LOST] = "lost; reconnecting"};
    char st[300], err[300];
    snprintf(st, sizeof st, "STATUS=broker %s:%d %s", f->cfg->broker_host, f->cfg->broker_port, what[s]);
    if (jh_sd_notify(st, err, sizeof err) < 0)
        jh_log(JH_LOG_WARN, "systemd: %s", err);
}

static void follow_link(jh_front *f)
{
    jh_link_state s = jh_link_state_of(f->link);
    if (s == f->told)
        return;
    f->told = s;
    log_link(f, s);
    notify_link(f, s);
}

/* ---- the loop ---- */

static void loop_step(jh_front *f, int64_t *next_tick)
{
    int64_t now = mono_ms();
    if (now >= *next_tick) {
        *next_tick = now + TICK_MS;
        if (f->sim) { /* no time passes, but events held back for room go out */
            drain_outbox(f);
            flush_dirty(f);
        } else {
            tick(f);
        }
    }
    now = mono_ms(); /* the tick may have taken a while */
    jh_link_wait(f->link, now, *next_tick > now ? (int)(*next_tick - now) : 0);
    jh_link_pump(f->link, mono_ms());
    follow_link(f);
}

/* Says offline and waits briefly for the PUBACKs; jh_front_free's DISCONNECT then cancels the Will. */
static void shutdown_link(jh_front *f)
{
    if (!jh_link_connected(f->link))
        return;
    char payload[128], err[512];
    snprintf(payload, sizeof payload, "{\"online\":false,\"version\":\"%s\"}", f->version);
    if (jh_link_goodbye(f->link, f->status_topic, payload, SHUTDOWN_FLUSH_MS, err, sizeof err) < 0)
        jh_log(JH_LOG_WARN, "%s", err);
}

void jh_front_run(jh_front *f, volatile sig_atomic_t *stop)
{
    int64_t next_tick = mono_ms();
    jh_sd_watchdog watchdog = {0};
    char err[300];
    while (!*stop) {
        loop_step(f, &next_tick);
        /* Kicked from the loop itself: a round stuck in the store or the broker
         * link stops the kicks, and systemd restarts the daemon (WatchdogSec=). */
        if (jh_sd_watchdog_kick(&watchdog, mono_ms(), err, sizeof err) < 0)
            jh_log(JH_LOG_WARN, "systemd watchdog: %s", err);
    }
    jh_log(JH_LOG_INFO, "stopping");
    if (jh_sd_notify("STOPPING=1", err, sizeof err) < 0)
        jh_log(JH_LOG_WARN, "systemd: %s", err);
    shutdown_link(f);
}

/* ---- setup ---- */

static int topics(jh_front *f, char *err, size_t errlen)
{
    static const char *const suffixes[N_COMMAND_TOPICS] = {"kiosk/+/cmd", "counter/+/cmd", "admin/cmd"};
    int bad = jh_topic(f->status_topic, sizeof f->status_topic, f->cfg->site, "status/caller") < 0;
    for (int i = 0; i < N_COMMAND_TOPICS; i++)
        bad |= jh_topic(f->command_topics[i], sizeof f->command_topics[i], f->cfg->site, suffixes[i]) < 0;
    if (bad)
        snprintf(err, errlen, "cannot make the topics for site '%s'", f->cfg->site);
    return bad ? -1 : 0;
}

/* The link: a stable client id (its persistent session keeps the commands sent while
 * the daemon is down), the caller's login, TLS as configured, the Will. */
static int open_link(jh_front *f, char *err, size_t errlen)
{
    const jh_hall_config *c = f->cfg;
    char user[JH_ID_LEN], password[JH_PASSWORD_LEN], client_id[JH_CLIENT_ID_LEN];
    if (jh_client_id(client_id, sizeof client_id, jh_broker_user(c, "caller"), c->site, err, errlen) < 0 ||
        jh_broker_login(c, "caller", user, sizeof user, password, sizeof password, err, errlen) < 0)
        return -1;
    jh_link_opts o = {.host = c->broker_host, .port = c->broker_port, .user = user, .password = password,
                      .client_id = client_id, .cafile = c->broker_cafile, .certfile = c->broker_certfile,
                      .keyfile = c->broker_keyfile, .n_topics = N_COMMAND_TOPICS, .persistent = 1,
                      .keepalive_s = KEEPALIVE_S, .reads_per_pump = READS_PER_PUMP};
    for (int i = 0; i < N_COMMAND_TOPICS; i++)
        o.topics[i] = f->command_topics[i];
    f->link = jh_link_new(&o, on_message, on_session, f, err, errlen);
    memset(password, 0, sizeof password);
    if (!f->link)
        return -1;
    jh_link_on_ack(f->link, on_ack);
    return jh_link_set_will(f->link, f->status_topic, "{\"online\":false}", 1, err, errlen);
}

jh_front *jh_front_new(const jh_hall_config *cfg, jh_engine *engine, const char *version,
                       char *err, size_t errlen)
{
    jh_front *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    f->cfg = cfg;
    f->engine = engine;
    snprintf(f->version, sizeof f->version, "%s", version);
    jh_time_iso8601(jh_time_now_ms(), f->started_at, sizeof f->started_at);
    if (topics(f, err, errlen) < 0 || open_link(f, err, errlen) < 0) {
        jh_front_free(f);
        return NULL;
    }
    return f;
}

void jh_front_set_sim_clock(jh_front *f, int64_t start_ms)
{
    f->sim = 1;
    f->sim_now = start_ms;
}

void jh_front_free(jh_front *f)
{
    if (!f)
        return;
    jh_link_free(f->link);
    free(f);
}
