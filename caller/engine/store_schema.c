/* SPDX-License-Identifier: MIT */
/*
 * store_schema — the layout of the store file and how older files are brought
 * up to it.
 *
 * Owns: the tables and indexes (schema version 1 as first written, then one
 * migration per later version, each only additions, so a store written by any
 * earlier version opens and readers of an older version keep working), the
 * pragmas every writer connection runs with, and the hall row of a new file.
 * Statuses are stored as words ('waiting', 'called', …) so a hall's IT person
 * can read the file with the sqlite3 shell, and the partial indexes below are
 * written against those exact words.
 */
#include <stdio.h>

#include "store_private.h"

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
/*
 * Version 5 — staff identity. The roster (one row per staff member: roles,
 * where they may serve, AB posts, the argon2id hash of their secret, the
 * lockout) and the audit trail of every counter, console and admin command
 * that reached the engine, refusals too. Only new tables: no older row changes.
 */
static const char *const migrate_v5_sql =
    "CREATE TABLE staff("
    " staff_id TEXT PRIMARY KEY, name TEXT NOT NULL, department TEXT NOT NULL,"
    " photo TEXT NOT NULL, roles TEXT NOT NULL, counters TEXT NOT NULL, services TEXT NOT NULL,"
    " covers TEXT NOT NULL, secret_hash TEXT NOT NULL, enabled INTEGER NOT NULL,"
    " failures INTEGER NOT NULL, locked_until INTEGER, lock_alerted INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL) WITHOUT ROWID;"
    /* the accounts whose lock tick has yet to announce: nearly always none */
    "CREATE INDEX staff_lock_due ON staff(staff_id) WHERE locked_until > lock_alerted;"
    "CREATE TABLE staff_audit("
    " id INTEGER PRIMARY KEY, day INTEGER NOT NULL, at INTEGER NOT NULL, by TEXT NOT NULL,"
    " device TEXT NOT NULL, staff TEXT NOT NULL, op TEXT NOT NULL, target TEXT NOT NULL,"
    " detail TEXT NOT NULL, result TEXT NOT NULL);"
    /* one per filter of the audit op, so a search never walks the whole history */
    "CREATE INDEX staff_audit_day ON staff_audit(day);"
    "CREATE INDEX staff_audit_target ON staff_audit(target);"
    "CREATE INDEX staff_audit_by ON staff_audit(by);"
    "CREATE INDEX staff_audit_staff ON staff_audit(staff);"
    "CREATE INDEX staff_audit_device ON staff_audit(device);";

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

static int init_hall_row(jh_store *st, int day)
{
    sqlite3_stmt *s;
    const char *ins = "INSERT OR IGNORE INTO hall(id, day, open, notice, seq, schema_version)"
                      " VALUES(1, ?1, 1, '', 0, ?2)";
    if (sqlite3_prepare_v2(st->db, ins, -1, &s, NULL) != SQLITE_OK)
        return store_fail(st, "prepare hall");
    sqlite3_bind_int(s, 1, day);
    sqlite3_bind_int(s, 2, 1); /* schema_sql is version 1; migrate() takes it on from there */
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : store_fail(st, "init hall");
}

const char store_schema_version_sql[] = "SELECT schema_version FROM hall WHERE id = 1";

static int schema_version(jh_store *st, int *version)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(st->db, store_schema_version_sql, -1, &s, NULL) != SQLITE_OK)
        return store_fail(st, "schema version");
    int rc = sqlite3_step(s);
    *version = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 0 : store_fail(st, "schema version");
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
    if (rc == SQLITE_OK && version < 5)
        rc = sqlite3_exec(st->db, migrate_v5_sql, NULL, NULL, &msg);
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

int store_schema_setup(jh_store *st, int day)
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
    return init_hall_row(st, day) < 0 || migrate(st) < 0 ? -1 : 0;
}
