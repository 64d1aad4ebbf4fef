/* SPDX-License-Identifier: MIT */
/*
 * kiosk_flow — one visitor's ticket from the tap to the paper, as a state machine.
 *
 * Owns: the order of the steps and what happens when one fails. A tap first
 * asks the printer (a printer that cannot print means no number is taken);
 * then `take` goes to the caller with a unique id ("<kiosk>-<boot>-<n>");
 * the reply is awaited with a timeout; the issued ticket is printed; a print
 * that fails, or an ok reply that arrives after the visitor was already told
 * it failed, makes a `void {ticket, reason}` so that number is never called.
 * Voids are kept until the caller answers them and are sent again on every
 * new broker session, because a lost void means a ghost number on the boards.
 * So are takes: one without an answer (the broker may have lost it, or the
 * answer, when it was killed) goes again with the same id on the next
 * session, and an "ok" that comes for it after the visitor was told it failed
 * is voided. Both are also sent again after JH_FLOW_RESEND_MS (doubling)
 * without an answer, and a void answered `internal` (the caller's store
 * failed, nothing applied) stays until it is answered otherwise.
 *
 * What must survive a crash — takes without an answer, the ticket being
 * printed, unanswered voids — goes to a journal (void_journal.h) through a
 * hook the app sets: the flow calls it whenever that set changes, before it
 * hands out a take to send and before it lets a ticket be printed, and
 * refuses the take when the journal cannot be written. At start the app
 * gives the journal back (jh_flow_restore): a ticket that was being printed
 * is voided, takes and voids are sent again.
 *
 * Pure: no I/O, no clock, no threads. The app feeds it events (printer
 * checked, reply arrived, print finished, time passed, new broker session)
 * and carries out what it asks (publish this JSON, print this ticket, write
 * the journal); the unit tests drive it the same way.
 */
#ifndef JH_KIOSK_FLOW_H
#define JH_KIOSK_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "hall_config.h"
#include "printer.h"
#include "protocol.h"
#include "ticket_layout.h"
#include "ticket_print.h"
#include "void_journal.h"

#define JH_FLOW_MAX_LATE 16   /* takes without an answer (the current one and those given up on) */
#define JH_FLOW_MAX_VOIDS 16  /* voids awaiting the caller's answer */
#define JH_FLOW_RESEND_MS 10000     /* no answer this long within one session: the command again */
#define JH_FLOW_RESEND_MAX_MS 60000

typedef enum {
    JH_FLOW_IDLE = 0,
    JH_FLOW_CHECKING,  /* asked the printer; nothing taken yet */
    JH_FLOW_WAITING,   /* take sent, reply awaited */
    JH_FLOW_PRINTING,  /* ticket issued, printer busy */
    JH_FLOW_DONE,      /* printed: the visitor has it */
    JH_FLOW_FAILED     /* no ticket for the visitor; failure says why */
} jh_flow_phase;

typedef enum {
    JH_FAIL_NONE = 0,
    JH_FAIL_PRINTER,   /* printer not ready at the tap: nothing was taken */
    JH_FAIL_LINK,      /* the take could not be sent (broker down) */
    JH_FAIL_REFUSED,   /* the caller said no (error_code) */
    JH_FAIL_TIMEOUT,   /* no reply in time (a late ok is voided) */
    JH_FAIL_BAD_REPLY, /* an ok reply we cannot read: voided when it named a ticket */
    JH_FAIL_PRINT,     /* issued but not printed: voided */
    JH_FAIL_JOURNAL    /* the take could not be recorded first: nothing was taken */
} jh_flow_failure;

typedef struct {
    char cmd_id[JH_CMD_ID_LEN];
    char ticket[JH_ID_LEN];
    char reason[JH_TEXT_LEN];
    uint64_t sent_session;    /* 0: not sent yet */
    int64_t sent_at;
    int backoff_ms;
} jh_flow_void;

/* A take sent without an answer yet: the caller may have issued a number for it. */
typedef struct {
    char cmd_id[JH_CMD_ID_LEN];
    char service[JH_ID_LEN];
    jh_priority priority;
    int lang_en;
    int restored;             /* from the journal of an earlier run */
    uint64_t sent_session;    /* 0: not sent by this run yet */
    int64_t sent_at;
    int backoff_ms;
} jh_flow_take;

typedef struct jh_flow jh_flow;

/* Writes what must survive a crash (jh_flow_to_journal); 0, or -1 when it could not. */
typedef int (*jh_flow_journal_fn)(void *user, const jh_flow *f);

typedef enum {
    JH_REPLY_IGNORED = 0,     /* not ours, a duplicate, or unreadable */
    JH_REPLY_TAKE,            /* the awaited take: now PRINTING or FAILED */
    JH_REPLY_LATE_VOIDED,     /* a take we had given up on was issued: a void is queued */
    JH_REPLY_VOID             /* the caller answered one of our voids */
} jh_reply_kind;

struct jh_flow {
    char kiosk_id[JH_ID_LEN];
    char boot[24];
    unsigned seq;
    int reply_timeout_ms;

    jh_flow_phase phase;
    jh_flow_failure failure;
    int64_t phase_since;
    char service[JH_ID_LEN];
    jh_priority priority;
    int lang_en;
    char take_id[JH_CMD_ID_LEN];
    int64_t deadline;
    jh_issued_ticket ticket;     /* PRINTING, DONE, FAIL_PRINT */
    jh_printer_status printer;   /* FAIL_PRINTER, FAIL_PRINT: what the printer said */
    char error_code[32];         /* FAIL_REFUSED: the caller's stable code */
    char detail[400];            /* one line for the log about the last change */
    char why[400];               /* FAILED: the detail at the moment it failed (later replies move detail on) */

    jh_flow_take takes[JH_FLOW_MAX_LATE]; /* oldest first */
    int n_takes;
    jh_flow_void voids[JH_FLOW_MAX_VOIDS];
    int n_voids;
    unsigned voids_dropped;      /* a queue overflowed (a number may stay a ghost): logged by the app */

    uint64_t session;            /* the broker session now (jh_flow_set_session) */
    int64_t now;                 /* the latest time the app gave */
    jh_flow_journal_fn journal;
    void *journal_user;
};

/* `boot` makes command ids unique across restarts (e.g. the start time in base 36). */
void jh_flow_init(jh_flow *f, const char *kiosk_id, const char *boot, int reply_timeout_ms);

/* The journal hook (NULL: none, nothing survives a crash). */
void jh_flow_set_journal(jh_flow *f, jh_flow_journal_fn fn, void *user);

/*
 * What the journal must hold now: takes without an answer, the ticket being
 * printed, voids without an answer.
 */
void jh_flow_to_journal(const jh_flow *f, jh_vj *out);

/*
 * An earlier run's journal, right after jh_flow_init: a ticket it was
 * printing is voided ("kiosk restarted before the ticket was printed"), its
 * takes and voids go out again with their ids on the first session. Writes
 * the journal back. The number of entries taken over.
 */
int jh_flow_restore(jh_flow *f, const jh_vj *j, int64_t now);

/* A new broker session began: what had no answer in the last one goes again. */
void jh_flow_set_session(jh_flow *f, uint64_t session);

/* A visitor chose `service`. -1 when a ticket is already under way (phase not IDLE). */
int jh_flow_start(jh_flow *f, const char *service, jh_priority prio, int lang_en, int64_t now);

/*
 * The printer's fresh state for the CHECKING step. Returns 1 with *take_json
 * (malloc'd; publish it on kiosk/<id>/cmd, then free) when it can print, or 0
 * when it cannot: FAILED with JH_FAIL_PRINTER and nothing taken — or with
 * JH_FAIL_JOURNAL when the journal could not record the take first.
 */
int jh_flow_printer_checked(jh_flow *f, const jh_printer_status *st, int64_t now, char **take_json);

/* The take could not be published: FAILED with JH_FAIL_LINK (nothing was taken). */
void jh_flow_take_unsent(jh_flow *f, const char *why, int64_t now);

/* A message on reply/<kiosk-id>. Never fails: anything unexpected is IGNORED. */
jh_reply_kind jh_flow_reply(jh_flow *f, const char *payload, size_t len, int64_t now);

/* The PRINTING step finished. Anything but JH_PRINT_OK queues a void and FAILs. */
void jh_flow_printed(jh_flow *f, const jh_ticket_print_outcome *o, int64_t now);

/* Time passes: 1 when the take just timed out (now FAILED with JH_FAIL_TIMEOUT). */
int jh_flow_tick(jh_flow *f, int64_t now);

/* DONE or FAILED → IDLE once the screen has said so. */
void jh_flow_reset(jh_flow *f);

/*
 * The next void to publish in broker session `session` (malloc'd JSON), or
 * NULL when every pending void went out in this session and none waited
 * JH_FLOW_RESEND_MS for its answer since. A void stays pending until the
 * caller answers it; one whose publish failed goes out again in the next
 * session (a failed publish means the link is going down).
 */
char *jh_flow_next_void(jh_flow *f, uint64_t session);

/*
 * The same for everything that must go out again: voids first, then takes
 * without an answer (same id, same service) from an earlier session or
 * overdue. *what names it for the log ("void", "take again").
 */
char *jh_flow_next_send(jh_flow *f, uint64_t session, const char **what);

const char *jh_flow_phase_name(jh_flow_phase p);
const char *jh_flow_failure_name(jh_flow_failure x);

#endif
