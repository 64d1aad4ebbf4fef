/* SPDX-License-Identifier: MIT */
/*
 * emu_fixture — see emu_fixture.h.
 */
#include "emu_fixture.h"

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef JH_PRINTER_EMU
#error "JH_PRINTER_EMU must name the emulator binary"
#endif

void emu_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int64_t emu_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The whole file, NUL-terminated, in a fresh buffer; NULL when unreadable. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - 1 - n, f);
        if (n < cap - 1)
            break;
        char *more = realloc(buf, cap * 2);
        if (!more) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = more;
        cap *= 2;
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

int emu_start(emu_fixture *e, const char *paper)
{
    char ptyfile[128];
    memset(e, 0, sizeof *e);
    snprintf(e->dir, sizeof e->dir, "/tmp/jh-print-XXXXXX");
    if (!mkdtemp(e->dir))
        return -1;
    snprintf(ptyfile, sizeof ptyfile, "%s/pty", e->dir);
    snprintf(e->ctl, sizeof e->ctl, "%s/ctl", e->dir);
    e->pid = fork();
    if (e->pid < 0)
        return -1;
    if (e->pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM); /* never outlive a crashed test */
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, STDOUT_FILENO);
        execl(JH_PRINTER_EMU, JH_PRINTER_EMU, "--pty-file", ptyfile, "--out", e->dir, "--control", e->ctl,
              "--paper", paper, "--no-png", "--quiet", (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 500; i++) {
        char *s = slurp(ptyfile);
        if (s && *s) {
            size_t n = strcspn(s, "\n");
            int fits = n < sizeof e->pty;
            if (fits) {
                memcpy(e->pty, s, n);
                e->pty[n] = '\0';
            }
            free(s);
            return fits ? 0 : -1;
        }
        free(s);
        emu_sleep_ms(10);
    }
    return -1;
}

void emu_stop(emu_fixture *e)
{
    if (e->pid > 0) {
        kill(e->pid, SIGTERM);
        waitpid(e->pid, NULL, 0);
        e->pid = 0;
    }
    if (e->dir[0]) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", e->dir);
        e->dir[0] = '\0';
    }
}

int emu_cmd(const emu_fixture *e, const char *line)
{
    int fd = open(e->ctl, O_WRONLY);
    if (fd < 0)
        return -1;
    size_t n = strlen(line);
    int ok = write(fd, line, n) == (ssize_t)n && write(fd, "\n", 1) == 1;
    close(fd);
    return ok ? 0 : -1;
}

cJSON *emu_ticket(const emu_fixture *e, int n)
{
    char path[160];
    snprintf(path, sizeof path, "%s/ticket-%04d.json", e->dir, n);
    char *s = slurp(path);
    cJSON *j = s ? cJSON_Parse(s) : NULL;
    free(s);
    return j;
}
