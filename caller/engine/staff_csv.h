/* SPDX-License-Identifier: MIT */
/*
 * staff_csv — reading a roster CSV: records and their fields, nothing more.
 *
 * Owns: the CSV syntax a hall's roster is written in (a spreadsheet's
 * "save as CSV"): fields separated by ',', a field in double quotes may hold
 * ',' and "" for a quote, a record is one line (LF or CRLF). Blank lines and
 * lines starting with '#' are passed over, and a UTF-8 byte order mark at the
 * start of the text is skipped. The last of `max` fields, unless quoted, is
 * the rest of the line as it stands, commas and all: the roster's secret
 * column, where an argon2id hash ("$argon2id$v=19$m=2048,t=3,p=1$…") or a
 * password may hold commas. What a field means is staff_roster.c's.
 * Refused, with the line: a quote that does not close on its line, text after
 * a closing quote, a field longer than JH_CSV_FIELD_LEN - 1 bytes, more than
 * `max` fields, a NUL byte, bytes that are not UTF-8, control characters.
 */
#ifndef JH_STAFF_CSV_H
#define JH_STAFF_CSV_H

#include <stddef.h>

#include "hall_config.h"

#define JH_CSV_FIELD_LEN JH_LONG_TEXT_LEN

typedef struct {
    const char *text;
    size_t len;
    size_t pos;
    int line; /* of the next byte */
} jh_csv;

void jh_csv_init(jh_csv *c, const char *text, size_t len);

/*
 * The next record's fields into fields[0..max), *n of them, *line its line.
 * Returns 1 for a record, 0 at the end of the text, -1 with the reason in why
 * (then *line is the line at fault).
 */
int jh_csv_next(jh_csv *c, char (*fields)[JH_CSV_FIELD_LEN], int max, int *n, int *line,
                char *why, size_t whylen);

#endif
