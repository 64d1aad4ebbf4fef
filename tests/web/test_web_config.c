/* SPDX-License-Identifier: MIT */
/*
 * test_web_config — the [web] section (web/web_config.c): the defaults
 * without one, every key read, each bad line refused with file, line and
 * key, and the start-up rule: plain HTTP only on a loopback address, TLS
 * needs both the certificate and the key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "web_config.h"

static jh_web_config wc;
static char err[600];

static int parse(const char *text)
{
    err[0] = '\0';
    return jh_web_config_parse(&wc, text, strlen(text), "t.ini", err, sizeof err);
}

static void refused(const char *text, const char *want)
{
    if (parse(text) == 0)
        fail_msg("accepted: %s", text);
    if (!strstr(err, want))
        fail_msg("error '%s' does not contain '%s'", err, want);
}

static void test_defaults(void **state)
{
    (void)state;
    assert_int_equal(parse("[hall]\nsite = x\n[web other]\n"), -1); /* [web] takes no id */
    assert_int_equal(parse("[hall]\nsite = x\n"), 0);
    assert_string_equal(wc.host, "127.0.0.1");
    assert_int_equal(wc.port, 8080);
    assert_string_equal(wc.pages, "");
    assert_int_equal(wc.idle_minutes, 30);
    assert_int_equal(wc.login_per_minute, 5);
    assert_false(jh_web_tls(&wc));
    assert_int_equal(jh_web_config_check(&wc, err, sizeof err), 0);
}

static void test_every_key(void **state)
{
    (void)state;
    assert_int_equal(parse("[hall]\nsite = x\n\n[web]\nlisten = 0.0.0.0:8443\ntls_cert = /etc/c.crt\n"
                           "tls_key = /etc/c.key\npages = /srv/pages\nidle_minutes = 15\nlogin_per_minute = 10\n"
                           "[counter c01]\nlisten = ignored-here\n"),
                     0);
    assert_string_equal(wc.host, "0.0.0.0");
    assert_int_equal(wc.port, 8443);
    assert_string_equal(wc.tls_cert, "/etc/c.crt");
    assert_string_equal(wc.tls_key, "/etc/c.key");
    assert_string_equal(wc.pages, "/srv/pages");
    assert_int_equal(wc.idle_minutes, 15);
    assert_int_equal(wc.login_per_minute, 10);
    assert_true(jh_web_tls(&wc));
    assert_int_equal(jh_web_config_check(&wc, err, sizeof err), 0);
    assert_int_equal(parse("[web]\nlisten = [::1]:9000\n"), 0);
    assert_string_equal(wc.host, "::1");
    assert_int_equal(wc.port, 9000);
    assert_int_equal(jh_web_config_check(&wc, err, sizeof err), 0);
    assert_int_equal(parse("[web]\nlisten = localhost:80\n"), 0);
    assert_int_equal(jh_web_config_check(&wc, err, sizeof err), 0);
}

static void test_bad_lines(void **state)
{
    (void)state;
    refused("[web]\nlisten = 127.0.0.1\n", "t.ini:2: [web] listen:");
    refused("[web]\nlisten = 127.0.0.1:0\n", "port 1..65535");
    refused("[web]\nlisten = 127.0.0.1:70000\n", "port 1..65535");
    refused("[web]\nlisten = :8080\n", "no address");
    refused("[web]\nlisten = hall.example:8080\n", "not an IP address");
    refused("[web]\nlisten = 999.1.1.1:8080\n", "not an IP address");
    refused("[web]\nlisten = ::1:8080\n", "[web] listen");
    refused("[web]\nlisten = [::1]8080\n", "[ipv6]:port");
    refused("[web]\nidle_minutes = 0\n", "t.ini:2: [web] idle_minutes");
    refused("[web]\nidle_minutes = 2000\n", "1..1440");
    refused("[web]\nlogin_per_minute = x\n", "[web] login_per_minute");
    refused("[web]\nlogin_per_minute = 601\n", "1..600");
    refused("[web]\npages =\n", "[web] pages");
    refused("[web]\nidle_minutes = 5\nidle_minutes = 6\n", "t.ini:3: [web] idle_minutes: given twice");
    refused("[web]\ncolour = red\n", "t.ini:2: [web] colour: unknown key");
    refused("[web]\n[web]\n", "appears twice");
}

static void test_plain_http_only_on_loopback(void **state)
{
    (void)state;
    assert_int_equal(parse("[hall]\nsite = x\n[web]\nidle_minutes = 5\nlisten = 10.0.0.5:8080\n"), 0);
    assert_int_equal(jh_web_config_check(&wc, err, sizeof err), -1);
    assert_non_null(strstr(err, "t.ini:5: [web] listen: plain HTTP on 10.0.0.5 is refused"));
    assert_non_null(strstr(err, "tls_cert"));
    assert_int_equal(parse("[web]\nlisten = 0.0.0.0:8080\n"), 0);
    assert_int_equal(jh_web_config_check(&wc, err, sizeof err), -1);
    assert_int_equal(parse("[web]\nlisten = [::]:8080\n"), 0);
    assert_int_equal(jh_web_config_check(&wc, err, sizeof err), -1);
    assert_int_equal(parse("[web]\nlisten = 127.1.2.3:8080\n"), 0);
    assert_int_equal(jh_web_config_check(&wc, err, sizeof err), 0);
    /* Half a TLS setup is a mistake, not plain HTTP. */
    assert_int_equal(parse("[web]\ntls_cert = /c.crt\n"), 0);
    assert_int_equal(jh_web_config_check(&wc, err, sizeof err), -1);
    assert_non_null(strstr(err, "both tls_cert and tls_key"));
    assert_true(jh_web_host_is_loopback("::1"));
    assert_true(jh_web_host_is_loopback("127.0.0.1"));
    assert_false(jh_web_host_is_loopback("128.0.0.1"));
    assert_false(jh_web_host_is_loopback("::"));
    assert_false(jh_web_host_is_loopback("::ffff:10.0.0.1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_every_key),
        cmocka_unit_test(test_bad_lines),
        cmocka_unit_test(test_plain_http_only_on_loopback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
