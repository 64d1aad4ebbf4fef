/* SPDX-License-Identifier: MIT */
/*
 * test_config — the hall INI reader and schema (common/config: ini_reader.c, hall_keys.c,
 * hall_checks.c).
 *
 * The shipped assets/hall.ini must load with the expected contents. Every class
 * of broken config is provoked from one small valid hall (BASE below) by
 * replacing, inserting or appending lines, and the refusal must name the right
 * line, section and key. Sections of other parts are passed over; typos in our
 * own sections are refused; hostile bytes (NUL, broken UTF-8, endless lines,
 * every truncation of the example file) never crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hall_config.h"

/* Line numbers matter: the error tests refer to them. */
static const char BASE[] =
    "[hall]\n"                                    /* 1 */
    "site = test-hall\n"                          /* 2 */
    "name_zh = 测试大厅\n"                        /* 3 */
    "name_en = Test Hall\n"                       /* 4 */
    "timezone = Asia/Shanghai\n"                  /* 5 */
    "[service A]\n"                               /* 6 */
    "name_zh = 社保业务\n"                        /* 7 */
    "name_en = Social Insurance\n"                /* 8 */
    "numbers = 1-999\n"                           /* 9 */
    "hours = mon-fri 08:30-12:00 14:00-17:30\n"   /* 10 */
    "target_minutes = 15\n"                       /* 11 */
    "[counter c01]\n"                             /* 12 */
    "number = 1\n"                                /* 13 */
    "name_zh = 1号窗口\n"                         /* 14 */
    "name_en = Window 1\n"                        /* 15 */
    "services = A\n";                             /* 16 */

static jh_hall_config *cfg;

static int setup(void **state)
{
    (void)state;
    cfg = calloc(1, sizeof *cfg);
    return cfg ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(cfg);
    return 0;
}

/*
 * BASE with line `line` replaced by `text` (mode 'r'), `text` inserted after
 * line `line` (mode 'i'), or line `line` deleted (mode 'd'). line 0 + 'i' prepends;
 * a line past the end + 'i' appends. `text` has no trailing newline.
 */
static char *edit(char mode, int line, const char *text)
{
    char *out = malloc(sizeof BASE + strlen(text) + 2);
    assert_non_null(out);
    out[0] = '\0';
    if (mode == 'i' && line == 0)
        strcat(strcat(out, text), "\n");
    const char *p = BASE;
    for (int n = 1; *p; n++) {
        const char *nl = strchr(p, '\n');
        size_t len = (size_t)(nl - p) + 1;
        if (n == line && mode == 'r')
            strcat(strcat(out, text), "\n");
        else if (!(n == line && mode == 'd'))
            strncat(out, p, len);
        if (n == line && mode == 'i')
            strcat(strcat(out, text), "\n");
        p += len;
    }
    if (mode == 'i' && line > 16)
        strcat(strcat(out, text), "\n");
    return out;
}

static int parse_text(const char *text, char *err, size_t errlen)
{
    err[0] = '\0';
    return jh_config_parse(cfg, text, strlen(text), "t.ini", err, errlen);
}

/* Expects refusal, and that the message contains every needle (NULL-terminated list). */
static void expect_error_text(const char *text, ...)
{
    char err[512];
    int rc = parse_text(text, err, sizeof err);
    if (rc != -1)
        print_error("accepted:\n%s\n", text);
    assert_int_equal(rc, -1);
    va_list ap;
    va_start(ap, text);
    for (const char *needle; (needle = va_arg(ap, const char *));) {
        if (!strstr(err, needle))
            print_error("message '%s' lacks '%s'\n", err, needle);
        assert_non_null(strstr(err, needle));
    }
    va_end(ap);
    assert_null(strchr(err, '\n')); /* one line */
}

#define EXPECT_ERROR(mode, line, text, ...)                                                      \
    do {                                                                                         \
        char *t_ = edit(mode, line, text);                                                       \
        expect_error_text(t_, __VA_ARGS__, NULL);                                                \
        free(t_);                                                                                \
    } while (0)

static void expect_ok(const char *text)
{
    char err[512];
    int rc = parse_text(text, err, sizeof err);
    if (rc != 0)
        print_error("refused: %s\n", err);
    assert_int_equal(rc, 0);
}

#define EXPECT_OK(mode, line, text)                                                              \
    do {                                                                                         \
        char *t_ = edit(mode, line, text);                                                       \
        expect_ok(t_);                                                                           \
        free(t_);                                                                                \
    } while (0)

static char *example_path(void)
{
    const char *src = getenv("JH_SOURCE_DIR");
    assert_non_null(src);
    char *path = malloc(strlen(src) + 32);
    assert_non_null(path);
    sprintf(path, "%s/assets/hall.ini", src);
    return path;
}

/* ------------------------------------------------------------- the example */

static void test_example_loads(void **state)
{
    (void)state;
    char err[512], *path = example_path();
    int rc = jh_config_load(cfg, path, err, sizeof err);
    if (rc != 0)
        print_error("%s\n", err);
    assert_int_equal(rc, 0);
    free(path);

    assert_string_equal(cfg->site, "tianhe-zwfw");
    assert_string_equal(cfg->name_zh, "天河区政务服务中心");
    assert_string_equal(cfg->timezone, "Asia/Shanghai");
    assert_int_equal(cfg->reset_min, 7 * 60);
    assert_string_equal(cfg->hotline, "12345");
    assert_int_equal(cfg->broker_port, 1883);
    assert_int_equal(cfg->policy, JH_POLICY_MAX_CONSECUTIVE);
    assert_int_equal(cfg->max_consecutive, 3);
    assert_int_equal(cfg->ageing_s, 30 * 60);
    assert_int_equal(cfg->recall_limit, 2);
    assert_int_equal(cfg->requeue, JH_REQUEUE_BACK);
    assert_int_equal(cfg->wait_alert_s, 60 * 60);
    assert_string_equal(cfg->priority_zh[JH_PRIO_ELDERLY], "高龄老人");
    assert_string_equal(cfg->priority_en[JH_PRIO_PREGNANT], "Pregnant woman");

    assert_true(cfg->n_services >= 6);
    assert_true(cfg->n_counters >= 12);
    assert_int_equal(cfg->n_services, 8);
    assert_int_equal(cfg->n_counters, 14);
    assert_int_equal(cfg->n_kiosks, 2);

    const jh_service_config *a = &cfg->services[jh_config_service_index(cfg, "A")];
    assert_string_equal(a->name_en, "Social Insurance");
    assert_int_equal(a->first_number, 1);
    assert_int_equal(a->last_number, 999);
    assert_int_equal(a->width, 3);
    assert_int_equal(a->daily_limit, 600);
    assert_int_equal(a->n_hours[1], 2); /* Monday: morning and afternoon */
    assert_int_equal(a->hours[1][0].open_min, 8 * 60 + 30);
    assert_int_equal(a->hours[1][0].close_min, 12 * 60);
    assert_int_equal(a->hours[1][1].open_min, 14 * 60);
    assert_int_equal(a->hours[1][1].close_min, 17 * 60 + 30);
    assert_int_equal(a->n_hours[6], 1); /* Saturday morning */
    assert_int_equal(a->n_hours[0], 0); /* Sunday closed */
    assert_int_equal(a->target_service_s, 15 * 60);
    assert_int_equal(a->n_materials, 3);
    assert_string_equal(a->materials_zh[0], "居民身份证原件");
    assert_string_equal(a->materials_en[0], "Resident ID card (original)");

    const jh_service_config *c = &cfg->services[jh_config_service_index(cfg, "C")];
    assert_int_equal(c->n_hours[6], 0);
    assert_string_equal(c->time_limit_zh, "3个工作日");
    int qy = jh_config_service_index(cfg, "QY");
    assert_true(qy >= 0);
    assert_int_equal(cfg->services[qy].daily_limit, 200); /* defaults to the range */

    const jh_counter_config *c14 = &cfg->counters[jh_config_counter_index(cfg, "c14")];
    assert_int_equal(c14->number, 14);
    assert_int_equal(c14->n_services, 5);
    assert_string_equal(cfg->services[c14->services[0]].code, "A");
    assert_string_equal(cfg->services[c14->services[4]].code, "G");
    const jh_counter_config *c04 = &cfg->counters[jh_config_counter_index(cfg, "c04")];
    assert_string_equal(cfg->services[c04->services[0]].code, "B"); /* serving order kept */

    assert_int_equal(cfg->kiosks[jh_config_kiosk_index(cfg, "k1")].n_services, 0);
    assert_int_equal(cfg->kiosks[jh_config_kiosk_index(cfg, "k2")].n_services, 4);
}

/* Every truncation of the real file is either a valid hall or a clean refusal. */
static void test_example_every_prefix(void **state)
{
    (void)state;
    char err[512], *path = example_path();
    size_t len;
    char *text = jh_config_read_file(path, &len, err, sizeof err);
    assert_non_null(text);
    int accepted = 0;
    for (size_t n = 0; n <= len; n++) {
        err[0] = '\0';
        if (jh_config_parse(cfg, text, n, "p.ini", err, sizeof err) == 0)
            accepted++;
        else
            assert_int_equal(strncmp(err, "p.ini", 5), 0);
    }
    assert_true(accepted > 0); /* the whole file, at least */
    free(text);
    free(path);
}

/* ------------------------------------------------------------ valid variants */

static void test_minimal_defaults(void **state)
{
    (void)state;
    expect_ok(BASE);
    assert_int_equal(cfg->reset_min, 8 * 60 + 30); /* earliest opening */
    assert_int_equal(cfg->services[0].width, 3);
    assert_int_equal(cfg->services[0].daily_limit, 999);
    assert_int_equal(cfg->services[0].n_materials, 0);
    assert_string_equal(cfg->broker_host, "127.0.0.1");
    assert_int_equal(cfg->broker_port, 1883);
    assert_int_equal(cfg->n_kiosks, 0);
    assert_int_equal(cfg->counters[0].n_services, 1);
}

static void test_unknown_sections_passed_over(void **state)
{
    (void)state;
    /* other parts' sections, with keys this parser has never heard of, anywhere in the file */
    EXPECT_OK('i', 0, "[display main]\nfont_size = 48\nany_key_at_all = 日本語 ok\n"
                      "[bridge b1]\nport = /dev/ttyUSB0\n[hall_extra]\nsite = Not An Id!");
    assert_string_equal(cfg->site, "test-hall");
    /* a known section name with a typo is someone else's section, not ours */
    EXPECT_OK('i', 16, "[counters c02]\nnumber = 1");
    assert_int_equal(cfg->n_counters, 1);
}

static void test_unknown_sections_between(void **state)
{
    (void)state;
    EXPECT_OK('i', 5, "[display main]\nfont_size = 48\n[bridge b1]\nport = /dev/ttyUSB0");
    assert_string_equal(cfg->site, "test-hall");
    EXPECT_OK('i', 16, "[display strip-3]\ncounter = c03\n[bridge b1]\nport = /dev/ttyUSB0");
    assert_int_equal(cfg->n_counters, 1);
}

static void test_syntax_variants(void **state)
{
    (void)state;
    /* BOM, CRLF, comments with both markers, blanks, tabs, '#' and ';' inside values */
    char text[2048];
    snprintf(text, sizeof text,
             "\xEF\xBB\xBF# comment\r\n; another\r\n\r\n  [hall]  \r\n\tsite\t=\ttest-hall\r\n"
             "name_zh = 测试 #1；大厅\r\nname_en = Test; Hall #1\r\ntimezone = Asia/Shanghai\r\n"
             "rating_url = https://x.example/r?a=1;b=2#frag\r\n%s",
             strstr(BASE, "[service A]"));
    expect_ok(text);
    assert_string_equal(cfg->site, "test-hall");
    assert_string_equal(cfg->name_zh, "测试 #1；大厅");
    assert_string_equal(cfg->name_en, "Test; Hall #1");
    assert_string_equal(cfg->rating_url, "https://x.example/r?a=1;b=2#frag");
}

static void test_hours_syntax(void **state)
{
    (void)state;
    EXPECT_OK('r', 10, "hours = mon 14:00-17:00 08:30-12:00\nhours = tue,thu 09:00-24:00\n"
                       "hours = sat-sun 10:00-11:00\nhours = wed 08:30-12:00 12:00-13:00");
    const jh_service_config *s = &cfg->services[0];
    assert_int_equal(s->n_hours[1], 2);
    assert_int_equal(s->hours[1][0].open_min, 8 * 60 + 30); /* sorted */
    assert_int_equal(s->hours[1][1].open_min, 14 * 60);
    assert_int_equal(s->n_hours[2], 1);
    assert_int_equal(s->hours[2][0].close_min, 24 * 60);
    assert_int_equal(s->n_hours[3], 2); /* touching windows do not overlap */
    assert_int_equal(s->n_hours[4], 1);
    assert_int_equal(s->n_hours[5], 0);
    assert_int_equal(s->n_hours[6], 1);
    assert_int_equal(s->n_hours[0], 1);
}

static void test_two_letter_codes_and_lists(void **state)
{
    (void)state;
    EXPECT_OK('i', 16, "[service FP]\nname_zh = 缴费\nname_en = Fee Payment\nnumbers = 1-99\n"
                       "hours = mon-fri 08:30-12:00\ntarget_minutes = 5\n"
                       "[counter c02]\nnumber = 2\nname_zh = 2号窗口\nname_en = Window 2\n"
                       "services =FP ,A\n[kiosk k9]\nservices = FP");
    int fp = jh_config_service_index(cfg, "FP");
    assert_int_equal(fp, 1);
    assert_int_equal(cfg->services[fp].width, 2);
    const jh_counter_config *c2 = &cfg->counters[1];
    assert_int_equal(c2->n_services, 2);
    assert_int_equal(c2->services[0], fp);
    assert_int_equal(c2->services[1], 0);
    assert_int_equal(cfg->kiosks[0].n_services, 1);
}

static void test_counter_before_service(void **state)
{
    (void)state;
    /* references resolve after the whole file: order of sections is free */
    EXPECT_OK('i', 5, "[counter c00]\nnumber = 9\nname_zh = 9号窗口\nname_en = Window 9\n"
                      "services = A");
    assert_int_equal(cfg->counters[0].services[0], 0);
}

/* --------------------------------------------------------------- refusals */

static void test_bad_hours(void **state)
{
    (void)state;
    EXPECT_ERROR('r', 10, "hours = mon-fri 8:30-25:00", "t.ini:10:", "[service A] hours",
                 "'mon-fri 8:30-25:00'", "bad time");
    EXPECT_ERROR('r', 10, "hours = mon-fri 08:30-25:00", "t.ini:10:", "bad time '08:30-25:00'");
    EXPECT_ERROR('r', 10, "hours = mon-fri 08:30-12:60", "t.ini:10:", "bad time");
    EXPECT_ERROR('r', 10, "hours = mon-fri 24:00-24:00", "t.ini:10:", "bad time");
    EXPECT_ERROR('r', 10, "hours = mon-fri 08:30", "t.ini:10:", "bad time");
    EXPECT_ERROR('r', 10, "hours = mon-fri 08:30-12:00-13:00", "t.ini:10:", "bad time");
    EXPECT_ERROR('r', 10, "hours = mon-fri 12:00-08:30", "t.ini:10:", "closes before it opens");
    EXPECT_ERROR('r', 10, "hours = mon-fri 08:30-08:30", "t.ini:10:", "closes before it opens");
    EXPECT_ERROR('r', 10, "hours = mon-fri 08:30-12:00 11:00-13:00", "t.ini:10:", "overlaps",
                 "mon");
    EXPECT_ERROR('i', 10, "hours = fri 11:00-12:30", "t.ini:11:", "[service A] hours",
                 "overlaps other hours on fri");
    EXPECT_ERROR('r', 10, "hours = fri-mon 08:30-12:00", "t.ini:10:", "bad days");
    EXPECT_ERROR('r', 10, "hours = monday 08:30-12:00", "t.ini:10:", "bad days");
    EXPECT_ERROR('r', 10, "hours = mon, 08:30-12:00", "t.ini:10:", "bad days");
    EXPECT_ERROR('r', 10, "hours = 08:30-12:00", "t.ini:10:", "bad days");
    EXPECT_ERROR('r', 10, "hours = mon-fri", "t.ini:10:", "no opening times");
    EXPECT_ERROR('r', 10, "hours = mon 01:00-02:00 03:00-04:00 05:00-06:00 07:00-08:00 09:00-10:00",
                 "t.ini:10:", "more than 4");
}

static void test_bad_ids(void **state)
{
    (void)state;
    EXPECT_ERROR('r', 2, "site = Test_Hall", "t.ini:2:", "[hall] site", "a-z0-9-");
    EXPECT_ERROR('r', 2, "site = 大厅", "t.ini:2:", "[hall] site");
    EXPECT_ERROR('r', 2, "site = abcdefghijklmnopqrstuvwxyz0123456", "t.ini:2:", "too long");
    EXPECT_ERROR('r', 6, "[service a]", "t.ini:6:", "[service a]", "1-2 capital letters");
    EXPECT_ERROR('r', 6, "[service ABC]", "t.ini:6:", "1-2 capital letters");
    EXPECT_ERROR('r', 6, "[service A1]", "t.ini:6:", "1-2 capital letters");
    EXPECT_ERROR('r', 6, "[service]", "t.ini:6:", "[service]", "needs an id");
    EXPECT_ERROR('r', 12, "[counter C01]", "t.ini:12:", "[counter C01]", "a-z0-9-");
    EXPECT_ERROR('r', 12, "[counter c 01]", "t.ini:12:", "bad section argument");
    EXPECT_ERROR('r', 1, "[hall main]", "t.ini:1:", "[hall main]", "takes no argument");
    EXPECT_ERROR('r', 1, "[Hall]", "t.ini:1:", "bad section name");
    EXPECT_ERROR('r', 1, "[hall", "t.ini:1:", "does not end with ']'");
}

static void test_duplicates(void **state)
{
    (void)state;
    EXPECT_ERROR('i', 16, "[service A]", "t.ini:17:", "service A given twice");
    EXPECT_ERROR('i', 16, "[counter c01]", "t.ini:17:", "counter c01 given twice");
    EXPECT_ERROR('i', 16, "[counter c02]\nnumber = 1", "t.ini:18:", "[counter c02] number",
                 "already used by [counter c01]");
    EXPECT_ERROR('i', 16, "[hall]", "t.ini:17:", "[hall]", "given twice");
    EXPECT_ERROR('i', 16, "[dispatch]\n[dispatch]", "t.ini:18:", "given twice");
    EXPECT_ERROR('i', 16, "[kiosk k1]\n[kiosk k1]", "t.ini:18:", "kiosk k1 given twice");
    EXPECT_ERROR('i', 7, "name_zh = 又一个", "t.ini:8:", "[service A] name_zh",
                 "given twice (first on line 7)");
    EXPECT_ERROR('i', 2, "site = again", "t.ini:3:", "[hall] site", "given twice");
}

static void test_numbers(void **state)
{
    (void)state;
    EXPECT_ERROR('i', 9, "width = 2", "t.ini:10:", "[service A] width", "cannot show number 999");
    EXPECT_ERROR('i', 9, "width = 7", "t.ini:10:", "[service A] width", "1..6");
    EXPECT_ERROR('i', 9, "daily_limit = 1000", "t.ini:10:", "[service A] daily_limit",
                 "more than the 999 numbers");
    EXPECT_ERROR('i', 9, "daily_limit = 0", "t.ini:10:", "daily_limit");
    EXPECT_ERROR('i', 9, "daily_limit = -5", "t.ini:10:", "daily_limit");
    EXPECT_ERROR('r', 9, "numbers = 999-1", "t.ini:9:", "[service A] numbers");
    EXPECT_ERROR('r', 9, "numbers = 0-999", "t.ini:9:", "numbers");
    EXPECT_ERROR('r', 9, "numbers = 1-", "t.ini:9:", "numbers");
    EXPECT_ERROR('r', 9, "numbers = 999", "t.ini:9:", "numbers");
    EXPECT_ERROR('r', 9, "numbers = 1-1e3", "t.ini:9:", "numbers");
    EXPECT_ERROR('r', 9, "numbers = 1-99999999999999999999", "t.ini:9:", "numbers");
    EXPECT_ERROR('r', 11, "target_minutes = 0", "t.ini:11:", "target_minutes");
    EXPECT_ERROR('r', 11, "target_minutes = 15min", "t.ini:11:", "target_minutes");
    EXPECT_ERROR('r', 13, "number = 0", "t.ini:13:", "[counter c01] number");
    EXPECT_ERROR('r', 13, "number = +1", "t.ini:13:", "[counter c01] number");
    EXPECT_OK('i', 9, "width = 4\ndaily_limit = 999");
    assert_int_equal(cfg->services[0].width, 4);
}

static void test_counter_references(void **state)
{
    (void)state;
    EXPECT_ERROR('r', 16, "services = A, X", "t.ini:16:", "[counter c01] services",
                 "no [service X]");
    EXPECT_ERROR('r', 16, "services = A, A", "t.ini:16:", "A listed twice");
    EXPECT_ERROR('r', 16, "services = A,", "t.ini:16:", "separated by commas");
    EXPECT_ERROR('r', 16, "services = ,A", "t.ini:16:", "[counter c01] services");
    EXPECT_ERROR('r', 16, "services = A B", "t.ini:16:", "no [service A B]");
    EXPECT_ERROR('r', 16, "services =", "t.ini:16:", "[counter c01] services");
    EXPECT_ERROR('d', 16, "", "t.ini:12:", "[counter c01] services: missing");
    EXPECT_ERROR('i', 16, "[kiosk k1]\nservices = Z", "t.ini:18:", "[kiosk k1] services",
                 "no [service Z]");
}

static void test_timezone(void **state)
{
    (void)state;
    EXPECT_ERROR('r', 5, "timezone = Asia/Nowhere", "t.ini:5:", "[hall] timezone",
                 "unknown time zone");
    EXPECT_ERROR('r', 5, "timezone = ../../../etc/passwd", "t.ini:5:", "not a time zone name");
    EXPECT_ERROR('r', 5, "timezone = /etc/localtime", "t.ini:5:", "not a time zone name");
    EXPECT_ERROR('r', 5, "timezone = Asia", "t.ini:5:", "unknown time zone"); /* a directory */
    EXPECT_ERROR('r', 5, "timezone = leapseconds", "t.ini:5:", "unknown time zone"); /* not TZif */
    EXPECT_ERROR('r', 5, "timezone = zone.tab", "t.ini:5:", "not a time zone name");
    EXPECT_ERROR('r', 5, "timezone = Asia/Shang hai", "t.ini:5:", "not a time zone name");
    EXPECT_OK('r', 5, "timezone = Europe/Berlin");
    assert_string_equal(cfg->timezone, "Europe/Berlin");
}

static void test_missing(void **state)
{
    (void)state;
    EXPECT_ERROR('d', 4, "", "t.ini:1:", "[hall] name_en: missing");
    EXPECT_ERROR('d', 2, "", "t.ini:1:", "[hall] site: missing");
    EXPECT_ERROR('d', 5, "", "t.ini:1:", "[hall] timezone: missing");
    EXPECT_ERROR('d', 10, "", "t.ini:6:", "[service A] hours: missing");
    EXPECT_ERROR('d', 9, "", "t.ini:6:", "[service A] numbers: missing");
    EXPECT_ERROR('d', 13, "", "t.ini:12:", "[counter c01] number: missing");
    EXPECT_ERROR('i', 16, "[broker]\nport = 1884", "t.ini:17:", "[broker] host: missing");
    expect_error_text(strstr(BASE, "[service A]"), "t.ini", "no [hall] section", NULL);
    char only_hall[256];
    snprintf(only_hall, sizeof only_hall, "%.*s", (int)(strstr(BASE, "[service A]") - BASE), BASE);
    expect_error_text(only_hall, "t.ini", "no [service", NULL);
    expect_error_text("", "t.ini", "no [hall] section", NULL);
}

static void test_text_limits(void **state)
{
    (void)state;
    char line[600] = "name_zh = ";
    for (int i = 0; i < 43; i++)
        strcat(line, "长"); /* 129 bytes: one over */
    EXPECT_ERROR('r', 7, line, "t.ini:7:", "[service A] name_zh", "too long (129 bytes, at most 127)");
    line[strlen(line) - 3] = '\0'; /* 126 bytes fit */
    EXPECT_OK('r', 7, line);
    EXPECT_ERROR('r', 7, "name_zh =", "t.ini:7:", "[service A] name_zh", "must not be empty");
    EXPECT_ERROR('r', 7, "name_zh = 社保\t业务", "t.ini:7:", "control character");
    EXPECT_ERROR('i', 4, "rating_url = https://x.example/评价", "t.ini:5:", "[hall] rating_url",
                 "ASCII");
    EXPECT_ERROR('i', 11, "material_zh = 身份证\nmaterial_zh = 户口簿\nmaterial_en = ID card",
                 "t.ini:13:", "[service A] material_zh/material_en", "2 zh lines but 1 en");
    EXPECT_ERROR('i', 11, "material_zh =", "t.ini:12:", "material_zh", "must not be empty");
    EXPECT_ERROR('i', 11, "time_limit_zh = 3个工作日", "t.ini:12:", "[service A] time_limit_zh",
                 "given without time_limit_en");
    char many[4096] = "";
    for (int i = 0; i < 17; i++)
        strcat(many, "material_zh = 一\nmaterial_en = one\n");
    many[strlen(many) - 1] = '\0';
    EXPECT_ERROR('i', 11, many, "t.ini:44:", "more than 16 materials");
}

static void test_typos_and_values(void **state)
{
    (void)state;
    EXPECT_ERROR('r', 8, "name_eng = Social Insurance", "t.ini:8:", "[service A] name_eng",
                 "unknown key");
    EXPECT_ERROR('i', 5, "timezon = Asia/Shanghai", "t.ini:6:", "[hall] timezon", "unknown key");
    EXPECT_ERROR('i', 16, "[dispatch]\npolicy = fair", "t.ini:18:", "[dispatch] policy",
                 "'fair'");
    EXPECT_ERROR('i', 16, "[dispatch]\nrequeue = front", "t.ini:18:", "[dispatch] requeue");
    EXPECT_ERROR('i', 16, "[dispatch]\nratio = 0", "t.ini:18:", "[dispatch] ratio");
    EXPECT_ERROR('i', 16, "[dispatch]\nrecall_limit = 11", "t.ini:18:", "recall_limit");
    EXPECT_ERROR('i', 16, "[dispatch]\nwait_alert_minutes = 0", "t.ini:18:",
                 "[dispatch] wait_alert_minutes");
    EXPECT_ERROR('i', 16, "[dispatch]\nwait_alert_minutes = 1441", "t.ini:18:",
                 "[dispatch] wait_alert_minutes");
    EXPECT_ERROR('i', 16, "[dispatch]\nwait_alert_minutes = 30\nwait_alert_minutes = 40",
                 "t.ini:19:", "[dispatch] wait_alert_minutes");
    EXPECT_ERROR('i', 16, "[broker]\nhost = localhost\nport = 0", "t.ini:19:", "[broker] port");
    EXPECT_ERROR('i', 16, "[broker]\nhost = localhost\nport = 65536", "t.ini:19:", "[broker] port");
    EXPECT_ERROR('i', 16, "[broker]\nhost = localhost\nuser = a b", "t.ini:19:", "[broker] user");
    EXPECT_ERROR('i', 16, "[broker]\nhost = h\npassword = x\npassword_file = /p", "t.ini:20:",
                 "[broker] password_file", "not both");
    EXPECT_ERROR('i', 16, "[broker]\nhost = h\ncertfile = /c.pem", "t.ini:19:", "[broker] certfile",
                 "go together");
    EXPECT_ERROR('i', 16, "[priority]\nelderly = 老人", "t.ini:18:", "unknown key");
    EXPECT_ERROR('i', 4, "reset_at = 7:00", "t.ini:5:", "[hall] reset_at", "bad time");
    EXPECT_ERROR('i', 4, "reset_at = 24:00", "t.ini:5:", "[hall] reset_at", "bad time");
    EXPECT_ERROR('i', 4, "reset_at = 09:00", "t.ini:5:", "[hall] reset_at",
                 "after [service A] opens at 08:30");

    EXPECT_OK('i', 16, "[dispatch]\npolicy = ageing\nageing_minutes = 45\nrequeue = keep\n"
                       "[broker]\nhost = mq.local\nport = 8883\nuser = jiaohao_caller\n"
                       "password_file = /etc/jiaohao/caller.pw\ncafile = /ca.pem\n"
                       "[priority]\nother_en = Others\n[hall_]\n");
    assert_int_equal(cfg->policy, JH_POLICY_AGEING);
    assert_int_equal(cfg->ageing_s, 45 * 60);
    assert_int_equal(cfg->wait_alert_s, 60 * 60); /* default */
    assert_int_equal(cfg->requeue, JH_REQUEUE_KEEP);
    assert_int_equal(cfg->broker_port, 8883);
    assert_string_equal(cfg->broker_user, "jiaohao_caller");
    assert_string_equal(cfg->priority_en[JH_PRIO_OTHER], "Others");
    assert_string_equal(cfg->priority_en[JH_PRIO_ELDERLY], "Elderly"); /* default kept */
    EXPECT_OK('i', 16, "[dispatch]\nwait_alert_minutes = 25\n");
    assert_int_equal(cfg->wait_alert_s, 25 * 60);
    EXPECT_OK('i', 4, "reset_at = 04:00");
    assert_int_equal(cfg->reset_min, 4 * 60);
}

static void test_hostile_bytes(void **state)
{
    (void)state;
    char err[512];
    char text[sizeof BASE];
    memcpy(text, BASE, sizeof BASE);
    text[strstr(text, "Test Hall") - text] = '\0'; /* NUL inside line 4 */
    assert_int_equal(jh_config_parse(cfg, text, sizeof BASE - 1, "t.ini", err, sizeof err), -1);
    assert_non_null(strstr(err, "t.ini:4: NUL byte"));

    EXPECT_ERROR('r', 3, "name_zh = \xE6\xB5", "t.ini:3:", "not valid UTF-8");     /* cut */
    EXPECT_ERROR('r', 3, "name_zh = \xC0\xAF", "t.ini:3:", "not valid UTF-8");     /* overlong */
    EXPECT_ERROR('r', 3, "name_zh = \xED\xA0\x80", "t.ini:3:", "not valid UTF-8"); /* surrogate */
    EXPECT_ERROR('r', 3, "name_zh = \xF4\x90\x80\x80", "t.ini:3:", "not valid UTF-8");
    EXPECT_ERROR('i', 0, "site = first", "t.ini:1:", "key before any [section]");
    EXPECT_ERROR('i', 3, "just some words", "t.ini:4:", "expected 'key = value'");
    EXPECT_ERROR('i', 3, "= value", "t.ini:4:", "bad key");
    EXPECT_ERROR('i', 3, "Name_EN = x", "t.ini:4:", "bad key");

    char *long_line = malloc(5000);
    assert_non_null(long_line);
    strcpy(long_line, "# ");
    memset(long_line + 2, 'x', 4200);
    long_line[4202] = '\0';
    EXPECT_ERROR('i', 3, long_line, "t.ini:4:", "longer than 4096 bytes");
    free(long_line);

    /* a tiny error buffer truncates the message, never overflows */
    char small[8];
    assert_int_equal(jh_config_parse(cfg, "x", 1, "t.ini", small, sizeof small), -1);
    assert_string_equal(small, "t.ini:1");
}

static void test_load_errors(void **state)
{
    (void)state;
    char err[512];
    assert_int_equal(jh_config_load(cfg, "/nonexistent/hall.ini", err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/hall.ini: cannot open"));
    assert_int_equal(jh_config_load(cfg, "/", err, sizeof err), -1);
    assert_non_null(strstr(err, "/: "));
}

/* -------------------------------------------------- reader API and lookups */

typedef struct {
    char seen[1024];
    int refuse_line;
} collect;

static int collect_fn(void *user, const char *section, const char *arg, const char *key,
                      const char *value, int line, char *why, size_t wl)
{
    collect *c = user;
    if (line == c->refuse_line) {
        snprintf(why, wl, "refused by the caller");
        return -1;
    }
    char item[256];
    snprintf(item, sizeof item, key ? "%d:%s/%s/%s=%s;" : "%d:%s/%s;", line, section, arg,
             key ? key : "", value ? value : "");
    strncat(c->seen, item, sizeof c->seen - strlen(c->seen) - 1);
    return 0;
}

static void test_ini_reader_api(void **state)
{
    (void)state;
    const char *text = "[display main]\nfont = Noto Sans CJK SC\n\n[bridge]\n ; c\nport=/dev/ttyS0";
    collect c = {.refuse_line = 0};
    char err[256];
    assert_int_equal(jh_ini_parse(text, strlen(text), "d.ini", collect_fn, &c, err, sizeof err), 0);
    assert_string_equal(c.seen, "1:display/main;2:display/main/font=Noto Sans CJK SC;4:bridge/;"
                                "6:bridge//port=/dev/ttyS0;");
    collect r = {.refuse_line = 2};
    assert_int_equal(jh_ini_parse(text, strlen(text), "d.ini", collect_fn, &r, err, sizeof err), -1);
    assert_string_equal(err, "d.ini:2: [display main] font: refused by the caller");
    collect h = {.refuse_line = 4};
    assert_int_equal(jh_ini_parse(text, strlen(text), "d.ini", collect_fn, &h, err, sizeof err), -1);
    assert_string_equal(err, "d.ini:4: [bridge]: refused by the caller");
}

/* The value parsers the parts share: what each accepts, and that the strict
 * spelling of the hall's own keys holds for everybody. */
static void test_ini_value_parsers(void **state)
{
    (void)state;
    int v = 7, w = 0, h = 0;
    char why[128] = "";
    assert_int_equal(jh_ini_int("0042", 1, 100, &v, NULL, 0), 0);
    assert_int_equal(v, 42);
    static const char *bad[] = {"", "+5", "-0", " 5", "5 ", "0x10", "1e3", "0000000005", "101"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = 7;
        assert_int_equal(jh_ini_int(bad[i], 0, 100, &v, NULL, 0), -1);
        assert_int_equal(v, 7);
    }
    assert_int_equal(jh_ini_int("-5", -10, 10, &v, NULL, 0), 0);
    assert_int_equal(v, -5);
    assert_int_equal(jh_ini_int("-", -10, 10, &v, NULL, 0), -1);
    assert_int_equal(jh_ini_int("-11", -10, 10, &v, why, sizeof why), -1);
    assert_string_equal(why, "'-11': want a whole number -10..10");

    assert_int_equal(jh_ini_size("1920x1080", 16, 8192, 8, 8192, &w, &h), 0);
    assert_int_equal(w, 1920);
    assert_int_equal(h, 1080);
    static const char *bad_size[] = {"1920", "1920x", "x1080", "1920 x1080", "1920x 1080", "+1920x1080",
                                     "1920x1080x1", "15x1080", "1920x7"};
    for (size_t i = 0; i < sizeof bad_size / sizeof bad_size[0]; i++)
        assert_int_equal(jh_ini_size(bad_size[i], 16, 8192, 8, 8192, &w, &h), -1);

    assert_int_equal(jh_ini_hhmm("08:30", 5, 0, &v), 0);
    assert_int_equal(v, 510);
    assert_int_equal(jh_ini_hhmm("24:00", 5, 0, &v), -1);
    assert_int_equal(jh_ini_hhmm("24:00", 5, 1, &v), 0);
    assert_int_equal(v, 1440);
    assert_int_equal(jh_ini_hhmm(" 8:30", 5, 1, &v), -1);
    assert_int_equal(jh_ini_hhmm("08:60", 5, 1, &v), -1);
    assert_int_equal(jh_ini_hhmm("08:30-09:00", 5, 0, &v), 0); /* only the n bytes given */

    assert_int_equal(jh_ini_bool("YES", JH_INI_YES_NO, &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(jh_ini_bool("no", JH_INI_YES_NO, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(jh_ini_bool("true", JH_INI_YES_NO, &v), -1);
    assert_int_equal(jh_ini_bool("on", JH_INI_YES_NO | JH_INI_TRUE_FALSE | JH_INI_ONE_ZERO, &v), -1);
    assert_int_equal(jh_ini_bool("Off", JH_INI_ON_OFF, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(jh_ini_bool("1", JH_INI_ONE_ZERO, &v), 0);
    assert_int_equal(v, 1);
    assert_int_equal(jh_ini_bool("", JH_INI_ON_OFF | JH_INI_YES_NO | JH_INI_TRUE_FALSE | JH_INI_ONE_ZERO, &v),
                     -1);
}

static void test_lookups_and_names(void **state)
{
    (void)state;
    expect_ok(BASE);
    assert_int_equal(jh_config_service_index(cfg, "A"), 0);
    assert_int_equal(jh_config_service_index(cfg, "B"), -1);
    assert_int_equal(jh_config_counter_index(cfg, "c01"), 0);
    assert_int_equal(jh_config_counter_index(cfg, "c1"), -1);
    assert_int_equal(jh_config_kiosk_index(cfg, "k1"), -1);
    for (int p = 0; p < JH_PRIO_COUNT; p++)
        assert_int_equal(jh_priority_parse(jh_priority_name((jh_priority)p)), p);
    assert_int_equal(jh_priority_parse("elderly"), JH_PRIO_ELDERLY);
    assert_int_equal(jh_priority_parse("none"), JH_PRIO_NONE);
    assert_int_equal(jh_priority_parse("Elderly"), -1);
    assert_int_equal(jh_priority_parse(""), -1);
    assert_int_equal(jh_priority_parse(NULL), -1);
    assert_string_equal(jh_policy_name(JH_POLICY_MAX_CONSECUTIVE), "max-consecutive");
    assert_string_equal(jh_policy_name(JH_POLICY_STRICT), "strict");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_loads),
        cmocka_unit_test(test_example_every_prefix),
        cmocka_unit_test(test_minimal_defaults),
        cmocka_unit_test(test_unknown_sections_passed_over),
        cmocka_unit_test(test_unknown_sections_between),
        cmocka_unit_test(test_syntax_variants),
        cmocka_unit_test(test_hours_syntax),
        cmocka_unit_test(test_two_letter_codes_and_lists),
        cmocka_unit_test(test_counter_before_service),
        cmocka_unit_test(test_bad_hours),
        cmocka_unit_test(test_bad_ids),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_counter_references),
        cmocka_unit_test(test_timezone),
        cmocka_unit_test(test_missing),
        cmocka_unit_test(test_text_limits),
        cmocka_unit_test(test_typos_and_values),
        cmocka_unit_test(test_hostile_bytes),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_ini_reader_api),
        cmocka_unit_test(test_ini_value_parsers),
        cmocka_unit_test(test_lookups_and_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
