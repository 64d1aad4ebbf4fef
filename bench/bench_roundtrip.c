/* SPDX-License-Identifier: MIT */
/*
 * bench_roundtrip — how long a kiosk waits for its ticket, against the floor
 * set by the broker alone.
 *
 * Two measurements on the same broker in the same run, one request in flight
 * at a time, QoS 1, TCP_NODELAY:
 *   bare   a client publishes to a topic it subscribes to (client → broker → client);
 *   take   a kiosk publishes `take` and waits for the reply on reply/<kiosk>
 *          (kiosk → broker → jiaohao-caller, one durable SQLite commit → broker → kiosk).
 * The difference is what the daemon costs. Prints a table; never fails on a figure.
 * bench/run-roundtrip starts a broker and a daemon in a temp dir and runs this.
 *
 *   bench_roundtrip --port N --site S --cred-dir DIR [--host H] [--n 1000]
 *                   [--kiosk k1] [--service A] [--bare-user bench]
 */
#include <mosquitto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_stats.h"
#include "broker_auth.h"

typedef struct {
    const char *host, *site, *cred_dir, *kiosk, *service, *bare_user;
    int port, n;
} options;

typedef struct {
    char want[96];  /* the payload prefix (bare) or id (take) being waited for */
    int got;
} waiter;

static void on_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg)
{
    (void)m;
    waiter *w = obj;
    if (msg->payloadlen > 0 && strstr((const char *)msg->payload, w->want))
        w->got = 1;
}

static int read_password(const char *dir, const char *user, char *out, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.pw", dir, user);
    FILE *f = fopen(path, "r");
    if (!f || !fgets(out, (int)len, f)) {
        fprintf(stderr, "bench_roundtrip: cannot read %s\n", path);
        if (f)
            fclose(f);
        return -1;
    }
    fclose(f);
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

static struct mosquitto *connect_as(const options *o, const char *user, waiter *w, const char *sub)
{
    char pw[256], client_id[JH_CLIENT_ID_LEN], suffix[32], err[256];
    snprintf(suffix, sizeof suffix, "bench-%d", (int)getpid());
    if (read_password(o->cred_dir, user, pw, sizeof pw) < 0)
        return NULL;
    if (jh_client_id(client_id, sizeof client_id, user, suffix, err, sizeof err) < 0) {
        fprintf(stderr, "bench_roundtrip: %s\n", err);
        return NULL;
    }
    struct mosquitto *m = mosquitto_new(client_id, true, w);
    if (!m)
        return NULL;
    mosquitto_username_pw_set(m, user, pw);
    mosquitto_int_option(m, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_message_callback_set(m, on_message);
    int rc = mosquitto_connect(m, o->host, o->port, 30);
    if (rc == MOSQ_ERR_SUCCESS)
        rc = mosquitto_subscribe(m, NULL, sub, 1);
    for (int i = 0; rc == MOSQ_ERR_SUCCESS && i < 20; i++) /* let CONNACK and SUBACK through */
        rc = mosquitto_loop(m, 20, 1);
    if (rc != MOSQ_ERR_SUCCESS) {
        fprintf(stderr, "bench_roundtrip: %s@%s:%d: %s\n", user, o->host, o->port, mosquitto_strerror(rc));
        mosquitto_destroy(m);
        return NULL;
    }
    return m;
}

/* Publishes `payload` and runs the loop until the waiter matches. Returns ms, or -1. */
static double round_trip(struct mosquitto *m, waiter *w, const char *topic, const char *payload)
{
    w->got = 0;
    double t0 = jh_bench_now_ms();
    if (mosquitto_publish(m, NULL, topic, (int)strlen(payload), payload, 1, false) != MOSQ_ERR_SUCCESS)
        return -1;
    while (!w->got) {
        if (mosquitto_loop(m, 100, 1) != MOSQ_ERR_SUCCESS || jh_bench_now_ms() - t0 > 5000)
            return -1;
    }
    return jh_bench_now_ms() - t0;
}

static jh_bench_figures run_bare(const options *o, double *v)
{
    waiter w;
    char topic[256];
    snprintf(topic, sizeof topic, "jh/v1/%s/bench/%s", o->site, o->bare_user);
    jh_bench_figures none = {0};
    struct mosquitto *m = connect_as(o, o->bare_user, &w, topic);
    if (!m)
        return none;
    int n = 0;
    for (int i = -20; i < o->n; i++) { /* 20 warm-up rounds */
        char payload[96];
        snprintf(payload, sizeof payload, "{\"id\":\"bare-%d\"}", i);
        snprintf(w.want, sizeof w.want, "%s", payload);
        double ms = round_trip(m, &w, topic, payload);
        if (i >= 0 && ms >= 0)
            v[n++] = ms;
    }
    mosquitto_disconnect(m);
    mosquitto_destroy(m);
    return jh_bench_figures_of(v, n);
}

static jh_bench_figures run_take(const options *o, double *v)
{
    waiter w;
    char reply[256], cmd[256];
    snprintf(reply, sizeof reply, "jh/v1/%s/reply/%s", o->site, o->kiosk);
    snprintf(cmd, sizeof cmd, "jh/v1/%s/kiosk/%s/cmd", o->site, o->kiosk);
    jh_bench_figures none = {0};
    struct mosquitto *m = connect_as(o, o->kiosk, &w, reply);
    if (!m)
        return none;
    int n = 0;
    long run = (long)time(NULL); /* ids unique across runs on one store */
    for (int i = -20; i < o->n; i++) {
        char payload[256];
        snprintf(w.want, sizeof w.want, "\"id\":\"bench-%ld-%d\"", run, i);
        snprintf(payload, sizeof payload,
                 "{\"id\":\"bench-%ld-%d\",\"op\":\"take\",\"reply_to\":\"%s\",\"service\":\"%s\"}", run, i,
                 o->kiosk, o->service);
        double ms = round_trip(m, &w, cmd, payload);
        if (i >= 0 && ms >= 0)
            v[n++] = ms;
    }
    mosquitto_disconnect(m);
    mosquitto_destroy(m);
    return jh_bench_figures_of(v, n);
}

static int parse_args(int argc, char **argv, options *o)
{
    *o = (options){"127.0.0.1", NULL, NULL, "k1", "A", "bench", 0, 1000};
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--host")) o->host = v;
        else if (!strcmp(k, "--port")) o->port = atoi(v);
        else if (!strcmp(k, "--site")) o->site = v;
        else if (!strcmp(k, "--cred-dir")) o->cred_dir = v;
        else if (!strcmp(k, "--kiosk")) o->kiosk = v;
        else if (!strcmp(k, "--service")) o->service = v;
        else if (!strcmp(k, "--bare-user")) o->bare_user = v;
        else if (!strcmp(k, "--n")) o->n = atoi(v);
        else return -1;
    }
    return (argc % 2 == 1 && o->port > 0 && o->site && o->cred_dir && o->n > 0) ? 0 : -1;
}

static void row(const char *name, jh_bench_figures f, int n)
{
    printf("%-34s %6d/%-6d %8.3f %8.3f %8.3f %8.3f\n", name, f.n, n, f.p50, f.p90, f.p99, f.max);
}

int main(int argc, char **argv)
{
    options o;
    if (parse_args(argc, argv, &o) < 0) {
        fprintf(stderr, "usage: bench_roundtrip --port N --site S --cred-dir DIR [--host H] [--n 1000]"
                        " [--kiosk k1] [--service A] [--bare-user bench]\n");
        return 2;
    }
    double *v = calloc((size_t)o.n, sizeof *v);
    if (!v)
        return 1;
    mosquitto_lib_init();
    jh_bench_figures bare = run_bare(&o, v);
    jh_bench_figures take = run_take(&o, v);
    mosquitto_lib_cleanup();
    free(v);
    printf("round trips over mosquitto at %s:%d, QoS 1, one in flight (ms)\n", o.host, o.port);
    printf("%-34s %13s %8s %8s %8s %8s\n", "", "done", "p50", "p90", "p99", "max");
    row("bare publish -> receive", bare, o.n);
    row("take -> reply (jiaohao-caller)", take, o.n);
    if (bare.n && take.n)
        printf("%-34s %13s %8.3f %8s %8.3f\n", "daemon's share (take - bare)", "",
               take.p50 - bare.p50, "", take.p99 - bare.p99);
    return 0;
}
