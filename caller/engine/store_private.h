/* SPDX-License-Identifier: MIT */
/*
 * store_private — what the store's own files share, and nobody else uses.
 *
 * Owns: the connection structs (jh_store, the writer; jh_store_reader, the
 * read-only side of store_read.c), the list of the writer's prepared
 * statements, the column tables of the rows the store maps to structs, and
 * the small helpers over the sqlite API. Files: ticket_store.c (open, close,
 * transactions, helpers), store_schema.c (schema, migrations), store_sql.c
 * (the text of every statement), store_rows.c (the column tables),
 * store_tickets.c, store_counters.c, store_stats.c, store_events.c,
 * store_staff.c (the functions of ticket_store.h by concern), store_read.c
 * and store_audit.c.
 */
#ifndef JH_STORE_PRIVATE_H
#define JH_STORE_PRIVATE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "ticket_store.h"

#define SCHEMA_VERSION 5
#define WAIT_BUCKET_CAP (JH_WAIT_BUCKETS - 1)
#define STR_(x) #x
#define STR(x) STR_(x) /* a macro's value as SQL text: STR(WAIT_BUCKET_CAP) is "(2880 - 1)" */

/* The writer's statements, prepared once at open; their text is in store_sql.c. */
enum {
    Q_BEGIN, Q_READ_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_SAVEPOINT, Q_SAVEPOINT_UNDO, Q_SAVEPOINT_RELEASE,
    Q_HALL_GET, Q_HALL_SET, Q_SEQ_NEXT, Q_QUEUE_KEY_NEXT,
    Q_NUM_GET, Q_NUM_ISSUE, Q_WAIT_ADD, Q_LAST_CALLED, Q_WAIT_CLEAR_BEFORE, Q_WAIT_CLEAR_DAY,
    Q_T_INSERT, Q_T_UPDATE, Q_T_BY_ID, Q_T_BY_LABEL, Q_HEAD, Q_DIRECTED,
    Q_EXPIRE_BEFORE, Q_EXPIRE_DAY, Q_MEAN, Q_WAIT_DUE,
    Q_C_ENSURE, Q_C_GET, Q_C_BRIEF, Q_C_PUT, Q_C_BY_STAFF, Q_C_RESET, Q_PAUSE_END_ALL, Q_SESSION_END_ALL,
    Q_PAUSE_START, Q_PAUSE_END, Q_SESSION_START, Q_SESSION_END, Q_CALL_LOG, Q_LAST_CALLS,
    Q_TRANSFER_LOG,
    Q_CMD_GET, Q_CMD_PUT, Q_CMD_PRUNE,
    Q_EV_ADD, Q_EV_NEXT, Q_EV_ACK, Q_EV_PRUNE,
    Q_STATS_ADD, Q_STATS_GET, Q_STATS_EXPIRE_BEFORE, Q_HIST_ADD, Q_HIST_GET, Q_SCORE_ADD, Q_SCORES_OTHERS,
    Q_STAFF_GET, Q_STAFF_INSERT, Q_STAFF_INSERT_NEW, Q_STAFF_PUT, Q_STAFF_EACH, Q_STAFF_LOCK_DUE,
    Q_C_RENAME_STAFF, Q_AUDIT_ADD,
    /* audit queries, one per filter that can drive an index (store_staff.c picks) */
    Q_AUDIT_BY_TICKET, Q_AUDIT_BY_STAFF, Q_AUDIT_BY_COUNTER, Q_AUDIT_BY_DAY, Q_AUDIT_ALL,
    Q_COUNT
};

struct jh_store {
    sqlite3 *db;
    sqlite3_stmt *q[Q_COUNT];
    char err[256];
};

struct jh_store_reader {
    sqlite3 *db;
    int version; /* the file's schema version; 0 until read */
    char err[256];
};

/* ---- column tables (store_rows.c) ---- */

typedef enum {
    COL_ROWID,          /* int64 INTEGER PRIMARY KEY: SQLite assigns it at insert */
    COL_INT,
    COL_I64,
    COL_TEXT,           /* char[]; "" is stored as '' */
    COL_OPT_I64,        /* int64_t; 0 is stored as NULL */
    COL_OPT_TEXT,       /* char[]; "" is stored as NULL (the partial indexes test IS NULL) */
    COL_TICKET_STATUS,  /* jh_ticket_status, stored as its word */
    COL_COUNTER_STATUS, /* jh_counter_status, stored as its word */
    COL_ROLES,          /* unsigned JH_ROLE_* bits, stored as words: "staff;guide" */
    COL_NONZERO         /* written, never read: 1 when the int field is not 0 (is_priority) */
} col_kind;

typedef enum {
    COL_KEY,    /* the primary key: an update finds the row by it */
    COL_FIXED,  /* written by the insert only */
    COL_ALTERS  /* written by the insert and by every update */
} col_life;

typedef struct {
    const char *name;                /* the column, and (but for COL_NONZERO) the struct field */
    col_kind kind;
    col_life life;
    size_t off, size;                /* of the field in the row struct */
    int (*present)(const void *row); /* NULL: always stored; else stored only when it says so */
    int since;                       /* the schema version that added the column */
} store_col;

typedef struct {
    const char *table;
    const store_col *cols;
    int n;
    size_t size; /* of the row struct */
} store_row;

extern const store_row store_ticket_row;  /* jh_ticket */
extern const store_row store_counter_row; /* jh_counter_row */
extern const store_row store_pause_row;   /* jh_pause_log */
extern const store_row store_session_row; /* jh_session_log */
extern const store_row store_staff_row;   /* jh_staff_row */
extern const store_row store_audit_row;   /* jh_audit_row */

typedef enum {
    ROW_NONE,       /* a statement written out in full */
    ROW_SELECT,     /* SELECT <columns> FROM <table> <tail> */
    ROW_INSERT,     /* INSERT INTO <table>(<columns>) VALUES(?1, …) */
    ROW_INSERT_NEW, /* the same, OR IGNORE: an existing row is kept */
    ROW_UPDATE      /* UPDATE <table> SET <col> = ?1, … WHERE <key> = ?N */
} row_verb;

/* The SQL of `verb` on `row`, then " " tail when tail is not "". A SELECT
 * lists the columns a store of schema `version` has. -1 when len is short. */
int store_row_sql(const store_row *row, row_verb verb, const char *tail, int version, char *buf,
                  size_t len);
/* Binds the struct `data` to a statement composed by store_row_sql(verb). */
void store_row_bind(sqlite3_stmt *s, const store_row *row, row_verb verb, const void *data);
/* Reads the current row of a ROW_SELECT of the same version into `data`
 * (zeroed first: columns the store lacks read as 0 / ""). */
void store_row_read(sqlite3_stmt *s, const store_row *row, int version, void *data);

jh_ticket_status store_ticket_status(const char *word);
jh_counter_status store_counter_status(const char *word);

/* ---- statements and schema ---- */

typedef struct {
    const char *sql;      /* ROW_NONE: the statement; else the tail after what the row gives */
    const store_row *row;
    row_verb verb;
} store_statement;

extern const store_statement store_statements[Q_COUNT]; /* store_sql.c */

/* Pragmas, schema, hall row and migrations: a file of any version ready for
 * the statements (store_schema.c). */
int store_schema_setup(jh_store *st, int day);
extern const char store_schema_version_sql[]; /* one value: the file's schema version */
/* Reads the row of Q_HALL_GET (store_tickets.c). */
void store_hall_read(sqlite3_stmt *s, jh_hall_row *h);

/* ---- helpers over the sqlite API (ticket_store.c) ---- */

int store_fail(jh_store *st, const char *what); /* -1, with the message in st->err */
/* Readies statement `i` for fresh binds. */
sqlite3_stmt *store_stmt(jh_store *st, int i);
/* Runs a statement that returns no rows. */
int store_exec_done(jh_store *st, int i, const char *what);
/* Steps a lookup: 1 row, 0 none, -1 error. The caller reads columns then resets. */
int store_step_row(jh_store *st, int i, const char *what);
void store_bind_text(sqlite3_stmt *s, int i, const char *v);
void store_bind_opt_text(sqlite3_stmt *s, int i, const char *v);
void store_bind_opt_i64(sqlite3_stmt *s, int i, int64_t v);
void store_col_text(sqlite3_stmt *s, int i, char *dst, size_t len);

#endif
