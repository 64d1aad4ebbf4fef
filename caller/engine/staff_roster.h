/* SPDX-License-Identifier: MIT */
/*
 * staff_roster — what a roster entry may say, whether it comes from a CSV
 * line (the [staff] roster file, the admin op staff-import) or from staff-add
 * and staff-update.
 *
 * Owns: the roster CSV's columns (staff_id, name, department, roles,
 * counters, services, covers, secret; roles, counters, services and covers
 * ';'-separated), the rules for each value checked against the hall (a
 * counter or service the hall has, a role word, a staff id), lists in their
 * stored form ("c01;c02"), and a whole roster text read at once: a bad line
 * refuses all of it, naming the line. The secret column may be a plaintext
 * secret (hashed by the importer, never stored as given) or an argon2id hash
 * (jiaohao-caller staff-hash). Pure: no store, no hashing.
 */
#ifndef JH_STAFF_ROSTER_H
#define JH_STAFF_ROSTER_H

#include <stddef.h>

#include "hall_config.h"
#include "ticket_store.h"

#define JH_ROSTER_COLUMNS 8
#define JH_ROSTER_MAX_ROWS 2000

/* One roster line: the row it makes (no hash yet), its secret column, its line. */
typedef struct {
    jh_staff_row row;
    char secret[JH_STAFF_HASH_LEN]; /* "" none; "$argon2id$…" a hash; else a plaintext secret */
    int line;
} jh_roster_entry;

/* 1 when the ';'-joined list holds item. */
int jh_roster_list_has(const char *list, const char *item);

/* Lists as staff-add/-update give them (ids already checked): the counters
 * and services the hall has, staff ids that are not `self`. 0 or -1 + why. */
int jh_roster_check_counters(const jh_hall_config *cfg, const char *list, char *why, size_t whylen);
int jh_roster_check_services(const jh_hall_config *cfg, const char *list, char *why, size_t whylen);
int jh_roster_check_covers(const char *self, const char *list, char *why, size_t whylen);

/* A staff member's name as the boards show it: 1..127 bytes of one-line text. */
int jh_roster_check_name(const char *name, char *why, size_t whylen);

/*
 * Reads a whole roster text: a first line starting "staff_id," is a header
 * and passed over. Each line must have 7 or 8 fields that pass the rules
 * above (empty roles mean staff), no staff id twice. On success *out is a
 * malloc'd array of *n entries (free it) and 0 is returned; else -1 with
 * "line N: …" in err and *line_at = N (0 when no line is at fault).
 * At most JH_ROSTER_MAX_ROWS lines.
 */
int jh_roster_parse(const jh_hall_config *cfg, const char *text, size_t len,
                    jh_roster_entry **out, int *n, int *line_at, char *err, size_t errlen);

#endif
