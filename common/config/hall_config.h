/* SPDX-License-Identifier: MIT */
/*
 * hall_config — the one hall configuration every Jiaohao part reads.
 *
 * Owns: parsing and validating the INI file (assets/hall.ini is the example)
 * into a plain, immutable struct. Nothing else in the project reads the INI
 * directly. A broken file is refused as a whole with one message naming the
 * file, line and key; nothing half-loaded is ever returned.
 *
 * Sections (see assets/hall.ini for every key with comments):
 *   [hall]              site, names, timezone, reset_at, hotline, rating_url, data_dir
 *   [broker]            host, port, user, password, password_file, credentials_dir,
 *                       cafile, certfile, keyfile
 *   [dispatch]          policy, ratio, max_consecutive, ageing_minutes, recall_limit, requeue,
 *                       wait_alert_minutes
 *   [priority]          the green-channel flags and their zh/en labels
 *   [service <code>]    one per service (code = 1–2 capital letters, e.g. A, B, FP)
 *   [counter <id>]      one per counter window (id = a-z0-9-, e.g. c01)
 *   [kiosk <id>]        ticket machines (id and the services they offer)
 *   [staff]             roster (a CSV seeded at start), pinless_keypad_login, max_failures,
 *                       lock_minutes
 *   Other sections (display, bridge, ...) belong to their parts and are
 *   passed over here, so each part can add its own without touching this file.
 */
#ifndef JH_HALL_CONFIG_H
#define JH_HALL_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define JH_MAX_SERVICES 32
#define JH_MAX_COUNTERS 256
#define JH_MAX_KIOSKS 32
#define JH_MAX_MATERIALS 16
#define JH_MAX_HOURS_PER_DAY 4 /* opening windows per weekday, e.g. morning + afternoon */
#define JH_ID_LEN 32           /* ids: site, counter, kiosk, service code; a-z0-9- */
#define JH_TEXT_LEN 128        /* one line of zh/en text, UTF-8 */
#define JH_LONG_TEXT_LEN 512

/* The green-channel classes of docs/protocol.md. JH_PRIO_NONE is an ordinary ticket. */
typedef enum {
    JH_PRIO_NONE = 0,
    JH_PRIO_ELDERLY,
    JH_PRIO_DISABLED,
    JH_PRIO_PREGNANT,
    JH_PRIO_OTHER,
    JH_PRIO_COUNT
} jh_priority;

/* Green-channel dispatch policies (docs/hall-rules.md "绿色通道"). */
typedef enum {
    JH_POLICY_STRICT = 0,      /* green channel always first */
    JH_POLICY_RATIO,           /* after `ratio` normal calls, one green call */
    JH_POLICY_MAX_CONSECUTIVE, /* green first, but at most `max_consecutive` in a row while others wait */
    JH_POLICY_AGEING           /* green first, unless a normal ticket waited > ageing_minutes */
} jh_policy;

/* Where a no-show that came back re-enters the queue. */
typedef enum {
    JH_REQUEUE_BACK = 0, /* at the back, as if newly arrived */
    JH_REQUEUE_KEEP      /* at its original place in time */
} jh_requeue_mode;

/* One opening window in local hall time, minutes after local midnight; close > open. */
typedef struct {
    int open_min;
    int close_min;
} jh_hours;

typedef struct {
    char code[JH_ID_LEN];        /* "A" — the ticket prefix and the topic id */
    char name_zh[JH_TEXT_LEN];
    char name_en[JH_TEXT_LEN];
    int first_number;            /* 1 */
    int last_number;             /* 999 */
    int width;                   /* 3 → A001 */
    int daily_limit;             /* tickets a day; <= last - first + 1 */
    /* weekday 0 = Sunday .. 6 = Saturday; n_hours[d] == 0: closed that day */
    jh_hours hours[7][JH_MAX_HOURS_PER_DAY];
    int n_hours[7];
    int target_service_s;        /* 限时办结: target service time per case */
    char time_limit_zh[JH_TEXT_LEN]; /* promised time limit (承诺时限), printed on the ticket */
    char time_limit_en[JH_TEXT_LEN];
    char materials_zh[JH_MAX_MATERIALS][JH_TEXT_LEN]; /* 一次性告知 checklist */
    char materials_en[JH_MAX_MATERIALS][JH_TEXT_LEN];
    int n_materials;
} jh_service_config;

typedef struct {
    char id[JH_ID_LEN];          /* "c03": topic id and broker user name */
    int number;                  /* 3: what boards show and voice says (3 号窗口) */
    char name_zh[JH_TEXT_LEN];
    char name_en[JH_TEXT_LEN];
    int services[JH_MAX_SERVICES]; /* indexes into jh_hall_config.services, in serving order */
    int n_services;
} jh_counter_config;

typedef struct {
    char id[JH_ID_LEN];
    int services[JH_MAX_SERVICES]; /* offered on this kiosk's screen; all when none listed */
    int n_services;
} jh_kiosk_config;

typedef struct {
    /* [hall] */
    char site[JH_ID_LEN];
    char name_zh[JH_TEXT_LEN];
    char name_en[JH_TEXT_LEN];
    char timezone[64];           /* IANA name, e.g. Asia/Shanghai; must exist in zoneinfo */
    int reset_min;               /* business day starts at this local time (minutes); numbers restart */
    char hotline[JH_TEXT_LEN];   /* complaint hotline (投诉电话) */
    char rating_url[JH_LONG_TEXT_LEN]; /* QR payload prefix for rating/complaint */
    char data_dir[JH_LONG_TEXT_LEN];

    /* [broker] */
    char broker_host[JH_TEXT_LEN];
    int broker_port;
    char broker_user[JH_ID_LEN];
    char broker_password[JH_TEXT_LEN];
    char broker_password_file[JH_LONG_TEXT_LEN]; /* read the password from here when set */
    /* scripts/broker-config writes one <user>.pw per device here; a program with no
     * password/password_file of its own reads <credentials_dir>/<its user>.pw */
    char broker_credentials_dir[JH_LONG_TEXT_LEN];
    char broker_cafile[JH_LONG_TEXT_LEN];
    char broker_certfile[JH_LONG_TEXT_LEN];
    char broker_keyfile[JH_LONG_TEXT_LEN];

    /* [dispatch] */
    jh_policy policy;
    int ratio;                   /* JH_POLICY_RATIO: normal calls per green call */
    int max_consecutive;         /* JH_POLICY_MAX_CONSECUTIVE */
    int ageing_s;                /* JH_POLICY_AGEING */
    int recall_limit;            /* recalls allowed; one more recall makes it a no-show */
    jh_requeue_mode requeue;
    int wait_alert_s;            /* a waiting ticket past this raises one alert event */

    /* [priority] labels, indexed by jh_priority (index 0 unused) */
    char priority_zh[JH_PRIO_COUNT][JH_TEXT_LEN];
    char priority_en[JH_PRIO_COUNT][JH_TEXT_LEN];

    /* [staff] */
    char staff_roster[JH_LONG_TEXT_LEN]; /* CSV imported at start, against the config file's
                                          * directory when relative; "" = none */
    int staff_roster_line;               /* its line in the file, for messages */
    int pinless_keypad_login;            /* 1: a device's login without a secret is let in,
                                          * nameless (halls not yet enrolled); default 0 */
    int staff_max_failures;              /* wrong secrets in a row that lock the account */
    int staff_lock_s;                    /* how long a locked account stays locked */

    jh_service_config services[JH_MAX_SERVICES];
    int n_services;
    jh_counter_config counters[JH_MAX_COUNTERS];
    int n_counters;
    jh_kiosk_config kiosks[JH_MAX_KIOSKS];
    int n_kiosks;
} jh_hall_config;

/*
 * Loads and validates `path`. On success fills *cfg and returns 0. On failure
 * returns -1 and writes one line such as
 *   "assets/hall.ini:42: [service B] hours: 'mon-fri 8:30-25:00': bad time"
 * into err; *cfg is then unspecified and must not be used.
 * The struct is large: allocate it (calloc) rather than put it on the stack.
 */
int jh_config_load(jh_hall_config *cfg, const char *path, char *err, size_t errlen);

/* The same, from text in memory (tests and the fuzzer); `name` is used in messages. */
int jh_config_parse(jh_hall_config *cfg, const char *text, size_t len, const char *name,
                    char *err, size_t errlen);

/*
 * The strict INI reader the loader is built on, for parts that keep their own
 * sections ([display main], [bridge b1], ...) in the same file and want the same
 * syntax rules (see ini_reader.c). `fn` is called in file order: once per
 * section header with key == value == NULL, then once per `key = value` line.
 * `arg` is the second word of the header ("" when none). `fn` returns 0 to go
 * on, or -1 after writing a reason into `why`; reading then stops and err gets
 * "name:line: [section arg] key: reason". Syntax errors are reported the same way.
 */
typedef int (*jh_ini_fn)(void *user, const char *section, const char *arg, const char *key,
                         const char *value, int line, char *why, size_t whylen);
int jh_ini_parse(const char *text, size_t len, const char *name, jh_ini_fn fn, void *user,
                 char *err, size_t errlen);

/*
 * For a part whose section a device may override ([printer], then [printer k1]):
 * `fn` gets every key of [section] first, then every key of [section id] when
 * id is given, wherever each stands in the file; other sections are passed
 * over. `fn` and the errors work as with jh_ini_parse.
 */
typedef int (*jh_ini_key_fn)(void *user, const char *key, const char *value, char *why, size_t whylen);
int jh_ini_parse_layered(const char *text, size_t len, const char *name, const char *section,
                         const char *id, jh_ini_key_fn fn, void *user, char *err, size_t errlen);

/*
 * Value parsers for the parts' own keys, so that a number, a size, a time or a
 * yes/no is spelt the same way in every section of the file. Each returns 0
 * and sets its outputs, or -1.
 */

/* Decimal digits only (at most 9), lo..hi; a leading '-' only where lo < 0.
 * With why != NULL a failure also writes "'v': want a whole number lo..hi" there. */
int jh_ini_int(const char *v, int lo, int hi, int *out, char *why, size_t whylen);

/* "WIDTHxHEIGHT", each side as jh_ini_int takes it, in its own range. */
int jh_ini_size(const char *v, int wlo, int whi, int hlo, int hhi, int *w, int *h);

/* Exactly "HH:MM" in the n bytes at s (24:00 only when allow_24), as minutes after midnight. */
int jh_ini_hhmm(const char *s, size_t n, int allow_24, int *out);

/* The pairs of words a yes/no key accepts, in any case. Each part keeps the set
 * its keys have always taken, so no file that was refused before is accepted now. */
#define JH_INI_YES_NO 1u     /* yes, no */
#define JH_INI_TRUE_FALSE 2u /* true, false */
#define JH_INI_ONE_ZERO 4u   /* 1, 0 */
#define JH_INI_ON_OFF 8u     /* on, off */
int jh_ini_bool(const char *v, unsigned words, int *out);

/* Reads a whole file (at most JH_CONFIG_MAX_BYTES) into a NUL-terminated heap buffer. */
#define JH_CONFIG_MAX_BYTES (1024 * 1024)
char *jh_config_read_file(const char *path, size_t *len, char *err, size_t errlen);

/* Lookups; -1 when not configured. */
int jh_config_service_index(const jh_hall_config *cfg, const char *code);
int jh_config_counter_index(const jh_hall_config *cfg, const char *id);
int jh_config_kiosk_index(const jh_hall_config *cfg, const char *id);

/* "elderly" → JH_PRIO_ELDERLY; "none" → JH_PRIO_NONE; -1 when unknown. */
int jh_priority_parse(const char *name);
const char *jh_priority_name(jh_priority p);
const char *jh_policy_name(jh_policy p);

#endif
