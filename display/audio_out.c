/* SPDX-License-Identifier: MIT */
/*
 * audio_out — announcement queue to SDL audio or a WAV file (see audio_out.h).
 */
#include "audio_out.h"

#include <SDL2/SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wav.h"

#define QUEUE_MAX 32 /* a burst of calls beyond this is not worth hearing late */

typedef struct {
    int16_t *pcm;
    size_t n;
} clip_buf;

struct jh_audio {
    SDL_AudioDeviceID dev;     /* 0 in file mode */
    char *path;                /* file mode */
    int16_t *file_pcm;         /* everything written so far */
    size_t file_n;
    clip_buf q[QUEUE_MAX];
    int head, count;
    int done;
};

jh_audio *jh_audio_open(const char *wav_path, char *err, size_t errlen)
{
    jh_audio *a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (wav_path) {
        a->path = strdup(wav_path);
        if (a->path && jh_wav_write(a->path, NULL, 0, err, errlen) == 0)
            return a; /* an empty WAV at once: "no announcement" is readable too */
        free(a->path);
        free(a);
        return NULL;
    }
    SDL_AudioSpec want = {0}, got;
    want.freq = JH_WAV_RATE;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 1024;
    a->dev = SDL_OpenAudioDevice(NULL, 0, &want, &got, 0);
    if (a->dev == 0) {
        snprintf(err, errlen, "audio device: %s", SDL_GetError());
        free(a);
        return NULL;
    }
    SDL_PauseAudioDevice(a->dev, 0);
    return a;
}

int jh_audio_enqueue(jh_audio *a, int16_t *pcm, size_t n, char *err, size_t errlen)
{
    if (a->count == QUEUE_MAX) {
        snprintf(err, errlen, "announcement queue full (%d): dropped one", QUEUE_MAX);
        free(pcm);
        return -1;
    }
    a->q[(a->head + a->count) % QUEUE_MAX] = (clip_buf){pcm, n};
    a->count++;
    return 0;
}

static int append_to_file(jh_audio *a, const clip_buf *c, char *err, size_t errlen)
{
    int16_t *all = realloc(a->file_pcm, (a->file_n + c->n) * sizeof *all + 1);
    if (!all) {
        snprintf(err, errlen, "out of memory for the voice file");
        return -1;
    }
    memcpy(all + a->file_n, c->pcm, c->n * sizeof *all);
    a->file_pcm = all;
    a->file_n += c->n;
    return jh_wav_write(a->path, a->file_pcm, a->file_n, err, errlen);
}

int jh_audio_pump(jh_audio *a, char *err, size_t errlen)
{
    int rc = 0;
    while (a->count > 0 && rc == 0) {
        if (a->dev && SDL_GetQueuedAudioSize(a->dev) > 0)
            return 0; /* still speaking: the next call waits its turn */
        clip_buf *c = &a->q[a->head];
        if (a->dev) {
            if (SDL_QueueAudio(a->dev, c->pcm, (Uint32)(c->n * sizeof *c->pcm)) != 0) {
                snprintf(err, errlen, "audio: %s", SDL_GetError());
                rc = -1;
            }
        } else {
            rc = append_to_file(a, c, err, errlen);
        }
        free(c->pcm);
        a->head = (a->head + 1) % QUEUE_MAX;
        a->count--;
        a->done++;
    }
    return rc;
}

int jh_audio_busy(const jh_audio *a)
{
    return a->count + (a->dev && SDL_GetQueuedAudioSize(a->dev) > 0);
}

int jh_audio_done(const jh_audio *a)
{
    return a->done;
}

void jh_audio_close(jh_audio *a)
{
    if (!a)
        return;
    if (a->dev)
        SDL_CloseAudioDevice(a->dev);
    for (int i = 0; i < a->count; i++)
        free(a->q[(a->head + i) % QUEUE_MAX].pcm);
    free(a->file_pcm);
    free(a->path);
    free(a);
}
