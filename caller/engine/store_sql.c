/* SPDX-License-Identifier: MIT */
/*
 * store_sql — the text of every statement the store's writer prepares.
 *
 * Owns: what each Q_ statement of store_private.h says. They sit here in one
 * list, next to nothing else, so the WHERE terms that must match a partial
 * index of store_schema.c word for word can be read against it in one go.
 * The statements on the rows of store_rows.c (tickets, counters, pause and
 * login logs) give only their tail: the columns come from the row's table.
 * Every statement is prepared once at open and bound with values; no SQL
 * text is ever built from data.
 */
#include "store_private.h"

#define STATS_COLS                                                                           \
    "day, issued, issued_green, called, wait_sum_s, wait_max_s, served, served_green,"       \
    " service_sum_s, overruns, no_shows, voided, expired, ratings, ratings_flagged,"          \
    " satisfied, alerts_wait, alerts_overrun"

/* The audit filters every audit query applies; each query puts the one that can
 * use an index first (store_staff.c chooses). ?1 staff, ?2 counter, ?3 ticket,
 * ?4 day, ?5 limit. */
#define AUDIT_TAIL                                                                              \
    " (?1 = '' OR by = ?1 OR staff = ?1 OR target = ?1) AND (?2 = '' OR device = ?2 OR"         \
    " target = ?2) AND (?3 = '' OR target = ?3) AND (?4 = 0 OR day = ?4) ORDER BY id DESC LIMIT ?5"

const store_statement store_statements[Q_COUNT] = {
    [Q_BEGIN] = {.sql = "BEGIN IMMEDIATE"},
    [Q_READ_BEGIN] = {.sql = "BEGIN"},
    [Q_COMMIT] = {.sql = "COMMIT"},
    [Q_ROLLBACK] = {.sql = "ROLLBACK"},
    [Q_SAVEPOINT] = {.sql = "SAVEPOINT op"},
    [Q_SAVEPOINT_UNDO] = {.sql = "ROLLBACK TO op"},
    [Q_SAVEPOINT_RELEASE] = {.sql = "RELEASE op"},
    [Q_HALL_GET] = {.sql = "SELECT day, open, notice, seq FROM hall WHERE id = 1"},
    [Q_HALL_SET] = {.sql = "UPDATE hall SET day = ?1, open = ?2, notice = ?3 WHERE id = 1"},
    [Q_SEQ_NEXT] = {.sql = "UPDATE hall SET seq = seq + 1 WHERE id = 1 RETURNING seq"},
    [Q_QUEUE_KEY_NEXT] = {.sql = "UPDATE hall SET last_queue_key = MAX(last_queue_key, ?1) WHERE id = 1"
                          " RETURNING last_queue_key"},
    [Q_NUM_GET] = {.sql = "SELECT last_number, issued, waiting, waiting_priority, last_called"
                   " FROM numbering WHERE day = ?1 AND service = ?2"},
    [Q_NUM_ISSUE] = {.sql = "INSERT INTO numbering(day, service, last_number, issued) VALUES(?1, ?2, ?3, 1)"
                     " ON CONFLICT(day, service) DO UPDATE SET last_number = ?3, issued = issued + 1"},
    [Q_WAIT_ADD] = {.sql = "INSERT INTO numbering(day, service, waiting, waiting_priority)"
                    " VALUES(?1, ?2, ?3, ?4) ON CONFLICT(day, service) DO UPDATE SET"
                    " waiting = waiting + ?3, waiting_priority = waiting_priority + ?4"},
    [Q_LAST_CALLED] = {.sql = "INSERT INTO numbering(day, service, last_called) VALUES(?1, ?2, ?3)"
                       " ON CONFLICT(day, service) DO UPDATE SET last_called = ?3"},
    [Q_WAIT_CLEAR_BEFORE] = {.sql = "UPDATE numbering SET waiting = 0, waiting_priority = 0"
                             " WHERE day < ?1 AND (waiting <> 0 OR waiting_priority <> 0)"},
    [Q_WAIT_CLEAR_DAY] = {.sql = "UPDATE numbering SET waiting = 0, waiting_priority = 0 WHERE day = ?1"},
    [Q_T_INSERT] = {.sql = "", &store_ticket_row, ROW_INSERT},
    [Q_T_UPDATE] = {.sql = "", &store_ticket_row, ROW_UPDATE},
    [Q_T_BY_ID] = {.sql = "WHERE id = ?1", &store_ticket_row, ROW_SELECT},
    [Q_T_BY_LABEL] = {.sql = "WHERE day = ?1 AND label = ?2", &store_ticket_row, ROW_SELECT},
    /* The WHERE terms repeat the partial index's condition word for word:
     * that is how SQLite knows it may use tickets_waiting / tickets_directed. */
    [Q_HEAD] = {.sql = "SELECT id, queue_key FROM tickets WHERE day = ?1 AND service = ?2"
                " AND is_priority = ?3 AND status = 'waiting' AND target_counter IS NULL"
                " ORDER BY queue_key, id LIMIT 1"},
    [Q_DIRECTED] = {.sql = "SELECT id, queue_key FROM tickets WHERE target_counter = ?1"
                    " AND status = 'waiting' AND target_counter IS NOT NULL"
                    " ORDER BY queue_key, id LIMIT 1"},
    [Q_EXPIRE_BEFORE] = {.sql = "UPDATE tickets SET status = 'expired'"
                         " WHERE status IN ('waiting', 'called') AND day < ?1"},
    /* status IN (…) is redundant with status = 'waiting' but lets tickets_open serve. */
    [Q_EXPIRE_DAY] = {.sql = "UPDATE tickets SET status = 'expired'"
                      " WHERE status IN ('waiting', 'called') AND day = ?1 AND status = 'waiting'"},
    [Q_MEAN] = {.sql = "SELECT avg(service_s), count(*) FROM (SELECT service_s FROM tickets"
                " WHERE service = ?1 AND status = 'finished' AND service_s IS NOT NULL"
                " ORDER BY finished_at DESC LIMIT ?2)"},
    [Q_C_ENSURE] = {.sql = "", &store_counter_row, ROW_INSERT_NEW},
    [Q_C_GET] = {.sql = "WHERE id = ?1", &store_counter_row, ROW_SELECT},
    [Q_C_BRIEF] = {.sql = "SELECT c.id, c.status, t.id, t.service, t.session_at FROM counters c"
                   " LEFT JOIN tickets t ON t.id = c.ticket_id"},
    [Q_C_PUT] = {.sql = "", &store_counter_row, ROW_UPDATE},
    [Q_C_BY_STAFF] = {.sql = "WHERE staff_id = ?1 AND id <> ?2 AND status <> 'closed' LIMIT 1",
                     &store_counter_row, ROW_SELECT},
    [Q_C_RESET] = {.sql = "UPDATE counters SET status = 'closed', staff_id = '', staff_name = '',"
                   " ticket_id = NULL, since = ?1, message = '', pause_reason = '',"
                   " normal_streak = 0, green_streak = 0, last_finished_id = NULL,"
                   " last_finished_at = NULL"},
    [Q_PAUSE_END_ALL] = {.sql = "UPDATE pauses SET ended_at = ?1 WHERE ended_at IS NULL"},
    [Q_SESSION_END_ALL] = {.sql = "UPDATE sessions SET logout_at = ?1 WHERE logout_at IS NULL"},
    [Q_PAUSE_START] = {.sql = "", &store_pause_row, ROW_INSERT},
    [Q_PAUSE_END] = {.sql = "UPDATE pauses SET ended_at = ?2 WHERE counter = ?1 AND ended_at IS NULL"},
    [Q_SESSION_START] = {.sql = "", &store_session_row, ROW_INSERT},
    [Q_SESSION_END] = {.sql = "UPDATE sessions SET logout_at = ?2 WHERE counter = ?1 AND logout_at IS NULL"},
    [Q_CALL_LOG] = {.sql = "INSERT INTO calls(day, ticket_id, label, service, counter, staff_id, kind, at)"
                    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
    [Q_LAST_CALLS] = {.sql = "SELECT label, counter, at FROM calls WHERE day = ?1 AND kind = 'call'"
                      " ORDER BY id DESC LIMIT ?2"},
    [Q_TRANSFER_LOG] = {.sql = "INSERT INTO transfers(day, ticket_id, from_counter, from_service,"
                        " to_service, to_counter, at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
    [Q_CMD_GET] = {.sql = "SELECT reply, ok FROM commands WHERE origin_kind = ?1 AND origin_id = ?2"
                   " AND cmd_id = ?3"},
    [Q_CMD_PUT] = {.sql = "INSERT INTO commands(origin_kind, origin_id, cmd_id, ok, reply, at)"
                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6)"},
    [Q_CMD_PRUNE] = {.sql = "DELETE FROM commands WHERE at < ?1"},
    [Q_EV_ADD] = {.sql = "INSERT INTO outbox(seq, kind, payload, at) VALUES(?1, ?2, ?3, ?4)"},
    [Q_EV_NEXT] = {.sql = "SELECT seq, kind, payload FROM outbox WHERE acked = 0 AND seq > ?1"
                   " ORDER BY seq LIMIT 1"},
    [Q_EV_ACK] = {.sql = "UPDATE outbox SET acked = 1 WHERE acked = 0 AND seq <= ?1"},
    [Q_EV_PRUNE] = {.sql = "DELETE FROM outbox WHERE acked = 1 AND at < ?1"},
    [Q_STATS_ADD] = {.sql = "INSERT INTO day_stats(" STATS_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                     " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
                     " ON CONFLICT(day) DO UPDATE SET issued = issued + ?2,"
                     " issued_green = issued_green + ?3, called = called + ?4,"
                     " wait_sum_s = wait_sum_s + ?5, wait_max_s = max(wait_max_s, ?6),"
                     " served = served + ?7, served_green = served_green + ?8,"
                     " service_sum_s = service_sum_s + ?9, overruns = overruns + ?10,"
                     " no_shows = no_shows + ?11, voided = voided + ?12, expired = expired + ?13,"
                     " ratings = ratings + ?14, ratings_flagged = ratings_flagged + ?15,"
                     " satisfied = satisfied + ?16, alerts_wait = alerts_wait + ?17,"
                     " alerts_overrun = alerts_overrun + ?18"},
    [Q_STATS_GET] = {.sql = "SELECT " STATS_COLS " FROM day_stats WHERE day = ?1"},
    /* Runs before Q_EXPIRE_BEFORE, over the same partial index (tickets_open). */
    [Q_STATS_EXPIRE_BEFORE] = {.sql = "INSERT INTO day_stats(day, expired)"
                               " SELECT day, count(*) FROM tickets"
                               " WHERE status IN ('waiting', 'called') AND day < ?1 GROUP BY day"
                               " HAVING true ON CONFLICT(day) DO UPDATE SET"
                               " expired = expired + excluded.expired"},
    [Q_HIST_ADD] = {.sql = "INSERT INTO wait_hist(day, bucket, n) VALUES(?1, ?2, 1)"
                    " ON CONFLICT(day, bucket) DO UPDATE SET n = n + 1"},
    [Q_HIST_GET] = {.sql = "SELECT bucket, n FROM wait_hist WHERE day = ?1 ORDER BY bucket"},
    [Q_SCORE_ADD] = {.sql = "INSERT INTO day_scores(day, counter, score, n) VALUES(?1, ?2, ?3, 1)"
                     " ON CONFLICT(day, counter, score) DO UPDATE SET n = n + 1"},
    [Q_SCORES_OTHERS] = {.sql = "SELECT score, sum(n) FROM day_scores WHERE day = ?1 AND counter <> ?2"
                         " GROUP BY score"},
    [Q_STAFF_GET] = {.sql = "WHERE staff_id = ?1", &store_staff_row, ROW_SELECT},
    [Q_STAFF_INSERT] = {.sql = "", &store_staff_row, ROW_INSERT},
    [Q_STAFF_INSERT_NEW] = {.sql = "", &store_staff_row, ROW_INSERT_NEW},
    [Q_STAFF_PUT] = {.sql = "", &store_staff_row, ROW_UPDATE},
    [Q_STAFF_EACH] = {.sql = "ORDER BY staff_id", &store_staff_row, ROW_SELECT},
    /* Word for word the condition of the partial index staff_lock_due. */
    [Q_STAFF_LOCK_DUE] = {.sql = "WHERE locked_until > lock_alerted ORDER BY staff_id LIMIT ?1",
                          &store_staff_row, ROW_SELECT},
    [Q_C_RENAME_STAFF] = {.sql = "UPDATE counters SET staff_name = ?2 WHERE staff_id = ?1"
                          " AND status <> 'closed'"},
    [Q_AUDIT_ADD] = {.sql = "", &store_audit_row, ROW_INSERT},
    [Q_AUDIT_BY_TICKET] = {.sql = "WHERE target = ?3 AND" AUDIT_TAIL, &store_audit_row, ROW_SELECT},
    [Q_AUDIT_BY_STAFF] = {.sql = "WHERE (by = ?1 OR staff = ?1 OR target = ?1) AND" AUDIT_TAIL,
                          &store_audit_row, ROW_SELECT},
    [Q_AUDIT_BY_COUNTER] = {.sql = "WHERE (device = ?2 OR target = ?2) AND" AUDIT_TAIL,
                            &store_audit_row, ROW_SELECT},
    [Q_AUDIT_BY_DAY] = {.sql = "WHERE day = ?4 AND" AUDIT_TAIL, &store_audit_row, ROW_SELECT},
    [Q_AUDIT_ALL] = {.sql = "WHERE" AUDIT_TAIL, &store_audit_row, ROW_SELECT},
    /* Written against tickets_wait_alert: only tickets not yet alerted are visited. */
    [Q_WAIT_DUE] = {.sql = "SELECT id, queue_key FROM tickets WHERE status = 'waiting' AND wait_alerted = 0"
                    " AND queue_key <= ?1 ORDER BY queue_key, id LIMIT ?2"},
};
