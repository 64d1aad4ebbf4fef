/* SPDX-License-Identifier: MIT */
/*
 * store_audit — the invariants of a store file (see store_audit.h).
 *
 * Each rule is one query whose every row is a violation, shown as its
 * columns, so a failing rule says which day, ticket or seq it found broken.
 */
#include "store_audit.h"

#include <stdio.h>
#include <string.h>

#include "store_private.h"

/* The rules, each a query that lists what breaks it. */
static const struct {
    const char *name, *sql;
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

#define N_RULES (int)(sizeof rules / sizeof rules[0])

int jh_audit_rule_count(void) { return N_RULES; }

const char *jh_audit_rule_name(int i) { return i >= 0 && i < N_RULES ? rules[i].name : "?"; }

static int fail(jh_store_reader *r)
{
    snprintf(r->err, sizeof r->err, "%s", sqlite3_errmsg(r->db));
    return -1;
}

int jh_audit_services(jh_store_reader *r, const jh_hall_config *cfg)
{
    sqlite3_stmt *s;
    if (sqlite3_exec(r->db, "CREATE TEMP TABLE svc(code TEXT PRIMARY KEY, first INTEGER)", NULL,
                     NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(r->db, "INSERT INTO svc VALUES(?1, ?2)", -1, &s, NULL) != SQLITE_OK)
        return fail(r);
    int rc = SQLITE_DONE;
    for (int i = 0; i < cfg->n_services && rc == SQLITE_DONE; i++) {
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, cfg->services[i].code, -1, SQLITE_STATIC);
        sqlite3_bind_int(s, 2, cfg->services[i].first_number);
        rc = sqlite3_step(s);
    }
    if (rc != SQLITE_DONE)
        fail(r);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The current row as "column=value …" (NULL for a null), cut at len. */
static void row_text(sqlite3_stmt *s, char *row, size_t len)
{
    size_t used = 0;
    row[0] = '\0';
    for (int c = 0; c < sqlite3_column_count(s) && used < len; c++) {
        const unsigned char *v = sqlite3_column_text(s, c);
        int w = snprintf(row + used, len - used, "%s%s=%s", c ? " " : "", sqlite3_column_name(s, c),
                         v ? (const char *)v : "NULL");
        used += w > 0 ? (size_t)w : 0;
    }
}

int jh_audit_rule(jh_store_reader *r, int i, jh_audit_fn fn, void *ctx)
{
    sqlite3_stmt *s;
    if (i < 0 || i >= N_RULES) {
        snprintf(r->err, sizeof r->err, "no rule %d", i);
        return -1;
    }
    if (sqlite3_prepare_v2(r->db, rules[i].sql, -1, &s, NULL) != SQLITE_OK)
        return fail(r);
    int n = 0, rc;
    char row[512];
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        row_text(s, row, sizeof row);
        fn(ctx, row);
        n++;
    }
    if (rc != SQLITE_DONE)
        fail(r);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? n : -1;
}

int jh_audit_integrity(jh_store_reader *r, jh_audit_fn fn, void *ctx)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(r->db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK)
        return fail(r);
    int n = 0, rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(s, 0);
        if (v && strcmp(v, "ok") != 0) {
            fn(ctx, v);
            n++;
        }
    }
    if (rc != SQLITE_DONE)
        fail(r);
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? n : -1;
}
