/* SPDX-License-Identifier: MIT */
/*
 * audio_out — where announcements go: the sound card, or a WAV file for tests.
 *
 * Owns: the queue of announcements waiting to be heard. Each announcement is
 * one buffer (voice.c joins the clips), handed to SDL_QueueAudio once and only
 * when the previous one has finished playing, so announcements never overlap
 * and come out in the order the calls were made. With a file (--voice-out)
 * every announcement is appended to one WAV, rewritten after each so it can be
 * read while the board runs.
 */
#ifndef JH_AUDIO_OUT_H
#define JH_AUDIO_OUT_H

#include <stddef.h>
#include <stdint.h>

typedef struct jh_audio jh_audio;

/* wav_path NULL: open the default SDL audio device (16 kHz mono s16). */
jh_audio *jh_audio_open(const char *wav_path, char *err, size_t errlen);

/* Queues one announcement; takes ownership of pcm (malloc'd). -1 when the queue is full. */
int jh_audio_enqueue(jh_audio *a, int16_t *pcm, size_t n, char *err, size_t errlen);

/* Moves the next announcement on when the previous one is done. -1 with err on a write failure. */
int jh_audio_pump(jh_audio *a, char *err, size_t errlen);

/* Announcements queued or still playing. */
int jh_audio_busy(const jh_audio *a);

/* Announcements handed to the device or written to the file so far. */
int jh_audio_done(const jh_audio *a);

void jh_audio_close(jh_audio *a);

#endif
