/* SPDX-License-Identifier: MIT */
/*
 * report_csv — CSV files that Excel and WPS on a Chinese Windows open as-is.
 *
 * Owns the file format only: UTF-8 with a byte-order mark (without it Excel
 * reads UTF-8 as GBK and shows mojibake), CRLF line ends, RFC 4180 quoting, and
 * formula neutralising — a text cell starting with = + - @ gets a leading '
 * so a pause reason typed at a counter cannot run as a spreadsheet formula.
 * Written to FILE.tmp and renamed, so a reader never sees half a report.
 * What goes in the cells is report_table's business.
 */
#ifndef JH_REPORT_CSV_H
#define JH_REPORT_CSV_H

#include <stddef.h>
#include <stdio.h>

typedef struct {
    FILE *f;
    char path[1024];
    char tmp[1040];
    int col;          /* cells written on the current row */
} jh_csv;

/* Creates the file and writes the BOM. 0, or -1 with err. */
int jh_csv_open(jh_csv *c, const char *path, char *err, size_t errlen);
void jh_csv_text(jh_csv *c, const char *s);
void jh_csv_int(jh_csv *c, long long v);
void jh_csv_number(jh_csv *c, double v, int decimals);
void jh_csv_empty(jh_csv *c);
void jh_csv_end_row(jh_csv *c);
/* Flushes, checks every write succeeded and renames into place. 0, or -1 with err. */
int jh_csv_close(jh_csv *c, char *err, size_t errlen);

#endif
