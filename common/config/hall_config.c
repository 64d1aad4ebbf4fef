/* SPDX-License-Identifier: MIT */
/*
 * hall_config — reads the hall INI into jh_hall_config and refuses anything doubtful.
 *
 * Owns: the loader of hall_config.h — the defaults, one run of the strict INI
 * reader (ini_reader.c) through the hall's sections and keys (hall_keys.c), the
 * checks of whole sections and of the file (hall_checks.c), and the lookups.
 */
#include "hall_config.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "hall_parse.h"

static void set_defaults(jh_hall_config *c)
{
    static const char *zh[] = {"", "高龄老人", "残疾人", "孕妇", "其他行动不便"};
    static const char *en[] = {"", "Elderly", "Disabled", "Pregnant", "Limited mobility"};
    memset(c, 0, sizeof *c);
    strcpy(c->broker_host, "127.0.0.1");
    c->broker_port = 1883;
    strcpy(c->data_dir, "/var/lib/jiaohao");
    c->policy = JH_POLICY_RATIO;
    c->ratio = 3;
    c->max_consecutive = 3;
    c->ageing_s = 30 * 60;
    c->recall_limit = 2;
    c->requeue = JH_REQUEUE_BACK;
    c->wait_alert_s = 60 * 60;
    c->staff_max_failures = 5;
    c->staff_lock_s = 15 * 60;
    for (int i = 1; i < JH_PRIO_COUNT; i++) {
        strcpy(c->priority_zh[i], zh[i]);
        strcpy(c->priority_en[i], en[i]);
    }
}

int jh_config_parse(jh_hall_config *cfg, const char *text, size_t len, const char *name,
                    char *err, size_t errlen)
{
    parse *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "%s: out of memory", name);
        return -1;
    }
    set_defaults(cfg);
    p->cfg = cfg;
    p->name = name;
    int rc = jh_ini_parse(text, len, name, jh_hall_on_line, p, err, errlen);
    if (rc == 0)
        rc = jh_hall_finish(p);
    if (rc != 0 && p->msg[0])
        snprintf(err, errlen, "%s", p->msg);
    free(p);
    return rc;
}

int jh_config_load(jh_hall_config *cfg, const char *path, char *err, size_t errlen)
{
    size_t len;
    char *text = jh_config_read_file(path, &len, err, errlen);
    if (!text)
        return -1;
    int rc = jh_config_parse(cfg, text, len, path, err, errlen);
    free(text);
    return rc;
}

/* ------------------------------------------------------------------ lookups */

int jh_config_service_index(const jh_hall_config *cfg, const char *code)
{
    for (int i = 0; i < cfg->n_services; i++)
        if (strcmp(cfg->services[i].code, code) == 0)
            return i;
    return -1;
}

int jh_config_counter_index(const jh_hall_config *cfg, const char *id)
{
    for (int i = 0; i < cfg->n_counters; i++)
        if (strcmp(cfg->counters[i].id, id) == 0)
            return i;
    return -1;
}

int jh_config_kiosk_index(const jh_hall_config *cfg, const char *id)
{
    for (int i = 0; i < cfg->n_kiosks; i++)
        if (strcmp(cfg->kiosks[i].id, id) == 0)
            return i;
    return -1;
}

static const char *const priority_names[JH_PRIO_COUNT] = {"none", "elderly", "disabled",
                                                          "pregnant", "other"};

int jh_priority_parse(const char *name)
{
    for (int i = 0; i < JH_PRIO_COUNT; i++)
        if (name && strcmp(name, priority_names[i]) == 0)
            return i;
    return -1;
}

const char *jh_priority_name(jh_priority p)
{
    return (unsigned)p < JH_PRIO_COUNT ? priority_names[p] : "?";
}

const char *jh_policy_name(jh_policy p)
{
    static const char *const names[] = {"strict", "ratio", "max-consecutive", "ageing"};
    return (unsigned)p <= JH_POLICY_AGEING ? names[p] : "?";
}
