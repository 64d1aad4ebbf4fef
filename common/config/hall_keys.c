/* SPDX-License-Identifier: MIT */
/*
 * hall_keys — the sections and keys of the hall (assets/hall.ini documents each).
 *
 * Owns: one table of keys per known section, each key with a handler that
 * validates and stores it, and what opens a section ([hall] once, [service A],
 * [counter c01], ...). A key may appear once unless marked MULTI (hours,
 * material_zh/en). Unknown sections are passed over for their own parts;
 * unknown keys in known sections are errors, because they are nearly always
 * typos. What needs a whole section or the whole file is hall_checks.c's.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "hall_config.h"
#include "hall_parse.h"
#include "hall_time.h"
#include "ini_syntax.h"

/* Text for a fixed-size field: printable (no control characters) and fits. */
static int check_text(const char *v, size_t size, char *why, size_t wl)
{
    for (const unsigned char *c = (const unsigned char *)v; *c; c++) {
        if (*c < 0x20 || *c == 0x7F) {
            snprintf(why, wl, "'%s': control character", v);
            return -1;
        }
    }
    if (strlen(v) >= size) {
        snprintf(why, wl, "'%s': too long (%zu bytes, at most %zu)", v, strlen(v), size - 1);
        return -1;
    }
    return 0;
}

static int set_text(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    if (!*v && (k->flags & REQ)) {
        snprintf(why, wl, "must not be empty");
        return -1;
    }
    if (check_text(v, k->size, why, wl) != 0)
        return -1;
    memcpy((char *)p->obj + k->off, v, strlen(v) + 1);
    return 0;
}

static int set_int(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    return jh_ini_int(v, k->lo, k->hi, (int *)(void *)((char *)p->obj + k->off), why, wl);
}

/* Minutes in the file, seconds in the struct. */
static int set_minutes(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    int min;
    if (jh_ini_int(v, k->lo, k->hi, &min, NULL, 0) != 0) {
        snprintf(why, wl, "'%s': want minutes %d..%d", v, k->lo, k->hi);
        return -1;
    }
    *(int *)(void *)((char *)p->obj + k->off) = min * 60;
    return 0;
}

static int set_id(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    if (!*v || !jh_ini_all_of(v, "-", 0)) {
        snprintf(why, wl, "'%s': want a-z0-9-", v);
        return -1;
    }
    return set_text(p, k, v, why, wl);
}

static int set_zone(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    char msg[256];
    if (jh_time_zone_check(v, msg, sizeof msg) != 0) {
        snprintf(why, wl, "'%s': %s", v, msg);
        return -1;
    }
    return set_text(p, k, v, why, wl);
}

static int set_reset(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    (void)k;
    if (jh_ini_hhmm(v, strlen(v), 0, &p->cfg->reset_min) != 0) {
        snprintf(why, wl, "'%s': bad time (want HH:MM)", v);
        return -1;
    }
    return 0;
}

/* Goes on a QR code and printers want it plain: printable ASCII, no spaces. */
static int set_url(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    for (const char *c = v; *c; c++) {
        if (*c <= ' ' || *c >= 0x7F) {
            snprintf(why, wl, "'%s': want printable ASCII without spaces", v);
            return -1;
        }
    }
    return set_text(p, k, v, why, wl);
}

static int set_user(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    if (!jh_ini_all_of(v, "-_.", 1)) {
        snprintf(why, wl, "'%s': want A-Z a-z 0-9 - _ .", v);
        return -1;
    }
    return set_text(p, k, v, why, wl);
}

static int set_policy(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    (void)k;
    for (int i = JH_POLICY_STRICT; i <= JH_POLICY_AGEING; i++) {
        if (strcmp(v, jh_policy_name((jh_policy)i)) == 0) {
            p->cfg->policy = (jh_policy)i;
            return 0;
        }
    }
    snprintf(why, wl, "'%s': want strict, ratio, max-consecutive or ageing", v);
    return -1;
}

static int set_requeue(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    (void)k;
    if (strcmp(v, "back") == 0 || strcmp(v, "keep") == 0) {
        p->cfg->requeue = v[0] == 'b' ? JH_REQUEUE_BACK : JH_REQUEUE_KEEP;
        return 0;
    }
    snprintf(why, wl, "'%s': want back or keep", v);
    return -1;
}

/* "1-999" */
static int set_numbers(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    (void)k;
    jh_service_config *s = p->obj;
    char a[16], b[16];
    const char *dash = strchr(v, '-');
    size_t na = dash ? (size_t)(dash - v) : 0;
    if (!dash || na >= sizeof a || strlen(dash + 1) >= sizeof b)
        goto bad;
    memcpy(a, v, na);
    a[na] = '\0';
    strcpy(b, dash + 1);
    if (jh_ini_int(jh_ini_trim(a), 1, 999999, &s->first_number, NULL, 0) != 0 ||
        jh_ini_int(jh_ini_trim(b), 1, 999999, &s->last_number, NULL, 0) != 0 ||
        s->first_number > s->last_number)
        goto bad;
    return 0;
bad:
    snprintf(why, wl, "'%s': want FIRST-LAST, 1 <= FIRST <= LAST <= 999999", v);
    return -1;
}

static int day_index(const char *s, size_t n)
{
    static const char *days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    for (int i = 0; i < 7; i++)
        if (n == 3 && memcmp(s, days[i], 3) == 0)
            return i;
    return -1;
}

/* "mon-fri,sat" → bit per weekday (0 = Sunday); ranges run mon..sun. */
static int parse_days(const char *s, size_t n, unsigned *mask)
{
    *mask = 0;
    while (n) {
        const char *comma = memchr(s, ',', n);
        size_t item = comma ? (size_t)(comma - s) : n;
        const char *dash = memchr(s, '-', item);
        int lo = day_index(s, dash ? (size_t)(dash - s) : item);
        int hi = dash ? day_index(dash + 1, item - (size_t)(dash - s) - 1) : lo;
        if (lo < 0 || hi < lo)
            return -1;
        for (int d = lo; d <= hi; d++)
            *mask |= 1u << ((d + 1) % 7);
        s += item + (comma ? 1 : 0);
        n -= item + (comma ? 1 : 0);
        if (comma && !n)
            return -1;
    }
    return *mask ? 0 : -1;
}

static int add_window(jh_service_config *s, unsigned days, int open, int close, char *why,
                      size_t wl, const char *v)
{
    static const char *names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    for (int d = 0; d < 7; d++) {
        if (!(days & (1u << d)))
            continue;
        for (int i = 0; i < s->n_hours[d]; i++) {
            if (open < s->hours[d][i].close_min && s->hours[d][i].open_min < close) {
                snprintf(why, wl, "'%s': overlaps other hours on %s", v, names[d]);
                return -1;
            }
        }
        if (s->n_hours[d] == JH_MAX_HOURS_PER_DAY) {
            snprintf(why, wl, "'%s': more than %d opening windows on %s", v,
                     JH_MAX_HOURS_PER_DAY, names[d]);
            return -1;
        }
        /* insertion keeps each day's windows in time order */
        int i = s->n_hours[d]++;
        while (i > 0 && s->hours[d][i - 1].open_min > open) {
            s->hours[d][i] = s->hours[d][i - 1];
            i--;
        }
        s->hours[d][i] = (jh_hours){open, close};
    }
    return 0;
}

/* "mon-fri 08:30-12:00 14:00-17:30"; the key may repeat for other days. */
static int set_hours(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    (void)k;
    jh_service_config *s = p->obj;
    const char *c = v;
    size_t n = strcspn(c, " \t");
    unsigned days;
    if (parse_days(c, n, &days) != 0) {
        snprintf(why, wl, "'%s': bad days '%.*s' (want e.g. mon-fri or sat or mon,wed)", v, (int)n, c);
        return -1;
    }
    int windows = 0;
    for (c += n; *c;) {
        c += strspn(c, " \t");
        n = strcspn(c, " \t");
        const char *dash = memchr(c, '-', n);
        int open, close;
        if (!dash || jh_ini_hhmm(c, (size_t)(dash - c), 0, &open) != 0 ||
            jh_ini_hhmm(dash + 1, n - (size_t)(dash - c) - 1, 1, &close) != 0) {
            snprintf(why, wl, "'%s': bad time '%.*s' (want HH:MM-HH:MM)", v, (int)n, c);
            return -1;
        }
        if (open >= close) {
            snprintf(why, wl, "'%s': '%.*s' closes before it opens", v, (int)n, c);
            return -1;
        }
        if (add_window(s, days, open, close, why, wl, v) != 0)
            return -1;
        windows++;
        c += n;
    }
    if (!windows) {
        snprintf(why, wl, "'%s': no opening times (want e.g. mon-fri 08:30-12:00 14:00-17:30)", v);
        return -1;
    }
    return 0;
}

static int set_material(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    jh_service_config *s = p->obj;
    int zh = strcmp(k->key, "material_zh") == 0;
    int *count = &s->n_materials; /* counts zh lines; en lines are checked against it at the end */
    char(*list)[JH_TEXT_LEN] = zh ? s->materials_zh : s->materials_en;
    int i = 0;
    while (i < JH_MAX_MATERIALS && list[i][0])
        i++;
    if (i == JH_MAX_MATERIALS) {
        snprintf(why, wl, "more than %d materials", JH_MAX_MATERIALS);
        return -1;
    }
    if (!*v) {
        snprintf(why, wl, "must not be empty");
        return -1;
    }
    if (check_text(v, JH_TEXT_LEN, why, wl) != 0)
        return -1;
    memcpy(list[i], v, strlen(v) + 1);
    if (zh)
        *count = i + 1;
    return 0;
}

/* Deferred: services may be defined after the counters that serve them. */
static int set_refs(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    (void)k;
    deferred_ref *r = p->kind == SEC_COUNTER ? &p->counter_refs[p->cfg->n_counters - 1]
                                             : &p->kiosk_refs[p->cfg->n_kiosks - 1];
    if (check_text(v, sizeof r->value, why, wl) != 0)
        return -1;
    r->line = p->key_line[k - p->keys];
    memcpy(r->value, v, strlen(v) + 1);
    return 0;
}

/* A file next to the config: a relative path is taken from the config file's directory,
 * so a hall's files move together. */
static int set_roster(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    const char *slash = strrchr(p->name, '/');
    int dir = v[0] != '/' && slash ? (int)(slash - p->name) + 1 : 0;
    char path[JH_LONG_TEXT_LEN + 8];
    if (!*v) {
        snprintf(why, wl, "must not be empty (leave the key out for no roster)");
        return -1;
    }
    if (snprintf(path, sizeof path, "%.*s%s", dir, p->name, v) >= (int)sizeof path)
        path[0] = '\0';
    p->cfg->staff_roster_line = p->key_line[k - p->keys];
    if (check_text(path, k->size, why, wl) != 0)
        return -1;
    memcpy(p->cfg->staff_roster, path, strlen(path) + 1);
    return 0;
}

static int set_yes_no(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    if (jh_ini_bool(v, JH_INI_YES_NO, (int *)(void *)((char *)p->obj + k->off)) != 0) {
        snprintf(why, wl, "'%s': want yes or no", v);
        return -1;
    }
    return 0;
}

static int set_counter_number(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    jh_counter_config *c = p->obj;
    if (set_int(p, k, v, why, wl) != 0)
        return -1;
    for (int i = 0; i < p->cfg->n_counters - 1; i++) {
        if (p->cfg->counters[i].number == c->number) {
            snprintf(why, wl, "'%s': number already used by [counter %s]", v, p->cfg->counters[i].id);
            return -1;
        }
    }
    return 0;
}

#define F(type, m) offsetof(type, m), sizeof(((type *)0)->m)
#define H(m) F(jh_hall_config, m)
#define S(m) F(jh_service_config, m)
#define C(m) F(jh_counter_config, m)

static const key_def hall_keys[] = {
    {"site", REQ, set_id, H(site), 0, 0},
    {"name_zh", REQ, set_text, H(name_zh), 0, 0},
    {"name_en", REQ, set_text, H(name_en), 0, 0},
    {"timezone", REQ, set_zone, H(timezone), 0, 0},
    {"reset_at", 0, set_reset, 0, 0, 0, 0},
    {"hotline", 0, set_text, H(hotline), 0, 0},
    {"rating_url", 0, set_url, H(rating_url), 0, 0},
    {"data_dir", 0, set_text, H(data_dir), 0, 0},
    {NULL, 0, NULL, 0, 0, 0, 0},
};

static const key_def broker_keys[] = {
    {"host", REQ, set_text, H(broker_host), 0, 0},
    {"port", 0, set_int, H(broker_port), 1, 65535},
    {"user", 0, set_user, H(broker_user), 0, 0},
    {"password", 0, set_text, H(broker_password), 0, 0},
    {"password_file", 0, set_text, H(broker_password_file), 0, 0},
    {"credentials_dir", 0, set_text, H(broker_credentials_dir), 0, 0},
    {"cafile", 0, set_text, H(broker_cafile), 0, 0},
    {"certfile", 0, set_text, H(broker_certfile), 0, 0},
    {"keyfile", 0, set_text, H(broker_keyfile), 0, 0},
    {NULL, 0, NULL, 0, 0, 0, 0},
};

static const key_def dispatch_keys[] = {
    {"policy", 0, set_policy, 0, 0, 0, 0},
    {"ratio", 0, set_int, H(ratio), 1, 100},
    {"max_consecutive", 0, set_int, H(max_consecutive), 1, 100},
    {"ageing_minutes", 0, set_minutes, H(ageing_s), 1, 1440},
    {"recall_limit", 0, set_int, H(recall_limit), 0, 10},
    {"requeue", 0, set_requeue, 0, 0, 0, 0},
    {"wait_alert_minutes", 0, set_minutes, H(wait_alert_s), 1, 1440},
    {NULL, 0, NULL, 0, 0, 0, 0},
};

static const key_def priority_keys[] = {
    {"elderly_zh", 0, set_text, H(priority_zh[JH_PRIO_ELDERLY]), 0, 0},
    {"elderly_en", 0, set_text, H(priority_en[JH_PRIO_ELDERLY]), 0, 0},
    {"disabled_zh", 0, set_text, H(priority_zh[JH_PRIO_DISABLED]), 0, 0},
    {"disabled_en", 0, set_text, H(priority_en[JH_PRIO_DISABLED]), 0, 0},
    {"pregnant_zh", 0, set_text, H(priority_zh[JH_PRIO_PREGNANT]), 0, 0},
    {"pregnant_en", 0, set_text, H(priority_en[JH_PRIO_PREGNANT]), 0, 0},
    {"other_zh", 0, set_text, H(priority_zh[JH_PRIO_OTHER]), 0, 0},
    {"other_en", 0, set_text, H(priority_en[JH_PRIO_OTHER]), 0, 0},
    {NULL, 0, NULL, 0, 0, 0, 0},
};

static const key_def staff_keys[] = {
    {"roster", 0, set_roster, H(staff_roster), 0, 0},
    {"pinless_keypad_login", 0, set_yes_no, H(pinless_keypad_login), 0, 0},
    {"max_failures", 0, set_int, H(staff_max_failures), 1, 100},
    {"lock_minutes", 0, set_minutes, H(staff_lock_s), 1, 1440},
    {NULL, 0, NULL, 0, 0, 0, 0},
};

static const key_def service_keys[] = {
    {"name_zh", REQ, set_text, S(name_zh), 0, 0},
    {"name_en", REQ, set_text, S(name_en), 0, 0},
    {"numbers", REQ, set_numbers, 0, 0, 0, 0},
    {"width", 0, set_int, S(width), 1, 6},
    {"daily_limit", 0, set_int, S(daily_limit), 1, 999999},
    {"hours", REQ | MULTI, set_hours, 0, 0, 0, 0},
    {"target_minutes", REQ, set_minutes, S(target_service_s), 1, 480},
    {"time_limit_zh", 0, set_text, S(time_limit_zh), 0, 0},
    {"time_limit_en", 0, set_text, S(time_limit_en), 0, 0},
    {"material_zh", MULTI, set_material, 0, 0, 0, 0},
    {"material_en", MULTI, set_material, 0, 0, 0, 0},
    {NULL, 0, NULL, 0, 0, 0, 0},
};

static const key_def counter_keys[] = {
    {"number", REQ, set_counter_number, C(number), 1, 9999},
    {"name_zh", REQ, set_text, C(name_zh), 0, 0},
    {"name_en", REQ, set_text, C(name_en), 0, 0},
    {"services", REQ, set_refs, 0, 0, 0, 0},
    {NULL, 0, NULL, 0, 0, 0, 0},
};

static const key_def kiosk_keys[] = {
    {"services", 0, set_refs, 0, 0, 0, 0},
    {NULL, 0, NULL, 0, 0, 0, 0},
};

const key_def *jh_hall_find_key(const key_def *keys, const char *key)
{
    for (; keys->key; keys++)
        if (strcmp(keys->key, key) == 0)
            return keys;
    return NULL;
}

static int begin_singleton(parse *p, sect_kind kind, const key_def *keys, const char *arg,
                           char *why, size_t wl)
{
    if (*arg) {
        snprintf(why, wl, "takes no argument");
        return -1;
    }
    if (p->singletons & (1u << kind)) {
        snprintf(why, wl, "section given twice");
        return -1;
    }
    p->singletons |= 1u << kind;
    p->keys = keys;
    p->obj = p->cfg;
    return 0;
}

static int begin_service(parse *p, const char *code, char *why, size_t wl)
{
    jh_hall_config *c = p->cfg;
    size_t n = strlen(code);
    if (n < 1 || n > 2 || code[0] < 'A' || code[0] > 'Z' || (n == 2 && (code[1] < 'A' || code[1] > 'Z'))) {
        snprintf(why, wl, "service code '%s': want 1-2 capital letters", code);
        return -1;
    }
    if (jh_config_service_index(c, code) >= 0) {
        snprintf(why, wl, "service %s given twice", code);
        return -1;
    }
    if (c->n_services == JH_MAX_SERVICES) {
        snprintf(why, wl, "more than %d services", JH_MAX_SERVICES);
        return -1;
    }
    jh_service_config *s = &c->services[c->n_services++];
    memcpy(s->code, code, n + 1);
    p->obj = s;
    p->keys = service_keys;
    return 0;
}

static int begin_device(parse *p, int counter, const char *id, char *why, size_t wl)
{
    jh_hall_config *c = p->cfg;
    const char *what = counter ? "counter" : "kiosk";
    if (!*id || strlen(id) >= JH_ID_LEN || !jh_ini_all_of(id, "-", 0)) {
        snprintf(why, wl, "%s id '%s': want a-z0-9-, 1-%d characters", what, id, JH_ID_LEN - 1);
        return -1;
    }
    int dup = counter ? jh_config_counter_index(c, id) : jh_config_kiosk_index(c, id);
    int full = counter ? c->n_counters == JH_MAX_COUNTERS : c->n_kiosks == JH_MAX_KIOSKS;
    if (dup >= 0 || full) {
        snprintf(why, wl, dup >= 0 ? "%s %s given twice" : "too many %ss", what, id);
        return -1;
    }
    if (counter) {
        jh_counter_config *cc = &c->counters[c->n_counters++];
        memcpy(cc->id, id, strlen(id) + 1);
        p->obj = cc;
        p->keys = counter_keys;
    } else {
        jh_kiosk_config *k = &c->kiosks[c->n_kiosks++];
        memcpy(k->id, id, strlen(id) + 1);
        p->obj = k;
        p->keys = kiosk_keys;
    }
    return 0;
}

static int on_section(parse *p, const char *section, const char *arg, int line, char *why,
                      size_t wl)
{
    static const struct { const char *name; sect_kind kind; const key_def *keys; } single[] = {
        {"hall", SEC_HALL, hall_keys},
        {"broker", SEC_BROKER, broker_keys},
        {"dispatch", SEC_DISPATCH, dispatch_keys},
        {"priority", SEC_PRIORITY, priority_keys},
        {"staff", SEC_STAFF, staff_keys},
    };
    if (jh_hall_end_section(p) != 0)
        return -1;
    memset(p->key_line, 0, sizeof p->key_line);
    p->sect_line = line;
    p->keys = NULL;
    snprintf(p->desc, sizeof p->desc, *arg ? "[%s %s]" : "[%s]", section, arg);
    for (size_t i = 0; i < sizeof single / sizeof single[0]; i++) {
        if (strcmp(section, single[i].name) == 0) {
            p->kind = single[i].kind;
            return begin_singleton(p, single[i].kind, single[i].keys, arg, why, wl);
        }
    }
    if (strcmp(section, "service") == 0 || strcmp(section, "counter") == 0 ||
        strcmp(section, "kiosk") == 0) {
        if (!*arg) {
            snprintf(why, wl, "needs an id, e.g. [%s %s]", section,
                     section[0] == 's' ? "A" : section[0] == 'c' ? "c01" : "k1");
            return -1;
        }
        p->kind = section[0] == 's' ? SEC_SERVICE : section[0] == 'c' ? SEC_COUNTER : SEC_KIOSK;
        return p->kind == SEC_SERVICE ? begin_service(p, arg, why, wl)
                                      : begin_device(p, p->kind == SEC_COUNTER, arg, why, wl);
    }
    p->kind = SEC_UNKNOWN; /* another part's section: its keys are its business */
    return 0;
}

int jh_hall_on_line(void *user, const char *section, const char *arg, const char *key,
                    const char *value, int line, char *why, size_t wl)
{
    parse *p = user;
    if (!key)
        return on_section(p, section, arg, line, why, wl);
    if (p->kind == SEC_UNKNOWN)
        return 0;
    const key_def *k = jh_hall_find_key(p->keys, key);
    if (!k) {
        snprintf(why, wl, "unknown key (typo?)");
        return -1;
    }
    int *seen_at = &p->key_line[k - p->keys];
    if (*seen_at && !(k->flags & MULTI)) {
        snprintf(why, wl, "given twice (first on line %d)", *seen_at);
        return -1;
    }
    *seen_at = line;
    if (p->kind == SEC_HALL && strcmp(key, "reset_at") == 0)
        p->reset_line = line;
    return k->fn(p, k, value, why, wl);
}
