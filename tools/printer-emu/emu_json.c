/* SPDX-License-Identifier: MIT */
/*
 * emu_json — see emu_json.h.
 */
#include "emu_json.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static const char *align_name(int a) { return a == 1 ? "center" : a == 2 ? "right" : "left"; }

static cJSON *span_json(const jh_emu_span *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "text", s->text ? s->text : "");
    cJSON_AddNumberToObject(o, "w", s->w);
    cJSON_AddNumberToObject(o, "h", s->h);
    cJSON_AddBoolToObject(o, "bold", s->bold);
    cJSON_AddBoolToObject(o, "reverse", s->reverse);
    return o;
}

static cJSON *qr_json(const jh_emu_line *l)
{
    static const char *ec[] = {"L", "M", "Q", "H"};
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "qr", l->qr ? l->qr : "");
    cJSON_AddNumberToObject(o, "module", l->qr_module);
    cJSON_AddStringToObject(o, "ec", ec[(l->qr_ec - 48) & 3]);
    cJSON_AddStringToObject(o, "align", align_name(l->align));
    return o;
}

static cJSON *line_json(const jh_emu_line *l)
{
    if (l->kind == JH_EMU_LINE_QR)
        return qr_json(l);
    cJSON *o = cJSON_CreateObject();
    size_t len = 0;
    for (size_t i = 0; i < l->n_spans; i++)
        len += l->spans[i].text ? strlen(l->spans[i].text) : 0;
    char *text = calloc(1, len + 1);
    for (size_t i = 0; text && i < l->n_spans; i++)
        if (l->spans[i].text)
            strcat(text, l->spans[i].text);
    cJSON_AddStringToObject(o, "text", text ? text : "");
    free(text);
    cJSON_AddStringToObject(o, "align", align_name(l->align));
    const jh_emu_span *first = l->n_spans ? &l->spans[0] : NULL;
    cJSON_AddNumberToObject(o, "w", first ? first->w : 1);
    cJSON_AddNumberToObject(o, "h", first ? first->h : l->h);
    cJSON_AddBoolToObject(o, "bold", first && first->bold);
    cJSON_AddBoolToObject(o, "reverse", first && first->reverse);
    cJSON_AddBoolToObject(o, "auto_wrapped", l->auto_wrapped);
    cJSON *spans = cJSON_AddArrayToObject(o, "spans");
    for (size_t i = 0; i < l->n_spans; i++)
        cJSON_AddItemToArray(spans, span_json(&l->spans[i]));
    return o;
}

char *jh_emu_ticket_json(const jh_emu_ticket *t, int number, int columns)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "ticket", number);
    cJSON_AddNumberToObject(o, "columns", columns);
    cJSON_AddNumberToObject(o, "cut_feed", t->cut_feed);
    cJSON_AddNumberToObject(o, "invalid_codes", t->invalid_codes);
    cJSON_AddNumberToObject(o, "unknown_commands", t->unknown_commands);
    cJSON_AddNumberToObject(o, "auto_wraps", t->auto_wraps);
    cJSON_AddNumberToObject(o, "misplaced", t->misplaced);
    cJSON_AddNumberToObject(o, "dropped_lines", t->dropped_lines);
    cJSON *lines = cJSON_AddArrayToObject(o, "lines");
    for (size_t i = 0; i < t->n_lines; i++)
        cJSON_AddItemToArray(lines, line_json(&t->lines[i]));
    char *s = cJSON_Print(o);
    cJSON_Delete(o);
    return s;
}
