/* SPDX-License-Identifier: MIT */
/*
 * protocol — the MQTT contract of docs/protocol.md in C: topics and command JSON.
 *
 * Owns: building and splitting topic names (jh/v1/<site>/...), parsing a
 * command payload into a jh_command with strict type and size checks, building
 * command payloads for clients (kiosk, bridge, tools), and the stable error
 * codes. It does no I/O and knows nothing of the queue; the caller's engine
 * takes the jh_command this produces.
 */
#ifndef JH_PROTOCOL_H
#define JH_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#include "hall_config.h"

#define JH_TOPIC_ROOT "jh/v1"
#define JH_MAX_PAYLOAD 8192   /* larger command payloads are refused unread (error "too-large") */
#define JH_CMD_ID_LEN 64
#define JH_TOPIC_LEN 256
#define JH_AUDIT_DEFAULT_ROWS 100 /* audit: rows in a reply without "limit" */
#define JH_AUDIT_MAX_ROWS 500     /* audit: the most "limit" may ask for */

typedef enum {
    JH_OP_UNKNOWN = 0,
    /* kiosk */
    JH_OP_TAKE, JH_OP_VOID,
    /* counter */
    JH_OP_LOGIN, JH_OP_LOGOUT, JH_OP_CALL_NEXT, JH_OP_RECALL, JH_OP_NO_SHOW, JH_OP_REQUEUE,
    JH_OP_FINISH, JH_OP_TRANSFER, JH_OP_CALL, JH_OP_PAUSE, JH_OP_RESUME, JH_OP_FLAG, JH_OP_RATE,
    /* admin */
    JH_OP_OPEN, JH_OP_CLOSE, JH_OP_NOTICE, JH_OP_END_DAY,
    /* admin, simulation only: the caller refuses it ("not-simulated") unless run with --sim-clock */
    JH_OP_CLOCK,
    /* admin: the staff roster and the audit trail (docs/protocol.md "Staff and roster") */
    JH_OP_STAFF_AUTH, JH_OP_STAFF_LIST, JH_OP_STAFF_ADD, JH_OP_STAFF_UPDATE, JH_OP_STAFF_DISABLE,
    JH_OP_STAFF_SET_SECRET, JH_OP_STAFF_IMPORT, JH_OP_AUDIT,
    /* counter: staff invite the visitor to rate (the keypad's RATE key); no fields */
    JH_OP_INVITE_RATING,
    JH_OP_COUNT
} jh_op;

/* Who sent a command: decided by the topic it arrived on, never by the payload. */
typedef enum { JH_ORIGIN_KIOSK, JH_ORIGIN_COUNTER, JH_ORIGIN_ADMIN } jh_origin_kind;

typedef struct {
    jh_origin_kind kind;
    char id[JH_ID_LEN]; /* kiosk or counter id from the topic; "admin" for admin/cmd */
} jh_origin;

/* The roster fields a staff-add or staff-update carries (jh_command.staff_fields). */
#define JH_SF_NAME 0x01u
#define JH_SF_DEPARTMENT 0x02u
#define JH_SF_PHOTO 0x04u
#define JH_SF_ROLES 0x08u
#define JH_SF_COUNTERS 0x10u
#define JH_SF_SERVICES 0x20u
#define JH_SF_COVERS 0x40u
#define JH_SF_SECRET 0x80u
#define JH_SF_ENABLED 0x100u

/* Where a rating came from; the firmware-bridge knows which pad was pressed. */
typedef enum { JH_RATE_SRC_PAD = 0, JH_RATE_SRC_STAFF_KEYPAD } jh_rate_source;

/*
 * One parsed command. Fields an op does not use are left empty/zero. Strings
 * are NUL-terminated UTF-8, already checked for length and encoding.
 */
typedef struct {
    char id[JH_CMD_ID_LEN];
    jh_op op;
    char reply_to[JH_ID_LEN];
    char service[JH_ID_LEN];       /* take */
    int priority;                  /* take, flag: jh_priority */
    char lang[8];                  /* take: "zh" | "en" */
    char ticket[JH_ID_LEN];        /* void, requeue, call, flag, rate */
    char reason[JH_TEXT_LEN];      /* void, pause */
    char by[JH_ID_LEN];            /* any op: the signed-in staff member a console acts for */
    char staff_id[JH_ID_LEN];      /* login, staff-*, audit (filter) */
    char staff_name[JH_TEXT_LEN];  /* login (ignored: the roster names), staff-add/-update "name" */
    char secret[JH_TEXT_LEN];      /* login, staff-auth, staff-add, staff-set-secret: never echoed */
    char to_service[JH_ID_LEN];    /* transfer */
    char to_counter[JH_ID_LEN];    /* transfer */
    char message[JH_LONG_TEXT_LEN];/* pause (去向留言), notice */
    int score;                     /* rate: 1..5 */
    jh_rate_source rate_source;    /* rate: "source":"pad"|"staff-keypad" */
    int64_t clock_to;              /* clock: "to", epoch ms */
    /* staff-add, staff-update: which of these were given (JH_SF_*) */
    unsigned staff_fields;
    char department[JH_TEXT_LEN];
    char photo[JH_TEXT_LEN];       /* a file name, no path */
    char roles[JH_TEXT_LEN];       /* "staff;guide": the JSON array joined by ';' */
    char counters[JH_LONG_TEXT_LEN]; /* counter ids, joined by ';' */
    char services[JH_LONG_TEXT_LEN]; /* service codes, joined by ';' */
    char covers[JH_LONG_TEXT_LEN]; /* staff ids whose post this one covers (AB岗), joined by ';' */
    int enabled;                   /* with JH_SF_ENABLED */
    char counter[JH_ID_LEN];       /* audit (filter) */
    int day;                       /* audit (filter): YYYYMMDD, 0 = any */
    int limit;                     /* audit: rows wanted, 0 = the default */
    char csv[JH_MAX_PAYLOAD];      /* staff-import */
} jh_command;

/* A refusal: stable code (docs/protocol.md) and human text. */
typedef struct {
    char code[32];
    char message[256];
} jh_error;

/*
 * Parses `payload` (not NUL-terminated, `len` bytes) as a command from
 * `origin`. Returns 0, or -1 with *err filled (bad-json, too-large, bad-field,
 * missing-field, unknown-op, wrong-origin — e.g. a kiosk sending call-next).
 * When the payload had a usable "id"/"reply_to", they are copied into *cmd even
 * on failure, so the refusal can still be addressed and matched.
 */
int jh_command_parse(const char *payload, size_t len, const jh_origin *origin,
                     jh_command *cmd, jh_error *err);

/* Builds the JSON payload for `cmd` (clients use this). Returns malloc'd text or NULL. */
char *jh_command_to_json(const jh_command *cmd);

/*
 * A moment written as in docs/protocol.md: "2026-11-23T09:05:07+08:00", with an
 * optional fraction of 1-3 digits (".250") and "Z" for UTC; the offset is
 * required, so the text never depends on a time zone. Years 1970-9999.
 * 0 with *ms set, or -1 when it is not such a moment (e.g. February 30th).
 */
int jh_parse_time(const char *text, int64_t *ms);

/* "call-next" ↔ JH_OP_CALL_NEXT */
const char *jh_op_name(jh_op op);
jh_op jh_op_parse(const char *name);

/* {"id":…,"ok":false,"error":code,"message":…} — malloc'd. id may be "" (then null). */
char *jh_reply_error_json(const char *id, const jh_error *err);

/*
 * Topics. jh_topic() writes "jh/v1/<site>/<suffix>". jh_topic_origin() reads a
 * command topic ("jh/v1/<site>/counter/c03/cmd", ".../kiosk/k1/cmd",
 * ".../admin/cmd") into *origin; -1 when the topic is not a command topic of
 * this site.
 */
int jh_topic(char *buf, size_t len, const char *site, const char *suffix);
int jh_topic_origin(const char *topic, const char *site, jh_origin *origin);

/* True when s is a valid id: 1..JH_ID_LEN-1 chars of a-z, 0-9, '-' (and A-Z for service codes). */
int jh_valid_id(const char *s);

#endif
