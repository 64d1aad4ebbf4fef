/* SPDX-License-Identifier: MIT */
/*
 * ticket_store — the engine's durable memory: one SQLite file per hall.
 *
 * Owns: the schema (tickets, numbering, counters, pause/session/call/transfer
 * logs, command records, the event outbox and the hall row) and every query
 * on it, all as prepared statements. It knows rows, not rules: which ticket
 * to call, when a day ends or what a refusal says is engine.c's business.
 * The engine brackets each command in jh_store_begin()/commit(), so every
 * write here joins that one transaction. This header is the engine's side;
 * the reports and the fault suite read a store through store_read.h and
 * judge one through store_audit.h, with the same rows and column tables.
 *
 * Queue lookups go through partial indexes on the waiting tickets only, and
 * waiting counts are kept as counters in the numbering rows, so the cost of
 * a call does not grow with the history or the queue length (docs/engine.md).
 *
 * Conventions: functions return 0 on success and -1 on a store error (the
 * message is in jh_store_errmsg); lookups return 1 found / 0 not found / -1.
 * Optional times and ids are 0 when absent (NULL in the file); optional text
 * is "" when absent.
 */
#ifndef JH_TICKET_STORE_H
#define JH_TICKET_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "hall_config.h"
#include "staff_secret.h"

typedef struct jh_store jh_store;

typedef enum {
    JH_TS_WAITING = 0,
    JH_TS_CALLED,   /* at a counter: called, being served */
    JH_TS_FINISHED,
    JH_TS_NO_SHOW,
    JH_TS_VOIDED,
    JH_TS_EXPIRED,
    JH_TS_COUNT
} jh_ticket_status;

typedef enum { JH_CS_CLOSED = 0, JH_CS_IDLE, JH_CS_SERVING, JH_CS_PAUSED, JH_CS_COUNT } jh_counter_status;

const char *jh_ticket_status_name(jh_ticket_status s);
const char *jh_counter_status_name(jh_counter_status s);

typedef struct {
    int64_t id;
    int day;                          /* business day YYYYMMDD */
    char label[JH_ID_LEN];            /* "A012", unique per day */
    char issued_service[JH_ID_LEN];   /* service that issued the number */
    int number;
    char service[JH_ID_LEN];          /* current service (changes on transfer) */
    int priority;                     /* jh_priority */
    jh_ticket_status status;
    char lang[8];
    char kiosk[JH_ID_LEN];
    int64_t issued_at;
    int64_t queue_key;                /* place in time, ms; kept on transfer */
    char target_counter[JH_ID_LEN];   /* directed transfer; "" = any counter */
    char counter[JH_ID_LEN];          /* last counter that called it */
    char staff_id[JH_ID_LEN];
    int64_t called_at;                /* first call ever */
    int64_t last_called_at;           /* latest call or recall */
    int64_t session_at;               /* when the current counter called it (service start) */
    int call_count;                   /* all calls and recalls */
    int session_calls;                /* calls at the current counter (1 + recalls) */
    int64_t finished_at;
    int service_s;
    int overran;
    int transfers;
    int requeues;
    char void_reason[JH_TEXT_LEN];
    int rating;                       /* 0 = not rated */
    int64_t rated_at;
    int rating_suspicious;
    char rating_flags[96];            /* JSON array text, e.g. ["too-fast"] */
    int wait_alerted;                 /* a long-wait alert was sent (once per ticket) */
    int overrun_alerted;              /* an overrun alert was sent (once per ticket) */
} jh_ticket;

typedef struct {
    char id[JH_ID_LEN];
    jh_counter_status status;
    char staff_id[JH_ID_LEN];
    char staff_name[JH_TEXT_LEN];
    int64_t ticket_id;                /* current ticket; 0 = none */
    int64_t since;                    /* when the current status began */
    char message[JH_LONG_TEXT_LEN];   /* 去向留言 while paused */
    char pause_reason[JH_TEXT_LEN];
    int normal_streak;                /* normal calls since the last green one */
    int green_streak;                 /* green calls in a row */
    int64_t last_finished_id;         /* what a rating pad at this counter rates */
    int64_t last_finished_at;
    int last_score;                   /* rating run detection */
    int score_run;
} jh_counter_row;

typedef struct {
    int day;
    int open;
    char notice[JH_LONG_TEXT_LEN];
    int64_t seq;                      /* last event seq handed out */
} jh_hall_row;

typedef struct {
    int last_number;
    int issued;
    int waiting;
    int waiting_priority;
    char last_called[JH_ID_LEN];
} jh_numbering_row;

/*
 * One business day's running figures (table day_stats), kept by the same
 * transactions that change the tickets; as a delta for jh_store_stats_add.
 * Status counts are of the tickets' current status: a requeued no-show leaves
 * no_shows again. wait_* is first call − issue, over the tickets called so far.
 */
typedef struct {
    int64_t issued, issued_green; /* issued_green: green at the kiosk or flagged later */
    int64_t called, wait_sum_s, wait_max_s; /* wait_max_s: a maximum, not added */
    int64_t served, served_green, service_sum_s, overruns;
    int64_t no_shows, voided, expired;
    int64_t ratings, ratings_flagged, satisfied; /* satisfied: unflagged ratings of 4 or 5 */
    int64_t alerts_wait, alerts_overrun;
} jh_day_stats;

/* First-call waits are counted per JH_WAIT_BUCKET_S seconds (table wait_hist);
 * waits beyond the last bucket count in it. */
#define JH_WAIT_BUCKET_S 30
#define JH_WAIT_BUCKETS 2880 /* 24 h */

/* The head of one queue: what dispatch needs to compare, nothing more. */
typedef struct {
    int64_t id;
    int64_t queue_key;
} jh_queue_head;

typedef struct {
    char label[JH_ID_LEN];
    char counter[JH_ID_LEN];
    int64_t at;
} jh_call_row;

/* One row of the pause log and of the login log (tables pauses, sessions),
 * as the reports read them. An open pause or login has its end at 0. */
typedef struct {
    int64_t id;
    int day;
    char counter[JH_ID_LEN];
    char staff_id[JH_ID_LEN];
    char reason[JH_TEXT_LEN];
    char message[JH_LONG_TEXT_LEN];
    int64_t started_at;
    int64_t ended_at;
} jh_pause_log;

typedef struct {
    int64_t id;
    int day;
    char counter[JH_ID_LEN];
    char staff_id[JH_ID_LEN];
    char staff_name[JH_TEXT_LEN];
    int64_t login_at;
    int64_t logout_at;
} jh_session_log;

/* A staff member's roles (any combination), stored as words: "staff;supervisor". */
#define JH_ROLE_STAFF 1u      /* serves at a counter */
#define JH_ROLE_GUIDE 2u      /* guide desk (导办台): flags green-channel tickets */
#define JH_ROLE_SUPERVISOR 4u /* hall supervisor (大厅值班长) */
#define JH_ROLE_ADMIN 8u      /* edits the roster */
#define JH_ROLES_ALL 15u

/* JH_ROLE_* bits as their words joined by ';' ("staff;guide"), in that order. */
void jh_roles_text(unsigned roles, char *buf, size_t len);
/* "staff;guide" → bits; 0 with *roles set, -1 on a word that is no role or an empty item. */
int jh_roles_parse(const char *text, unsigned *roles);

/* One row of the roster (table staff, schema 5). Lists are ids joined by ';'. */
typedef struct {
    char staff_id[JH_ID_LEN];             /* 工号 */
    char name[JH_TEXT_LEN];               /* what the boards show */
    char department[JH_TEXT_LEN];
    char photo[JH_TEXT_LEN];              /* a file name; "" = none */
    unsigned roles;                       /* JH_ROLE_* */
    char counters[JH_LONG_TEXT_LEN];      /* where the person may log in; "" = any */
    char services[JH_LONG_TEXT_LEN];      /* a counter must serve one of these; "" = any */
    char covers[JH_LONG_TEXT_LEN];        /* AB岗: staff whose posts this one covers */
    char secret_hash[JH_STAFF_HASH_LEN];  /* "$argon2id$…"; "" = no secret yet */
    int enabled;
    int failures;                         /* wrong secrets since the last good one or lock */
    int64_t locked_until;                 /* 0 = not locked */
    int64_t lock_alerted;                 /* the locked_until an alert was sent for */
    int64_t created_at;
    int64_t updated_at;
} jh_staff_row;

/* One row of the audit trail (table staff_audit): a command that reached the engine. */
typedef struct {
    int64_t id;
    int day;
    int64_t at;
    char by[JH_ID_LEN];                   /* the staff member a console acted for, or "" */
    char device[JH_ID_LEN];               /* the command's origin: counter, kiosk id, "admin" */
    char staff[JH_ID_LEN];                /* who was logged in at that counter, or "" */
    char op[24];
    char target[JH_ID_LEN];               /* the ticket, staff member or counter acted on */
    char detail[JH_LONG_TEXT_LEN];        /* what else it said or did; never a secret */
    char result[32];                      /* "ok" or the refusal code */
} jh_audit_row;

/* What an audit query selects; "" / 0 = any. */
typedef struct {
    char staff[JH_ID_LEN];   /* as by, as the logged-in staff, or as the target */
    char counter[JH_ID_LEN]; /* as the device or the target */
    char ticket[JH_ID_LEN];  /* as the target */
    int day;
    int limit;
} jh_audit_filter;

/* Opens or creates the store (WAL, synchronous=FULL). `day` initialises a new file. */
jh_store *jh_store_open(const char *path, int day, char *err, size_t errlen);
void jh_store_close(jh_store *st);
const char *jh_store_errmsg(jh_store *st);

/* 1: synchronous=FULL (the default: every commit survives power loss); 0: OFF,
 * for simulations and benchmarks that rebuild their store anyway. */
int jh_store_set_durable(jh_store *st, int durable);

int jh_store_begin(jh_store *st); /* BEGIN IMMEDIATE */
int jh_store_commit(jh_store *st);
void jh_store_rollback(jh_store *st); /* no-op outside a transaction */
/* A read transaction around a batch of lookups made outside begin/commit
 * (the retained states, the tick): one snapshot and one round of WAL locks
 * instead of one per statement, which at 200 counters was most of a
 * command's cost. read_begin returns 1 when it began one — hand that to
 * read_end — and 0 inside a transaction or when it could not (the lookups
 * then run one by one, with the same results: the engine is the only writer). */
int jh_store_read_begin(jh_store *st);
void jh_store_read_end(jh_store *st, int began);
/* A nested savepoint inside the transaction: undo = everything since it, gone. */
int jh_store_savepoint(jh_store *st);
int jh_store_savepoint_rollback(jh_store *st);
int jh_store_savepoint_release(jh_store *st);

/* Hall row. */
int jh_store_hall_get(jh_store *st, jh_hall_row *h);
int jh_store_hall_set(jh_store *st, const jh_hall_row *h);
/* Hands out the next event seq (persisted in the hall row). */
int jh_store_next_seq(jh_store *st, int64_t *seq);
/* A place at the back of the queue: `now`, or the last place handed out if the
 * clock went back since (equal places keep insertion order in the queue
 * indexes), so arrival order survives a clock step. */
int jh_store_next_queue_key(jh_store *st, int64_t now, int64_t *key);

/* Numbering and waiting counters per (day, service). A missing row reads as zeros. */
int jh_store_numbering_get(jh_store *st, int day, const char *service, jh_numbering_row *n);
int jh_store_numbering_issue(jh_store *st, int day, const char *service, int number);
int jh_store_waiting_add(jh_store *st, int day, const char *service, int d_waiting, int d_priority);
int jh_store_set_last_called(jh_store *st, int day, const char *service, const char *label);
/* Zeroes waiting counts of every day before `day` (after expiring their tickets). */
int jh_store_waiting_clear_before(jh_store *st, int day);
int jh_store_waiting_clear_day(jh_store *st, int day);

/* Tickets. insert fills t->id. */
int jh_store_ticket_insert(jh_store *st, jh_ticket *t);
int jh_store_ticket_update(jh_store *st, const jh_ticket *t);
int jh_store_ticket_by_id(jh_store *st, int64_t id, jh_ticket *t);
int jh_store_ticket_by_label(jh_store *st, int day, const char *label, jh_ticket *t);
/* Oldest waiting ticket of (day, service, green?) not directed at a counter. */
int jh_store_queue_head(jh_store *st, int day, const char *service, int green, jh_queue_head *h);
/* Oldest waiting ticket directed at `counter`. */
int jh_store_directed_head(jh_store *st, const char *counter, jh_queue_head *h);
/* waiting/called tickets of days before `day` → expired. */
int jh_store_expire_before(jh_store *st, int day, int *n_expired);
/* waiting tickets of `day` → expired (end-day). */
int jh_store_expire_waiting_of_day(jh_store *st, int day, int *n_expired);
/* Mean service_s of the last `n` finished tickets of `service`; *count 0 when none. */
int jh_store_recent_service_mean(jh_store *st, const char *service, int n, double *mean, int *count);

/* The day's running figures. A day without a row reads as zeros. The expire
 * functions above keep `expired` in step themselves. */
int jh_store_stats_add(jh_store *st, int day, const jh_day_stats *delta);
int jh_store_stats_get(jh_store *st, int day, jh_day_stats *d);
int jh_store_wait_hist_add(jh_store *st, int day, int wait_s);
/* counts[JH_WAIT_BUCKETS] receives the day's first-call waits per bucket. */
int jh_store_wait_hist_get(jh_store *st, int day, int *counts);
/* Ratings per (day, counter, score): add one; read the day's counts at every
 * counter but `counter`, others[1..5] ([0] unused). */
int jh_store_score_add(jh_store *st, int day, const char *counter, int score);
int jh_store_scores_others(jh_store *st, int day, const char *counter, int64_t others[6]);
/* Waiting tickets (any day) queued at or before `queued_before` that have had no
 * long-wait alert, oldest first, at most max. */
int jh_store_wait_due(jh_store *st, int64_t queued_before, jh_queue_head *rows, int max, int *n);

/* Counters. A row exists for every configured counter (ensure at open). */
int jh_store_counter_ensure(jh_store *st, const char *id, int64_t now_ms);
int jh_store_counter_get(jh_store *st, const char *id, jh_counter_row *c);
int jh_store_counter_put(jh_store *st, const jh_counter_row *c);
/* What the estimator and the hall's live figures need of every counter, read
 * in one statement instead of a counter and a ticket lookup per counter. */
typedef struct {
    int found;                        /* 0: the configured counter has no row */
    jh_counter_status status;
    int has_ticket;                   /* its current ticket exists */
    char service[JH_ID_LEN];          /* of the current ticket */
    int64_t session_at;               /* of the current ticket */
} jh_counter_brief;
/* out[i] describes cfg->counters[i]. */
int jh_store_counters_brief(jh_store *st, const jh_hall_config *cfg, jh_counter_brief *out);
/* Another counter where `staff_id` is logged in (not `except_id`). */
int jh_store_counter_by_staff(jh_store *st, const char *staff_id, const char *except_id,
                              jh_counter_row *c);
/* Day rollover: every counter closed and logged out, streaks and rating target
 * cleared, open pause and session logs ended at now_ms. */
int jh_store_counters_reset(jh_store *st, int64_t now_ms);

/* Logs kept for reports. */
int jh_store_pause_start(jh_store *st, int day, const jh_counter_row *c, int64_t at);
int jh_store_pause_end(jh_store *st, const char *counter, int64_t at);
int jh_store_session_start(jh_store *st, int day, const jh_counter_row *c, int64_t at);
int jh_store_session_end(jh_store *st, const char *counter, int64_t at);
int jh_store_call_log(jh_store *st, const jh_ticket *t, const char *kind, int64_t at);
int jh_store_last_calls(jh_store *st, int day, jh_call_row *rows, int max, int *n);
int jh_store_transfer_log(jh_store *st, const jh_ticket *t, const char *from_counter,
                          const char *from_service, int64_t at);

/* Command records: the stored reply to each (origin, command id). */
int jh_store_command_get(jh_store *st, int origin_kind, const char *origin_id, const char *cmd_id,
                         char **reply, int *ok);
int jh_store_command_put(jh_store *st, int origin_kind, const char *origin_id, const char *cmd_id,
                         const char *reply, int ok, int64_t at);
int jh_store_command_prune(jh_store *st, int64_t before_ms);

/* Outbox. next returns 1 and a malloc'd *payload, 0 when there is none. */
int jh_store_event_add(jh_store *st, int64_t seq, const char *kind, const char *payload, int64_t at);
int jh_store_event_next(jh_store *st, int64_t after_seq, int64_t *seq, char *kind, size_t kindlen,
                        char **payload);
int jh_store_event_ack(jh_store *st, int64_t seq);
int jh_store_event_prune(jh_store *st, int64_t before_ms);

/* The roster. get: 1 found / 0 not / -1. insert refuses an existing id (-1);
 * insert_new keeps the existing row (*added 0). */
int jh_store_staff_get(jh_store *st, const char *staff_id, jh_staff_row *s);
int jh_store_staff_insert(jh_store *st, const jh_staff_row *s);
int jh_store_staff_insert_new(jh_store *st, const jh_staff_row *s, int *added);
int jh_store_staff_put(jh_store *st, const jh_staff_row *s);
/* Every row in staff_id order: fn returns 0 to go on, -1 to stop (then -1 here). */
typedef int (*jh_staff_fn)(void *ctx, const jh_staff_row *s);
int jh_store_staff_each(jh_store *st, jh_staff_fn fn, void *ctx);
/* Accounts locked and not yet announced (locked_until > lock_alerted), at most max. */
int jh_store_staff_lock_due(jh_store *st, jh_staff_row *rows, int max, int *n);
/* The name a logged-in staff member shows, on every counter where they are. */
int jh_store_counter_rename_staff(jh_store *st, const char *staff_id, const char *name);

/* The audit trail: add one row (fills a->id); find the newest rows matching f, newest first. */
int jh_store_audit_add(jh_store *st, jh_audit_row *a);
typedef int (*jh_audit_row_fn)(void *ctx, const jh_audit_row *a);
int jh_store_audit_find(jh_store *st, const jh_audit_filter *f, jh_audit_row_fn fn, void *ctx);

#endif
