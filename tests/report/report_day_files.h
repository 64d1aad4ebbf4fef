/*
 * report_day_files — writes the report of report_day.h's hand-made day into a
 * folder, for tests that look at the files with SDL (whose <math.h> cannot
 * share a translation unit with the engine fixture's helpers).
 */
#ifndef REPORT_DAY_FILES_H
#define REPORT_DAY_FILES_H

#include <stddef.h>

/* Builds the day through the engine and writes the CSVs and charts of
 * --day 2026-11-23 into dir. 0, or -1 with err. */
int rd_write_day_report(const char *dir, char *err, size_t errlen);

#endif
