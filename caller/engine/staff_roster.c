/* SPDX-License-Identifier: MIT */
/*
 * staff_roster — see staff_roster.h. A CSV line is split by staff_csv.c, each
 * field trimmed of the blanks a spreadsheet pads with, then judged here.
 */
#include "staff_roster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"
#include "staff_csv.h"
#include "staff_secret.h"

int jh_roster_list_has(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ';');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        if (l == n && memcmp(p, item, n) == 0)
            return 1;
        p += l + (end ? 1 : 0);
    }
    return 0;
}

/* Calls ok(item) for each item of a ';'-joined list; the first item it refuses names why. */
typedef int (*item_fn)(const void *ctx, const char *item);

static int each_item(const char *list, item_fn ok, const void *ctx, const char *what, char *why,
                     size_t whylen)
{
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ';');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        char item[JH_ID_LEN];
        snprintf(item, sizeof item, "%.*s", (int)(l < sizeof item ? l : sizeof item - 1), p);
        if (l == 0 || l >= sizeof item || !ok(ctx, item)) {
            snprintf(why, whylen, "%s: '%.40s' is not one the hall knows", what, item);
            return -1;
        }
        p += l + (end ? 1 : 0);
    }
    return 0;
}

static int counter_known(const void *cfg, const char *id)
{
    return jh_config_counter_index(cfg, id) >= 0;
}

static int service_known(const void *cfg, const char *code)
{
    return jh_config_service_index(cfg, code) >= 0;
}

static int other_staff(const void *self, const char *id)
{
    return jh_valid_id(id) && strcmp(id, self) != 0;
}

int jh_roster_check_counters(const jh_hall_config *cfg, const char *list, char *why, size_t whylen)
{
    return each_item(list, counter_known, cfg, "counters", why, whylen);
}

int jh_roster_check_services(const jh_hall_config *cfg, const char *list, char *why, size_t whylen)
{
    return each_item(list, service_known, cfg, "services", why, whylen);
}

int jh_roster_check_covers(const char *self, const char *list, char *why, size_t whylen)
{
    if (each_item(list, other_staff, self, "covers", why, whylen) < 0) {
        snprintf(why, whylen, "covers: want the staff ids of others");
        return -1;
    }
    return 0;
}

/* One line of text for `what`: at most JH_TEXT_LEN - 1 bytes, no control character. */
static int check_line(const char *what, const char *s, int required, char *why, size_t whylen)
{
    size_t n = strlen(s);
    if ((required && n == 0) || n >= JH_TEXT_LEN) {
        snprintf(why, whylen, "%s: %d to %d bytes", what, required, JH_TEXT_LEN - 1);
        return -1;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            snprintf(why, whylen, "%s: no control characters", what);
            return -1;
        }
    }
    return 0;
}

int jh_roster_check_name(const char *name, char *why, size_t whylen)
{
    return check_line("name", name, 1, why, whylen);
}

/* ---- one CSV line ---- */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* "c01; c02" → "c01;c02" in dst[cap]: items trimmed, each an id, none empty or twice. */
static int csv_list(const char *what, char *field, char *dst, size_t cap, char *why, size_t whylen)
{
    size_t used = 0, semis = 0, items = 1;
    dst[0] = '\0';
    if (!*trim(field))
        return 0;
    for (const char *p = field; *p; p++)
        semis += *p == ';'; /* counted before strtok_r, which skips empty items, cuts them */
    for (char *save = NULL, *tok = strtok_r(field, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        char *item = trim(tok);
        if (!jh_valid_id(item) || jh_roster_list_has(dst, item)) {
            snprintf(why, whylen, "%s: '%.40s' is not an id, or given twice", what, item);
            return -1;
        }
        int w = snprintf(dst + used, cap - used, "%s%s", used ? ";" : "", item);
        if (w < 0 || (size_t)w >= cap - used) {
            snprintf(why, whylen, "%s: too many", what);
            return -1;
        }
        used += (size_t)w;
    }
    for (const char *p = dst; *p; p++)
        items += *p == ';';
    if (semis + 1 != items) {
        snprintf(why, whylen, "%s: an empty item", what);
        return -1;
    }
    return 0;
}

static int csv_secret(char *field, char *dst, size_t cap, char *why, size_t whylen)
{
    const char *v = trim(field);
    dst[0] = '\0';
    if (!*v)
        return 0;
    int hash = strncmp(v, "$argon2", 7) == 0;
    if (hash ? jh_staff_hash_check(v, why, whylen) < 0 : jh_staff_secret_check(v, why, whylen) < 0)
        return -1;
    if (strlen(v) >= cap) {
        snprintf(why, whylen, "secret too long");
        return -1;
    }
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

/* fields → entry; why says which column failed. */
static int csv_entry(const jh_hall_config *cfg, char (*f)[JH_CSV_FIELD_LEN], int n,
                     jh_roster_entry *e, char *why, size_t whylen)
{
    jh_staff_row *r = &e->row;
    char roles[JH_CSV_FIELD_LEN];
    if (n < JH_ROSTER_COLUMNS - 1 || n > JH_ROSTER_COLUMNS) {
        snprintf(why, whylen, "%d fields, want staff_id,name,department,roles,counters,services,"
                 "covers,secret", n);
        return -1;
    }
    const char *id = trim(f[0]), *name = trim(f[1]), *dept = trim(f[2]);
    if (!jh_valid_id(id)) {
        snprintf(why, whylen, "staff_id: '%.40s': want 1-31 of a-z A-Z 0-9 -", id);
        return -1;
    }
    if (jh_roster_check_name(name, why, whylen) < 0 || check_line("department", dept, 0, why, whylen) < 0)
        return -1;
    snprintf(r->staff_id, sizeof r->staff_id, "%s", id);
    snprintf(r->name, sizeof r->name, "%s", name);
    snprintf(r->department, sizeof r->department, "%s", dept);
    if (csv_list("roles", f[3], roles, sizeof roles, why, whylen) < 0)
        return -1;
    if (jh_roles_parse(roles, &r->roles) < 0) {
        snprintf(why, whylen, "roles: '%.60s': want staff, guide, supervisor, admin", roles);
        return -1;
    }
    if (!r->roles)
        r->roles = JH_ROLE_STAFF;
    if (csv_list("counters", f[4], r->counters, sizeof r->counters, why, whylen) < 0 ||
        jh_roster_check_counters(cfg, r->counters, why, whylen) < 0 ||
        csv_list("services", f[5], r->services, sizeof r->services, why, whylen) < 0 ||
        jh_roster_check_services(cfg, r->services, why, whylen) < 0 ||
        csv_list("covers", f[6], r->covers, sizeof r->covers, why, whylen) < 0 ||
        jh_roster_check_covers(r->staff_id, r->covers, why, whylen) < 0)
        return -1;
    r->enabled = 1;
    return n == JH_ROSTER_COLUMNS ? csv_secret(f[7], e->secret, sizeof e->secret, why, whylen) : 0;
}

static int is_header(char (*f)[JH_CSV_FIELD_LEN], int n)
{
    return n >= 1 && strcmp(trim(f[0]), "staff_id") == 0;
}

static int duplicate(const jh_roster_entry *e, int n, const char *id)
{
    for (int i = 0; i < n; i++)
        if (strcmp(e[i].row.staff_id, id) == 0)
            return e[i].line;
    return 0;
}

/* Grows *v to hold one more entry. */
static int grow(jh_roster_entry **v, int n, int *cap)
{
    if (n < *cap)
        return 0;
    int want = *cap ? *cap * 2 : 16;
    jh_roster_entry *g = realloc(*v, (size_t)want * sizeof **v);
    if (!g)
        return -1;
    *v = g;
    *cap = want;
    return 0;
}

static int parse_lines(const jh_hall_config *cfg, jh_csv *c, char (*f)[JH_CSV_FIELD_LEN],
                       jh_roster_entry **v, int *n, int *line, char *why, size_t whylen)
{
    int nf, cap = 0, rc, first = 1;
    while ((rc = jh_csv_next(c, f, JH_ROSTER_COLUMNS, &nf, line, why, whylen)) == 1) {
        if (first && (first = 0, is_header(f, nf)))
            continue;
        if (*n == JH_ROSTER_MAX_ROWS) {
            snprintf(why, whylen, "more than %d staff", JH_ROSTER_MAX_ROWS);
            return -1;
        }
        if (grow(v, *n, &cap) < 0) {
            snprintf(why, whylen, "out of memory");
            return -1;
        }
        jh_roster_entry *e = &(*v)[*n];
        memset(e, 0, sizeof *e);
        e->line = *line;
        if (csv_entry(cfg, f, nf, e, why, whylen) < 0)
            return -1;
        int before = duplicate(*v, *n, e->row.staff_id);
        if (before) {
            snprintf(why, whylen, "staff_id %s is also on line %d", e->row.staff_id, before);
            return -1;
        }
        (*n)++;
    }
    return rc;
}

int jh_roster_parse(const jh_hall_config *cfg, const char *text, size_t len,
                    jh_roster_entry **out, int *n, int *line_at, char *err, size_t errlen)
{
    jh_csv c;
    char why[200] = "";
    char(*f)[JH_CSV_FIELD_LEN] = malloc(JH_ROSTER_COLUMNS * sizeof *f);
    *out = NULL;
    *n = 0;
    *line_at = 0;
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    jh_csv_init(&c, text, len);
    int line = 0;
    int rc = parse_lines(cfg, &c, f, out, n, &line, why, sizeof why);
    free(f);
    if (rc < 0) {
        snprintf(err, errlen, "line %d: %s", line, why);
        *line_at = line;
        free(*out);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}
