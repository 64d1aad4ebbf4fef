/* SPDX-License-Identifier: MIT */
/*
 * report_query — reads a report's rows from the caller's SQLite store.
 *
 * Owns how a report reads the store and nothing else: it opens the store
 * read-only (the caller may be writing at the same moment; WAL lets both
 * proceed), reads the period's tickets, pauses and logins inside one read
 * transaction, so all three come from the same instant, and hands each row
 * to report_model. The queries, like the schema, are the store's own
 * (caller/engine/store_read.h); docs/reports.md lists the columns used.
 */
#ifndef JH_REPORT_QUERY_H
#define JH_REPORT_QUERY_H

#include <stddef.h>

#include "report_model.h"

/* Adds every row of r->period in the store at db_path to r. 0, or -1 with one line in err. */
int jh_report_load(jh_report *r, const char *db_path, char *err, size_t errlen);

#endif
