/* SPDX-License-Identifier: MIT */
/*
 * engine_staff — who sits at a counter: login, logout, pause, resume.
 *
 * Owns: a counter's staff session and pauses (去向留言): AB岗 take-overs,
 * a staff member moving from an idle desk to another, and the refusals that
 * keep a ticket from being left behind (no logout or pause while serving).
 * Who logs in, with which secret and whether here, is engine_auth.c's; the
 * name the boards show comes from the roster, never from the command.
 */
#include "engine_int.h"

#include <stdio.h>
#include <string.h>

int eng_resume_if_paused(eng_op *x, jh_counter_row *c)
{
    if (c->status != JH_CS_PAUSED)
        return 0;
    int64_t paused_s = (x->now - c->since) / 1000;
    if (jh_store_pause_end(x->st, c->id, x->now) < 0)
        return -1;
    eng_set_status(x, c, JH_CS_IDLE);
    c->message[0] = c->pause_reason[0] = '\0';
    jh_event_payload ev;
    eng_event_init(x, JH_EVENT_RESUMED, &ev);
    eng_counter_ident(x->cfg, c->id, &ev);
    snprintf(ev.staff_id, sizeof ev.staff_id, "%s", c->staff_id);
    ev.paused_s = (int)paused_s;
    return eng_event_emit(x, &ev, 0);
}

/* Logs the staff member out of another counter where they sit idle; refuses if serving. */
static int login_move(eng_op *x, const char *staff_id, const char *here)
{
    jh_counter_row o;
    int rc = jh_store_counter_by_staff(x->st, staff_id, here, &o);
    if (rc <= 0)
        return rc < 0 ? -1 : 1;
    if (o.status == JH_CS_SERVING)
        return eng_refuse(x, "staff-busy", "staff %s is serving at counter %s", staff_id, o.id);
    if (jh_store_pause_end(x->st, o.id, x->now) < 0 || jh_store_session_end(x->st, o.id, x->now) < 0)
        return -1;
    o.staff_id[0] = o.staff_name[0] = o.message[0] = o.pause_reason[0] = '\0';
    eng_set_status(x, &o, JH_CS_CLOSED);
    cJSON_AddStringToObject(x->reply, JH_KEY_MOVED_FROM, o.id);
    return jh_store_counter_put(x->st, &o) < 0 ? -1 : 1;
}

int eng_op_login(eng_op *x)
{
    jh_counter_row c;
    char name[JH_TEXT_LEN];
    const jh_command *cmd = x->cmd;
    if (!cmd->staff_id[0])
        return eng_refuse(x, "missing-field", "login needs a staff_id");
    int rc = eng_login_identity(x, name);
    if (rc > 0)
        rc = eng_load_counter(x, &c) < 0 ? -1 : login_move(x, cmd->staff_id, x->origin->id);
    if (rc <= 0)
        return rc;
    if (strcmp(c.staff_id, cmd->staff_id) != 0) {
        /* AB岗: someone else may take over the desk; their session ends here. */
        if (c.staff_id[0] && jh_store_session_end(x->st, c.id, x->now) < 0)
            return -1;
        snprintf(c.staff_id, sizeof c.staff_id, "%s", cmd->staff_id);
        snprintf(c.staff_name, sizeof c.staff_name, "%s", name);
        if (jh_store_session_start(x->st, x->day, &c, x->now) < 0)
            return -1;
    } else {
        snprintf(c.staff_name, sizeof c.staff_name, "%s", name);
    }
    if (c.status == JH_CS_CLOSED)
        eng_set_status(x, &c, JH_CS_IDLE);
    eng_mark_counter(x, c.id);
    cJSON_AddStringToObject(x->reply, JH_KEY_COUNTER, c.id);
    cJSON_AddStringToObject(x->reply, JH_KEY_STAFF_ID, c.staff_id);
    cJSON_AddStringToObject(x->reply, JH_KEY_STAFF_NAME, c.staff_name);
    cJSON_AddStringToObject(x->reply, JH_KEY_STATUS, eng_status_word(c.status));
    return jh_store_counter_put(x->st, &c);
}

int eng_op_logout(eng_op *x)
{
    jh_counter_row c;
    int rc = eng_need_login(x, &c);
    if (rc <= 0)
        return rc;
    if (c.ticket_id)
        return eng_refuse(x, "serving", "finish or transfer the current ticket before logging out");
    if (jh_store_pause_end(x->st, c.id, x->now) < 0 || jh_store_session_end(x->st, c.id, x->now) < 0)
        return -1;
    cJSON_AddStringToObject(x->reply, JH_KEY_STAFF_ID, c.staff_id);
    c.staff_id[0] = c.staff_name[0] = c.message[0] = c.pause_reason[0] = '\0';
    eng_set_status(x, &c, JH_CS_CLOSED);
    return jh_store_counter_put(x->st, &c);
}

static int pause_announce(eng_op *x, const jh_counter_row *c)
{
    jh_event_payload ev;
    eng_event_init(x, JH_EVENT_PAUSED, &ev);
    eng_counter_ident(x->cfg, c->id, &ev);
    snprintf(ev.staff_id, sizeof ev.staff_id, "%s", c->staff_id);
    snprintf(ev.staff_name, sizeof ev.staff_name, "%s", c->staff_name);
    snprintf(ev.reason, sizeof ev.reason, "%s", c->pause_reason);
    snprintf(ev.message, sizeof ev.message, "%s", c->message);
    return eng_event_emit(x, &ev, 0);
}

int eng_op_pause(eng_op *x)
{
    jh_counter_row c;
    int rc = eng_need_login(x, &c);
    if (rc <= 0)
        return rc;
    if (c.ticket_id)
        return eng_refuse(x, "serving", "finish or transfer the current ticket before pausing");
    int was_paused = c.status == JH_CS_PAUSED;
    snprintf(c.message, sizeof c.message, "%s", x->cmd->message);
    snprintf(c.pause_reason, sizeof c.pause_reason, "%s", x->cmd->reason);
    eng_mark_counter(x, c.id);
    cJSON_AddStringToObject(x->reply, JH_KEY_MESSAGE, c.message);
    if (was_paused) /* a new message for the same pause */
        return jh_store_counter_put(x->st, &c);
    eng_set_status(x, &c, JH_CS_PAUSED);
    if (jh_store_pause_start(x->st, x->day, &c, x->now) < 0 || jh_store_counter_put(x->st, &c) < 0)
        return -1;
    return pause_announce(x, &c);
}

int eng_op_resume(eng_op *x)
{
    jh_counter_row c;
    int rc = eng_need_login(x, &c);
    if (rc <= 0)
        return rc;
    if (c.status != JH_CS_PAUSED)
        return eng_refuse(x, "not-paused", "counter %s is not paused", c.id);
    if (eng_resume_if_paused(x, &c) < 0)
        return -1;
    return jh_store_counter_put(x->st, &c);
}
