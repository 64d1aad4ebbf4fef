/* SPDX-License-Identifier: MIT */
/*
 * clientid_rule — see clientid_rule.h. Every length is bounded before it is
 * used, so an id of any size from the network costs at most
 * JH_CLIENTID_MAX + 1 bytes of reading.
 */
#include "clientid_rule.h"

#include <string.h>

/* Visible ASCII only: a client id shows up in the broker's log and in
 * operators' terminals, where control bytes or look-alike characters would lie. */
static bool visible(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
            return false;
    return true;
}

bool jh_clientid_allowed(const char *user, const char *client_id)
{
    if (!user || !client_id)
        return false;
    size_t ulen = strnlen(user, JH_CLIENTID_MAX + 1);
    size_t idlen = strnlen(client_id, JH_CLIENTID_MAX + 1);
    if (ulen == 0 || idlen == 0 || idlen > JH_CLIENTID_MAX || ulen > idlen)
        return false;
    if (!visible(user, ulen) || !visible(client_id, idlen) || memchr(user, JH_CLIENTID_SEP, ulen))
        return false;
    if (memcmp(client_id, user, ulen) != 0)
        return false;
    /* Exactly the user, or the user, the separator and at least one more byte. */
    return idlen == ulen || (client_id[ulen] == JH_CLIENTID_SEP && idlen > ulen + 1);
}
