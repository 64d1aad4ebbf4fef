/* SPDX-License-Identifier: MIT */
/*
 * bench_load — a whole day of a very large hall pushed through the real
 * jiaohao-caller and mosquitto far faster than any hall works.
 *
 * Everything comes from the hall config: the broker and the logins
 * (common/config/broker_auth), the counters, kiosks and services, and the
 * [bridge <id>] sections. It drives the hall through a few connections:
 *   - one per kiosk (user = kiosk id), for `take`;
 *   - one per [bridge <id>] (user "bridge", reply_to <id>), the counters split
 *     evenly across them — the way one firmware-bridge speaks for many keypads.
 * Each counter acts like staff at a keypad: one command at a time, `finish`
 * when serving, `call-next` when someone waits, no service time in between.
 *
 * Phases: every counter logs in; takes at fixed rates (--rates, each for
 * --phase-s seconds, open loop: a take goes out on schedule whatever the
 * replies do, so a slow daemon shows as latency, not as a lower offered rate —
 * up to OPEN_LOOP_CAP commands in flight, beyond which the broker would drop them);
 * then the rest of --takes as fast as the box allows with at most --window
 * commands in flight. A phase ends when every ticket it issued has been called
 * and finished. Latency is publish → reply on reply/<id>. Per phase: commands/s,
 * p50/p99/max per op, CPU of the caller and the broker (/proc, --caller-pid,
 * --broker-pid); at the end the caller's peak RSS (VmHWM) and the store's size
 * (--store DIR). Prints tables, never fails on a figure, stops by itself at
 * --deadline-s. bench/run-load sets up the hall, broker and caller.
 *
 * Why raw libmosquitto and an own poll loop rather than display's jh_link:
 * jh_link is made for a frame loop (pumped with a zero timeout) and hides its
 * socket, so waiting for replies with it would spin a core that the caller and
 * the broker need on a two-core box.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <mosquitto.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench_stats.h"
#include "broker_auth.h"
#include "hall_config.h"
#include "protocol.h"
#include "report_stats.h"

#define PROG "bench_load"
#define MAX_LINKS (JH_MAX_KIOSKS + 16)
#define MAX_PHASES 8
/* Commands in flight before a fixed-rate phase stops sending on schedule: the broker
 * keeps at most max_queued_messages (default 1000) for the caller and silently drops
 * the rest, so a bench that outran it would measure lost commands, not a slow caller. */
#define OPEN_LOOP_CAP 900
#define DRAIN_GRACE_S 15    /* after the deadline: how long to wait for replies already owed */

typedef enum { K_LOGIN, K_TAKE, K_CALL, K_CALL_NONE, K_FINISH, K_COUNT } op_kind;
static const char *const kind_names[K_COUNT] = {"login", "take", "call-next", "call-next (none)",
                                                 "finish"};

typedef struct {
    double sent_ms;
    double done_ms;     /* 0 while the reply is owed */
    signed char kind;
    signed char phase;
    short counter;      /* -1 for a take */
} op_rec;

typedef struct {
    struct mosquitto *m;
    char reply_id[JH_ID_LEN]; /* reply_to of every command sent on this link */
    char reply_topic[JH_TOPIC_LEN];
    int sub_mid, subscribed, refused;
} link_t;

typedef struct {
    int link;
    int busy;    /* a command is in flight: staff wait for the keypad's answer */
    int serving; /* holds a called ticket */
    char topic[JH_TOPIC_LEN];
} counter_t;

typedef struct {
    double utime_s; /* user + system CPU seconds of a process */
    int ok;
} cpu_mark;

typedef struct {
    char name[32];
    int rate;        /* takes/s; 0 = as fast as the window allows */
    int takes;       /* planned */
    double t0, t1;   /* wall clock, ms */
    int cmds;        /* replies received */
    jh_sample lat[K_COUNT];
    int errors[K_COUNT];
    int late;        /* fixed rate: takes were held back by OPEN_LOOP_CAP */
    cpu_mark caller0, caller1, broker0, broker1, self0, self1;
} phase_t;

typedef struct {
    const char *config_path, *store_dir;
    int takes, window, phase_s, deadline_s, caller_pid, broker_pid, green_pct;
    int rates[MAX_PHASES - 2];
    int n_rates;
} options;

typedef struct {
    options o;
    jh_hall_config *cfg;
    link_t links[MAX_LINKS];
    int n_links;
    int first_counter_link; /* links [0, this) are kiosks */
    counter_t counters[JH_MAX_COUNTERS];
    char take_topic[JH_MAX_KIOSKS][JH_TOPIC_LEN];

    op_rec *ops;
    int n_ops, cap_ops;
    int inflight, takes_inflight, calls_inflight;
    long run_tag;

    int takes_sent, takes_ok; /* whole run */
    int waiting;              /* tickets issued and not yet called (as far as we know) */
    int serving;              /* counters holding a ticket */
    int next_counter;         /* round-robin start, so no counter is always first */
    char error_codes[8][32];
    int error_counts[8];
    int n_error_codes;

    phase_t phases[MAX_PHASES];
    int n_phases;
    int cur; /* phase index */
    double start_ms;
    int fatal;
} bench;

/* ---- /proc: what the other processes cost ---- */

static cpu_mark cpu_of(int pid)
{
    cpu_mark c = {0, 0};
    if (pid <= 0)
        return c;
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return c;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* The command name may hold spaces and ')': fields are counted after the last ')'. */
    char *p = strrchr(buf, ')');
    unsigned long ut, st;
    if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2) {
        c.utime_s = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
        c.ok = 1;
    }
    return c;
}

static cpu_mark cpu_self(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    cpu_mark c = {ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
                  1};
    return c;
}

/* A "VmHWM:   1234 kB" line of /proc/<pid>/status, in kB; -1 when unknown. */
static long proc_status_kb(int pid, const char *key)
{
    if (pid <= 0)
        return -1;
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long kb = -1;
    size_t kl = strlen(key);
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, key, kl) && line[kl] == ':') {
            kb = strtol(line + kl + 1, NULL, 10);
            break;
        }
    fclose(f);
    return kb;
}

static long long file_size(const char *dir, const char *name)
{
    char path[1024];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

/* ---- bookkeeping of commands ---- */

static void note_error(bench *b, const char *code)
{
    for (int i = 0; i < b->n_error_codes; i++)
        if (!strcmp(b->error_codes[i], code)) {
            b->error_counts[i]++;
            return;
        }
    if (b->n_error_codes < 8) {
        snprintf(b->error_codes[b->n_error_codes], sizeof b->error_codes[0], "%s", code);
        b->error_counts[b->n_error_codes++] = 1;
    }
}

static int new_op(bench *b, op_kind kind, int counter)
{
    if (b->n_ops == b->cap_ops) {
        int cap = b->cap_ops ? b->cap_ops * 2 : 65536;
        op_rec *n = realloc(b->ops, (size_t)cap * sizeof *n);
        if (!n)
            return -1;
        b->ops = n;
        b->cap_ops = cap;
    }
    b->ops[b->n_ops] = (op_rec){jh_bench_now_ms(), 0, (signed char)kind, (signed char)b->cur, (short)counter};
    return b->n_ops++;
}

/* Publishes one command; the id names its slot in b->ops, so the reply finds it. */
static int send_cmd(bench *b, link_t *l, const char *topic, op_kind kind, int counter, jh_command *cmd)
{
    int idx = new_op(b, kind, counter);
    if (idx < 0) {
        fprintf(stderr, PROG ": out of memory\n");
        b->fatal = 1;
        return -1;
    }
    snprintf(cmd->id, sizeof cmd->id, "load%ld-%d", b->run_tag, idx);
    snprintf(cmd->reply_to, sizeof cmd->reply_to, "%s", l->reply_id);
    char *json = jh_command_to_json(cmd);
    int rc = json ? mosquitto_publish(l->m, NULL, topic, (int)strlen(json), json, 1, false) : MOSQ_ERR_NOMEM;
    free(json);
    if (rc != MOSQ_ERR_SUCCESS) {
        fprintf(stderr, PROG ": publish on %s: %s\n", topic, mosquitto_strerror(rc));
        b->fatal = 1;
        return -1;
    }
    b->ops[idx].sent_ms = jh_bench_now_ms();
    b->inflight++;
    return 0;
}

static void counter_cmd(bench *b, int c, jh_op op)
{
    jh_command cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.op = op;
    op_kind kind = op == JH_OP_FINISH ? K_FINISH : op == JH_OP_CALL_NEXT ? K_CALL : K_LOGIN;
    if (op == JH_OP_LOGIN) {
        snprintf(cmd.staff_id, sizeof cmd.staff_id, "s%04d", c + 1);
        snprintf(cmd.staff_name, sizeof cmd.staff_name, "Staff %d", c + 1);
    }
    counter_t *ct = &b->counters[c];
    if (send_cmd(b, &b->links[ct->link], ct->topic, kind, c, &cmd) == 0) {
        ct->busy = 1;
        if (op == JH_OP_CALL_NEXT)
            b->calls_inflight++;
    }
}

static void take_cmd(bench *b)
{
    jh_command cmd;
    memset(&cmd, 0, sizeof cmd);
    cmd.op = JH_OP_TAKE;
    int n = b->takes_sent;
    const jh_service_config *s = &b->cfg->services[n % b->cfg->n_services];
    snprintf(cmd.service, sizeof cmd.service, "%s", s->code);
    /* Spread green-channel tickets evenly; the dispatch policy then has real work. */
    cmd.priority = b->o.green_pct > 0 && (n * b->o.green_pct) / 100 != ((n + 1) * b->o.green_pct) / 100
                       ? JH_PRIO_ELDERLY
                       : JH_PRIO_NONE;
    int k = n % b->first_counter_link;
    if (send_cmd(b, &b->links[k], b->take_topic[k], K_TAKE, -1, &cmd) == 0) {
        b->takes_sent++;
        b->takes_inflight++;
    }
}

static const char *json_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A reply: find its command by id, time it, and move the model of the hall on. */
static void on_reply(bench *b, const char *payload, int len)
{
    double t = jh_bench_now_ms();
    cJSON *o = cJSON_ParseWithLength(payload, (size_t)len);
    const char *id = o ? json_str(o, "id") : NULL;
    char prefix[32];
    int plen = snprintf(prefix, sizeof prefix, "load%ld-", b->run_tag);
    if (!id || strncmp(id, prefix, (size_t)plen)) {
        cJSON_Delete(o); /* a reply to someone else using the same reply_to: not ours */
        return;
    }
    long idx = strtol(id + plen, NULL, 10);
    if (idx < 0 || idx >= b->n_ops || b->ops[idx].done_ms > 0) {
        cJSON_Delete(o); /* a duplicate (QoS 1 may deliver twice) */
        return;
    }
    op_rec *r = &b->ops[idx];
    r->done_ms = t;
    b->inflight--;
    int ok = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "ok"));
    op_kind kind = (op_kind)r->kind;
    counter_t *ct = r->counter >= 0 ? &b->counters[r->counter] : NULL;
    if (ct)
        ct->busy = 0;
    switch (kind) {
    case K_TAKE:
        b->takes_inflight--;
        if (ok) {
            b->takes_ok++;
            b->waiting++;
        }
        break;
    case K_CALL:
        b->calls_inflight--;
        if (ok && json_str(o, "ticket")) {
            ct->serving = 1;
            b->serving++;
            b->waiting--;
        } else if (ok) {
            kind = K_CALL_NONE;
        }
        break;
    case K_FINISH:
        if (ct->serving) { /* even a refusal means it serves nobody now */
            ct->serving = 0;
            b->serving--;
        }
        break;
    default:
        break;
    }
    phase_t *ph = &b->phases[r->phase];
    ph->cmds++;
    if (!ok) {
        const char *code = json_str(o, "error");
        note_error(b, code ? code : "?");
        ph->errors[kind]++;
    } else if (jh_sample_add(&ph->lat[kind], t - r->sent_ms) < 0) {
        b->fatal = 1;
    }
    cJSON_Delete(o);
}

/* ---- the connections ---- */

static void on_message(struct mosquitto *m, void *obj, const struct mosquitto_message *msg)
{
    (void)m;
    if (msg->payloadlen > 0)
        on_reply(obj, msg->payload, msg->payloadlen);
}

static void on_subscribe(struct mosquitto *m, void *obj, int mid, int qos_count, const int *granted)
{
    bench *b = obj;
    for (int i = 0; i < b->n_links; i++) {
        link_t *l = &b->links[i];
        if (l->m != m || l->sub_mid != mid)
            continue;
        l->subscribed = 1;
        l->refused = qos_count < 1 || granted[0] == 0x80;
    }
}

/* One poll round over every link; reads while there is data, writes what is queued. */
static void pump(bench *b, int timeout_ms)
{
    static double last_misc;
    if (jh_bench_now_ms() - last_misc >= 1000) { /* keepalive: PINGREQ when a link has been quiet */
        last_misc = jh_bench_now_ms();
        for (int i = 0; i < b->n_links; i++)
            mosquitto_loop_misc(b->links[i].m);
    }
    struct pollfd p[MAX_LINKS];
    for (int i = 0; i < b->n_links; i++) {
        struct mosquitto *m = b->links[i].m;
        p[i] = (struct pollfd){mosquitto_socket(m), POLLIN | (mosquitto_want_write(m) ? POLLOUT : 0), 0};
    }
    if (poll(p, (nfds_t)b->n_links, timeout_ms) < 0 && errno != EINTR) {
        b->fatal = 1;
        return;
    }
    for (int i = 0; i < b->n_links; i++) {
        struct mosquitto *m = b->links[i].m;
        int rc = MOSQ_ERR_SUCCESS;
        /* libmosquitto reads one packet per call: go on while the socket has more. */
        for (int k = 0; k < 256 && (p[i].revents & (POLLIN | POLLERR | POLLHUP)); k++) {
            rc = mosquitto_loop_read(m, 1);
            struct pollfd q = {mosquitto_socket(m), POLLIN, 0};
            if (rc != MOSQ_ERR_SUCCESS || q.fd < 0 || poll(&q, 1, 0) <= 0)
                break;
        }
        if (rc == MOSQ_ERR_SUCCESS && mosquitto_want_write(m))
            rc = mosquitto_loop_write(m, 1);
        if (rc != MOSQ_ERR_SUCCESS) {
            fprintf(stderr, PROG ": lost the broker on link %s: %s\n", b->links[i].reply_id,
                    mosquitto_strerror(rc));
            b->fatal = 1;
        }
    }
}

static int open_link(bench *b, link_t *l, const char *own_name, const char *reply_id)
{
    char user[JH_ID_LEN], pw[JH_PASSWORD_LEN], err[512], client_id[JH_CLIENT_ID_LEN], suffix[JH_TOPIC_LEN];
    snprintf(suffix, sizeof suffix, "bench-%s-%d", reply_id, (int)getpid());
    if (jh_broker_login(b->cfg, own_name, user, sizeof user, pw, sizeof pw, err, sizeof err) < 0 ||
        jh_client_id(client_id, sizeof client_id, user, suffix, err, sizeof err) < 0) {
        fprintf(stderr, PROG ": %s\n", err);
        return -1;
    }
    snprintf(l->reply_id, sizeof l->reply_id, "%s", reply_id);
    snprintf(suffix, sizeof suffix, "reply/%s", reply_id);
    l->m = mosquitto_new(client_id, true, b);
    if (!l->m || jh_topic(l->reply_topic, sizeof l->reply_topic, b->cfg->site, suffix) < 0)
        return -1;
    b->n_links++; /* counted now, so the exit path destroys it whatever happens next */
    mosquitto_username_pw_set(l->m, user, pw);
    mosquitto_int_option(l->m, MOSQ_OPT_TCP_NODELAY, 1);
    mosquitto_message_callback_set(l->m, on_message);
    mosquitto_subscribe_callback_set(l->m, on_subscribe);
    int rc = mosquitto_connect(l->m, b->cfg->broker_host, b->cfg->broker_port, 60);
    if (rc == MOSQ_ERR_SUCCESS)
        rc = mosquitto_subscribe(l->m, &l->sub_mid, l->reply_topic, 1);
    if (rc != MOSQ_ERR_SUCCESS) {
        fprintf(stderr, PROG ": %s@%s:%d: %s\n", user, b->cfg->broker_host, b->cfg->broker_port,
                mosquitto_strerror(rc));
        return -1;
    }
    return 0;
}

/* [bridge <id>] sections, read with the hall config's own INI rules. */
static int collect_bridge(void *user, const char *section, const char *arg, const char *key,
                          const char *value, int line, char *why, size_t whylen)
{
    (void)value, (void)line, (void)why, (void)whylen;
    bench *b = user;
    if (key || strcmp(section, "bridge") || !arg[0] || b->n_links >= MAX_LINKS)
        return 0;
    link_t *l = &b->links[b->n_links];
    if (open_link(b, l, "bridge", arg) < 0)
        return -1;
    return 0;
}

static int open_links(bench *b)
{
    const jh_hall_config *c = b->cfg;
    if (c->n_kiosks < 1) {
        fprintf(stderr, PROG ": %s has no [kiosk <id>] to take tickets from\n", b->o.config_path);
        return -1;
    }
    for (int k = 0; k < c->n_kiosks; k++) {
        char suffix[JH_TOPIC_LEN];
        snprintf(suffix, sizeof suffix, "kiosk/%s/cmd", c->kiosks[k].id);
        if (jh_topic(b->take_topic[k], sizeof b->take_topic[k], c->site, suffix) < 0 ||
            open_link(b, &b->links[b->n_links], c->kiosks[k].id, c->kiosks[k].id) < 0)
            return -1;
    }
    b->first_counter_link = b->n_links;
    char err[512];
    size_t len;
    char *text = jh_config_read_file(b->o.config_path, &len, err, sizeof err);
    if (!text || jh_ini_parse(text, len, b->o.config_path, collect_bridge, b, err, sizeof err) < 0) {
        fprintf(stderr, PROG ": %s\n", err);
        free(text);
        return -1;
    }
    free(text);
    int n_bridges = b->n_links - b->first_counter_link;
    if (n_bridges < 1) {
        fprintf(stderr, PROG ": %s has no [bridge <id>]: the counters need a connection to share\n",
                b->o.config_path);
        return -1;
    }
    for (int i = 0; i < c->n_counters; i++) {
        counter_t *ct = &b->counters[i];
        ct->link = b->first_counter_link + (int)((long)i * n_bridges / c->n_counters);
        char suffix[JH_TOPIC_LEN];
        snprintf(suffix, sizeof suffix, "counter/%s/cmd", c->counters[i].id);
        if (jh_topic(ct->topic, sizeof ct->topic, c->site, suffix) < 0)
            return -1;
    }
    double deadline = jh_bench_now_ms() + 10000;
    for (;;) {
        int all = 1;
        for (int i = 0; i < b->n_links; i++) {
            if (b->links[i].refused) {
                fprintf(stderr, PROG ": the broker refused the subscription to %s\n", b->links[i].reply_topic);
                return -1;
            }
            all &= b->links[i].subscribed;
        }
        if (all)
            return 0;
        if (b->fatal || jh_bench_now_ms() > deadline) {
            fprintf(stderr, PROG ": not every connection was ready within 10 s\n");
            return -1;
        }
        pump(b, 50);
    }
}

/* ---- phases ---- */

static int past_deadline(const bench *b) { return jh_bench_now_ms() - b->start_ms > b->o.deadline_s * 1000.0; }

/* A dead caller owes replies forever: stop at once instead of at the deadline. */
static void check_caller(bench *b)
{
    static double last;
    double t = jh_bench_now_ms();
    if (b->o.caller_pid <= 0 || t - last < 1000)
        return;
    last = t;
    if (kill(b->o.caller_pid, 0) < 0 && errno == ESRCH) {
        fprintf(stderr, PROG ": jiaohao-caller (pid %d) is gone\n", b->o.caller_pid);
        b->fatal = 1;
    }
}

/* Every idle counter that has something to do sends one command, while the window allows. */
static void drive_counters(bench *b, int window)
{
    int n = b->cfg->n_counters;
    for (int k = 0; k < n && b->inflight < window; k++) {
        int c = (b->next_counter + k) % n;
        counter_t *ct = &b->counters[c];
        if (ct->busy)
            continue;
        if (ct->serving)
            counter_cmd(b, c, JH_OP_FINISH);
        else if (b->waiting > b->calls_inflight)
            counter_cmd(b, c, JH_OP_CALL_NEXT);
    }
    b->next_counter = (b->next_counter + 1) % n;
}

static int phase_settled(const bench *b, const phase_t *ph, int takes_at_start)
{
    return b->takes_sent - takes_at_start >= ph->takes && b->inflight == 0 && b->waiting == 0 &&
           b->serving == 0;
}

static void phase_begin(bench *b, phase_t *ph)
{
    ph->t0 = jh_bench_now_ms();
    ph->caller0 = cpu_of(b->o.caller_pid);
    ph->broker0 = cpu_of(b->o.broker_pid);
    ph->self0 = cpu_self();
}

static void phase_end(bench *b, phase_t *ph)
{
    ph->t1 = jh_bench_now_ms();
    ph->caller1 = cpu_of(b->o.caller_pid);
    ph->broker1 = cpu_of(b->o.broker_pid);
    ph->self1 = cpu_self();
}

/* Waits for replies already owed, without sending anything new. */
static void drain_replies(bench *b)
{
    double until = jh_bench_now_ms() + DRAIN_GRACE_S * 1000.0;
    while (b->inflight > 0 && !b->fatal && jh_bench_now_ms() < until)
        pump(b, 20);
}

static void run_login(bench *b, phase_t *ph)
{
    phase_begin(b, ph);
    for (int c = 0; c < b->cfg->n_counters && !b->fatal; c++) {
        while (b->inflight >= b->o.window && !b->fatal)
            pump(b, 20);
        counter_cmd(b, c, JH_OP_LOGIN);
    }
    while (b->inflight > 0 && !b->fatal && !past_deadline(b)) {
        pump(b, 20);
        check_caller(b);
    }
    phase_end(b, ph);
}

static void run_phase(bench *b, phase_t *ph)
{
    int start = b->takes_sent;
    phase_begin(b, ph);
    while (!b->fatal && !phase_settled(b, ph, start)) {
        if (past_deadline(b)) {
            drain_replies(b);
            break;
        }
        double now = jh_bench_now_ms();
        int wait_ms = 20;
        if (ph->rate > 0) {
            /* Open loop: the take due at t0 + i/rate goes out then, replies or not. */
            int due = (int)((now - ph->t0) * ph->rate / 1000.0) + 1;
            if (due > ph->takes)
                due = ph->takes;
            int held = 0;
            while (b->takes_sent - start < due && !b->fatal) {
                if (b->inflight >= OPEN_LOOP_CAP) {
                    ph->late = held = 1;
                    break;
                }
                take_cmd(b);
            }
            drive_counters(b, 1 << 30);
            if (!held && b->takes_sent - start < ph->takes) { /* held: a reply wakes the poll */
                double next = ph->t0 + (b->takes_sent - start) * 1000.0 / ph->rate;
                wait_ms = next > now ? (int)(next - now) : 0;
            }
        } else {
            drive_counters(b, b->o.window);
            /* Half the window at most for takes, so the counters are never starved of it. */
            while (b->takes_sent - start < ph->takes && b->takes_inflight < b->o.window / 2 &&
                   b->inflight < b->o.window && !b->fatal)
                take_cmd(b);
        }
        pump(b, wait_ms > 20 ? 20 : wait_ms);
        check_caller(b);
    }
    phase_end(b, ph);
}

/* ---- the report ---- */

static double cpu_pct(cpu_mark a, cpu_mark z, double wall_ms)
{
    return a.ok && z.ok && wall_ms > 0 ? 100.0 * (z.utime_s - a.utime_s) / (wall_ms / 1000.0) : -1;
}

static void print_pct(double v)
{
    if (v < 0)
        printf(" %8s", "-");
    else
        printf(" %7.0f%%", v);
}

static void report(bench *b)
{
    printf("\nbench_load: site %s, %d counters on %d bridge links, %d kiosks, %d services, window %d\n",
           b->cfg->site, b->cfg->n_counters, b->n_links - b->first_counter_link, b->first_counter_link,
           b->cfg->n_services, b->o.window);
    printf("\n%-16s %7s %8s %8s %9s %8s %8s %8s %8s\n", "phase", "takes", "commands", "wall s", "cmds/s",
           "takes/s", "caller", "broker", "bench");
    int total_cmds = 0;
    double total_ms = 0;
    for (int i = 0; i < b->n_phases; i++) {
        phase_t *ph = &b->phases[i];
        double ms = ph->t1 - ph->t0;
        int takes = ph->lat[K_TAKE].n + ph->errors[K_TAKE];
        total_cmds += ph->cmds;
        total_ms += ms;
        printf("%-16s %7d %8d %8.1f %9.0f %8.1f", ph->name, takes, ph->cmds, ms / 1000,
               ms > 0 ? ph->cmds * 1000.0 / ms : 0, ms > 0 ? takes * 1000.0 / ms : 0);
        print_pct(cpu_pct(ph->caller0, ph->caller1, ms));
        print_pct(cpu_pct(ph->broker0, ph->broker1, ms));
        print_pct(cpu_pct(ph->self0, ph->self1, ms));
        printf("%s\n", ph->late ? "  (fell behind: takes held back)" : "");
    }
    printf("%-16s %7d %8d %8.1f %9.0f\n", "all", b->takes_ok, total_cmds, total_ms / 1000,
           total_ms > 0 ? total_cmds * 1000.0 / total_ms : 0);
    printf("(CPU in %% of one core over the phase's wall time; the box has %ld cores)\n",
           sysconf(_SC_NPROCESSORS_ONLN));

    printf("\nlatency, publish -> reply (ms)\n%-16s %-17s %7s %6s %8s %8s %8s\n", "phase", "op", "done",
           "errors", "p50", "p99", "max");
    for (int i = 0; i < b->n_phases; i++) {
        phase_t *ph = &b->phases[i];
        for (int k = 0; k < K_COUNT; k++) {
            jh_sample *s = &ph->lat[k];
            if (s->n == 0 && ph->errors[k] == 0)
                continue;
            jh_bench_figures f = jh_bench_figures_of(s->v, s->n); /* sorts the sample's values */
            printf("%-16s %-17s %7d %6d", ph->name, kind_names[k], s->n, ph->errors[k]);
            if (s->n)
                printf(" %8.2f %8.2f %8.2f\n", f.p50, f.p99, f.max);
            else
                printf("\n");
        }
    }
    if (b->n_error_codes) {
        printf("\nrefusals:");
        for (int i = 0; i < b->n_error_codes; i++)
            printf(" %s x%d", b->error_codes[i], b->error_counts[i]);
        printf("\n");
    }
    long hwm = proc_status_kb(b->o.caller_pid, "VmHWM"), rss = proc_status_kb(b->o.caller_pid, "VmRSS");
    long bhwm = proc_status_kb(b->o.broker_pid, "VmHWM");
    printf("\n");
    if (hwm >= 0)
        printf("caller memory: peak RSS (VmHWM) %.1f MiB, now %.1f MiB\n", hwm / 1024.0, rss / 1024.0);
    if (bhwm >= 0)
        printf("broker memory: peak RSS (VmHWM) %.1f MiB\n", bhwm / 1024.0);
    if (b->o.store_dir) {
        long long db = file_size(b->o.store_dir, "jiaohao.db"), wal = file_size(b->o.store_dir, "jiaohao.db-wal");
        printf("store: jiaohao.db %.1f MiB + WAL %.1f MiB (%d tickets issued)\n", db / 1048576.0,
               wal / 1048576.0, b->takes_ok);
    }
    if (b->inflight)
        printf("NOTE: %d commands were never answered\n", b->inflight);
    if (b->takes_ok < b->o.takes || b->waiting || b->serving)
        printf("NOTE: stopped early: %d of %d takes issued, %d waiting, %d serving%s\n", b->takes_ok,
               b->o.takes, b->waiting, b->serving, past_deadline(b) ? " (deadline reached)" : "");
}

/* ---- command line ---- */

static void usage(FILE *out)
{
    fprintf(out,
            "usage: " PROG " --config FILE [--takes 50000] [--rates 50,200] [--phase-s 20] [--window 64]\n"
            "                  [--green-pct 5] [--deadline-s 300] [--caller-pid N] [--broker-pid N] [--store DIR]\n"
            "  --config FILE   the hall: broker, credentials_dir, counters, kiosks, services, [bridge <id>]\n"
            "  --takes N       tickets in the whole run (fixed-rate phases included)\n"
            "  --rates LIST    fixed take rates (per second), each run for --phase-s; 0 or '' for none\n"
            "  --window N      commands in flight in the as-fast-as-possible phase\n"
            "  --green-pct N   share of green-channel (elderly) tickets\n"
            "  --deadline-s N  stop sending after this long and report what was done\n"
            "  --caller-pid, --broker-pid   for CPU and memory figures from /proc\n"
            "  --store DIR     the caller's data directory, for the store's size\n");
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_args(int argc, char **argv, options *o)
{
    *o = (options){NULL, NULL, 50000, 64, 20, 300, 0, 0, 5, {50, 200}, 2};
    for (int i = 1; i < argc; i++) {
        const char *k = argv[i];
        if (!strcmp(k, "--help")) {
            usage(stdout);
            return 1;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, PROG ": %s needs a value (try --help)\n", k);
            return -1;
        }
        const char *v = argv[++i];
        int bad = 0;
        if (!strcmp(k, "--config")) o->config_path = v;
        else if (!strcmp(k, "--store")) o->store_dir = v;
        else if (!strcmp(k, "--takes")) bad = parse_int(v, 1, 10000000, &o->takes);
        else if (!strcmp(k, "--window")) bad = parse_int(v, 2, 100000, &o->window);
        else if (!strcmp(k, "--phase-s")) bad = parse_int(v, 1, 3600, &o->phase_s);
        else if (!strcmp(k, "--deadline-s")) bad = parse_int(v, 1, 86400, &o->deadline_s);
        else if (!strcmp(k, "--caller-pid")) bad = parse_int(v, 1, 1 << 30, &o->caller_pid);
        else if (!strcmp(k, "--broker-pid")) bad = parse_int(v, 1, 1 << 30, &o->broker_pid);
        else if (!strcmp(k, "--green-pct")) bad = parse_int(v, 0, 100, &o->green_pct);
        else if (!strcmp(k, "--rates")) {
            o->n_rates = 0;
            char buf[256];
            snprintf(buf, sizeof buf, "%s", v);
            for (char *save = NULL, *t = strtok_r(buf, ",", &save); t && !bad; t = strtok_r(NULL, ",", &save)) {
                int r;
                bad = parse_int(t, 0, 1000000, &r) < 0 || o->n_rates == MAX_PHASES - 2;
                if (!bad && r > 0)
                    o->rates[o->n_rates++] = r;
            }
        } else {
            fprintf(stderr, PROG ": unknown argument '%s' (try --help)\n", k);
            return -1;
        }
        if (bad) {
            fprintf(stderr, PROG ": bad value '%s' for %s\n", v, k);
            return -1;
        }
    }
    if (!o->config_path) {
        fprintf(stderr, PROG ": --config FILE is required (try --help)\n");
        return -1;
    }
    return 0;
}

static void plan(bench *b)
{
    phase_t *ph = &b->phases[b->n_phases++];
    snprintf(ph->name, sizeof ph->name, "login");
    int left = b->o.takes;
    for (int i = 0; i < b->o.n_rates && left > 0; i++) {
        ph = &b->phases[b->n_phases++];
        snprintf(ph->name, sizeof ph->name, "rate %d/s", b->o.rates[i]);
        ph->rate = b->o.rates[i];
        long n = (long)ph->rate * b->o.phase_s;
        ph->takes = n < left ? (int)n : left;
        left -= ph->takes;
    }
    if (left > 0) {
        ph = &b->phases[b->n_phases++];
        snprintf(ph->name, sizeof ph->name, "max, window %d", b->o.window);
        ph->takes = left;
    }
}

int main(int argc, char **argv)
{
    bench *b = calloc(1, sizeof *b);
    int rc = 2;
    if (!b)
        return 1;
    int a = parse_args(argc, argv, &b->o);
    if (a != 0) {
        free(b);
        return a > 0 ? 0 : 2;
    }
    char err[512];
    b->cfg = calloc(1, sizeof *b->cfg);
    if (!b->cfg || jh_config_load(b->cfg, b->o.config_path, err, sizeof err) < 0) {
        fprintf(stderr, PROG ": %s\n", b->cfg ? err : "out of memory");
        goto out;
    }
    mosquitto_lib_init();
    b->run_tag = (long)time(NULL) % 1000000; /* ids unique across runs on one store */
    b->start_ms = jh_bench_now_ms();
    if (open_links(b) < 0)
        goto out_lib;
    plan(b);
    printf("bench_load: %d takes: login, then", b->o.takes);
    for (int i = 1; i < b->n_phases; i++)
        printf(" %s (%d takes)%s", b->phases[i].name, b->phases[i].takes, i + 1 < b->n_phases ? "," : "");
    printf("; deadline %d s\n", b->o.deadline_s);
    fflush(stdout);
    for (b->cur = 0; b->cur < b->n_phases && !b->fatal && !past_deadline(b); b->cur++) {
        phase_t *ph = &b->phases[b->cur];
        if (b->cur == 0)
            run_login(b, ph);
        else
            run_phase(b, ph);
        printf("  %s done in %.1f s\n", ph->name, (ph->t1 - ph->t0) / 1000);
        fflush(stdout);
    }
    b->n_phases = b->cur; /* phases never started are not reported */
    report(b);
    rc = b->fatal ? 1 : 0;
out_lib:
    for (int i = 0; i < b->n_links; i++) {
        mosquitto_disconnect(b->links[i].m);
        mosquitto_destroy(b->links[i].m);
    }
    for (int i = 0; i < MAX_PHASES; i++)
        for (int k = 0; k < K_COUNT; k++)
            jh_sample_free(&b->phases[i].lat[k]);
    mosquitto_lib_cleanup();
out:
    free(b->ops);
    free(b->cfg);
    free(b);
    return rc;
}
