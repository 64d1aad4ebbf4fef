/* SPDX-License-Identifier: MIT */
/*
 * cli_opts — the command line, read the same way by every Jiaohao program.
 *
 * Owns: matching argv against a program's table of options, -h/--help, the
 * value that must follow an option (and not be empty), whole numbers in a
 * range, and the one line on stderr that says what was wrong, e.g.
 *   jiaohao-kiosk: --wait needs a value (try --help)
 * What the options mean stays with each program.
 */
#ifndef JH_CLI_OPTS_H
#define JH_CLI_OPTS_H

#include <stddef.h>
#include <stdio.h>

/* One option; exactly one of text, number, flag and run is set. */
typedef struct {
    const char *name;   /* "--config" */
    const char **text;  /* takes a value, kept as given */
    int *number;        /* takes a whole number lo..hi; `unit` ends the complaint ("ms") */
    int lo, hi;
    const char *unit;
    int *flag;          /* takes no value; sets *flag to 1 */
    int (*run)(void);   /* takes no value; runs at once and ends the reading with its exit status */
} jh_cli_opt;

/*
 * Reads argv[1..] in order. Returns 0 to go on and run; -1 to exit 0 (after
 * --help printed `usage` on stdout, or a `run` option returned 0); otherwise
 * the exit status: a `run` option's own, or 2 for an unknown argument, a
 * missing or bad value (said on stderr as "prog: ... (try --help)").
 */
int jh_cli_parse(const char *prog, int argc, char **argv, const jh_cli_opt *opts, size_t n_opts,
                 void (*usage)(FILE *out));

#endif
