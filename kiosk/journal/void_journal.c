/* SPDX-License-Identifier: MIT */
/*
 * void_journal — the kiosk's journal file (see void_journal.h).
 *
 * Why the whole file is rewritten each time instead of appended to: it holds
 * a handful of lines at most, and write-then-rename means a reader only ever
 * sees the old journal or the new one, never half a line — so anything that
 * does not parse is damage from outside (a disk fault, a hand edit), and is
 * set aside rather than guessed at.
 */
#include "void_journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "jiaohao-kiosk-journal"
#define VERSION "1"
#define LINE_MAX_LEN 512

/* ---- what a field may hold ---- */

/* 1..cap-1 bytes, each from `lo` to '~': printable ASCII, with (' ') or without ('!') spaces. */
static int ascii_ok(const char *s, size_t cap, char lo)
{
    size_t n = strlen(s);
    if (n < 1 || n >= cap)
        return 0;
    for (; *s; s++)
        if (*s < lo || *s > '~')
            return 0;
    return 1;
}

/* A command id, as the protocol says; a void's reason, which the caller stores and shows. */
static int cmd_id_ok(const char *s) { return ascii_ok(s, JH_CMD_ID_LEN, '!'); }
static int reason_ok(const char *s) { return ascii_ok(s, JH_TEXT_LEN, ' '); }

static int entry_ok(const jh_vj_entry *e)
{
    if (!cmd_id_ok(e->id))
        return 0;
    switch (e->kind) {
    case JH_VJ_TAKE:
        return jh_valid_id(e->service) && e->priority >= JH_PRIO_NONE && e->priority < JH_PRIO_COUNT;
    case JH_VJ_PRINT: return jh_valid_id(e->ticket);
    case JH_VJ_VOID: return jh_valid_id(e->ticket) && reason_ok(e->reason);
    }
    return 0;
}

/* ---- parsing ---- */

/*
 * Splits `s` at single spaces into at most `max` fields; with `rest` the last
 * one takes the remainder of the line, spaces included. The number of fields,
 * or -1 when a field is empty (two spaces, a space at either end) or there
 * are more than `max`.
 */
static int split(char *s, char **f, int max, int rest)
{
    int n = 0;
    for (;;) {
        if (rest && n == max - 1) {
            f[n++] = s;
            return *s ? n : -1;
        }
        if (n == max)
            return -1;
        char *sp = strchr(s, ' ');
        f[n++] = s;
        if (sp == s || (!sp && !*s))
            return -1;
        if (!sp)
            return n;
        *sp = '\0';
        s = sp + 1;
    }
}

static int copy_field(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        return -1;
    memcpy(dst, src, n + 1);
    return 0;
}

/* Fields 1 and 2 of a print or void line: the command id and the ticket. */
static int id_and_ticket(jh_vj_entry *e, char **f, const char *kind, char *why, size_t wl)
{
    if (copy_field(e->id, sizeof e->id, f[1]) < 0 || !cmd_id_ok(e->id))
        return snprintf(why, wl, "%s: bad command id", kind), -1;
    if (copy_field(e->ticket, sizeof e->ticket, f[2]) < 0 || !jh_valid_id(e->ticket))
        return snprintf(why, wl, "%s: bad ticket", kind), -1;
    return 0;
}

/* One entry line into *e. 0, or -1 with why. */
static int parse_entry(char *line, jh_vj_entry *e, char *why, size_t wl)
{
    char *f[5];
    memset(e, 0, sizeof *e);
    if (strncmp(line, "take ", 5) == 0) {
        if (split(line, f, 5, 0) != 5)
            return snprintf(why, wl, "a take line is 'take ID SERVICE PRIORITY LANG'"), -1;
        e->kind = JH_VJ_TAKE;
        int p = jh_priority_parse(f[3]);
        if (copy_field(e->id, sizeof e->id, f[1]) < 0 || !cmd_id_ok(e->id))
            return snprintf(why, wl, "take: bad command id"), -1;
        if (copy_field(e->service, sizeof e->service, f[2]) < 0 || !jh_valid_id(e->service))
            return snprintf(why, wl, "take: bad service code"), -1;
        if (p < 0)
            return snprintf(why, wl, "take: unknown priority '%.40s'", f[3]), -1;
        e->priority = (jh_priority)p;
        if (strcmp(f[4], "zh") != 0 && strcmp(f[4], "en") != 0)
            return snprintf(why, wl, "take: language is zh or en"), -1;
        e->lang_en = strcmp(f[4], "en") == 0;
        return 0;
    }
    if (strncmp(line, "print ", 6) == 0) {
        if (split(line, f, 3, 0) != 3)
            return snprintf(why, wl, "a print line is 'print TAKE-ID TICKET'"), -1;
        e->kind = JH_VJ_PRINT;
        return id_and_ticket(e, f, "print", why, wl);
    }
    if (strncmp(line, "void ", 5) == 0) {
        if (split(line, f, 4, 1) != 4)
            return snprintf(why, wl, "a void line is 'void ID TICKET REASON'"), -1;
        e->kind = JH_VJ_VOID;
        if (id_and_ticket(e, f, "void", why, wl) < 0)
            return -1;
        if (copy_field(e->reason, sizeof e->reason, f[3]) < 0 || !reason_ok(e->reason))
            return snprintf(why, wl, "void: the reason is longer than %d bytes", JH_TEXT_LEN - 1), -1;
        return 0;
    }
    return snprintf(why, wl, "not a journal line"), -1;
}

static int parse_header(char *line, const char *kiosk_id, jh_vj *out, char *why, size_t wl)
{
    char *f[3];
    if (split(line, f, 3, 0) != 3 || strcmp(f[0], MAGIC) != 0)
        return snprintf(why, wl, "not a kiosk journal (no '" MAGIC "' header)"), -1;
    if (strcmp(f[1], VERSION) != 0)
        return snprintf(why, wl, "journal version '%.20s' is not understood (this kiosk writes " VERSION ")",
                        f[1]), -1;
    if (copy_field(out->kiosk_id, sizeof out->kiosk_id, f[2]) < 0 || !jh_valid_id(out->kiosk_id))
        return snprintf(why, wl, "bad kiosk id in the header"), -1;
    if (kiosk_id && strcmp(kiosk_id, out->kiosk_id) != 0)
        return snprintf(why, wl, "written by kiosk '%s', not by '%s'", out->kiosk_id, kiosk_id), -1;
    return 0;
}

/* "end N": 1 when it is the end line and N is the number of entries read. */
static int parse_end(const char *line, int n, char *why, size_t wl)
{
    const char *d = line + 4;
    if (!*d || strlen(d) > 3 || (d[0] == '0' && d[1]) || strspn(d, "0123456789") != strlen(d))
        return snprintf(why, wl, "an end line is 'end COUNT'"), -1;
    if (atoi(d) != n)
        return snprintf(why, wl, "the end line counts %s entries, the file has %d (lines lost)", d, n), -1;
    return 0;
}

static int parse_lines(const char *text, size_t len, const char *kiosk_id, jh_vj *out, int *lineno,
                       char *why, size_t wl)
{
    size_t pos = 0;
    char line[LINE_MAX_LEN];
    for (*lineno = 1;; ++*lineno) {
        if (pos == len)
            return snprintf(why, wl, "%s", *lineno == 1 ? "empty file" : "truncated: no end line"), -1;
        const char *nl = memchr(text + pos, '\n', len - pos);
        if (!nl)
            return snprintf(why, wl, "truncated: the last line has no end"), -1;
        size_t n = (size_t)(nl - (text + pos));
        if (n >= sizeof line)
            return snprintf(why, wl, "line longer than %d bytes", LINE_MAX_LEN - 1), -1;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)text[pos + i] < 0x20 || (unsigned char)text[pos + i] > 0x7e)
                return snprintf(why, wl, "byte 0x%02x is not printable ASCII", (unsigned char)text[pos + i]), -1;
        memcpy(line, text + pos, n);
        line[n] = '\0';
        pos += n + 1;
        if (*lineno == 1) {
            if (parse_header(line, kiosk_id, out, why, wl) < 0)
                return -1;
            continue;
        }
        if (strncmp(line, "end ", 4) == 0) {
            if (parse_end(line, out->n, why, wl) < 0)
                return -1;
            if (pos != len)
                return snprintf(why, wl, "text after the end line"), -1;
            return 0;
        }
        if (out->n == JH_VJ_MAX)
            return snprintf(why, wl, "more than %d entries", JH_VJ_MAX), -1;
        jh_vj_entry *e = &out->e[out->n];
        if (parse_entry(line, e, why, wl) < 0)
            return -1;
        for (int i = 0; i < out->n; i++)
            if (strcmp(out->e[i].id, e->id) == 0)
                return snprintf(why, wl, "command id %s appears twice", e->id), -1;
        out->n++;
    }
}

int jh_vj_parse(const char *text, size_t len, const char *name, const char *kiosk_id, jh_vj *out,
                char *err, size_t errlen)
{
    char why[200];
    int lineno = 0;
    memset(out, 0, sizeof *out);
    if (len > JH_VJ_MAX_BYTES) {
        snprintf(err, errlen, "%s: larger than %d bytes", name, JH_VJ_MAX_BYTES);
        return -1;
    }
    if (parse_lines(text, len, kiosk_id, out, &lineno, why, sizeof why) < 0) {
        snprintf(err, errlen, "%s:%d: %s", name, lineno, why);
        memset(out, 0, sizeof *out);
        return -1;
    }
    return 0;
}

/* ---- formatting ---- */

char *jh_vj_format(const jh_vj *j)
{
    if (!jh_valid_id(j->kiosk_id) || j->n < 0 || j->n > JH_VJ_MAX)
        return NULL;
    size_t cap = 64 + JH_ID_LEN + (size_t)j->n * LINE_MAX_LEN + 16, used = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    used += (size_t)snprintf(buf, cap, MAGIC " " VERSION " %s\n", j->kiosk_id);
    for (int i = 0; i < j->n; i++) {
        const jh_vj_entry *e = &j->e[i];
        if (!entry_ok(e)) {
            free(buf);
            return NULL;
        }
        if (e->kind == JH_VJ_TAKE)
            used += (size_t)snprintf(buf + used, cap - used, "take %s %s %s %s\n", e->id, e->service,
                                     jh_priority_name(e->priority), e->lang_en ? "en" : "zh");
        else if (e->kind == JH_VJ_PRINT)
            used += (size_t)snprintf(buf + used, cap - used, "print %s %s\n", e->id, e->ticket);
        else
            used += (size_t)snprintf(buf + used, cap - used, "void %s %s %s\n", e->id, e->ticket, e->reason);
    }
    snprintf(buf + used, cap - used, "end %d\n", j->n);
    return buf;
}

/* ---- the file ---- */

int jh_vj_store_open(jh_vj_store *s, const char *dir, const char *kiosk_id, char *err, size_t errlen)
{
    struct stat st;
    memset(s, 0, sizeof *s);
    s->lock_fd = -1;
    if (!dir || !*dir || strlen(dir) >= sizeof s->dir)
        return snprintf(err, errlen, "state directory: empty or longer than %d bytes", JH_VJ_PATH_LEN - 1), -1;
    if (!jh_valid_id(kiosk_id))
        return snprintf(err, errlen, "state directory: bad kiosk id"), -1;
    snprintf(s->dir, sizeof s->dir, "%s", dir);
    snprintf(s->kiosk_id, sizeof s->kiosk_id, "%s", kiosk_id);
    snprintf(s->path, sizeof s->path, "%s/%s.journal", dir, kiosk_id);
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return snprintf(err, errlen, "state directory %s: %s", dir, strerror(errno)), -1;
    if (stat(dir, &st) < 0)
        return snprintf(err, errlen, "state directory %s: %s", dir, strerror(errno)), -1;
    if (!S_ISDIR(st.st_mode))
        return snprintf(err, errlen, "state directory %s: not a directory", dir), -1;
    if (access(dir, W_OK | X_OK) < 0)
        return snprintf(err, errlen, "state directory %s: not writable: %s", dir, strerror(errno)), -1;
    char lock[sizeof s->path];
    snprintf(lock, sizeof lock, "%s/%s.lock", dir, kiosk_id);
    if ((s->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
        return snprintf(err, errlen, "%s: %s", lock, strerror(errno)), -1;
    if (flock(s->lock_fd, LOCK_EX | LOCK_NB) < 0) {
        int e = errno;
        jh_vj_store_close(s);
        if (e == EWOULDBLOCK)
            return snprintf(err, errlen, "%s: another jiaohao-kiosk for kiosk %s is running", lock, kiosk_id), -1;
        return snprintf(err, errlen, "%s: %s", lock, strerror(e)), -1;
    }
    return 0;
}

void jh_vj_store_close(jh_vj_store *s)
{
    if (s->lock_fd >= 0)
        close(s->lock_fd); /* and with it the lock */
    s->lock_fd = -1;
}

static int sync_dir(const jh_vj_store *s, char *err, size_t errlen)
{
    int fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) < 0) {
        snprintf(err, errlen, "%s: fsync: %s", s->dir, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

/* Renames the unreadable journal to <path>.bad-<unix time>[-N], never over an older one. */
static int set_aside(const jh_vj_store *s, char *aside, size_t asidelen, char *err, size_t errlen)
{
    long t = (long)time(NULL);
    for (int i = 0; i < 100; i++) {
        char name[sizeof s->path + 40];
        if (i == 0)
            snprintf(name, sizeof name, "%s.bad-%ld", s->path, t);
        else
            snprintf(name, sizeof name, "%s.bad-%ld-%d", s->path, t, i);
        if (access(name, F_OK) == 0)
            continue;
        if (rename(s->path, name) < 0)
            return snprintf(err, errlen, "%s: cannot set it aside: %s", s->path, strerror(errno)), -1;
        snprintf(aside, asidelen, "%s", name);
        return sync_dir(s, err, errlen);
    }
    return snprintf(err, errlen, "%s: cannot set it aside: too many .bad files", s->path), -1;
}

static int read_all(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
    *text = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : (snprintf(err, errlen, "%s: %s", path, strerror(errno)), -1);
    /* One byte more than allowed: a file that fills it is too large, and says so in the parser. */
    char *buf = malloc(JH_VJ_MAX_BYTES + 1);
    size_t got = 0;
    while (buf && got < JH_VJ_MAX_BYTES + 1) {
        ssize_t r = read(fd, buf + got, JH_VJ_MAX_BYTES + 1 - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            free(buf);
            close(fd);
            return -1;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (!buf)
        return snprintf(err, errlen, "out of memory"), -1;
    *text = buf;
    *len = got;
    return 1;
}

int jh_vj_store_load(const jh_vj_store *s, jh_vj *out, char *aside, size_t asidelen, char *err,
                     size_t errlen)
{
    char *text;
    size_t len;
    memset(out, 0, sizeof *out);
    snprintf(out->kiosk_id, sizeof out->kiosk_id, "%s", s->kiosk_id);
    if (asidelen)
        aside[0] = '\0';
    int rc = read_all(s->path, &text, &len, err, errlen);
    if (rc <= 0)
        return rc;
    rc = jh_vj_parse(text, len, s->path, s->kiosk_id, out, err, errlen);
    free(text);
    if (rc == 0)
        return 0;
    snprintf(out->kiosk_id, sizeof out->kiosk_id, "%s", s->kiosk_id);
    char why[400];
    snprintf(why, sizeof why, "%s", err);
    if (set_aside(s, aside, asidelen, err, errlen) < 0)
        return -1;
    snprintf(err, errlen, "%s", why);
    return 1;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int jh_vj_store_save(const jh_vj_store *s, const jh_vj *j, char *err, size_t errlen)
{
    char tmp[sizeof s->path + 8];
    char *text = jh_vj_format(j);
    if (!text)
        return snprintf(err, errlen, "%s: an entry cannot be written (bad id or reason)", s->path), -1;
    snprintf(tmp, sizeof tmp, "%s.tmp", s->path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int rc = fd < 0 || write_all(fd, text, strlen(text)) < 0 || fsync(fd) < 0 ? -1 : 0;
    if (rc < 0)
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
    if (fd >= 0 && close(fd) < 0 && rc == 0) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        rc = -1;
    }
    free(text);
    if (rc == 0 && rename(tmp, s->path) < 0) {
        snprintf(err, errlen, "%s: %s", s->path, strerror(errno));
        rc = -1;
    }
    if (rc < 0) {
        unlink(tmp);
        return -1;
    }
    return sync_dir(s, err, errlen);
}
