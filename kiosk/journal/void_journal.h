/* SPDX-License-Identifier: MIT */
/*
 * void_journal — the kiosk's memory of numbers that nobody may hold, on disk.
 *
 * Owns: one small text file per kiosk, <state dir>/<kiosk-id>.journal, that
 * lists what kiosk_flow must not forget across a crash or a power cut: takes
 * sent without an answer yet (the caller may have issued a number), the
 * ticket being printed, and voids the caller has not acknowledged. The kiosk
 * rewrites it (write a temporary file, fsync it, rename it over, fsync the
 * directory) before it sends a take and before it prints, and again when an
 * answer or the printer settles an entry; at start it voids whatever is left.
 * Without it a kiosk killed between the caller's "ok" and the paper leaves a
 * ghost number that boards call although nobody holds it.
 *
 * The format (one line each, printable ASCII, single spaces):
 *
 *   jiaohao-kiosk-journal 1 <kiosk-id>
 *   take <take-id> <service> <priority> <zh|en>
 *   print <take-id> <ticket>
 *   void <void-id> <ticket> <reason, to the end of the line>
 *   end <number of entries>
 *
 * The last line makes a truncated file detectable. A file that does not parse
 * — truncated, corrupted, or written by another kiosk — is refused with one
 * line naming the file, the line and the fault, and set aside (renamed to
 * <name>.bad-<unix time>) so the kiosk starts clean and staff can read it.
 * No I/O happens in the parser and formatter; only jh_vj_store_* touch files.
 */
#ifndef JH_VOID_JOURNAL_H
#define JH_VOID_JOURNAL_H

#include <stddef.h>

#include "hall_config.h"
#include "protocol.h"

#define JH_VJ_MAX 40              /* entries: kiosk_flow keeps at most 16 takes, 1 print, 16 voids */
#define JH_VJ_MAX_BYTES 65536     /* a larger file is corrupt, not read */
#define JH_VJ_PATH_LEN 512

typedef enum { JH_VJ_TAKE = 1, JH_VJ_PRINT, JH_VJ_VOID } jh_vj_kind;

typedef struct {
    jh_vj_kind kind;
    char id[JH_CMD_ID_LEN];   /* take, print: the take's command id; void: the void's */
    char ticket[JH_ID_LEN];   /* print, void */
    char service[JH_ID_LEN];  /* take */
    jh_priority priority;     /* take */
    int lang_en;              /* take */
    char reason[JH_TEXT_LEN]; /* void: printable ASCII, 1..127 bytes */
} jh_vj_entry;

typedef struct {
    char kiosk_id[JH_ID_LEN];
    int n;
    jh_vj_entry e[JH_VJ_MAX];
} jh_vj;

/*
 * Reads a journal's text (`len` bytes, not NUL-terminated). With `kiosk_id`
 * non-NULL the file must have been written by that kiosk. 0, or -1 with
 * "<name>:<line>: <what is wrong>" in err and *out empty.
 */
int jh_vj_parse(const char *text, size_t len, const char *name, const char *kiosk_id, jh_vj *out,
                char *err, size_t errlen);

/* The text of *j (malloc'd), or NULL when an entry would not read back (bad id, reason). */
char *jh_vj_format(const jh_vj *j);

/* ---- the file ---- */

typedef struct {
    char dir[JH_VJ_PATH_LEN];
    char path[JH_VJ_PATH_LEN + JH_ID_LEN + 16];
    char kiosk_id[JH_ID_LEN];
    int lock_fd;
} jh_vj_store;

/*
 * The journal of `kiosk_id` in `dir`, which is created (mode 700) when only
 * its last component is missing. Two processes of one kiosk would undo each
 * other's entries, so <kiosk-id>.lock is held (flock) until jh_vj_store_close.
 * 0, or -1 with err (not a directory, not writable, path too long, in use).
 */
int jh_vj_store_open(jh_vj_store *s, const char *dir, const char *kiosk_id, char *err, size_t errlen);
void jh_vj_store_close(jh_vj_store *s);

/*
 * Reads the journal. 0: *out holds it (empty when there is none yet).
 * 1: it did not parse; it was renamed to `aside` and err says why; *out is
 * empty. -1: it could not be read or set aside (err).
 */
int jh_vj_store_load(const jh_vj_store *s, jh_vj *out, char *aside, size_t asidelen, char *err,
                     size_t errlen);

/* Replaces the journal by *j, durably (file and directory fsynced). 0, or -1 with err. */
int jh_vj_store_save(const jh_vj_store *s, const jh_vj *j, char *err, size_t errlen);

#endif
