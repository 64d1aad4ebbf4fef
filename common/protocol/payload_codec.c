/* SPDX-License-Identifier: MIT */
/*
 * payload_codec — see payload_codec.h. One writer and one reader per kind of
 * field; everything a payload says about itself is in its table.
 */
#include "payload_codec.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "utf8_text.h"

#define INT_RANGE 2e9   /* a number outside ±this is not one of our ints */
#define COUNT_MAX 9e15  /* exact in a double */

static const void *member(const void *s, size_t offset) { return (const char *)s + offset; }

static void *member_w(void *s, size_t offset) { return (char *)s + offset; }

static int get_int(const void *s, size_t offset)
{
    int v;
    memcpy(&v, member(s, offset), sizeof v);
    return v;
}

static int64_t get_i64(const void *s, size_t offset)
{
    int64_t v;
    memcpy(&v, member(s, offset), sizeof v);
    return v;
}

static double get_real(const void *s, size_t offset)
{
    double v;
    memcpy(&v, member(s, offset), sizeof v);
    return v;
}

/* ---- writing ---- */

static cJSON *text_or_null(const char *t) { return t[0] ? cJSON_CreateString(t) : cJSON_CreateNull(); }

static cJSON *encode_list(const jh_field *f, const void *s)
{
    cJSON *arr = cJSON_CreateArray();
    int n = get_int(s, f->count_offset);
    for (int i = 0; arr && i < n && i < f->cap; i++) {
        const void *at = member(s, f->offset + (size_t)i * f->size);
        cJSON *item = f->kind == JH_F_LIST ? jh_payload_encode(f->sub, at) : cJSON_CreateString(at);
        if (!item) {
            cJSON_Delete(arr);
            return NULL;
        }
        cJSON_AddItemToArray(arr, item);
    }
    return arr;
}

/* The value of one field, or NULL: *skip set when the key is left out. */
static cJSON *encode_field(const jh_field *f, const void *s, int *skip)
{
    const void *m = member(s, f->offset);
    *skip = 0;
    switch (f->kind) {
    case JH_F_TEXT: return cJSON_CreateString(m);
    case JH_F_TEXT_NULL: return text_or_null(m);
    case JH_F_INT: return cJSON_CreateNumber(get_int(s, f->offset));
    case JH_F_INT_OPT:
        *skip = get_int(s, f->offset) < 0;
        return *skip ? NULL : cJSON_CreateNumber(get_int(s, f->offset));
    case JH_F_COUNT: return cJSON_CreateNumber((double)get_i64(s, f->offset));
    case JH_F_COUNT_NULL:
        return get_i64(s, f->offset) == JH_COUNT_NULL ? cJSON_CreateNull()
                                         : cJSON_CreateNumber((double)get_i64(s, f->offset));
    case JH_F_REAL_NULL:
        return get_real(s, f->offset) < 0 ? cJSON_CreateNull() : cJSON_CreateNumber(get_real(s, f->offset));
    case JH_F_BOOL: return cJSON_CreateBool(get_int(s, f->offset) != 0);
    case JH_F_WORD: return cJSON_CreateString(f->word);
    case JH_F_OBJECT: return jh_payload_encode(f->sub, m);
    case JH_F_LIST:
    case JH_F_TEXT_LIST: return encode_list(f, s);
    }
    return NULL;
}

int jh_payload_encode_into(cJSON *o, const jh_field *table, const void *s)
{
    for (const jh_field *f = table; f->key; f++) {
        int skip;
        cJSON *v = encode_field(f, s, &skip);
        if (skip)
            continue;
        if (!v || !cJSON_AddItemToObject(o, f->key, v)) {
            cJSON_Delete(v);
            return -1;
        }
    }
    return 0;
}

cJSON *jh_payload_encode(const jh_field *table, const void *s)
{
    cJSON *o = cJSON_CreateObject();
    if (o && jh_payload_encode_into(o, table, s) < 0) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* ---- reading: what does not fit the field's kind is passed over ---- */

static void decode_text(const cJSON *v, char *dst, size_t len)
{
    if (cJSON_IsString(v) && v->valuestring)
        jh_clean_text(dst, len, v->valuestring);
    else if (cJSON_IsNumber(v))
        snprintf(dst, len, "%.0f", v->valuedouble);
}

static void decode_int(const cJSON *v, void *dst)
{
    if (cJSON_IsNumber(v) && v->valuedouble >= -INT_RANGE && v->valuedouble <= INT_RANGE) {
        int n = (int)v->valuedouble;
        memcpy(dst, &n, sizeof n);
    }
}

static void decode_count(const cJSON *v, double min, void *dst)
{
    if (cJSON_IsNumber(v) && v->valuedouble >= min && v->valuedouble <= COUNT_MAX) {
        int64_t n = (int64_t)v->valuedouble;
        memcpy(dst, &n, sizeof n);
    }
}

static void decode_real(const cJSON *v, void *dst)
{
    if (cJSON_IsNumber(v))
        memcpy(dst, &v->valuedouble, sizeof v->valuedouble);
}

static void decode_bool(const cJSON *v, void *dst)
{
    int b;
    if (cJSON_IsBool(v))
        b = cJSON_IsTrue(v) ? 1 : 0;
    else if (cJSON_IsNumber(v))
        b = v->valuedouble != 0;
    else
        return;
    memcpy(dst, &b, sizeof b);
}

/* Elements that are not of the list's kind are passed over; the rest fill it from 0. */
static void decode_list(const jh_field *f, const cJSON *arr, void *s)
{
    const cJSON *it;
    int n = 0;
    if (!cJSON_IsArray(arr))
        return;
    cJSON_ArrayForEach(it, arr) {
        if (n == f->cap)
            break;
        void *at = member_w(s, f->offset + (size_t)n * f->size);
        if (f->kind == JH_F_LIST && cJSON_IsObject(it)) {
            memset(at, 0, f->size);
            jh_payload_decode(f->sub, it, at);
            n++;
        } else if (f->kind == JH_F_TEXT_LIST && cJSON_IsString(it) && it->valuestring) {
            jh_clean_text(at, f->size, it->valuestring);
            n++;
        }
    }
    memcpy(member_w(s, f->count_offset), &n, sizeof n);
}

static void decode_field(const jh_field *f, const cJSON *v, void *s)
{
    void *m = member_w(s, f->offset);
    switch (f->kind) {
    case JH_F_TEXT:
    case JH_F_TEXT_NULL: decode_text(v, m, f->size); break;
    case JH_F_INT:
    case JH_F_INT_OPT: decode_int(v, m); break;
    case JH_F_COUNT: decode_count(v, 0, m); break;
    case JH_F_COUNT_NULL: decode_count(v, -COUNT_MAX, m); break;
    case JH_F_REAL_NULL: decode_real(v, m); break;
    case JH_F_BOOL: decode_bool(v, m); break;
    case JH_F_WORD: break;
    case JH_F_OBJECT:
        if (cJSON_IsObject(v))
            jh_payload_decode(f->sub, v, m);
        break;
    case JH_F_LIST:
    case JH_F_TEXT_LIST: decode_list(f, v, s); break;
    }
}

void jh_payload_decode(const jh_field *table, const cJSON *o, void *s)
{
    if (!cJSON_IsObject(o))
        return;
    for (const jh_field *f = table; f->key; f++)
        decode_field(f, cJSON_GetObjectItemCaseSensitive(o, f->key), s);
}
