/* SPDX-License-Identifier: MIT */
/*
 * engine_int — what the engine's files share (private to caller/engine).
 *
 * Owns: the engine's struct, the context of one command being applied, and
 * the helpers every operation uses (refusals, dirty marks, loading the
 * sender's counter, building and emitting events). The files:
 *   engine.c          apply: the op table, the transaction, replies; open, close, outbox
 *   engine_ctx.c      the helpers below
 *   engine_kiosk.c    take, void
 *   engine_staff.c    login, logout, pause, resume
 *   engine_call.c     call-next, call, recall, no-show, requeue, finish, transfer, flag
 *   engine_rating.c   rate (and the 擅自按键评价 flags)
 *   engine_invite.c   invite-rating (the keypad's RATE key: ask the visitor to rate)
 *   engine_admin.c    open, close, notice, end-day
 *   engine_tick.c     time passing: the day rollover, tick, alerts
 *   engine_state.c    the retained states and the estimated wait
 *   engine_auth.c     staff identity: secrets, the lockout, where a person may serve,
 *                     and what a console's `by` may do (the role checks)
 *   engine_roster.c   the roster's admin ops (staff-*), and seeding it from [staff] roster
 *   engine_audit.c    the audit trail: one row per command, and the op audit
 */
#ifndef JH_ENGINE_INT_H
#define JH_ENGINE_INT_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "dispatch.h"
#include "engine.h"
#include "event_payload.h"
#include "ewt.h"
#include "staff_roster.h"
#include "ticket_store.h"

struct jh_engine {
    const jh_hall_config *cfg;
    jh_store *st;
    jh_dispatch_params dp;
    /* What tick last saw, to mark only changes dirty. Memory only: after a
     * restart the front republishes every retained state anyway. */
    signed char svc_open[JH_MAX_SERVICES];
    int svc_ewt[JH_MAX_SERVICES];
    signed char ctr_overrun[JH_MAX_COUNTERS];
    jh_ewt_hall snap; /* scratch for the estimator: too large for the stack */
    int wait_hist[JH_WAIT_BUCKETS]; /* scratch for the hall state's p90 */
    jh_counter_brief brief[JH_MAX_COUNTERS]; /* scratch: every counter at a glance */
    /* The [staff] roster file's rows the store lacked at open, read, checked and
     * hashed there; written by the first apply or tick, with its time. */
    jh_roster_entry *seed;
    int n_seed;
};

/* One command being applied (or one tick's alerts: then origin and cmd are NULL). */
typedef struct {
    jh_engine *e;
    const jh_hall_config *cfg;
    jh_store *st;
    const jh_origin *origin;
    const jh_command *cmd;
    int64_t now;
    int day;
    int ci;            /* origin's counter index, or -1 */
    jh_outcome *out;
    cJSON *reply;      /* the success reply under construction */
    int refused;
    char code[32];
    char message[256];
    /* staff identity and the audit trail */
    char at_counter[JH_ID_LEN];   /* who was logged in at the origin counter as the command came */
    char fail_staff[JH_ID_LEN];   /* a wrong secret for this staff member: counted after the
                                   * refusal's rollback (engine_auth.c) */
    int64_t until;                /* refusal locked (and the bad-secret that locks): until when */
    int line;                     /* refusal of staff-import: the CSV line at fault */
    char audit_target[JH_ID_LEN]; /* set by an op that knows better than the command: the ticket called */
    char audit_detail[256];       /* set by an op: what it did beyond the command's fields */
} eng_op;

typedef int (*eng_op_fn)(eng_op *);

/* ---- engine_ctx.c ---- */

/* Refuses the command with a stable code (docs/protocol.md "Refusals"). Returns 0. */
int eng_refuse(eng_op *x, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A moment as the wire writes it into buf[JH_TIME_LEN]; 0 is "" (null). */
void eng_time(int64_t ms, char *buf);
const char *eng_prio_name(int p);
const char *eng_status_word(jh_counter_status s);
const jh_service_config *eng_service_cfg(const jh_hall_config *cfg, const char *code, int *idx);
int eng_any_counter_serves(const jh_hall_config *cfg, int service_index);
/* "A" + 12 at width 3 → "A012". */
void eng_format_label(const jh_service_config *s, int number, char *buf, size_t len);

void eng_mark_service(eng_op *x, const char *code);
void eng_mark_counter(eng_op *x, const char *id);
void eng_mark_all(const jh_hall_config *cfg, jh_outcome *out);
/* Adds to today's running figures; they are part of state/hall. */
int eng_stats_add(eng_op *x, const jh_day_stats *d);

/* The sender's counter (0), or -1. need_login also refuses unless someone is
 * logged in, need_current unless it serves a ticket: 1 = go on. */
int eng_load_counter(eng_op *x, jh_counter_row *c);
int eng_need_login(eng_op *x, jh_counter_row *c);
int eng_need_current(eng_op *x, const jh_counter_row *c, jh_ticket *t);
/* Today's ticket named by the command; refuses "unknown-ticket". 1 = found. */
int eng_find_ticket(eng_op *x, jh_ticket *t);
void eng_set_status(eng_op *x, jh_counter_row *c, jh_counter_status s);

/* A new event of `kind` at x->now; the caller fills in the rest. */
void eng_event_init(eng_op *x, jh_event_kind kind, jh_event_payload *ev);
void eng_counter_ident(const jh_hall_config *cfg, const char *counter_id, jh_event_payload *ev);
void eng_service_ident(const jh_hall_config *cfg, const char *code, jh_event_payload *ev);
/* Takes the next seq, writes the event to the outbox and, with to_reply, into the reply too. */
int eng_event_emit(eng_op *x, jh_event_payload *ev, int to_reply);

/* ---- engine_auth.c ---- */

/* A command's `by`, when it has one: the staff member must exist, be enabled and
 * hold a role that allows this op here. 1 = go on, 0 refused (forbidden), -1 store. */
int eng_check_by(eng_op *x);
/* login's who: the roster's person with their secret (or, pinless, nobody's
 * word for a name). 1 with the name the boards show in name[JH_TEXT_LEN], 0 refused, -1. */
int eng_login_identity(eng_op *x, char *name);
/* staff-auth: the secret of cmd->staff_id; 1 with its row, 0 refused, -1. */
int eng_staff_authenticate(eng_op *x, jh_staff_row *s);
/* After a refusal was rolled back: counts a wrong secret (x->fail_staff), locking
 * the account after [staff] max_failures. 0 or -1. */
int eng_after_refusal(eng_op *x);
/* tick: event alert kind staff-locked, once per lock. */
int eng_staff_lock_alerts(jh_engine *e, int64_t now, jh_outcome *out);

/* ---- engine_roster.c ---- */

/* At open: the [staff] roster file's rows the store does not have, into e->seed. */
int eng_roster_seed_load(jh_engine *e, char *err, size_t errlen);
/* In a transaction: writes e->seed (each with an audit row) and frees it. */
int eng_roster_seed_write(jh_engine *e, int64_t now, int day);
void eng_roster_seed_free(jh_engine *e);

/* ---- engine_audit.c ---- */

/* The command's audit row (x->refused says ok or its code). Counter and admin
 * commands, and kiosk commands a console sent (by). */
int eng_audit_record(eng_op *x);
/* One audit row not made by a command (the roster seeded at start). */
int eng_audit_note(jh_store *st, int day, int64_t now, const char *device, const char *op,
                   const char *target, const char *detail);
void eng_audit_ticket(eng_op *x, const char *label);

/* ---- the operations: 0 done or refused (x->refused), -1 store failure ---- */
int eng_op_take(eng_op *x);     /* engine_kiosk.c */
int eng_op_void(eng_op *x);
int eng_op_login(eng_op *x);    /* engine_staff.c */
int eng_op_logout(eng_op *x);
int eng_op_pause(eng_op *x);
int eng_op_resume(eng_op *x);
/* Ends a pause (event resumed) before a call; no-op when not paused. */
int eng_resume_if_paused(eng_op *x, jh_counter_row *c);
int eng_op_call_next(eng_op *x); /* engine_call.c */
int eng_op_call(eng_op *x);
int eng_op_recall(eng_op *x);
int eng_op_no_show(eng_op *x);
int eng_op_finish(eng_op *x);
int eng_op_requeue(eng_op *x);
int eng_op_transfer(eng_op *x);
int eng_op_flag(eng_op *x);
int eng_op_rate(eng_op *x);     /* engine_rating.c */
int eng_op_invite_rating(eng_op *x); /* engine_invite.c */
int eng_op_open(eng_op *x);     /* engine_admin.c */
int eng_op_close(eng_op *x);
int eng_op_notice(eng_op *x);
int eng_op_end_day(eng_op *x);
int eng_op_staff_auth(eng_op *x); /* engine_roster.c */
int eng_op_staff_list(eng_op *x);
int eng_op_staff_add(eng_op *x);
int eng_op_staff_update(eng_op *x);
int eng_op_staff_disable(eng_op *x);
int eng_op_staff_set_secret(eng_op *x);
int eng_op_staff_import(eng_op *x);
int eng_op_audit(eng_op *x);       /* engine_audit.c */

/* ---- engine_tick.c ---- */

/* When the business day has moved on: yesterday's open tickets expire, counters reset. */
int eng_rollover(jh_engine *e, int64_t now, jh_outcome *out, int *day);
/* Serving seconds of counter c now and whether that overruns its service's
 * target; 1 with *t its ticket, 0 when it serves none, -1 on a store error. */
int eng_counter_overrun(jh_engine *e, const jh_counter_row *c, int64_t now, jh_ticket *t,
                        int *serving_s, int *overrun);

/* ---- engine_state.c ---- */

/* The hall as the estimator sees it, into e->snap. */
int eng_ewt_snapshot(jh_engine *e, int day, int64_t now);
/* Estimated wait of a ticket taken now in service si (before it is stored). */
int eng_service_ewt(jh_engine *e, int day, int si, int green, int64_t now, int *ewt);

#endif
