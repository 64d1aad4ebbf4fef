/*
 * ticket_store — the engine's durable memory: one SQLite file per hall.
 *
 * Owns the schema and every statement on it (see ticket_store.h). Every
 * statement is prepared once at open and bound with values; no SQL text is
 * ever built from data. Statuses are stored as words ('waiting', 'called', …)
 * so a hall's IT person can read the file with the sqlite3 shell, and the
 * partial indexes below are written against those exact words.
 */
#include "ticket_store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCHEMA_VERSION 4
#define WAIT_BUCKET_CAP (JH_WAIT_BUCKETS - 1)
#define STR_(x) #x
#define STR(x) STR_(x) /* a macro's value as SQL text: STR(WAIT_BUCKET_CAP) is "(2880 - 1)" */

static const char *const schema_sql =
    "CREATE TABLE IF NOT EXISTS hall("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " day INTEGER NOT NULL, open INTEGER NOT NULL, notice TEXT NOT NULL,"
    " seq INTEGER NOT NULL, schema_version INTEGER NOT NULL);"
    /* One row per (business day, service): numbering and the waiting counters. */
    "CREATE TABLE IF NOT EXISTS numbering("
    " day INTEGER NOT NULL, service TEXT NOT NULL,"
    " last_number INTEGER NOT NULL DEFAULT 0, issued INTEGER NOT NULL DEFAULT 0,"
    " waiting INTEGER NOT NULL DEFAULT 0, waiting_priority INTEGER NOT NULL DEFAULT 0,"
    " last_called TEXT, PRIMARY KEY(day, service)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS tickets("
    " id INTEGER PRIMARY KEY, day INTEGER NOT NULL, label TEXT NOT NULL,"
    " issued_service TEXT NOT NULL, number INTEGER NOT NULL, service TEXT NOT NULL,"
    " priority INTEGER NOT NULL, is_priority INTEGER NOT NULL, status TEXT NOT NULL,"
    " lang TEXT NOT NULL, kiosk TEXT NOT NULL, issued_at INTEGER NOT NULL,"
    " queue_key INTEGER NOT NULL, target_counter TEXT, counter TEXT, staff_id TEXT,"
    " called_at INTEGER, last_called_at INTEGER, session_at INTEGER,"
    " call_count INTEGER NOT NULL DEFAULT 0, session_calls INTEGER NOT NULL DEFAULT 0,"
    " finished_at INTEGER, service_s INTEGER, overran INTEGER,"
    " transfers INTEGER NOT NULL DEFAULT 0, requeues INTEGER NOT NULL DEFAULT 0,"
    " void_reason TEXT, rating INTEGER, rated_at INTEGER, rating_suspicious INTEGER,"
    " rating_flags TEXT, UNIQUE(day, label));"
    /* The queues: only waiting tickets are in these, so a head lookup is one
     * b-tree descent whatever the size of the history. */
    "CREATE INDEX IF NOT EXISTS tickets_waiting ON tickets(day, service, is_priority, queue_key)"
    " WHERE status = 'waiting' AND target_counter IS NULL;"
    "CREATE INDEX IF NOT EXISTS tickets_directed ON tickets(target_counter, queue_key)"
    " WHERE status = 'waiting' AND target_counter IS NOT NULL;"
    "CREATE INDEX IF NOT EXISTS tickets_open ON tickets(day)"
    " WHERE status IN ('waiting', 'called');"
    "CREATE INDEX IF NOT EXISTS tickets_finished ON tickets(service, finished_at)"
    " WHERE status = 'finished';"
    "CREATE TABLE IF NOT EXISTS counters("
    " id TEXT PRIMARY KEY, status TEXT NOT NULL, staff_id TEXT NOT NULL, staff_name TEXT NOT NULL,"
    " ticket_id INTEGER, since INTEGER NOT NULL, message TEXT NOT NULL, pause_reason TEXT NOT NULL,"
    " normal_streak INTEGER NOT NULL, green_streak INTEGER NOT NULL,"
    " last_finished_id INTEGER, last_finished_at INTEGER,"
    " last_score INTEGER NOT NULL, score_run INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS pauses("
    " id INTEGER PRIMARY KEY, day INTEGER NOT NULL, counter TEXT NOT NULL, staff_id TEXT NOT NULL,"
    " reason TEXT NOT NULL, message TEXT NOT NULL, started_at INTEGER NOT NULL, ended_at INTEGER);"
    "CREATE INDEX IF NOT EXISTS pauses_open ON pauses(counter) WHERE ended_at IS NULL;"
    "CREATE TABLE IF NOT EXISTS sessions("
    " id INTEGER PRIMARY KEY, day INTEGER NOT NULL, counter TEXT NOT NULL, staff_id TEXT NOT NULL,"
    " staff_name TEXT NOT NULL, login_at INTEGER NOT NULL, logout_at INTEGER);"
    "CREATE INDEX IF NOT EXISTS sessions_open ON sessions(counter) WHERE logout_at IS NULL;"
    "CREATE TABLE IF NOT EXISTS calls("
    " id INTEGER PRIMARY KEY, day INTEGER NOT NULL, ticket_id INTEGER NOT NULL, label TEXT NOT NULL,"
    " service TEXT NOT NULL, counter TEXT NOT NULL, staff_id TEXT NOT NULL, kind TEXT NOT NULL,"
    " at INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS calls_day ON calls(day, kind);"
    "CREATE TABLE IF NOT EXISTS transfers("
    " id INTEGER PRIMARY KEY, day INTEGER NOT NULL, ticket_id INTEGER NOT NULL,"
    " from_counter TEXT NOT NULL, from_service TEXT NOT NULL, to_service TEXT NOT NULL,"
    " to_counter TEXT, at INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS commands("
    " origin_kind INTEGER NOT NULL, origin_id TEXT NOT NULL, cmd_id TEXT NOT NULL,"
    " ok INTEGER NOT NULL, reply TEXT NOT NULL, at INTEGER NOT NULL,"
    " PRIMARY KEY(origin_kind, origin_id, cmd_id)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS outbox("
    " seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL, at INTEGER NOT NULL,"
    " acked INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX IF NOT EXISTS outbox_pending ON outbox(seq) WHERE acked = 0;";

/*
 * Version 2 — live supervision. Only additions, so readers of version 1 keep
 * working: alert marks on tickets (an alert is sent once per ticket), the
 * day's running figures and a histogram of first-call waits, both kept in
 * step by the same transactions that change the tickets, so state/hall never
 * needs to scan the history. An older store is filled in from its tickets once.
 */
/*
 * Version 3 — a place in the queue that only moves forward. A ticket's
 * queue_key was the clock at issue, so a clock stepped back (an RTC reset, an
 * NTP correction) put newcomers ahead of people already waiting. The hall row
 * now remembers the last place handed out; filled in from the tickets once.
 */
/*
 * Version 4 — the day's ratings per counter and score, so the identical-run
 * test (rating_rule.h) can weigh a run against how common its score is at the
 * other counters without scanning the day's tickets. Filled in once.
 */
static const char *const migrate_v4_sql =
    "CREATE TABLE day_scores("
    " day INTEGER NOT NULL, counter TEXT NOT NULL, score INTEGER NOT NULL, n INTEGER NOT NULL,"
    " PRIMARY KEY(day, counter, score)) WITHOUT ROWID;"
    "INSERT INTO day_scores(day, counter, score, n)"
    " SELECT day, counter, rating, count(*) FROM tickets"
    " WHERE rating BETWEEN 1 AND 5 AND counter IS NOT NULL GROUP BY day, counter, rating;";

static const char *const migrate_v3_sql =
    "ALTER TABLE hall ADD COLUMN last_queue_key INTEGER NOT NULL DEFAULT 0;"
    "UPDATE hall SET last_queue_key = (SELECT COALESCE(MAX(queue_key), 0) FROM tickets);";

static const char *const migrate_v2_sql =
    "ALTER TABLE tickets ADD COLUMN wait_alerted INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE tickets ADD COLUMN overrun_alerted INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX tickets_wait_alert ON tickets(queue_key)"
    " WHERE status = 'waiting' AND wait_alerted = 0;"
    "CREATE TABLE day_stats("
    " day INTEGER PRIMARY KEY, issued INTEGER NOT NULL DEFAULT 0,"
    " issued_green INTEGER NOT NULL DEFAULT 0, called INTEGER NOT NULL DEFAULT 0,"
    " wait_sum_s INTEGER NOT NULL DEFAULT 0, wait_max_s INTEGER NOT NULL DEFAULT 0,"
    " served INTEGER NOT NULL DEFAULT 0, served_green INTEGER NOT NULL DEFAULT 0,"
    " service_sum_s INTEGER NOT NULL DEFAULT 0, overruns INTEGER NOT NULL DEFAULT 0,"
    " no_shows INTEGER NOT NULL DEFAULT 0, voided INTEGER NOT NULL DEFAULT 0,"
    " expired INTEGER NOT NULL DEFAULT 0, ratings INTEGER NOT NULL DEFAULT 0,"
    " ratings_flagged INTEGER NOT NULL DEFAULT 0, satisfied INTEGER NOT NULL DEFAULT 0,"
    " alerts_wait INTEGER NOT NULL DEFAULT 0, alerts_overrun INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE wait_hist("
    " day INTEGER NOT NULL, bucket INTEGER NOT NULL, n INTEGER NOT NULL,"
    " PRIMARY KEY(day, bucket)) WITHOUT ROWID;"
    "INSERT INTO day_stats(day, issued, issued_green, called, wait_sum_s, wait_max_s, served,"
    " served_green, service_sum_s, overruns, no_shows, voided, expired, ratings,"
    " ratings_flagged, satisfied)"
    " SELECT day, count(*), total(is_priority), count(called_at),"
    " total((called_at - issued_at) / 1000), coalesce(max((called_at - issued_at) / 1000), 0),"
    " total(status = 'finished'), total(status = 'finished' AND is_priority),"
    " total(CASE WHEN status = 'finished' THEN service_s END),"
    " total(status = 'finished' AND overran), total(status = 'no-show'),"
    " total(status = 'voided'), total(status = 'expired'), count(rating),"
    " total(rating_suspicious), total(rating >= 4 AND NOT rating_suspicious)"
    " FROM tickets GROUP BY day;"
    "INSERT INTO wait_hist(day, bucket, n)"
    " SELECT day, min((called_at - issued_at) / 1000 / " STR(JH_WAIT_BUCKET_S) ", "
    STR(WAIT_BUCKET_CAP) "), count(*)"
    " FROM tickets WHERE called_at IS NOT NULL GROUP BY 1, 2;";

#define TICKET_COLS                                                                          \
    "id, day, label, issued_service, number, service, priority, status, lang, kiosk,"       \
    " issued_at, queue_key, target_counter, counter, staff_id, called_at, last_called_at,"  \
    " session_at, call_count, session_calls, finished_at, service_s, overran, transfers,"   \
    " requeues, void_reason, rating, rated_at, rating_suspicious, rating_flags,"             \
    " wait_alerted, overrun_alerted"

#define STATS_COLS                                                                           \
    "day, issued, issued_green, called, wait_sum_s, wait_max_s, served, served_green,"       \
    " service_sum_s, overruns, no_shows, voided, expired, ratings, ratings_flagged,"          \
    " satisfied, alerts_wait, alerts_overrun"

#define COUNTER_COLS                                                                         \
    "id, status, staff_id, staff_name, ticket_id, since, message, pause_reason,"             \
    " normal_streak, green_streak, last_finished_id, last_finished_at, last_score, score_run"

enum {
    Q_BEGIN, Q_READ_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_SAVEPOINT, Q_SAVEPOINT_UNDO, Q_SAVEPOINT_RELEASE,
    Q_HALL_GET, Q_HALL_SET, Q_SEQ_NEXT, Q_QUEUE_KEY_NEXT,
    Q_NUM_GET, Q_NUM_ISSUE, Q_WAIT_ADD, Q_LAST_CALLED, Q_WAIT_CLEAR_BEFORE, Q_WAIT_CLEAR_DAY,
    Q_T_INSERT, Q_T_UPDATE, Q_T_BY_ID, Q_T_BY_LABEL, Q_HEAD, Q_DIRECTED,
    Q_EXPIRE_BEFORE, Q_EXPIRE_DAY, Q_MEAN,
    Q_C_ENSURE, Q_C_GET, Q_C_BRIEF, Q_C_PUT, Q_C_BY_STAFF, Q_C_RESET, Q_PAUSE_END_ALL, Q_SESSION_END_ALL,
    Q_PAUSE_START, Q_PAUSE_END, Q_SESSION_START, Q_SESSION_END, Q_CALL_LOG, Q_LAST_CALLS,
    Q_TRANSFER_LOG,
    Q_CMD_GET, Q_CMD_PUT, Q_CMD_PRUNE,
    Q_EV_ADD, Q_EV_NEXT, Q_EV_ACK, Q_EV_PRUNE,
    Q_STATS_ADD, Q_STATS_GET, Q_STATS_EXPIRE_BEFORE, Q_HIST_ADD, Q_HIST_GET, Q_WAIT_DUE, Q_SCORE_ADD, Q_SCORES_OTHERS,
    Q_COUNT
};

static const char *const sql[Q_COUNT] = {
    [Q_BEGIN] = "BEGIN IMMEDIATE",
    [Q_READ_BEGIN] = "BEGIN",
    [Q_COMMIT] = "COMMIT",
    [Q_ROLLBACK] = "ROLLBACK",
    [Q_SAVEPOINT] = "SAVEPOINT op",
    [Q_SAVEPOINT_UNDO] = "ROLLBACK TO op",
    [Q_SAVEPOINT_RELEASE] = "RELEASE op",
    [Q_HALL_GET] = "SELECT day, open, notice, seq FROM hall WHERE id = 1",
    [Q_HALL_SET] = "UPDATE hall SET day = ?1, open = ?2, notice = ?3 WHERE id = 1",
    [Q_SEQ_NEXT] = "UPDATE hall SET seq = seq + 1 WHERE id = 1 RETURNING seq",
    [Q_QUEUE_KEY_NEXT] = "UPDATE hall SET last_queue_key = MAX(last_queue_key, ?1) WHERE id = 1"
                         " RETURNING last_queue_key",
    [Q_NUM_GET] = "SELECT last_number, issued, waiting, waiting_priority, last_called"
                  " FROM numbering WHERE day = ?1 AND service = ?2",
    [Q_NUM_ISSUE] = "INSERT INTO numbering(day, service, last_number, issued) VALUES(?1, ?2, ?3, 1)"
                    " ON CONFLICT(day, service) DO UPDATE SET last_number = ?3, issued = issued + 1",
    [Q_WAIT_ADD] = "INSERT INTO numbering(day, service, waiting, waiting_priority)"
                   " VALUES(?1, ?2, ?3, ?4) ON CONFLICT(day, service) DO UPDATE SET"
                   " waiting = waiting + ?3, waiting_priority = waiting_priority + ?4",
    [Q_LAST_CALLED] = "INSERT INTO numbering(day, service, last_called) VALUES(?1, ?2, ?3)"
                      " ON CONFLICT(day, service) DO UPDATE SET last_called = ?3",
    [Q_WAIT_CLEAR_BEFORE] = "UPDATE numbering SET waiting = 0, waiting_priority = 0"
                            " WHERE day < ?1 AND (waiting <> 0 OR waiting_priority <> 0)",
    [Q_WAIT_CLEAR_DAY] = "UPDATE numbering SET waiting = 0, waiting_priority = 0 WHERE day = ?1",
    [Q_T_INSERT] = "INSERT INTO tickets(" TICKET_COLS ", is_priority) VALUES(NULL, ?2, ?3, ?4, ?5,"
                   " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,"
                   " ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?7 <> 0)",
    [Q_T_UPDATE] = "UPDATE tickets SET service = ?6, priority = ?7, is_priority = (?7 <> 0),"
                   " status = ?8, queue_key = ?12, target_counter = ?13, counter = ?14,"
                   " staff_id = ?15, called_at = ?16, last_called_at = ?17, session_at = ?18,"
                   " call_count = ?19, session_calls = ?20, finished_at = ?21, service_s = ?22,"
                   " overran = ?23, transfers = ?24, requeues = ?25, void_reason = ?26,"
                   " rating = ?27, rated_at = ?28, rating_suspicious = ?29, rating_flags = ?30,"
                   " wait_alerted = ?31, overrun_alerted = ?32 WHERE id = ?1",
    [Q_T_BY_ID] = "SELECT " TICKET_COLS " FROM tickets WHERE id = ?1",
    [Q_T_BY_LABEL] = "SELECT " TICKET_COLS " FROM tickets WHERE day = ?1 AND label = ?2",
    /* The WHERE terms repeat the partial index's condition word for word:
     * that is how SQLite knows it may use tickets_waiting / tickets_directed. */
    [Q_HEAD] = "SELECT id, queue_key FROM tickets WHERE day = ?1 AND service = ?2"
               " AND is_priority = ?3 AND status = 'waiting' AND target_counter IS NULL"
               " ORDER BY queue_key, id LIMIT 1",
    [Q_DIRECTED] = "SELECT id, queue_key FROM tickets WHERE target_counter = ?1"
                   " AND status = 'waiting' AND target_counter IS NOT NULL"
                   " ORDER BY queue_key, id LIMIT 1",
    [Q_EXPIRE_BEFORE] = "UPDATE tickets SET status = 'expired'"
                        " WHERE status IN ('waiting', 'called') AND day < ?1",
    /* status IN (…) is redundant with status = 'waiting' but lets tickets_open serve. */
    [Q_EXPIRE_DAY] = "UPDATE tickets SET status = 'expired'"
                     " WHERE status IN ('waiting', 'called') AND day = ?1 AND status = 'waiting'",
    [Q_MEAN] = "SELECT avg(service_s), count(*) FROM (SELECT service_s FROM tickets"
               " WHERE service = ?1 AND status = 'finished' AND service_s IS NOT NULL"
               " ORDER BY finished_at DESC LIMIT ?2)",
    [Q_C_ENSURE] = "INSERT OR IGNORE INTO counters(" COUNTER_COLS ")"
                   " VALUES(?1, 'closed', '', '', NULL, ?2, '', '', 0, 0, NULL, NULL, 0, 0)",
    [Q_C_GET] = "SELECT " COUNTER_COLS " FROM counters WHERE id = ?1",
    [Q_C_BRIEF] = "SELECT c.id, c.status, t.id, t.service, t.session_at FROM counters c"
                  " LEFT JOIN tickets t ON t.id = c.ticket_id",
    [Q_C_PUT] = "UPDATE counters SET status = ?2, staff_id = ?3, staff_name = ?4, ticket_id = ?5,"
                " since = ?6, message = ?7, pause_reason = ?8, normal_streak = ?9,"
                " green_streak = ?10, last_finished_id = ?11, last_finished_at = ?12,"
                " last_score = ?13, score_run = ?14 WHERE id = ?1",
    [Q_C_BY_STAFF] = "SELECT " COUNTER_COLS " FROM counters WHERE staff_id = ?1 AND id <> ?2"
                     " AND status <> 'closed' LIMIT 1",
    [Q_C_RESET] = "UPDATE counters SET status = 'closed', staff_id = '', staff_name = '',"
                  " ticket_id = NULL, since = ?1, message = '', pause_reason = '',"
                  " normal_streak = 0, green_streak = 0, last_finished_id = NULL,"
                  " last_finished_at = NULL",
    [Q_PAUSE_END_ALL] = "UPDATE pauses SET ended_at = ?1 WHERE ended_at IS NULL",
    [Q_SESSION_END_ALL] = "UPDATE sessions SET logout_at = ?1 WHERE logout_at IS NULL",
    [Q_PAUSE_START] = "INSERT INTO pauses(day, counter, staff_id, reason, message, started_at)"
                      " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [Q_PAUSE_END] = "UPDATE pauses SET ended_at = ?2 WHERE counter = ?1 AND ended_at IS NULL",
    [Q_SESSION_START] = "INSERT INTO sessions(day, counter, staff_id, staff_name, login_at)"
                        " VALUES(?1, ?2, ?3, ?4, ?5)",
    [Q_SESSION_END] = "UPDATE sessions SET logout_at = ?2 WHERE counter = ?1 AND logout_at IS NULL",
    [Q_CALL_LOG] = "INSERT INTO calls(day, ticket_id, label, service, counter, staff_id, kind, at)"
                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [Q_LAST_CALLS] = "SELECT label, counter, at FROM calls WHERE day = ?1 AND kind = 'call'"
                     " ORDER BY id DESC LIMIT ?2",
    [Q_TRANSFER_LOG] = "INSERT INTO transfers(day, ticket_id, from_counter, from_service,"
                       " to_service, to_counter, at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [Q_CMD_GET] = "SELECT reply, ok FROM commands WHERE origin_kind = ?1 AND origin_id = ?2"
                  " AND cmd_id = ?3",
    [Q_CMD_PUT] = "INSERT INTO commands(origin_kind, origin_id, cmd_id, ok, reply, at)"
                  " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [Q_CMD_PRUNE] = "DELETE FROM commands WHERE at < ?1",
    [Q_EV_ADD] = "INSERT INTO outbox(seq, kind, payload, at) VALUES(?1, ?2, ?3, ?4)",
    [Q_EV_NEXT] = "SELECT seq, kind, payload FROM outbox WHERE acked = 0 AND seq > ?1"
                  " ORDER BY seq LIMIT 1",
    [Q_EV_ACK] = "UPDATE outbox SET acked = 1 WHERE acked = 0 AND seq <= ?1",
    [Q_EV_PRUNE] = "DELETE FROM outbox WHERE acked = 1 AND at < ?1",
    [Q_STATS_ADD] = "INSERT INTO day_stats(" STATS_COLS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                    " ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
                    " ON CONFLICT(day) DO UPDATE SET issued = issued + ?2,"
                    " issued_green = issued_green + ?3, called = called + ?4,"
                    " wait_sum_s = wait_sum_s + ?5, wait_max_s = max(wait_max_s, ?6),"
                    " served = served + ?7, served_green = served_green + ?8,"
                    " service_sum_s = service_sum_s + ?9, overruns = overruns + ?10,"
                    " no_shows = no_shows + ?11, voided = voided + ?12, expired = expired + ?13,"
                    " ratings = ratings + ?14, ratings_flagged = ratings_flagged + ?15,"
                    " satisfied = satisfied + ?16, alerts_wait = alerts_wait + ?17,"
                    " alerts_overrun = alerts_overrun + ?18",
    [Q_STATS_GET] = "SELECT " STATS_COLS " FROM day_stats WHERE day = ?1",
    /* Runs before Q_EXPIRE_BEFORE, over the same partial index (tickets_open). */
    [Q_STATS_EXPIRE_BEFORE] = "INSERT INTO day_stats(day, expired)"
                              " SELECT day, count(*) FROM tickets"
                              " WHERE status IN ('waiting', 'called') AND day < ?1 GROUP BY day"
                              " HAVING true ON CONFLICT(day) DO UPDATE SET"
                              " expired = expired + excluded.expired",
    [Q_HIST_ADD] = "INSERT INTO wait_hist(day, bucket, n) VALUES(?1, ?2, 1)"
                   " ON CONFLICT(day, bucket) DO UPDATE SET n = n + 1",
    [Q_HIST_GET] = "SELECT bucket, n FROM wait_hist WHERE day = ?1 ORDER BY bucket",
    [Q_SCORE_ADD] = "INSERT INTO day_scores(day, counter, score, n) VALUES(?1, ?2, ?3, 1)"
                    " ON CONFLICT(day, counter, score) DO UPDATE SET n = n + 1",
    [Q_SCORES_OTHERS] = "SELECT score, sum(n) FROM day_scores WHERE day = ?1 AND counter <> ?2"
                        " GROUP BY score",
    /* Written against tickets_wait_alert: only tickets not yet alerted are visited. */
    [Q_WAIT_DUE] = "SELECT id, queue_key FROM tickets WHERE status = 'waiting' AND wait_alerted = 0"
                   " AND queue_key <= ?1 ORDER BY queue_key, id LIMIT ?2",
};

struct jh_store {
    sqlite3 *db;
    sqlite3_stmt *q[Q_COUNT];
    char err[256];
};

static const char *const ticket_status_names[JH_TS_COUNT] = {
    "waiting", "called", "finished", "no-show", "voided", "expired"};
static const char *const counter_status_names[JH_CS_COUNT] = {"closed", "idle", "serving",
                                                              "paused"};

const char *jh_ticket_status_name(jh_ticket_status s)
{
    return (unsigned)s < JH_TS_COUNT ? ticket_status_names[s] : "?";
}

const char *jh_counter_status_name(jh_counter_status s)
{
    return (unsigned)s < JH_CS_COUNT ? counter_status_names[s] : "?";
}

static int parse_name(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (s && strcmp(names[i], s) == 0)
            return i;
    return 0;
}

/* ---- small helpers over the sqlite API ---- */

static int fail(jh_store *st, const char *what)
{
    snprintf(st->err, sizeof st->err, "%s: %s", what, sqlite3_errmsg(st->db));
    return -1;
}

/* Readies statement `i` for fresh binds. */
static sqlite3_stmt *stmt(jh_store *st, int i)
{
    sqlite3_reset(st->q[i]);
    sqlite3_clear_bindings(st->q[i]);
    return st->q[i];
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

/* "" is stored as NULL: the partial indexes test target_counter IS NULL. */
static void bind_opt_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

static void bind_opt_i64(sqlite3_stmt *s, int i, int64_t v)
{
    if (v)
        sqlite3_bind_int64(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

static void col_text(sqlite3_stmt *s, int i, char *dst, size_t len)
{
    const unsigned char *v = sqlite3_column_text(s, i);
    snprintf(dst, len, "%s", v ? (const char *)v : "");
}

/* Runs a statement that returns no rows. */
static int exec_done(jh_store *st, int i, const char *what)
{
    int rc = sqlite3_step(st->q[i]);
    sqlite3_reset(st->q[i]);
    return rc == SQLITE_DONE ? 0 : fail(st, what);
}

/* Steps a lookup: 1 row, 0 none, -1 error. The caller reads columns then resets. */
static int step_row(jh_store *st, int i, const char *what)
{
    int rc = sqlite3_step(st->q[i]);
    if (rc == SQLITE_ROW)
        return 1;
    sqlite3_reset(st->q[i]);
    return rc == SQLITE_DONE ? 0 : fail(st, what);
}

/* ---- open / close / transactions ---- */

static int init_hall_row(jh_store *st, int day)
{
    sqlite3_stmt *s;
    const char *ins = "INSERT OR IGNORE INTO hall(id, day, open, notice, seq, schema_version)"
                      " VALUES(1, ?1, 1, '', 0, ?2)";
    if (sqlite3_prepare_v2(st->db, ins, -1, &s, NULL) != SQLITE_OK)
        return fail(st, "prepare hall");
    sqlite3_bind_int(s, 1, day);
    sqlite3_bind_int(s, 2, 1); /* schema_sql is version 1; migrate() takes it on from there */
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : fail(st, "init hall");
}

static int schema_version(jh_store *st, int *version)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, "SELECT schema_version FROM hall WHERE id = 1", -1, &s, NULL) !=
        SQLITE_OK)
        return fail(st, "schema version");
    int rc = sqlite3_step(s);
    *version = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 0 : fail(st, "schema version");
}

/* Brings a store written by an earlier version up to SCHEMA_VERSION, in one transaction. */
static int migrate(jh_store *st)
{
    int version;
    char *msg = NULL;
    if (schema_version(st, &version) < 0)
        return -1;
    if (version > SCHEMA_VERSION) {
        snprintf(st->err, sizeof st->err, "store schema version %d is newer than this program's (%d)",
                 version, SCHEMA_VERSION);
        return -1;
    }
    if (version == SCHEMA_VERSION)
        return 0;
    int rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, &msg);
    if (rc == SQLITE_OK && version < 2)
        rc = sqlite3_exec(st->db, migrate_v2_sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK && version < 3)
        rc = sqlite3_exec(st->db, migrate_v3_sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK && version < 4)
        rc = sqlite3_exec(st->db, migrate_v4_sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(st->db, "UPDATE hall SET schema_version = " STR(SCHEMA_VERSION) "; COMMIT",
                          NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        snprintf(st->err, sizeof st->err, "migrating from schema %d: %s", version,
                 msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

static int setup(jh_store *st, int day)
{
    char *msg = NULL;
    /* FULL: a reply is only sent for a change that survives power loss. The
     * 16 MB cache keeps a busy day's queue indexes in memory. */
    const char *pragmas =
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-16000;";
    if (sqlite3_busy_timeout(st->db, 5000) != SQLITE_OK ||
        sqlite3_exec(st->db, pragmas, NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(st->db, schema_sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(st->err, sizeof st->err, "schema: %s", msg ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return -1;
    }
    if (init_hall_row(st, day) < 0 || migrate(st) < 0)
        return -1;
    for (int i = 0; i < Q_COUNT; i++)
        if (sqlite3_prepare_v3(st->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &st->q[i], NULL) !=
            SQLITE_OK)
            return fail(st, "prepare");
    return 0;
}

jh_store *jh_store_open(const char *path, int day, char *err, size_t errlen)
{
    jh_store *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, st->db ? sqlite3_errmsg(st->db) : "cannot open");
        jh_store_close(st);
        return NULL;
    }
    if (setup(st, day) < 0) {
        snprintf(err, errlen, "%s: %s", path, st->err);
        jh_store_close(st);
        return NULL;
    }
    return st;
}

void jh_store_close(jh_store *st)
{
    if (!st)
        return;
    for (int i = 0; i < Q_COUNT; i++)
        sqlite3_finalize(st->q[i]);
    sqlite3_close(st->db);
    free(st);
}

const char *jh_store_errmsg(jh_store *st) { return st->err; }

int jh_store_set_durable(jh_store *st, int durable)
{
    const char *q = durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF";
    return sqlite3_exec(st->db, q, NULL, NULL, NULL) == SQLITE_OK ? 0 : fail(st, "synchronous");
}

int jh_store_begin(jh_store *st) { return exec_done(st, Q_BEGIN, "begin"); }

int jh_store_commit(jh_store *st) { return exec_done(st, Q_COMMIT, "commit"); }

int jh_store_savepoint(jh_store *st) { return exec_done(st, Q_SAVEPOINT, "savepoint"); }

int jh_store_savepoint_rollback(jh_store *st)
{
    return exec_done(st, Q_SAVEPOINT_UNDO, "rollback to savepoint");
}

int jh_store_savepoint_release(jh_store *st)
{
    return exec_done(st, Q_SAVEPOINT_RELEASE, "release savepoint");
}

int jh_store_read_begin(jh_store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        return 0;
    /* No fail(): if it cannot begin, the reads still work one statement at a
     * time, and the error message stays the one a caller may report. */
    int rc = sqlite3_step(st->q[Q_READ_BEGIN]);
    sqlite3_reset(st->q[Q_READ_BEGIN]);
    return rc == SQLITE_DONE;
}

void jh_store_read_end(jh_store *st, int began)
{
    if (began)
        jh_store_rollback(st); /* nothing was written: ending it only lets go of the snapshot */
}

void jh_store_rollback(jh_store *st)
{
    /* SQLite may already have rolled back by itself (e.g. after SQLITE_FULL). */
    if (!sqlite3_get_autocommit(st->db)) {
        sqlite3_step(stmt(st, Q_ROLLBACK));
        sqlite3_reset(st->q[Q_ROLLBACK]);
    }
}

/* ---- hall row ---- */

int jh_store_hall_get(jh_store *st, jh_hall_row *h)
{
    stmt(st, Q_HALL_GET);
    int rc = step_row(st, Q_HALL_GET, "hall");
    if (rc == 0)
        snprintf(st->err, sizeof st->err, "hall row missing");
    if (rc <= 0)
        return -1;
    sqlite3_stmt *s = st->q[Q_HALL_GET];
    h->day = sqlite3_column_int(s, 0);
    h->open = sqlite3_column_int(s, 1);
    col_text(s, 2, h->notice, sizeof h->notice);
    h->seq = sqlite3_column_int64(s, 3);
    sqlite3_reset(s);
    return 0;
}

int jh_store_hall_set(jh_store *st, const jh_hall_row *h)
{
    sqlite3_stmt *s = stmt(st, Q_HALL_SET);
    sqlite3_bind_int(s, 1, h->day);
    sqlite3_bind_int(s, 2, h->open);
    bind_text(s, 3, h->notice);
    return exec_done(st, Q_HALL_SET, "hall update");
}

int jh_store_next_seq(jh_store *st, int64_t *seq)
{
    stmt(st, Q_SEQ_NEXT);
    int rc = step_row(st, Q_SEQ_NEXT, "seq");
    if (rc <= 0)
        return -1;
    *seq = sqlite3_column_int64(st->q[Q_SEQ_NEXT], 0);
    /* RETURNING rows are produced before the update completes: finish it. */
    rc = sqlite3_step(st->q[Q_SEQ_NEXT]);
    sqlite3_reset(st->q[Q_SEQ_NEXT]);
    return rc == SQLITE_DONE ? 0 : fail(st, "seq");
}

int jh_store_next_queue_key(jh_store *st, int64_t now, int64_t *key)
{
    sqlite3_bind_int64(stmt(st, Q_QUEUE_KEY_NEXT), 1, now);
    int rc = step_row(st, Q_QUEUE_KEY_NEXT, "queue key");
    if (rc <= 0)
        return -1;
    *key = sqlite3_column_int64(st->q[Q_QUEUE_KEY_NEXT], 0);
    rc = sqlite3_step(st->q[Q_QUEUE_KEY_NEXT]); /* finish the UPDATE behind RETURNING */
    sqlite3_reset(st->q[Q_QUEUE_KEY_NEXT]);
    return rc == SQLITE_DONE ? 0 : fail(st, "queue key");
}

/* ---- numbering and waiting counters ---- */

int jh_store_numbering_get(jh_store *st, int day, const char *service, jh_numbering_row *n)
{
    sqlite3_stmt *s = stmt(st, Q_NUM_GET);
    sqlite3_bind_int(s, 1, day);
    bind_text(s, 2, service);
    memset(n, 0, sizeof *n);
    int rc = step_row(st, Q_NUM_GET, "numbering");
    if (rc <= 0)
        return rc;
    n->last_number = sqlite3_column_int(s, 0);
    n->issued = sqlite3_column_int(s, 1);
    n->waiting = sqlite3_column_int(s, 2);
    n->waiting_priority = sqlite3_column_int(s, 3);
    col_text(s, 4, n->last_called, sizeof n->last_called);
    sqlite3_reset(s);
    return 0;
}

int jh_store_numbering_issue(jh_store *st, int day, const char *service, int number)
{
    sqlite3_stmt *s = stmt(st, Q_NUM_ISSUE);
    sqlite3_bind_int(s, 1, day);
    bind_text(s, 2, service);
    sqlite3_bind_int(s, 3, number);
    return exec_done(st, Q_NUM_ISSUE, "numbering");
}

int jh_store_waiting_add(jh_store *st, int day, const char *service, int d_waiting, int d_priority)
{
    sqlite3_stmt *s = stmt(st, Q_WAIT_ADD);
    sqlite3_bind_int(s, 1, day);
    bind_text(s, 2, service);
    sqlite3_bind_int(s, 3, d_waiting);
    sqlite3_bind_int(s, 4, d_priority);
    return exec_done(st, Q_WAIT_ADD, "waiting count");
}

int jh_store_set_last_called(jh_store *st, int day, const char *service, const char *label)
{
    sqlite3_stmt *s = stmt(st, Q_LAST_CALLED);
    sqlite3_bind_int(s, 1, day);
    bind_text(s, 2, service);
    bind_text(s, 3, label);
    return exec_done(st, Q_LAST_CALLED, "last called");
}

int jh_store_waiting_clear_before(jh_store *st, int day)
{
    sqlite3_bind_int(stmt(st, Q_WAIT_CLEAR_BEFORE), 1, day);
    return exec_done(st, Q_WAIT_CLEAR_BEFORE, "waiting clear");
}

int jh_store_waiting_clear_day(jh_store *st, int day)
{
    sqlite3_bind_int(stmt(st, Q_WAIT_CLEAR_DAY), 1, day);
    return exec_done(st, Q_WAIT_CLEAR_DAY, "waiting clear");
}

/* ---- tickets ---- */

/* Binds every column of TICKET_COLS as ?1..?30 (insert and update share it). */
static void bind_ticket(sqlite3_stmt *s, const jh_ticket *t)
{
    sqlite3_bind_int64(s, 1, t->id);
    sqlite3_bind_int(s, 2, t->day);
    bind_text(s, 3, t->label);
    bind_text(s, 4, t->issued_service);
    sqlite3_bind_int(s, 5, t->number);
    bind_text(s, 6, t->service);
    sqlite3_bind_int(s, 7, t->priority);
    bind_text(s, 8, jh_ticket_status_name(t->status));
    bind_text(s, 9, t->lang);
    bind_text(s, 10, t->kiosk);
    sqlite3_bind_int64(s, 11, t->issued_at);
    sqlite3_bind_int64(s, 12, t->queue_key);
    bind_opt_text(s, 13, t->target_counter);
    bind_opt_text(s, 14, t->counter);
    bind_opt_text(s, 15, t->staff_id);
    bind_opt_i64(s, 16, t->called_at);
    bind_opt_i64(s, 17, t->last_called_at);
    bind_opt_i64(s, 18, t->session_at);
    sqlite3_bind_int(s, 19, t->call_count);
    sqlite3_bind_int(s, 20, t->session_calls);
    bind_opt_i64(s, 21, t->finished_at);
    if (t->finished_at) {
        sqlite3_bind_int(s, 22, t->service_s);
        sqlite3_bind_int(s, 23, t->overran);
    }
    sqlite3_bind_int(s, 24, t->transfers);
    sqlite3_bind_int(s, 25, t->requeues);
    bind_opt_text(s, 26, t->void_reason);
    if (t->rating) {
        sqlite3_bind_int(s, 27, t->rating);
        sqlite3_bind_int64(s, 28, t->rated_at);
        sqlite3_bind_int(s, 29, t->rating_suspicious);
        bind_text(s, 30, t->rating_flags);
    }
    sqlite3_bind_int(s, 31, t->wait_alerted);
    sqlite3_bind_int(s, 32, t->overrun_alerted);
}

static void read_ticket(sqlite3_stmt *s, jh_ticket *t)
{
    memset(t, 0, sizeof *t);
    char status[16];
    t->id = sqlite3_column_int64(s, 0);
    t->day = sqlite3_column_int(s, 1);
    col_text(s, 2, t->label, sizeof t->label);
    col_text(s, 3, t->issued_service, sizeof t->issued_service);
    t->number = sqlite3_column_int(s, 4);
    col_text(s, 5, t->service, sizeof t->service);
    t->priority = sqlite3_column_int(s, 6);
    col_text(s, 7, status, sizeof status);
    t->status = (jh_ticket_status)parse_name(ticket_status_names, JH_TS_COUNT, status);
    col_text(s, 8, t->lang, sizeof t->lang);
    col_text(s, 9, t->kiosk, sizeof t->kiosk);
    t->issued_at = sqlite3_column_int64(s, 10);
    t->queue_key = sqlite3_column_int64(s, 11);
    col_text(s, 12, t->target_counter, sizeof t->target_counter);
    col_text(s, 13, t->counter, sizeof t->counter);
    col_text(s, 14, t->staff_id, sizeof t->staff_id);
    t->called_at = sqlite3_column_int64(s, 15);
    t->last_called_at = sqlite3_column_int64(s, 16);
    t->session_at = sqlite3_column_int64(s, 17);
    t->call_count = sqlite3_column_int(s, 18);
    t->session_calls = sqlite3_column_int(s, 19);
    t->finished_at = sqlite3_column_int64(s, 20);
    t->service_s = sqlite3_column_int(s, 21);
    t->overran = sqlite3_column_int(s, 22);
    t->transfers = sqlite3_column_int(s, 23);
    t->requeues = sqlite3_column_int(s, 24);
    col_text(s, 25, t->void_reason, sizeof t->void_reason);
    t->rating = sqlite3_column_int(s, 26);
    t->rated_at = sqlite3_column_int64(s, 27);
    t->rating_suspicious = sqlite3_column_int(s, 28);
    col_text(s, 29, t->rating_flags, sizeof t->rating_flags);
    t->wait_alerted = sqlite3_column_int(s, 30);
    t->overrun_alerted = sqlite3_column_int(s, 31);
}

int jh_store_ticket_insert(jh_store *st, jh_ticket *t)
{
    bind_ticket(stmt(st, Q_T_INSERT), t);
    if (exec_done(st, Q_T_INSERT, "ticket insert") < 0)
        return -1;
    t->id = sqlite3_last_insert_rowid(st->db);
    return 0;
}

int jh_store_ticket_update(jh_store *st, const jh_ticket *t)
{
    bind_ticket(stmt(st, Q_T_UPDATE), t);
    return exec_done(st, Q_T_UPDATE, "ticket update");
}

static int ticket_lookup(jh_store *st, int q, jh_ticket *t)
{
    int rc = step_row(st, q, "ticket");
    if (rc <= 0)
        return rc;
    read_ticket(st->q[q], t);
    sqlite3_reset(st->q[q]);
    return 1;
}

int jh_store_ticket_by_id(jh_store *st, int64_t id, jh_ticket *t)
{
    sqlite3_bind_int64(stmt(st, Q_T_BY_ID), 1, id);
    return ticket_lookup(st, Q_T_BY_ID, t);
}

int jh_store_ticket_by_label(jh_store *st, int day, const char *label, jh_ticket *t)
{
    sqlite3_stmt *s = stmt(st, Q_T_BY_LABEL);
    sqlite3_bind_int(s, 1, day);
    bind_text(s, 2, label);
    return ticket_lookup(st, Q_T_BY_LABEL, t);
}

static int head_lookup(jh_store *st, int q, jh_queue_head *h)
{
    int rc = step_row(st, q, "queue head");
    if (rc <= 0)
        return rc;
    h->id = sqlite3_column_int64(st->q[q], 0);
    h->queue_key = sqlite3_column_int64(st->q[q], 1);
    sqlite3_reset(st->q[q]);
    return 1;
}

int jh_store_queue_head(jh_store *st, int day, const char *service, int green, jh_queue_head *h)
{
    sqlite3_stmt *s = stmt(st, Q_HEAD);
    sqlite3_bind_int(s, 1, day);
    bind_text(s, 2, service);
    sqlite3_bind_int(s, 3, green ? 1 : 0);
    return head_lookup(st, Q_HEAD, h);
}

int jh_store_directed_head(jh_store *st, const char *counter, jh_queue_head *h)
{
    bind_text(stmt(st, Q_DIRECTED), 1, counter);
    return head_lookup(st, Q_DIRECTED, h);
}

static int expire(jh_store *st, int q, int day, int *n)
{
    sqlite3_bind_int(stmt(st, q), 1, day);
    if (exec_done(st, q, "expire") < 0)
        return -1;
    if (n)
        *n = sqlite3_changes(st->db);
    return 0;
}

int jh_store_expire_before(jh_store *st, int day, int *n)
{
    sqlite3_bind_int(stmt(st, Q_STATS_EXPIRE_BEFORE), 1, day);
    if (exec_done(st, Q_STATS_EXPIRE_BEFORE, "day figures") < 0)
        return -1;
    return expire(st, Q_EXPIRE_BEFORE, day, n);
}

int jh_store_expire_waiting_of_day(jh_store *st, int day, int *n)
{
    int count;
    jh_day_stats d = {0};
    if (expire(st, Q_EXPIRE_DAY, day, &count) < 0)
        return -1;
    if (n)
        *n = count;
    d.expired = count;
    return jh_store_stats_add(st, day, &d);
}

int jh_store_recent_service_mean(jh_store *st, const char *service, int n, double *mean, int *count)
{
    sqlite3_stmt *s = stmt(st, Q_MEAN);
    bind_text(s, 1, service);
    sqlite3_bind_int(s, 2, n);
    int rc = step_row(st, Q_MEAN, "service mean");
    if (rc < 0)
        return -1;
    *mean = rc ? sqlite3_column_double(s, 0) : 0;
    *count = rc ? sqlite3_column_int(s, 1) : 0;
    sqlite3_reset(s);
    return 0;
}

/* ---- counters ---- */

int jh_store_counter_ensure(jh_store *st, const char *id, int64_t now_ms)
{
    sqlite3_stmt *s = stmt(st, Q_C_ENSURE);
    bind_text(s, 1, id);
    sqlite3_bind_int64(s, 2, now_ms);
    return exec_done(st, Q_C_ENSURE, "counter");
}

static void read_counter(sqlite3_stmt *s, jh_counter_row *c)
{
    char status[16];
    memset(c, 0, sizeof *c);
    col_text(s, 0, c->id, sizeof c->id);
    col_text(s, 1, status, sizeof status);
    c->status = (jh_counter_status)parse_name(counter_status_names, JH_CS_COUNT, status);
    col_text(s, 2, c->staff_id, sizeof c->staff_id);
    col_text(s, 3, c->staff_name, sizeof c->staff_name);
    c->ticket_id = sqlite3_column_int64(s, 4);
    c->since = sqlite3_column_int64(s, 5);
    col_text(s, 6, c->message, sizeof c->message);
    col_text(s, 7, c->pause_reason, sizeof c->pause_reason);
    c->normal_streak = sqlite3_column_int(s, 8);
    c->green_streak = sqlite3_column_int(s, 9);
    c->last_finished_id = sqlite3_column_int64(s, 10);
    c->last_finished_at = sqlite3_column_int64(s, 11);
    c->last_score = sqlite3_column_int(s, 12);
    c->score_run = sqlite3_column_int(s, 13);
}

static int counter_lookup(jh_store *st, int q, jh_counter_row *c)
{
    int rc = step_row(st, q, "counter");
    if (rc <= 0)
        return rc;
    read_counter(st->q[q], c);
    sqlite3_reset(st->q[q]);
    return 1;
}

int jh_store_counter_get(jh_store *st, const char *id, jh_counter_row *c)
{
    bind_text(stmt(st, Q_C_GET), 1, id);
    return counter_lookup(st, Q_C_GET, c);
}

/* Index of counter `id` in cfg; rows usually come in the order they were
 * ensured, i.e. the config's, so the one after `prev` is tried first. */
static int brief_index(const jh_hall_config *cfg, const char *id, int prev)
{
    int next = prev + 1;
    if (next < cfg->n_counters && strcmp(cfg->counters[next].id, id) == 0)
        return next;
    return jh_config_counter_index(cfg, id);
}

int jh_store_counters_brief(jh_store *st, const jh_hall_config *cfg, jh_counter_brief *out)
{
    sqlite3_stmt *s = stmt(st, Q_C_BRIEF);
    char id[JH_ID_LEN], status[16];
    int rc, i = -1;
    memset(out, 0, (size_t)cfg->n_counters * sizeof *out);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        col_text(s, 0, id, sizeof id);
        i = brief_index(cfg, id, i);
        if (i < 0)
            continue; /* a counter no longer in the config */
        jh_counter_brief *b = &out[i];
        b->found = 1;
        col_text(s, 1, status, sizeof status);
        b->status = (jh_counter_status)parse_name(counter_status_names, JH_CS_COUNT, status);
        b->has_ticket = sqlite3_column_type(s, 2) != SQLITE_NULL;
        col_text(s, 3, b->service, sizeof b->service);
        b->session_at = sqlite3_column_int64(s, 4);
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : fail(st, "counters");
}

int jh_store_counter_put(jh_store *st, const jh_counter_row *c)
{
    sqlite3_stmt *s = stmt(st, Q_C_PUT);
    bind_text(s, 1, c->id);
    bind_text(s, 2, jh_counter_status_name(c->status));
    bind_text(s, 3, c->staff_id);
    bind_text(s, 4, c->staff_name);
    bind_opt_i64(s, 5, c->ticket_id);
    sqlite3_bind_int64(s, 6, c->since);
    bind_text(s, 7, c->message);
    bind_text(s, 8, c->pause_reason);
    sqlite3_bind_int(s, 9, c->normal_streak);
    sqlite3_bind_int(s, 10, c->green_streak);
    bind_opt_i64(s, 11, c->last_finished_id);
    bind_opt_i64(s, 12, c->last_finished_at);
    sqlite3_bind_int(s, 13, c->last_score);
    sqlite3_bind_int(s, 14, c->score_run);
    return exec_done(st, Q_C_PUT, "counter update");
}

int jh_store_counter_by_staff(jh_store *st, const char *staff_id, const char *except_id,
                              jh_counter_row *c)
{
    sqlite3_stmt *s = stmt(st, Q_C_BY_STAFF);
    bind_text(s, 1, staff_id);
    bind_text(s, 2, except_id);
    return counter_lookup(st, Q_C_BY_STAFF, c);
}

int jh_store_counters_reset(jh_store *st, int64_t now_ms)
{
    int q[3] = {Q_C_RESET, Q_PAUSE_END_ALL, Q_SESSION_END_ALL};
    for (int i = 0; i < 3; i++) {
        sqlite3_bind_int64(stmt(st, q[i]), 1, now_ms);
        if (exec_done(st, q[i], "counter reset") < 0)
            return -1;
    }
    return 0;
}

/* ---- logs for reports ---- */

int jh_store_pause_start(jh_store *st, int day, const jh_counter_row *c, int64_t at)
{
    sqlite3_stmt *s = stmt(st, Q_PAUSE_START);
    sqlite3_bind_int(s, 1, day);
    bind_text(s, 2, c->id);
    bind_text(s, 3, c->staff_id);
    bind_text(s, 4, c->pause_reason);
    bind_text(s, 5, c->message);
    sqlite3_bind_int64(s, 6, at);
    return exec_done(st, Q_PAUSE_START, "pause log");
}

int jh_store_pause_end(jh_store *st, const char *counter, int64_t at)
{
    sqlite3_stmt *s = stmt(st, Q_PAUSE_END);
    bind_text(s, 1, counter);
    sqlite3_bind_int64(s, 2, at);
    return exec_done(st, Q_PAUSE_END, "pause log");
}

int jh_store_session_start(jh_store *st, int day, const jh_counter_row *c, int64_t at)
{
    sqlite3_stmt *s = stmt(st, Q_SESSION_START);
    sqlite3_bind_int(s, 1, day);
    bind_text(s, 2, c->id);
    bind_text(s, 3, c->staff_id);
    bind_text(s, 4, c->staff_name);
    sqlite3_bind_int64(s, 5, at);
    return exec_done(st, Q_SESSION_START, "session log");
}

int jh_store_session_end(jh_store *st, const char *counter, int64_t at)
{
    sqlite3_stmt *s = stmt(st, Q_SESSION_END);
    bind_text(s, 1, counter);
    sqlite3_bind_int64(s, 2, at);
    return exec_done(st, Q_SESSION_END, "session log");
}

int jh_store_call_log(jh_store *st, const jh_ticket *t, const char *kind, int64_t at)
{
    sqlite3_stmt *s = stmt(st, Q_CALL_LOG);
    sqlite3_bind_int(s, 1, t->day);
    sqlite3_bind_int64(s, 2, t->id);
    bind_text(s, 3, t->label);
    bind_text(s, 4, t->service);
    bind_text(s, 5, t->counter);
    bind_text(s, 6, t->staff_id);
    bind_text(s, 7, kind);
    sqlite3_bind_int64(s, 8, at);
    return exec_done(st, Q_CALL_LOG, "call log");
}

int jh_store_last_calls(jh_store *st, int day, jh_call_row *rows, int max, int *n)
{
    sqlite3_stmt *s = stmt(st, Q_LAST_CALLS);
    sqlite3_bind_int(s, 1, day);
    sqlite3_bind_int(s, 2, max);
    int rc;
    *n = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max) {
        col_text(s, 0, rows[*n].label, sizeof rows[*n].label);
        col_text(s, 1, rows[*n].counter, sizeof rows[*n].counter);
        rows[*n].at = sqlite3_column_int64(s, 2);
        (*n)++;
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : fail(st, "last calls");
}

int jh_store_transfer_log(jh_store *st, const jh_ticket *t, const char *from_counter,
                          const char *from_service, int64_t at)
{
    sqlite3_stmt *s = stmt(st, Q_TRANSFER_LOG);
    sqlite3_bind_int(s, 1, t->day);
    sqlite3_bind_int64(s, 2, t->id);
    bind_text(s, 3, from_counter);
    bind_text(s, 4, from_service);
    bind_text(s, 5, t->service);
    bind_opt_text(s, 6, t->target_counter);
    sqlite3_bind_int64(s, 7, at);
    return exec_done(st, Q_TRANSFER_LOG, "transfer log");
}

/* ---- command records ---- */

int jh_store_command_get(jh_store *st, int origin_kind, const char *origin_id, const char *cmd_id,
                         char **reply, int *ok)
{
    sqlite3_stmt *s = stmt(st, Q_CMD_GET);
    sqlite3_bind_int(s, 1, origin_kind);
    bind_text(s, 2, origin_id);
    bind_text(s, 3, cmd_id);
    int rc = step_row(st, Q_CMD_GET, "command lookup");
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
    sqlite3_stmt *s = stmt(st, Q_CMD_PUT);
    sqlite3_bind_int(s, 1, origin_kind);
    bind_text(s, 2, origin_id);
    bind_text(s, 3, cmd_id);
    sqlite3_bind_int(s, 4, ok);
    bind_text(s, 5, reply);
    sqlite3_bind_int64(s, 6, at);
    return exec_done(st, Q_CMD_PUT, "command record");
}

int jh_store_command_prune(jh_store *st, int64_t before_ms)
{
    sqlite3_bind_int64(stmt(st, Q_CMD_PRUNE), 1, before_ms);
    return exec_done(st, Q_CMD_PRUNE, "command prune");
}

/* ---- outbox ---- */

int jh_store_event_add(jh_store *st, int64_t seq, const char *kind, const char *payload, int64_t at)
{
    sqlite3_stmt *s = stmt(st, Q_EV_ADD);
    sqlite3_bind_int64(s, 1, seq);
    bind_text(s, 2, kind);
    bind_text(s, 3, payload);
    sqlite3_bind_int64(s, 4, at);
    return exec_done(st, Q_EV_ADD, "outbox");
}

int jh_store_event_next(jh_store *st, int64_t after_seq, int64_t *seq, char *kind, size_t kindlen,
                        char **payload)
{
    sqlite3_stmt *s = stmt(st, Q_EV_NEXT);
    sqlite3_bind_int64(s, 1, after_seq);
    int rc = step_row(st, Q_EV_NEXT, "outbox");
    if (rc <= 0)
        return rc;
    *seq = sqlite3_column_int64(s, 0);
    col_text(s, 1, kind, kindlen);
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
    sqlite3_bind_int64(stmt(st, Q_EV_ACK), 1, seq);
    return exec_done(st, Q_EV_ACK, "outbox ack");
}

int jh_store_event_prune(jh_store *st, int64_t before_ms)
{
    sqlite3_bind_int64(stmt(st, Q_EV_PRUNE), 1, before_ms);
    return exec_done(st, Q_EV_PRUNE, "outbox prune");
}

/* ---- the day's running figures ---- */

int jh_store_stats_add(jh_store *st, int day, const jh_day_stats *d)
{
    sqlite3_stmt *s = stmt(st, Q_STATS_ADD);
    const int64_t v[] = {d->issued, d->issued_green, d->called, d->wait_sum_s, d->wait_max_s,
                         d->served, d->served_green, d->service_sum_s, d->overruns, d->no_shows,
                         d->voided, d->expired, d->ratings, d->ratings_flagged, d->satisfied,
                         d->alerts_wait, d->alerts_overrun};
    sqlite3_bind_int(s, 1, day);
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        sqlite3_bind_int64(s, (int)i + 2, v[i]);
    return exec_done(st, Q_STATS_ADD, "day figures");
}

int jh_store_stats_get(jh_store *st, int day, jh_day_stats *d)
{
    sqlite3_stmt *s = stmt(st, Q_STATS_GET);
    int64_t *f[] = {&d->issued, &d->issued_green, &d->called, &d->wait_sum_s, &d->wait_max_s,
                    &d->served, &d->served_green, &d->service_sum_s, &d->overruns, &d->no_shows,
                    &d->voided, &d->expired, &d->ratings, &d->ratings_flagged, &d->satisfied,
                    &d->alerts_wait, &d->alerts_overrun};
    memset(d, 0, sizeof *d);
    sqlite3_bind_int(s, 1, day);
    int rc = step_row(st, Q_STATS_GET, "day figures");
    if (rc <= 0)
        return rc;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        *f[i] = sqlite3_column_int64(s, (int)i + 1);
    sqlite3_reset(s);
    return 0;
}

int jh_store_wait_hist_add(jh_store *st, int day, int wait_s)
{
    int bucket = wait_s < 0 ? 0 : wait_s / JH_WAIT_BUCKET_S;
    sqlite3_stmt *s = stmt(st, Q_HIST_ADD);
    sqlite3_bind_int(s, 1, day);
    sqlite3_bind_int(s, 2, bucket < WAIT_BUCKET_CAP ? bucket : WAIT_BUCKET_CAP);
    return exec_done(st, Q_HIST_ADD, "wait histogram");
}

int jh_store_wait_hist_get(jh_store *st, int day, int *counts)
{
    sqlite3_stmt *s = stmt(st, Q_HIST_GET);
    int rc;
    memset(counts, 0, JH_WAIT_BUCKETS * sizeof *counts);
    sqlite3_bind_int(s, 1, day);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int b = sqlite3_column_int(s, 0);
        if (b >= 0 && b < JH_WAIT_BUCKETS)
            counts[b] = sqlite3_column_int(s, 1);
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : fail(st, "wait histogram");
}

int jh_store_score_add(jh_store *st, int day, const char *counter, int score)
{
    sqlite3_stmt *s = stmt(st, Q_SCORE_ADD);
    sqlite3_bind_int(s, 1, day);
    sqlite3_bind_text(s, 2, counter, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, score);
    return exec_done(st, Q_SCORE_ADD, "day scores");
}

int jh_store_scores_others(jh_store *st, int day, const char *counter, int64_t others[6])
{
    sqlite3_stmt *s = stmt(st, Q_SCORES_OTHERS);
    int rc;
    for (int i = 0; i < 6; i++)
        others[i] = 0;
    sqlite3_bind_int(s, 1, day);
    sqlite3_bind_text(s, 2, counter, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int score = sqlite3_column_int(s, 0);
        if (score >= 1 && score <= 5)
            others[score] = sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : fail(st, "day scores");
}

int jh_store_wait_due(jh_store *st, int64_t queued_before, jh_queue_head *rows, int max, int *n)
{
    sqlite3_stmt *s = stmt(st, Q_WAIT_DUE);
    int rc;
    *n = 0;
    sqlite3_bind_int64(s, 1, queued_before);
    sqlite3_bind_int(s, 2, max);
    while (*n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        rows[*n].id = sqlite3_column_int64(s, 0);
        rows[*n].queue_key = sqlite3_column_int64(s, 1);
        (*n)++;
    }
    if (*n < max && rc != SQLITE_DONE)
        return fail(st, "long waits");
    sqlite3_reset(s);
    return 0;
}
