/* SPDX-License-Identifier: MIT */
/*
 * bench_print — how big a Jiaohao ticket is and how long it takes to print
 * through the serial line, measured against jiaohao-printer-emu throttled
 * to the wire speed (bytes/s = baud/10), next to the theoretical minimum
 * bytes × 10 / baud. Prints a table; never a pass/fail test.
 *
 *   bench_print [--config FILE] [--emu PATH] [--runs N] [--png-dir DIR]
 *
 * --png-dir keeps the emulator's rendered tickets (ticket-0001.png ...).
 */
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hall_config.h"
#include "ticket_layout.h"
#include "ticket_print.h"

#ifndef JH_PRINTER_EMU
#define JH_PRINTER_EMU "jiaohao-printer-emu"
#endif

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static jh_issued_ticket sample(const char *number, jh_priority p)
{
    jh_issued_ticket t = {.priority = p, .ahead = 12, .ewt_s = 1500, .issued_at = "2026-11-23T09:05:07+08:00",
                          .day = 20261123};
    if (snprintf(t.ticket, sizeof t.ticket, "%s", number) >= (int)sizeof t.ticket) {
        fprintf(stderr, "bench_print: ticket number %s too long\n", number);
        exit(2);
    }
    snprintf(t.service, sizeof t.service, "%.1s", number);
    return t;
}

static size_t job_bytes(const jh_hall_config *cfg, const jh_printer_config *pc, const jh_issued_ticket *t)
{
    jh_escpos b;
    jh_escpos_init(&b);
    char err[256];
    size_t n = jh_ticket_layout(&b, cfg, pc, t, err, sizeof err) == 0 ? b.len : 0;
    jh_escpos_free(&b);
    return n;
}

static pid_t start_emu(const char *emu, long baud, const char *dir, const char *png_dir, int paper, char *pty,
                       size_t len)
{
    char ptyfile[256], b[32], p[8];
    snprintf(ptyfile, sizeof ptyfile, "%s/pty", dir);
    snprintf(b, sizeof b, "%ld", baud);
    snprintf(p, sizeof p, "%d", paper);
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, STDOUT_FILENO);
        if (png_dir)
            execl(emu, emu, "--pty-file", ptyfile, "--out", png_dir, "--baud", b, "--paper", p, "--quiet", (char *)NULL);
        else
            execl(emu, emu, "--pty-file", ptyfile, "--out", dir, "--baud", b, "--paper", p, "--no-png", "--quiet",
                  (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 500; i++) {
        FILE *f = fopen(ptyfile, "r");
        if (f && fgets(pty, (int)len, f)) {
            fclose(f);
            pty[strcspn(pty, "\n")] = '\0';
            return pid;
        }
        if (f)
            fclose(f);
        usleep(10000);
    }
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    return -1;
}

/* Mean seconds per ticket at `baud`, or < 0 on failure. */
static double timed(const char *emu, const jh_hall_config *cfg, jh_printer_config pc, long baud, int runs,
                    const char *png_dir)
{
    char dir[] = "/tmp/jh-bench-XXXXXX", err[256];
    if (!mkdtemp(dir))
        return -1;
    pid_t pid = start_emu(emu, baud, dir, png_dir, pc.paper_mm, pc.device, sizeof pc.device);
    double total = -1;
    jh_printer *p = NULL;
    pc.baud = (int)baud;
    if (pid > 0 && jh_printer_open(&p, &pc, err, sizeof err) == 0) {
        total = 0;
        for (int i = 0; i < runs && total >= 0; i++) {
            jh_issued_ticket t = sample(i % 2 ? "B018" : "A012", i % 2 ? JH_PRIO_ELDERLY : JH_PRIO_NONE);
            jh_ticket_print_outcome o;
            double t0 = now_s();
            if (jh_ticket_print(p, cfg, &pc, &t, &o) != JH_PRINT_OK) {
                fprintf(stderr, "bench_print: %s\n", o.message);
                total = -1;
            } else {
                total += now_s() - t0;
            }
        }
    } else if (pid > 0) {
        fprintf(stderr, "bench_print: %s\n", err);
    }
    jh_printer_close(p);
    if (pid > 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
    char cmd[64];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_print: could not remove %s\n", dir);
    return total < 0 ? -1 : total / runs;
}

int main(int argc, char **argv)
{
    const char *config = "assets/hall.ini", *emu = JH_PRINTER_EMU, *png_dir = NULL;
    int runs = 4, c;
    static const struct option opts[] = {
        {"config", 1, 0, 'c'}, {"emu", 1, 0, 'e'}, {"runs", 1, 0, 'r'}, {"png-dir", 1, 0, 'p'}, {0, 0, 0, 0}};
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'c')
            config = optarg;
        else if (c == 'e')
            emu = optarg;
        else if (c == 'r')
            runs = atoi(optarg) > 0 ? atoi(optarg) : 1;
        else if (c == 'p')
            png_dir = optarg;
        else
            return fprintf(stderr, "usage: bench_print [--config FILE] [--emu PATH] [--runs N] [--png-dir DIR]\n"), 2;
    }
    char err[256];
    jh_hall_config *cfg = calloc(1, sizeof *cfg);
    if (!cfg || jh_config_load(cfg, config, err, sizeof err) != 0)
        return fprintf(stderr, "bench_print: %s\n", err), 1;

    printf("bytes per ticket (ESC/POS job, hall %s)\n", cfg->site);
    printf("%-8s %-10s %8s %8s\n", "paper", "service", "normal", "green");
    for (int mm = 58; mm <= 80; mm += 22) {
        jh_printer_config pc;
        jh_printer_config_defaults(&pc);
        pc.paper_mm = mm;
        pc.columns = mm == 58 ? 32 : 48;
        for (int s = 0; s < cfg->n_services; s++) {
            char num[JH_ID_LEN + 8]; /* room for any code: gcc -O0 checks the bound, not the value */
            snprintf(num, sizeof num, "%s012", cfg->services[s].code);
            jh_issued_ticket n = sample(num, JH_PRIO_NONE), g = sample(num, JH_PRIO_ELDERLY);
            snprintf(n.service, sizeof n.service, "%s", cfg->services[s].code);
            snprintf(g.service, sizeof g.service, "%s", cfg->services[s].code);
            printf("%-8d %-10s %8zu %8zu\n", mm, cfg->services[s].code, job_bytes(cfg, &pc, &n), job_bytes(cfg, &pc, &g));
        }
    }

    printf("\ntime to print one ticket through the throttled emulator (80 mm, mean of %d, A and B green)\n", runs);
    printf("%-8s %8s %12s %12s %8s\n", "baud", "bytes", "theory ms", "measured ms", "ratio");
    static const long bauds[] = {9600, 115200};
    for (size_t i = 0; i < sizeof bauds / sizeof bauds[0]; i++) {
        jh_printer_config pc;
        jh_printer_config_defaults(&pc);
        jh_issued_ticket a = sample("A012", JH_PRIO_NONE), b = sample("B018", JH_PRIO_ELDERLY);
        double bytes = (job_bytes(cfg, &pc, &a) + job_bytes(cfg, &pc, &b)) / 2.0 + 3 /* GS r */;
        double theory = bytes * 10 / bauds[i];
        double t = timed(emu, cfg, pc, bauds[i], runs, png_dir);
        if (t < 0)
            printf("%-8ld %8.0f %12.1f %12s %8s\n", bauds[i], bytes, theory * 1000, "failed", "-");
        else
            printf("%-8ld %8.0f %12.1f %12.1f %8.2f\n", bauds[i], bytes, theory * 1000, t * 1000, t / theory);
    }
    free(cfg);
    return 0;
}
