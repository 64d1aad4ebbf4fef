/* SPDX-License-Identifier: MIT */
/*
 * test_ticket_layout — the printed ticket, read back by the printer
 * emulator's own ESC/POS interpreter: lines, sizes, the green-channel mark,
 * the materials checklist and the QR payload, for every service of
 * assets/hall.ini on 58 and 80 mm paper, with nothing the printer would have
 * to wrap by itself and no character it could not print.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu_escpos.h"
#include "emu_json.h"
#include "hall_config.h"
#include "printer_config.h"
#include "ticket_layout.h"
#include "ticket_print.h"

static jh_hall_config *g_cfg;

static int setup(void **state)
{
    (void)state;
    char path[1024], err[256];
    const char *src = getenv("JH_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/assets/hall.ini", src ? src : ".");
    g_cfg = calloc(1, sizeof *g_cfg);
    if (!g_cfg || jh_config_load(g_cfg, path, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(g_cfg);
    return 0;
}

typedef struct {
    cJSON *ticket;
    int cuts;
    int columns;
} capture;

static void on_ticket(const jh_emu_ticket *t, void *ctx)
{
    capture *c = ctx;
    char *s = jh_emu_ticket_json(t, ++c->cuts, c->columns);
    cJSON_Delete(c->ticket);
    c->ticket = cJSON_Parse(s);
    free(s);
}

static jh_printer_config paper(int mm)
{
    jh_printer_config pc;
    jh_printer_config_defaults(&pc);
    pc.paper_mm = mm;
    pc.columns = mm == 58 ? 32 : 48;
    return pc;
}

static jh_issued_ticket ticket(const char *number, const char *service, jh_priority p)
{
    jh_issued_ticket t = {.priority = p, .ahead = 5, .ewt_s = 840, .issued_at = "2026-11-23T09:05:07+08:00",
                          .day = 20261123};
    if (snprintf(t.ticket, sizeof t.ticket, "%s", number) >= (int)sizeof t.ticket ||
        snprintf(t.service, sizeof t.service, "%s", service) >= (int)sizeof t.service)
        fail_msg("test ticket %s/%s does not fit the ticket's fields", number, service);
    return t;
}

/* Lays the ticket out and reads it back; the caller frees the JSON. */
static cJSON *print_and_read(const jh_hall_config *cfg, const jh_printer_config *pc, const jh_issued_ticket *t)
{
    jh_escpos job;
    jh_escpos_init(&job);
    char err[256];
    if (jh_ticket_layout(&job, cfg, pc, t, err, sizeof err) != 0)
        fail_msg("layout: %s", err);
    capture c = {.columns = pc->columns};
    jh_emu_hooks hooks = {.on_ticket = on_ticket, .ctx = &c};
    jh_emu_parser *p = jh_emu_parser_new(pc->columns, &hooks);
    jh_emu_parser_feed(p, job.data, job.len);
    jh_emu_parser_free(p);
    jh_escpos_free(&job);
    assert_int_equal(c.cuts, 1);
    assert_non_null(c.ticket);
    /* nothing the printer had to fix or could not print */
    static const char *zero[] = {"invalid_codes", "unknown_commands", "auto_wraps", "misplaced", "dropped_lines"};
    for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
        assert_int_equal(cJSON_GetObjectItem(c.ticket, zero[i])->valueint, 0);
    return c.ticket;
}

static cJSON *lines_of(cJSON *t) { return cJSON_GetObjectItem(t, "lines"); }
static const char *str(cJSON *o, const char *k)
{
    cJSON *v = cJSON_GetObjectItem(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}
static int num(cJSON *o, const char *k) { return cJSON_GetObjectItem(o, k)->valueint; }

/* The first text line containing `needle`, or NULL. */
static cJSON *find_line(cJSON *t, const char *needle)
{
    cJSON *l;
    cJSON_ArrayForEach(l, lines_of(t)) if (str(l, "text") && strstr(str(l, "text"), needle)) return l;
    return NULL;
}

/* All text, each line's leading blanks dropped, joined by `sep`: with "" a
 * wrapped Chinese item reads whole again, with " " a wrapped English one. */
static void joined(cJSON *t, const char *sep, char *out, size_t len)
{
    cJSON *l;
    out[0] = '\0';
    cJSON_ArrayForEach(l, lines_of(t))
    {
        const char *s = str(l, "text");
        if (!s)
            continue;
        while (*s == ' ')
            s++;
        strncat(out, s, len - strlen(out) - 1);
        strncat(out, sep, len - strlen(out) - 1);
    }
}

static void test_ordinary_ticket_80mm(void **state)
{
    (void)state;
    jh_printer_config pc = paper(80);
    jh_issued_ticket t = ticket("A012", "A", JH_PRIO_NONE);
    cJSON *j = print_and_read(g_cfg, &pc, &t);

    cJSON *hall = find_line(j, g_cfg->name_zh);
    assert_non_null(hall);
    assert_string_equal(str(hall, "align"), "center");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(hall, "bold")));
    assert_non_null(find_line(j, g_cfg->name_en));

    cJSON *svc = find_line(j, "社保业务");
    assert_non_null(svc);
    assert_int_equal(num(svc, "w"), 2);
    assert_non_null(find_line(j, "Social Insurance"));

    cJSON *number = find_line(j, "A012");
    assert_non_null(number);
    assert_string_equal(str(number, "text"), "A012");
    assert_int_equal(num(number, "w"), 6);
    assert_int_equal(num(number, "h"), 6);
    assert_string_equal(str(number, "align"), "center");

    assert_non_null(find_line(j, "您前面还有 5 人"));
    assert_non_null(find_line(j, "5 ahead of you"));
    assert_non_null(find_line(j, "预计等候约 14 分钟"));
    assert_non_null(find_line(j, "2026-11-23 09:05"));
    assert_non_null(find_line(j, "一次性告知"));
    assert_non_null(find_line(j, "即办件，当场办结"));
    assert_non_null(find_line(j, "12345"));
    assert_null(find_line(j, "绿色通道"));

    cJSON *qr = NULL, *l;
    cJSON_ArrayForEach(l, lines_of(j)) if (str(l, "qr")) qr = l;
    assert_non_null(qr);
    assert_string_equal(str(qr, "qr"), "https://zwfw.example.gov.cn/rate?site=tianhe-zwfw&ticket=A012&d=20261123");
    assert_int_equal(num(qr, "module"), pc.qr_module);
    assert_int_equal(num(j, "cut_feed"), pc.cut_feed);
    cJSON_Delete(j);
}

static void test_green_channel_58mm(void **state)
{
    (void)state;
    jh_printer_config pc = paper(58);
    jh_issued_ticket t = ticket("B003", "B", JH_PRIO_ELDERLY);
    cJSON *j = print_and_read(g_cfg, &pc, &t);
    cJSON *mark = find_line(j, "绿色通道");
    assert_non_null(mark);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(mark, "reverse")));
    assert_int_equal(num(mark, "w"), 2);
    char all[16384];
    joined(j, "", all, sizeof all);
    assert_non_null(strstr(all, g_cfg->priority_zh[JH_PRIO_ELDERLY]));
    joined(j, " ", all, sizeof all);
    assert_non_null(strstr(all, "Green Channel"));
    assert_non_null(strstr(all, g_cfg->priority_en[JH_PRIO_ELDERLY]));
    cJSON *number = find_line(j, "B003");
    assert_int_equal(num(number, "w"), 6); /* 4 × 6 = 24 of 32 columns */
    cJSON_Delete(j);
}

static void test_number_shrinks_to_fit(void **state)
{
    (void)state;
    jh_printer_config pc = paper(58);
    jh_issued_ticket t = ticket("A12345", "A", JH_PRIO_NONE);
    cJSON *j = print_and_read(g_cfg, &pc, &t);
    assert_int_equal(num(find_line(j, "A12345"), "w"), 5); /* 6 × 5 = 30 ≤ 32 */
    cJSON_Delete(j);
}

/* Every service, both papers, with and without green channel: every
 * material and the time limit are on the ticket and every line fits. */
static void test_every_service_fits(void **state)
{
    (void)state;
    static const int mms[] = {58, 80};
    char zh[16384], en[16384];
    for (int s = 0; s < g_cfg->n_services; s++)
        for (int m = 0; m < 2; m++)
            for (int prio = 0; prio < 2; prio++) {
                const jh_service_config *svc = &g_cfg->services[s];
                jh_printer_config pc = paper(mms[m]);
                char number[JH_ID_LEN + 8]; /* room for any code: gcc -O0 checks the bound, not the value */
                snprintf(number, sizeof number, "%s%03d", svc->code, 7);
                jh_issued_ticket t = ticket(number, svc->code, prio ? JH_PRIO_PREGNANT : JH_PRIO_NONE);
                cJSON *j = print_and_read(g_cfg, &pc, &t);
                joined(j, "", zh, sizeof zh);
                joined(j, " ", en, sizeof en);
                for (int i = 0; i < svc->n_materials; i++) {
                    assert_non_null(strstr(zh, svc->materials_zh[i]));
                    assert_non_null(strstr(en, svc->materials_en[i]));
                }
                assert_non_null(strstr(zh, svc->time_limit_zh));
                assert_non_null(strstr(en, svc->time_limit_en));
                cJSON_Delete(j);
            }
}

static void test_long_text_wraps_with_indent(void **state)
{
    (void)state;
    jh_hall_config *cfg = malloc(sizeof *cfg);
    memcpy(cfg, g_cfg, sizeof *cfg);
    jh_service_config *svc = &cfg->services[jh_config_service_index(cfg, "A")];
    snprintf(svc->materials_zh[0], JH_TEXT_LEN, "%s", "申请人身份证明原件及复印件一式两份加盖公章并由经办人签字确认后提交窗口审核办理");
    snprintf(svc->materials_en[0], JH_TEXT_LEN, "%s", "Pneumonoultramicroscopicsilicovolcanoconiosis-certificate and more words");
    jh_printer_config pc = paper(58);
    jh_issued_ticket t = ticket("A001", "A", JH_PRIO_NONE);
    cJSON *j = print_and_read(cfg, &pc, &t); /* checks: no auto wrap */
    cJSON *first = find_line(j, "1. 申请人");
    assert_non_null(first);
    cJSON *next = first->next;
    assert_memory_equal(str(next, "text"), "   ", 3); /* continuation under the text, not the number */
    char zh[16384];
    joined(j, "", zh, sizeof zh);
    assert_non_null(strstr(zh, svc->materials_zh[0]));
    cJSON_Delete(j);
    free(cfg);
}

static void test_wait_texts(void **state)
{
    (void)state;
    jh_printer_config pc = paper(80);
    jh_issued_ticket t = ticket("A001", "A", JH_PRIO_NONE);
    t.ahead = 0;
    cJSON *j = print_and_read(g_cfg, &pc, &t);
    assert_non_null(find_line(j, "您前面没有人等候"));
    assert_null(find_line(j, "预计等候"));
    cJSON_Delete(j);
    t.ahead = 2;
    t.ewt_s = 61;
    j = print_and_read(g_cfg, &pc, &t);
    assert_non_null(find_line(j, "预计等候约 2 分钟"));
    cJSON_Delete(j);
}

static void test_no_qr_when_disabled(void **state)
{
    (void)state;
    jh_printer_config pc = paper(80);
    pc.qr = 0;
    jh_issued_ticket t = ticket("C010", "C", JH_PRIO_NONE);
    cJSON *j = print_and_read(g_cfg, &pc, &t);
    cJSON *l;
    cJSON_ArrayForEach(l, lines_of(j)) assert_null(str(l, "qr"));
    cJSON_Delete(j);
}

static void test_bad_tickets_are_refused(void **state)
{
    (void)state;
    jh_printer_config pc = paper(80);
    static const struct {
        const char *number, *service, *want;
    } bad[] = {{"Z001", "Z", "'Z'"}, {"a-1", "A", "capital letters"}, {"", "A", "capital"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        jh_escpos out;
        jh_escpos_init(&out);
        jh_issued_ticket t = ticket(bad[i].number, bad[i].service, JH_PRIO_NONE);
        char err[256] = "";
        assert_int_equal(jh_ticket_layout(&out, g_cfg, &pc, &t, err, sizeof err), -1);
        assert_non_null(strstr(err, bad[i].want));
        assert_int_equal(out.len, 0);
        jh_escpos_free(&out);
    }
}

static void test_qr_payload(void **state)
{
    (void)state;
    char buf[128];
    assert_int_equal(jh_ticket_qr_payload(buf, sizeof buf, "https://a.cn/r?x=1&ticket=", "A012", 20261123), 0);
    assert_string_equal(buf, "https://a.cn/r?x=1&ticket=A012&d=20261123");
    assert_int_equal(jh_ticket_qr_payload(buf, sizeof buf, "https://a.cn/rate", "A012", 20261123), 0);
    assert_string_equal(buf, "https://a.cn/rate?t=A012&d=20261123");
    assert_int_equal(jh_ticket_qr_payload(buf, sizeof buf, "https://a.cn/r?s=x", "B1", 20261124), 0);
    assert_string_equal(buf, "https://a.cn/r?s=x&t=B1&d=20261124");
    assert_int_equal(jh_ticket_qr_payload(buf, sizeof buf, "https://a.cn/评 价", "A1", 20261123), 0);
    assert_string_equal(buf, "https://a.cn/%E8%AF%84%20%E4%BB%B7?t=A1&d=20261123");
    assert_int_equal(jh_ticket_qr_payload(buf, sizeof buf, "", "A1", 20261123), 0);
    assert_string_equal(buf, "");
    assert_int_equal(jh_ticket_qr_payload(buf, 20, "https://a.cn/rate", "A012", 20261123), -1);
}

static void test_take_reply(void **state)
{
    (void)state;
    static const char ok[] = "{\"id\":\"k1-7\",\"ok\":true,\"ticket\":\"A012\",\"service\":\"A\","
                             "\"priority\":\"pregnant\",\"ahead\":4,\"ewt_s\":600,"
                             "\"issued_at\":\"2026-11-23T09:05:07+08:00\",\"day\":20261123}";
    jh_issued_ticket t;
    char err[256];
    assert_int_equal(jh_issued_ticket_from_reply(&t, ok, strlen(ok), err, sizeof err), 0);
    assert_string_equal(t.ticket, "A012");
    assert_string_equal(t.service, "A");
    assert_int_equal(t.priority, JH_PRIO_PREGNANT);
    assert_int_equal(t.ahead, 4);
    assert_int_equal(t.ewt_s, 600);
    assert_int_equal(t.day, 20261123);
    assert_string_equal(t.issued_at, "2026-11-23T09:05:07+08:00");

    static const struct {
        const char *json, *want;
    } bad[] = {
        {"{\"ok\":false,\"error\":\"closed\",\"message\":\"hall closed\"}", "take refused: closed: hall closed"},
        {"not json", "not a JSON object"},
        {"{\"ticket\":\"A1\"}", "\"ok\" is missing"},
        {"{\"ok\":true,\"ticket\":\"A1\",\"service\":\"A\",\"issued_at\":\"x\",\"day\":20261123}", "\"ahead\""},
        {"{\"ok\":true,\"ticket\":\"A1\",\"service\":\"A\",\"issued_at\":\"x\",\"ahead\":1.5,\"day\":20261123}",
         "\"ahead\" is not a whole number"},
        {"{\"ok\":true,\"ticket\":7,\"service\":\"A\",\"issued_at\":\"x\",\"ahead\":1,\"day\":20261123}", "\"ticket\""},
        {"{\"ok\":true,\"priority\":\"vip\",\"ticket\":\"A1\"}", "unknown priority 'vip'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        assert_int_equal(jh_issued_ticket_from_reply(&t, bad[i].json, strlen(bad[i].json), err, sizeof err), -1);
        assert_non_null(strstr(err, bad[i].want));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ordinary_ticket_80mm),
        cmocka_unit_test(test_green_channel_58mm),
        cmocka_unit_test(test_number_shrinks_to_fit),
        cmocka_unit_test(test_every_service_fits),
        cmocka_unit_test(test_long_text_wraps_with_indent),
        cmocka_unit_test(test_wait_texts),
        cmocka_unit_test(test_no_qr_when_disabled),
        cmocka_unit_test(test_bad_tickets_are_refused),
        cmocka_unit_test(test_qr_payload),
        cmocka_unit_test(test_take_reply),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
