/*
 * store_check — the fault suite's judge of a caller store (jiaohao.db).
 *
 * Owns: the invariants a store must keep whatever was interrupted — after a
 * kill -9, a full disk, a torn copy, a clock jump — checked on the file
 * itself, never on what the daemon says about it:
 *   - PRAGMA integrity_check is "ok";
 *   - no label and no number twice per business day; each service's numbers
 *     of a day are contiguous from its first number, and the numbering row
 *     (last_number, issued) and day_stats.issued agree with the tickets;
 *   - the waiting counters equal the waiting tickets, per day and service;
 *   - the outbox seqs are contiguous, end at hall.seq, and each payload
 *     carries its own seq; every ticket has exactly one `issued` event;
 *   - a counter serves a ticket exactly when that ticket is `called` there;
 *   - every take the store acknowledged (a stored ok reply) names a ticket
 *     that exists, and so does every line of --takes (what a kiosk was told).
 * With --engine the file is first opened by jh_engine_open, exactly as
 * jiaohao-caller would open it after a power cut (WAL recovery, migration),
 * and the engine's own retained service states must agree with the tickets.
 * Without it the file is only read, so it is safe while the caller runs.
 *
 *   fault_store_check --config HALL.ini --db FILE [--engine] [--takes FILE]
 *
 * Prints one JSON line of counts; exit 0 consistent, 1 not (one line per
 * problem on stderr), 2 bad usage or unreadable file. The tests in this folder
 * (test_hall.sh, test_power_loss.sh) call it after every fault.
 */
#include <cjson/cJSON.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "hall_config.h"
#include "hall_time.h"

#define PROG "fault_store_check"
#define SHOW_MAX 5 /* violations printed per check */

static int problems;

static void problem(const char *check, const char *detail)
{
    fprintf(stderr, PROG ": %s: %s\n", check, detail);
    problems++;
}

/* Runs `sql`; every row it returns is one violation of `check`, shown as its columns. */
static int violations(sqlite3 *db, const char *check, const char *sql)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, PROG ": %s: %s\n", check, sqlite3_errmsg(db));
        return -1;
    }
    int n = 0, rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (++n > SHOW_MAX)
            continue;
        char row[512] = "";
        size_t used = 0;
        for (int c = 0; c < sqlite3_column_count(s) && used < sizeof row; c++) {
            const unsigned char *v = sqlite3_column_text(s, c);
            int w = snprintf(row + used, sizeof row - used, "%s%s=%s", c ? " " : "",
                             sqlite3_column_name(s, c), v ? (const char *)v : "NULL");
            used += w > 0 ? (size_t)w : 0;
        }
        problem(check, row);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        fprintf(stderr, PROG ": %s: %s\n", check, sqlite3_errmsg(db));
        return -1;
    }
    if (n > SHOW_MAX) {
        char more[64];
        snprintf(more, sizeof more, "... %d violations in all", n);
        problem(check, more);
    }
    return n;
}

static int64_t scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* The rules, each a query that lists what breaks it. */
static const struct {
    const char *check, *sql;
} rules[] = {
    {"label issued twice",
     "SELECT day, label, count(*) AS n FROM tickets GROUP BY day, label HAVING n > 1"},
    {"number issued twice",
     "SELECT day, issued_service, number, count(*) AS n FROM tickets"
     " GROUP BY day, issued_service, number HAVING n > 1"},
    /* first_number comes from the config through the temp table svc. */
    {"numbers not contiguous",
     "SELECT t.day, t.issued_service, count(*) AS n, min(number) AS lo, max(number) AS hi,"
     " svc.first AS first FROM tickets t JOIN svc ON svc.code = t.issued_service"
     " GROUP BY t.day, t.issued_service HAVING lo <> first OR hi - lo + 1 <> n"},
    {"numbering row disagrees with tickets",
     "SELECT n.day, n.service, n.last_number, n.issued, t.hi, t.cnt FROM numbering n"
     " LEFT JOIN (SELECT day, issued_service, max(number) AS hi, count(*) AS cnt FROM tickets"
     " GROUP BY day, issued_service) t ON t.day = n.day AND t.issued_service = n.service"
     " WHERE n.last_number <> coalesce(t.hi, 0) OR n.issued <> coalesce(t.cnt, 0)"
     " UNION ALL SELECT t.day, t.issued_service, NULL, NULL, max(number), count(*) FROM tickets t"
     " WHERE NOT EXISTS (SELECT 1 FROM numbering n WHERE n.day = t.day"
     " AND n.service = t.issued_service) GROUP BY t.day, t.issued_service"},
    {"day_stats.issued disagrees with tickets",
     "SELECT t.day, t.cnt, d.issued FROM (SELECT day, count(*) AS cnt FROM tickets GROUP BY day) t"
     " LEFT JOIN day_stats d ON d.day = t.day WHERE coalesce(d.issued, 0) <> t.cnt"},
    {"waiting counter disagrees with waiting tickets",
     "SELECT k.day, k.service, coalesce(n.waiting, 0) AS counted,"
     " coalesce(n.waiting_priority, 0) AS counted_green,"
     " (SELECT count(*) FROM tickets t WHERE t.day = k.day AND t.service = k.service"
     "  AND t.status = 'waiting') AS tickets,"
     " (SELECT count(*) FROM tickets t WHERE t.day = k.day AND t.service = k.service"
     "  AND t.status = 'waiting' AND t.is_priority) AS tickets_green"
     " FROM (SELECT day, service FROM numbering UNION SELECT day, service FROM tickets) k"
     " LEFT JOIN numbering n ON n.day = k.day AND n.service = k.service"
     " WHERE counted <> tickets OR counted_green <> tickets_green"},
    {"open ticket of a past day",
     "SELECT t.day, t.label, t.status FROM tickets t, hall h"
     " WHERE t.day < h.day AND t.status IN ('waiting', 'called')"},
    {"ticket of a future day", "SELECT t.day, t.label FROM tickets t, hall h WHERE t.day > h.day"},
    {"outbox seq gap or overrun",
     "SELECT count(*) AS n, min(seq) AS lo, max(seq) AS hi, (SELECT seq FROM hall) AS hall_seq"
     " FROM outbox HAVING n > 0 AND (hi - lo + 1 <> n OR hi <> hall_seq)"},
    {"event payload seq differs from its row",
     "SELECT seq, kind, json_extract(payload, '$.seq') AS payload_seq FROM outbox"
     " WHERE payload_seq IS NOT seq"},
    {"ticket without exactly one issued event",
     "SELECT t.day, t.label, (SELECT count(*) FROM outbox o WHERE o.kind = 'issued'"
     " AND json_extract(o.payload, '$.day') = t.day"
     " AND json_extract(o.payload, '$.ticket') = t.label) AS events FROM tickets t"
     " WHERE events <> 1"},
    {"issued event without its ticket",
     "SELECT o.seq, json_extract(o.payload, '$.ticket') AS label FROM outbox o"
     " WHERE o.kind = 'issued' AND NOT EXISTS (SELECT 1 FROM tickets t"
     " WHERE t.day = json_extract(o.payload, '$.day')"
     " AND t.label = json_extract(o.payload, '$.ticket'))"},
    {"counter and its ticket disagree",
     "SELECT c.id, c.status, c.ticket_id, t.label, t.status AS ticket_status, t.counter"
     " FROM counters c LEFT JOIN tickets t ON t.id = c.ticket_id"
     " WHERE (c.status = 'serving') <> (c.ticket_id IS NOT NULL)"
     " OR (c.ticket_id IS NOT NULL AND (t.id IS NULL OR t.status <> 'called' OR t.counter IS NOT c.id))"},
    {"called ticket at no counter",
     "SELECT t.day, t.label, t.counter FROM tickets t WHERE t.status = 'called'"
     " AND NOT EXISTS (SELECT 1 FROM counters c WHERE c.ticket_id = t.id)"},
    {"acknowledged take without its ticket",
     "SELECT c.origin_id, c.cmd_id, json_extract(c.reply, '$.ticket') AS label,"
     " json_extract(c.reply, '$.day') AS day FROM commands c WHERE c.ok = 1"
     " AND label IS NOT NULL AND day IS NOT NULL"
     " AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.day = json_extract(c.reply, '$.day')"
     " AND t.label = json_extract(c.reply, '$.ticket'))"},
};

static int check_integrity(sqlite3 *db)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK) {
        problem("integrity_check", sqlite3_errmsg(db));
        return -1;
    }
    int rc, shown = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(s, 0);
        if (v && strcmp(v, "ok") != 0 && shown++ < SHOW_MAX)
            problem("integrity_check", v);
    }
    if (rc != SQLITE_DONE)
        problem("integrity_check", sqlite3_errmsg(db));
    sqlite3_finalize(s);
    return 0;
}

/* The services' first numbers, as a temp table the rules can join. */
static int load_services(sqlite3 *db, const jh_hall_config *cfg)
{
    sqlite3_stmt *s;
    if (sqlite3_exec(db, "CREATE TEMP TABLE svc(code TEXT PRIMARY KEY, first INTEGER)", NULL, NULL,
                     NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO svc VALUES(?1, ?2)", -1, &s, NULL) != SQLITE_OK)
        return -1;
    for (int i = 0; i < cfg->n_services; i++) {
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, cfg->services[i].code, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 2, cfg->services[i].first_number);
        if (sqlite3_step(s) != SQLITE_DONE)
            break;
    }
    sqlite3_finalize(s);
    return 0;
}

/* Every "DAY LABEL" line of `path` must be a ticket in the store. */
static int check_takes(sqlite3 *db, const char *path, int *n_takes)
{
    FILE *f = fopen(path, "r");
    sqlite3_stmt *s;
    if (!f) {
        perror(path);
        return -1;
    }
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM tickets WHERE day = ?1 AND label = ?2", -1, &s, NULL) !=
        SQLITE_OK) {
        fclose(f);
        return -1;
    }
    char line[128], label[64];
    int day, missing = 0;
    *n_takes = 0;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%d %63s", &day, label) != 2)
            continue;
        (*n_takes)++;
        sqlite3_reset(s);
        sqlite3_bind_int(s, 1, day);
        sqlite3_bind_text(s, 2, label, -1, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_ROW && missing++ < SHOW_MAX) {
            char what[128];
            snprintf(what, sizeof what, "day=%d label=%s", day, label);
            problem("acknowledged take lost", what);
        }
    }
    sqlite3_finalize(s);
    fclose(f);
    return 0;
}

/* Opens the file as the daemon would after a power cut; its service states must match. */
static int check_engine(const jh_hall_config *cfg, const char *path, sqlite3 *db)
{
    char err[512];
    jh_engine *e = jh_engine_open(cfg, path, err, sizeof err);
    if (!e) {
        problem("jh_engine_open", err);
        return -1;
    }
    int64_t day = scalar(db, "SELECT day FROM hall");
    sqlite3_stmt *s;
    sqlite3_prepare_v2(db,
                       "SELECT count(*), total(is_priority) FROM tickets WHERE day = ?1 AND service = ?2"
                       " AND status = 'waiting'",
                       -1, &s, NULL);
    for (int i = 0; i < cfg->n_services; i++) {
        char *json = jh_engine_service_state(e, i, jh_time_now_ms());
        cJSON *st = json ? cJSON_Parse(json) : NULL;
        sqlite3_reset(s);
        sqlite3_bind_int64(s, 1, day);
        sqlite3_bind_text(s, 2, cfg->services[i].code, -1, SQLITE_STATIC);
        int waiting = -1, green = -1;
        if (sqlite3_step(s) == SQLITE_ROW) {
            waiting = sqlite3_column_int(s, 0);
            green = sqlite3_column_int(s, 1);
        }
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(st, "waiting");
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(st, "waiting_priority");
        if (!cJSON_IsNumber(w) || !cJSON_IsNumber(g) || w->valueint != waiting ||
            g->valueint != green) {
            char what[256];
            snprintf(what, sizeof what, "service %s: state says %d (%d green), tickets %d (%d green)",
                     cfg->services[i].code, cJSON_IsNumber(w) ? w->valueint : -1,
                     cJSON_IsNumber(g) ? g->valueint : -1, waiting, green);
            problem("engine service state disagrees with tickets", what);
        }
        cJSON_Delete(st);
        free(json);
    }
    sqlite3_finalize(s);
    jh_engine_close(e);
    return 0;
}

static void usage(FILE *f)
{
    fputs("usage: " PROG " --config HALL.ini --db FILE [--engine] [--takes FILE]\n"
          "  --engine      open the store with jh_engine_open first (as after a power cut)\n"
          "  --takes FILE  lines 'DAY LABEL': tickets a kiosk was given; each must exist\n",
          f);
}

int main(int argc, char **argv)
{
    const char *config = NULL, *path = NULL, *takes = NULL;
    int engine = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--engine") == 0)
            engine = 1;
        else if (strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (i + 1 < argc && strcmp(argv[i], "--config") == 0)
            config = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--db") == 0)
            path = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--takes") == 0)
            takes = argv[++i];
        else {
            usage(stderr);
            return 2;
        }
    }
    if (!config || !path) {
        usage(stderr);
        return 2;
    }
    static jh_hall_config cfg;
    char err[512];
    if (jh_config_load(&cfg, config, err, sizeof err) < 0 ||
        jh_time_set_zone(cfg.timezone, err, sizeof err) < 0) {
        fprintf(stderr, PROG ": %s\n", err);
        return 2;
    }
    sqlite3 *db;
    /* Read-write only for --engine (the engine writes anyway); else never touch the file. */
    int flags = engine ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        fprintf(stderr, PROG ": %s: %s\n", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return 2;
    }
    sqlite3_busy_timeout(db, 10000);
    int n_takes = 0, broken = 0;
    if (engine && check_engine(&cfg, path, db) < 0)
        broken = 1;
    check_integrity(db);
    /* One read transaction: every rule sees the same moment of a live store. */
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    if (load_services(db, &cfg) < 0)
        broken = 1;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (violations(db, rules[i].check, rules[i].sql) < 0)
            broken = 1;
    if (takes && check_takes(db, takes, &n_takes) < 0)
        broken = 1;
    printf("{\"tickets\":%lld,\"days\":%lld,\"day\":%lld,\"seq\":%lld,\"events\":%lld,"
           "\"unacked\":%lld,\"waiting\":%lld,\"called\":%lld,\"takes_checked\":%d,\"problems\":%d}\n",
           (long long)scalar(db, "SELECT count(*) FROM tickets"),
           (long long)scalar(db, "SELECT count(DISTINCT day) FROM tickets"),
           (long long)scalar(db, "SELECT day FROM hall"), (long long)scalar(db, "SELECT seq FROM hall"),
           (long long)scalar(db, "SELECT count(*) FROM outbox"),
           (long long)scalar(db, "SELECT count(*) FROM outbox WHERE acked = 0"),
           (long long)scalar(db, "SELECT count(*) FROM tickets WHERE status = 'waiting'"),
           (long long)scalar(db, "SELECT count(*) FROM calls WHERE kind = 'call'"), n_takes,
           problems);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
    if (broken)
        return 2;
    return problems ? 1 : 0;
}
