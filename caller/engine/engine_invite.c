/* SPDX-License-Identifier: MIT */
/*
 * engine_invite — invite-rating: staff ask the visitor to rate (the RATE key
 * of a counter keypad; staff never enter a score themselves, 擅自按键评价).
 *
 * Owns: which ticket an invitation is about — the same one `rate` would bind
 * to, the counter's last finished ticket, so the pad the bridge lights then
 * rates exactly that case — and the refusals when nobody is logged in or
 * there is nothing to rate.
 * No state changes: the invitation lives only in the event log (event
 * rating-invited), which is what the bridge and the board act on.
 */
#include "engine_int.h"

#include <stdio.h>
#include <string.h>

int eng_op_invite_rating(eng_op *x)
{
    jh_counter_row c;
    jh_ticket t;
    jh_event_payload ev;
    int rc = eng_need_login(x, &c); /* staff press RATE: someone is at the counter */
    if (rc <= 0)
        return rc;
    rc = c.last_finished_id ? jh_store_ticket_by_id(x->st, c.last_finished_id, &t) : 0;
    if (rc < 0)
        return -1;
    if (rc == 0)
        return eng_refuse(x, "no-ticket-to-rate", "counter %s has finished no ticket to rate", c.id);
    if (t.rating)
        return eng_refuse(x, "already-rated", "ticket %s was already rated", t.label);
    eng_event_init(x, JH_EVENT_RATING_INVITED, &ev);
    snprintf(ev.ticket, sizeof ev.ticket, "%s", t.label);
    eng_counter_ident(x->cfg, c.id, &ev);
    snprintf(ev.staff_id, sizeof ev.staff_id, "%s", t.staff_id);
    return eng_event_emit(x, &ev, 1);
}
