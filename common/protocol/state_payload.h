/* SPDX-License-Identifier: MIT */
/*
 * state_payload — the retained states as C structs: state/counter/<id>,
 * state/service/<code> and state/hall (docs/protocol.md "Retained state").
 *
 * Owns: what each state says, field by field: the struct, and the one table
 * (state_payload.c) by which the caller's engine writes it and the mirror
 * (common/mirror) reads it. Text "" stands for null where the wire has null
 * (a time not set, a ticket when serving nobody, staff when closed); a figure
 * that may be null is JH_COUNT_NULL, a percentage -1. Decoding keeps what the
 * struct held for a field the payload lacks (payload_codec.h), so a reader
 * presets its "unknown"s.
 */
#ifndef JH_STATE_PAYLOAD_H
#define JH_STATE_PAYLOAD_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "hall_config.h"
#include "payload_codec.h"
#include "wire_keys.h"

#define JH_TIME_LEN 40        /* "2026-11-23T09:05:07+08:00" */
#define JH_LAST_CALLED_CAP 16 /* the caller sends up to 10 */

/* state/counter/<id> */
typedef struct {
    char counter[JH_ID_LEN];
    int number;                     /* on the boards: "3号窗口" */
    char name[JH_TEXT_LEN];
    char name_en[JH_TEXT_LEN];
    char status[JH_ID_LEN];         /* JH_STATUS_* */
    char staff_id[JH_ID_LEN];       /* "": null, nobody logged in */
    char staff_name[JH_TEXT_LEN];
    char message[JH_LONG_TEXT_LEN]; /* 去向留言 while paused */
    char since[JH_TIME_LEN];        /* when the status began */
    char ticket[JH_ID_LEN];         /* "": null, serving nobody; also service, priority */
    char service[JH_ID_LEN];
    char priority[JH_ID_LEN];
    int call_count;                 /* calls of the current session: 1, then 2 on a recall … */
    int serving_s;
    int overrun;                    /* the current case is past its service's target */
} jh_counter_state;

/* state/service/<code> */
typedef struct {
    char service[JH_ID_LEN];
    char name[JH_TEXT_LEN];
    char name_en[JH_TEXT_LEN];
    int open;
    char next_open[JH_TIME_LEN];    /* "": null; set while closed by its hours */
    int waiting;
    int waiting_priority;           /* the green-channel tickets among waiting */
    char next_ticket[JH_ID_LEN];    /* "": null, the day's numbers or limit are used up */
    char last_called[JH_ID_LEN];    /* "": null */
    int day;
    int ewt_s;                      /* estimated wait of a ticket taken now */
    int target_service_s;
} jh_service_state;

/* One of state/hall "last_called", newest first. */
typedef struct {
    char ticket[JH_ID_LEN];
    char counter[JH_ID_LEN];
    int counter_number;             /* -1: left out (a counter no longer in the config) */
    char at[JH_TIME_LEN];
} jh_last_call;

/* state/hall "today": the business day's running figures (docs/engine.md "Live supervision"). */
typedef struct {
    int64_t issued, issued_green, served, served_green, no_shows, voided, expired;
    int64_t mean_wait_s, p90_wait_s, max_wait_s, mean_service_s; /* JH_COUNT_NULL: nobody yet */
    int64_t overruns, ratings;
    double satisfaction_pct;        /* one decimal; -1: null, no rating yet */
    int64_t waiting, waiting_green, serving, counters_open, counters_paused;
} jh_hall_today;

/* state/hall */
typedef struct {
    char site[JH_ID_LEN];
    char name[JH_TEXT_LEN];
    char name_en[JH_TEXT_LEN];
    int open;
    char notice[JH_LONG_TEXT_LEN];
    int day;
    int64_t seq;                    /* the last event's seq: what this state accounts for */
    jh_last_call last_called[JH_LAST_CALLED_CAP];
    int n_last_called;
    jh_hall_today today;
} jh_hall_state;

/* The payload as a new object (print it with cJSON_PrintUnformatted), or NULL when out of memory. */
cJSON *jh_counter_state_encode(const jh_counter_state *s);
cJSON *jh_service_state_encode(const jh_service_state *s);
cJSON *jh_hall_state_encode(const jh_hall_state *s);

/* Reads object o into *s; fields o lacks keep their value. */
void jh_counter_state_decode(const cJSON *o, jh_counter_state *s);
void jh_service_state_decode(const cJSON *o, jh_service_state *s);
void jh_hall_state_decode(const cJSON *o, jh_hall_state *s);

#endif
