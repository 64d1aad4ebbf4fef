/* SPDX-License-Identifier: MIT */
/*
 * store_rows — the rows the store maps to structs, one column table each.
 *
 * Owns: which column of tickets, counters, pauses, sessions, staff and
 * staff_audit is which field of jh_ticket, jh_counter_row, jh_pause_log,
 * jh_session_log, jh_staff_row and jh_audit_row, how each is stored (a status
 * as its word, roles as words, an absent time or text as NULL), and the
 * status and role words. Every SELECT, INSERT and UPDATE of those rows is composed
 * from these tables, and binding and reading walk the same tables in the same
 * order, so adding a column is one line here (plus its field, and the
 * migration that gives old stores the column, in store_schema.c).
 */
#include <stdio.h>
#include <string.h>

#include "store_private.h"
#include "wire_keys.h"

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

static const char *const role_names[] = {JH_ROLE_WORD_STAFF, JH_ROLE_WORD_GUIDE,
                                         JH_ROLE_WORD_SUPERVISOR, JH_ROLE_WORD_ADMIN};
#define N_ROLES (int)(sizeof role_names / sizeof role_names[0])

void jh_roles_text(unsigned roles, char *buf, size_t len)
{
    size_t used = 0;
    if (len)
        buf[0] = '\0';
    for (int i = 0; i < N_ROLES; i++) {
        if (!(roles & (1u << i)))
            continue;
        int n = snprintf(buf + used, len - used, "%s%s", used ? ";" : "", role_names[i]);
        if (n < 0 || (size_t)n >= len - used)
            return;
        used += (size_t)n;
    }
}

int jh_roles_parse(const char *text, unsigned *roles)
{
    *roles = 0;
    for (const char *p = text; *p;) {
        const char *end = strchr(p, ';');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        int found = -1;
        for (int i = 0; i < N_ROLES; i++)
            if (strlen(role_names[i]) == l && memcmp(role_names[i], p, l) == 0)
                found = i;
        if (found < 0)
            return -1;
        *roles |= 1u << found;
        p += l;
        if (end && !*++p)
            return -1; /* a trailing ';' */
    }
    return 0;
}

jh_ticket_status store_ticket_status(const char *word)
{
    return (jh_ticket_status)parse_name(ticket_status_names, JH_TS_COUNT, word);
}

jh_counter_status store_counter_status(const char *word)
{
    return (jh_counter_status)parse_name(counter_status_names, JH_CS_COUNT, word);
}

/* ---- the tables ---- */

/* A column whose name is its field's: COL(jh_ticket, day, COL_INT, COL_FIXED, NULL, 1). */
#define COL(type, field, kind, life, present, since)                                             \
    {#field, kind, life, offsetof(type, field), sizeof(((type *)0)->field), present, since}

/* service_s and overran mean something once a ticket is finished, the rating
 * columns once it is rated: before that they are NULL, as reports expect. */
static int finished(const void *row) { return ((const jh_ticket *)row)->finished_at != 0; }
static int rated(const void *row) { return ((const jh_ticket *)row)->rating != 0; }

#define T(field, kind, life, present, since) COL(jh_ticket, field, kind, life, present, since)
static const store_col ticket_cols[] = {
    T(id, COL_ROWID, COL_KEY, NULL, 1),
    T(day, COL_INT, COL_FIXED, NULL, 1),
    T(label, COL_TEXT, COL_FIXED, NULL, 1),
    T(issued_service, COL_TEXT, COL_FIXED, NULL, 1),
    T(number, COL_INT, COL_FIXED, NULL, 1),
    T(service, COL_TEXT, COL_ALTERS, NULL, 1),
    T(priority, COL_INT, COL_ALTERS, NULL, 1),
    /* the queue index's green flag, kept in step with priority */
    {"is_priority", COL_NONZERO, COL_ALTERS, offsetof(jh_ticket, priority), sizeof(int), NULL, 1},
    T(status, COL_TICKET_STATUS, COL_ALTERS, NULL, 1),
    T(lang, COL_TEXT, COL_FIXED, NULL, 1),
    T(kiosk, COL_TEXT, COL_FIXED, NULL, 1),
    T(issued_at, COL_I64, COL_FIXED, NULL, 1),
    T(queue_key, COL_I64, COL_ALTERS, NULL, 1),
    T(target_counter, COL_OPT_TEXT, COL_ALTERS, NULL, 1),
    T(counter, COL_OPT_TEXT, COL_ALTERS, NULL, 1),
    T(staff_id, COL_OPT_TEXT, COL_ALTERS, NULL, 1),
    T(called_at, COL_OPT_I64, COL_ALTERS, NULL, 1),
    T(last_called_at, COL_OPT_I64, COL_ALTERS, NULL, 1),
    T(session_at, COL_OPT_I64, COL_ALTERS, NULL, 1),
    T(call_count, COL_INT, COL_ALTERS, NULL, 1),
    T(session_calls, COL_INT, COL_ALTERS, NULL, 1),
    T(finished_at, COL_OPT_I64, COL_ALTERS, NULL, 1),
    T(service_s, COL_INT, COL_ALTERS, finished, 1),
    T(overran, COL_INT, COL_ALTERS, finished, 1),
    T(transfers, COL_INT, COL_ALTERS, NULL, 1),
    T(requeues, COL_INT, COL_ALTERS, NULL, 1),
    T(void_reason, COL_OPT_TEXT, COL_ALTERS, NULL, 1),
    T(rating, COL_INT, COL_ALTERS, rated, 1),
    T(rated_at, COL_I64, COL_ALTERS, rated, 1),
    T(rating_suspicious, COL_INT, COL_ALTERS, rated, 1),
    T(rating_flags, COL_TEXT, COL_ALTERS, rated, 1),
    T(wait_alerted, COL_INT, COL_ALTERS, NULL, 2),
    T(overrun_alerted, COL_INT, COL_ALTERS, NULL, 2),
};
#undef T

#define C(field, kind) COL(jh_counter_row, field, kind, COL_ALTERS, NULL, 1)
static const store_col counter_cols[] = {
    COL(jh_counter_row, id, COL_TEXT, COL_KEY, NULL, 1),
    C(status, COL_COUNTER_STATUS),
    C(staff_id, COL_TEXT),
    C(staff_name, COL_TEXT),
    C(ticket_id, COL_OPT_I64),
    C(since, COL_I64),
    C(message, COL_TEXT),
    C(pause_reason, COL_TEXT),
    C(normal_streak, COL_INT),
    C(green_streak, COL_INT),
    C(last_finished_id, COL_OPT_I64),
    C(last_finished_at, COL_OPT_I64),
    C(last_score, COL_INT),
    C(score_run, COL_INT),
};
#undef C

/* Log rows: written once, at their start; their end is set by its own UPDATE. */
#define P(field, kind) COL(jh_pause_log, field, kind, COL_FIXED, NULL, 1)
static const store_col pause_cols[] = {
    COL(jh_pause_log, id, COL_ROWID, COL_KEY, NULL, 1),
    P(day, COL_INT),
    P(counter, COL_TEXT),
    P(staff_id, COL_TEXT),
    P(reason, COL_TEXT),
    P(message, COL_TEXT),
    P(started_at, COL_I64),
    P(ended_at, COL_OPT_I64),
};
#undef P

#define S(field, kind) COL(jh_session_log, field, kind, COL_FIXED, NULL, 1)
static const store_col session_cols[] = {
    COL(jh_session_log, id, COL_ROWID, COL_KEY, NULL, 1),
    S(day, COL_INT),
    S(counter, COL_TEXT),
    S(staff_id, COL_TEXT),
    S(staff_name, COL_TEXT),
    S(login_at, COL_I64),
    S(logout_at, COL_OPT_I64),
};
#undef S

/* The roster: created once, then changed by admin ops and by logins (failures, lock). */
#define R(field, kind) COL(jh_staff_row, field, kind, COL_ALTERS, NULL, 5)
static const store_col staff_cols[] = {
    COL(jh_staff_row, staff_id, COL_TEXT, COL_KEY, NULL, 5),
    R(name, COL_TEXT),
    R(department, COL_TEXT),
    R(photo, COL_TEXT),
    R(roles, COL_ROLES),
    R(counters, COL_TEXT),
    R(services, COL_TEXT),
    R(covers, COL_TEXT),
    R(secret_hash, COL_TEXT),
    R(enabled, COL_INT),
    R(failures, COL_INT),
    R(locked_until, COL_OPT_I64),
    R(lock_alerted, COL_I64),
    COL(jh_staff_row, created_at, COL_I64, COL_FIXED, NULL, 5),
    R(updated_at, COL_I64),
};
#undef R

/* The audit trail: written once, never changed. */
#define A(field, kind) COL(jh_audit_row, field, kind, COL_FIXED, NULL, 5)
static const store_col audit_cols[] = {
    COL(jh_audit_row, id, COL_ROWID, COL_KEY, NULL, 5),
    A(day, COL_INT),
    A(at, COL_I64),
    A(by, COL_TEXT),
    A(device, COL_TEXT),
    A(staff, COL_TEXT),
    A(op, COL_TEXT),
    A(target, COL_TEXT),
    A(detail, COL_TEXT),
    A(result, COL_TEXT),
};
#undef A

#define ROW(table, cols, type) {table, cols, (int)(sizeof cols / sizeof cols[0]), sizeof(type)}
const store_row store_ticket_row = ROW("tickets", ticket_cols, jh_ticket);
const store_row store_counter_row = ROW("counters", counter_cols, jh_counter_row);
const store_row store_pause_row = ROW("pauses", pause_cols, jh_pause_log);
const store_row store_session_row = ROW("sessions", session_cols, jh_session_log);
const store_row store_staff_row = ROW("staff", staff_cols, jh_staff_row);
const store_row store_audit_row = ROW("staff_audit", audit_cols, jh_audit_row);

/* ---- composing, binding, reading ---- */

/* Whether `verb` (at `version`, for a SELECT) takes column c — the one rule
 * the SQL, the binding and the reading share, so their orders cannot part. */
static int takes(const store_col *c, row_verb verb, int version)
{
    switch (verb) {
    case ROW_SELECT:
        return c->kind != COL_NONZERO && c->since <= version;
    case ROW_INSERT:
    case ROW_INSERT_NEW:
        return c->kind != COL_ROWID;
    case ROW_UPDATE:
        return c->life == COL_ALTERS;
    default:
        return 0;
    }
}

static const store_col *key_of(const store_row *row)
{
    for (int i = 0; i < row->n; i++)
        if (row->cols[i].life == COL_KEY)
            return &row->cols[i];
    return NULL;
}

/* SQL text being composed; `full` once something did not fit. */
typedef struct {
    char *buf;
    size_t len, used;
    int full;
} sql_text;

static void add(sql_text *b, const char *text)
{
    size_t n = strlen(text);
    if (b->full || b->used + n >= b->len) {
        b->full = 1;
        return;
    }
    memcpy(b->buf + b->used, text, n + 1);
    b->used += n;
}

static void add_param(sql_text *b, int n)
{
    char p[16];
    snprintf(p, sizeof p, "?%d", n);
    add(b, p);
}

static const char *const verb_head[] = {[ROW_SELECT] = "SELECT ",
                                        [ROW_INSERT] = "INSERT INTO ",
                                        [ROW_INSERT_NEW] = "INSERT OR IGNORE INTO ",
                                        [ROW_UPDATE] = "UPDATE "};

int store_row_sql(const store_row *row, row_verb verb, const char *tail, int version, char *buf,
                  size_t len)
{
    sql_text b = {buf, len, 0, len == 0};
    const store_col *key = key_of(row);
    int n = 0;
    if (verb == ROW_NONE || !key || len == 0)
        return -1;
    buf[0] = '\0';
    add(&b, verb_head[verb]);
    if (verb != ROW_SELECT) {
        add(&b, row->table);
        add(&b, verb == ROW_UPDATE ? " SET " : "(");
    }
    for (int i = 0; i < row->n; i++) {
        if (!takes(&row->cols[i], verb, version))
            continue;
        if (n++)
            add(&b, ", ");
        add(&b, row->cols[i].name);
        if (verb == ROW_UPDATE) {
            add(&b, " = ");
            add_param(&b, n);
        }
    }
    if (verb == ROW_SELECT) {
        add(&b, " FROM ");
        add(&b, row->table);
    } else if (verb == ROW_UPDATE) {
        add(&b, " WHERE ");
        add(&b, key->name);
        add(&b, " = ");
        add_param(&b, n + 1);
    } else {
        add(&b, ") VALUES(");
        for (int i = 1; i <= n; i++) {
            add(&b, i > 1 ? ", " : "");
            add_param(&b, i);
        }
        add(&b, ")");
    }
    if (tail && *tail) {
        add(&b, " ");
        add(&b, tail);
    }
    return b.full ? -1 : 0;
}

static void bind_col(sqlite3_stmt *s, int i, const store_col *c, const void *data)
{
    const char *p = (const char *)data + c->off;
    if (c->present && !c->present(data)) {
        sqlite3_bind_null(s, i);
        return;
    }
    switch (c->kind) {
    case COL_INT:
        sqlite3_bind_int(s, i, *(const int *)p);
        break;
    case COL_NONZERO:
        sqlite3_bind_int(s, i, *(const int *)p != 0);
        break;
    case COL_ROWID:
    case COL_I64:
        sqlite3_bind_int64(s, i, *(const int64_t *)p);
        break;
    case COL_OPT_I64:
        store_bind_opt_i64(s, i, *(const int64_t *)p);
        break;
    case COL_TEXT:
        store_bind_text(s, i, p);
        break;
    case COL_OPT_TEXT:
        store_bind_opt_text(s, i, p);
        break;
    case COL_TICKET_STATUS:
        store_bind_text(s, i, jh_ticket_status_name(*(const jh_ticket_status *)p));
        break;
    case COL_COUNTER_STATUS:
        store_bind_text(s, i, jh_counter_status_name(*(const jh_counter_status *)p));
        break;
    case COL_ROLES: {
        char words[64];
        jh_roles_text(*(const unsigned *)(const void *)p, words, sizeof words);
        store_bind_text(s, i, words);
        break;
    }
    }
}

void store_row_bind(sqlite3_stmt *s, const store_row *row, row_verb verb, const void *data)
{
    int n = 0;
    for (int i = 0; i < row->n; i++)
        if (takes(&row->cols[i], verb, SCHEMA_VERSION))
            bind_col(s, ++n, &row->cols[i], data);
    if (verb == ROW_UPDATE)
        bind_col(s, n + 1, key_of(row), data);
}

static void read_col(sqlite3_stmt *s, int i, const store_col *c, void *data)
{
    char *p = (char *)data + c->off, word[16];
    switch (c->kind) {
    case COL_INT:
        *(int *)p = sqlite3_column_int(s, i);
        break;
    case COL_ROWID:
    case COL_I64:
    case COL_OPT_I64:
        *(int64_t *)p = sqlite3_column_int64(s, i);
        break;
    case COL_TEXT:
    case COL_OPT_TEXT:
        store_col_text(s, i, p, c->size);
        break;
    case COL_TICKET_STATUS:
        store_col_text(s, i, word, sizeof word);
        *(jh_ticket_status *)p = store_ticket_status(word);
        break;
    case COL_COUNTER_STATUS:
        store_col_text(s, i, word, sizeof word);
        *(jh_counter_status *)p = store_counter_status(word);
        break;
    case COL_ROLES: {
        char words[64];
        store_col_text(s, i, words, sizeof words);
        if (jh_roles_parse(words, (unsigned *)(void *)p) < 0)
            *(unsigned *)(void *)p = 0; /* a word edited in by hand: no role, not a guess */
        break;
    }
    case COL_NONZERO:
        break;
    }
}

void store_row_read(sqlite3_stmt *s, const store_row *row, int version, void *data)
{
    int n = 0;
    memset(data, 0, row->size);
    for (int i = 0; i < row->n; i++)
        if (takes(&row->cols[i], ROW_SELECT, version))
            read_col(s, n++, &row->cols[i], data);
}
