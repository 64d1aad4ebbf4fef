/* SPDX-License-Identifier: MIT */
/*
 * state_payload — see state_payload.h. The tables below are the retained
 * states of docs/protocol.md, in the order the caller writes their keys.
 */
#include "state_payload.h"

#include "payload_codec.h"

static const jh_field counter_fields[] = {
    JH_FIELD(JH_F_TEXT, jh_counter_state, counter, JH_KEY_COUNTER),
    JH_FIELD(JH_F_INT, jh_counter_state, number, JH_KEY_NUMBER),
    JH_FIELD(JH_F_TEXT, jh_counter_state, name, JH_KEY_NAME),
    JH_FIELD(JH_F_TEXT, jh_counter_state, name_en, JH_KEY_NAME_EN),
    JH_FIELD(JH_F_TEXT, jh_counter_state, status, JH_KEY_STATUS),
    JH_FIELD(JH_F_TEXT_NULL, jh_counter_state, staff_id, JH_KEY_STAFF_ID),
    JH_FIELD(JH_F_TEXT_NULL, jh_counter_state, staff_name, JH_KEY_STAFF_NAME),
    JH_FIELD(JH_F_TEXT, jh_counter_state, message, JH_KEY_MESSAGE),
    JH_FIELD(JH_F_TEXT_NULL, jh_counter_state, since, JH_KEY_SINCE),
    JH_FIELD(JH_F_TEXT_NULL, jh_counter_state, ticket, JH_KEY_TICKET),
    JH_FIELD(JH_F_TEXT_NULL, jh_counter_state, service, JH_KEY_SERVICE),
    JH_FIELD(JH_F_TEXT_NULL, jh_counter_state, priority, JH_KEY_PRIORITY),
    JH_FIELD(JH_F_INT, jh_counter_state, call_count, JH_KEY_CALL_COUNT),
    JH_FIELD(JH_F_INT, jh_counter_state, serving_s, JH_KEY_SERVING_S),
    JH_FIELD(JH_F_BOOL, jh_counter_state, overrun, JH_KEY_OVERRUN),
    JH_FIELD_END,
};

static const jh_field service_fields[] = {
    JH_FIELD(JH_F_TEXT, jh_service_state, service, JH_KEY_SERVICE),
    JH_FIELD(JH_F_TEXT, jh_service_state, name, JH_KEY_NAME),
    JH_FIELD(JH_F_TEXT, jh_service_state, name_en, JH_KEY_NAME_EN),
    JH_FIELD(JH_F_BOOL, jh_service_state, open, JH_KEY_OPEN),
    JH_FIELD(JH_F_TEXT_NULL, jh_service_state, next_open, JH_KEY_NEXT_OPEN),
    JH_FIELD(JH_F_INT, jh_service_state, waiting, JH_KEY_WAITING),
    JH_FIELD(JH_F_INT, jh_service_state, waiting_priority, JH_KEY_WAITING_PRIORITY),
    JH_FIELD(JH_F_TEXT_NULL, jh_service_state, next_ticket, JH_KEY_NEXT_TICKET),
    JH_FIELD(JH_F_TEXT_NULL, jh_service_state, last_called, JH_KEY_LAST_CALLED),
    JH_FIELD(JH_F_INT, jh_service_state, day, JH_KEY_DAY),
    JH_FIELD(JH_F_INT, jh_service_state, ewt_s, JH_KEY_EWT_S),
    JH_FIELD(JH_F_INT, jh_service_state, target_service_s, JH_KEY_TARGET_SERVICE_S),
    JH_FIELD_END,
};

static const jh_field last_call_fields[] = {
    JH_FIELD(JH_F_TEXT, jh_last_call, ticket, JH_KEY_TICKET),
    JH_FIELD(JH_F_TEXT, jh_last_call, counter, JH_KEY_COUNTER),
    JH_FIELD(JH_F_INT_OPT, jh_last_call, counter_number, JH_KEY_COUNTER_NUMBER),
    JH_FIELD(JH_F_TEXT_NULL, jh_last_call, at, JH_KEY_AT),
    JH_FIELD_END,
};

static const jh_field today_fields[] = {
    JH_FIELD(JH_F_COUNT, jh_hall_today, issued, JH_KEY_ISSUED),
    JH_FIELD(JH_F_COUNT, jh_hall_today, issued_green, JH_KEY_ISSUED_GREEN),
    JH_FIELD(JH_F_COUNT, jh_hall_today, served, JH_KEY_SERVED),
    JH_FIELD(JH_F_COUNT, jh_hall_today, served_green, JH_KEY_SERVED_GREEN),
    JH_FIELD(JH_F_COUNT, jh_hall_today, no_shows, JH_KEY_NO_SHOWS),
    JH_FIELD(JH_F_COUNT, jh_hall_today, voided, JH_KEY_VOIDED),
    JH_FIELD(JH_F_COUNT, jh_hall_today, expired, JH_KEY_EXPIRED),
    JH_FIELD(JH_F_COUNT_NULL, jh_hall_today, mean_wait_s, JH_KEY_MEAN_WAIT_S),
    JH_FIELD(JH_F_COUNT_NULL, jh_hall_today, p90_wait_s, JH_KEY_P90_WAIT_S),
    JH_FIELD(JH_F_COUNT_NULL, jh_hall_today, max_wait_s, JH_KEY_MAX_WAIT_S),
    JH_FIELD(JH_F_COUNT_NULL, jh_hall_today, mean_service_s, JH_KEY_MEAN_SERVICE_S),
    JH_FIELD(JH_F_COUNT, jh_hall_today, overruns, JH_KEY_OVERRUNS),
    JH_FIELD(JH_F_COUNT, jh_hall_today, ratings, JH_KEY_RATINGS),
    JH_FIELD(JH_F_REAL_NULL, jh_hall_today, satisfaction_pct, JH_KEY_SATISFACTION_PCT),
    JH_FIELD(JH_F_COUNT, jh_hall_today, waiting, JH_KEY_WAITING),
    JH_FIELD(JH_F_COUNT, jh_hall_today, waiting_green, JH_KEY_WAITING_GREEN),
    JH_FIELD(JH_F_COUNT, jh_hall_today, serving, JH_KEY_SERVING),
    JH_FIELD(JH_F_COUNT, jh_hall_today, counters_open, JH_KEY_COUNTERS_OPEN),
    JH_FIELD(JH_F_COUNT, jh_hall_today, counters_paused, JH_KEY_COUNTERS_PAUSED),
    JH_FIELD_END,
};

static const jh_field hall_fields[] = {
    JH_FIELD(JH_F_TEXT, jh_hall_state, site, JH_KEY_SITE),
    JH_FIELD(JH_F_TEXT, jh_hall_state, name, JH_KEY_NAME),
    JH_FIELD(JH_F_TEXT, jh_hall_state, name_en, JH_KEY_NAME_EN),
    JH_FIELD(JH_F_BOOL, jh_hall_state, open, JH_KEY_OPEN),
    JH_FIELD(JH_F_TEXT, jh_hall_state, notice, JH_KEY_NOTICE),
    JH_FIELD(JH_F_INT, jh_hall_state, day, JH_KEY_DAY),
    JH_FIELD(JH_F_COUNT, jh_hall_state, seq, JH_KEY_SEQ),
    JH_FIELD_LIST(JH_F_LIST, jh_hall_state, last_called, n_last_called, JH_KEY_LAST_CALLED,
                  last_call_fields),
    JH_FIELD_OBJECT(jh_hall_state, today, JH_KEY_TODAY, today_fields),
    JH_FIELD_END,
};

cJSON *jh_counter_state_encode(const jh_counter_state *s) { return jh_payload_encode(counter_fields, s); }

cJSON *jh_service_state_encode(const jh_service_state *s) { return jh_payload_encode(service_fields, s); }

cJSON *jh_hall_state_encode(const jh_hall_state *s) { return jh_payload_encode(hall_fields, s); }

void jh_counter_state_decode(const cJSON *o, jh_counter_state *s) { jh_payload_decode(counter_fields, o, s); }

void jh_service_state_decode(const cJSON *o, jh_service_state *s) { jh_payload_decode(service_fields, o, s); }

void jh_hall_state_decode(const cJSON *o, jh_hall_state *s) { jh_payload_decode(hall_fields, o, s); }
