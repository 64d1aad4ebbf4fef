/* SPDX-License-Identifier: MIT */
/*
 * wire_keys — the JSON keys and fixed words of replies, events and retained
 * states (docs/protocol.md "Commands" and "Events and state").
 *
 * Owns: the spelling of every key the caller writes and a client reads, in
 * one place both sides use: the payload tables (state_payload.c,
 * event_payload.c) that the engine encodes and the mirror decodes, and the
 * clients that read a few keys strictly themselves (firmware-bridge, kiosk).
 * Version 1 only grows: a key here is never renamed.
 */
#ifndef JH_WIRE_KEYS_H
#define JH_WIRE_KEYS_H

/* ---- replies (reply/<client-id>) ---- */
#define JH_KEY_ID "id"
#define JH_KEY_OK "ok"
#define JH_KEY_ERROR "error"
#define JH_KEY_MESSAGE "message"      /* also: a counter's pause message (去向留言) */
#define JH_KEY_FINISHED "finished"    /* call-next: the ticket it finished first */
#define JH_KEY_MOVED_FROM "moved_from" /* login: the counter the staff member left */
#define JH_KEY_NO_SHOW "no_show"      /* recall past the limit */
#define JH_KEY_REQUEUE "requeue"      /* requeue: "back" or "keep" */

/* ---- shared by events and states ---- */
#define JH_KEY_SEQ "seq"
#define JH_KEY_TICKET "ticket"
#define JH_KEY_COUNTER "counter"
#define JH_KEY_COUNTER_NUMBER "counter_number"
#define JH_KEY_COUNTER_NAME "counter_name"
#define JH_KEY_COUNTER_NAME_EN "counter_name_en"
#define JH_KEY_SERVICE "service"
#define JH_KEY_SERVICE_NAME "service_name"
#define JH_KEY_SERVICE_NAME_EN "service_name_en"
#define JH_KEY_PRIORITY "priority"
#define JH_KEY_CALL_COUNT "call_count"
#define JH_KEY_STAFF_ID "staff_id"
#define JH_KEY_STAFF_NAME "staff_name"
#define JH_KEY_AT "at"
#define JH_KEY_DAY "day"
#define JH_KEY_EWT_S "ewt_s"
#define JH_KEY_SERVING_S "serving_s"
#define JH_KEY_OVERRUN "overrun"
#define JH_KEY_REASON "reason"

/* ---- events (event/<kind>) ---- */
#define JH_KEY_AHEAD "ahead"
#define JH_KEY_ISSUED_AT "issued_at"
#define JH_KEY_KIOSK "kiosk"
#define JH_KEY_LANG "lang"
#define JH_KEY_WAITED_S "waited_s"
#define JH_KEY_POLICY "policy"        /* in called "reason" */
#define JH_KEY_RULE "rule"
#define JH_KEY_TEXT "text"
#define JH_KEY_SERVICE_S "service_s"
#define JH_KEY_TARGET_S "target_s"
#define JH_KEY_FROM_SERVICE "from_service"
#define JH_KEY_TO_COUNTER "to_counter"
#define JH_KEY_PAUSED_S "paused_s"
#define JH_KEY_SCORE "score"
#define JH_KEY_SUSPICIOUS "suspicious"
#define JH_KEY_FLAGS "flags"
#define JH_KEY_KIND "kind"            /* alert: JH_ALERT_* */
#define JH_KEY_LIMIT_S "limit_s"

/* ---- retained states (state/counter/<id>, state/service/<code>, state/hall) ---- */
#define JH_KEY_NUMBER "number"
#define JH_KEY_NAME "name"
#define JH_KEY_NAME_EN "name_en"
#define JH_KEY_STATUS "status"        /* JH_STATUS_* */
#define JH_KEY_SINCE "since"
#define JH_KEY_OPEN "open"
#define JH_KEY_NEXT_OPEN "next_open"
#define JH_KEY_WAITING "waiting"
#define JH_KEY_WAITING_PRIORITY "waiting_priority"
#define JH_KEY_NEXT_TICKET "next_ticket"
#define JH_KEY_LAST_CALLED "last_called"
#define JH_KEY_TARGET_SERVICE_S "target_service_s"
#define JH_KEY_SITE "site"
#define JH_KEY_NOTICE "notice"
#define JH_KEY_TODAY "today"
/* state/hall "today" (docs/engine.md "Live supervision"); also end-day's reply "expired" */
#define JH_KEY_ISSUED "issued"
#define JH_KEY_ISSUED_GREEN "issued_green"
#define JH_KEY_SERVED "served"
#define JH_KEY_SERVED_GREEN "served_green"
#define JH_KEY_NO_SHOWS "no_shows"
#define JH_KEY_VOIDED "voided"
#define JH_KEY_EXPIRED "expired"
#define JH_KEY_MEAN_WAIT_S "mean_wait_s"
#define JH_KEY_P90_WAIT_S "p90_wait_s"
#define JH_KEY_MAX_WAIT_S "max_wait_s"
#define JH_KEY_MEAN_SERVICE_S "mean_service_s"
#define JH_KEY_OVERRUNS "overruns"
#define JH_KEY_RATINGS "ratings"
#define JH_KEY_SATISFACTION_PCT "satisfaction_pct"
#define JH_KEY_WAITING_GREEN "waiting_green"
#define JH_KEY_SERVING "serving"
#define JH_KEY_COUNTERS_OPEN "counters_open"
#define JH_KEY_COUNTERS_PAUSED "counters_paused"

/* ---- staff, roster and audit (commands and replies; docs/protocol.md "Staff and roster") ---- */
#define JH_KEY_BY "by"                /* any command: the staff member a console acts for */
#define JH_KEY_SECRET "secret"        /* a command's only: never in a reply, event or state */
#define JH_KEY_DEPARTMENT "department"
#define JH_KEY_PHOTO "photo"
#define JH_KEY_ROLES "roles"
#define JH_KEY_COUNTERS "counters"
#define JH_KEY_SERVICES "services"
#define JH_KEY_COVERS "covers"
#define JH_KEY_ENABLED "enabled"
#define JH_KEY_CSV "csv"
#define JH_KEY_LIMIT "limit"
#define JH_KEY_UNTIL "until"          /* locked: until when; alert staff-locked */
#define JH_KEY_FAILURES "failures"
#define JH_KEY_LOCKED_UNTIL "locked_until"
#define JH_KEY_HAS_SECRET "has_secret"
#define JH_KEY_CREATED_AT "created_at"
#define JH_KEY_UPDATED_AT "updated_at"
#define JH_KEY_STAFF "staff"          /* staff-list: the rows; audit row: who sat at the counter */
#define JH_KEY_ADDED "added"          /* staff-import */
#define JH_KEY_UPDATED "updated"
#define JH_KEY_ROWS "rows"            /* audit */
#define JH_KEY_DEVICE "device"
#define JH_KEY_OP "op"
#define JH_KEY_TARGET "target"
#define JH_KEY_DETAIL "detail"
#define JH_KEY_RESULT "result"
#define JH_KEY_LINE "line"            /* staff-import refusal: the CSV line at fault */

/* ---- status/caller (written by the daemon's MQTT front) ---- */
#define JH_KEY_ONLINE "online"

/* ---- fixed words ---- */
/* state/counter "status" */
#define JH_STATUS_SERVING "serving"
#define JH_STATUS_IDLE "idle"
#define JH_STATUS_PAUSED "paused"
#define JH_STATUS_CLOSED "closed"   /* nobody logged in */
/* event/alert "kind" */
#define JH_ALERT_LONG_WAIT "long-wait"
#define JH_ALERT_OVERRUN "overrun"
#define JH_ALERT_STAFF_LOCKED "staff-locked"
/* roster "roles" */
#define JH_ROLE_WORD_STAFF "staff"
#define JH_ROLE_WORD_GUIDE "guide"
#define JH_ROLE_WORD_SUPERVISOR "supervisor"
#define JH_ROLE_WORD_ADMIN "admin"
/* audit "result" of a command that was applied (a refusal's is its code) */
#define JH_RESULT_OK "ok"
/* event/rated "flags" */
#define JH_FLAG_STAFF_KEYPAD "staff-keypad"
#define JH_FLAG_TOO_FAST "too-fast"
#define JH_FLAG_IDENTICAL_RUN "identical-run"

#endif
