/* SPDX-License-Identifier: MIT */
/*
 * hall_parse — one hall file being read, private to common/config.
 *
 * Owns: the state the hall's keys (hall_keys.c) fill in as the INI reader hands
 * them each header and key, and the section and whole-file checks (hall_checks.c)
 * judge; hall_config.c runs the two over one file.
 */
#ifndef JH_HALL_PARSE_H
#define JH_HALL_PARSE_H

#include <stddef.h>

#include "hall_config.h"
#include "ini_syntax.h"

typedef enum { SEC_NONE, SEC_HALL, SEC_BROKER, SEC_DISPATCH, SEC_PRIORITY, SEC_SERVICE,
               SEC_COUNTER, SEC_KIOSK, SEC_STAFF, SEC_UNKNOWN } sect_kind;

#define MAX_KEYS 16

typedef struct {
    int line;
    char value[JH_LONG_TEXT_LEN];
} deferred_ref;

typedef struct parse parse;

typedef struct key_def {
    const char *key;
    unsigned flags;
    int (*fn)(parse *p, const struct key_def *k, const char *v, char *why, size_t wl);
    size_t off, size; /* field in the section's object, for the generic setters */
    int lo, hi;       /* range for set_int */
} key_def;

#define REQ 1u   /* must be present in the section */
#define MULTI 2u /* may repeat; each line adds */

struct parse {
    jh_hall_config *cfg;
    const char *name;
    sect_kind kind;
    const key_def *keys;
    void *obj; /* what the generic setters write into */
    int sect_line;
    char desc[INI_NAME_LEN + INI_ARG_LEN + 4];
    int key_line[MAX_KEYS]; /* 0 = not seen in this section */
    unsigned singletons;    /* bit per sect_kind seen */
    int reset_line;
    /* failures found outside a key's own handler (section end, whole file) are written
     * here, because the reader would otherwise format them with the current line */
    char msg[1024];
    deferred_ref counter_refs[JH_MAX_COUNTERS];
    deferred_ref kiosk_refs[JH_MAX_KIOSKS];
};

/* hall_keys.c: the jh_ini_fn that reads one header or key into p (user). */
int jh_hall_on_line(void *user, const char *section, const char *arg, const char *key,
                    const char *value, int line, char *why, size_t wl);
/* hall_keys.c: the entry for key in a section's table, NULL when unknown. */
const key_def *jh_hall_find_key(const key_def *keys, const char *key);

/* hall_checks.c: the checks of the section that ends now (before the next header, at
 * the end of the file), and of the whole file. 0, or -1 with the message in p->msg. */
int jh_hall_end_section(parse *p);
int jh_hall_finish(parse *p);
/* hall_checks.c: writes "name:line: ..." (line > 0) or "name: ..." into p->msg; returns -1. */
int jh_hall_failf(parse *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
