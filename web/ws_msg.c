/* SPDX-License-Identifier: MIT */
/*
 * ws_msg — see ws_msg.h. Checked in this order, so each refusal names one
 * cause: size, encoding, JSON, type, id, csrf, op, counter, the server's fields.
 */
#include "ws_msg.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "utf8_text.h"

static int fail(jh_ws_error *e, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(jh_ws_error *e, const char *code, const char *fmt, ...)
{
    va_list ap;
    snprintf(e->code, sizeof e->code, "%s", code);
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return -1;
}

static int utf8_ok(const char *buf, size_t len)
{
    const unsigned char *p = (const unsigned char *)buf;
    for (size_t i = 0; i < len;) {
        if (p[i] == 0)
            return 0;
        size_t n = jh_utf8_seq_len(p + i, len - i);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

/* The object's members: not too many, no name twice. */
static int members_ok(const cJSON *o)
{
    int n = 0;
    for (const cJSON *a = o->child; a; a = a->next) {
        if (++n > JH_WS_FIELDS_MAX || !a->string)
            return 0;
        for (const cJSON *b = o->child; b != a; b = b->next)
            if (strcmp(a->string, b->string) == 0)
                return 0;
    }
    return 1;
}

static cJSON *parse_object(const char *buf, size_t len, jh_ws_error *e)
{
    const char *end = NULL;
    cJSON *o = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
    if (!o) {
        fail(e, "bad-json", "%s", "not JSON");
        return NULL;
    }
    for (const char *p = end; p && p < buf + len; p++)
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
            cJSON_Delete(o);
            fail(e, "bad-json", "%s", "text after the JSON object");
            return NULL;
        }
    if (!cJSON_IsObject(o) || !members_ok(o)) {
        cJSON_Delete(o);
        fail(e, "bad-json", "%s", "want one JSON object without repeated keys");
        return NULL;
    }
    return o;
}

/* 1..63 visible ASCII characters (0x21-0x7e), as command ids are (docs/protocol.md). */
static int id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 63)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x21 || s[i] > 0x7e)
            return 0;
    return 1;
}

static int op_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 31)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
            return 0;
    return 1;
}

static int counter_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 31)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return 0;
    return 1;
}

/* The message's "id": absent (0, only where optional), a good one (1), or -1 refused. */
static int read_id(const cJSON *o, int required, char *out, size_t outlen, jh_ws_error *e)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
    if (!id || cJSON_IsNull(id)) {
        if (required)
            return fail(e, "missing-field", "%s", "id: required");
        return 0;
    }
    if (!cJSON_IsString(id) || !id_ok(id->valuestring))
        return fail(e, "bad-field", "%s", "id: want 1-63 visible ASCII characters");
    snprintf(out, outlen, "%s", id->valuestring);
    snprintf(e->id, sizeof e->id, "%s", id->valuestring);
    return 1;
}

static int parse_cmd(cJSON *o, jh_ws_msg *m, jh_ws_error *e)
{
    if (read_id(o, 1, m->id, sizeof m->id, e) < 0)
        return -1;
    const cJSON *csrf = cJSON_GetObjectItemCaseSensitive(o, "csrf");
    if (!cJSON_IsString(csrf) || !csrf->valuestring[0] || strlen(csrf->valuestring) >= sizeof m->csrf)
        return fail(e, "csrf", "%s", "csrf: the session's token is required");
    snprintf(m->csrf, sizeof m->csrf, "%s", csrf->valuestring);
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(o, "op");
    if (!op || cJSON_IsNull(op))
        return fail(e, "missing-field", "%s", "op: required");
    if (!cJSON_IsString(op) || !op_ok(op->valuestring))
        return fail(e, "bad-field", "%s", "op: want 1-31 characters of a-z and -");
    snprintf(m->op, sizeof m->op, "%s", op->valuestring);
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "counter");
    if (c && !cJSON_IsNull(c)) {
        if (!cJSON_IsString(c) || !counter_ok(c->valuestring))
            return fail(e, "bad-field", "%s", "counter: want a counter id (a-z 0-9 -)");
        snprintf(m->counter, sizeof m->counter, "%s", c->valuestring);
    }
    static const char *const server_only[] = {"by", "reply_to"};
    for (size_t i = 0; i < sizeof server_only / sizeof server_only[0]; i++)
        if (cJSON_GetObjectItemCaseSensitive(o, server_only[i]))
            return fail(e, "bad-field", "%s: set by the server, not the browser", server_only[i]);
    cJSON_DeleteItemFromObjectCaseSensitive(o, "type");
    cJSON_DeleteItemFromObjectCaseSensitive(o, "id");
    cJSON_DeleteItemFromObjectCaseSensitive(o, "csrf");
    m->type = JH_WS_CMD;
    m->fields = o;
    return 0;
}

static int parse_rate(const cJSON *o, jh_ws_msg *m, jh_ws_error *e)
{
    if (read_id(o, 0, m->id, sizeof m->id, e) < 0)
        return -1;
    for (const cJSON *a = o->child; a; a = a->next)
        if (strcmp(a->string, "type") != 0 && strcmp(a->string, "score") != 0 && strcmp(a->string, "id") != 0)
            return fail(e, "bad-field", "%s: not accepted here", a->string);
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "score");
    if (!s || cJSON_IsNull(s))
        return fail(e, "missing-field", "%s", "score: required");
    double v = cJSON_IsNumber(s) ? s->valuedouble : 0;
    if (!cJSON_IsNumber(s) || v != floor(v) || v < 1 || v > 5)
        return fail(e, "bad-field", "%s", "score: want a whole number 1..5");
    m->type = JH_WS_RATE;
    m->score = (int)v;
    return 0;
}

int jh_ws_msg_parse(const char *buf, size_t len, jh_ws_socket_kind kind, jh_ws_msg *m, jh_ws_error *e)
{
    memset(m, 0, sizeof *m);
    memset(e, 0, sizeof *e);
    if (len > JH_WS_MSG_MAX)
        return fail(e, "too-large", "%s", "a message is at most 8192 bytes");
    if (!buf || !utf8_ok(buf, len))
        return fail(e, "bad-json", "%s", "not UTF-8 text");
    cJSON *o = parse_object(buf, len, e);
    if (!o)
        return -1;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
    if (cJSON_IsString(id) && id_ok(id->valuestring)) /* so even an unknown type's refusal can be matched */
        snprintf(e->id, sizeof e->id, "%s", id->valuestring);
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(o, "type");
    const char *want = kind == JH_WS_STAFF ? "cmd" : "rate";
    int rc;
    if (!cJSON_IsString(type) || strcmp(type->valuestring, want) != 0)
        rc = fail(e, "unknown-type", "type: this socket takes only \"%s\" messages", want);
    else if (kind == JH_WS_STAFF)
        rc = parse_cmd(o, m, e);
    else
        rc = parse_rate(o, m, e);
    if (rc < 0 || kind == JH_WS_CITIZEN)
        cJSON_Delete(o);
    if (rc < 0)
        memset(m, 0, sizeof *m);
    return rc;
}

void jh_ws_msg_clear(jh_ws_msg *m)
{
    cJSON_Delete(m->fields);
    memset(m, 0, sizeof *m);
}
