/*
 * report_day_files — the hand-made day's report as files (see report_day_files.h).
 */
#include "report_day_files.h"

#include "report_day.h"

#include "report_chart.h"
#include "report_query.h"
#include "report_table.h"

int rd_write_day_report(const char *dir, char *err, size_t errlen)
{
    jh_period p;
    jh_report r;
    fx *f = rd_build();
    int rc = jh_period_parse(JH_PERIOD_DAY, "2026-11-23", &p, err, errlen);
    if (rc == 0 && (rc = jh_report_init(&r, f->cfg, &p, T0 + 2 * HOUR, err, errlen)) == 0) {
        if ((rc = jh_report_load(&r, f->db, err, errlen)) == 0) {
            jh_report_finish(&r);
            rc = jh_report_write_csv(&r, dir, err, errlen) < 0 ||
                         jh_report_write_charts(&r, dir, err, errlen) < 0
                     ? -1
                     : 0;
        }
        jh_report_free(&r);
    }
    fx_free(f);
    return rc;
}
