/* SPDX-License-Identifier: MIT */
/*
 * event_payload — see event_payload.h. The tables below are docs/protocol.md's
 * table of events, one per kind, in the order the caller writes their keys
 * (the order carries no meaning on the wire; it keeps the payloads as they were).
 */
#include "event_payload.h"

#include <string.h>

#include "payload_codec.h"

/* A row of an event table: member m of jh_event_payload under key. */
#define E(kind, m, key) JH_FIELD(kind, jh_event_payload, m, key)

static const jh_field seq_fields[] = {
    E(JH_F_COUNT, seq, JH_KEY_SEQ),
    JH_FIELD_END,
};

static const jh_field reason_fields[] = {
    JH_FIELD(JH_F_TEXT, jh_call_reason, policy, JH_KEY_POLICY),
    JH_FIELD(JH_F_TEXT, jh_call_reason, rule, JH_KEY_RULE),
    JH_FIELD(JH_F_TEXT, jh_call_reason, text, JH_KEY_TEXT),
    JH_FIELD_END,
};

static const jh_field issued_fields[] = {
    E(JH_F_TEXT, ticket, JH_KEY_TICKET),
    E(JH_F_TEXT, service, JH_KEY_SERVICE),
    E(JH_F_TEXT, service_name, JH_KEY_SERVICE_NAME),
    E(JH_F_TEXT, service_name_en, JH_KEY_SERVICE_NAME_EN),
    E(JH_F_TEXT, priority, JH_KEY_PRIORITY),
    E(JH_F_INT, ahead, JH_KEY_AHEAD),
    E(JH_F_INT, ewt_s, JH_KEY_EWT_S),
    E(JH_F_TEXT_NULL, issued_at, JH_KEY_ISSUED_AT),
    E(JH_F_INT, day, JH_KEY_DAY),
    E(JH_F_TEXT, kiosk, JH_KEY_KIOSK),
    E(JH_F_TEXT, lang, JH_KEY_LANG),
    JH_FIELD_END,
};

static const jh_field voided_fields[] = {
    E(JH_F_TEXT, ticket, JH_KEY_TICKET),
    E(JH_F_TEXT, service, JH_KEY_SERVICE),
    E(JH_F_TEXT, kiosk, JH_KEY_KIOSK),
    E(JH_F_TEXT, reason, JH_KEY_REASON),
    E(JH_F_TEXT_NULL, at, JH_KEY_AT),
    JH_FIELD_END,
};

/* What a board needs to show and announce a call; recalled is exactly this. */
static const jh_field recalled_fields[] = {
    E(JH_F_TEXT, ticket, JH_KEY_TICKET),
    E(JH_F_TEXT, counter, JH_KEY_COUNTER),
    E(JH_F_INT_OPT, counter_number, JH_KEY_COUNTER_NUMBER),
    E(JH_F_TEXT, counter_name, JH_KEY_COUNTER_NAME),
    E(JH_F_TEXT, counter_name_en, JH_KEY_COUNTER_NAME_EN),
    E(JH_F_TEXT, service, JH_KEY_SERVICE),
    E(JH_F_TEXT, service_name, JH_KEY_SERVICE_NAME),
    E(JH_F_TEXT, service_name_en, JH_KEY_SERVICE_NAME_EN),
    E(JH_F_TEXT, priority, JH_KEY_PRIORITY),
    E(JH_F_INT, call_count, JH_KEY_CALL_COUNT),
    E(JH_F_TEXT, staff_id, JH_KEY_STAFF_ID),
    E(JH_F_TEXT, staff_name, JH_KEY_STAFF_NAME),
    E(JH_F_TEXT_NULL, at, JH_KEY_AT),
    JH_FIELD_END,
};

static const jh_field called_fields[] = {
    E(JH_F_TEXT, ticket, JH_KEY_TICKET),
    E(JH_F_TEXT, counter, JH_KEY_COUNTER),
    E(JH_F_INT_OPT, counter_number, JH_KEY_COUNTER_NUMBER),
    E(JH_F_TEXT, counter_name, JH_KEY_COUNTER_NAME),
    E(JH_F_TEXT, counter_name_en, JH_KEY_COUNTER_NAME_EN),
    E(JH_F_TEXT, service, JH_KEY_SERVICE),
    E(JH_F_TEXT, service_name, JH_KEY_SERVICE_NAME),
    E(JH_F_TEXT, service_name_en, JH_KEY_SERVICE_NAME_EN),
    E(JH_F_TEXT, priority, JH_KEY_PRIORITY),
    E(JH_F_INT, call_count, JH_KEY_CALL_COUNT),
    E(JH_F_TEXT, staff_id, JH_KEY_STAFF_ID),
    E(JH_F_TEXT, staff_name, JH_KEY_STAFF_NAME),
    E(JH_F_TEXT_NULL, at, JH_KEY_AT),
    E(JH_F_INT, waited_s, JH_KEY_WAITED_S),
    JH_FIELD_OBJECT(jh_event_payload, why, JH_KEY_REASON, reason_fields),
    JH_FIELD_END,
};

static const jh_field no_show_fields[] = {
    E(JH_F_TEXT, ticket, JH_KEY_TICKET),
    E(JH_F_TEXT, counter, JH_KEY_COUNTER),
    E(JH_F_INT_OPT, counter_number, JH_KEY_COUNTER_NUMBER),
    E(JH_F_TEXT, counter_name, JH_KEY_COUNTER_NAME),
    E(JH_F_TEXT, counter_name_en, JH_KEY_COUNTER_NAME_EN),
    E(JH_F_TEXT, staff_id, JH_KEY_STAFF_ID),
    E(JH_F_TEXT, service, JH_KEY_SERVICE),
    E(JH_F_INT, call_count, JH_KEY_CALL_COUNT),
    E(JH_F_TEXT_NULL, at, JH_KEY_AT),
    JH_FIELD_END,
};

static const jh_field finished_fields[] = {
    E(JH_F_TEXT, ticket, JH_KEY_TICKET),
    E(JH_F_TEXT, counter, JH_KEY_COUNTER),
    E(JH_F_INT_OPT, counter_number, JH_KEY_COUNTER_NUMBER),
    E(JH_F_TEXT, counter_name, JH_KEY_COUNTER_NAME),
    E(JH_F_TEXT, counter_name_en, JH_KEY_COUNTER_NAME_EN),
    E(JH_F_TEXT, staff_id, JH_KEY_STAFF_ID),
    E(JH_F_TEXT, service, JH_KEY_SERVICE),
    E(JH_F_INT, service_s, JH_KEY_SERVICE_S),
    E(JH_F_INT, target_s, JH_KEY_TARGET_S),
    E(JH_F_BOOL, overrun, JH_KEY_OVERRUN),
    E(JH_F_TEXT_NULL, at, JH_KEY_AT),
    JH_FIELD_END,
};

static const jh_field transferred_fields[] = {
    E(JH_F_TEXT, ticket, JH_KEY_TICKET),
    E(JH_F_TEXT, counter, JH_KEY_COUNTER),
    E(JH_F_INT_OPT, counter_number, JH_KEY_COUNTER_NUMBER),
    E(JH_F_TEXT, counter_name, JH_KEY_COUNTER_NAME),
    E(JH_F_TEXT, counter_name_en, JH_KEY_COUNTER_NAME_EN),
    E(JH_F_TEXT, from_service, JH_KEY_FROM_SERVICE),
    E(JH_F_TEXT, service, JH_KEY_SERVICE),
    E(JH_F_TEXT, service_name, JH_KEY_SERVICE_NAME),
    E(JH_F_TEXT, service_name_en, JH_KEY_SERVICE_NAME_EN),
    E(JH_F_TEXT_NULL, to_counter, JH_KEY_TO_COUNTER),
    E(JH_F_TEXT, priority, JH_KEY_PRIORITY),
    E(JH_F_TEXT, staff_id, JH_KEY_STAFF_ID),
    E(JH_F_TEXT_NULL, at, JH_KEY_AT),
    JH_FIELD_END,
};

static const jh_field paused_fields[] = {
    E(JH_F_TEXT, counter, JH_KEY_COUNTER),
    E(JH_F_INT_OPT, counter_number, JH_KEY_COUNTER_NUMBER),
    E(JH_F_TEXT, counter_name, JH_KEY_COUNTER_NAME),
    E(JH_F_TEXT, counter_name_en, JH_KEY_COUNTER_NAME_EN),
    E(JH_F_TEXT, staff_id, JH_KEY_STAFF_ID),
    E(JH_F_TEXT, staff_name, JH_KEY_STAFF_NAME),
    E(JH_F_TEXT, reason, JH_KEY_REASON),
    E(JH_F_TEXT, message, JH_KEY_MESSAGE),
    E(JH_F_TEXT_NULL, at, JH_KEY_AT),
    JH_FIELD_END,
};

static const jh_field resumed_fields[] = {
    E(JH_F_TEXT, counter, JH_KEY_COUNTER),
    E(JH_F_INT_OPT, counter_number, JH_KEY_COUNTER_NUMBER),
    E(JH_F_TEXT, counter_name, JH_KEY_COUNTER_NAME),
    E(JH_F_TEXT, counter_name_en, JH_KEY_COUNTER_NAME_EN),
    E(JH_F_TEXT, staff_id, JH_KEY_STAFF_ID),
    E(JH_F_INT, paused_s, JH_KEY_PAUSED_S),
    E(JH_F_TEXT_NULL, at, JH_KEY_AT),
    JH_FIELD_END,
};

static const jh_field rated_fields[] = {
    E(JH_F_TEXT, ticket, JH_KEY_TICKET),
    E(JH_F_TEXT, counter, JH_KEY_COUNTER),
    E(JH_F_INT_OPT, counter_number, JH_KEY_COUNTER_NUMBER),
    E(JH_F_TEXT, counter_name, JH_KEY_COUNTER_NAME),
    E(JH_F_TEXT, counter_name_en, JH_KEY_COUNTER_NAME_EN),
    E(JH_F_TEXT, staff_id, JH_KEY_STAFF_ID),
    E(JH_F_INT, score, JH_KEY_SCORE),
    E(JH_F_BOOL, suspicious, JH_KEY_SUSPICIOUS),
    JH_FIELD_LIST(JH_F_TEXT_LIST, jh_event_payload, flags, n_flags, JH_KEY_FLAGS, NULL),
    E(JH_F_TEXT_NULL, at, JH_KEY_AT),
    JH_FIELD_END,
};

static const jh_field rating_invited_fields[] = {
    E(JH_F_TEXT, counter, JH_KEY_COUNTER),
    E(JH_F_INT_OPT, counter_number, JH_KEY_COUNTER_NUMBER),
    E(JH_F_TEXT, counter_name, JH_KEY_COUNTER_NAME),
    E(JH_F_TEXT, counter_name_en, JH_KEY_COUNTER_NAME_EN),
    E(JH_F_TEXT, ticket, JH_KEY_TICKET),
    E(JH_F_TEXT, staff_id, JH_KEY_STAFF_ID),
    E(JH_F_TEXT_NULL, at, JH_KEY_AT),
    JH_FIELD_END,
};

static const jh_field long_wait_fields[] = {
    JH_FIELD_WORD(JH_KEY_KIND, JH_ALERT_LONG_WAIT),
    E(JH_F_TEXT, ticket, JH_KEY_TICKET),
    E(JH_F_TEXT, service, JH_KEY_SERVICE),
    E(JH_F_TEXT, service_name, JH_KEY_SERVICE_NAME),
    E(JH_F_TEXT, service_name_en, JH_KEY_SERVICE_NAME_EN),
    E(JH_F_TEXT, priority, JH_KEY_PRIORITY),
    E(JH_F_TEXT_NULL, counter, JH_KEY_COUNTER),
    E(JH_F_INT, waited_s, JH_KEY_WAITED_S),
    E(JH_F_INT, limit_s, JH_KEY_LIMIT_S),
    E(JH_F_TEXT_NULL, at, JH_KEY_AT),
    JH_FIELD_END,
};

static const jh_field overrun_fields[] = {
    JH_FIELD_WORD(JH_KEY_KIND, JH_ALERT_OVERRUN),
    E(JH_F_TEXT, ticket, JH_KEY_TICKET),
    E(JH_F_TEXT, service, JH_KEY_SERVICE),
    E(JH_F_TEXT, service_name, JH_KEY_SERVICE_NAME),
    E(JH_F_TEXT, service_name_en, JH_KEY_SERVICE_NAME_EN),
    E(JH_F_TEXT, priority, JH_KEY_PRIORITY),
    E(JH_F_TEXT, counter, JH_KEY_COUNTER),
    E(JH_F_INT_OPT, counter_number, JH_KEY_COUNTER_NUMBER),
    E(JH_F_TEXT, counter_name, JH_KEY_COUNTER_NAME),
    E(JH_F_TEXT, counter_name_en, JH_KEY_COUNTER_NAME_EN),
    E(JH_F_TEXT, staff_id, JH_KEY_STAFF_ID),
    E(JH_F_INT, serving_s, JH_KEY_SERVING_S),
    E(JH_F_INT, limit_s, JH_KEY_LIMIT_S),
    E(JH_F_TEXT_NULL, at, JH_KEY_AT),
    JH_FIELD_END,
};

/* A staff account locked after too many wrong secrets (docs/console.md "Staff secrets"). */
static const jh_field staff_locked_fields[] = {
    JH_FIELD_WORD(JH_KEY_KIND, JH_ALERT_STAFF_LOCKED),
    E(JH_F_TEXT, staff_id, JH_KEY_STAFF_ID),
    E(JH_F_TEXT, staff_name, JH_KEY_STAFF_NAME),
    E(JH_F_TEXT_NULL, until, JH_KEY_UNTIL),
    E(JH_F_TEXT_NULL, at, JH_KEY_AT),
    JH_FIELD_END,
};

static const struct {
    const char *name;        /* event/<name> */
    const char *alert;       /* the "kind" of an alert, else NULL */
    const jh_field *fields;
} kinds[JH_EVENT_COUNT] = {
    [JH_EVENT_ISSUED] = {"issued", NULL, issued_fields},
    [JH_EVENT_VOIDED] = {"voided", NULL, voided_fields},
    [JH_EVENT_CALLED] = {"called", NULL, called_fields},
    [JH_EVENT_RECALLED] = {"recalled", NULL, recalled_fields},
    [JH_EVENT_NO_SHOW] = {"no-show", NULL, no_show_fields},
    [JH_EVENT_FINISHED] = {"finished", NULL, finished_fields},
    [JH_EVENT_TRANSFERRED] = {"transferred", NULL, transferred_fields},
    [JH_EVENT_PAUSED] = {"paused", NULL, paused_fields},
    [JH_EVENT_RESUMED] = {"resumed", NULL, resumed_fields},
    [JH_EVENT_RATED] = {"rated", NULL, rated_fields},
    [JH_EVENT_ALERT_LONG_WAIT] = {"alert", JH_ALERT_LONG_WAIT, long_wait_fields},
    [JH_EVENT_ALERT_OVERRUN] = {"alert", JH_ALERT_OVERRUN, overrun_fields},
    [JH_EVENT_ALERT_STAFF_LOCKED] = {"alert", JH_ALERT_STAFF_LOCKED, staff_locked_fields},
    [JH_EVENT_RATING_INVITED] = {"rating-invited", NULL, rating_invited_fields},
};

const char *jh_event_kind_name(jh_event_kind k)
{
    return (unsigned)k < JH_EVENT_COUNT ? kinds[k].name : NULL;
}

cJSON *jh_event_encode(const jh_event_payload *ev)
{
    if ((unsigned)ev->kind >= JH_EVENT_COUNT)
        return NULL;
    cJSON *o = jh_payload_encode(seq_fields, ev);
    if (o && jh_payload_encode_into(o, kinds[ev->kind].fields, ev) < 0) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* The kind of event/<name> with payload o: an alert's is in its "kind". -1: not ours. */
static int kind_of(const char *name, const cJSON *o)
{
    const char *alert = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, JH_KEY_KIND));
    for (int k = 0; k < JH_EVENT_COUNT; k++)
        if (strcmp(name, kinds[k].name) == 0 &&
            (!kinds[k].alert || (alert && strcmp(alert, kinds[k].alert) == 0)))
            return k;
    return -1;
}

int jh_event_decode(const char *kind, const cJSON *o, jh_event_payload *ev)
{
    jh_payload_decode(seq_fields, o, ev);
    int k = kind ? kind_of(kind, o) : -1;
    if (k < 0)
        return -1;
    ev->kind = (jh_event_kind)k;
    jh_payload_decode(kinds[k].fields, o, ev);
    return 0;
}
