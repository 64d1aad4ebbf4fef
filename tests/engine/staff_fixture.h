/* SPDX-License-Identifier: MIT */
/*
 * staff_fixture — what the staff-identity tests share, on top of the engine
 * fixture (tests/unit/test_engine_fixture.h: a real hall config, a real store,
 * the test roster with FX_PIN).
 *
 * Owns: short ways to enrol people through the admin ops, to log in with a
 * secret, to send a command on someone's behalf (`by`), and a snapshot of
 * every row of the store but the command records and the audit trail — what
 * a refused command must leave exactly as it was.
 */
#ifndef STAFF_FIXTURE_H
#define STAFF_FIXTURE_H

#include <sqlite3.h>

#include "test_engine_fixture.h"

/* staff-add {staff_id, name, roles, counters, services, covers, secret}; "" leaves one out. */
static inline cJSON *sx_add(fx *f, const char *id, const char *name, const char *roles,
                            const char *counters, const char *services, const char *covers,
                            const char *secret)
{
    jh_command c = fx_cmd(JH_OP_STAFF_ADD);
    snprintf(c.staff_id, sizeof c.staff_id, "%s", id);
    snprintf(c.staff_name, sizeof c.staff_name, "%s", name);
    c.staff_fields = JH_SF_NAME;
    if (roles[0]) {
        snprintf(c.roles, sizeof c.roles, "%s", roles);
        c.staff_fields |= JH_SF_ROLES;
    }
    if (counters[0]) {
        snprintf(c.counters, sizeof c.counters, "%s", counters);
        c.staff_fields |= JH_SF_COUNTERS;
    }
    if (services[0]) {
        snprintf(c.services, sizeof c.services, "%s", services);
        c.staff_fields |= JH_SF_SERVICES;
    }
    if (covers[0]) {
        snprintf(c.covers, sizeof c.covers, "%s", covers);
        c.staff_fields |= JH_SF_COVERS;
    }
    if (secret[0]) {
        snprintf(c.secret, sizeof c.secret, "%s", secret);
        c.staff_fields |= JH_SF_SECRET;
    }
    return fx_send(f, JH_ORIGIN_ADMIN, "admin", &c);
}

/* login {staff_id, secret} at counter. */
static inline cJSON *sx_login(fx *f, const char *counter, const char *staff, const char *secret)
{
    jh_command c = fx_cmd(JH_OP_LOGIN);
    snprintf(c.staff_id, sizeof c.staff_id, "%s", staff);
    snprintf(c.secret, sizeof c.secret, "%s", secret);
    return fx_send(f, JH_ORIGIN_COUNTER, counter, &c);
}

/* staff-auth {staff_id, secret}. */
static inline cJSON *sx_auth(fx *f, const char *staff, const char *secret)
{
    jh_command c = fx_cmd(JH_OP_STAFF_AUTH);
    snprintf(c.staff_id, sizeof c.staff_id, "%s", staff);
    snprintf(c.secret, sizeof c.secret, "%s", secret);
    return fx_send(f, JH_ORIGIN_ADMIN, "admin", &c);
}

/* Sends c from (kind, id) on behalf of `by`. */
static inline cJSON *sx_by(fx *f, jh_origin_kind kind, const char *origin, const char *by,
                           jh_command *c)
{
    snprintf(c->by, sizeof c->by, "%s", by);
    return fx_send(f, kind, origin, c);
}

/* The row of staff-list's reply for id (a new object), or NULL. */
static inline cJSON *sx_listed(fx *f, const char *id)
{
    cJSON *r = fx_admin(f, JH_OP_STAFF_LIST), *it, *found = NULL;
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")));
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(r, "staff"))
        if (!strcmp(js(it, "staff_id"), id))
            found = cJSON_Duplicate(it, 1);
    cJSON_Delete(r);
    return found;
}

/* One number from SQL on the store file (a connection of its own). */
static inline long long sx_sql_number(const char *db, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *s;
    long long v = -1;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(h);
    return v;
}

static inline void sx_sql_exec(const char *db, const char *sql)
{
    sqlite3 *h;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("sql: %s", msg);
    sqlite3_close(h);
}

static int sx_snapshot_row(void *ctx, int n, char **v, char **names)
{
    (void)names;
    char **text = ctx;
    for (int i = 0; i < n; i++) {
        size_t have = *text ? strlen(*text) : 0, add = (v[i] ? strlen(v[i]) : 4) + 2;
        char *grown = realloc(*text, have + add + 1);
        assert_non_null(grown);
        snprintf(grown + have, add + 1, "%s%s", v[i] ? v[i] : "NULL", i + 1 < n ? "|" : "\n");
        *text = grown;
    }
    return 0;
}

/* Every row of every table but commands and staff_audit, as text (malloc'd); a
 * table the file lacks counts as empty. */
static inline char *sx_snapshot(const char *db)
{
    static const char *const tables[] = {"hall", "numbering", "tickets", "counters", "pauses",
                                         "sessions", "calls", "transfers", "outbox", "day_stats",
                                         "wait_hist", "day_scores", "staff"};
    sqlite3 *h;
    char *text = NULL, sql[96];
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        snprintf(sql, sizeof sql, "SELECT '%s', * FROM %s ORDER BY 2, 3", tables[i], tables[i]);
        if (sqlite3_table_column_metadata(h, NULL, tables[i], "rowid", NULL, NULL, NULL, NULL, NULL) !=
                SQLITE_OK &&
            sqlite3_table_column_metadata(h, NULL, tables[i], "staff_id", NULL, NULL, NULL, NULL,
                                          NULL) != SQLITE_OK)
            continue; /* a table an older store does not have: no rows either */
        assert_int_equal(sqlite3_exec(h, sql, sx_snapshot_row, &text, NULL), SQLITE_OK);
    }
    sqlite3_close(h);
    return text ? text : strdup("");
}

/* The newest audit row's result and detail. */
static inline void sx_last_audit(fx *f, char *result, size_t rlen, char *detail, size_t dlen)
{
    sqlite3 *h;
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_open_v2(f->db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT result, detail FROM staff_audit ORDER BY id DESC LIMIT 1",
                                        -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    snprintf(result, rlen, "%s", (const char *)sqlite3_column_text(s, 0));
    snprintf(detail, dlen, "%s", (const char *)sqlite3_column_text(s, 1));
    sqlite3_finalize(s);
    sqlite3_close(h);
}

#endif
