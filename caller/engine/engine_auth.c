/* SPDX-License-Identifier: MIT */
/*
 * engine_auth — staff identity: who a login or a console sign-in is, and what
 * a console acting for someone (`by`) may do.
 *
 * Owns: checking a secret against the roster's hash (staff_secret.c) and the
 * lockout around it — a wrong secret is counted even though its command is
 * refused (the count is written after the refusal's rollback), after
 * [staff] max_failures in a row the account locks for lock_minutes, and
 * tick announces each lock once (event alert, kind staff-locked); while
 * locked no secret is even tried. Also where a person may serve (their
 * counters and services, or those of anyone they cover: AB岗), the pinless
 * keypad login of halls not yet enrolled (nameless: a typed name is never
 * shown), and the role matrix of docs/protocol.md "Who may do what".
 * Order of a login's checks: unknown-staff, locked, the secret
 * (missing-field, bad-secret), staff-disabled, not-allowed-here — so without
 * the secret nobody learns more than that an id exists or is locked.
 */
#include "engine_int.h"

#include <stdio.h>
#include <string.h>

#include "hall_time.h"

#define LOCK_BATCH 16 /* staff-locked alerts per tick; more wait for the next */

/* "10:15" in the hall's time, for people. */
static void clock_words(int64_t ms, char *buf, size_t len)
{
    char iso[JH_TIME_LEN];
    jh_time_iso8601(ms, iso, sizeof iso);
    snprintf(buf, len, "%.5s", strlen(iso) > 11 ? iso + 11 : iso);
}

static int refuse_locked(eng_op *x, const jh_staff_row *s)
{
    char at[8];
    clock_words(s->locked_until, at, sizeof at);
    x->until = s->locked_until;
    return eng_refuse(x, "locked", "staff %s is locked after too many wrong secrets, until %s",
                      s->staff_id, at);
}

/* The secret part of a sign-in: 1 it matches (failures cleared, hash renewed when
 * its parameters are old), 0 refused, -1 store. */
static int check_secret(eng_op *x, jh_staff_row *s)
{
    const char *secret = x->cmd->secret;
    if (s->locked_until > x->now)
        return refuse_locked(x, s);
    if (!secret[0])
        return eng_refuse(x, "missing-field", "a secret is required (field 'secret')");
    if (!jh_staff_secret_verify(s->secret_hash, secret)) {
        snprintf(x->fail_staff, sizeof x->fail_staff, "%s", s->staff_id);
        return eng_refuse(x, "bad-secret", "wrong secret for staff %s", s->staff_id);
    }
    char err[128];
    if (jh_staff_secret_needs_rehash(s->secret_hash) &&
        jh_staff_secret_hash(secret, s->secret_hash, sizeof s->secret_hash, err, sizeof err) < 0)
        return -1;
    s->failures = 0;
    s->locked_until = 0;
    return jh_store_staff_put(x->st, s) < 0 ? -1 : 1;
}

/* The roster's person named by cmd->staff_id: 1 found, 0 refused unknown-staff, -1. */
static int load_named(eng_op *x, jh_staff_row *s)
{
    int rc = jh_store_staff_get(x->st, x->cmd->staff_id, s);
    if (rc == 0)
        eng_refuse(x, "unknown-staff", "no staff %s in the roster", x->cmd->staff_id);
    return rc;
}

int eng_staff_authenticate(eng_op *x, jh_staff_row *s)
{
    int rc = load_named(x, s);
    if (rc > 0)
        rc = check_secret(x, s);
    if (rc > 0 && !s->enabled)
        return eng_refuse(x, "staff-disabled", "staff %s is disabled", s->staff_id);
    return rc;
}

/* ---------- where a person may serve ---------- */

static int serves_one_of(const jh_counter_config *cc, const jh_hall_config *cfg, const char *list)
{
    if (!list[0])
        return 1;
    for (int i = 0; i < cc->n_services; i++)
        if (jh_roster_list_has(list, cfg->services[cc->services[i]].code))
            return 1;
    return 0;
}

/* By their own counters and services. */
static int own_post(eng_op *x, const jh_staff_row *s)
{
    const jh_counter_config *cc = &x->cfg->counters[x->ci];
    return (!s->counters[0] || jh_roster_list_has(s->counters, cc->id)) &&
           serves_one_of(cc, x->cfg, s->services);
}

/* Or by the post of someone they cover (AB岗). 1, 0, -1. */
static int covered_post(eng_op *x, const jh_staff_row *s)
{
    jh_staff_row c;
    for (const char *p = s->covers; *p;) {
        const char *end = strchr(p, ';');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        char id[JH_ID_LEN];
        snprintf(id, sizeof id, "%.*s", (int)(l < sizeof id ? l : sizeof id - 1), p);
        int rc = jh_store_staff_get(x->st, id, &c);
        if (rc < 0)
            return -1;
        if (rc && own_post(x, &c))
            return 1;
        p += l + (end ? 1 : 0);
    }
    return 0;
}

static int may_serve_here(eng_op *x, const jh_staff_row *s)
{
    const char *here = x->origin->id;
    if (!(s->roles & JH_ROLE_STAFF))
        return eng_refuse(x, "not-allowed-here", "staff %s does not serve at counters", s->staff_id);
    int rc = own_post(x, s) ? 1 : covered_post(x, s);
    if (rc == 0)
        return eng_refuse(x, "not-allowed-here", "staff %s may not serve at counter %s",
                          s->staff_id, here);
    return rc;
}

int eng_login_identity(eng_op *x, char *name)
{
    jh_staff_row s;
    /* pinless: a device (no console behind it) in a hall that has not enrolled its staff */
    int pinless = !x->cmd->by[0] && x->cfg->pinless_keypad_login && !x->cmd->secret[0];
    int rc = jh_store_staff_get(x->st, x->cmd->staff_id, &s);
    name[0] = '\0';
    if (rc <= 0) {
        if (rc == 0 && !pinless)
            eng_refuse(x, "unknown-staff", "no staff %s in the roster", x->cmd->staff_id);
        return rc < 0 ? -1 : pinless;
    }
    if (pinless && s.locked_until > x->now)
        return refuse_locked(x, &s);
    rc = pinless ? 1 : check_secret(x, &s);
    if (rc > 0 && !s.enabled)
        return eng_refuse(x, "staff-disabled", "staff %s is disabled", s.staff_id);
    if (rc > 0)
        rc = may_serve_here(x, &s);
    if (rc > 0 && !pinless) /* a name only for a person who proved who they are */
        snprintf(name, JH_TEXT_LEN, "%s", s.name);
    return rc;
}

/* ---------- the lockout ---------- */

int eng_after_refusal(eng_op *x)
{
    jh_staff_row s;
    if (!x->fail_staff[0])
        return 0;
    int rc = jh_store_staff_get(x->st, x->fail_staff, &s);
    if (rc <= 0)
        return rc;
    int max = x->cfg->staff_max_failures > 0 ? x->cfg->staff_max_failures : 5;
    if (++s.failures >= max) {
        char at[8];
        s.failures = 0;
        s.locked_until = x->now + (int64_t)x->cfg->staff_lock_s * 1000;
        x->until = s.locked_until;
        clock_words(s.locked_until, at, sizeof at);
        snprintf(x->message, sizeof x->message,
                 "wrong secret for staff %s, %d in a row: locked until %s", s.staff_id, max, at);
    } else {
        snprintf(x->message, sizeof x->message,
                 "wrong secret for staff %s (%d of %d before the account locks)", s.staff_id,
                 s.failures, max);
    }
    return jh_store_staff_put(x->st, &s);
}

static int alert_locked(eng_op *x, jh_staff_row *s)
{
    jh_event_payload ev;
    eng_event_init(x, JH_EVENT_ALERT_STAFF_LOCKED, &ev);
    /* the same sizes (JH_ID_LEN, JH_TEXT_LEN), each NUL-terminated by the store */
    memcpy(ev.staff_id, s->staff_id, sizeof ev.staff_id);
    memcpy(ev.staff_name, s->name, sizeof ev.staff_name);
    eng_time(s->locked_until, ev.until);
    s->lock_alerted = s->locked_until;
    return jh_store_staff_put(x->st, s) < 0 ? -1 : eng_event_emit(x, &ev, 0);
}

int eng_staff_lock_alerts(jh_engine *e, int64_t now, jh_outcome *out)
{
    jh_staff_row due[LOCK_BATCH];
    int n;
    if (jh_store_staff_lock_due(e->st, due, LOCK_BATCH, &n) < 0)
        return -1;
    if (n == 0)
        return 0;
    eng_op x;
    memset(&x, 0, sizeof x);
    x.e = e;
    x.cfg = e->cfg;
    x.st = e->st;
    x.now = now;
    x.out = out;
    int events = out->n_events;
    if (jh_store_begin(e->st) < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (alert_locked(&x, &due[i]) < 0) {
            jh_store_rollback(e->st);
            out->n_events = events;
            return -1;
        }
    if (jh_store_commit(e->st) < 0) {
        jh_store_rollback(e->st);
        out->n_events = events;
        return -1;
    }
    return 0;
}

/* ---------- what a console's `by` may do ---------- */

#define BOSS (JH_ROLE_SUPERVISOR | JH_ROLE_ADMIN)

/* docs/protocol.md "Who may do what". */
static int by_allowed(const eng_op *x, const jh_staff_row *b)
{
    unsigned r = b->roles;
    int self_here = x->at_counter[0] && strcmp(x->at_counter, b->staff_id) == 0;
    switch (x->cmd->op) {
    case JH_OP_STAFF_AUTH:
        return 1; /* a sign-in: the secret decides */
    case JH_OP_STAFF_LIST:
    case JH_OP_AUDIT:
    case JH_OP_OPEN:
    case JH_OP_CLOSE:
    case JH_OP_NOTICE:
    case JH_OP_END_DAY:
        return (r & BOSS) != 0;
    case JH_OP_STAFF_ADD:
    case JH_OP_STAFF_UPDATE:
    case JH_OP_STAFF_DISABLE:
    case JH_OP_STAFF_SET_SECRET:
    case JH_OP_STAFF_IMPORT:
        return (r & JH_ROLE_ADMIN) != 0;
    case JH_OP_TAKE:
    case JH_OP_VOID:
    case JH_OP_FLAG:
        return (r & (JH_ROLE_GUIDE | BOSS)) != 0;
    case JH_OP_RATE:
        return 0; /* a score comes from the citizen's pad or phone, never a staff member */
    case JH_OP_LOGIN:
        return strcmp(x->cmd->staff_id, b->staff_id) == 0 || (r & BOSS);
    case JH_OP_REQUEUE:
        return self_here || (r & (JH_ROLE_GUIDE | BOSS)); /* the guide desk re-queues too */
    default:
        return self_here || (r & BOSS); /* a counter's work: its own staff, or a supervisor */
    }
}

int eng_check_by(eng_op *x)
{
    jh_staff_row b;
    const char *by = x->cmd->by;
    if (!by[0])
        return 1;
    int rc = jh_store_staff_get(x->st, by, &b);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return eng_refuse(x, "forbidden", "by: no staff %s in the roster", by);
    if (!b.enabled)
        return eng_refuse(x, "forbidden", "by: staff %s is disabled", by);
    if (!by_allowed(x, &b)) {
        char roles[64];
        jh_roles_text(b.roles, roles, sizeof roles);
        return eng_refuse(x, "forbidden", "staff %s (%s) may not %s here", by,
                          roles[0] ? roles : "no role", jh_op_name(x->cmd->op));
    }
    return 1;
}
