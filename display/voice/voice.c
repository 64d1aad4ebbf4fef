/* SPDX-License-Identifier: MIT */
/*
 * voice — announcement scripts and clip joining (see voice.h).
 */
#include "voice.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wav.h"

/* A clip whose name carries a number ("zh/d%d"); word() for a fixed one. */
static void add(jh_voice_script *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(jh_voice_script *s, const char *fmt, ...)
{
    va_list ap;
    if (s->n >= JH_VOICE_MAX_WORDS)
        return;
    va_start(ap, fmt);
    vsnprintf(s->words[s->n++], JH_VOICE_WORD_LEN, fmt, ap);
    va_end(ap);
}

static void word(jh_voice_script *s, const char *clip) { add(s, "%s", clip); }

/* 十二, 二十三, 一百零五: how a counter number is said in Mandarin. */
static void zh_number(jh_voice_script *s, int n)
{
    if (n >= 1000) {
        char d[16];
        snprintf(d, sizeof d, "%d", n);
        for (char *p = d; *p; p++)
            add(s, "zh/d%d", *p - '0');
        return;
    }
    if (n >= 100) {
        add(s, "zh/d%d", n / 100);
        word(s, "zh/bai");
        n %= 100;
        if (n == 0)
            return;
        if (n < 10) {
            word(s, "zh/d0");
            add(s, "zh/d%d", n);
            return;
        }
        add(s, "zh/d%d", n / 10); /* 一百一十: the "one" of the tens is said after 百 */
        word(s, "zh/shi");
    } else if (n >= 10) {
        if (n >= 20)
            add(s, "zh/d%d", n / 10);
        word(s, "zh/shi");
    } else {
        add(s, "zh/d%d", n);
        return;
    }
    if (n % 10)
        add(s, "zh/d%d", n % 10);
}

/* "twenty three", "one hundred five" */
static void en_number(jh_voice_script *s, int n)
{
    if (n >= 1000) {
        char d[16];
        snprintf(d, sizeof d, "%d", n);
        for (char *p = d; *p; p++)
            add(s, "en/n%d", *p - '0');
        return;
    }
    if (n >= 100) {
        add(s, "en/n%d", n / 100);
        word(s, "en/hundred");
        n %= 100;
        if (n == 0)
            return;
    }
    if (n < 20) {
        add(s, "en/n%d", n);
        return;
    }
    add(s, "en/n%d", n / 10 * 10);
    if (n % 10)
        add(s, "en/n%d", n % 10);
}

/* The ticket letter by letter, digit by digit, in one language. */
static void ticket_words(jh_voice_script *s, const char *t, int zh)
{
    for (; *t; t++) {
        int c = toupper((unsigned char)*t);
        if (c >= 'A' && c <= 'Z')
            add(s, zh ? "zh/%c" : "en/%c", c);
        else if (c >= '0' && c <= '9')
            add(s, zh ? "zh/d%d" : "en/n%d", c - '0');
    }
}

static void zh_sentence(jh_voice_script *s, const char *ticket, int counter)
{
    word(s, "zh/qing");
    ticket_words(s, ticket, 1);
    word(s, "zh/hao");
    if (counter > 0) {
        word(s, "zh/dao");
        zh_number(s, counter);
        word(s, "zh/hao");
        word(s, "zh/chuangkou");
    }
    word(s, "zh/banli");
}

static void en_sentence(jh_voice_script *s, const char *ticket, int counter)
{
    word(s, "en/number");
    ticket_words(s, ticket, 0);
    if (counter > 0) {
        word(s, "en/please_go_to_counter");
        en_number(s, counter);
    }
}

int jh_voice_compose(jh_voice_script *s, const char *ticket, int counter_number, int repeat,
                     char *err, size_t errlen)
{
    int speakable = 0;
    for (const char *p = ticket; *p; p++)
        speakable += isalnum((unsigned char)*p) != 0;
    if (speakable == 0 || speakable > JH_VOICE_MAX_TICKET_CHARS) {
        snprintf(err, errlen, "ticket '%.40s' cannot be announced (needs 1..%d letters/digits)",
                 ticket, JH_VOICE_MAX_TICKET_CHARS);
        return -1;
    }
    if (repeat < 1)
        repeat = 1;
    s->n = 0;
    word(s, "chime");
    for (int r = 0; r < repeat; r++) {
        if (r > 0)
            word(s, "gap");
        zh_sentence(s, ticket, counter_number);
        word(s, "gap");
        en_sentence(s, ticket, counter_number);
    }
    return 0;
}

/* ---- clips ------------------------------------------------------------- */

static const jh_voice_clip *find_clip(const jh_voice_clips *vc, const char *name)
{
    for (int i = 0; i < vc->n; i++)
        if (strcmp(vc->clips[i].name, name) == 0)
            return &vc->clips[i];
    return NULL;
}

static int load_one(jh_voice_clips *vc, const char *dir, const char *name, char *err, size_t errlen)
{
    char path[4096];
    jh_voice_clip *c = &vc->clips[vc->n];
    snprintf(path, sizeof path, "%s/%s.wav", dir, name);
    if (jh_wav_read(path, &c->pcm, &c->n, err, errlen) < 0)
        return -1;
    snprintf(c->name, sizeof c->name, "%s", name);
    vc->n++;
    return 0;
}

int jh_voice_load(jh_voice_clips *vc, const char *dir, char *err, size_t errlen)
{
    static const char *fixed[] = {"chime", "zh/qing", "zh/hao", "zh/dao", "zh/chuangkou",
                                  "zh/banli", "zh/shi", "zh/bai", "en/number",
                                  "en/please_go_to_counter", "en/hundred"};
    char name[JH_VOICE_WORD_LEN];
    int rc = 0;
    memset(vc, 0, sizeof *vc);
    for (size_t i = 0; rc == 0 && i < sizeof fixed / sizeof fixed[0]; i++)
        rc = load_one(vc, dir, fixed[i], err, errlen);
    for (int d = 0; rc == 0 && d < 10; d++) {
        snprintf(name, sizeof name, "zh/d%d", d);
        rc = load_one(vc, dir, name, err, errlen);
    }
    for (int n = 0; rc == 0 && n < 100; n += n < 20 ? 1 : 10) {
        snprintf(name, sizeof name, "en/n%d", n);
        rc = load_one(vc, dir, name, err, errlen);
    }
    for (int c = 'A'; rc == 0 && c <= 'Z'; c++) {
        snprintf(name, sizeof name, "zh/%c", c);
        rc = load_one(vc, dir, name, err, errlen);
        snprintf(name, sizeof name, "en/%c", c);
        if (rc == 0)
            rc = load_one(vc, dir, name, err, errlen);
    }
    if (rc < 0)
        jh_voice_free(vc);
    return rc;
}

void jh_voice_free(jh_voice_clips *vc)
{
    for (int i = 0; i < vc->n; i++)
        free(vc->clips[i].pcm);
    vc->n = 0;
}

int jh_voice_render(const jh_voice_clips *vc, const jh_voice_script *s, int volume,
                    int16_t **pcm, size_t *n, char *err, size_t errlen)
{
    const size_t gap = JH_WAV_RATE * JH_VOICE_GAP_MS / 1000;
    size_t total = 0;
    *pcm = NULL;
    *n = 0;
    for (int i = 0; i < s->n; i++) {
        const jh_voice_clip *c = strcmp(s->words[i], "gap") == 0 ? NULL : find_clip(vc, s->words[i]);
        if (!c && strcmp(s->words[i], "gap") != 0) {
            snprintf(err, errlen, "no voice clip '%s'", s->words[i]);
            return -1;
        }
        total += c ? c->n : gap;
    }
    int16_t *out = calloc(total ? total : 1, sizeof *out);
    if (!out) {
        snprintf(err, errlen, "out of memory for %zu samples", total);
        return -1;
    }
    if (volume < 0)
        volume = 0;
    if (volume > 100)
        volume = 100;
    size_t at = 0;
    for (int i = 0; i < s->n; i++) {
        const jh_voice_clip *c = find_clip(vc, s->words[i]);
        if (!c) { /* a gap: calloc left it silent */
            at += gap;
            continue;
        }
        for (size_t k = 0; k < c->n; k++)
            out[at + k] = (int16_t)(c->pcm[k] * volume / 100);
        at += c->n;
    }
    *pcm = out;
    *n = total;
    return 0;
}
