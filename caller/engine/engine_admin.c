/* SPDX-License-Identifier: MIT */
/*
 * engine_admin — the administrator's operations: open, close, notice, end-day.
 *
 * Owns: the hall's own switches: whether it takes tickets at all, the notice
 * the boards show, and ending the business day early (what is still waiting
 * expires, the hall closes).
 */
#include "engine_int.h"

#include <stdio.h>

static int set_open(eng_op *x, int open)
{
    jh_hall_row h;
    if (jh_store_hall_get(x->st, &h) < 0)
        return -1;
    h.open = open;
    eng_mark_all(x->cfg, x->out);
    cJSON_AddBoolToObject(x->reply, JH_KEY_OPEN, open);
    return jh_store_hall_set(x->st, &h);
}

int eng_op_open(eng_op *x) { return set_open(x, 1); }

int eng_op_close(eng_op *x) { return set_open(x, 0); }

int eng_op_notice(eng_op *x)
{
    jh_hall_row h;
    if (jh_store_hall_get(x->st, &h) < 0)
        return -1;
    snprintf(h.notice, sizeof h.notice, "%s", x->cmd->message);
    x->out->hall_dirty = 1;
    cJSON_AddStringToObject(x->reply, JH_KEY_NOTICE, h.notice);
    return jh_store_hall_set(x->st, &h);
}

int eng_op_end_day(eng_op *x)
{
    int n;
    if (jh_store_expire_waiting_of_day(x->st, x->day, &n) < 0 ||
        jh_store_waiting_clear_day(x->st, x->day) < 0 || set_open(x, 0) < 0)
        return -1;
    cJSON_AddNumberToObject(x->reply, JH_KEY_EXPIRED, n);
    return 0;
}
