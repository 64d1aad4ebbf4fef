/* SPDX-License-Identifier: MIT */
/*
 * replay_main — runs a fuzz target's inputs once each, without libFuzzer.
 *
 * Owns: the main() that the normal and sanitizer builds link into every fuzz
 * target, so the suite replays each target's saved crashes
 * (fuzz/regressions/<name>/) and its seed corpus (fuzz/corpus/<name>/) with gcc
 * and under ASan/UBSan, where the fuzz build (clang, libFuzzer) explores
 * further for a bounded time. Arguments are files or folders (every regular
 * file in a folder, not recursive); a folder that does not exist is skipped,
 * since a target may have no regressions yet. A crash ends the process, as it
 * would under libFuzzer; otherwise it prints how many inputs ran.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_target.h"


/* Reads the whole file; NULL with errno set when it can't. */
static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        uint8_t *more = realloc(buf, cap * 2);
        if (!more) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = more;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    *len = n;
    return buf;
}

/* 1 when it ran, -1 when the file could not be read. */
static int replay_file(const char *path)
{
    size_t len = 0;
    uint8_t *data = read_all(path, &len);
    if (!data) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    /* A copy of exactly len bytes, so ASan sees a read past the input as one. */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact) {
        free(data);
        fprintf(stderr, "replay: %s: out of memory\n", path);
        return -1;
    }
    memcpy(exact, data, len);
    free(data);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 1;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Inputs run from a folder (in name order, so a run is repeatable), or -1. */
static int replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    char **names = NULL;
    int n = 0, cap = 0, ran = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **more = realloc(names, (size_t)cap * sizeof *names);
            if (!more)
                break;
            names = more;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        if (!(names[n] = malloc(len)))
            break;
        snprintf(names[n++], len, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, by_name);
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (ran >= 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
            ran = replay_file(names[i]) < 0 ? -1 : ran + 1;
        free(names[i]);
    }
    free(names);
    return ran;
}

int main(int argc, char **argv)
{
    int total = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        int ran = stat(argv[i], &st) == 0 && S_ISREG(st.st_mode) ? replay_file(argv[i]) : replay_dir(argv[i]);
        if (ran < 0) {
            fprintf(stderr, "replay: cannot read %s\n", argv[i]);
            return 1;
        }
        total += ran;
    }
    printf("replay: %d inputs ran, none crashed\n", total);
    return 0;
}
