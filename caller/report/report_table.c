/* SPDX-License-Identifier: MIT */
/*
 * report_table — the CSV breakdowns of a report (see report_table.h).
 *
 * One column table drives every breakdown file: a column names the rows it
 * appears in and where its value lives in jh_report_group, so adding a figure
 * is one line here and it reads the same everywhere.
 */
#include "report_table.h"

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "hall_time.h"
#include "report_csv.h"

/* Breakdowns (the files with one row per group). */
enum { B_SUMMARY = 1, B_DAY = 2, B_COUNTER = 4, B_STAFF = 8, B_SERVICE = 16, B_HOUR = 32 };
#define B_ALL (B_SUMMARY | B_DAY | B_COUNTER | B_STAFF | B_SERVICE | B_HOUR)
#define B_DESK (B_COUNTER | B_STAFF)                      /* rows of the people at windows */
#define B_ISSUE (B_SUMMARY | B_DAY | B_SERVICE | B_HOUR)  /* rows that issue tickets */
#define B_TIME (B_SUMMARY | B_DAY | B_COUNTER | B_STAFF)  /* rows with pause and duty time */

typedef enum {
    V_PERIOD,  /* the period's label */
    V_TEXT,    /* char[] at off */
    V_INT,     /* int at off */
    V_SHARE,   /* 100 × int at off ÷ int at off2, % */
    V_STAT,    /* jh_sample at off, statistic `stat`, minutes */
    V_MS_MIN,  /* int64 ms at off, minutes */
    V_MS_H,    /* int64 ms at off, hours */
    V_TARGET,  /* target_s, minutes; empty when none */
    V_RATE,    /* satisfaction % */
    V_MEETS    /* 是 yes / 否 no / empty */
} value_kind;

enum { S_MEAN, S_MEDIAN, S_P90, S_MAX };

typedef struct {
    const char *head;
    unsigned in;
    value_kind kind;
    size_t off, off2;
    int stat;
} column;

#define F(field) offsetof(jh_report_group, field)

static const column columns[] = {
    {"报告期 / Period", B_SUMMARY, V_PERIOD, 0, 0, 0},
    {"大厅 / Hall", B_SUMMARY, V_TEXT, F(name_zh), 0, 0},
    {"日期 / Date", B_DAY, V_TEXT, F(name_zh), 0, 0},
    {"窗口 / Counter", B_COUNTER, V_TEXT, F(key), 0, 0},
    {"窗口名称 / Counter name", B_COUNTER, V_TEXT, F(name_zh), 0, 0},
    {"工号 / Staff ID", B_STAFF, V_TEXT, F(key), 0, 0},
    {"姓名 / Name", B_STAFF, V_TEXT, F(name_zh), 0, 0},
    {"业务 / Service", B_SERVICE, V_TEXT, F(key), 0, 0},
    {"业务名称 / Service name", B_SERVICE, V_TEXT, F(name_zh), 0, 0},
    {"英文名称 / Name in English", B_SUMMARY | B_COUNTER | B_SERVICE, V_TEXT, F(name_en), 0, 0},
    {"时段 / Hour", B_HOUR, V_TEXT, F(name_zh), 0, 0},
    {"取号 / Issued", B_ISSUE, V_INT, F(tickets), 0, 0},
    {"叫号 / Called", B_DESK, V_INT, F(tickets), 0, 0},
    {"绿色通道 / Green channel", B_ALL, V_INT, F(green), 0, 0},
    {"绿色通道占比(%) / Green share (%)", B_ALL, V_SHARE, F(green), F(tickets), 0},
    {"办结 / Served", B_ALL, V_INT, F(served), 0, 0},
    {"过号 / No-shows", B_ALL, V_INT, F(no_show), 0, 0},
    {"作废 / Voided", B_ISSUE, V_INT, F(voided), 0, 0},
    {"过期未办 / Expired", B_ALL, V_INT, F(expired), 0, 0},
    {"未结束 / Still open", B_ALL, V_INT, F(open), 0, 0},
    {"等候均值(分) / Wait mean (min)", B_ALL, V_STAT, F(wait), 0, S_MEAN},
    {"等候中位数(分) / Wait median (min)", B_ALL, V_STAT, F(wait), 0, S_MEDIAN},
    {"等候P90(分) / Wait p90 (min)", B_ALL, V_STAT, F(wait), 0, S_P90},
    {"等候最长(分) / Wait max (min)", B_ALL, V_STAT, F(wait), 0, S_MAX},
    {"绿色通道等候均值(分) / Green wait mean (min)", B_ALL, V_STAT, F(wait_green), 0, S_MEAN},
    {"其他等候均值(分) / Others' wait mean (min)", B_ALL, V_STAT, F(wait_normal), 0, S_MEAN},
    {"办理均值(分) / Service mean (min)", B_ALL, V_STAT, F(service), 0, S_MEAN},
    {"办理中位数(分) / Service median (min)", B_ALL, V_STAT, F(service), 0, S_MEDIAN},
    {"办理P90(分) / Service p90 (min)", B_ALL, V_STAT, F(service), 0, S_P90},
    {"办理最长(分) / Service max (min)", B_ALL, V_STAT, F(service), 0, S_MAX},
    {"目标办理时长(分) / Target (min)", B_SERVICE, V_TARGET, 0, 0, 0},
    {"超时 / Overruns", B_ALL, V_INT, F(overruns), 0, 0},
    {"超时占比(%) / Overrun share (%)", B_ALL, V_SHARE, F(overruns), F(served), 0},
    {"暂停次数 / Pauses", B_TIME, V_INT, F(pauses), 0, 0},
    {"暂停时长(分) / Pause time (min)", B_TIME, V_MS_MIN, F(pause_ms), 0, 0},
    {"在岗时长(时) / On duty (h)", B_TIME, V_MS_H, F(duty_ms), 0, 0},
    {"评价数 / Ratings", B_ALL, V_INT, F(ratings), 0, 0},
    {"可疑评价 / Flagged ratings", B_ALL, V_INT, F(flagged), 0, 0},
    {"满意(4-5分) / Satisfied (4-5)", B_ALL, V_INT, F(satisfied), 0, 0},
    {"满意率(%) / Satisfaction (%)", B_ALL, V_RATE, 0, 0, 0},
    {"满意率达标(≥80%) / Meets 80 %", B_ALL, V_MEETS, 0, 0, 0},
};

#define N_COLUMNS (int)(sizeof columns / sizeof columns[0])

static int field_int(const jh_report_group *g, size_t off) { return *(const int *)((const char *)g + off); }

/* The statistic of the column's sample in minutes; 0 when the sample is empty. */
static int stat_minutes(jh_report_group *g, const column *col, double *v)
{
    jh_summary s = jh_sample_summary((jh_sample *)((char *)g + col->off));
    double all[] = {s.mean, s.median, s.p90, s.max};
    *v = all[col->stat] / 60.0;
    return s.n > 0;
}

/* The numeric value of a column; 0 when there is nothing to measure (empty cell). */
static int number(jh_report_group *g, const column *col, double *v)
{
    const char *base = (const char *)g;
    int den;
    switch (col->kind) {
    case V_SHARE:
        den = field_int(g, col->off2);
        *v = den ? 100.0 * field_int(g, col->off) / den : 0;
        return den > 0;
    case V_STAT:
        return stat_minutes(g, col, v);
    case V_MS_MIN:
        *v = (double)*(const int64_t *)(base + col->off) / 60000.0;
        return 1;
    case V_MS_H:
        *v = (double)*(const int64_t *)(base + col->off) / 3600000.0;
        return 1;
    case V_TARGET:
        *v = g->target_s / 60.0;
        return g->target_s > 0;
    case V_RATE:
        *v = jh_group_satisfaction(g);
        return *v >= 0;
    default:
        return 0;
    }
}

static void cell(jh_csv *c, const jh_report *r, jh_report_group *g, const column *col)
{
    double v;
    int meets;
    switch (col->kind) {
    case V_PERIOD:
        jh_csv_text(c, r->period.label);
        return;
    case V_TEXT:
        jh_csv_text(c, (const char *)g + col->off);
        return;
    case V_INT:
        jh_csv_int(c, field_int(g, col->off));
        return;
    case V_MEETS:
        meets = jh_group_meets_line(g);
        jh_csv_text(c, meets < 0 ? "" : meets ? "是 yes" : "否 no");
        return;
    default:
        break;
    }
    if (number(g, col, &v))
        jh_csv_number(c, v, col->kind == V_MS_H ? 2 : 1);
    else
        jh_csv_empty(c);
}

static void header(jh_csv *c, unsigned breakdown)
{
    for (int i = 0; i < N_COLUMNS; i++)
        if (columns[i].in & breakdown)
            jh_csv_text(c, columns[i].head);
    jh_csv_end_row(c);
}

static void row(jh_csv *c, const jh_report *r, jh_report_group *g, unsigned breakdown)
{
    for (int i = 0; i < N_COLUMNS; i++)
        if (columns[i].in & breakdown)
            cell(c, r, g, &columns[i]);
    jh_csv_end_row(c);
}

static int open_file(jh_csv *c, const char *dir, const char *name, char *err, size_t errlen)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return jh_csv_open(c, path, err, errlen);
}

/* One breakdown file: rows g[0..n). */
static int write_groups(jh_report *r, const char *dir, const char *name, unsigned breakdown,
                        jh_report_group *g, int n, char *err, size_t errlen)
{
    jh_csv c;
    if (open_file(&c, dir, name, err, errlen) < 0)
        return -1;
    header(&c, breakdown);
    for (int i = 0; i < n; i++)
        row(&c, r, &g[i], breakdown);
    return jh_csv_close(&c, err, errlen);
}

static const jh_report_group *find(const jh_group_list *l, const char *key)
{
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->g[i].key, key))
            return &l->g[i];
    return NULL;
}

static const char *name_of(const jh_group_list *l, const char *key)
{
    const jh_report_group *g = find(l, key);
    return g ? g->name_zh : "";
}

static int write_pauses(jh_report *r, const char *dir, char *err, size_t errlen)
{
    static const char *const head[] = {"窗口 / Counter", "窗口名称 / Counter name", "工号 / Staff ID",
                                       "姓名 / Name", "暂停原因 / Reason", "次数 / Pauses",
                                       "时长(分) / Time (min)"};
    jh_csv c;
    if (open_file(&c, dir, "pauses.csv", err, errlen) < 0)
        return -1;
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        jh_csv_text(&c, head[i]);
    jh_csv_end_row(&c);
    for (int i = 0; i < r->n_pause_rows; i++) {
        const jh_pause_row *p = &r->pause_rows[i];
        jh_csv_text(&c, p->counter);
        jh_csv_text(&c, name_of(&r->counters, p->counter));
        jh_csv_text(&c, p->staff_id);
        jh_csv_text(&c, name_of(&r->staff, p->staff_id));
        jh_csv_text(&c, p->reason[0] ? p->reason : "(未填写 none given)");
        jh_csv_int(&c, p->count);
        jh_csv_number(&c, p->ms / 60000.0, 1);
        jh_csv_end_row(&c);
    }
    return jh_csv_close(&c, err, errlen);
}

/* ["too-fast","staff-keypad"] → "结束后1秒内评价 too-fast; 工作人员键盘 staff-keypad" */
static void flags_text(const char *json, char *out, size_t len)
{
    static const char *const known[][2] = {{"staff-keypad", "工作人员键盘"},
                                           {"too-fast", "结束后1秒内评价"},
                                           {"identical-run", "连续相同评分"}};
    cJSON *a = cJSON_Parse(json), *it;
    out[0] = '\0';
    cJSON_ArrayForEach(it, a)
    {
        const char *f = cJSON_GetStringValue(it), *zh = "";
        for (size_t k = 0; f && k < sizeof known / sizeof known[0]; k++)
            zh = strcmp(f, known[k][0]) ? zh : known[k][1];
        size_t used = strlen(out);
        snprintf(out + used, len - used, "%s%s%s%s", used ? "; " : "", zh, *zh ? " " : "", f ? f : "?");
    }
    cJSON_Delete(a);
}

static void flagged_row(jh_csv *c, const jh_report *r, const jh_flagged_row *f)
{
    char day[16], at[40], flags[256];
    jh_csv_text(c, jh_day_text(f->day, day, sizeof day));
    jh_csv_text(c, f->label);
    jh_csv_text(c, f->counter);
    jh_csv_text(c, f->staff_id);
    jh_csv_text(c, name_of(&r->staff, f->staff_id));
    jh_csv_int(c, f->score);
    jh_csv_text(c, jh_time_iso8601(f->rated_at, at, sizeof at));
    flags_text(f->flags, flags, sizeof flags);
    jh_csv_text(c, flags);
    jh_csv_end_row(c);
}

static int write_flagged(jh_report *r, const char *dir, char *err, size_t errlen)
{
    static const char *const head[] = {"日期 / Date", "票号 / Ticket", "窗口 / Counter",
                                       "工号 / Staff ID", "姓名 / Name", "评分 / Score",
                                       "评价时间 / Rated at", "可疑原因 / Flags"};
    jh_csv c;
    if (open_file(&c, dir, "flagged-ratings.csv", err, errlen) < 0)
        return -1;
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        jh_csv_text(&c, head[i]);
    jh_csv_end_row(&c);
    for (int i = 0; i < r->n_flagged; i++)
        flagged_row(&c, r, &r->flagged[i]);
    return jh_csv_close(&c, err, errlen);
}

int jh_report_write_csv(jh_report *r, const char *dir, char *err, size_t errlen)
{
    int hours = r->last_hour - r->first_hour + 1;
    if (write_groups(r, dir, "summary.csv", B_SUMMARY, &r->summary, 1, err, errlen) < 0 ||
        write_groups(r, dir, "by-day.csv", B_DAY, r->days.g, r->days.n, err, errlen) < 0 ||
        write_groups(r, dir, "by-counter.csv", B_COUNTER, r->counters.g, r->counters.n, err, errlen) < 0 ||
        write_groups(r, dir, "by-staff.csv", B_STAFF, r->staff.g, r->staff.n, err, errlen) < 0 ||
        write_groups(r, dir, "by-service.csv", B_SERVICE, r->services.g, r->services.n, err, errlen) < 0 ||
        write_groups(r, dir, "by-hour.csv", B_HOUR, &r->hours[r->first_hour], hours, err, errlen) < 0)
        return -1;
    return write_pauses(r, dir, err, errlen) < 0 ? -1 : write_flagged(r, dir, err, errlen);
}
