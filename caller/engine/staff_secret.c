/* SPDX-License-Identifier: MIT */
/*
 * staff_secret — see staff_secret.h. libsodium does the hashing and the
 * comparing (in constant time); this file only says with which parameters and
 * which inputs it is given.
 */
#include "staff_secret.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8_text.h"

int jh_staff_secret_init(void) { return sodium_init() < 0 ? -1 : 0; }

int jh_staff_secret_check(const char *secret, char *why, size_t whylen)
{
    size_t n = strlen(secret);
    if (n < JH_STAFF_SECRET_MIN || n > JH_STAFF_SECRET_MAX) {
        snprintf(why, whylen, "a secret is %d to %d bytes long", JH_STAFF_SECRET_MIN,
                 JH_STAFF_SECRET_MAX);
        return -1;
    }
    for (const unsigned char *p = (const unsigned char *)secret; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            snprintf(why, whylen, "a secret has no control characters");
            return -1;
        }
    }
    for (size_t i = 0, l; i < n; i += l) {
        l = jh_utf8_seq_len((const unsigned char *)secret + i, n - i);
        if (l == 0) {
            snprintf(why, whylen, "a secret is UTF-8 text");
            return -1;
        }
    }
    return 0;
}

int jh_staff_secret_hash(const char *secret, char *out, size_t outlen, char *err, size_t errlen)
{
    char hash[crypto_pwhash_STRBYTES];
    if (jh_staff_secret_check(secret, err, errlen) < 0)
        return -1;
    if (outlen < sizeof hash ||
        crypto_pwhash_str(hash, secret, strlen(secret), JH_STAFF_PWHASH_OPS, JH_STAFF_PWHASH_MEM) != 0) {
        snprintf(err, errlen, "hashing the secret failed (out of memory?)");
        return -1;
    }
    memcpy(out, hash, sizeof hash);
    sodium_memzero(hash, sizeof hash);
    return 0;
}

/* "…m=65536,t=2,p=1$…": the number after `key`, or -1. */
static long hash_param(const char *params, const char *key)
{
    const char *p = strstr(params, key);
    if (!p)
        return -1;
    char *end;
    long v = strtol(p + strlen(key), &end, 10);
    return end == p + strlen(key) || v < 0 ? -1 : v;
}

int jh_staff_hash_check(const char *hash, char *why, size_t whylen)
{
    static const char prefix[] = crypto_pwhash_argon2id_STRPREFIX "v=19$";
    size_t n = strlen(hash);
    if (n >= JH_STAFF_HASH_LEN || strncmp(hash, prefix, sizeof prefix - 1) != 0) {
        snprintf(why, whylen, "not an argon2id hash (want %s…)", prefix);
        return -1;
    }
    const char *params = hash + sizeof prefix - 1;
    const char *end = strchr(params, '$');
    long m = hash_param(params, "m="), t = hash_param(params, "t="), p = hash_param(params, "p=");
    if (!end || m < 0 || t < 1 || p != 1 || !strchr(end + 1, '$')) {
        snprintf(why, whylen, "a malformed argon2id hash");
        return -1;
    }
    if (m > (long)JH_STAFF_HASH_MAX_MEM_KIB || t > (long)JH_STAFF_HASH_MAX_OPS) {
        snprintf(why, whylen, "argon2id m=%ld t=%ld is heavier than this hall verifies"
                 " (at most m=%u t=%u): rehash it with jiaohao-caller staff-hash", m, t,
                 JH_STAFF_HASH_MAX_MEM_KIB, JH_STAFF_HASH_MAX_OPS);
        return -1;
    }
    return 0;
}

int jh_staff_secret_verify(const char *hash, const char *secret)
{
    char why[16];
    if (!hash[0] || jh_staff_hash_check(hash, why, sizeof why) < 0)
        return 0;
    return crypto_pwhash_str_verify(hash, secret, strlen(secret)) == 0;
}

int jh_staff_secret_needs_rehash(const char *hash)
{
    return crypto_pwhash_str_needs_rehash(hash, JH_STAFF_PWHASH_OPS, JH_STAFF_PWHASH_MEM) != 0;
}
