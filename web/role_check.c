/* SPDX-License-Identifier: MIT */
/*
 * role_check — see role_check.h. One row per op; the rule says whose
 * sessions may send it and where it goes. An op not in the table is refused.
 */
#include "role_check.h"

#include <stdio.h>
#include <string.h>

typedef enum {
    OWN,          /* a staff session, its own counter */
    OWN_OR_SUP,   /* own counter, or any counter for supervisor/admin */
    OWN_OR_GUIDE, /* own counter, or any counter for guide/supervisor/admin */
    GUIDE_ANY,    /* any counter for guide/supervisor/admin */
    GUIDE_ADMIN,  /* admin/cmd for guide/supervisor/admin */
    SUP_ADMIN,    /* admin/cmd for supervisor/admin */
    ADMIN_ONLY    /* admin/cmd for admin */
} rule;

typedef struct {
    const char *op;
    rule r;
} row;

static const row table[] = {
    {"call-next", OWN},        {"recall", OWN},           {"no-show", OWN},
    {"finish", OWN},           {"transfer", OWN},         {"call", OWN},
    {"invite-rating", OWN},    {"pause", OWN_OR_SUP},     {"resume", OWN_OR_SUP},
    {"requeue", OWN_OR_GUIDE}, {"flag", GUIDE_ANY},       {"take", GUIDE_ADMIN},
    {"notice", SUP_ADMIN},     {"open", SUP_ADMIN},       {"close", SUP_ADMIN},
    {"end-day", SUP_ADMIN},    {"alert-ack", SUP_ADMIN},  {"staff-list", ADMIN_ONLY},
    {"staff-add", ADMIN_ONLY}, {"staff-update", ADMIN_ONLY}, {"staff-disable", ADMIN_ONLY},
    {"staff-set-secret", ADMIN_ONLY}, {"staff-import", ADMIN_ONLY}, {"audit", ADMIN_ONLY},
};

static const struct {
    const char *name;
    unsigned bit;
} roles[] = {{"staff", JH_ROLE_STAFF}, {"guide", JH_ROLE_GUIDE},
             {"supervisor", JH_ROLE_SUPERVISOR}, {"admin", JH_ROLE_ADMIN}};

unsigned jh_role_parse(const char *name)
{
    for (size_t i = 0; name && i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(name, roles[i].name) == 0)
            return roles[i].bit;
    return 0;
}

const char *jh_role_name(unsigned role_bit)
{
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (roles[i].bit == role_bit)
            return roles[i].name;
    return NULL;
}

const char *jh_role_op(size_t i) { return i < sizeof table / sizeof table[0] ? table[i].op : NULL; }

/* A counter id as topics take it: 1..31 of a-z 0-9 '-'. */
static int counter_id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 31)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return 0;
    return 1;
}

static int refuse(char *code, size_t cl, const char *c, char *why, size_t wl, const char *op, const char *text)
{
    snprintf(code, cl, "%s", c);
    snprintf(why, wl, "%s: %s", op, text);
    return -1;
}

static int admin_route(jh_route *route, int allowed, const char *op, const char *need, char *code,
                       size_t cl, char *why, size_t wl)
{
    if (!allowed)
        return refuse(code, cl, "forbidden", why, wl, op, need);
    route->kind = JH_ROUTE_ADMIN;
    route->counter[0] = '\0';
    return 0;
}

int jh_role_check(const jh_asker *who, const char *op, const char *target, jh_route *route, char *code,
                  size_t cl, char *why, size_t wl)
{
    const row *r = NULL;
    for (size_t i = 0; op && i < sizeof table / sizeof table[0]; i++)
        if (strcmp(op, table[i].op) == 0)
            r = &table[i];
    if (!r)
        return refuse(code, cl, "forbidden", why, wl, op ? op : "(none)",
                      "not an operation the console may send");
    unsigned k = who->roles;
    int sup = (k & (JH_ROLE_SUPERVISOR | JH_ROLE_ADMIN)) != 0;
    int guide = sup || (k & JH_ROLE_GUIDE);
    switch (r->r) {
    case GUIDE_ADMIN:
        return admin_route(route, guide, op, "needs the guide, supervisor or admin role", code, cl, why, wl);
    case SUP_ADMIN:
        return admin_route(route, sup, op, "needs the supervisor or admin role", code, cl, why, wl);
    case ADMIN_ONLY:
        return admin_route(route, (k & JH_ROLE_ADMIN) != 0, op, "needs the admin role", code, cl, why, wl);
    default:
        break;
    }
    const char *own = who->counter ? who->counter : "";
    const char *c = target && *target ? target : own;
    if (!*c)
        return refuse(code, cl, "bad-field", why, wl, op, "no counter: sign in at a counter or name one");
    if (!counter_id_ok(c))
        return refuse(code, cl, "bad-field", why, wl, op, "counter: not a counter id");
    int mine = (k & JH_ROLE_STAFF) && *own && strcmp(c, own) == 0;
    int ok = mine || (r->r == OWN_OR_SUP && sup) || ((r->r == OWN_OR_GUIDE || r->r == GUIDE_ANY) && guide);
    if (r->r == GUIDE_ANY)
        ok = guide;
    if (!ok)
        return refuse(code, cl, "forbidden", why, wl, op,
                      r->r == OWN ? "only the staff signed in at that counter may send it"
                      : r->r == OWN_OR_SUP ? "another counter's: needs the supervisor or admin role"
                      : r->r == OWN_OR_GUIDE ? "another counter's: needs the guide, supervisor or admin role"
                                             : "needs the guide, supervisor or admin role");
    route->kind = JH_ROUTE_COUNTER;
    snprintf(route->counter, sizeof route->counter, "%s", c);
    return 0;
}
