/* SPDX-License-Identifier: MIT */
/*
 * engine_roster — the staff roster's admin ops, and seeding it at start.
 *
 * Owns: staff-auth (the console's sign-in), staff-list, staff-add,
 * staff-update, staff-disable, staff-set-secret and staff-import, each one
 * durable command like any other; the roster as JSON (a hash never leaves
 * the engine: replies say has_secret); and the [staff] roster file, whose
 * rows the store does not have yet are read, checked and hashed at open and
 * written by the first command or tick (with its time), so what admins
 * changed since is never overwritten. Hashing a plaintext secret costs
 * about one verify (staff_secret.h), so an import of n plaintext secrets
 * holds the loop n times that: ship hashes (jiaohao-caller staff-hash) for
 * a large roster.
 */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall_config.h"

/* ---------- the roster as JSON ---------- */

/* "a;b" → ["a","b"] under key. */
static int add_list(cJSON *o, const char *key, const char *list)
{
    cJSON *a = cJSON_AddArrayToObject(o, key);
    if (!a)
        return -1;
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ';');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        char item[JH_ID_LEN];
        snprintf(item, sizeof item, "%.*s", (int)(l < sizeof item ? l : sizeof item - 1), p);
        if (!cJSON_AddItemToArray(a, cJSON_CreateString(item)))
            return -1;
        p += l + (end ? 1 : 0);
    }
    return 0;
}

/* Who the person is, as a console shows them (staff-auth's reply). */
static int add_identity(cJSON *o, const jh_staff_row *s)
{
    char roles[64];
    jh_roles_text(s->roles, roles, sizeof roles);
    int ok = cJSON_AddStringToObject(o, JH_KEY_STAFF_ID, s->staff_id) &&
             cJSON_AddStringToObject(o, JH_KEY_NAME, s->name) &&
             cJSON_AddStringToObject(o, JH_KEY_DEPARTMENT, s->department) &&
             cJSON_AddStringToObject(o, JH_KEY_PHOTO, s->photo);
    return ok && add_list(o, JH_KEY_ROLES, roles) == 0 && add_list(o, JH_KEY_COUNTERS, s->counters) == 0 &&
                   add_list(o, JH_KEY_SERVICES, s->services) == 0 &&
                   add_list(o, JH_KEY_COVERS, s->covers) == 0
               ? 0
               : -1;
}

static int add_time(cJSON *o, const char *key, int64_t ms)
{
    char at[JH_TIME_LEN];
    eng_time(ms, at);
    return (at[0] ? cJSON_AddStringToObject(o, key, at) : cJSON_AddNullToObject(o, key)) ? 0 : -1;
}

/* Everything an admin sees of a row: identity, state, times; never the hash. */
static int add_row(cJSON *o, const jh_staff_row *s, int64_t now)
{
    int64_t locked = s->locked_until > now ? s->locked_until : 0;
    if (add_identity(o, s) < 0 || !cJSON_AddBoolToObject(o, JH_KEY_ENABLED, s->enabled) ||
        !cJSON_AddBoolToObject(o, JH_KEY_HAS_SECRET, s->secret_hash[0] != '\0') ||
        !cJSON_AddNumberToObject(o, JH_KEY_FAILURES, s->failures))
        return -1;
    return add_time(o, JH_KEY_LOCKED_UNTIL, locked) < 0 || add_time(o, JH_KEY_CREATED_AT, s->created_at) < 0 ||
                   add_time(o, JH_KEY_UPDATED_AT, s->updated_at) < 0
               ? -1
               : 0;
}

/* ---------- checks shared by add, update and import ---------- */

/* The covers list names staff the store has (or that `also` holds). 1, 0 refused, -1. */
static int covers_exist(eng_op *x, const char *covers, const jh_roster_entry *also, int n_also,
                        char *why, size_t whylen)
{
    jh_staff_row other;
    for (const char *p = covers; *p;) {
        const char *end = strchr(p, ';');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        char id[JH_ID_LEN];
        snprintf(id, sizeof id, "%.*s", (int)(l < sizeof id ? l : sizeof id - 1), p);
        int found = 0;
        for (int i = 0; i < n_also && !found; i++)
            found = strcmp(also[i].row.staff_id, id) == 0;
        int rc = found ? 1 : jh_store_staff_get(x->st, id, &other);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            snprintf(why, whylen, "covers: no staff %s in the roster", id);
            return 0;
        }
        p += l + (end ? 1 : 0);
    }
    return 1;
}

/* The lists of a staff-add/-update against the hall; 1 go on, 0 refused (bad-field), -1. */
static int check_fields(eng_op *x, const char *staff_id)
{
    const jh_command *c = x->cmd;
    char why[160] = "";
    int bad = ((c->staff_fields & JH_SF_NAME) && jh_roster_check_name(c->staff_name, why, sizeof why) < 0) ||
              jh_roster_check_counters(x->cfg, c->counters, why, sizeof why) < 0 ||
              jh_roster_check_services(x->cfg, c->services, why, sizeof why) < 0 ||
              jh_roster_check_covers(staff_id, c->covers, why, sizeof why) < 0 ||
              ((c->staff_fields & JH_SF_SECRET) && jh_staff_secret_check(c->secret, why, sizeof why) < 0);
    if (bad)
        return eng_refuse(x, "bad-field", "%s", why);
    int rc = covers_exist(x, c->covers, NULL, 0, why, sizeof why);
    if (rc == 0)
        return eng_refuse(x, "bad-field", "%s", why);
    return rc;
}

/* The fields the command carries, onto row s. */
static int apply_fields(eng_op *x, jh_staff_row *s)
{
    const jh_command *c = x->cmd;
    unsigned f = c->staff_fields;
    char err[128];
    if (f & JH_SF_NAME)
        snprintf(s->name, sizeof s->name, "%s", c->staff_name);
    if (f & JH_SF_DEPARTMENT)
        snprintf(s->department, sizeof s->department, "%s", c->department);
    if (f & JH_SF_PHOTO)
        snprintf(s->photo, sizeof s->photo, "%s", c->photo);
    if ((f & JH_SF_ROLES) && jh_roles_parse(c->roles, &s->roles) < 0)
        return eng_refuse(x, "bad-field", "roles: want staff, guide, supervisor, admin");
    if (f & JH_SF_COUNTERS)
        snprintf(s->counters, sizeof s->counters, "%s", c->counters);
    if (f & JH_SF_SERVICES)
        snprintf(s->services, sizeof s->services, "%s", c->services);
    if (f & JH_SF_COVERS)
        snprintf(s->covers, sizeof s->covers, "%s", c->covers);
    if (f & JH_SF_ENABLED)
        s->enabled = c->enabled;
    if (f & JH_SF_SECRET) {
        if (jh_staff_secret_hash(c->secret, s->secret_hash, sizeof s->secret_hash, err, sizeof err) < 0)
            return eng_refuse(x, "bad-field", "%s", err);
        s->failures = 0;
        s->locked_until = 0;
    }
    s->updated_at = x->now;
    return 1;
}

/* The row named by the command, which must exist. 1, 0 refused unknown-staff, -1. */
static int load_row(eng_op *x, jh_staff_row *s)
{
    int rc = jh_store_staff_get(x->st, x->cmd->staff_id, s);
    if (rc == 0)
        eng_refuse(x, "unknown-staff", "no staff %s in the roster", x->cmd->staff_id);
    return rc;
}

/* Stores s, renames the person on the counters where they sit, replies with the row. */
static int save_row(eng_op *x, const jh_staff_row *s, int new_row)
{
    if ((new_row ? jh_store_staff_insert(x->st, s) : jh_store_staff_put(x->st, s)) < 0)
        return -1;
    if (!new_row && (x->cmd->staff_fields & JH_SF_NAME)) {
        if (jh_store_counter_rename_staff(x->st, s->staff_id, s->name) < 0)
            return -1;
        eng_mark_all(x->cfg, x->out); /* which counters: cheaper to republish than to look */
    }
    return add_row(x->reply, s, x->now);
}

/* ---------- the ops ---------- */

int eng_op_staff_auth(eng_op *x)
{
    jh_staff_row s;
    int rc = eng_staff_authenticate(x, &s);
    return rc <= 0 ? rc : add_identity(x->reply, &s);
}

static int list_one(void *ctx, const jh_staff_row *s)
{
    eng_op *x = ctx;
    cJSON *o = cJSON_CreateObject();
    cJSON *list = cJSON_GetObjectItemCaseSensitive(x->reply, JH_KEY_STAFF);
    if (!o || !cJSON_AddItemToArray(list, o))
        return -1;
    return add_row(o, s, x->now);
}

int eng_op_staff_list(eng_op *x)
{
    if (!cJSON_AddArrayToObject(x->reply, JH_KEY_STAFF))
        return -1;
    return jh_store_staff_each(x->st, list_one, x);
}

int eng_op_staff_add(eng_op *x)
{
    jh_staff_row s;
    int rc = jh_store_staff_get(x->st, x->cmd->staff_id, &s);
    if (rc != 0)
        return rc < 0 ? -1 : eng_refuse(x, "staff-exists", "staff %s is already in the roster",
                                        x->cmd->staff_id);
    memset(&s, 0, sizeof s);
    snprintf(s.staff_id, sizeof s.staff_id, "%s", x->cmd->staff_id);
    s.roles = JH_ROLE_STAFF; /* unless the command says otherwise */
    s.enabled = 1;
    s.created_at = x->now;
    rc = check_fields(x, s.staff_id);
    if (rc > 0)
        rc = apply_fields(x, &s);
    return rc <= 0 ? rc : save_row(x, &s, 1);
}

int eng_op_staff_update(eng_op *x)
{
    jh_staff_row s;
    int rc = load_row(x, &s);
    if (rc > 0)
        rc = check_fields(x, s.staff_id);
    if (rc > 0)
        rc = apply_fields(x, &s);
    return rc <= 0 ? rc : save_row(x, &s, 0);
}

int eng_op_staff_disable(eng_op *x)
{
    jh_staff_row s;
    int rc = load_row(x, &s);
    if (rc <= 0)
        return rc;
    s.enabled = 0;
    s.updated_at = x->now;
    return jh_store_staff_put(x->st, &s) < 0 ? -1 : add_row(x->reply, &s, x->now);
}

int eng_op_staff_set_secret(eng_op *x)
{
    jh_staff_row s;
    char why[128];
    int rc = load_row(x, &s);
    if (rc <= 0)
        return rc;
    if (jh_staff_secret_hash(x->cmd->secret, s.secret_hash, sizeof s.secret_hash, why, sizeof why) < 0)
        return eng_refuse(x, "bad-field", "%s", why);
    s.failures = 0; /* a new secret unlocks the account */
    s.locked_until = 0;
    s.updated_at = x->now;
    cJSON_AddStringToObject(x->reply, JH_KEY_STAFF_ID, s.staff_id);
    return jh_store_staff_put(x->st, &s);
}

/* ---------- import (the op and the roster file share it) ---------- */

/* The entry's secret column into its row: a hash as given, a plaintext one hashed. */
static int entry_secret(jh_roster_entry *e, char *err, size_t errlen)
{
    if (!e->secret[0] || strncmp(e->secret, "$argon2", 7) == 0) {
        snprintf(e->row.secret_hash, sizeof e->row.secret_hash, "%s", e->secret);
        return 0;
    }
    return jh_staff_secret_hash(e->secret, e->row.secret_hash, sizeof e->row.secret_hash, err, errlen);
}

/* Every entry's covers exist in the file or the store; 1, 0 with the line in *bad, -1. */
static int entries_covered(eng_op *x, const jh_roster_entry *v, int n, int *bad, char *why,
                           size_t whylen)
{
    for (int i = 0; i < n; i++) {
        int rc = covers_exist(x, v[i].row.covers, v, n, why, whylen);
        if (rc <= 0) {
            *bad = v[i].line;
            return rc;
        }
    }
    return 1;
}

/* One imported entry: new → added, existing → its roster columns replaced
 * (its secret only when the line gives one; enabled, failures, lock kept). */
static int import_one(eng_op *x, jh_roster_entry *e, int *added, int *updated)
{
    jh_staff_row old;
    char err[128];
    int rc = jh_store_staff_get(x->st, e->row.staff_id, &old);
    if (rc < 0 || entry_secret(e, err, sizeof err) < 0)
        return -1;
    e->row.updated_at = x->now;
    if (rc == 0) {
        e->row.created_at = x->now;
        (*added)++;
        return jh_store_staff_insert(x->st, &e->row);
    }
    if (!e->row.secret_hash[0])
        snprintf(e->row.secret_hash, sizeof e->row.secret_hash, "%s", old.secret_hash);
    e->row.enabled = old.enabled;
    e->row.failures = old.failures;
    e->row.locked_until = old.locked_until;
    e->row.lock_alerted = old.lock_alerted;
    e->row.created_at = old.created_at;
    (*updated)++;
    if (jh_store_staff_put(x->st, &e->row) < 0)
        return -1;
    return strcmp(old.name, e->row.name) ? jh_store_counter_rename_staff(x->st, old.staff_id, e->row.name) : 0;
}

static int refuse_line(eng_op *x, int line, const char *why)
{
    x->line = line;
    return eng_refuse(x, "bad-field", "csv line %d: %s", line, why);
}

int eng_op_staff_import(eng_op *x)
{
    jh_roster_entry *v;
    int n, line, added = 0, updated = 0;
    char err[240];
    if (jh_roster_parse(x->cfg, x->cmd->csv, strlen(x->cmd->csv), &v, &n, &line, err, sizeof err) < 0)
        return line ? refuse_line(x, line, strchr(err, ':') ? strchr(err, ':') + 2 : err)
                    : eng_refuse(x, "bad-field", "csv: %s", err);
    int rc = entries_covered(x, v, n, &line, err, sizeof err);
    if (rc == 0)
        rc = refuse_line(x, line, err);
    for (int i = 0; rc > 0 && i < n; i++)
        if (import_one(x, &v[i], &added, &updated) < 0)
            rc = -1;
    free(v);
    if (rc <= 0)
        return rc;
    snprintf(x->audit_detail, sizeof x->audit_detail, "%d added, %d updated", added, updated);
    eng_mark_all(x->cfg, x->out); /* a renamed person's counters */
    cJSON_AddNumberToObject(x->reply, JH_KEY_ADDED, added);
    cJSON_AddNumberToObject(x->reply, JH_KEY_UPDATED, updated);
    return 0;
}

/* ---------- seeding from [staff] roster ---------- */

/* Keeps only the entries whose staff id the store lacks; hashes their plaintext secrets. */
static int seed_keep_new(jh_engine *e, char *err, size_t errlen)
{
    int kept = 0;
    jh_staff_row s;
    for (int i = 0; i < e->n_seed; i++) {
        int rc = jh_store_staff_get(e->st, e->seed[i].row.staff_id, &s);
        if (rc < 0) {
            snprintf(err, errlen, "%s", jh_store_errmsg(e->st));
            return -1;
        }
        if (rc == 0)
            e->seed[kept++] = e->seed[i];
    }
    e->n_seed = kept;
    for (int i = 0; i < kept; i++) {
        char why[128];
        if (entry_secret(&e->seed[i], why, sizeof why) < 0) {
            snprintf(err, errlen, "line %d: %s", e->seed[i].line, why);
            return -1;
        }
    }
    return 0;
}

/* The covers of the new entries name someone in the file or the store. */
static int seed_covers(jh_engine *e, jh_roster_entry *all, int n_all, char *err, size_t errlen)
{
    eng_op x;
    char why[160];
    int line;
    memset(&x, 0, sizeof x);
    x.st = e->st;
    int rc = entries_covered(&x, all, n_all, &line, why, sizeof why);
    if (rc < 0)
        snprintf(err, errlen, "%s", jh_store_errmsg(e->st));
    else if (rc == 0)
        snprintf(err, errlen, "line %d: %s", line, why);
    return rc > 0 ? 0 : -1;
}

int eng_roster_seed_load(jh_engine *e, char *err, size_t errlen)
{
    const char *path = e->cfg->staff_roster;
    size_t len;
    int line;
    char why[256];
    if (!path[0])
        return 0;
    char *text = jh_config_read_file(path, &len, why, sizeof why);
    int rc = text ? jh_roster_parse(e->cfg, text, len, &e->seed, &e->n_seed, &line, why, sizeof why) : -1;
    free(text);
    if (rc == 0)
        rc = seed_covers(e, e->seed, e->n_seed, why, sizeof why);
    if (rc == 0)
        rc = seed_keep_new(e, why, sizeof why);
    if (rc < 0) {
        snprintf(err, errlen, "[staff] roster %s: %s", path, why);
        eng_roster_seed_free(e);
    }
    return rc;
}

int eng_roster_seed_write(jh_engine *e, int64_t now, int day)
{
    for (int i = 0; i < e->n_seed; i++) {
        jh_staff_row *s = &e->seed[i].row;
        int added;
        s->created_at = s->updated_at = now;
        if (jh_store_staff_insert_new(e->st, s, &added) < 0 ||
            (added && eng_audit_note(e->st, day, now, "roster", "roster-seed", s->staff_id,
                                     e->cfg->staff_roster) < 0))
            return -1;
    }
    return 0; /* the caller frees the seed once its transaction has committed */
}

void eng_roster_seed_free(jh_engine *e)
{
    free(e->seed);
    e->seed = NULL;
    e->n_seed = 0;
}
