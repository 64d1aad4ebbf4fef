/* SPDX-License-Identifier: MIT */
/*
 * hall_checks — the hall checks that need more than one line of the file.
 *
 * Owns: what runs when a section ends (required keys, zh/en pairs, a service's
 * numbers against its width and daily limit, the broker's password and
 * certificate pairs) and when the file ends (a [hall] and a service at all,
 * counter and kiosk services that exist, the reset time against opening hours).
 * Each refusal names the line of the key at fault, or the section header.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hall_config.h"
#include "hall_parse.h"
#include "ini_syntax.h"

int jh_hall_failf(parse *p, int line, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0)
        snprintf(p->msg, sizeof p->msg, "%s:%d: %s", p->name, line, msg);
    else
        snprintf(p->msg, sizeof p->msg, "%s: %s", p->name, msg);
    return -1;
}

/* Line of `key` in the current section, or the section header when not seen. */
static int line_of(const parse *p, const char *key)
{
    const key_def *k = jh_hall_find_key(p->keys, key);
    return k && p->key_line[k - p->keys] ? p->key_line[k - p->keys] : p->sect_line;
}

static int seen(const parse *p, const char *key)
{
    const key_def *k = jh_hall_find_key(p->keys, key);
    return k && p->key_line[k - p->keys];
}

/* Both or neither of a zh/en pair. */
static int check_pair(parse *p, const char *zh, const char *en)
{
    if (seen(p, zh) == seen(p, en))
        return 0;
    const char *have = seen(p, zh) ? zh : en, *miss = seen(p, zh) ? en : zh;
    return jh_hall_failf(p, line_of(p, have), "%s %s: given without %s", p->desc, have, miss);
}

static int end_service(parse *p)
{
    jh_service_config *s = p->obj;
    int range = s->last_number - s->first_number + 1;
    int digits = 1;
    for (int v = s->last_number; v >= 10; v /= 10)
        digits++;
    if (!seen(p, "width"))
        s->width = digits;
    else if (digits > s->width)
        return jh_hall_failf(p, line_of(p, "width"), "%s width: %d digits cannot show number %d",
                             p->desc, s->width, s->last_number);
    if (!seen(p, "daily_limit"))
        s->daily_limit = range;
    else if (s->daily_limit > range)
        return jh_hall_failf(p, line_of(p, "daily_limit"),
                             "%s daily_limit: %d is more than the %d numbers in %d-%d", p->desc,
                             s->daily_limit, range, s->first_number, s->last_number);
    int n_en = 0;
    while (n_en < JH_MAX_MATERIALS && s->materials_en[n_en][0])
        n_en++;
    if (n_en != s->n_materials)
        return jh_hall_failf(p, line_of(p, n_en > s->n_materials ? "material_en" : "material_zh"),
                             "%s material_zh/material_en: %d zh lines but %d en lines (they pair up in order)",
                             p->desc, s->n_materials, n_en);
    return check_pair(p, "time_limit_zh", "time_limit_en");
}

static int end_broker(parse *p)
{
    jh_hall_config *c = p->cfg;
    if (c->broker_password[0] && c->broker_password_file[0])
        return jh_hall_failf(p, line_of(p, "password_file"),
                             "%s password_file: give password or password_file, not both", p->desc);
    if (!c->broker_certfile[0] != !c->broker_keyfile[0])
        return jh_hall_failf(p, line_of(p, c->broker_certfile[0] ? "certfile" : "keyfile"),
                             "%s %s: certfile and keyfile go together", p->desc,
                             c->broker_certfile[0] ? "certfile" : "keyfile");
    return 0;
}

int jh_hall_end_section(parse *p)
{
    if (!p->keys)
        return 0;
    for (const key_def *k = p->keys; k->key; k++)
        if ((k->flags & REQ) && !p->key_line[k - p->keys])
            return jh_hall_failf(p, p->sect_line, "%s %s: missing", p->desc, k->key);
    switch (p->kind) {
    case SEC_SERVICE: return end_service(p);
    case SEC_BROKER: return end_broker(p);
    case SEC_HALL: return check_pair(p, "name_zh", "name_en");
    default: return 0;
    }
}

/* "A, B" → service indexes, in order, each once. */
static int resolve_refs(parse *p, const char *desc, const deferred_ref *r, int *out, int *n)
{
    char buf[JH_LONG_TEXT_LEN];
    memcpy(buf, r->value, sizeof buf);
    *n = 0;
    char *save = NULL;
    int items = 0;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *code = jh_ini_trim(tok);
        int idx = jh_config_service_index(p->cfg, code);
        items++;
        if (idx < 0)
            return jh_hall_failf(p, r->line, "%s services: '%s': no [service %s]", desc, r->value,
                                 code);
        for (int i = 0; i < *n; i++)
            if (out[i] == idx)
                return jh_hall_failf(p, r->line, "%s services: '%s': %s listed twice", desc,
                                     r->value, code);
        out[(*n)++] = idx;
    }
    /* empty items ("A,,B", trailing comma) are typos too */
    int commas = 0;
    for (const char *c = r->value; *c; c++)
        commas += *c == ',';
    if (items == 0 || commas != items - 1 || *n != items)
        return jh_hall_failf(p, r->line,
                             "%s services: '%s': want service codes separated by commas", desc,
                             r->value);
    return 0;
}

/* Tickets taken before reset_at would count to the day before: numbers would repeat. */
static int check_reset(parse *p)
{
    jh_hall_config *c = p->cfg;
    int earliest = 24 * 60, which = 0;
    for (int i = 0; i < c->n_services; i++)
        for (int d = 0; d < 7; d++)
            if (c->services[i].n_hours[d] && c->services[i].hours[d][0].open_min < earliest)
                earliest = c->services[i].hours[d][0].open_min, which = i;
    if (!p->reset_line) {
        c->reset_min = earliest;
        return 0;
    }
    if (c->reset_min > earliest)
        return jh_hall_failf(p, p->reset_line,
                             "[hall] reset_at: %02d:%02d is after [service %s] opens at %02d:%02d",
                             c->reset_min / 60, c->reset_min % 60, c->services[which].code,
                             earliest / 60, earliest % 60);
    return 0;
}

int jh_hall_finish(parse *p)
{
    jh_hall_config *c = p->cfg;
    if (jh_hall_end_section(p) != 0)
        return -1;
    if (!(p->singletons & (1u << SEC_HALL)))
        return jh_hall_failf(p, 0, "no [hall] section");
    if (c->n_services == 0)
        return jh_hall_failf(p, 0, "no [service <code>] section");
    char desc[INI_ARG_LEN + 16];
    for (int i = 0; i < c->n_counters; i++) {
        snprintf(desc, sizeof desc, "[counter %s]", c->counters[i].id);
        if (resolve_refs(p, desc, &p->counter_refs[i], c->counters[i].services,
                         &c->counters[i].n_services) != 0)
            return -1;
    }
    for (int i = 0; i < c->n_kiosks; i++) {
        snprintf(desc, sizeof desc, "[kiosk %s]", c->kiosks[i].id);
        if (p->kiosk_refs[i].line &&
            resolve_refs(p, desc, &p->kiosk_refs[i], c->kiosks[i].services,
                         &c->kiosks[i].n_services) != 0)
            return -1;
    }
    return check_reset(p);
}
