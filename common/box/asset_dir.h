/* SPDX-License-Identifier: MIT */
/*
 * asset_dir — where a program finds the read-only files it loads at run time
 * (today: the boards' voice clips) once it is installed.
 *
 * Owns the one rule, so the same binary works from the build tree, from an
 * installed tree wherever it was put (a DESTDIR staging area, an image being
 * assembled) and at the place it was built for:
 *   1. <directory of this executable>/JH_ASSET_REL (../share/jiaohao) when
 *      that directory exists: an installed tree, or the build tree, where
 *      CMake links <build>/share/jiaohao to the source's assets/;
 *   2. otherwise JH_ASSET_DIR, fixed at build time (CMAKE_INSTALL_FULL_DATADIR
 *      /jiaohao; `cmake -DJH_ASSET_DIR=DIR` overrides it).
 * A program's own option (jiaohao-display --voice-dir) comes before both.
 */
#ifndef JH_ASSET_DIR_H
#define JH_ASSET_DIR_H

#include <stddef.h>

/* "<asset dir>/<rel>" into out. -1 with err when it does not fit. */
int jh_asset_path(const char *rel, char *out, size_t outlen, char *err, size_t errlen);

#endif
