/* SPDX-License-Identifier: MIT */
/*
 * wav — strict reader and plain writer for 16 kHz mono s16le WAV (see wav.h).
 */
#include "wav.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE (16u << 20)

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8);
}

/* Checks the "fmt " chunk body: PCM (or WAVE_FORMAT_EXTENSIBLE wrapping PCM), 1 ch, 16 kHz, 16 bit. */
static int check_fmt(const uint8_t *f, uint32_t size, char *err, size_t errlen)
{
    if (size < 16) {
        snprintf(err, errlen, "fmt chunk too short");
        return -1;
    }
    unsigned tag = le16(f), ch = le16(f + 2), bits = le16(f + 14);
    uint32_t rate = le32(f + 4);
    if ((tag != 1 && tag != 0xFFFE) || ch != 1 || rate != JH_WAV_RATE || bits != 16) {
        snprintf(err, errlen, "format is tag %u, %u ch, %u Hz, %u bit; clips must be PCM mono "
                 "16000 Hz 16 bit (scripts/make-voice-clips converts them)", tag, ch, rate, bits);
        return -1;
    }
    return 0;
}

int jh_wav_parse(const uint8_t *data, size_t len, int16_t **samples, size_t *n, char *err,
                 size_t errlen)
{
    *samples = NULL;
    *n = 0;
    if (len < 12 || memcmp(data, "RIFF", 4) != 0 || memcmp(data + 8, "WAVE", 4) != 0) {
        snprintf(err, errlen, "not a RIFF/WAVE file");
        return -1;
    }
    int have_fmt = 0;
    for (size_t at = 12; at + 8 <= len;) {
        uint32_t size = le32(data + at + 4);
        const uint8_t *body = data + at + 8;
        if (size > len - at - 8) {
            snprintf(err, errlen, "chunk '%.4s' runs past the end of the file", (const char *)data + at);
            return -1;
        }
        if (memcmp(data + at, "fmt ", 4) == 0) {
            if (check_fmt(body, size, err, errlen) < 0)
                return -1;
            have_fmt = 1;
        } else if (memcmp(data + at, "data", 4) == 0) {
            if (!have_fmt) {
                snprintf(err, errlen, "data chunk before fmt chunk");
                return -1;
            }
            size_t count = size / 2;
            int16_t *s = malloc(count ? count * sizeof *s : 1);
            if (!s) {
                snprintf(err, errlen, "out of memory");
                return -1;
            }
            for (size_t i = 0; i < count; i++)
                s[i] = (int16_t)le16(body + 2 * i);
            *samples = s;
            *n = count;
            return 0;
        }
        at += 8 + (size_t)size + (size & 1); /* chunks are padded to even sizes */
    }
    snprintf(err, errlen, "no data chunk");
    return -1;
}

int jh_wav_read(const char *path, int16_t **samples, size_t *n, char *err, size_t errlen)
{
    char why[200];
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    uint8_t *buf = malloc(MAX_FILE);
    size_t len = buf ? fread(buf, 1, MAX_FILE, f) : 0;
    int bad_read = ferror(f) || !buf;
    fclose(f);
    if (bad_read) {
        snprintf(err, errlen, "%s: cannot read", path);
        free(buf);
        return -1;
    }
    int rc = jh_wav_parse(buf, len, samples, n, why, sizeof why);
    free(buf);
    if (rc < 0)
        snprintf(err, errlen, "%s: %s", path, why);
    return rc;
}

int jh_wav_write(const char *path, const int16_t *samples, size_t n, char *err, size_t errlen)
{
    uint8_t h[44];
    char tmp[4096];
    if (n > (UINT32_MAX - 36) / 2) {
        snprintf(err, errlen, "%s: too much audio for one WAV", path);
        return -1;
    }
    uint32_t bytes = (uint32_t)(n * 2);
    memcpy(h, "RIFF", 4); put32(h + 4, 36 + bytes); memcpy(h + 8, "WAVEfmt ", 8);
    put32(h + 16, 16); put16(h + 20, 1); put16(h + 22, 1); put32(h + 24, JH_WAV_RATE);
    put32(h + 28, JH_WAV_RATE * 2); put16(h + 32, 2); put16(h + 34, 16);
    memcpy(h + 36, "data", 4); put32(h + 40, bytes);

    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        return -1;
    }
    int ok = fwrite(h, 1, sizeof h, f) == sizeof h;
    for (size_t i = 0; ok && i < n; i++) {
        uint8_t s[2];
        put16(s, (uint16_t)samples[i]);
        ok = fwrite(s, 1, 2, f) == 2;
    }
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
}
