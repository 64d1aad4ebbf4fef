/* SPDX-License-Identifier: MIT */
/*
 * bench_pwhash — what verifying a staff secret costs the caller's one loop.
 *
 * Owns: the figures behind the argon2id parameters the engine hashes staff
 * secrets with (caller/engine/staff_secret.c, docs/console.md "Staff
 * secrets"). For a few (opslimit, memlimit) pairs it hashes a 6-digit PIN
 * once and times VERIFIES crypto_pwhash_str_verify calls, the work a login
 * or a console sign-in does inside the loop. The baseline, measured in the
 * same run and on the same machine, is what every command already waits
 * for: one fdatasync of a small write to a file in DIR (the store's disk).
 * The pair the engine uses is marked; the run also checks that a hash made
 * by the engine (jh_staff_secret_hash) verifies at that pair's cost. Each
 * verify is timed twice: on the wall clock (what the loop waits, which a
 * busy machine stretches) and on the thread's CPU clock (the work itself,
 * what another machine of the same speed would wait when idle).
 * Prints figures only; it asserts nothing.
 *
 *   bench_pwhash [--verifies N] [DIR]   (DIR: default /tmp; use the data disk)
 */
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_stats.h"
#include "staff_secret.h"

#define SYNCS 200
#define PIN "480321"

typedef struct {
    unsigned long long ops;
    size_t mem;
    const char *note;
} pair;

static const pair pairs[] = {
    {1, 1u << 20, ""},
    {1, 2u << 20, ""},
    {2, 2u << 20, ""},
    {3, 2u << 20, ""},
    {4, 1u << 20, ""},
    {1, 4u << 20, ""},
    {2, 4u << 20, ""},
    {3, 4u << 20, ""},
    {1, 8u << 20, ""},
    {2, 8u << 20, ""},
    {4, 16u << 20, "the heaviest imported hash accepted"},
    {2, 64u << 20, "libsodium's INTERACTIVE"},
};

static double *cpu; /* the thread CPU time of each timing, beside its wall time */

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void print_row(const char *what, const char *note, jh_bench_figures f, int n_cpu)
{
    jh_bench_figures c = jh_bench_figures_of(cpu, n_cpu);
    printf("  %-26s %8.2f %8.2f %8.2f %8.2f   ", what, f.p50, f.p90, f.p99, f.max);
    if (n_cpu)
        printf("%8.2f %8.2f  %s\n", c.p50, c.p99, note);
    else
        printf("%8s %8s  %s\n", "-", "-", note); /* the disk's wait is not CPU work */
}

/* The baseline: one small write + fdatasync, as a commit of the store waits for. */
static int time_fdatasync(const char *dir, double *ms)
{
    char path[512];
    snprintf(path, sizeof path, "%s/bench_pwhash.XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    unlink(path);
    char block[4096];
    memset(block, 'x', sizeof block);
    for (int i = 0; i < SYNCS; i++) {
        double t0 = jh_bench_now_ms();
        if (pwrite(fd, block, sizeof block, (off_t)(i % 16) * (off_t)sizeof block) < 0 ||
            fdatasync(fd) < 0) {
            close(fd);
            return -1;
        }
        ms[i] = jh_bench_now_ms() - t0;
    }
    close(fd);
    return 0;
}

static int time_verify(const char *hash, int n, double *ms)
{
    for (int i = 0; i < n; i++) {
        double t0 = jh_bench_now_ms(), c0 = cpu_ms();
        if (crypto_pwhash_str_verify(hash, PIN, strlen(PIN)) != 0)
            return -1;
        ms[i] = jh_bench_now_ms() - t0;
        cpu[i] = cpu_ms() - c0;
    }
    return 0;
}

static int bench_pair(const pair *p, int n, double *ms)
{
    char hash[crypto_pwhash_STRBYTES], what[64];
    double t0 = jh_bench_now_ms();
    if (crypto_pwhash_str(hash, PIN, strlen(PIN), p->ops, p->mem) != 0)
        return -1;
    double hash_ms = jh_bench_now_ms() - t0;
    if (time_verify(hash, n, ms) < 0)
        return -1;
    int engine = p->ops == JH_STAFF_PWHASH_OPS && p->mem == JH_STAFF_PWHASH_MEM;
    char note[96];
    snprintf(note, sizeof note, "hash %.2f ms%s%s%s", hash_ms, engine ? "; the engine's" : "",
             p->note[0] ? "; " : "", p->note);
    snprintf(what, sizeof what, "verify t=%llu m=%zu MiB", p->ops, p->mem >> 20);
    print_row(what, note, jh_bench_figures_of(ms, n), n);
    return 0;
}

/* A hash the engine itself made verifies through the engine's own call. */
static int bench_engine(int n, double *ms)
{
    char hash[JH_STAFF_HASH_LEN], err[128];
    if (jh_staff_secret_hash(PIN, hash, sizeof hash, err, sizeof err) < 0) {
        fprintf(stderr, "bench_pwhash: %s\n", err);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        double t0 = jh_bench_now_ms(), c0 = cpu_ms();
        if (jh_staff_secret_verify(hash, PIN) != 1)
            return -1;
        ms[i] = jh_bench_now_ms() - t0;
        cpu[i] = cpu_ms() - c0;
    }
    char *salt = strrchr(hash, '$'); /* print the parameters, not the PIN's hash */
    if (salt)
        *salt = '\0';
    print_row("jh_staff_secret_verify", hash, jh_bench_figures_of(ms, n), n);
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = "/tmp";
    int n = 50;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--verifies") == 0 && i + 1 < argc)
            n = atoi(argv[++i]);
        else
            dir = argv[i];
    }
    if (n < 1 || n > 10000 || sodium_init() < 0) {
        fprintf(stderr, "usage: bench_pwhash [--verifies N (1..10000)] [DIR]\n");
        return 2;
    }
    double *ms = calloc((size_t)(n > SYNCS ? n : SYNCS), sizeof *ms);
    cpu = calloc((size_t)(n > SYNCS ? n : SYNCS), sizeof *cpu);
    if (!ms || !cpu)
        return 1;
    printf("bench_pwhash: argon2id (libsodium %s), %d verifies per pair; ms\n",
           sodium_version_string(), n);
    printf("  %-26s %8s %8s %8s %8s   %8s %8s\n", "", "wall p50", "p90", "p99", "max", "cpu p50",
           "p99");
    int rc = time_fdatasync(dir, ms);
    if (rc == 0)
        print_row("fdatasync 4 KiB (baseline)", dir, jh_bench_figures_of(ms, SYNCS), 0);
    for (size_t i = 0; rc == 0 && i < sizeof pairs / sizeof pairs[0]; i++)
        rc = bench_pair(&pairs[i], n, ms);
    if (rc == 0)
        rc = bench_engine(n, ms);
    if (rc < 0)
        fprintf(stderr, "bench_pwhash: a hash, a verify or the disk failed\n");
    free(ms);
    free(cpu);
    return rc < 0 ? 1 : 0;
}
