/* SPDX-License-Identifier: MIT */
/*
 * engine — the queue engine: the one owner of a hall's state.
 *
 * Owns: services' numbering, tickets, counters and staff (the roster, their
 * secrets, what each role may do, the audit trail), the dispatch decision,
 * opening hours and the daily reset, ratings, and the durable store they
 * live in. It is a pure library: no MQTT, no SDL, no serial. Its inputs
 * are parsed commands (protocol.h) and the time "now"; its outputs are a JSON
 * reply, events in a durable outbox, and JSON snapshots of state.
 *
 * Durability contract: jh_engine_apply() runs one SQLite transaction (WAL,
 * synchronous=FULL) that stores the state change, the command id with its
 * reply, and the events it caused; it commits before returning. Only then may
 * the front announce anything. A command id seen before (per origin) returns
 * the stored reply and changes nothing.
 *
 * Events: each has a `seq` that grows by one across all kinds and across
 * restarts. They wait in the outbox until the front has handed them to the
 * broker and acknowledged them, so a crash between commit and publish loses
 * nothing (displays drop duplicates by seq).
 */
#ifndef JH_ENGINE_H
#define JH_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "hall_config.h"
#include "protocol.h"

typedef struct jh_engine jh_engine;

/* What one call changed, so the front republishes just those retained states. */
typedef struct {
    char *reply;                             /* JSON reply (malloc'd), always set on return 0 */
    int ok;                                  /* the reply's "ok" */
    int duplicate;                           /* 1: command id seen before; stored reply returned */
    unsigned char service_dirty[JH_MAX_SERVICES];
    unsigned char counter_dirty[JH_MAX_COUNTERS];
    int hall_dirty;
    int n_events;                            /* events this call put in the outbox */
} jh_outcome;

typedef struct {
    int64_t seq;
    char kind[32];   /* "called" → topic event/called */
    char *payload;   /* JSON (malloc'd) */
} jh_event;

/*
 * Opens (creating if needed) the store at db_path for the hall `cfg`, which
 * must outlive the engine. Reads [staff] roster, when the hall names one, and
 * hashes the secrets of the people the store lacks (the first apply or tick
 * writes them). Returns NULL with a one-line message in err (a roster line
 * at fault included).
 */
jh_engine *jh_engine_open(const jh_hall_config *cfg, const char *db_path, char *err, size_t errlen);
void jh_engine_close(jh_engine *e);

/*
 * Durability (default on: every apply is fsynced before it returns). Only a
 * simulation or benchmark that can rebuild its store may turn it off
 * (jiaohao-sim-day, bench_ewt): a crash may then lose the last commands.
 */
int jh_engine_set_durable(jh_engine *e, int durable);

/*
 * Applies one command from `origin` at time now_ms. Returns 0 with *out
 * filled (a refusal is still 0, with out->ok == 0 and an error reply), or -1
 * when the store itself failed (disk full, I/O error): then nothing changed,
 * out->reply holds an "internal" error reply, and err says why.
 */
int jh_engine_apply(jh_engine *e, const jh_origin *origin, const jh_command *cmd, int64_t now_ms,
                    jh_outcome *out, char *err, size_t errlen);

/*
 * Lets time pass: day rollover, services opening/closing, estimated waits,
 * service-time overruns. Call about once a second. Marks what changed in *out
 * (out->reply stays NULL). Sends alerts (event kind "alert"), each once per
 * ticket: a ticket waiting longer than [dispatch] wait_alert_minutes
 * (kind long-wait), a counter serving longer than its service's target
 * (kind overrun); out->n_events counts them. Returns -1 on a store failure.
 */
int jh_engine_tick(jh_engine *e, int64_t now_ms, jh_outcome *out, char *err, size_t errlen);

void jh_outcome_free(jh_outcome *out);

/* Retained state payloads (malloc'd JSON), as docs/protocol.md "Events and state". */
char *jh_engine_counter_state(jh_engine *e, int counter_index, int64_t now_ms);
char *jh_engine_service_state(jh_engine *e, int service_index, int64_t now_ms);
char *jh_engine_hall_state(jh_engine *e, int64_t now_ms);

/*
 * The estimated wait of a ticket taken now in service `service_index` (green or
 * not), with what it rests on. ewt_s is what a take would print; simple_s is
 * the simple rule (ahead × mean ÷ open counters) for comparison (bench_ewt).
 * Reads only. Returns 0, or -1 on a store error or a bad index.
 */
typedef struct {
    int ahead;              /* people a new ticket would have before it */
    int open_counters;      /* counters logged in, not paused, that serve the service */
    double mean_service_s;  /* recent mean service time (or the target) */
    int ewt_s;
    int simple_s;
} jh_estimate;
int jh_engine_estimate(jh_engine *e, int service_index, int green, int64_t now_ms,
                       jh_estimate *out);

/*
 * Outbox: the oldest event not yet acknowledged with seq > after_seq.
 * Returns 1 and fills *ev (free with jh_event_free), 0 when there is none, -1 on error.
 */
int jh_engine_outbox_next(jh_engine *e, int64_t after_seq, jh_event *ev);
/* Marks every event up to and including seq as handed to the broker. */
int jh_engine_outbox_ack(jh_engine *e, int64_t seq);
void jh_event_free(jh_event *ev);

#endif
