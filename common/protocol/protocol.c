/* SPDX-License-Identifier: MIT */
/*
 * protocol — see protocol.h. The strict reader and the writer of command JSON,
 * and the topic names of docs/protocol.md.
 *
 * How a payload is judged, in order, so every refusal names one cause:
 *   1. size (> JH_MAX_PAYLOAD: "too-large", never parsed),
 *   2. encoding (one pass over the raw bytes: valid UTF-8, no NUL byte, no
 *      \u0000 escape — cJSON would silently cut a string there: "bad-encoding"),
 *   3. JSON syntax, an object, no duplicate keys ("bad-json"; parsers disagree
 *      on which copy wins, so neither does),
 *   4. "id", "reply_to", "op" (copied into the command as soon as they are
 *      valid, so even a later refusal can be addressed and matched),
 *   5. whether the op may come from this topic ("wrong-origin"),
 *   6. the op's own fields ("missing-field" / "bad-field", naming the field).
 * Keys we do not know are ignored, so newer clients can add fields.
 */
#include "protocol.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hall_time.h"
#include "utf8_text.h"
#include "wire_keys.h"

static const char *const op_names[JH_OP_COUNT] = {
    [JH_OP_UNKNOWN] = NULL,
    [JH_OP_TAKE] = "take",           [JH_OP_VOID] = "void",
    [JH_OP_LOGIN] = "login",         [JH_OP_LOGOUT] = "logout",
    [JH_OP_CALL_NEXT] = "call-next", [JH_OP_RECALL] = "recall",
    [JH_OP_NO_SHOW] = "no-show",     [JH_OP_REQUEUE] = "requeue",
    [JH_OP_FINISH] = "finish",       [JH_OP_TRANSFER] = "transfer",
    [JH_OP_CALL] = "call",           [JH_OP_PAUSE] = "pause",
    [JH_OP_RESUME] = "resume",       [JH_OP_FLAG] = "flag",
    [JH_OP_RATE] = "rate",           [JH_OP_OPEN] = "open",
    [JH_OP_CLOSE] = "close",         [JH_OP_NOTICE] = "notice",
    [JH_OP_END_DAY] = "end-day",     [JH_OP_CLOCK] = "clock",
    [JH_OP_STAFF_AUTH] = "staff-auth", [JH_OP_STAFF_LIST] = "staff-list",
    [JH_OP_STAFF_ADD] = "staff-add", [JH_OP_STAFF_UPDATE] = "staff-update",
    [JH_OP_STAFF_DISABLE] = "staff-disable", [JH_OP_STAFF_SET_SECRET] = "staff-set-secret",
    [JH_OP_STAFF_IMPORT] = "staff-import", [JH_OP_AUDIT] = "audit",
    [JH_OP_INVITE_RATING] = "invite-rating",
};

const char *jh_op_name(jh_op op)
{
    if (op <= JH_OP_UNKNOWN || op >= JH_OP_COUNT)
        return "unknown";
    return op_names[op];
}

jh_op jh_op_parse(const char *name)
{
    if (!name)
        return JH_OP_UNKNOWN;
    for (int op = JH_OP_UNKNOWN + 1; op < JH_OP_COUNT; op++)
        if (strcmp(op_names[op], name) == 0)
            return (jh_op)op;
    return JH_OP_UNKNOWN;
}

static jh_origin_kind op_origin(jh_op op)
{
    if (op == JH_OP_TAKE || op == JH_OP_VOID)
        return JH_ORIGIN_KIOSK;
    if (op == JH_OP_INVITE_RATING)
        return JH_ORIGIN_COUNTER; /* declared after the admin ops: the enum only grows */
    if (op >= JH_OP_OPEN)
        return JH_ORIGIN_ADMIN;
    return JH_ORIGIN_COUNTER;
}

static const char *origin_name(jh_origin_kind k)
{
    return k == JH_ORIGIN_KIOSK ? "kiosk" : k == JH_ORIGIN_COUNTER ? "counter" : "admin";
}

int jh_valid_id(const char *s)
{
    if (!s)
        return 0;
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok || n + 1 >= JH_ID_LEN)
            return 0;
    }
    return n > 0;
}

/* ---- errors ---- */

static int fail(jh_error *err, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(jh_error *err, const char *code, const char *fmt, ...)
{
    va_list ap;
    snprintf(err->code, sizeof err->code, "%s", code);
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- stage 2: raw bytes ---- */

/* True when the 6 bytes at p are the escape \u0000 (any hex case). */
static int is_nul_escape(const unsigned char *p, size_t n)
{
    return n >= 6 && p[1] == 'u' && memcmp(p + 2, "0000", 4) == 0;
}

static int check_bytes(const char *payload, size_t len, jh_error *err)
{
    const unsigned char *p = (const unsigned char *)payload;
    int in_string = 0, escaped = 0;
    for (size_t i = 0, n; i < len; i += n) {
        if (p[i] == 0)
            return fail(err, "bad-encoding", "NUL byte in payload%s", "");
        n = jh_utf8_seq_len(p + i, len - i);
        if (n == 0)
            return fail(err, "bad-encoding", "payload is not valid UTF-8%s", "");
        if (escaped) /* the character after a backslash never opens or closes a string */
            escaped = 0;
        else if (in_string && p[i] == '\\' && is_nul_escape(p + i, len - i))
            return fail(err, "bad-encoding", "\\u0000 in a string%s", "");
        else if (in_string && p[i] == '\\')
            escaped = 1;
        else if (p[i] == '"')
            in_string = !in_string;
    }
    return 0;
}

/* ---- stage 3: JSON ---- */

/* The first key that appears twice, or NULL. */
static const char *duplicate_key(const cJSON *obj)
{
    for (const cJSON *a = obj->child; a; a = a->next)
        for (const cJSON *b = a->next; b; b = b->next)
            if (strcmp(a->string, b->string) == 0)
                return a->string;
    return NULL;
}

static cJSON *parse_object(const char *payload, size_t len, jh_error *err)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(payload, len, &end, 0);
    if (!root) {
        fail(err, "bad-json", "payload is not valid JSON%s", "");
        return NULL;
    }
    /* cJSON stops after the first value; anything but whitespace after it is garbage. */
    for (const char *q = end; q && q < payload + len; q++) {
        if (*q != ' ' && *q != '\t' && *q != '\r' && *q != '\n') {
            fail(err, "bad-json", "text after the JSON value%s", "");
            cJSON_Delete(root);
            return NULL;
        }
    }
    if (!cJSON_IsObject(root)) {
        fail(err, "bad-json", "payload must be a JSON object%s", "");
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* ---- stage 4–6: fields ---- */

/* TXT_TEXT: lines (a CSV), so newline, CR and tab too; TXT_FILE: a file name, no path. */
typedef enum { TXT_ID, TXT_CMD_ID, TXT_LINE, TXT_TEXT, TXT_FILE } text_kind;

static int file_name_ok(const char *s)
{
    if (s[0] == '.' || s[0] == '-')
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

static int text_ok(const char *s, text_kind kind)
{
    if (kind == TXT_ID)
        return jh_valid_id(s);
    if (kind == TXT_FILE)
        return file_name_ok(s);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (kind == TXT_TEXT && (*p == '\n' || *p == '\r' || *p == '\t'))
            continue;
        if (*p < 0x20 || *p == 0x7f)
            return 0;
        if (kind == TXT_CMD_ID && (*p == ' ' || *p >= 0x80))
            return 0;
    }
    return kind != TXT_CMD_ID || *s != '\0';
}

/*
 * Copies string field `name` into dst[cap]. Returns 1 when copied, 0 when
 * absent (or null — optional fields may be sent as null), -1 on error.
 */
static int get_text(const cJSON *obj, const char *name, text_kind kind, char *dst, size_t cap,
                    jh_error *err)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!it || cJSON_IsNull(it))
        return 0;
    if (!cJSON_IsString(it) || !it->valuestring)
        return fail(err, "bad-field", "\"%s\" must be a string", name);
    if (strlen(it->valuestring) >= cap)
        return fail(err, "bad-field", "\"%s\" is too long", name);
    if (!text_ok(it->valuestring, kind))
        return fail(err, "bad-field", "\"%s\" has characters not allowed here", name);
    memcpy(dst, it->valuestring, strlen(it->valuestring) + 1);
    return 1;
}

static int need_text(const cJSON *obj, const char *name, text_kind kind, char *dst, size_t cap,
                     jh_error *err)
{
    int r = get_text(obj, name, kind, dst, cap, err);
    if (r == 0)
        return fail(err, "missing-field", "\"%s\" is required", name);
    return r < 0 ? -1 : 0;
}

static int opt_text(const cJSON *obj, const char *name, text_kind kind, char *dst, size_t cap,
                    jh_error *err)
{
    return get_text(obj, name, kind, dst, cap, err) < 0 ? -1 : 0;
}

static int get_priority(const cJSON *obj, int required, int *prio, jh_error *err)
{
    char name[32] = "";
    int r = get_text(obj, "priority", TXT_ID, name, sizeof name, err);
    if (r < 0)
        return -1;
    if (r == 0) {
        if (required)
            return fail(err, "missing-field", "\"%s\" is required", "priority");
        *prio = JH_PRIO_NONE;
        return 0;
    }
    int p = jh_priority_parse(name);
    if (p < 0)
        return fail(err, "bad-field", "\"priority\": unknown class '%s'", name);
    *prio = p;
    return 0;
}

static int get_score(const cJSON *obj, int *score, jh_error *err)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, "score");
    if (!it || cJSON_IsNull(it))
        return fail(err, "missing-field", "\"%s\" is required", "score");
    if (!cJSON_IsNumber(it))
        return fail(err, "bad-field", "\"%s\" must be a number", "score");
    double d = it->valuedouble;
    if (!isfinite(d) || d != floor(d) || d < 1 || d > 5)
        return fail(err, "bad-field", "\"%s\" must be a whole number 1..5", "score");
    *score = (int)d;
    return 0;
}

/* ---- the roster's fields ---- */

static int role_word(const char *w)
{
    static const char *const words[] = {JH_ROLE_WORD_STAFF, JH_ROLE_WORD_GUIDE,
                                        JH_ROLE_WORD_SUPERVISOR, JH_ROLE_WORD_ADMIN};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(w, words[i]) == 0)
            return 1;
    return 0;
}

/* Whether `item` is already one of the ';'-joined items in list. */
static int list_has(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ';');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        if (l == n && memcmp(p, item, n) == 0)
            return 1;
        p += l + (end ? 1 : 0);
    }
    return 0;
}

/*
 * Array field `name` of ids (roles: of role words) joined by ';' into dst[cap].
 * 1 given, 0 absent, -1 refused: not an array, an item not a string or not an
 * id, an unknown role, an item twice, or more than fits.
 */
static int get_list(const cJSON *obj, const char *name, int roles, char *dst, size_t cap,
                    jh_error *err)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);
    const cJSON *v;
    char joined[JH_LONG_TEXT_LEN] = "";
    size_t used = 0;
    if (!it || cJSON_IsNull(it))
        return 0;
    if (!cJSON_IsArray(it))
        return fail(err, "bad-field", "\"%s\" must be an array of strings", name);
    cJSON_ArrayForEach(v, it) {
        const char *w = cJSON_GetStringValue(v);
        if (!w || !jh_valid_id(w))
            return fail(err, "bad-field", "\"%s\" items must be ids (a-z A-Z 0-9 -)", name);
        if (roles && !role_word(w))
            return fail(err, "bad-field", "\"%s\": unknown role (want staff, guide, supervisor, admin)", name);
        if (list_has(joined, w))
            return fail(err, "bad-field", "\"%s\": an item given twice", name);
        size_t n = strlen(w) + (used ? 1 : 0);
        if (used + n >= cap || used + n >= sizeof joined)
            return fail(err, "bad-field", "\"%s\" is too long", name);
        snprintf(joined + used, sizeof joined - used, "%s%s", used ? ";" : "", w);
        used += n;
    }
    memcpy(dst, joined, used + 1);
    return 1;
}

/* A whole number field lo..hi: 1 given, 0 absent, -1 refused. */
static int get_int(const cJSON *obj, const char *name, int lo, int hi, int *out, jh_error *err)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!it || cJSON_IsNull(it))
        return 0;
    double d = cJSON_IsNumber(it) ? it->valuedouble : NAN;
    if (!isfinite(d) || d != floor(d) || d < lo || d > hi)
        return fail(err, "bad-field", "\"%s\" must be a whole number %d..%d", name, lo, hi);
    *out = (int)d;
    return 1;
}

static int get_bool(const cJSON *obj, const char *name, int *out, jh_error *err)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!it || cJSON_IsNull(it))
        return 0;
    if (!cJSON_IsBool(it))
        return fail(err, "bad-field", "\"%s\" must be true or false", name);
    *out = cJSON_IsTrue(it);
    return 1;
}

/* Sets flag in c->staff_fields when rc says the field was given; passes errors on. */
static int given(jh_command *c, unsigned flag, int rc)
{
    if (rc > 0)
        c->staff_fields |= flag;
    return rc < 0 ? -1 : 0;
}

/* staff-add (name required) and staff-update: the roster fields, each optional. */
static int parse_staff_fields(const cJSON *o, jh_command *c, int adding, jh_error *err)
{
    if (need_text(o, JH_KEY_STAFF_ID, TXT_ID, c->staff_id, sizeof c->staff_id, err))
        return -1;
    int rc = get_text(o, JH_KEY_NAME, TXT_LINE, c->staff_name, sizeof c->staff_name, err);
    if (rc == 0 && adding)
        return fail(err, "missing-field", "\"%s\" is required", JH_KEY_NAME);
    if (given(c, JH_SF_NAME, rc) ||
        given(c, JH_SF_DEPARTMENT, get_text(o, JH_KEY_DEPARTMENT, TXT_LINE, c->department,
                                            sizeof c->department, err)) ||
        given(c, JH_SF_PHOTO, get_text(o, JH_KEY_PHOTO, TXT_FILE, c->photo, sizeof c->photo, err)) ||
        given(c, JH_SF_ROLES, get_list(o, JH_KEY_ROLES, 1, c->roles, sizeof c->roles, err)) ||
        given(c, JH_SF_COUNTERS, get_list(o, JH_KEY_COUNTERS, 0, c->counters, sizeof c->counters, err)) ||
        given(c, JH_SF_SERVICES, get_list(o, JH_KEY_SERVICES, 0, c->services, sizeof c->services, err)) ||
        given(c, JH_SF_COVERS, get_list(o, JH_KEY_COVERS, 0, c->covers, sizeof c->covers, err)) ||
        given(c, JH_SF_SECRET, get_text(o, JH_KEY_SECRET, TXT_LINE, c->secret, sizeof c->secret, err)) ||
        given(c, JH_SF_ENABLED, get_bool(o, JH_KEY_ENABLED, &c->enabled, err)))
        return -1;
    return 0;
}

/* audit {staff_id?, counter?, ticket?, day?, limit?} */
static int parse_audit(const cJSON *o, jh_command *c, jh_error *err)
{
    if (opt_text(o, JH_KEY_STAFF_ID, TXT_ID, c->staff_id, sizeof c->staff_id, err) ||
        opt_text(o, JH_KEY_COUNTER, TXT_ID, c->counter, sizeof c->counter, err) ||
        opt_text(o, JH_KEY_TICKET, TXT_ID, c->ticket, sizeof c->ticket, err) ||
        get_int(o, JH_KEY_DAY, 19700101, 99991231, &c->day, err) < 0 ||
        get_int(o, JH_KEY_LIMIT, 1, JH_AUDIT_MAX_ROWS, &c->limit, err) < 0)
        return -1;
    return 0;
}

static int parse_staff_op(const cJSON *o, jh_command *c, jh_error *err)
{
    switch (c->op) {
    case JH_OP_STAFF_AUTH:
    case JH_OP_STAFF_SET_SECRET:
        return need_text(o, JH_KEY_STAFF_ID, TXT_ID, c->staff_id, sizeof c->staff_id, err) ||
               need_text(o, JH_KEY_SECRET, TXT_LINE, c->secret, sizeof c->secret, err) ? -1 : 0;
    case JH_OP_STAFF_ADD:
    case JH_OP_STAFF_UPDATE:
        return parse_staff_fields(o, c, c->op == JH_OP_STAFF_ADD, err);
    case JH_OP_STAFF_DISABLE:
        return need_text(o, JH_KEY_STAFF_ID, TXT_ID, c->staff_id, sizeof c->staff_id, err);
    case JH_OP_STAFF_IMPORT:
        return need_text(o, JH_KEY_CSV, TXT_TEXT, c->csv, sizeof c->csv, err);
    case JH_OP_AUDIT:
        return parse_audit(o, c, err);
    default:
        return 0; /* staff-list */
    }
}

static int parse_take(const cJSON *o, jh_command *c, jh_error *err)
{
    if (need_text(o, "service", TXT_ID, c->service, sizeof c->service, err) ||
        get_priority(o, 0, &c->priority, err) ||
        opt_text(o, "lang", TXT_ID, c->lang, sizeof c->lang, err))
        return -1;
    if (c->lang[0] && strcmp(c->lang, "zh") != 0 && strcmp(c->lang, "en") != 0)
        return fail(err, "bad-field", "\"%s\" must be \"zh\" or \"en\"", "lang");
    return 0;
}

static int parse_transfer(const cJSON *o, jh_command *c, jh_error *err)
{
    if (opt_text(o, "to_service", TXT_ID, c->to_service, sizeof c->to_service, err) ||
        opt_text(o, "to_counter", TXT_ID, c->to_counter, sizeof c->to_counter, err))
        return -1;
    if (!c->to_service[0] && !c->to_counter[0])
        return fail(err, "missing-field", "\"%s\" or \"to_counter\" is required", "to_service");
    return 0;
}

static int parse_rate(const cJSON *o, jh_command *c, jh_error *err)
{
    char src[16] = "";
    if (opt_text(o, "ticket", TXT_ID, c->ticket, sizeof c->ticket, err) ||
        get_score(o, &c->score, err) ||
        opt_text(o, "source", TXT_LINE, src, sizeof src, err))
        return -1;
    if (src[0] == '\0' || strcmp(src, "pad") == 0)
        c->rate_source = JH_RATE_SRC_PAD;
    else if (strcmp(src, "staff-keypad") == 0)
        c->rate_source = JH_RATE_SRC_STAFF_KEYPAD;
    else
        return fail(err, "bad-field", "\"%s\" must be \"pad\" or \"staff-keypad\"", "source");
    return 0;
}

/* ---- moments (clock) ---- */

static int days_in_month(int y, int m)
{
    static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : n[m - 1];
}

/* Exactly `n` decimal digits at *p (advanced past them) into *v; -1 otherwise. */
static int digits(const char **p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (**p < '0' || **p > '9')
            return -1;
        *v = *v * 10 + (**p - '0');
    }
    return 0;
}

/* The "+08:00" / "Z" after the time, in minutes east of UTC. */
static int parse_offset(const char *p, int *minutes)
{
    int h, m, sign = *p == '-' ? -1 : 1;
    if (p[0] == 'Z' && p[1] == '\0') {
        *minutes = 0;
        return 0;
    }
    if (*p != '+' && *p != '-')
        return -1;
    p++;
    if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &m) || *p != '\0' || h > 14 || m > 59)
        return -1;
    *minutes = sign * (h * 60 + m);
    return 0;
}

int jh_parse_time(const char *text, int64_t *ms)
{
    const char *p = text;
    int y, mo, d, h, mi, s, frac = 0, off;
    if (!p || digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) || *p++ != '-' ||
        digits(&p, 2, &d) || *p++ != 'T' || digits(&p, 2, &h) || *p++ != ':' ||
        digits(&p, 2, &mi) || *p++ != ':' || digits(&p, 2, &s))
        return -1;
    if (*p == '.') {
        int n = 0;
        for (p++; n < 3 && *p >= '0' && *p <= '9'; n++, p++)
            frac = frac * 10 + (*p - '0');
        if (n == 0 || (*p >= '0' && *p <= '9'))
            return -1;
        for (; n < 3; n++)
            frac *= 10;
    }
    if (parse_offset(p, &off) || y < 1970 || mo < 1 || mo > 12 || d < 1 ||
        d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59)
        return -1;
    int64_t secs = jh_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - off * 60;
    if (secs < 0 || secs >= jh_days_from_civil(10000, 1, 1) * 86400)
        return -1; /* 1970-01-01T00:30+01:00, 9999-12-31T23:00-05:00: outside the years in UTC too */
    *ms = secs * 1000 + frac;
    return 0;
}

/* The writer's form: UTC with milliseconds, which jh_parse_time reads back exactly. */
static int format_time(int64_t ms, char *buf, size_t len)
{
    time_t secs = (time_t)(ms / 1000);
    struct tm tm;
    if (ms < 0 || !gmtime_r(&secs, &tm))
        return -1;
    int n = snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
    return n > 0 && (size_t)n < len ? 0 : -1;
}

static int parse_clock(const cJSON *o, jh_command *c, jh_error *err)
{
    char text[40];
    if (need_text(o, "to", TXT_LINE, text, sizeof text, err))
        return -1;
    if (jh_parse_time(text, &c->clock_to))
        return fail(err, "bad-field", "\"%s\" must be a moment like 2026-11-23T09:05:07+08:00", "to");
    return 0;
}

static int parse_fields(const cJSON *o, jh_command *c, jh_error *err)
{
    switch (c->op) {
    case JH_OP_TAKE:
        return parse_take(o, c, err);
    case JH_OP_VOID:
        return need_text(o, "ticket", TXT_ID, c->ticket, sizeof c->ticket, err) ||
               need_text(o, "reason", TXT_LINE, c->reason, sizeof c->reason, err) ? -1 : 0;
    case JH_OP_LOGIN:
        return need_text(o, "staff_id", TXT_ID, c->staff_id, sizeof c->staff_id, err) ||
               opt_text(o, "staff_name", TXT_LINE, c->staff_name, sizeof c->staff_name, err) ||
               opt_text(o, JH_KEY_SECRET, TXT_LINE, c->secret, sizeof c->secret, err) ? -1 : 0;
    case JH_OP_REQUEUE:
    case JH_OP_CALL:
        return need_text(o, "ticket", TXT_ID, c->ticket, sizeof c->ticket, err);
    case JH_OP_TRANSFER:
        return parse_transfer(o, c, err);
    case JH_OP_PAUSE:
        return opt_text(o, "reason", TXT_LINE, c->reason, sizeof c->reason, err) ||
               opt_text(o, "message", TXT_LINE, c->message, sizeof c->message, err) ? -1 : 0;
    case JH_OP_FLAG:
        return need_text(o, "ticket", TXT_ID, c->ticket, sizeof c->ticket, err) ||
               get_priority(o, 1, &c->priority, err) ? -1 : 0;
    case JH_OP_RATE:
        return parse_rate(o, c, err);
    case JH_OP_NOTICE:
        /* An empty message clears the notice, so only presence is required. */
        return need_text(o, "message", TXT_LINE, c->message, sizeof c->message, err);
    case JH_OP_CLOCK:
        return parse_clock(o, c, err);
    case JH_OP_STAFF_AUTH:
    case JH_OP_STAFF_LIST:
    case JH_OP_STAFF_ADD:
    case JH_OP_STAFF_UPDATE:
    case JH_OP_STAFF_DISABLE:
    case JH_OP_STAFF_SET_SECRET:
    case JH_OP_STAFF_IMPORT:
    case JH_OP_AUDIT:
        return parse_staff_op(o, c, err);
    default:
        return 0; /* logout, call-next, recall, no-show, finish, resume, open, close, end-day */
    }
}

/* Stage 4: the envelope every command shares. */
static int parse_envelope(const cJSON *o, jh_command *c, jh_error *err)
{
    char id[JH_CMD_ID_LEN] = "";
    if (need_text(o, "id", TXT_CMD_ID, id, sizeof id, err))
        return -1;
    memcpy(c->id, id, sizeof id);
    char reply_to[JH_ID_LEN] = "";
    if (opt_text(o, "reply_to", TXT_ID, reply_to, sizeof reply_to, err))
        return -1;
    memcpy(c->reply_to, reply_to, sizeof reply_to);
    if (opt_text(o, JH_KEY_BY, TXT_ID, c->by, sizeof c->by, err))
        return -1;

    const cJSON *op = cJSON_GetObjectItemCaseSensitive(o, "op");
    if (!op || cJSON_IsNull(op))
        return fail(err, "missing-field", "\"%s\" is required", "op");
    if (!cJSON_IsString(op) || !op->valuestring)
        return fail(err, "bad-field", "\"%s\" must be a string", "op");
    c->op = jh_op_parse(op->valuestring);
    if (c->op == JH_OP_UNKNOWN) {
        char shown[40];
        snprintf(shown, sizeof shown, "%s", op->valuestring);
        return fail(err, "unknown-op", "unknown op \"%s\"", shown);
    }
    return 0;
}

int jh_command_parse(const char *payload, size_t len, const jh_origin *origin, jh_command *cmd,
                     jh_error *err)
{
    memset(cmd, 0, sizeof *cmd);
    memset(err, 0, sizeof *err);
    if (len > JH_MAX_PAYLOAD) {
        char n[24];
        snprintf(n, sizeof n, "%d", JH_MAX_PAYLOAD);
        return fail(err, "too-large", "payload larger than %s bytes", n);
    }
    if (!payload || check_bytes(payload, len, err))
        return payload ? -1 : fail(err, "bad-json", "empty payload%s", "");
    cJSON *root = parse_object(payload, len, err);
    if (!root)
        return -1;
    const char *dup = duplicate_key(root);
    int rc = parse_envelope(root, cmd, err);
    if (dup) {
        /* Keep the id and reply_to for the refusal only when they were unambiguous. */
        if (strcmp(dup, "id") == 0)
            cmd->id[0] = '\0';
        if (strcmp(dup, "id") == 0 || strcmp(dup, "reply_to") == 0)
            cmd->reply_to[0] = '\0';
        rc = fail(err, "bad-json", "key \"%s\" appears twice", dup);
    }
    if (rc == 0 && op_origin(cmd->op) != origin->kind) {
        char what[64];
        snprintf(what, sizeof what, "%s may not come from a %s", jh_op_name(cmd->op),
                 origin_name(origin->kind));
        rc = fail(err, "wrong-origin", "%s topic", what);
    }
    if (rc == 0)
        rc = parse_fields(root, cmd, err);
    cJSON_Delete(root);
    return rc;
}

/* ---- writing ---- */

static int add_str(cJSON *o, const char *name, const char *value)
{
    return value[0] == '\0' || cJSON_AddStringToObject(o, name, value) ? 0 : -1;
}

/* Required text fields may be empty ("" clears a notice), so they are always written. */
static int add_required(cJSON *o, const char *name, const char *value)
{
    return cJSON_AddStringToObject(o, name, value) ? 0 : -1;
}

/* "a;b" → ["a","b"] under name. */
static int add_list(cJSON *o, const char *name, const char *list)
{
    cJSON *a = cJSON_AddArrayToObject(o, name);
    if (!a)
        return -1;
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ';');
        size_t l = end ? (size_t)(end - p) : strlen(p);
        char item[JH_ID_LEN];
        if (l >= sizeof item)
            return -1;
        memcpy(item, p, l);
        item[l] = '\0';
        if (!cJSON_AddItemToArray(a, cJSON_CreateString(item)))
            return -1;
        p += l + (end ? 1 : 0);
    }
    return 0;
}

/* staff-add, staff-update: the roster fields the command says it carries. */
static int add_staff_fields(cJSON *o, const jh_command *c)
{
    unsigned f = c->staff_fields;
    int rc = 0;
    rc |= f & JH_SF_NAME ? add_required(o, JH_KEY_NAME, c->staff_name) : 0;
    rc |= f & JH_SF_DEPARTMENT ? add_required(o, JH_KEY_DEPARTMENT, c->department) : 0;
    rc |= f & JH_SF_PHOTO ? add_required(o, JH_KEY_PHOTO, c->photo) : 0;
    rc |= f & JH_SF_ROLES ? add_list(o, JH_KEY_ROLES, c->roles) : 0;
    rc |= f & JH_SF_COUNTERS ? add_list(o, JH_KEY_COUNTERS, c->counters) : 0;
    rc |= f & JH_SF_SERVICES ? add_list(o, JH_KEY_SERVICES, c->services) : 0;
    rc |= f & JH_SF_COVERS ? add_list(o, JH_KEY_COVERS, c->covers) : 0;
    rc |= f & JH_SF_SECRET ? add_required(o, JH_KEY_SECRET, c->secret) : 0;
    if (f & JH_SF_ENABLED)
        rc |= cJSON_AddBoolToObject(o, JH_KEY_ENABLED, c->enabled) ? 0 : -1;
    return rc;
}

/* The fields of the roster and audit ops, and the ones every op may carry. */
static int add_roster_fields(cJSON *o, const jh_command *c)
{
    int staff_op = c->op == JH_OP_STAFF_ADD || c->op == JH_OP_STAFF_UPDATE;
    int rc = add_str(o, JH_KEY_BY, c->by);
    if (staff_op)
        return rc | add_staff_fields(o, c);
    rc |= c->op == JH_OP_STAFF_IMPORT ? add_required(o, JH_KEY_CSV, c->csv) : 0;
    rc |= add_str(o, JH_KEY_SECRET, c->secret) | add_str(o, JH_KEY_COUNTER, c->counter);
    if (c->day)
        rc |= cJSON_AddNumberToObject(o, JH_KEY_DAY, c->day) ? 0 : -1;
    if (c->limit)
        rc |= cJSON_AddNumberToObject(o, JH_KEY_LIMIT, c->limit) ? 0 : -1;
    return rc;
}

static int add_fields(cJSON *o, const jh_command *c)
{
    int staff_op = c->op == JH_OP_STAFF_ADD || c->op == JH_OP_STAFF_UPDATE;
    int rc = add_str(o, "service", c->service) | add_str(o, "lang", c->lang) |
             add_str(o, "ticket", c->ticket) | add_str(o, "staff_id", c->staff_id) |
             (staff_op ? 0 : add_str(o, "staff_name", c->staff_name)) |
             add_str(o, "to_service", c->to_service) | add_str(o, "to_counter", c->to_counter) |
             add_roster_fields(o, c);
    rc |= c->op == JH_OP_VOID ? add_required(o, "reason", c->reason) : add_str(o, "reason", c->reason);
    rc |= c->op == JH_OP_NOTICE ? add_required(o, "message", c->message) : add_str(o, "message", c->message);
    if (c->op == JH_OP_FLAG || (c->op == JH_OP_TAKE && c->priority != JH_PRIO_NONE)) {
        const char *p = jh_priority_name((jh_priority)c->priority);
        rc |= p && cJSON_AddStringToObject(o, "priority", p) ? 0 : -1;
    }
    if (c->op == JH_OP_RATE) {
        rc |= cJSON_AddNumberToObject(o, "score", c->score) ? 0 : -1;
        if (c->rate_source == JH_RATE_SRC_STAFF_KEYPAD)
            rc |= cJSON_AddStringToObject(o, "source", "staff-keypad") ? 0 : -1;
    }
    if (c->op == JH_OP_CLOCK) {
        char to[40];
        rc |= format_time(c->clock_to, to, sizeof to) == 0 && cJSON_AddStringToObject(o, "to", to) ? 0 : -1;
    }
    return rc;
}

char *jh_command_to_json(const jh_command *cmd)
{
    if (!cmd || cmd->op <= JH_OP_UNKNOWN || cmd->op >= JH_OP_COUNT)
        return NULL;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    char *out = NULL;
    if (cJSON_AddStringToObject(o, "id", cmd->id) && cJSON_AddStringToObject(o, "op", jh_op_name(cmd->op)) &&
        add_str(o, "reply_to", cmd->reply_to) == 0 && add_fields(o, cmd) == 0)
        out = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return out;
}

char *jh_reply_error_json(const char *id, const jh_error *err)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    char *out = NULL;
    cJSON *idv = id && id[0] ? cJSON_CreateString(id) : cJSON_CreateNull();
    if (idv) {
        cJSON_AddItemToObject(o, JH_KEY_ID, idv);
        if (cJSON_AddFalseToObject(o, JH_KEY_OK) && cJSON_AddStringToObject(o, JH_KEY_ERROR, err->code) &&
            cJSON_AddStringToObject(o, JH_KEY_MESSAGE, err->message))
            out = cJSON_PrintUnformatted(o);
    }
    cJSON_Delete(o);
    return out;
}

/* ---- topics ---- */

int jh_topic(char *buf, size_t len, const char *site, const char *suffix)
{
    if (!jh_valid_id(site) || !suffix)
        return -1;
    int n = snprintf(buf, len, "%s/%s/%s", JH_TOPIC_ROOT, site, suffix);
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Splits "a/b/c" (after the site prefix) into at most 4 levels; returns their count. */
static int split_levels(const char *s, char levels[4][JH_ID_LEN])
{
    int n = 0;
    while (n < 4) {
        const char *slash = strchr(s, '/');
        size_t l = slash ? (size_t)(slash - s) : strlen(s);
        if (l >= JH_ID_LEN)
            return -1;
        memcpy(levels[n], s, l);
        levels[n++][l] = '\0';
        if (!slash)
            return n;
        s = slash + 1;
    }
    return -1;
}

int jh_topic_origin(const char *topic, const char *site, jh_origin *origin)
{
    char prefix[JH_TOPIC_LEN];
    if (!topic || jh_topic(prefix, sizeof prefix, site, "") < 0)
        return -1;
    size_t pl = strlen(prefix);
    if (strncmp(topic, prefix, pl) != 0)
        return -1;
    char lv[4][JH_ID_LEN];
    int n = split_levels(topic + pl, lv);
    memset(origin, 0, sizeof *origin);
    if (n == 2 && strcmp(lv[0], "admin") == 0 && strcmp(lv[1], "cmd") == 0) {
        origin->kind = JH_ORIGIN_ADMIN;
        snprintf(origin->id, sizeof origin->id, "admin");
        return 0;
    }
    if (n != 3 || strcmp(lv[2], "cmd") != 0 || !jh_valid_id(lv[1]))
        return -1;
    if (strcmp(lv[0], "kiosk") == 0)
        origin->kind = JH_ORIGIN_KIOSK;
    else if (strcmp(lv[0], "counter") == 0)
        origin->kind = JH_ORIGIN_COUNTER;
    else
        return -1;
    memcpy(origin->id, lv[1], strlen(lv[1]) + 1);
    return 0;
}
