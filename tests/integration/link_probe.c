/* SPDX-License-Identifier: MIT */
/*
 * link_probe — one jh_link (common/link/mqtt_link.h) driven line by line from
 * stdin, so test_mqtt_link.sh can stop and restart a real broker between the
 * lines and check what the link says it did against what the broker got.
 *
 *   link_probe HOST PORT USER PASSWORD_FILE FILTER
 *
 * One answer line per command line:
 *   up | down | acked     pump until subscribed / disconnected / connected with
 *                         nothing unacknowledged: the word, or "timeout" (60 s)
 *   pub TOPIC PAYLOAD     publish retained: sent | queued | down | refused
 *   pub-until-kept TOPIC WORD
 *                         without pumping, publish {"n":WORD,"i":1}, 2, … every
 *                         20 ms while the answer is "sent" (at most 500): the
 *                         first other answer and the last i, e.g. "queued 2"
 *   session TOPIC PAYLOAD from now on, publish this retained in every new session: ok
 *   unacked               "unacked N"
 *   state                 pump until an attempt has ended: "state online|unreachable|
 *                         refused|lost" (jh_link_state_of; the reason to stderr)
 *   will TOPIC PAYLOAD    the retained Last Will (first line only): ok | failed
 *   goodbye TOPIC PAYLOAD jh_link_goodbye, 5 s at most: ok | failed
 *   quit                  jh_link_free (DISCONNECT when up), "bye", exit
 * Why a publish was not sent goes to stderr.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mqtt_link.h"

#define WAIT_MS 60000

typedef struct {
    jh_link *link;
    char session_topic[256], session_payload[256];
} probe;

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *result_name(jh_link_result r)
{
    switch (r) {
    case JH_LINK_SENT: return "sent";
    case JH_LINK_QUEUED: return "queued";
    case JH_LINK_DOWN: return "down";
    default: return "refused";
    }
}

static jh_link_result publish(probe *p, const char *topic, const char *payload)
{
    char err[400];
    jh_link_result r = jh_link_publish(p->link, topic, payload, strlen(payload), 1, err, sizeof err);
    if (r != JH_LINK_SENT)
        fprintf(stderr, "link_probe: %s: %s\n", result_name(r), err);
    return r;
}

static void on_message(void *user, const char *topic, const void *payload, size_t len)
{
    (void)user, (void)topic, (void)payload, (void)len;
}

static void on_session(void *user)
{
    probe *p = user;
    if (p->session_topic[0])
        publish(p, p->session_topic, p->session_payload);
}

static const char *state_name(jh_link_state s)
{
    switch (s) {
    case JH_LINK_STATE_STARTING: return "starting";
    case JH_LINK_STATE_ONLINE: return "online";
    case JH_LINK_STATE_UNREACHABLE: return "unreachable";
    case JH_LINK_STATE_REFUSED: return "refused";
    default: return "lost";
    }
}

static void settle(probe *p)
{
    for (int64_t end = mono_ms() + WAIT_MS; mono_ms() < end && jh_link_state_of(p->link) == JH_LINK_STATE_STARTING;) {
        jh_link_wait(p->link, mono_ms(), 100);
        jh_link_pump(p->link, mono_ms());
    }
    fprintf(stderr, "link_probe: state %s: %s\n", state_name(jh_link_state_of(p->link)), jh_link_error(p->link));
    printf("state %s\n", state_name(jh_link_state_of(p->link)));
}

/* The status calls of a program's start and clean stop. */
static void lifecycle(probe *p, const char *cmd, const char *topic, const char *payload)
{
    char err[400] = "";
    int rc = !strcmp(cmd, "will") ? jh_link_set_will(p->link, topic, payload, 1, err, sizeof err)
                                  : jh_link_goodbye(p->link, topic, payload, 5000, err, sizeof err);
    if (rc < 0)
        fprintf(stderr, "link_probe: %s: %s\n", cmd, err);
    printf("%s\n", rc < 0 ? "failed" : "ok");
}

static int reached(const probe *p, const char *what)
{
    if (!strcmp(what, "up"))
        return jh_link_subscribed(p->link);
    if (!strcmp(what, "down"))
        return !jh_link_connected(p->link);
    return jh_link_connected(p->link) && jh_link_unacked(p->link) == 0;
}

static void pump_until(probe *p, const char *what)
{
    for (int64_t end = mono_ms() + WAIT_MS; mono_ms() < end; poll(NULL, 0, 10)) {
        jh_link_pump(p->link, mono_ms());
        if (reached(p, what)) {
            printf("%s\n", what);
            return;
        }
    }
    printf("timeout\n");
}

static void publish_until_kept(probe *p, const char *topic, const char *word)
{
    jh_link_result r = JH_LINK_SENT;
    int i = 0;
    while (r == JH_LINK_SENT && i < 500) {
        char payload[300];
        snprintf(payload, sizeof payload, "{\"n\":\"%s\",\"i\":%d}", word, ++i);
        if ((r = publish(p, topic, payload)) == JH_LINK_SENT)
            poll(NULL, 0, 20);
    }
    printf("%s %d\n", result_name(r), i);
}

static void command(probe *p, char *line)
{
    char *cmd = strtok(line, " "), *topic = strtok(NULL, " "), *rest = strtok(NULL, "");
    if (!cmd)
        printf("?\n");
    else if (!strcmp(cmd, "up") || !strcmp(cmd, "down") || !strcmp(cmd, "acked"))
        pump_until(p, cmd);
    else if (!strcmp(cmd, "unacked"))
        printf("unacked %d\n", jh_link_unacked(p->link));
    else if (!strcmp(cmd, "state"))
        settle(p);
    else if (!topic || !rest)
        printf("?\n");
    else if (!strcmp(cmd, "pub"))
        printf("%s\n", result_name(publish(p, topic, rest)));
    else if (!strcmp(cmd, "pub-until-kept"))
        publish_until_kept(p, topic, rest);
    else if (!strcmp(cmd, "will") || !strcmp(cmd, "goodbye"))
        lifecycle(p, cmd, topic, rest);
    else if (!strcmp(cmd, "session")) {
        snprintf(p->session_topic, sizeof p->session_topic, "%s", topic);
        snprintf(p->session_payload, sizeof p->session_payload, "%s", rest);
        printf("ok\n");
    } else
        printf("?\n");
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: link_probe HOST PORT USER PASSWORD_FILE FILTER\n");
        return 2;
    }
    char pw[256] = "", client_id[128], err[400], line[1024];
    FILE *f = fopen(argv[4], "r");
    if (!f || !fgets(pw, sizeof pw, f)) {
        fprintf(stderr, "link_probe: cannot read %s\n", argv[4]);
        if (f)
            fclose(f);
        return 2;
    }
    fclose(f);
    pw[strcspn(pw, "\r\n")] = '\0';
    snprintf(client_id, sizeof client_id, "%s:link-probe", argv[3]); /* the broker wants <user>[:suffix] */
    jh_link_opts o = {.host = argv[1], .port = atoi(argv[2]), .user = argv[3], .password = pw,
                      .client_id = client_id, .topics = {argv[5]}, .n_topics = 1};
    probe p = {0};
    p.link = jh_link_new(&o, on_message, on_session, &p, err, sizeof err);
    if (!p.link) {
        fprintf(stderr, "link_probe: %s\n", err);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!strcmp(line, "quit"))
            break;
        command(&p, line);
    }
    jh_link_free(p.link);
    printf("bye\n");
    return 0;
}
