/* SPDX-License-Identifier: MIT */
/*
 * asset_dir — the installed assets' directory (see asset_dir.h).
 */
#include "asset_dir.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef JH_ASSET_DIR
#error "JH_ASSET_DIR must be defined by the build (common/CMakeLists.txt)"
#endif
#ifndef JH_ASSET_REL
#error "JH_ASSET_REL must be defined by the build (common/CMakeLists.txt)"
#endif

/* <dir of /proc/self/exe>/JH_ASSET_REL into out when it is a directory. */
static int beside_executable(char *out, size_t outlen)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    char beside[PATH_MAX + 64], real[PATH_MAX];
    struct stat st;
    int len = snprintf(beside, sizeof beside, "%s/%s", exe, JH_ASSET_REL);
    if (len < 0 || (size_t)len >= sizeof beside || stat(beside, &st) != 0 || !S_ISDIR(st.st_mode))
        return -1;
    /* Messages then name /usr/local/share/jiaohao/..., not /usr/local/bin/../share/... */
    const char *dir = realpath(beside, real) ? real : beside;
    len = snprintf(out, outlen, "%s", dir);
    return len < 0 || (size_t)len >= outlen ? -1 : 0;
}

int jh_asset_path(const char *rel, char *out, size_t outlen, char *err, size_t errlen)
{
    char dir[PATH_MAX];
    if (beside_executable(dir, sizeof dir) < 0)
        snprintf(dir, sizeof dir, "%s", JH_ASSET_DIR);
    int len = snprintf(out, outlen, "%s/%s", dir, rel);
    if (len < 0 || (size_t)len >= outlen) {
        snprintf(err, errlen, "asset path %s/%s is too long", dir, rel);
        return -1;
    }
    return 0;
}
