/* SPDX-License-Identifier: MIT */
/*
 * payload_codec — a JSON payload described once, as a table of fields over a C struct.
 *
 * Owns: writing a struct as a JSON object and reading one back by the same
 * table, with the wire's rules for each kind of field (an empty time is null,
 * a key left out, a nested object, a list). The tables are the payloads'
 * (state_payload.c, event_payload.c); the caller's engine encodes by them and
 * the boards' and kiosk's mirror decodes by them, so the two sides cannot
 * disagree on a key, a type or what null means.
 *
 * Reading is forgiving, as a screen must be: a field that is missing, null or
 * of another type keeps the value the struct held (the reader presets its
 * "unknown"s), a number is accepted where text is expected (a staff id sent
 * as 1024 still shows), and text is copied as clean single-line UTF-8
 * (utf8_text.h).
 */
#ifndef JH_PAYLOAD_CODEC_H
#define JH_PAYLOAD_CODEC_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#define JH_COUNT_NULL INT64_MIN /* a JH_F_COUNT_NULL that is null: a mean may be below 0 */

typedef enum {
    JH_F_TEXT,       /* char[size], always a string */
    JH_F_TEXT_NULL,  /* char[size]; "" is null on the wire (a time not set, a ticket when none) */
    JH_F_INT,        /* int */
    JH_F_INT_OPT,    /* int; a negative one leaves the key out */
    JH_F_COUNT,      /* int64_t, 0 or more (a seq, a day's figure) */
    JH_F_COUNT_NULL, /* int64_t; JH_COUNT_NULL is null (a mean of nothing) */
    JH_F_REAL_NULL,  /* double; a negative one is null */
    JH_F_BOOL,       /* int, 0 or 1 */
    JH_F_WORD,       /* a fixed word (`word`), written and not read back: no member */
    JH_F_OBJECT,     /* a nested object: `sub` over the struct at offset */
    JH_F_LIST,       /* an array of objects: `sub` over elements of `size`, `cap` of them */
    JH_F_TEXT_LIST   /* an array of strings: char[cap][size] */
} jh_field_kind;

typedef struct jh_field jh_field;

/* One key of a payload. A table is an array of these ended by one with key NULL. */
struct jh_field {
    const char *key;
    jh_field_kind kind;
    size_t offset;         /* of the member in the struct */
    size_t size;           /* text: the buffer; lists: one element */
    const jh_field *sub;   /* object, list: the fields of the nested struct */
    int cap;               /* lists: how many elements the array holds */
    size_t count_offset;   /* lists: the int member that counts them */
    const char *word;      /* word */
};

/* Table rows: member `m` of struct `type` under `key`. */
#define JH_FIELD(kind, type, m, key) {(key), (kind), offsetof(type, m), sizeof(((type *)0)->m), NULL, 0, 0, NULL}
#define JH_FIELD_OBJECT(type, m, key, sub) {(key), JH_F_OBJECT, offsetof(type, m), sizeof(((type *)0)->m), (sub), 0, 0, NULL}
/* Array member `arr` (of `elem`s), counted by int member `n`; `sub` NULL for a list of strings. */
#define JH_FIELD_LIST(kind, type, arr, n, key, sub)                                                   \
    {(key), (kind), offsetof(type, arr), sizeof(((type *)0)->arr[0]), (sub),                          \
     (int)(sizeof(((type *)0)->arr) / sizeof(((type *)0)->arr[0])), offsetof(type, n), NULL}
#define JH_FIELD_WORD(key, word) {(key), JH_F_WORD, 0, 0, NULL, 0, 0, (word)}
#define JH_FIELD_END {NULL, JH_F_TEXT, 0, 0, NULL, 0, 0, NULL}

/* Adds the fields of struct s to object o in table order. 0, or -1 when out of memory. */
int jh_payload_encode_into(cJSON *o, const jh_field *table, const void *s);

/* A new object with the fields of struct s, or NULL when out of memory. */
cJSON *jh_payload_encode(const jh_field *table, const void *s);

/* Reads object o into struct s by the table (see above). o not an object reads nothing. */
void jh_payload_decode(const jh_field *table, const cJSON *o, void *s);

#endif
