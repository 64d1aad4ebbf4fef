/* SPDX-License-Identifier: MIT */
/*
 * cli_opts — the shared command-line reader (see cli_opts.h).
 */
#include "cli_opts.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int bad(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(const char *prog, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (try --help)\n");
    return 2;
}

int jh_cli_parse(const char *prog, int argc, char **argv, const jh_cli_opt *opts, size_t n_opts,
                 void (*usage)(FILE *out))
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return -1;
        }
        const jh_cli_opt *o = opts;
        while (o < opts + n_opts && strcmp(argv[i], o->name) != 0)
            o++;
        if (o == opts + n_opts)
            return bad(prog, "unknown argument '%s'", argv[i]);
        if (o->flag) {
            *o->flag = 1;
            continue;
        }
        if (o->run) {
            int rc = o->run();
            return rc == 0 ? -1 : rc;
        }
        if (i + 1 >= argc || argv[i + 1][0] == '\0')
            return bad(prog, "%s needs a value", argv[i]);
        const char *v = argv[++i];
        if (o->text) {
            *o->text = v;
            continue;
        }
        /* strtol, not the INI's stricter reader: the programs have always taken "+500" here */
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || n < o->lo || n > o->hi)
            return bad(prog, "%s '%s' is not %d..%d %s", o->name, v, o->lo, o->hi, o->unit);
        *o->number = (int)n;
    }
    return 0;
}
