/* SPDX-License-Identifier: MIT */
/*
 * report_table — the report's CSV files: which columns each breakdown has,
 * with bilingual headers (中文 English), and the cells.
 *
 * Owns the column list (one table, so a figure has the same header, unit and
 * rounding in every file) and the file names:
 *   summary.csv, by-day.csv, by-counter.csv, by-staff.csv, by-service.csv,
 *   by-hour.csv, pauses.csv, flagged-ratings.csv
 * Durations are minutes with one decimal, shares and rates percent with one
 * decimal; a figure with nothing to measure is an empty cell, never 0.
 */
#ifndef JH_REPORT_TABLE_H
#define JH_REPORT_TABLE_H

#include <stddef.h>

#include "report_model.h"

/* Writes every CSV file of a finished report into out_dir. 0, or -1 with err. */
int jh_report_write_csv(jh_report *r, const char *out_dir, char *err, size_t errlen);

#endif
