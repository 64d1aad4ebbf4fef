/* SPDX-License-Identifier: MIT */
/*
 * wav — the one audio format of the voice clips: RIFF WAV, 16 kHz, mono, s16le.
 *
 * Owns: reading a clip file into samples (refusing anything else with a clear
 * message, so a wrongly converted recording is caught at start-up, not heard as
 * noise) and writing samples back out (the --voice-out test hook). Parsing is
 * strict about sizes and never trusts a chunk length past the end of the data.
 */
#ifndef JH_WAV_H
#define JH_WAV_H

#include <stddef.h>
#include <stdint.h>

#define JH_WAV_RATE 16000

/* Parses a WAV image in memory. On success *samples is malloc'd. */
int jh_wav_parse(const uint8_t *data, size_t len, int16_t **samples, size_t *n,
                 char *err, size_t errlen);

/* Reads a WAV file (at most 16 MiB). */
int jh_wav_read(const char *path, int16_t **samples, size_t *n, char *err, size_t errlen);

/* Writes samples as a 16 kHz mono s16 WAV, replacing the file atomically. */
int jh_wav_write(const char *path, const int16_t *samples, size_t n, char *err, size_t errlen);

#endif
