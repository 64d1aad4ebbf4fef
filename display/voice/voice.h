/* SPDX-License-Identifier: MIT */
/*
 * voice — turns a call into one buffer of speech: "请 A012 号 到 3 号窗口 办理",
 * then "Number A012, please go to counter 3".
 *
 * Owns: which clips an announcement is made of and in what order (a pure
 * "script" of clip names), the clip set loaded from assets/voice/ (made by
 * scripts/make-voice-clips), and joining the clips into one PCM buffer at a
 * given volume. Playing or writing the buffer is audio_out's job.
 *
 * How Chinese halls read numbers: ticket digits one by one ("A 零 一 二"),
 * letters by their English names, the counter as a number ("十二 号窗口").
 * English reads the ticket the same way and the counter as a number.
 *
 * Script words are clip paths relative to the clip folder without ".wav"
 * ("zh/qing", "en/n12", "chime"), or "gap" for JH_VOICE_GAP_MS of silence.
 */
#ifndef JH_VOICE_H
#define JH_VOICE_H

#include <stddef.h>
#include <stdint.h>

#define JH_VOICE_MAX_WORDS 160
#define JH_VOICE_WORD_LEN 32
#define JH_VOICE_GAP_MS 400
#define JH_VOICE_MAX_TICKET_CHARS 12
#define JH_VOICE_MAX_CLIPS 128

typedef struct {
    char words[JH_VOICE_MAX_WORDS][JH_VOICE_WORD_LEN];
    int n;
} jh_voice_script;

typedef struct {
    char name[JH_VOICE_WORD_LEN];
    int16_t *pcm;
    size_t n;
} jh_voice_clip;

typedef struct {
    jh_voice_clip clips[JH_VOICE_MAX_CLIPS];
    int n;
} jh_voice_clips;

/*
 * The script for one call: a chime, then `repeat` times the Chinese and the
 * English sentence with gaps between. counter_number <= 0 leaves the counter
 * part out ("请 A012 号 办理" / "Number A012"). -1 with err when the ticket has
 * no letter or digit or more than JH_VOICE_MAX_TICKET_CHARS of them.
 */
int jh_voice_compose(jh_voice_script *s, const char *ticket, int counter_number, int repeat,
                     char *err, size_t errlen);

/* Loads every clip any script can name from `dir`; -1 naming the first bad or missing file. */
int jh_voice_load(jh_voice_clips *vc, const char *dir, char *err, size_t errlen);
void jh_voice_free(jh_voice_clips *vc);

/* Joins the script's clips at `volume` (0..100) into a malloc'd buffer of samples. */
int jh_voice_render(const jh_voice_clips *vc, const jh_voice_script *s, int volume,
                    int16_t **pcm, size_t *n, char *err, size_t errlen);

#endif
