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
 *
 * Pure: no I/O, no clock, no threads. The app feeds it events (printer
 * checked, reply arrived, print finished, time passed) and carries out what
 * it asks (publish this JSON, print this ticket); the unit tests drive it the
 * same way.
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

#define JH_FLOW_MAX_LATE 16   /* timed-out take ids whose late "ok" must still be voided */
#define JH_FLOW_MAX_VOIDS 16  /* voids awaiting the caller's answer */

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
    JH_FAIL_PRINT      /* issued but not printed: voided */
} jh_flow_failure;

typedef struct {
    char cmd_id[JH_CMD_ID_LEN];
    char ticket[JH_ID_LEN];
    char reason[JH_TEXT_LEN];
    uint64_t sent_session;    /* 0: not sent yet */
} jh_flow_void;

typedef enum {
    JH_REPLY_IGNORED = 0,     /* not ours, a duplicate, or unreadable */
    JH_REPLY_TAKE,            /* the awaited take: now PRINTING or FAILED */
    JH_REPLY_LATE_VOIDED,     /* a take we had given up on was issued: a void is queued */
    JH_REPLY_VOID             /* the caller answered one of our voids */
} jh_reply_kind;

typedef struct {
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

    char late[JH_FLOW_MAX_LATE][JH_CMD_ID_LEN];
    int late_next;
    jh_flow_void voids[JH_FLOW_MAX_VOIDS];
    int n_voids;
    unsigned voids_dropped;      /* the queue overflowed: logged by the app */
} jh_flow;

/* `boot` makes command ids unique across restarts (e.g. the start time in base 36). */
void jh_flow_init(jh_flow *f, const char *kiosk_id, const char *boot, int reply_timeout_ms);

/* A visitor chose `service`. -1 when a ticket is already under way (phase not IDLE). */
int jh_flow_start(jh_flow *f, const char *service, jh_priority prio, int lang_en, int64_t now);

/*
 * The printer's fresh state for the CHECKING step. Returns 1 with *take_json
 * (malloc'd; publish it on kiosk/<id>/cmd, then free) when it can print, or 0
 * when it cannot: FAILED with JH_FAIL_PRINTER and nothing taken.
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
 * NULL when every pending void went out in this session. A void stays pending
 * until the caller answers it; one whose publish failed goes out again in the
 * next session (a failed publish means the link is going down).
 */
char *jh_flow_next_void(jh_flow *f, uint64_t session);

const char *jh_flow_phase_name(jh_flow_phase p);
const char *jh_flow_failure_name(jh_flow_failure x);

#endif
