/* SPDX-License-Identifier: MIT */
/*
 * ini_syntax — the INI reader's limits and character rules, private to common/config.
 *
 * Owns: what the reader (ini_reader.c) and the hall's keys (hall_keys.c,
 * hall_checks.c) must agree on: how long a line, a section name and its argument
 * may be, which blanks are trimmed, which characters a name, key or id may hold.
 */
#ifndef JH_INI_SYNTAX_H
#define JH_INI_SYNTAX_H

#define JH_INI_MAX_LINE 4096
#define INI_NAME_LEN 32
#define INI_ARG_LEN 64

/* s without leading and trailing blanks (spaces, tabs); trims in place. */
char *jh_ini_trim(char *s);

/* 1 when every character of s is a-z, 0-9, in extra_ok, or (with upper_ok) A-Z. */
int jh_ini_all_of(const char *s, const char *extra_ok, int upper_ok);

#endif
