/* SPDX-License-Identifier: MIT */
/*
 * ticket_print — see ticket_print.h.
 */
#include "ticket_print.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wire_keys.h"

static int get_string(const cJSON *o, const char *key, char *dst, size_t len, char *err, size_t errlen)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsString(v) || strlen(v->valuestring) >= len) {
        snprintf(err, errlen, "take reply: \"%s\" %s", key, v ? "is not a short string" : "is missing");
        return -1;
    }
    snprintf(dst, len, "%s", v->valuestring);
    return 0;
}

static int get_int(const cJSON *o, const char *key, int lo, int hi, int *dst, char *err, size_t errlen)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble) || v->valuedouble < lo ||
        v->valuedouble > hi) {
        snprintf(err, errlen, "take reply: \"%s\" %s", key, v ? "is not a whole number in range" : "is missing");
        return -1;
    }
    *dst = (int)v->valuedouble;
    return 0;
}

static int refusal(const cJSON *o, char *err, size_t errlen)
{
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(o, JH_KEY_ERROR);
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(o, JH_KEY_MESSAGE);
    snprintf(err, errlen, "take refused: %s: %s", cJSON_IsString(code) ? code->valuestring : "?",
             cJSON_IsString(msg) ? msg->valuestring : "");
    return -1;
}

static int fill(jh_issued_ticket *t, const cJSON *o, char *err, size_t errlen)
{
    char prio[JH_ID_LEN] = "none";
    if (cJSON_GetObjectItemCaseSensitive(o, JH_KEY_PRIORITY) &&
        get_string(o, JH_KEY_PRIORITY, prio, sizeof prio, err, errlen) != 0)
        return -1;
    int p = jh_priority_parse(prio);
    if (p < 0)
        return snprintf(err, errlen, "take reply: unknown priority '%s'", prio), -1;
    t->priority = (jh_priority)p;
    t->ewt_s = -1;
    if (cJSON_GetObjectItemCaseSensitive(o, JH_KEY_EWT_S) &&
        get_int(o, JH_KEY_EWT_S, 0, 7 * 86400, &t->ewt_s, err, errlen) != 0)
        return -1;
    if (get_string(o, JH_KEY_TICKET, t->ticket, sizeof t->ticket, err, errlen) != 0 ||
        get_string(o, JH_KEY_SERVICE, t->service, sizeof t->service, err, errlen) != 0 ||
        get_string(o, JH_KEY_ISSUED_AT, t->issued_at, sizeof t->issued_at, err, errlen) != 0 ||
        get_int(o, JH_KEY_AHEAD, 0, 1000000, &t->ahead, err, errlen) != 0 ||
        get_int(o, JH_KEY_DAY, 19700101, 99991231, &t->day, err, errlen) != 0)
        return -1;
    return 0;
}

int jh_issued_ticket_from_reply(jh_issued_ticket *t, const char *json, size_t len, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    cJSON *o = cJSON_ParseWithLength(json, len);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        snprintf(err, errlen, "take reply: not a JSON object");
        return -1;
    }
    const cJSON *ok = cJSON_GetObjectItemCaseSensitive(o, JH_KEY_OK);
    int rc = !cJSON_IsBool(ok) ? (snprintf(err, errlen, "take reply: \"ok\" is missing"), -1)
             : cJSON_IsFalse(ok) ? refusal(o, err, errlen)
                                 : fill(t, o, err, errlen);
    cJSON_Delete(o);
    return rc;
}

jh_print_result jh_ticket_print(jh_printer *p, const jh_hall_config *cfg, const jh_printer_config *pc,
                                const jh_issued_ticket *t, jh_ticket_print_outcome *out)
{
    char err[256];
    memset(out, 0, sizeof *out);
    jh_escpos job;
    jh_escpos_init(&job);
    if (jh_ticket_layout(&job, cfg, pc, t, err, sizeof err) != 0) {
        jh_escpos_free(&job);
        out->result = JH_PRINT_REFUSED;
        jh_printer_query(p, &out->status); /* for the screen: the printer itself may be fine */
        snprintf(out->message, sizeof out->message, "not printed: %s", err);
        return out->result;
    }
    out->result = jh_printer_print(p, job.data, job.len, &out->status, err, sizeof err);
    out->job_bytes = out->result == JH_PRINT_REFUSED ? 0 : job.len;
    if (out->result == JH_PRINT_OK)
        snprintf(out->message, sizeof out->message, "ticket %s printed (%zu bytes)", t->ticket, job.len);
    else
        snprintf(out->message, sizeof out->message, "ticket %s %s: %s", t->ticket,
                 out->result == JH_PRINT_REFUSED ? "not printed" : "may not have printed", err);
    jh_escpos_free(&job);
    return out->result;
}
