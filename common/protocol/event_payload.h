/* SPDX-License-Identifier: MIT */
/*
 * event_payload — the events as one C struct: event/<kind> (docs/protocol.md "Events").
 *
 * Owns: the event kinds and their topic words ("no-show" → event/no-show), and
 * which fields each kind carries: one table per kind (event_payload.c), by
 * which the caller's engine writes an event and a board reads it. Every kind
 * uses the same struct, each its own members of it; a kind's table names the
 * ones it sends, in the order it sends them, after "seq", which every event
 * has first. Text "" stands for null where the wire has null.
 */
#ifndef JH_EVENT_PAYLOAD_H
#define JH_EVENT_PAYLOAD_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "hall_config.h"
#include "state_payload.h"
#include "wire_keys.h"

typedef enum {
    JH_EVENT_ISSUED,
    JH_EVENT_VOIDED,
    JH_EVENT_CALLED,
    JH_EVENT_RECALLED,
    JH_EVENT_NO_SHOW,
    JH_EVENT_FINISHED,
    JH_EVENT_TRANSFERRED,
    JH_EVENT_PAUSED,
    JH_EVENT_RESUMED,
    JH_EVENT_RATED,
    JH_EVENT_ALERT_LONG_WAIT, /* event/alert, "kind":"long-wait" */
    JH_EVENT_ALERT_OVERRUN,   /* event/alert, "kind":"overrun" */
    JH_EVENT_ALERT_STAFF_LOCKED, /* event/alert, "kind":"staff-locked" */
    JH_EVENT_RATING_INVITED,  /* staff asked the visitor to rate (invite-rating) */
    JH_EVENT_COUNT
} jh_event_kind;

#define JH_RATING_FLAGS_CAP 4
#define JH_REASON_TEXT_LEN 160

/* called "reason": why dispatch chose this ticket. */
typedef struct {
    char policy[JH_ID_LEN];          /* strict, ratio, max-consecutive, ageing */
    char rule[JH_ID_LEN];            /* green-first, requested, … (docs/protocol.md) */
    char text[JH_REASON_TEXT_LEN];   /* one English line for people */
} jh_call_reason;

typedef struct {
    jh_event_kind kind;
    int64_t seq;                     /* grows by one per event of any kind, across restarts */
    char ticket[JH_ID_LEN];
    char counter[JH_ID_LEN];         /* long-wait: "" (null) unless transferred to one counter */
    int counter_number;              /* -1: left out */
    char counter_name[JH_TEXT_LEN];
    char counter_name_en[JH_TEXT_LEN];
    char service[JH_ID_LEN];
    char service_name[JH_TEXT_LEN];
    char service_name_en[JH_TEXT_LEN];
    char priority[JH_ID_LEN];
    int call_count;                  /* calls of the current session: what a board announces */
    char staff_id[JH_ID_LEN];
    char staff_name[JH_TEXT_LEN];
    char at[JH_TIME_LEN];
    int waited_s;                    /* called, long-wait */
    jh_call_reason why;              /* called: its "reason" object */
    int ahead;                       /* issued: people before this ticket */
    int ewt_s;                       /* issued */
    char issued_at[JH_TIME_LEN];
    int day;
    char kiosk[JH_ID_LEN];
    char lang[8];
    char reason[JH_TEXT_LEN];        /* voided, paused: the sender's words */
    char message[JH_LONG_TEXT_LEN];  /* paused: 去向留言 */
    int service_s;                   /* finished */
    int target_s;
    int overrun;
    char from_service[JH_ID_LEN];    /* transferred */
    char to_counter[JH_ID_LEN];      /* transferred: "" (null) for any counter */
    int paused_s;                    /* resumed */
    int score;                       /* rated: 1..5 */
    int suspicious;
    char flags[JH_RATING_FLAGS_CAP][JH_ID_LEN]; /* rated: JH_FLAG_* */
    int n_flags;
    int serving_s;                   /* overrun */
    int limit_s;                     /* alerts */
    char until[JH_TIME_LEN];         /* staff-locked: when the lock ends */
} jh_event_payload;

/* The topic word of kind k ("no-show"; both alerts are "alert"), or NULL for no kind. */
const char *jh_event_kind_name(jh_event_kind k);

/* The payload of ev (by ev->kind) as a new object, seq first; NULL when out of memory. */
cJSON *jh_event_encode(const jh_event_payload *ev);

/*
 * Reads event/<kind> (the topic's last level) from object o into *ev. seq is
 * read whatever the kind; then ev->kind is set and the kind's fields read
 * (fields o lacks keep their value). Returns 0, or -1 when the kind is not one
 * of ours (an alert of an unknown kind included).
 */
int jh_event_decode(const char *kind, const cJSON *o, jh_event_payload *ev);

#endif
