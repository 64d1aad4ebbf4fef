/* SPDX-License-Identifier: MIT */
/*
 * store_events — command records and the event outbox (ticket_store.h).
 *
 * Owns the queries on commands (the stored reply to each command id, so a
 * resent command gets the same answer) and outbox (events written in the
 * command's transaction, published after its commit, acknowledged and pruned).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_private.h"

/* ---- command records ---- */

int jh_store_command_get(jh_store *st, int origin_kind, const char *origin_id, const char *cmd_id,
                         char **reply, int *ok)
{
    sqlite3_stmt *s = store_stmt(st, Q_CMD_GET);
    sqlite3_bind_int(s, 1, origin_kind);
    store_bind_text(s, 2, origin_id);
    store_bind_text(s, 3, cmd_id);
    int rc = store_step_row(st, Q_CMD_GET, "command lookup");
    if (rc <= 0)
        return rc;
    const unsigned char *r = sqlite3_column_text(s, 0);
    *reply = strdup(r ? (const char *)r : "");
    *ok = sqlite3_column_int(s, 1);
    sqlite3_reset(s);
    if (!*reply) {
        snprintf(st->err, sizeof st->err, "out of memory");
        return -1;
    }
    return 1;
}

int jh_store_command_put(jh_store *st, int origin_kind, const char *origin_id, const char *cmd_id,
                         const char *reply, int ok, int64_t at)
{
    sqlite3_stmt *s = store_stmt(st, Q_CMD_PUT);
    sqlite3_bind_int(s, 1, origin_kind);
    store_bind_text(s, 2, origin_id);
    store_bind_text(s, 3, cmd_id);
    sqlite3_bind_int(s, 4, ok);
    store_bind_text(s, 5, reply);
    sqlite3_bind_int64(s, 6, at);
    return store_exec_done(st, Q_CMD_PUT, "command record");
}

int jh_store_command_prune(jh_store *st, int64_t before_ms)
{
    sqlite3_bind_int64(store_stmt(st, Q_CMD_PRUNE), 1, before_ms);
    return store_exec_done(st, Q_CMD_PRUNE, "command prune");
}

/* ---- outbox ---- */

int jh_store_event_add(jh_store *st, int64_t seq, const char *kind, const char *payload, int64_t at)
{
    sqlite3_stmt *s = store_stmt(st, Q_EV_ADD);
    sqlite3_bind_int64(s, 1, seq);
    store_bind_text(s, 2, kind);
    store_bind_text(s, 3, payload);
    sqlite3_bind_int64(s, 4, at);
    return store_exec_done(st, Q_EV_ADD, "outbox");
}

int jh_store_event_next(jh_store *st, int64_t after_seq, int64_t *seq, char *kind, size_t kindlen,
                        char **payload)
{
    sqlite3_stmt *s = store_stmt(st, Q_EV_NEXT);
    sqlite3_bind_int64(s, 1, after_seq);
    int rc = store_step_row(st, Q_EV_NEXT, "outbox");
    if (rc <= 0)
        return rc;
    *seq = sqlite3_column_int64(s, 0);
    store_col_text(s, 1, kind, kindlen);
    const unsigned char *p = sqlite3_column_text(s, 2);
    *payload = strdup(p ? (const char *)p : "");
    sqlite3_reset(s);
    if (!*payload) {
        snprintf(st->err, sizeof st->err, "out of memory");
        return -1;
    }
    return 1;
}

int jh_store_event_ack(jh_store *st, int64_t seq)
{
    sqlite3_bind_int64(store_stmt(st, Q_EV_ACK), 1, seq);
    return store_exec_done(st, Q_EV_ACK, "outbox ack");
}

int jh_store_event_prune(jh_store *st, int64_t before_ms)
{
    sqlite3_bind_int64(store_stmt(st, Q_EV_PRUNE), 1, before_ms);
    return store_exec_done(st, Q_EV_PRUNE, "outbox prune");
}
