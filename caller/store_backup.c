/* SPDX-License-Identifier: MIT */
/*
 * store_backup — an online, consistent copy of the store (see store_backup.h).
 *
 * The copy is taken in one sqlite3_backup_step(-1) on a read-only connection:
 * that holds one read transaction for the whole copy, so in WAL mode writers
 * (this hall's caller, or any other process on the store) carry on and the
 * copy is exactly the state at its start. It is written beside the target as
 * FILE.tmp and only renamed into place after fsync, so a crash or a full disk
 * never leaves a half copy under the real name.
 */
#include "store_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 10000

static int fail(char *err, size_t errlen, const char *what, const char *path, const char *why)
{
    snprintf(err, errlen, "%s %s: %s", what, path, why);
    return -1;
}

static int db_fail(char *err, size_t errlen, const char *what, const char *path, sqlite3 *db)
{
    return fail(err, errlen, what, path, db ? sqlite3_errmsg(db) : "out of memory");
}

/* Copies src into the (new, empty) file tmp; the copy is left a plain
 * rollback-journal database, one self-contained file. */
static int copy_into(sqlite3 *src, const char *db_path, const char *tmp, int64_t *tickets,
                     char *err, size_t errlen)
{
    /* Created here, not by SQLite: mode 600 whatever the umask (the copy holds
     * staff and ratings), and O_EXCL never follows a planted link. */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return fail(err, errlen, "cannot create", tmp, strerror(errno));
    close(fd);
    sqlite3 *dst = NULL;
    int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL);
    if (rc != SQLITE_OK) {
        db_fail(err, errlen, "cannot create", tmp, dst);
        sqlite3_close(dst);
        return -1;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (b) {
        rc = sqlite3_backup_step(b, -1);
        sqlite3_backup_finish(b);
    }
    if (!b || rc != SQLITE_DONE) {
        /* Both a failed init and a failed step leave their error on dst
         * (disk full, or busy when the store stayed locked past the timeout). */
        db_fail(err, errlen, "cannot copy", db_path, dst);
        sqlite3_close(dst);
        return -1;
    }
    sqlite3_stmt *q = NULL;
    rc = sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(dst, "SELECT count(*) FROM tickets", -1, &q, NULL);
    if (rc == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        *tickets = sqlite3_column_int64(q, 0);
    else
        rc = SQLITE_ERROR;
    if (rc != SQLITE_OK)
        db_fail(err, errlen, "not a Jiaohao store:", db_path, dst);
    sqlite3_finalize(q);
    sqlite3_close(dst);
    return rc == SQLITE_OK ? 0 : -1;
}

static int fsync_path(const char *path, int flags)
{
    int fd = open(path, flags);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

/* fsync, then into place: without force, link() refuses an existing dest
 * atomically (a plain check before rename would race another backup). */
static int publish(const char *tmp, const char *dest, int force, char *err, size_t errlen)
{
    if (fsync_path(tmp, O_RDONLY) < 0)
        return fail(err, errlen, "cannot sync", tmp, strerror(errno));
    if (force ? rename(tmp, dest) < 0 : link(tmp, dest) < 0) {
        int e = errno;
        unlink(tmp);
        return fail(err, errlen, "cannot write", dest,
                    e == EEXIST ? "it exists (--force replaces it)" : strerror(e));
    }
    if (!force)
        unlink(tmp);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", dest);
    if (fsync_path(dirname(dir), O_RDONLY | O_DIRECTORY) < 0)
        return fail(err, errlen, "cannot sync the directory of", dest, strerror(errno));
    return 0;
}

static int open_source(const char *db_path, sqlite3 **src, char *err, size_t errlen)
{
    struct stat st;
    if (stat(db_path, &st) < 0)
        return fail(err, errlen, "no store at", db_path, strerror(errno));
    if (sqlite3_open_v2(db_path, src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        db_fail(err, errlen, "cannot open", db_path, *src);
        sqlite3_close(*src);
        *src = NULL;
        return -1;
    }
    sqlite3_busy_timeout(*src, BUSY_TIMEOUT_MS);
    return 0;
}

int jh_store_backup(const char *db_path, const char *dest, int force, jh_backup_info *info,
                    char *err, size_t errlen)
{
    char tmp[4096];
    struct stat st;
    *info = (jh_backup_info){0};
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", dest) >= sizeof tmp)
        return fail(err, errlen, "cannot write", dest, "name too long");
    if (!force && lstat(dest, &st) == 0)
        return fail(err, errlen, "cannot write", dest, "it exists (--force replaces it)");
    sqlite3 *src = NULL;
    if (open_source(db_path, &src, err, errlen) < 0)
        return -1;
    /* A FILE.tmp left by an interrupted backup is ours to replace. */
    if (unlink(tmp) < 0 && errno != ENOENT) {
        sqlite3_close(src);
        return fail(err, errlen, "cannot replace", tmp, strerror(errno));
    }
    int rc = copy_into(src, db_path, tmp, &info->tickets, err, errlen);
    sqlite3_close(src);
    if (rc == 0)
        rc = publish(tmp, dest, force, err, errlen);
    else
        unlink(tmp);
    if (rc == 0 && stat(dest, &st) == 0)
        info->bytes = st.st_size;
    return rc;
}
