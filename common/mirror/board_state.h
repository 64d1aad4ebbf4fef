/* SPDX-License-Identifier: MIT */
/*
 * board_state — what the boards know: the caller's published state, held as plain structs.
 *
 * Owns: turning one MQTT message (topic + JSON payload from the caller daemon:
 * state/counter/<id>, state/service/<code>, state/hall, status/caller,
 * event/<kind>) into changes of a jh_board, and deciding what a message means
 * for the screen and the loudspeaker (a new call to announce, a duplicate to
 * ignore, a gap in the event sequence). It does no I/O and no drawing; the
 * layouts read a jh_board, the app feeds it messages.
 *
 * The caller is the only owner of state, so the board never guesses: fields a
 * message lacks stay empty and are simply not drawn. A payload that is not a
 * JSON object, or a topic of another site, is refused with a message and leaves
 * the board exactly as it was. Payloads are read by the protocol's codec
 * (state_payload.h, event_payload.h), the tables the caller writes them by;
 * it cleans strings on the way in (valid UTF-8, no control characters, cut at
 * a character boundary: utf8_text.h) so the text renderer never sees bytes it
 * could choke on.
 */
#ifndef JH_BOARD_STATE_H
#define JH_BOARD_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "hall_config.h"

#define JH_BOARD_MAX_COUNTERS JH_MAX_COUNTERS
#define JH_BOARD_MAX_SERVICES JH_MAX_SERVICES
#define JH_BOARD_MAX_HISTORY 16 /* state/hall sends up to 10; events may add a few */

typedef enum {
    JH_COUNTER_UNKNOWN = 0, /* status missing or not one we know: drawn as idle */
    JH_COUNTER_SERVING,
    JH_COUNTER_IDLE,
    JH_COUNTER_PAUSED,
    JH_COUNTER_CLOSED
} jh_counter_status;

typedef struct {
    char id[JH_ID_LEN];
    int number;                       /* 0 when not published */
    char name[JH_TEXT_LEN];
    char name_en[JH_TEXT_LEN];
    jh_counter_status status;
    char ticket[JH_ID_LEN];
    char service[JH_ID_LEN];
    char priority[JH_ID_LEN];
    char staff_id[JH_ID_LEN];
    char staff_name[JH_TEXT_LEN];
    char message[JH_LONG_TEXT_LEN];   /* 去向留言 while paused */
    int call_count;
    int overrun;
} jh_board_counter;

typedef struct {
    char code[JH_ID_LEN];
    char name[JH_TEXT_LEN];
    char name_en[JH_TEXT_LEN];
    int open;                         /* -1 unknown, 0, 1 */
    char next_open[40];
    int waiting;                      /* -1 unknown */
    int waiting_priority;             /* -1 unknown */
    int ewt_s;                        /* -1 unknown */
    char next_ticket[JH_ID_LEN];
    char last_called[JH_ID_LEN];
} jh_board_service;

/* One call as the boards show and speak it. Names are empty when only state/hall knew it. */
typedef struct {
    int64_t seq;                      /* -1 when not known (state/hall's last_called has none) */
    char ticket[JH_ID_LEN];
    char counter[JH_ID_LEN];
    int counter_number;
    char counter_name[JH_TEXT_LEN];
    char counter_name_en[JH_TEXT_LEN];
    char service[JH_ID_LEN];
    char service_name[JH_TEXT_LEN];
    char service_name_en[JH_TEXT_LEN];
    char priority[JH_ID_LEN];
    char staff_name[JH_TEXT_LEN];
    char at[40];
    int recall;                       /* 1 for event/recalled */
} jh_board_call;

typedef struct {
    char site[JH_ID_LEN];             /* only this site's topics are accepted */
    char name[JH_TEXT_LEN];
    char name_en[JH_TEXT_LEN];
    int open;                         /* -1 unknown */
    char notice[JH_LONG_TEXT_LEN];
    int day;
    int64_t hall_seq;                 /* state/hall "seq": last event it accounts for; -1 */
    int64_t last_seq;                 /* newest event seq seen; -1 */
    int caller_online;                /* -1 never heard, 0 offline, 1 online */
    int have_hall;

    jh_board_counter counters[JH_BOARD_MAX_COUNTERS]; /* sorted by number, then id */
    int n_counters;
    jh_board_service services[JH_BOARD_MAX_SERVICES]; /* sorted by code */
    int n_services;
    jh_board_call history[JH_BOARD_MAX_HISTORY];      /* newest first */
    int n_history;

    /* calls learnt from events newer than state/hall's seq, newest first, so a
     * state/hall that is a little behind does not drop them from the history */
    jh_board_call recent[JH_BOARD_MAX_HISTORY];
    int n_recent;

    uint64_t version;                 /* grows on every visible change */
} jh_board;

typedef enum {
    JH_UPDATE_NONE = 0,   /* understood, nothing visible changed */
    JH_UPDATE_STATE,      /* retained state changed */
    JH_UPDATE_CALL,       /* event/called or event/recalled: show it big and announce it */
    JH_UPDATE_EVENT,      /* another event: only its seq matters here */
    JH_UPDATE_DUPLICATE   /* an event seen before (QoS 1 may deliver twice): ignored */
} jh_update_kind;

typedef struct {
    jh_update_kind kind;
    jh_board_call call;   /* JH_UPDATE_CALL */
    int gap;              /* events were missed: expected_seq .. got_seq-1 */
    int64_t expected_seq;
    int64_t got_seq;
    int seq_reset;        /* the caller's seq went backwards (its data was reset) */
} jh_board_update;

/* Empties *b (large: allocate it) and sets the site it accepts topics for. */
void jh_board_init(jh_board *b, const char *site);

/*
 * Applies one message. `topic` is the full topic (jh/v1/<site>/...). An empty
 * payload on a state topic is a cleared retained message and removes the item.
 * Returns 0 and fills *up, or -1 with one line in err (board unchanged).
 */
int jh_board_apply(jh_board *b, const char *topic, const void *payload, size_t len,
                   jh_board_update *up, char *err, size_t errlen);

/* Forgets everything the broker told us (site kept): used when the link drops. */
void jh_board_forget(jh_board *b);

const jh_board_counter *jh_board_counter_find(const jh_board *b, const char *id);
const jh_board_service *jh_board_service_find(const jh_board *b, const char *code);
/* The wire's word for a status (JH_STATUS_*), "unknown" for JH_COUNTER_UNKNOWN. */
const char *jh_board_status_name(jh_counter_status s);

#endif
