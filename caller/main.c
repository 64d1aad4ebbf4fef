/* SPDX-License-Identifier: MIT */
/*
 * main — jiaohao-caller, the caller daemon: command line, config, time zone,
 * signals; then the engine (the hall's state) and the MQTT front (its voice).
 *
 *   jiaohao-caller [--config FILE] [--data DIR] [--sim-clock START [--no-fsync]]
 *   jiaohao-caller backup [--config FILE] [--data DIR] [--force] FILE
 *   jiaohao-caller config [--config FILE] --devices | --get SECTION KEY
 *   jiaohao-caller staff-hash < SECRET
 *
 * `backup` copies the store to FILE while callers keep running (store_backup.c),
 * `config` answers scripts from the checked hall config (config_cmd.c) and
 * `staff-hash` prints the argon2id hash of a secret read on stdin, for a roster
 * file that ships no plaintext (staff_secret.h); all exit and never start the daemon.
 * The store is DIR/jiaohao.db, DIR defaulting to the config's data_dir.
 * --sim-clock and --no-fsync are for tests and simulations only (a simulated
 * day over MQTT, jiaohao-sim-day --mqtt): time then moves only by the admin
 * op `clock`, and --no-fsync, which may lose the last commands in a crash,
 * is refused without --sim-clock.
 * Bad input exits non-zero with one line on stderr; SIGINT/SIGTERM exit 0
 * after announcing status/caller offline.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config_cmd.h"
#include "engine.h"
#include "hall_config.h"
#include "hall_time.h"
#include "log.h"
#include "mqtt_front.h"
#include "protocol.h"
#include "sd_notify.h"
#include "sim_clock.h"
#include "staff_secret.h"
#include "store_backup.h"

#ifndef JH_VERSION
#error "JH_VERSION must be defined by the build (caller/CMakeLists.txt)"
#endif
#define PROG "jiaohao-caller"

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

typedef struct {
    const char *config;
    const char *data_dir;  /* NULL: from the config */
    const char *sim_clock; /* NULL: the real clock */
    int no_fsync;
} options;

static void usage(FILE *out)
{
    fprintf(out,
            "usage: " PROG " [--config FILE] [--data DIR] [--sim-clock START [--no-fsync]]\n"
            "  --config FILE  hall configuration (default assets/hall.ini)\n"
            "  --data DIR     where the store jiaohao.db lives (default: [hall] data_dir)\n"
            "  --help         this text\n"
            "       " PROG " backup [--config FILE] [--data DIR] [--force] FILE\n"
            "  copies the store to FILE while the hall runs; --force replaces an existing FILE\n");
    jh_config_cmd_usage(out, "       ");
    fprintf(out,
            "       " PROG " staff-hash < SECRET\n"
            "  prints the argon2id hash of the secret on stdin's first line, for the secret\n"
            "  column of a [staff] roster file (docs/console.md \"Staff secrets\")\n");
    fprintf(out,
            "For tests and simulations only, never in a hall:\n"
            "  --sim-clock START  a simulated clock starting at START: a date (YYYY-MM-DD: that\n"
            "                 business day's start, [hall] reset_at) or a moment\n"
            "                 (2026-11-23T07:00:00+08:00). Time moves only when the admin op\n"
            "                 {\"op\":\"clock\",\"to\":MOMENT} moves it; without this option\n"
            "                 that op is refused \"not-simulated\".\n"
            "  --no-fsync     do not wait for the disk on each command (a crash may lose the\n"
            "                 last ones); only with --sim-clock\n");
}

/* 0: run; 1: exit 0 (help); -1: exit 2 (message printed). */
static int parse_args(int argc, char **argv, options *o)
{
    *o = (options){.config = "assets/hall.ini"};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 1;
        }
        if (strcmp(a, "--no-fsync") == 0) {
            o->no_fsync = 1;
            continue;
        }
        const char **slot = strcmp(a, "--config") == 0      ? &o->config
                            : strcmp(a, "--data") == 0      ? &o->data_dir
                            : strcmp(a, "--sim-clock") == 0 ? &o->sim_clock
                                                            : NULL;
        if (!slot) {
            fprintf(stderr, PROG ": unknown argument '%s' (try --help)\n", a);
            return -1;
        }
        if (i + 1 >= argc || argv[i + 1][0] == '\0') {
            fprintf(stderr, PROG ": %s needs a value (try --help)\n", a);
            return -1;
        }
        *slot = argv[++i];
    }
    if (o->no_fsync && !o->sim_clock) {
        fprintf(stderr, PROG ": --no-fsync is for simulations only: it needs --sim-clock\n");
        return -1;
    }
    return 0;
}

/* --sim-clock's START (after the hall's zone is set): a date or a moment. -1 when neither. */
static int64_t sim_start(const jh_hall_config *cfg, const char *text)
{
    int64_t ms;
    int date = strlen(text) == 10 ? jh_date_parse(text) : -1;
    if (date > 0)
        return jh_sim_clock_day_start(cfg, date);
    return jh_parse_time(text, &ms) == 0 ? ms : -1;
}

static int ensure_dir(const char *dir)
{
    if (mkdir(dir, 0750) == 0 || errno == EEXIST) {
        struct stat st;
        if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
            return 0;
        errno = ENOTDIR;
    }
    fprintf(stderr, PROG ": data directory %s: %s\n", dir, strerror(errno));
    return -1;
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* Simulation only: the clock and durability (main checked --no-fsync needs --sim-clock). */
static int simulate(const options *o, jh_engine *engine, jh_front *front, int64_t start)
{
    char at[40];
    if (o->no_fsync && jh_engine_set_durable(engine, 0) < 0) {
        fprintf(stderr, PROG ": --no-fsync: the store refused\n");
        return -1;
    }
    jh_front_set_sim_clock(front, start);
    jh_log(JH_LOG_WARN, "SIMULATION: the clock starts at %s and moves only by the admin op clock%s",
           jh_time_iso8601(start, at, sizeof at), o->no_fsync ? "; no fsync" : "");
    return 0;
}

static int serve(const options *o, const jh_hall_config *cfg, const char *db_path, int64_t start)
{
    char err[512];
    jh_engine *engine = jh_engine_open(cfg, db_path, err, sizeof err);
    if (!engine) {
        fprintf(stderr, PROG ": %s\n", err);
        return 1;
    }
    jh_front *front = jh_front_new(cfg, engine, JH_VERSION, err, sizeof err);
    if (!front || (o->sim_clock && simulate(o, engine, front, start) < 0)) {
        if (!front)
            fprintf(stderr, PROG ": %s\n", err);
        jh_front_free(front);
        jh_engine_close(engine);
        return 1;
    }
    jh_log(JH_LOG_INFO, "site %s, store %s, broker %s:%d", cfg->site, db_path, cfg->broker_host,
           cfg->broker_port);
    /* Ready once the store is open, not when the broker is: the daemon keeps the
     * hall's day (ticks, the reset) without it and catches up when it comes. */
    if (jh_sd_notify("READY=1\nSTATUS=store open; connecting to the broker", err, sizeof err) < 0)
        jh_log(JH_LOG_WARN, "systemd: %s", err);
    jh_front_run(front, &g_stop);
    jh_front_free(front);
    jh_engine_close(engine);
    return 0;
}

/* `backup`'s arguments into o and *dest. 0: go; 1: exit 0 (help); -1: exit 2. */
static int parse_backup_args(int argc, char **argv, options *o, const char **dest, int *force)
{
    *o = (options){.config = "assets/hall.ini"};
    *dest = NULL;
    *force = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = strcmp(a, "--config") == 0 ? &o->config
                            : strcmp(a, "--data") == 0 ? &o->data_dir
                                                       : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 1;
        } else if (strcmp(a, "--force") == 0) {
            *force = 1;
        } else if (slot) {
            if (i + 1 >= argc || argv[i + 1][0] == '\0') {
                fprintf(stderr, PROG " backup: %s needs a value (try --help)\n", a);
                return -1;
            }
            *slot = argv[++i];
        } else if (a[0] == '-' || a[0] == '\0' || *dest) {
            fprintf(stderr, PROG " backup: unexpected argument '%s' (try --help)\n", a);
            return -1;
        } else {
            *dest = a;
        }
    }
    if (!*dest)
        fprintf(stderr, PROG " backup: which FILE? (try --help)\n");
    return *dest ? 0 : -1;
}

/* The store's directory: --data, else the config's data_dir (the config is
 * read only then, so a backup never depends on the rest of the hall file). */
static int backup_data_dir(const options *o, jh_hall_config *cfg, const char **dir)
{
    char err[512];
    *dir = o->data_dir;
    if (*dir)
        return 0;
    if (jh_config_load(cfg, o->config, err, sizeof err) < 0) {
        fprintf(stderr, PROG " backup: %s\n", err);
        return -1;
    }
    *dir = cfg->data_dir;
    if (!(*dir)[0]) {
        fprintf(stderr, PROG " backup: no data directory: give --data DIR or set [hall] data_dir\n");
        return -1;
    }
    return 0;
}

static int backup_main(int argc, char **argv)
{
    options o;
    const char *dest, *dir;
    int force;
    int a = parse_backup_args(argc, argv, &o, &dest, &force);
    if (a != 0)
        return a > 0 ? 0 : 2;
    jh_hall_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg) {
        fprintf(stderr, PROG " backup: out of memory\n");
        return 1;
    }
    int rc = 1;
    char db_path[1024], err[1024];
    jh_backup_info info;
    if (backup_data_dir(&o, cfg, &dir) == 0) {
        snprintf(db_path, sizeof db_path, "%s/jiaohao.db", dir);
        if (jh_store_backup(db_path, dest, force, &info, err, sizeof err) < 0)
            fprintf(stderr, PROG " backup: %s\n", err);
        else
            rc = 0;
    }
    if (rc == 0)
        printf("%s: %lld bytes, %lld tickets\n", dest, (long long)info.bytes,
               (long long)info.tickets);
    free(cfg);
    return rc;
}

/* `staff-hash`: one line on stdin (its newline not part of the secret) → its hash on stdout. */
static int staff_hash_main(int argc, char **argv)
{
    char secret[JH_STAFF_SECRET_MAX + 3], hash[JH_STAFF_HASH_LEN], err[160] = "libsodium did not start";
    if (argc > 2) {
        if (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        fprintf(stderr, PROG " staff-hash: reads the secret on stdin, takes no argument\n");
        return 2;
    }
    if (!fgets(secret, sizeof secret, stdin)) {
        fprintf(stderr, PROG " staff-hash: no secret on stdin\n");
        return 2;
    }
    secret[strcspn(secret, "\r\n")] = '\0';
    int rc = jh_staff_secret_init() < 0 ? -1 : jh_staff_secret_hash(secret, hash, sizeof hash, err, sizeof err);
    memset(secret, 0, sizeof secret);
    if (rc < 0) {
        fprintf(stderr, PROG " staff-hash: %s\n", err);
        return 1;
    }
    printf("%s\n", hash);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "backup") == 0)
        return backup_main(argc, argv);
    if (argc > 1 && strcmp(argv[1], "staff-hash") == 0)
        return staff_hash_main(argc, argv);
    if (argc > 1 && strcmp(argv[1], "config") == 0)
        return jh_config_cmd_main(argc, argv);
    options o;
    int a = parse_args(argc, argv, &o);
    if (a != 0)
        return a > 0 ? 0 : 2;

    jh_hall_config *cfg = calloc(1, sizeof *cfg);
    char err[512];
    if (!cfg) {
        fprintf(stderr, PROG ": out of memory\n");
        return 1;
    }
    int rc = 1;
    /* The zone first: every time the engine and the log compute is hall time. */
    if (jh_config_load(cfg, o.config, err, sizeof err) < 0 ||
        jh_time_set_zone(cfg->timezone, err, sizeof err) < 0) {
        fprintf(stderr, PROG ": %s\n", err);
        goto out;
    }
    jh_log_init(PROG, getenv("JH_DEBUG") ? JH_LOG_DEBUG : JH_LOG_INFO);
    const char *dir = o.data_dir ? o.data_dir : cfg->data_dir;
    if (!dir[0]) {
        fprintf(stderr, PROG ": no data directory: give --data DIR or set [hall] data_dir\n");
        goto out;
    }
    int64_t start = o.sim_clock ? sim_start(cfg, o.sim_clock) : 0;
    if (start < 0) {
        fprintf(stderr, PROG ": --sim-clock '%s': want a date (2026-11-23) or a moment"
                        " (2026-11-23T07:00:00+08:00)\n", o.sim_clock);
        rc = 2;
        goto out;
    }
    char db_path[1024];
    if (ensure_dir(dir) < 0)
        goto out;
    snprintf(db_path, sizeof db_path, "%s/jiaohao.db", dir);
    install_signals();
    rc = serve(&o, cfg, db_path, start);
out:
    free(cfg);
    return rc;
}
