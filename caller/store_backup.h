/* SPDX-License-Identifier: MIT */
/*
 * store_backup — an online, consistent copy of the store (jiaohao-caller backup).
 *
 * Owns: copying a live SQLite store with SQLite's online backup API from a
 * read connection, so callers writing the store meanwhile are never stopped
 * and the copy is one state the store was really in; writing it crash-safely
 * (FILE.tmp, fsync, rename) and never replacing FILE unless asked to.
 * Prints nothing: errors come back as one line in err.
 */
#ifndef JH_STORE_BACKUP_H
#define JH_STORE_BACKUP_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int64_t bytes;   /* size of the copy */
    int64_t tickets; /* rows in its tickets table */
} jh_backup_info;

/* Copies the store at db_path to dest. An existing dest is an error unless
 * force. 0 on success (info filled), -1 with a message in err. */
int jh_store_backup(const char *db_path, const char *dest, int force, jh_backup_info *info,
                    char *err, size_t errlen);

#endif
