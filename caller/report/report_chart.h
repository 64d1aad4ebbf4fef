/* SPDX-License-Identifier: MIT */
/*
 * report_chart — the report's charts as PNG files, titled in Chinese and English.
 *
 * Owns what each chart shows (docs/reports.md "Charts"):
 *   wait-by-hour.png            mean waiting time per hour of arrival, p90 marked
 *   arrivals-served-by-hour.png tickets issued vs tickets served, per hour
 *   satisfaction-by-counter.png satisfaction rate per counter, with the 80 % line
 * Drawing is report_canvas's; the figures come from a finished jh_report.
 */
#ifndef JH_REPORT_CHART_H
#define JH_REPORT_CHART_H

#include <stddef.h>

#include "report_model.h"

/* Writes the three charts into out_dir. 0, or -1 with err. */
int jh_report_write_charts(jh_report *r, const char *out_dir, char *err, size_t errlen);

#endif
