/* SPDX-License-Identifier: MIT */
/*
 * staff_secret — a staff member's secret (keypad PIN, console password) and
 * its stored form.
 *
 * Owns: the one way a secret is hashed and checked — libsodium's argon2id
 * (crypto_pwhash_str / crypto_pwhash_str_verify), salted, the parameters in
 * the string — and the rules for what a secret and an imported hash may be.
 * The parameters are chosen so one verify costs the caller's single loop
 * about what one fsync of a command already does (bench/bench_pwhash.c,
 * docs/console.md "Staff secrets"). A hash made elsewhere with heavier
 * parameters would stall that loop on every login, so an imported
 * "$argon2id$" string is refused past JH_STAFF_HASH_MAX_MEM_KIB / _MAX_OPS.
 * A secret never leaves this module except as its hash.
 */
#ifndef JH_STAFF_SECRET_H
#define JH_STAFF_SECRET_H

#include <stddef.h>

/* argon2id parameters for new hashes (see docs/console.md for the numbers). */
#define JH_STAFF_PWHASH_OPS 3ULL
#define JH_STAFF_PWHASH_MEM (2u << 20) /* bytes */
/* The heaviest imported hash accepted: about 50-70 ms a verify (bench_pwhash), not 0.2 s+. */
#define JH_STAFF_HASH_MAX_MEM_KIB 16384u
#define JH_STAFF_HASH_MAX_OPS 4u
#define JH_STAFF_HASH_LEN 128 /* crypto_pwhash_STRBYTES, NUL included */
/* A secret: 4..127 bytes of printable text (a PIN is digits; a password anything printable). */
#define JH_STAFF_SECRET_MIN 4
#define JH_STAFF_SECRET_MAX 127

/* sodium_init(): once, before any other call (the engine does it at open). 0 or -1. */
int jh_staff_secret_init(void);

/* Whether `secret` may be a secret. 0, or -1 with the reason in why (never the secret). */
int jh_staff_secret_check(const char *secret, char *why, size_t whylen);

/* The stored form of `secret`, "$argon2id$v=19$m=…" into out[JH_STAFF_HASH_LEN]. 0 or -1. */
int jh_staff_secret_hash(const char *secret, char *out, size_t outlen, char *err, size_t errlen);

/* Whether `hash` (from a roster file or an import) is an argon2id string this
 * engine may verify without stalling. 0, or -1 with the reason in why. */
int jh_staff_hash_check(const char *hash, char *why, size_t whylen);

/* 1 when `secret` matches `hash`, 0 when it does not (or hash is "" or unusable). */
int jh_staff_secret_verify(const char *hash, const char *secret);

/* 1 when `hash` was made with other parameters than today's (rehash after a good login). */
int jh_staff_secret_needs_rehash(const char *hash);

#endif
