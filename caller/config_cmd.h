/* SPDX-License-Identifier: MIT */
/*
 * config_cmd — `jiaohao-caller config`: the hall config as the shell scripts see it.
 *
 * Owns: answering scripts (scripts/lib/hall-ini.sh) from the one C reader of the
 * hall INI, so no script reads the file itself. It validates the whole file as the
 * daemon does and prints the site and the devices, or one key's value; see
 * jh_config_cmd_usage for the line format.
 */
#ifndef JH_CONFIG_CMD_H
#define JH_CONFIG_CMD_H

#include <stdio.h>

/* The subcommand's lines of --help, the first one starting with lead ("usage: ",
 * or blanks under the daemon's own usage line). */
void jh_config_cmd_usage(FILE *out, const char *lead);

/* argv[1] is "config". Returns the exit status: 0, 1 (a broken config: one line on
 * stderr naming file and line) or 2 (bad arguments). */
int jh_config_cmd_main(int argc, char **argv);

#endif
