/* SPDX-License-Identifier: MIT */
/*
 * fuzz_clientid — libFuzzer target for the broker's client-id rule
 * (broker/clientid_rule.c) and the ids programs build (jh_client_id).
 *
 * Input: a user name, a newline, then a client id (each an exact-size heap
 * copy with its NUL, so ASan sees any over-read). The rule's answer is checked
 * both ways against a second, differently written statement of it (split the
 * id at its first ':'), so a rule that lets another user's id through, or
 * refuses a good one, aborts. The rest of the input, used as a suffix, must
 * give an id from jh_client_id that the rule accepts for that user.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "broker_auth.h"
#include "clientid_rule.h"
#include "fuzz_target.h"

static bool all_visible(const char *s)
{
    for (; *s; s++)
        if (*s < '!' || *s > '~')
            return false;
    return true;
}

/* The rule as the docs state it: "<user>" or "<user>:<non-empty suffix>". */
static bool reference(const char *user, const char *id)
{
    if (!user[0] || !id[0] || strlen(id) > JH_CLIENTID_MAX || !all_visible(user) || !all_visible(id) ||
        strchr(user, ':'))
        return false;
    const char *sep = strchr(id, ':');
    if (!sep)
        return strcmp(id, user) == 0;
    return (size_t)(sep - id) == strlen(user) && strncmp(id, user, strlen(user)) == 0 && sep[1] != '\0';
}

static char *copy(const uint8_t *p, size_t n)
{
    char *s = malloc(n + 1);
    if (!s)
        abort();
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t ulen = nl ? (size_t)(nl - data) : size;
    char *user = copy(data, ulen);
    char *id = nl ? copy(nl + 1, size - ulen - 1) : copy(data, 0);

    if (jh_clientid_allowed(user, id) != reference(user, id))
        abort();

    char built[JH_CLIENT_ID_LEN], err[256];
    if (jh_client_id(built, sizeof built, user, id, err, sizeof err) == 0) {
        bool usable = user[0] && !strchr(user, ':') && all_visible(user) && all_visible(id);
        if (usable != jh_clientid_allowed(user, built))
            abort();
    } else if (!err[0]) {
        abort(); /* a refusal always says why */
    }
    free(user);
    free(id);
    return 0;
}
