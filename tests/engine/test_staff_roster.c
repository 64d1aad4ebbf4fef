/* SPDX-License-Identifier: MIT */
/*
 * test_staff_roster — the roster's admin ops, its seeding from [staff] roster,
 * the audit trail, and the store's version 5 (caller/engine/engine_roster.c,
 * engine_audit.c, store_staff.c, store_schema.c).
 *
 * Through the real engine and store: add, list, update, disable and set-secret
 * round-trip; an import with one bad line is refused with that line and
 * changes nothing; the roster file seeds only people the store lacks, so an
 * admin's later change survives a restart; the audit op finds rows by staff,
 * counter, ticket and day; no reply, event, state or audit row ever holds a
 * hash or a secret; and a version 4 store file opens as version 5 with every
 * one of its rows as it was.
 */
#include "staff_fixture.h"

#define PIN_A "135790"

static jh_command admin_csv(const char *csv)
{
    jh_command c = fx_cmd(JH_OP_STAFF_IMPORT);
    snprintf(c.csv, sizeof c.csv, "%s", csv);
    return c;
}

static int n_items(const cJSON *o, const char *key) { return cJSON_GetArraySize(cJSON_GetObjectItem(o, key)); }

static const char *item(const cJSON *o, const char *key, int i)
{
    return cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItem(o, key), i));
}

static void test_roster_round_trip(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    /* the test roster was seeded: 13 people */
    cJSON *r = fx_admin(f, JH_OP_STAFF_LIST);
    assert_int_equal(n_items(r, "staff"), 13);
    cJSON_Delete(r);
    fx_ok(sx_add(f, "n1", "郑爽", "staff;guide", "c01;c03", "A", "s1", PIN_A));
    fx_refused(sx_add(f, "n1", "又一个", "", "", "", "", ""), "staff-exists");
    fx_refused(sx_add(f, "n2", "某人", "", "c99", "", "", ""), "bad-field");
    fx_refused(sx_add(f, "n2", "某人", "", "", "ZZ", "", ""), "bad-field");
    fx_refused(sx_add(f, "n2", "某人", "", "", "", "n2", ""), "bad-field"); /* covers itself */
    fx_refused(sx_add(f, "n2", "某人", "", "", "", "", "123"), "bad-field"); /* secret too short */
    cJSON *row = sx_listed(f, "n1");
    assert_non_null(row);
    assert_string_equal(js(row, "name"), "郑爽");
    assert_int_equal(n_items(row, "roles"), 2);
    assert_string_equal(item(row, "roles", 1), "guide");
    assert_string_equal(item(row, "counters", 1), "c03");
    assert_string_equal(item(row, "services", 0), "A");
    assert_string_equal(item(row, "covers", 0), "s1");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(row, "enabled")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(row, "has_secret")));
    assert_string_equal(js(row, "created_at"), "2026-11-23T09:00:00+08:00");
    assert_null(cJSON_GetObjectItem(row, "secret_hash"));
    cJSON_Delete(row);
    /* update: only what it names */
    f->now += MIN;
    jh_command c = fx_cmd(JH_OP_STAFF_UPDATE);
    strcpy(c.staff_id, "n1");
    strcpy(c.department, "导办台");
    strcpy(c.photo, "n1.jpg");
    strcpy(c.counters, "");
    c.staff_fields = JH_SF_DEPARTMENT | JH_SF_PHOTO | JH_SF_COUNTERS;
    fx_ok(fx_send(f, JH_ORIGIN_ADMIN, "admin", &c));
    fx_refused(fx_send(f, JH_ORIGIN_ADMIN, "admin", &(jh_command){.op = JH_OP_STAFF_UPDATE,
                                                                  .staff_id = "ghost"}),
               "unknown-staff");
    row = sx_listed(f, "n1");
    assert_string_equal(js(row, "name"), "郑爽");
    assert_string_equal(js(row, "department"), "导办台");
    assert_string_equal(js(row, "photo"), "n1.jpg");
    assert_int_equal(n_items(row, "counters"), 0); /* any counter now */
    assert_int_equal(n_items(row, "roles"), 2);
    assert_string_equal(js(row, "updated_at"), "2026-11-23T09:01:00+08:00");
    cJSON_Delete(row);
    /* disable, and the list says so; a disabled person stays listed */
    c = fx_cmd(JH_OP_STAFF_DISABLE);
    strcpy(c.staff_id, "n1");
    fx_ok(fx_send(f, JH_ORIGIN_ADMIN, "admin", &c));
    row = sx_listed(f, "n1");
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(row, "enabled")));
    cJSON_Delete(row);
    /* the store has it after a restart */
    fx_reopen(f);
    row = sx_listed(f, "n1");
    assert_string_equal(js(row, "department"), "导办台");
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(row, "enabled")));
    cJSON_Delete(row);
    fx_free(f);
}

static const char good_csv[] =
    "\xEF\xBB\xBFstaff_id,name,department,roles,counters,services,covers,secret\r\n"
    "# the guide desk\r\n"
    "g7,\"杨, 敏\",导办台,guide,,,,200101\r\n"
    "s1,员工s1改,测试科,staff,c01; c03,A,g7,\r\n"
    "\r\n"
    "p7,赵磊,大厅管理办,supervisor;staff,,,,\r\n";

static void test_import_adds_and_updates(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    jh_command c = admin_csv(good_csv);
    cJSON *r = fx_send(f, JH_ORIGIN_ADMIN, "admin", &c);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")));
    assert_int_equal((int)fx_num(r, "added"), 2);
    assert_int_equal((int)fx_num(r, "updated"), 1);
    cJSON_Delete(r);
    cJSON *row = sx_listed(f, "g7");
    assert_string_equal(js(row, "name"), "杨, 敏");
    assert_string_equal(item(row, "roles", 0), "guide");
    cJSON_Delete(row);
    row = sx_listed(f, "s1");
    assert_string_equal(js(row, "name"), "员工s1改");
    assert_string_equal(item(row, "counters", 1), "c03");
    assert_string_equal(item(row, "covers", 0), "g7");
    cJSON_Delete(row);
    fx_ok(sx_login(f, "c01", "s1", FX_PIN)); /* no secret on the line: the old one stays */
    fx_ok(sx_auth(f, "g7", "200101"));       /* a plaintext one is hashed */
    fx_refused(sx_auth(f, "p7", "anything"), "bad-secret"); /* none yet */
    fx_free(f);
}

static void test_import_bad_line_changes_nothing(void **state)
{
    (void)state;
    static const struct {
        const char *csv;
        int line;
    } bad[] = {
        {"x1,某人,,staff,,,,\nx2,某人,,boss,,,,\n", 2},            /* a role that is none */
        {"x1,某人,,staff,c99,,,\n", 1},                             /* no such counter */
        {"x1,某人,,staff,,ZZ,,\n", 1},                              /* no such service */
        {"staff_id,name\nx1,某人,,staff,,,,\nx1,某人,,,,,,\n", 3},  /* an id twice */
        {"x1,,,staff,,,,\n", 1},                                    /* no name */
        {"x1,某人,,staff,,,nobody,\n", 1},                          /* covers nobody known */
        {"x1,\"某人,,staff,,,,\n", 1},                              /* a quote not closed */
        {"x1,某人,,staff\n", 1},                                    /* too few fields */
        {"x1,某人,,staff,,,,12\n", 1},                              /* a secret too short */
        {"x1,某人,,staff,,,,$argon2id$v=19$m=1048576,t=9,p=1$c2FsdA$aGFzaA\n", 1}, /* too heavy */
        {"x1,某人,,staff,c01;;c03,,,\n", 1},                        /* an empty item */
    };
    fx *f = fx_new(FX_STRICT);
    fx_ok(fx_admin(f, JH_OP_STAFF_LIST)); /* the day's first command rolls the day over */
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *before = sx_snapshot(f->db);
        jh_command c = admin_csv(bad[i].csv);
        cJSON *r = fx_send(f, JH_ORIGIN_ADMIN, "admin", &c);
        if (strcmp(js(r, "error"), "bad-field") != 0 || (int)fx_num(r, "line") != bad[i].line)
            fail_msg("csv %zu: %s %s, want bad-field on line %d", i, js(r, "error"), js(r, "message"),
                     bad[i].line);
        char want[32];
        snprintf(want, sizeof want, "csv line %d", bad[i].line);
        assert_non_null(strstr(js(r, "message"), want));
        cJSON_Delete(r);
        char *after = sx_snapshot(f->db);
        assert_string_equal(before, after);
        free(before);
        free(after);
    }
    fx_free(f);
}

static void test_roster_file_seeds_only_the_new(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    /* an admin renames s1 and changes their secret */
    jh_command c = fx_cmd(JH_OP_STAFF_UPDATE);
    strcpy(c.staff_id, "s1");
    strcpy(c.staff_name, "改过的名字");
    strcpy(c.secret, PIN_A);
    c.staff_fields = JH_SF_NAME | JH_SF_SECRET;
    fx_ok(fx_send(f, JH_ORIGIN_ADMIN, "admin", &c));
    /* the roster file gains a person; the caller restarts */
    FILE *file = fopen(f->roster, "a");
    assert_non_null(file);
    fprintf(file, "s9,新同事,测试科,staff,,,s1,777777\n");
    fclose(file);
    fx_reopen(f);
    jh_outcome out;
    char err[256];
    assert_int_equal(jh_engine_tick(f->e, f->now, &out, err, sizeof err), 0); /* a tick writes it */
    cJSON *row = sx_listed(f, "s1");
    assert_string_equal(js(row, "name"), "改过的名字"); /* not overwritten */
    cJSON_Delete(row);
    fx_ok(sx_auth(f, "s1", PIN_A));
    fx_refused(sx_auth(f, "s1", FX_PIN), "bad-secret");
    fx_ok(sx_auth(f, "s9", "777777"));
    assert_int_equal(sx_sql_number(f->db, "SELECT count(*) FROM staff_audit WHERE op = 'roster-seed'"
                                          " AND target = 's9'"), 1);
    assert_int_equal(sx_sql_number(f->db, "SELECT count(*) FROM staff_audit WHERE op = 'roster-seed'"),
                     14); /* 13 at the first start, s9 now */
    /* a broken roster file stops the engine with its line */
    file = fopen(f->roster, "a");
    fprintf(file, "s10,坏行,,chief,,,,\n");
    fclose(file);
    jh_engine_close(f->e);
    f->e = jh_engine_open(f->cfg, f->db, err, sizeof err);
    assert_null(f->e);
    assert_non_null(strstr(err, "[staff] roster"));
    assert_non_null(strstr(err, "line 16: roles"));
    /* and a missing one too */
    unlink(f->roster);
    f->e = jh_engine_open(f->cfg, f->db, err, sizeof err);
    assert_null(f->e);
    assert_non_null(strstr(err, f->roster));
    fx_write_roster(f->roster);
    fx_open_engine(f);
    fx_free(f);
}

static void test_audit_trail(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char t[16];
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_login(f, "c03", "s1");
    f->now += MIN;
    fx_call_next(f, "c03", t);
    fx_refused(fx_counter(f, "c03", JH_OP_RESUME), "not-paused");
    fx_refused(sx_login(f, "c01", "s2", "000000"), "bad-secret");
    jh_command c = fx_cmd(JH_OP_NOTICE);
    strcpy(c.id, "notice-1");
    strcpy(c.message, "午休时间 12:00-14:00");
    fx_ok(fx_send(f, JH_ORIGIN_ADMIN, "admin", &c));
    /* by staff: their login, what they did at the counter, the refusal */
    c = fx_cmd(JH_OP_AUDIT);
    strcpy(c.staff_id, "s1");
    cJSON *r = fx_send(f, JH_ORIGIN_ADMIN, "admin", &c);
    cJSON *rows = cJSON_GetObjectItem(r, "rows");
    assert_int_equal(cJSON_GetArraySize(rows), 4);
    cJSON *newest = cJSON_GetArrayItem(rows, 0), *call = cJSON_GetArrayItem(rows, 1),
          *login = cJSON_GetArrayItem(rows, 2), *seed = cJSON_GetArrayItem(rows, 3);
    assert_string_equal(js(seed, "op"), "roster-seed"); /* enrolled from the roster file */
    assert_string_equal(js(seed, "device"), "roster");
    assert_string_equal(js(newest, "op"), "resume");
    assert_string_equal(js(newest, "result"), "not-paused");
    assert_string_equal(js(newest, "staff"), "s1");
    assert_string_equal(js(newest, "device"), "c03");
    assert_string_equal(js(call, "op"), "call-next");
    assert_string_equal(js(call, "target"), "A001");
    assert_string_equal(js(call, "result"), "ok");
    assert_string_equal(js(call, "at"), "2026-11-23T09:01:00+08:00");
    assert_string_equal(js(login, "op"), "login");
    assert_string_equal(js(login, "target"), "s1");
    assert_string_equal(js(login, "staff"), ""); /* nobody sat there before */
    assert_string_equal(js(login, "detail"), "secret=given");
    cJSON_Delete(r);
    /* by ticket, by counter, by day, with a limit */
    c = fx_cmd(JH_OP_AUDIT);
    strcpy(c.ticket, "A001");
    r = fx_send(f, JH_ORIGIN_ADMIN, "admin", &c);
    assert_int_equal(n_items(r, "rows"), 1);
    cJSON_Delete(r);
    c = fx_cmd(JH_OP_AUDIT);
    strcpy(c.counter, "c01");
    r = fx_send(f, JH_ORIGIN_ADMIN, "admin", &c);
    assert_int_equal(n_items(r, "rows"), 1);
    assert_string_equal(js(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "rows"), 0), "result"),
                        "bad-secret");
    cJSON_Delete(r);
    c = fx_cmd(JH_OP_AUDIT);
    c.day = 20261123;
    c.limit = 2;
    r = fx_send(f, JH_ORIGIN_ADMIN, "admin", &c);
    assert_int_equal(n_items(r, "rows"), 2);
    assert_string_equal(js(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "rows"), 0), "op"), "audit");
    assert_string_equal(js(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "rows"), 1), "op"), "audit");
    cJSON_Delete(r);
    c = fx_cmd(JH_OP_AUDIT);
    c.day = 20261124;
    r = fx_send(f, JH_ORIGIN_ADMIN, "admin", &c);
    assert_int_equal(n_items(r, "rows"), 0);
    cJSON_Delete(r);
    /* a kiosk's own take is not in it; a resent command leaves no second row */
    assert_int_equal(sx_sql_number(f->db, "SELECT count(*) FROM staff_audit WHERE op = 'take'"), 0);
    long long n = sx_sql_number(f->db, "SELECT count(*) FROM staff_audit");
    c = fx_cmd(JH_OP_NOTICE);
    strcpy(c.id, "notice-1");
    cJSON_Delete(fx_send(f, JH_ORIGIN_ADMIN, "admin", &c));
    assert_true(f->last.duplicate);
    assert_int_equal(sx_sql_number(f->db, "SELECT count(*) FROM staff_audit"), n);
    fx_free(f);
}

/* ---- a hash or a secret never leaves the engine ---- */

static void no_secret_in(const char *where, const char *text)
{
    static const char *const secrets[] = {"$argon2", "argon2id", FX_PIN, PIN_A, "200101", "wrong-one"};
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
        if (text && strstr(text, secrets[i]))
            fail_msg("%s holds '%s': %s", where, secrets[i], text);
}

static void send_and_check(fx *f, jh_origin_kind kind, const char *origin, jh_command *c)
{
    cJSON_Delete(fx_send(f, kind, origin, c));
    no_secret_in(jh_op_name(c->op), f->last.reply);
}

static void test_no_hash_or_secret_leaves(void **state)
{
    (void)state;
    fx *f = fx_new_staff_in("/tmp", FX_STRICT, "max_failures = 2\n");
    jh_outcome out;
    char err[256], t[16];
    jh_command c;
    cJSON_Delete(sx_add(f, "n1", "郑爽", "staff;supervisor", "", "", "", PIN_A));
    no_secret_in("staff-add", f->last.reply);
    c = admin_csv(good_csv);
    send_and_check(f, JH_ORIGIN_ADMIN, "admin", &c);
    c = fx_cmd(JH_OP_STAFF_LIST);
    send_and_check(f, JH_ORIGIN_ADMIN, "admin", &c);
    c = (jh_command){.op = JH_OP_STAFF_AUTH, .staff_id = "n1", .secret = PIN_A};
    send_and_check(f, JH_ORIGIN_ADMIN, "admin", &c);
    c = (jh_command){.op = JH_OP_STAFF_AUTH, .staff_id = "n1", .secret = "wrong-one"};
    send_and_check(f, JH_ORIGIN_ADMIN, "admin", &c);
    c = (jh_command){.op = JH_OP_LOGIN, .staff_id = "n1", .secret = "wrong-one"};
    send_and_check(f, JH_ORIGIN_COUNTER, "c03", &c); /* the second: locked */
    assert_int_equal(jh_engine_tick(f->e, f->now, &out, err, sizeof err), 0);
    c = (jh_command){.op = JH_OP_LOGIN, .staff_id = "s1", .secret = FX_PIN};
    send_and_check(f, JH_ORIGIN_COUNTER, "c03", &c);
    c = (jh_command){.op = JH_OP_STAFF_SET_SECRET, .staff_id = "n1", .secret = "200101"};
    send_and_check(f, JH_ORIGIN_ADMIN, "admin", &c);
    c = (jh_command){.op = JH_OP_STAFF_UPDATE, .staff_id = "s2", .secret = PIN_A,
                     .staff_fields = JH_SF_SECRET};
    send_and_check(f, JH_ORIGIN_ADMIN, "admin", &c);
    fx_take_ok(f, "A", JH_PRIO_NONE, NULL);
    fx_call_next(f, "c03", t);
    c = fx_cmd(JH_OP_AUDIT);
    c.limit = 500;
    send_and_check(f, JH_ORIGIN_ADMIN, "admin", &c);
    cJSON *r = cJSON_Parse(f->last.reply);
    assert_true(n_items(r, "rows") > 8); /* it did read the rows */
    cJSON_Delete(r);
    /* every event in the outbox, every retained state, every audit row */
    jh_event ev;
    int64_t seq = 0, alerts = 0;
    while (jh_engine_outbox_next(f->e, seq, &ev) == 1) {
        no_secret_in(ev.kind, ev.payload);
        alerts += strstr(ev.payload, "staff-locked") != NULL;
        seq = ev.seq;
        jh_event_free(&ev);
    }
    assert_int_equal(alerts, 1);
    for (int i = 0; i < f->cfg->n_counters; i++) {
        char *s = jh_engine_counter_state(f->e, i, f->now);
        no_secret_in("state/counter", s);
        free(s);
    }
    char *h = jh_engine_hall_state(f->e, f->now);
    no_secret_in("state/hall", h);
    free(h);
    assert_int_equal(sx_sql_number(f->db, "SELECT count(*) FROM staff_audit WHERE detail LIKE '%argon2%'"
                                          " OR detail LIKE '%" PIN_A "%' OR detail LIKE '%200101%'"
                                          " OR detail LIKE '%wrong-one%'"), 0);
    fx_free(f);
}

/* ---- the store's version 5 ---- */

static void test_migration_from_version_4_keeps_every_row(void **state)
{
    (void)state;
    fx *f = fx_new(FX_STRICT);
    char t[16];
    for (int i = 0; i < 4; i++)
        fx_take_ok(f, i % 2 ? "B" : "A", i == 3 ? JH_PRIO_ELDERLY : JH_PRIO_NONE, NULL);
    fx_login(f, "c03", "s1");
    fx_login(f, "c02", "s2");
    f->now += 3 * MIN;
    fx_call_next(f, "c03", t);
    fx_call_next(f, "c02", t);
    f->now += 5 * MIN;
    fx_ok(fx_counter(f, "c03", JH_OP_FINISH));
    f->now += 2 * SEC;
    jh_command c = fx_cmd(JH_OP_RATE);
    c.score = 5;
    fx_ok(fx_send(f, JH_ORIGIN_COUNTER, "c03", &c));
    c = fx_cmd(JH_OP_PAUSE);
    strcpy(c.message, "马上回来");
    fx_ok(fx_send(f, JH_ORIGIN_COUNTER, "c03", &c));
    jh_engine_close(f->e);
    /* back to what version 4 wrote: no staff, no audit trail (the rows are taken with
     * the version the migration will write, so that is all that may differ) */
    sx_sql_exec(f->db, "DROP TABLE staff; DROP TABLE staff_audit;");
    char *before = sx_snapshot(f->db);
    sx_sql_exec(f->db, "UPDATE hall SET schema_version = 4;");
    long long commands = sx_sql_number(f->db, "SELECT count(*) FROM commands");
    fx_open_engine(f);
    assert_int_equal(sx_sql_number(f->db, "SELECT schema_version FROM hall"), 5);
    char *after = sx_snapshot(f->db); /* the staff table is new and still empty */
    assert_string_equal(before, after);
    assert_int_equal(sx_sql_number(f->db, "SELECT count(*) FROM commands"), commands);
    assert_int_equal(sx_sql_number(f->db, "SELECT count(*) FROM staff_audit"), 0);
    free(before);
    free(after);
    /* and it works on: the roster is seeded by the next command, which is audited */
    fx_ok(fx_counter(f, "c03", JH_OP_RESUME));
    assert_int_equal(sx_sql_number(f->db, "SELECT count(*) FROM staff"), 13);
    assert_int_equal(sx_sql_number(f->db, "SELECT count(*) FROM staff_audit WHERE op = 'resume'"), 1);
    fx_login(f, "c01", "s3");
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roster_round_trip),
        cmocka_unit_test(test_import_adds_and_updates),
        cmocka_unit_test(test_import_bad_line_changes_nothing),
        cmocka_unit_test(test_roster_file_seeds_only_the_new),
        cmocka_unit_test(test_audit_trail),
        cmocka_unit_test(test_no_hash_or_secret_leaves),
        cmocka_unit_test(test_migration_from_version_4_keeps_every_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
