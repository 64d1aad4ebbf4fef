/* SPDX-License-Identifier: MIT */
/*
 * fuzz_staff_csv — libFuzzer target for the roster CSV reader (caller/engine:
 * staff_csv.c, staff_roster.c): what [staff] roster and the admin op
 * staff-import read.
 *
 * Feeds arbitrary bytes, from an exact-size heap copy (a read past the end is
 * caught by ASan), to the record splitter and to the whole roster reader
 * against a small hall. Beyond "no crash, no sanitizer report" it checks what
 * the engine relies on: every field is NUL-terminated within its size; a
 * refusal names a line ("line N: …", one line, N > 0) and hands back no rows;
 * an accepted roster has only ids, names and role bits that are valid,
 * counters and services the hall has, no staff id twice, lines in order, and
 * each secret column empty, a hash the engine accepts, or a usable secret.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"
#include "hall_config.h"
#include "protocol.h"
#include "staff_csv.h"
#include "staff_roster.h"
#include "staff_secret.h"

static const char hall_ini[] =
    "[hall]\nsite = f\nname_zh = 厅\nname_en = Hall\ntimezone = UTC\n"
    "[broker]\nhost = 127.0.0.1\n"
    "[service A]\nname_zh = 甲\nname_en = A\nnumbers = 1-999\nhours = mon-sun 07:00-24:00\n"
    "target_minutes = 10\n"
    "[service QY]\nname_zh = 乙\nname_en = QY\nnumbers = 1-999\nhours = mon-sun 07:00-24:00\n"
    "target_minutes = 10\n"
    "[counter c01]\nnumber = 1\nname_zh = 1\nname_en = 1\nservices = A\n"
    "[counter c02]\nnumber = 2\nname_zh = 2\nname_en = 2\nservices = A, QY\n";

static void check_records(const char *text, size_t len)
{
    static char fields[JH_ROSTER_COLUMNS][JH_CSV_FIELD_LEN];
    char why[200];
    jh_csv c;
    int n, line, last = 0, rc;
    jh_csv_init(&c, text, len);
    while ((rc = jh_csv_next(&c, fields, JH_ROSTER_COLUMNS, &n, &line, why, sizeof why)) == 1) {
        if (n < 1 || n > JH_ROSTER_COLUMNS || line <= last)
            abort();
        for (int i = 0; i < n; i++)
            if (!memchr(fields[i], 0, JH_CSV_FIELD_LEN))
                abort();
        last = line;
    }
    if (rc < 0 && (line < 1 || !memchr(why, 0, sizeof why)))
        abort();
}

static void check_list(const jh_hall_config *cfg, const char *list, int counters)
{
    char why[160];
    if (!memchr(list, 0, JH_LONG_TEXT_LEN))
        abort();
    if (counters == 1 && jh_roster_check_counters(cfg, list, why, sizeof why) != 0)
        abort();
    if (counters == 0 && jh_roster_check_services(cfg, list, why, sizeof why) != 0)
        abort();
}

static void check_entry(const jh_hall_config *cfg, const jh_roster_entry *v, int i)
{
    const jh_roster_entry *e = &v[i];
    char why[200];
    if (!jh_valid_id(e->row.staff_id) || jh_roster_check_name(e->row.name, why, sizeof why) != 0 ||
        !memchr(e->row.department, 0, sizeof e->row.department) || !e->row.roles ||
        (e->row.roles & ~JH_ROLES_ALL) || !e->row.enabled || e->line < 1 ||
        (i > 0 && e->line <= v[i - 1].line))
        abort();
    check_list(cfg, e->row.counters, 1);
    check_list(cfg, e->row.services, 0);
    if (jh_roster_check_covers(e->row.staff_id, e->row.covers, why, sizeof why) != 0)
        abort();
    const char *s = e->secret;
    if (s[0] && (strncmp(s, "$argon2", 7) == 0 ? jh_staff_hash_check(s, why, sizeof why)
                                               : jh_staff_secret_check(s, why, sizeof why)) != 0)
        abort();
    for (int j = 0; j < i; j++)
        if (strcmp(v[j].row.staff_id, e->row.staff_id) == 0)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static jh_hall_config *cfg;
    char err[512];
    if (!cfg) {
        cfg = calloc(1, sizeof *cfg);
        if (!cfg || jh_config_parse(cfg, hall_ini, sizeof hall_ini - 1, "f.ini", err, sizeof err) != 0)
            abort();
    }
    char *copy = malloc(size ? size : 1);
    if (!copy)
        abort();
    memcpy(copy, data, size);
    check_records(copy, size);
    jh_roster_entry *v;
    int n, line;
    err[0] = '\0';
    if (jh_roster_parse(cfg, copy, size, &v, &n, &line, err, sizeof err) == 0) {
        if (n < 0 || n > JH_ROSTER_MAX_ROWS || (n > 0 && !v))
            abort();
        for (int i = 0; i < n; i++)
            check_entry(cfg, v, i);
        free(v);
    } else if (v || n != 0 || strchr(err, '\n') || (line > 0 && strncmp(err, "line ", 5) != 0)) {
        abort();
    }
    free(copy);
    return 0;
}
