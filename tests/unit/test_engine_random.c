/* SPDX-License-Identifier: MIT */
/*
 * test_engine_random — thousands of random commands (any op from any origin,
 * fields valid or not, resent ids, time jumping across days) against one
 * engine, checking after each what must always hold:
 *   - apply never fails and the reply is JSON with ok, or error + message;
 *   - a refusal makes no event; seq grows by exactly the events reported
 *     (by apply, and by tick: its alerts);
 *   - a resent id gets byte-for-byte the reply it got the first time;
 *   - each service's waiting counters equal the waiting tickets in the file;
 *   - a counter is serving exactly when it has a ticket, which is `called`.
 * The seed is fixed, so a failure is reproducible; JH_RANDOM_SEED overrides it.
 */
#include <sqlite3.h>

#include "test_engine_fixture.h"

#define STEPS 6000
#define KEEP 64

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static int ok_by_op[JH_OP_COUNT + 1]; /* so the run shows it reached every operation */

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return n ? (uint32_t)(rng % n) : 0;
}

static const char *pick(const char *const *v, int n) { return v[rnd((uint32_t)n)]; }

typedef struct {
    char labels[KEEP][16]; /* recently issued */
    int n_labels;
    char ids[KEEP][JH_CMD_ID_LEN]; /* recently sent, with their origin and reply */
    jh_origin origins[KEEP];
    char *replies[KEEP];
    int64_t sent_at[KEEP];
    int n_ids;
} memory;

static void random_fields(memory *m, jh_command *c)
{
    static const char *const svc[] = {"A", "A", "B", "B", "H", "L", "N", "Z", ""};
    static const char *const staff[] = {"s1", "s2", "s3", "s4", ""};
    static const char *const ctr[] = {"c01", "c02", "c03", "c99", ""};
    snprintf(c->service, sizeof c->service, "%s", pick(svc, 9));
    c->priority = (int)rnd(7) - 1;
    if (m->n_labels && rnd(4))
        snprintf(c->ticket, sizeof c->ticket, "%s", m->labels[rnd((uint32_t)m->n_labels)]);
    else if (rnd(2))
        snprintf(c->ticket, sizeof c->ticket, "A%03u", rnd(40));
    snprintf(c->staff_id, sizeof c->staff_id, "%s", pick(staff, 5));
    /* the test roster's PIN, now and then a wrong one or none (the lockout's way) */
    snprintf(c->secret, sizeof c->secret, "%s", rnd(10) ? FX_PIN : rnd(2) ? "999999" : "");
    snprintf(c->to_service, sizeof c->to_service, "%s", rnd(2) ? pick(svc, 9) : "");
    snprintf(c->to_counter, sizeof c->to_counter, "%s", rnd(2) ? pick(ctr, 5) : "");
    snprintf(c->message, sizeof c->message, "%s", rnd(2) ? "马上回来" : "");
    c->score = (int)rnd(8) - 1;
    c->rate_source = rnd(4) == 0 ? JH_RATE_SRC_STAFF_KEYPAD : JH_RATE_SRC_PAD;
}

/* Most commands go where they belong; some from the wrong or an unknown origin. */
static void random_origin(jh_origin *o, jh_op op)
{
    static const char *const kiosks[] = {"k1", "k2", "k9"};
    static const char *const counters[] = {"c01", "c02", "c03", "c03", "c99"};
    int kind = op == JH_OP_TAKE || op == JH_OP_VOID                           ? JH_ORIGIN_KIOSK
             : op >= JH_OP_OPEN && op <= JH_OP_END_DAY                         ? JH_ORIGIN_ADMIN
                                                                               : JH_ORIGIN_COUNTER;
    if (rnd(10) == 0)
        kind = (int)rnd(3);
    memset(o, 0, sizeof *o);
    o->kind = (jh_origin_kind)kind;
    snprintf(o->id, sizeof o->id, "%s",
             kind == JH_ORIGIN_KIOSK ? pick(kiosks, 3)
             : kind == JH_ORIGIN_ADMIN ? "admin"
                                       : pick(counters, 5));
}

static jh_op random_op(void)
{
    /* takes and calls dominate, as in a real hall; admin ops are rare */
    static const jh_op common[] = {
        JH_OP_TAKE,   JH_OP_TAKE,    JH_OP_TAKE,     JH_OP_CALL_NEXT, JH_OP_CALL_NEXT,
        JH_OP_FINISH, JH_OP_LOGIN,   JH_OP_RATE,     JH_OP_RECALL,    JH_OP_VOID,
        JH_OP_NO_SHOW, JH_OP_REQUEUE, JH_OP_TRANSFER, JH_OP_PAUSE,    JH_OP_RESUME,
        JH_OP_CALL,   JH_OP_FLAG};
    int n = (int)(sizeof common / sizeof common[0]);
    if (rnd(6))
        return common[rnd((uint32_t)n)];
    jh_op op = (jh_op)rnd(JH_OP_COUNT + 1);
    if ((op == JH_OP_END_DAY || op == JH_OP_CLOSE) && rnd(4))
        op = JH_OP_OPEN;
    return op;
}

/* Mostly a minute or so; sometimes a jump to another day during office hours. */
static int64_t advance(int64_t now)
{
    if (rnd(40))
        return now + (int64_t)rnd(90) * SEC;
    int64_t day = (now - T0 + 2 * HOUR) / (24 * HOUR) + 1 + rnd(3);
    return T0 + day * 24 * HOUR + (int64_t)rnd(9 * 60) * MIN - HOUR;
}

static int count_tickets(sqlite3 *db, int day, const char *svc, int green_only)
{
    static const char *q = "SELECT count(*) FROM tickets WHERE day = ?1 AND service = ?2"
                           " AND status = 'waiting' AND (?3 = 0 OR priority <> 0)";
    sqlite3_stmt *s;
    int n = -1;
    assert_int_equal(sqlite3_prepare_v2(db, q, -1, &s, NULL), SQLITE_OK);
    sqlite3_bind_int(s, 1, day);
    sqlite3_bind_text(s, 2, svc, -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, green_only);
    if (sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return n;
}

static void check_services(fx *f, sqlite3 *db)
{
    for (int i = 0; i < f->cfg->n_services; i++) {
        const char *code = f->cfg->services[i].code;
        cJSON *s = fx_service_state(f, code);
        int day = (int)fx_num(s, "day");
        if ((int)fx_num(s, "waiting") != count_tickets(db, day, code, 0) ||
            (int)fx_num(s, "waiting_priority") != count_tickets(db, day, code, 1))
            fail_msg("service %s: counters %d/%d, file %d/%d", code, (int)fx_num(s, "waiting"),
                     (int)fx_num(s, "waiting_priority"), count_tickets(db, day, code, 0),
                     count_tickets(db, day, code, 1));
        cJSON_Delete(s);
    }
}

static void check_counters(fx *f)
{
    for (int i = 0; i < f->cfg->n_counters; i++) {
        cJSON *c = fx_counter_state(f, f->cfg->counters[i].id);
        int serving = !strcmp(js(c, "status"), "serving");
        int has_ticket = !cJSON_IsNull(cJSON_GetObjectItem(c, "ticket"));
        assert_int_equal(serving, has_ticket);
        if (!strcmp(js(c, "status"), "closed"))
            assert_true(cJSON_IsNull(cJSON_GetObjectItem(c, "staff_id")));
        cJSON_Delete(c);
    }
}

static void check_reply(fx *f, const char *reply)
{
    cJSON *r = cJSON_Parse(reply);
    assert_non_null(r);
    cJSON *ok = cJSON_GetObjectItem(r, "ok");
    assert_true(cJSON_IsBool(ok));
    assert_int_equal(cJSON_IsTrue(ok), f->last.ok);
    if (!cJSON_IsTrue(ok)) {
        assert_true(strlen(js(r, "error")) > 0);
        assert_true(strlen(js(r, "message")) > 0);
        assert_int_equal(f->last.n_events, 0);
    }
    cJSON_Delete(r);
}

static void remember(memory *m, const jh_origin *o, const jh_command *c, const char *reply,
                     int64_t now)
{
    int k = m->n_ids < KEEP ? m->n_ids++ : (int)rnd(KEEP);
    free(m->replies[k]);
    snprintf(m->ids[k], sizeof m->ids[k], "%s", c->id);
    m->origins[k] = *o;
    m->replies[k] = strdup(reply);
    m->sent_at[k] = now;
    cJSON *r = cJSON_Parse(reply);
    const char *t = js(r, "ticket");
    if (c->op == JH_OP_TAKE && t[0]) {
        int j = m->n_labels < KEEP ? m->n_labels++ : (int)rnd(KEEP);
        snprintf(m->labels[j], sizeof m->labels[j], "%s", t);
    }
    cJSON_Delete(r);
}

/*
 * Resends a remembered command id: the reply must be the one stored. Records
 * are kept 48 h (docs/engine.md); older ones may be pruned at a rollover.
 */
static int resend(fx *f, memory *m)
{
    int k = (int)rnd((uint32_t)m->n_ids);
    if (f->now - m->sent_at[k] > 24 * HOUR)
        return 0;
    jh_command c = fx_cmd(JH_OP_CALL_NEXT); /* the op does not matter: the id decides */
    snprintf(c.id, sizeof c.id, "%s", m->ids[k]);
    cJSON_Delete(fx_send(f, m->origins[k].kind, m->origins[k].id, &c));
    assert_true(f->last.duplicate);
    assert_int_equal(f->last.n_events, 0);
    assert_string_equal(f->last.reply, m->replies[k]);
    return 1;
}

static void step(fx *f, memory *m, int64_t *seq)
{
    jh_origin o;
    jh_command c = fx_cmd(random_op());
    random_fields(m, &c);
    if (c.op == JH_OP_RATE && rnd(2))
        c.ticket[0] = '\0'; /* the usual pad sends no ticket */
    random_origin(&o, c.op);
    cJSON_Delete(fx_send(f, o.kind, o.id, &c));
    check_reply(f, f->last.reply);
    if (f->last.ok && !f->last.duplicate)
        ok_by_op[c.op]++;
    if (!f->last.duplicate)
        remember(m, &o, &c, f->last.reply, f->now);
    int64_t last;
    fx_outbox_count(f, *seq, &last);
    assert_int_equal(last, *seq + f->last.n_events);
    *seq = last;
}

static void test_random_commands_keep_invariants(void **state)
{
    (void)state;
    const char *seed = getenv("JH_RANDOM_SEED");
    if (seed)
        rng = strtoull(seed, NULL, 0) | 1;
    fx *f = fx_new_in("/dev/shm", "policy = ageing\nageing_minutes = 5\nrecall_limit = 1\n"
                                  "requeue = keep");
    memory m;
    memset(&m, 0, sizeof m);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    int64_t seq = 0;
    jh_outcome out;
    char err[256];
    for (int i = 0; i < STEPS; i++) {
        f->now = advance(f->now);
        if (!(m.n_ids && rnd(10) == 0 && resend(f, &m)))
            step(f, &m, &seq);
        if (rnd(8) == 0) {
            assert_int_equal(jh_engine_tick(f->e, f->now, &out, err, sizeof err), 0);
            seq += out.n_events; /* alerts come from tick */
        }
        check_services(f, db);
        check_counters(f);
    }
    sqlite3_close(db);
    for (int op = JH_OP_TAKE; op < JH_OP_COUNT; op++) {
        printf("  %-10s ok %d\n", jh_op_name((jh_op)op), ok_by_op[op]);
    }
    /* a generator that only produced refusals would prove little */
    assert_true(ok_by_op[JH_OP_TAKE] > 100 && ok_by_op[JH_OP_CALL_NEXT] > 50);
    for (int k = 0; k < m.n_ids; k++)
        free(m.replies[k]);
    fx_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_commands_keep_invariants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
