/* SPDX-License-Identifier: MIT */
/*
 * test_void_journal — the kiosk's journal (kiosk/journal/void_journal.c) on real files
 * in a temporary directory, and kiosk_flow driven through it as the app does:
 * what the file says at each step of a ticket, what a restarted kiosk makes of
 * it (the number voided, the take asked again with its id), and that a
 * journal that is truncated, corrupted or someone else's is refused with one
 * line naming the file and line, set aside, and never crashes anything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk_flow.h"
#include "void_journal.h"

static char g_dir[256];

static int make_dir(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "/tmp/jh-vj.XXXXXX");
    assert_non_null(mkdtemp(g_dir));
    return 0;
}

static int remove_dir(void **state)
{
    (void)state;
    DIR *d = opendir(g_dir);
    struct dirent *e;
    char p[600];
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            snprintf(p, sizeof p, "%s/%s", g_dir, e->d_name);
            unlink(p);
        }
    if (d)
        closedir(d);
    rmdir(g_dir);
    return 0;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_file(const char *path)
{
    static char buf[70000];
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Files in g_dir whose name starts with `prefix`. */
static int count_files(const char *prefix)
{
    DIR *d = opendir(g_dir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d)))
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    if (d)
        closedir(d);
    return n;
}

static jh_vj sample(void)
{
    jh_vj j = {.kiosk_id = "k1", .n = 3};
    j.e[0] = (jh_vj_entry){.kind = JH_VJ_TAKE, .id = "k1-lz3-7", .service = "FP", .priority = JH_PRIO_ELDERLY,
                           .lang_en = 1};
    j.e[1] = (jh_vj_entry){.kind = JH_VJ_PRINT, .id = "k1-lz3-6", .ticket = "A012"};
    j.e[2] = (jh_vj_entry){.kind = JH_VJ_VOID, .id = "k1-lz3-8", .ticket = "B003",
                           .reason = "kiosk k1: print failed, printer offline"};
    return j;
}

/* ---- the text ---- */

static void test_format_and_parse_agree(void **state)
{
    (void)state;
    jh_vj j = sample(), back;
    char err[300];
    char *text = jh_vj_format(&j);
    assert_non_null(text);
    assert_string_equal(text, "jiaohao-kiosk-journal 1 k1\n"
                              "take k1-lz3-7 FP elderly en\n"
                              "print k1-lz3-6 A012\n"
                              "void k1-lz3-8 B003 kiosk k1: print failed, printer offline\n"
                              "end 3\n");
    assert_int_equal(jh_vj_parse(text, strlen(text), "j", "k1", &back, err, sizeof err), 0);
    assert_int_equal(back.n, 3);
    assert_memory_equal(&back.e[0], &j.e[0], sizeof j.e[0]);
    assert_memory_equal(&back.e[1], &j.e[1], sizeof j.e[1]);
    assert_memory_equal(&back.e[2], &j.e[2], sizeof j.e[2]);
    free(text);

    jh_vj empty = {.kiosk_id = "k2"};
    text = jh_vj_format(&empty);
    assert_string_equal(text, "jiaohao-kiosk-journal 1 k2\nend 0\n");
    assert_int_equal(jh_vj_parse(text, strlen(text), "j", NULL, &back, err, sizeof err), 0);
    assert_int_equal(back.n, 0);
    free(text);

    /* what would not read back is not written */
    j.e[2].reason[0] = '\0';
    assert_null(jh_vj_format(&j));
    j = sample();
    snprintf(j.e[0].id, sizeof j.e[0].id, "two words");
    assert_null(jh_vj_format(&j));
}

static void test_bad_journals_are_refused(void **state)
{
    (void)state;
    static const struct {
        const char *text, *why;
    } bad[] = {
        {"", "j:1: empty file"},
        {"jiaohao-kiosk-journal 1 k1\ntake k1-a-1 A none zh\n", "j:3: truncated: no end line"},
        {"jiaohao-kiosk-journal 1 k1\ntake k1-a-1 A no", "j:2: truncated: the last line has no end"},
        {"jiaohao-kiosk-journal 1 k1\nend 0", "j:2: truncated"},
        {"hello\nend 0\n", "j:1: not a kiosk journal"},
        {"jiaohao-kiosk-journal 2 k1\nend 0\n", "j:1: journal version '2' is not understood"},
        {"jiaohao-kiosk-journal 1 k2\nend 0\n", "j:1: written by kiosk 'k2', not by 'k1'"},
        {"jiaohao-kiosk-journal 1 K_1\nend 0\n", "j:1: bad kiosk id"},
        {"jiaohao-kiosk-journal 1 k1\ntake k1-a-1 A none zh\nend 2\n", "j:3: the end line counts 2 entries"},
        {"jiaohao-kiosk-journal 1 k1\nend 0\nend 0\n", "j:2: text after the end line"},
        {"jiaohao-kiosk-journal 1 k1\nend 00\n", "j:2: an end line is"},
        {"jiaohao-kiosk-journal 1 k1\nend -1\n", "j:2: an end line is"},
        {"jiaohao-kiosk-journal 1 k1\ncall k1-a-1 A\nend 1\n", "j:2: not a journal line"},
        {"jiaohao-kiosk-journal 1 k1\ntake k1-a-1 A none\nend 1\n", "j:2: a take line is"},
        {"jiaohao-kiosk-journal 1 k1\ntake k1-a-1 A none zh extra\nend 1\n", "j:2: a take line is"},
        {"jiaohao-kiosk-journal 1 k1\ntake k1-a-1  A none zh\nend 1\n", "j:2: a take line is"},
        {"jiaohao-kiosk-journal 1 k1\ntake k1-a-1 A none zh \nend 1\n", "j:2: a take line is"},
        {"jiaohao-kiosk-journal 1 k1\ntake k1-a-1 A! none zh\nend 1\n", "j:2: take: bad service code"},
        {"jiaohao-kiosk-journal 1 k1\ntake k1-a-1 A vip zh\nend 1\n", "j:2: take: unknown priority 'vip'"},
        {"jiaohao-kiosk-journal 1 k1\ntake k1-a-1 A none fr\nend 1\n", "j:2: take: language is zh or en"},
        {"jiaohao-kiosk-journal 1 k1\nprint k1-a-1\nend 1\n", "j:2: a print line is"},
        {"jiaohao-kiosk-journal 1 k1\nprint k1-a-1 A/12\nend 1\n", "j:2: print: bad ticket"},
        {"jiaohao-kiosk-journal 1 k1\nvoid k1-a-1 A012\nend 1\n", "j:2: a void line is"},
        {"jiaohao-kiosk-journal 1 k1\nvoid k1-a-1 A012 \nend 1\n", "j:2: a void line is"},
        {"jiaohao-kiosk-journal 1 k1\nprint k1-a-1 A012\nvoid k1-a-1 A012 why\nend 2\n",
         "j:3: command id k1-a-1 appears twice"},
        {"jiaohao-kiosk-journal 1 k1\nprint k1-a-1 A0\x01\nend 1\n", "j:2: byte 0x01 is not printable"},
        {"jiaohao-kiosk-journal 1 k1\r\nend 0\n", "j:1: byte 0x0d is not printable"},
        {"jiaohao-kiosk-journal 1 k1\nvoid k1-a-1 A012 \xe6\x89\x93\nend 1\n", "j:2: byte 0xe6"},
    };
    jh_vj out;
    char err[300];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = jh_vj_parse(bad[i].text, strlen(bad[i].text), "j", "k1", &out, err, sizeof err);
        if (rc != -1 || strncmp(err, bad[i].why, strlen(bad[i].why)) != 0)
            fail_msg("case %zu: rc %d, err '%s', wanted '%s'", i, rc, err, bad[i].why);
        assert_int_equal(out.n, 0);
    }

    /* a reason one byte too long, an id one byte too long */
    char text[600], reason[JH_TEXT_LEN + 1], id[JH_CMD_ID_LEN + 1];
    memset(reason, 'r', JH_TEXT_LEN);
    reason[JH_TEXT_LEN] = '\0';
    memset(id, 'i', JH_CMD_ID_LEN);
    id[JH_CMD_ID_LEN] = '\0';
    snprintf(text, sizeof text, "jiaohao-kiosk-journal 1 k1\nvoid k1-a-1 A012 %s\nend 1\n", reason);
    assert_int_equal(jh_vj_parse(text, strlen(text), "j", "k1", &out, err, sizeof err), -1);
    assert_non_null(strstr(err, "longer than 127 bytes"));
    snprintf(text, sizeof text, "jiaohao-kiosk-journal 1 k1\nprint %s A012\nend 1\n", id);
    assert_int_equal(jh_vj_parse(text, strlen(text), "j", "k1", &out, err, sizeof err), -1);
    assert_non_null(strstr(err, "print: bad command id"));
    reason[JH_TEXT_LEN - 1] = '\0'; /* 127: fits */
    snprintf(text, sizeof text, "jiaohao-kiosk-journal 1 k1\nvoid k1-a-1 A012 %s\nend 1\n", reason);
    assert_int_equal(jh_vj_parse(text, strlen(text), "j", "k1", &out, err, sizeof err), 0);

    /* more entries than a kiosk keeps; more bytes than a journal has */
    static char big[JH_VJ_MAX_BYTES + 2];
    size_t n = (size_t)snprintf(big, sizeof big, "jiaohao-kiosk-journal 1 k1\n");
    for (int i = 0; i <= JH_VJ_MAX; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "print k1-a-%d A%03d\n", i, i);
    snprintf(big + n, sizeof big - n, "end %d\n", JH_VJ_MAX + 1);
    assert_int_equal(jh_vj_parse(big, strlen(big), "j", "k1", &out, err, sizeof err), -1);
    assert_non_null(strstr(err, "more than 40 entries"));
    memset(big, 'x', sizeof big - 1);
    assert_int_equal(jh_vj_parse(big, JH_VJ_MAX_BYTES + 1, "j", "k1", &out, err, sizeof err), -1);
    assert_string_equal(err, "j: larger than 65536 bytes");
    char line[800];
    memset(line, 'x', sizeof line - 1);
    line[sizeof line - 1] = '\0';
    snprintf(big, sizeof big, "jiaohao-kiosk-journal 1 k1\n%s\nend 0\n", line);
    assert_int_equal(jh_vj_parse(big, strlen(big), "j", "k1", &out, err, sizeof err), -1);
    assert_string_equal(err, "j:2: line longer than 511 bytes");
}

/* ---- the file ---- */

static void test_store_saves_and_loads(void **state)
{
    (void)state;
    jh_vj_store s;
    jh_vj j = sample(), back;
    char err[700], aside[700], path[600];
    assert_int_equal(jh_vj_store_open(&s, g_dir, "k1", err, sizeof err), 0);
    assert_int_equal(jh_vj_store_load(&s, &back, aside, sizeof aside, err, sizeof err), 0);
    assert_int_equal(back.n, 0); /* none yet */
    assert_string_equal(back.kiosk_id, "k1");
    assert_int_equal(jh_vj_store_save(&s, &j, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/k1.journal", g_dir);
    assert_string_equal(s.path, path);
    assert_non_null(strstr(read_file(path), "print k1-lz3-6 A012\n"));
    assert_int_equal(count_files("k1.journal.tmp"), 0);
    assert_int_equal(jh_vj_store_load(&s, &back, aside, sizeof aside, err, sizeof err), 0);
    assert_int_equal(back.n, 3);
    assert_string_equal(back.e[2].reason, j.e[2].reason);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    /* one process per kiosk: a second k1 is refused, k2 may share the directory */
    jh_vj_store s2, s3;
    assert_int_equal(jh_vj_store_open(&s2, g_dir, "k1", err, sizeof err), -1);
    assert_non_null(strstr(err, "another jiaohao-kiosk for kiosk k1 is running"));
    assert_int_equal(jh_vj_store_open(&s3, g_dir, "k2", err, sizeof err), 0);
    jh_vj_store_close(&s3);
    jh_vj_store_close(&s);
    assert_int_equal(jh_vj_store_open(&s2, g_dir, "k1", err, sizeof err), 0); /* released */
    jh_vj_store_close(&s2);
}

static void test_store_sets_a_bad_journal_aside(void **state)
{
    (void)state;
    jh_vj_store s;
    jh_vj out;
    char err[700], aside[700], path[600];
    const char *torn = "jiaohao-kiosk-journal 1 k1\nprint k1-lz3-6 A0";
    assert_int_equal(jh_vj_store_open(&s, g_dir, "k1", err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/k1.journal", g_dir);
    write_file(path, torn);
    assert_int_equal(jh_vj_store_load(&s, &out, aside, sizeof aside, err, sizeof err), 1);
    assert_int_equal(out.n, 0);
    assert_string_equal(out.kiosk_id, "k1");
    assert_non_null(strstr(err, "/k1.journal:2: truncated"));
    assert_int_equal(strncmp(aside, path, strlen(path)), 0);
    assert_non_null(strstr(aside, ".bad-"));
    assert_string_equal(read_file(aside), torn); /* kept as it was, for staff */
    assert_null(read_file(path));
    assert_int_equal(jh_vj_store_load(&s, &out, aside, sizeof aside, err, sizeof err), 0);
    assert_int_equal(out.n, 0);

    /* a second bad one in the same second never replaces the first */
    write_file(path, "garbage\n");
    assert_int_equal(jh_vj_store_load(&s, &out, aside, sizeof aside, err, sizeof err), 1);
    assert_int_equal(count_files("k1.journal.bad-"), 2);
    /* another kiosk's journal under our name is not ours to void */
    write_file(path, "jiaohao-kiosk-journal 1 k9\nprint k9-a-1 A001\nend 1\n");
    assert_int_equal(jh_vj_store_load(&s, &out, aside, sizeof aside, err, sizeof err), 1);
    assert_non_null(strstr(err, "written by kiosk 'k9', not by 'k1'"));
    jh_vj_store_close(&s);
}

static void test_store_refuses_a_bad_directory(void **state)
{
    (void)state;
    jh_vj_store s;
    char err[700], path[600];
    snprintf(path, sizeof path, "%s/file", g_dir);
    write_file(path, "x");
    assert_int_equal(jh_vj_store_open(&s, path, "k1", err, sizeof err), -1);
    assert_non_null(strstr(err, "not a directory"));
    snprintf(path, sizeof path, "%s/no/such", g_dir);
    assert_int_equal(jh_vj_store_open(&s, path, "k1", err, sizeof err), -1);
    assert_non_null(strstr(err, "No such file or directory"));
    assert_int_equal(jh_vj_store_open(&s, "", "k1", err, sizeof err), -1);
    snprintf(path, sizeof path, "%s/new", g_dir); /* only the last part missing: made */
    assert_int_equal(jh_vj_store_open(&s, path, "k1", err, sizeof err), 0);
    jh_vj_store_close(&s);
    snprintf(path, sizeof path, "%s/new/k1.lock", g_dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/new", g_dir);
    assert_int_equal(rmdir(path), 0);
}

/* ---- the flow through the journal, as the app drives it ---- */

typedef struct {
    jh_vj_store s;
    int fail;    /* the disk refuses */
    int writes;
} journal_ctx;

static int hook(void *user, const jh_flow *f)
{
    journal_ctx *c = user;
    jh_vj j;
    char err[700];
    if (c->fail)
        return -1;
    jh_flow_to_journal(f, &j);
    c->writes++;
    return jh_vj_store_save(&c->s, &j, err, sizeof err);
}

static jh_printer_status ready(void)
{
    jh_printer_status st;
    jh_printer_status_decode((const uint8_t[]){0x12, 0x12, 0x12}, 3, &st);
    return st;
}

static const char *journal_text(void)
{
    char path[600];
    snprintf(path, sizeof path, "%s/k1.journal", g_dir);
    return read_file(path);
}

static char *take(jh_flow *f, const char *service, int64_t now)
{
    char *json = NULL;
    jh_printer_status st = ready();
    assert_int_equal(jh_flow_start(f, service, JH_PRIO_NONE, 0, now), 0);
    jh_flow_printer_checked(f, &st, now, &json);
    return json;
}

static const char *id_of(const char *json)
{
    static char id[JH_CMD_ID_LEN];
    cJSON *o = cJSON_Parse(json);
    snprintf(id, sizeof id, "%s", cJSON_GetObjectItem(o, "id")->valuestring);
    cJSON_Delete(o);
    return id;
}

/* The reply the caller would send at `now`, from a format and its strings. */
static jh_reply_kind answer(jh_flow *f, int64_t now, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static jh_reply_kind answer(jh_flow *f, int64_t now, const char *fmt, ...)
{
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return jh_flow_reply(f, buf, strlen(buf), now);
}

#define OK_TAKE "{\"id\":\"%s\",\"ok\":true,\"ticket\":\"%s\",\"service\":\"A\",\"priority\":\"none\"," \
                "\"ahead\":0,\"ewt_s\":0,\"issued_at\":\"2026-11-23T09:05:07+08:00\",\"day\":20261123}"
#define OK_VOID "{\"id\":\"%s\",\"ok\":true,\"ticket\":\"%s\"}"

/* A kiosk that dies at any point of a ticket leaves what the next one needs. */
static void test_flow_keeps_the_journal(void **state)
{
    (void)state;
    journal_ctx c = {0};
    char err[700], aside[700];
    jh_flow f;
    assert_int_equal(jh_vj_store_open(&c.s, g_dir, "k1", err, sizeof err), 0);
    jh_flow_init(&f, "k1", "boot1", 5000);
    jh_flow_set_journal(&f, hook, &c);
    jh_flow_set_session(&f, 1);

    char *t = take(&f, "A", 1000);
    assert_non_null(t);
    char tid[JH_CMD_ID_LEN];
    snprintf(tid, sizeof tid, "%s", id_of(t));
    free(t);
    char want[300];
    snprintf(want, sizeof want, "take %s A none zh\nend 1\n", tid);
    assert_non_null(strstr(journal_text(), want)); /* on disk before it is sent */

    assert_int_equal(answer(&f, 1100, OK_TAKE, tid, "A007"), JH_REPLY_TAKE);
    assert_int_equal(f.phase, JH_FLOW_PRINTING);
    snprintf(want, sizeof want, "print %s A007\nend 1\n", tid);
    assert_non_null(strstr(journal_text(), want)); /* on disk before it is printed */

    /* the kiosk dies here; the next run reads the journal back */
    jh_vj j;
    jh_vj_store_close(&c.s);
    assert_int_equal(jh_vj_store_open(&c.s, g_dir, "k1", err, sizeof err), 0);
    assert_int_equal(jh_vj_store_load(&c.s, &j, aside, sizeof aside, err, sizeof err), 0);
    jh_flow g;
    jh_flow_init(&g, "k1", "boot2", 5000);
    jh_flow_set_journal(&g, hook, &c);
    assert_int_equal(jh_flow_restore(&g, &j, 50), 1);
    assert_non_null(strstr(journal_text(), " A007 kiosk restarted before the ticket was printed\nend 1\n"));
    assert_null(jh_flow_next_void(&g, 0)); /* no session yet */
    const char *what;
    char *v = jh_flow_next_send(&g, 1, &what);
    assert_non_null(v);
    assert_string_equal(what, "void");
    assert_non_null(strstr(v, "\"op\":\"void\""));
    assert_non_null(strstr(v, "\"ticket\":\"A007\""));
    assert_non_null(strstr(v, "\"reason\":\"kiosk restarted before the ticket was printed\""));
    char vid[JH_CMD_ID_LEN];
    snprintf(vid, sizeof vid, "%s", id_of(v));
    free(v);
    assert_null(jh_flow_next_send(&g, 1, &what));

    /* killed again before the answer: the same void, the same id */
    assert_int_equal(jh_vj_store_load(&c.s, &j, aside, sizeof aside, err, sizeof err), 0);
    jh_flow h;
    jh_flow_init(&h, "k1", "boot3", 5000);
    jh_flow_set_journal(&h, hook, &c);
    jh_flow_restore(&h, &j, 60);
    v = jh_flow_next_send(&h, 1, &what);
    assert_string_equal(id_of(v), vid);
    free(v);
    /* the store failed: nothing applied, the void stays and goes again later */
    assert_int_equal(answer(&h, 70, "{\"id\":\"%s\",\"ok\":false,\"error\":\"internal\",\"message\":\"%s\"}",
                            vid, "the queue store failed"),
                     JH_REPLY_VOID);
    assert_non_null(strstr(journal_text(), "void "));
    assert_null(jh_flow_next_send(&h, 1, &what));
    jh_flow_tick(&h, 60 + JH_FLOW_RESEND_MS);
    v = jh_flow_next_send(&h, 1, &what);
    assert_non_null(v);
    assert_string_equal(id_of(v), vid);
    free(v);
    assert_int_equal(answer(&h, 80 + JH_FLOW_RESEND_MS, OK_VOID, vid, "A007"), JH_REPLY_VOID);
    assert_string_equal(journal_text(), "jiaohao-kiosk-journal 1 k1\nend 0\n");
    jh_vj_store_close(&c.s);
}

/* A take without an answer: asked again with its id; a number it got is voided. */
static void test_unanswered_take_is_asked_again(void **state)
{
    (void)state;
    journal_ctx c = {0};
    char err[700], aside[700];
    jh_flow f;
    const char *what;
    assert_int_equal(jh_vj_store_open(&c.s, g_dir, "k1", err, sizeof err), 0);
    jh_flow_init(&f, "k1", "boot1", 5000);
    jh_flow_set_journal(&f, hook, &c);
    jh_flow_set_session(&f, 1);
    char *t = take(&f, "B", 1000);
    char tid[JH_CMD_ID_LEN];
    snprintf(tid, sizeof tid, "%s", id_of(t));
    assert_null(jh_flow_next_send(&f, 1, &what)); /* just sent in this session */

    /* the broker was killed: a new session sends it again, same id, same payload */
    jh_flow_set_session(&f, 2);
    char *again = jh_flow_next_send(&f, 2, &what);
    assert_string_equal(what, "take again");
    assert_string_equal(again, t);
    free(again);
    free(t);
    assert_null(jh_flow_next_send(&f, 2, &what));
    assert_int_equal(jh_flow_tick(&f, 6000), 1); /* the visitor is told it failed */

    /* and the kiosk dies: the next run asks once more */
    jh_vj j;
    jh_vj_store_close(&c.s);
    assert_int_equal(jh_vj_store_open(&c.s, g_dir, "k1", err, sizeof err), 0);
    assert_int_equal(jh_vj_store_load(&c.s, &j, aside, sizeof aside, err, sizeof err), 0);
    assert_int_equal(j.n, 1);
    jh_flow g;
    jh_flow_init(&g, "k1", "boot2", 5000);
    jh_flow_set_journal(&g, hook, &c);
    jh_flow_restore(&g, &j, 0);
    jh_flow_set_session(&g, 1);
    again = jh_flow_next_send(&g, 1, &what);
    assert_non_null(again);
    assert_string_equal(id_of(again), tid);
    assert_non_null(strstr(again, "\"service\":\"B\""));
    free(again);
    /* the caller had issued B001 for it: voided, and the take leaves the journal */
    assert_int_equal(answer(&g, 100, OK_TAKE, tid, "B001"), JH_REPLY_LATE_VOIDED);
    assert_null(strstr(journal_text(), "take "));
    char *v = jh_flow_next_send(&g, 1, &what);
    assert_non_null(strstr(v, "\"ticket\":\"B001\""));
    assert_non_null(strstr(v, "kiosk restarted before the reply came"));
    free(v);

    /* a take refused late needs nothing and leaves the journal too */
    t = take(&g, "A", 200);
    snprintf(tid, sizeof tid, "%s", id_of(t));
    free(t);
    jh_flow_tick(&g, 200 + 5000);
    assert_int_equal(answer(&g, 9000, "{\"id\":\"%s\",\"ok\":false,\"error\":\"%s\"}", tid, "closed"),
                     JH_REPLY_IGNORED);
    assert_null(strstr(journal_text(), "take "));
    jh_vj_store_close(&c.s);
}

/* No journal, no take: a crash could otherwise leave the number a ghost. */
static void test_no_take_without_the_journal(void **state)
{
    (void)state;
    journal_ctx c = {.fail = 1};
    jh_flow f;
    const char *what;
    char err[700];
    assert_int_equal(jh_vj_store_open(&c.s, g_dir, "k1", err, sizeof err), 0);
    jh_flow_init(&f, "k1", "b", 5000);
    jh_flow_set_journal(&f, hook, &c);
    jh_flow_set_session(&f, 1);
    assert_null(take(&f, "A", 0));
    assert_int_equal(f.phase, JH_FLOW_FAILED);
    assert_int_equal(f.failure, JH_FAIL_JOURNAL);
    assert_string_equal(jh_flow_failure_name(f.failure), "journal");
    assert_int_equal(f.n_takes, 0);
    assert_null(jh_flow_next_send(&f, 2, &what));
    jh_flow_reset(&f);
    c.fail = 0; /* the disk is back */
    char *t = take(&f, "A", 10);
    assert_non_null(t);
    free(t);
    assert_int_equal(f.phase, JH_FLOW_WAITING);
    jh_vj_store_close(&c.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_and_parse_agree),
        cmocka_unit_test(test_bad_journals_are_refused),
        cmocka_unit_test_setup_teardown(test_store_saves_and_loads, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_store_sets_a_bad_journal_aside, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_store_refuses_a_bad_directory, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_flow_keeps_the_journal, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_unanswered_take_is_asked_again, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_no_take_without_the_journal, make_dir, remove_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
