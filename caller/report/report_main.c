/* SPDX-License-Identifier: MIT */
/*
 * jiaohao-report — the hall managers' assessment reports (评价考核).
 *
 *   jiaohao-report [--config FILE] (--data DIR | --db FILE)
 *                  (--day YYYY-MM-DD | --week YYYY-MM-DD | --month YYYY-MM)
 *                  --out DIR [--format csv,png]
 *
 * The edge of the report tools: reads the arguments and the hall config, runs
 * report_query (store, read-only) → report_model → report_table (CSV) and
 * report_chart (PNG), and turns any failure into one line on stderr.
 * Exit 0 done, 1 the report could not be made, 2 bad command line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hall_config.h"
#include "hall_time.h"
#include "report_chart.h"
#include "report_model.h"
#include "report_query.h"
#include "report_table.h"

#define PROG "jiaohao-report"

typedef struct {
    const char *config, *data_dir, *db, *out, *format;
    const char *period_text;
    jh_period_kind period_kind;
    int n_periods;
    int csv, png;
} options;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: " PROG " [--config FILE] (--data DIR | --db FILE)\n"
            "       (--day YYYY-MM-DD | --week YYYY-MM-DD | --month YYYY-MM) --out DIR [--format csv,png]\n"
            "  --config FILE   hall config (default assets/hall.ini)\n"
            "  --data DIR      folder of the caller's store jiaohao.db (default: [hall] data_dir)\n"
            "  --db FILE       the store itself (instead of --data)\n"
            "  --day DATE      one business day\n"
            "  --week DATE     the Monday-to-Sunday week holding DATE\n"
            "  --month YYYY-MM one calendar month of business days\n"
            "  --out DIR       where the CSV files and charts go (created if missing)\n"
            "  --format LIST   csv, png or csv,png (default both)\n"
            "The store is opened read-only; the caller may keep running. See docs/reports.md.\n");
}

/* One line on stderr; returns -1. */
static int bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int bad(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, PROG ": ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (try --help)\n");
    va_end(ap);
    return -1;
}

static int parse_format(options *o)
{
    char buf[64], *save = NULL;
    snprintf(buf, sizeof buf, "%s", o->format);
    o->csv = o->png = 0;
    for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        if (!strcmp(w, "csv"))
            o->csv = 1;
        else if (!strcmp(w, "png"))
            o->png = 1;
        else
            return bad("--format: '%s' is not csv or png", w);
    }
    return o->csv || o->png ? 0 : bad("--format: '%s' names no format (csv, png)", o->format);
}

/* The option's slot for a value, or NULL when `a` is not a value option. */
static const char **value_slot(options *o, const char *a)
{
    static const char *const periods[] = {"--day", "--week", "--month"};
    for (int k = 0; k < 3; k++)
        if (!strcmp(a, periods[k])) {
            o->period_kind = (jh_period_kind)k;
            o->n_periods++;
            return &o->period_text;
        }
    return !strcmp(a, "--config") ? &o->config
         : !strcmp(a, "--data")   ? &o->data_dir
         : !strcmp(a, "--db")     ? &o->db
         : !strcmp(a, "--out")    ? &o->out
         : !strcmp(a, "--format") ? &o->format
                                  : NULL;
}

/* 0 go on, 1 help shown, -1 bad arguments (message printed). */
static int parse_args(int argc, char **argv, options *o)
{
    *o = (options){.config = "assets/hall.ini", .format = "csv,png"};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 1;
        }
        const char **slot = value_slot(o, argv[i]);
        if (!slot)
            return bad("unknown argument '%s'", argv[i]);
        if (i + 1 >= argc || !argv[i + 1][0])
            return bad("%s needs a value", argv[i]);
        *slot = argv[++i];
    }
    if (o->n_periods != 1)
        return bad("give exactly one of --day, --week or --month");
    if (!o->out)
        return bad("--out DIR is required");
    if (o->data_dir && o->db)
        return bad("give --data or --db, not both");
    return parse_format(o);
}

static int make_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0)
        return S_ISDIR(st.st_mode) ? 0 : (fprintf(stderr, PROG ": --out %s is not a folder\n", dir), -1);
    if (mkdir(dir, 0755) == 0)
        return 0;
    fprintf(stderr, PROG ": cannot create %s: %s\n", dir, strerror(errno));
    return -1;
}

/* Store path from --db, --data or the config's data_dir. */
static int db_path(const options *o, const jh_hall_config *cfg, char *path, size_t len)
{
    const char *dir = o->data_dir ? o->data_dir : cfg->data_dir;
    if (o->db) {
        snprintf(path, len, "%s", o->db);
        return 0;
    }
    if (!dir[0]) {
        fprintf(stderr, PROG ": no store: give --data DIR or --db FILE, or set [hall] data_dir\n");
        return -1;
    }
    snprintf(path, len, "%s/jiaohao.db", dir); /* the caller's file name (caller/main.c) */
    return 0;
}

static int make_report(const options *o, const jh_hall_config *cfg, const jh_period *period)
{
    char err[1200] = "", path[1100];
    jh_report r;
    if (db_path(o, cfg, path, sizeof path) < 0 || make_dir(o->out) < 0)
        return -1;
    if (jh_report_init(&r, cfg, period, jh_time_now_ms(), err, sizeof err) < 0) {
        fprintf(stderr, PROG ": %s\n", err);
        return -1;
    }
    int rc = jh_report_load(&r, path, err, sizeof err);
    if (rc == 0) {
        jh_report_finish(&r);
        rc = (o->csv && jh_report_write_csv(&r, o->out, err, sizeof err) < 0) ||
                     (o->png && jh_report_write_charts(&r, o->out, err, sizeof err) < 0)
                 ? -1
                 : 0;
    }
    if (rc < 0)
        fprintf(stderr, PROG ": %s\n", err);
    else
        printf(PROG ": %s: %d tickets; wrote%s%s to %s\n", period->label, r.summary.tickets,
               o->csv ? " CSV" : "", o->png ? " charts" : "", o->out);
    jh_report_free(&r);
    return rc;
}

int main(int argc, char **argv)
{
    options o;
    jh_period period;
    char err[1024] = "";
    int rc = parse_args(argc, argv, &o);
    if (rc != 0)
        return rc > 0 ? 0 : 2;
    if (jh_period_parse(o.period_kind, o.period_text, &period, err, sizeof err) < 0) {
        fprintf(stderr, PROG ": %s\n", err);
        return 2;
    }
    jh_hall_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg || jh_config_load(cfg, o.config, err, sizeof err) < 0) {
        fprintf(stderr, PROG ": %s\n", cfg ? err : "out of memory");
        free(cfg);
        return 2;
    }
    rc = make_report(&o, cfg, &period);
    free(cfg);
    return rc < 0 ? 1 : 0;
}
