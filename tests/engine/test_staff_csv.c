/* SPDX-License-Identifier: MIT */
/*
 * test_staff_csv — the roster CSV, as a spreadsheet writes it and as a person
 * gets it wrong (caller/engine/staff_csv.c, staff_roster.c), and the secret
 * rules (staff_secret.c).
 *
 * The record splitter: quotes, "" inside them, a BOM, CRLF, comments and
 * blank lines, the last column taking the rest of the line (an argon2id hash
 * holds commas), every refusal with its line. The roster reader: each column's
 * rule against a hall, a header, duplicates, the example hall's demo roster
 * (assets/staff.csv) read against assets/hall.ini. Secrets: a hash verifies
 * its secret and no other, an imported hash heavier than the loop can afford
 * is refused, one made with other parameters asks to be rehashed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "hall_config.h"
#include "staff_csv.h"
#include "staff_roster.h"
#include "staff_secret.h"

static char fields[JH_ROSTER_COLUMNS][JH_CSV_FIELD_LEN];

/* The next record of c: its field count (0 at the end, -1 refused). */
static int next(jh_csv *c, int *line, char *why)
{
    int n;
    int rc = jh_csv_next(c, fields, JH_ROSTER_COLUMNS, &n, line, why, 200);
    return rc == 1 ? n : rc;
}

static void test_records(void **state)
{
    (void)state;
    static const char text[] = "\xEF\xBB\xBF# a comment\r\n"
                               "a,\"b, c\",\"say \"\"hi\"\"\",,e\r\n"
                               "\r\n"
                               "   \n"
                               "x,y,z,w,v,u,t,$argon2id$v=19$m=2048,t=3,p=1$salt$hash\n"
                               "last";
    jh_csv c;
    char why[200];
    int line;
    jh_csv_init(&c, text, strlen(text));
    assert_int_equal(next(&c, &line, why), 5);
    assert_int_equal(line, 2);
    assert_string_equal(fields[0], "a");
    assert_string_equal(fields[1], "b, c");
    assert_string_equal(fields[2], "say \"hi\"");
    assert_string_equal(fields[3], "");
    assert_string_equal(fields[4], "e");
    assert_int_equal(next(&c, &line, why), 8);
    assert_int_equal(line, 5);
    assert_string_equal(fields[7], "$argon2id$v=19$m=2048,t=3,p=1$salt$hash");
    assert_int_equal(next(&c, &line, why), 1); /* no newline at the end */
    assert_string_equal(fields[0], "last");
    assert_int_equal(next(&c, &line, why), 0);
}

static void test_record_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int line;
        const char *why;
    } bad[] = {
        {"ok\n\"open,b\n", 2, "does not close"},
        {"a,\"b\"c\n", 1, "after the closing quote"},
        {"a,b\"c\n", 1, "quote inside"},
        {"a,b\x01,c\n", 1, "control character"},
        {"a,\xff\xfe\n", 1, "not UTF-8"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        jh_csv c;
        char why[200] = "";
        int line = 0, rc;
        jh_csv_init(&c, bad[i].text, strlen(bad[i].text));
        while ((rc = next(&c, &line, why)) > 0)
            ;
        assert_int_equal(rc, -1);
        assert_int_equal(line, bad[i].line);
        if (!strstr(why, bad[i].why))
            fail_msg("%zu: '%s', want '%s'", i, why, bad[i].why);
    }
    /* a NUL byte inside the text */
    jh_csv c;
    char why[200], nul[] = "a,b\0c\n";
    int line;
    jh_csv_init(&c, nul, sizeof nul - 1);
    assert_int_equal(next(&c, &line, why), -1);
    assert_non_null(strstr(why, "NUL"));
    /* a field too long for its place */
    char *big = malloc(JH_CSV_FIELD_LEN + 8);
    memset(big, 'x', JH_CSV_FIELD_LEN + 4);
    big[JH_CSV_FIELD_LEN + 4] = '\0';
    jh_csv_init(&c, big, strlen(big));
    assert_int_equal(next(&c, &line, why), -1);
    assert_non_null(strstr(why, "longer than"));
    free(big);
}

/* ---- the roster reader ---- */

static const char hall_ini[] =
    "[hall]\nsite = t\nname_zh = 厅\nname_en = Hall\ntimezone = UTC\n"
    "[broker]\nhost = 127.0.0.1\n"
    "[service A]\nname_zh = 甲\nname_en = A\nnumbers = 1-999\nhours = mon-sun 07:00-24:00\n"
    "target_minutes = 10\n"
    "[service B]\nname_zh = 乙\nname_en = B\nnumbers = 1-999\nhours = mon-sun 07:00-24:00\n"
    "target_minutes = 10\n"
    "[counter c01]\nnumber = 1\nname_zh = 1\nname_en = 1\nservices = A\n"
    "[counter c02]\nnumber = 2\nname_zh = 2\nname_en = 2\nservices = B\n";

static jh_hall_config *hall(void)
{
    static jh_hall_config *cfg;
    char err[256];
    if (!cfg) {
        cfg = calloc(1, sizeof *cfg);
        assert_non_null(cfg);
        if (jh_config_parse(cfg, hall_ini, strlen(hall_ini), "t.ini", err, sizeof err) != 0)
            fail_msg("%s", err);
    }
    return cfg;
}

static void test_roster_columns(void **state)
{
    (void)state;
    static const char text[] = "staff_id,name,department,roles,counters,services,covers,secret\n"
                               " 1001 , 王芳 ,社保科, staff ; supervisor ,c01; c02,A,1002,100101\n"
                               "1002,李娜,,,,,,\n"
                               "1003,张伟,医保科,guide,,B,,\"pass, word\"\n";
    jh_roster_entry *v;
    int n, line;
    char err[256];
    if (jh_roster_parse(hall(), text, strlen(text), &v, &n, &line, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(n, 3);
    assert_string_equal(v[0].row.staff_id, "1001");
    assert_string_equal(v[0].row.name, "王芳");
    assert_string_equal(v[0].row.department, "社保科");
    assert_int_equal(v[0].row.roles, JH_ROLE_STAFF | JH_ROLE_SUPERVISOR);
    assert_string_equal(v[0].row.counters, "c01;c02");
    assert_string_equal(v[0].row.services, "A");
    assert_string_equal(v[0].row.covers, "1002");
    assert_string_equal(v[0].secret, "100101");
    assert_int_equal(v[0].line, 2);
    assert_int_equal(v[1].row.roles, JH_ROLE_STAFF); /* empty roles: staff */
    assert_string_equal(v[1].secret, "");
    assert_int_equal(v[2].row.roles, JH_ROLE_GUIDE);
    assert_string_equal(v[2].secret, "pass, word");
    assert_int_equal(v[0].row.enabled, 1);
    free(v);
}

static void test_roster_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *text, *why;
    } bad[] = {
        {"a1,x,,staff,c09,,,\n", "counters"},
        {"a1,x,,staff,,Z,,\n", "services"},
        {"a1,x,,chief,,,,\n", "roles"},
        {"a1,x,,staff;,,,,\n", "roles"},
        {"a1,,,staff,,,,\n", "name"},
        {"a 1,x,,staff,,,,\n", "staff_id"},
        {"a1,x,,staff,,,a1,\n", "covers"},
        {"a1,x,,staff,,,,abc\n", "secret"},
        {"a1,x,,staff,,,,$argon2i$v=19$m=4096,t=3,p=1$c2FsdA$aGFzaA\n", "argon2id"},
        {"a1,x,,staff,,,,$argon2id$v=19$m=262144,t=3,p=1$c2FsdA$aGFzaA\n", "heavier"},
        {"a1,x\n", "fields"},
        {"a1,x,,staff,c01;c01,,,\n", "twice"},
        {"a1,x,,,,,,\nb1,y,,,,,,\na1,z,,,,,,\n", "also on line 1"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        jh_roster_entry *v = (void *)1;
        int n = -1, line;
        char err[256];
        assert_int_equal(jh_roster_parse(hall(), bad[i].text, strlen(bad[i].text), &v, &n, &line, err,
                                         sizeof err), -1);
        assert_null(v);
        assert_int_equal(n, 0);
        assert_true(line > 0);
        if (!strstr(err, bad[i].why) || strncmp(err, "line ", 5) != 0)
            fail_msg("%zu: '%s', want '%s'", i, err, bad[i].why);
    }
}

/* The example hall's demo roster, as a hall that enables it would read it. */
static void test_demo_roster(void **state)
{
    (void)state;
    const char *src = getenv("JH_SOURCE_DIR");
    char path[512], err[512];
    size_t len;
    jh_hall_config *cfg = calloc(1, sizeof *cfg);
    assert_non_null(cfg);
    snprintf(path, sizeof path, "%s/assets/hall.ini", src ? src : ".");
    if (jh_config_load(cfg, path, err, sizeof err) != 0)
        fail_msg("%s", err);
    snprintf(path, sizeof path, "%s/assets/staff.csv", src ? src : ".");
    char *text = jh_config_read_file(path, &len, err, sizeof err);
    assert_non_null(text);
    jh_roster_entry *v;
    int n, line;
    if (jh_roster_parse(cfg, text, len, &v, &n, &line, err, sizeof err) != 0)
        fail_msg("assets/staff.csv: %s", err);
    unsigned roles = 0;
    int ab = 0, hashes = 0;
    for (int i = 0; i < n; i++) {
        roles |= v[i].row.roles;
        ab += v[i].row.covers[0] != '\0';
        hashes += strncmp(v[i].secret, "$argon2id$", 10) == 0;
        assert_true(v[i].secret[0] != '\0'); /* everyone can log in */
    }
    assert_int_equal(roles, JH_ROLES_ALL); /* a guide, a supervisor, an admin, staff */
    assert_true(ab >= 2);
    assert_int_equal(hashes, 1);
    free(v);
    free(text);
    free(cfg);
}

/* ---- secrets ---- */

static void test_secrets(void **state)
{
    (void)state;
    char hash[JH_STAFF_HASH_LEN], why[200];
    assert_int_equal(jh_staff_secret_init(), 0);
    assert_int_equal(jh_staff_secret_hash("482901", hash, sizeof hash, why, sizeof why), 0);
    assert_int_equal(strncmp(hash, "$argon2id$v=19$m=2048,t=3,p=1$", 30), 0);
    assert_int_equal(jh_staff_hash_check(hash, why, sizeof why), 0);
    assert_int_equal(jh_staff_secret_verify(hash, "482901"), 1);
    assert_int_equal(jh_staff_secret_verify(hash, "482902"), 0);
    assert_int_equal(jh_staff_secret_verify("", "482901"), 0);
    assert_int_equal(jh_staff_secret_needs_rehash(hash), 0);
    /* two hashes of one secret differ (salted) */
    char again[JH_STAFF_HASH_LEN];
    assert_int_equal(jh_staff_secret_hash("482901", again, sizeof again, why, sizeof why), 0);
    assert_string_not_equal(hash, again);
    /* a lighter hash from elsewhere verifies, and asks to be made again */
    char light[crypto_pwhash_STRBYTES];
    assert_int_equal(crypto_pwhash_str(light, "482901", 6, 1, 8192), 0);
    assert_int_equal(jh_staff_secret_verify(light, "482901"), 1);
    assert_int_equal(jh_staff_secret_needs_rehash(light), 1);
    /* one heavier than the loop affords is refused unverified */
    char heavy[crypto_pwhash_STRBYTES];
    assert_int_equal(crypto_pwhash_str(heavy, "482901", 6, 5, 1u << 20), 0); /* t=5 */
    assert_int_equal(jh_staff_hash_check(heavy, why, sizeof why), -1);
    assert_int_equal(jh_staff_secret_verify(heavy, "482901"), 0);
    /* what a secret may be */
    assert_int_equal(jh_staff_secret_check("123", why, sizeof why), -1);
    assert_int_equal(jh_staff_secret_check("1234", why, sizeof why), 0);
    assert_int_equal(jh_staff_secret_check("tab\there", why, sizeof why), -1);
    assert_int_equal(jh_staff_secret_check("密码口令", why, sizeof why), 0);
    assert_int_equal(jh_staff_secret_check("\xff\xfe\xfd\xfc", why, sizeof why), -1);
    char longest[JH_STAFF_SECRET_MAX + 2];
    memset(longest, 'p', sizeof longest);
    longest[JH_STAFF_SECRET_MAX] = '\0';
    assert_int_equal(jh_staff_secret_check(longest, why, sizeof why), 0);
    longest[JH_STAFF_SECRET_MAX] = 'p';
    longest[JH_STAFF_SECRET_MAX + 1] = '\0';
    assert_int_equal(jh_staff_secret_check(longest, why, sizeof why), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_record_refusals),
        cmocka_unit_test(test_roster_columns),
        cmocka_unit_test(test_roster_refusals),
        cmocka_unit_test(test_demo_roster),
        cmocka_unit_test(test_secrets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
