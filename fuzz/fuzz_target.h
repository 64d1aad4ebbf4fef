/* SPDX-License-Identifier: MIT */
/*
 * fuzz_target — the one function every fuzz target defines: libFuzzer calls
 * it in the fuzz build, replay_main.c in every other build.
 */
#ifndef JH_FUZZ_TARGET_H
#define JH_FUZZ_TARGET_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
