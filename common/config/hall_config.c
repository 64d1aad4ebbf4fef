/*
 * hall_config — reads the hall INI into jh_hall_config and refuses anything doubtful.
 *
 * Two layers live here:
 *
 * 1. jh_ini_parse, a small strict INI reader. Why not inih: Debian's libinih 55
 *    is built with a 200-byte line limit and cuts longer lines silently, in the
 *    middle of a UTF-8 character (a 70-Hanzi materials line is 210 bytes); it
 *    treats " ;" as an inline comment, which cuts text and URLs; it glues
 *    indented lines onto the previous value; and it wants a NUL-terminated
 *    buffer. This reader's rules, which assets/hall.ini repeats for operators:
 *      - UTF-8 (optional BOM), LF or CRLF; a NUL byte or broken UTF-8 is an error;
 *      - lines up to JH_INI_MAX_LINE bytes, longer is an error (never truncated);
 *      - '#' or ';' starts a comment only as the first non-blank character;
 *      - "[name]" or "[name arg]", name a-z0-9_-;
 *      - "key = value", key a-z0-9_; the value is the rest of the line, trimmed,
 *        taken literally (no quotes, no escapes, no continuation lines).
 *
 * 2. The hall schema: one table of keys per known section, each key with a
 *    handler that validates and stores it. A key may appear once unless marked
 *    MULTI (hours, material_zh/en). Checks that need a whole section (required
 *    keys, zh/en pairs) run when the section ends; checks that need the whole
 *    file (counter → service references, reset time vs opening hours) run at
 *    the end. Unknown sections are passed over for their own parts; unknown
 *    keys in known sections are errors, because they are nearly always typos.
 */
#include "hall_config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hall_time.h"

#define JH_INI_MAX_LINE 4096
#define INI_NAME_LEN 32
#define INI_ARG_LEN 64

/* ---------------------------------------------------------------- INI reader */

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
static int utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t more;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            more = 1, min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            more = 2, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            more = 3, min = 0x10000;
        } else {
            return 0;
        }
        if (n - i <= more)
            return 0;
        unsigned cp = c & (0x3F >> more);
        for (size_t k = 1; k <= more; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += more + 1;
    }
    return 1;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static int all_of(const char *s, const char *extra_ok, int upper_ok)
{
    for (; *s; s++) {
        char c = *s;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr(extra_ok, c))
            continue;
        if (upper_ok && c >= 'A' && c <= 'Z')
            continue;
        return 0;
    }
    return 1;
}

typedef struct {
    const char *name;
    int line;
    char section[INI_NAME_LEN];
    char arg[INI_ARG_LEN];
    char *err;
    size_t errlen;
} ini_reader;

static void section_desc(const ini_reader *r, char *out, size_t len)
{
    snprintf(out, len, r->arg[0] ? "[%s %s]" : "[%s]", r->section, r->arg);
}

/* "[name]" or "[name arg]" (whole line, already trimmed). */
static int ini_header(ini_reader *r, char *s)
{
    size_t n = strlen(s);
    if (s[n - 1] != ']') {
        snprintf(r->err, r->errlen, "%s:%d: section header '%s' does not end with ']'", r->name,
                 r->line, s);
        return -1;
    }
    s[n - 1] = '\0';
    char *in = trim(s + 1);
    char *sp = in + strcspn(in, " \t");
    char *arg = *sp ? trim(sp + 1) : sp;
    *sp = '\0';
    if (!*in || strlen(in) >= INI_NAME_LEN || !all_of(in, "_-", 0)) {
        snprintf(r->err, r->errlen, "%s:%d: bad section name '%s' (want a-z0-9_-, at most %d)",
                 r->name, r->line, in, INI_NAME_LEN - 1);
        return -1;
    }
    if (strlen(arg) >= INI_ARG_LEN || strpbrk(arg, " \t[]")) {
        snprintf(r->err, r->errlen, "%s:%d: [%s]: bad section argument '%s' (one word, at most %d bytes)",
                 r->name, r->line, in, arg, INI_ARG_LEN - 1);
        return -1;
    }
    snprintf(r->section, sizeof r->section, "%s", in);
    snprintf(r->arg, sizeof r->arg, "%s", arg);
    return 0;
}

static int ini_line(ini_reader *r, char *s, jh_ini_fn fn, void *user)
{
    char why[512] = "", desc[INI_NAME_LEN + INI_ARG_LEN + 4];
    if (*s == '[') {
        if (ini_header(r, s) != 0)
            return -1;
        if (fn(user, r->section, r->arg, NULL, NULL, r->line, why, sizeof why) == 0)
            return 0;
        section_desc(r, desc, sizeof desc);
        snprintf(r->err, r->errlen, "%s:%d: %s: %s", r->name, r->line, desc, why);
        return -1;
    }
    char *eq = strchr(s, '=');
    if (!eq) {
        snprintf(r->err, r->errlen, "%s:%d: expected 'key = value', '[section]' or a comment",
                 r->name, r->line);
        return -1;
    }
    *eq = '\0';
    char *key = trim(s), *value = trim(eq + 1);
    if (!*key || strlen(key) >= INI_ARG_LEN || !all_of(key, "_", 0)) {
        snprintf(r->err, r->errlen, "%s:%d: bad key '%s' (want a-z0-9_)", r->name, r->line, key);
        return -1;
    }
    if (!r->section[0]) {
        snprintf(r->err, r->errlen, "%s:%d: %s: key before any [section]", r->name, r->line, key);
        return -1;
    }
    if (fn(user, r->section, r->arg, key, value, r->line, why, sizeof why) == 0)
        return 0;
    section_desc(r, desc, sizeof desc);
    snprintf(r->err, r->errlen, "%s:%d: %s %s: %s", r->name, r->line, desc, key, why);
    return -1;
}

int jh_ini_parse(const char *text, size_t len, const char *name, jh_ini_fn fn, void *user,
                 char *err, size_t errlen)
{
    ini_reader r = {.name = name, .err = err, .errlen = errlen};
    static char buf_unused; /* keeps `text` non-NULL for memchr when len == 0 */
    if (!text)
        text = &buf_unused, len = 0;
    size_t pos = (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    char buf[JH_INI_MAX_LINE + 1];
    while (pos < len) {
        r.line++;
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;
        pos += n + (nl ? 1 : 0);
        if (n && start[n - 1] == '\r')
            n--;
        if (n > JH_INI_MAX_LINE) {
            snprintf(err, errlen, "%s:%d: line longer than %d bytes", name, r.line, JH_INI_MAX_LINE);
            return -1;
        }
        if (memchr(start, '\0', n)) {
            snprintf(err, errlen, "%s:%d: NUL byte in line", name, r.line);
            return -1;
        }
        if (!utf8_valid((const unsigned char *)start, n)) {
            snprintf(err, errlen, "%s:%d: not valid UTF-8", name, r.line);
            return -1;
        }
        memcpy(buf, start, n);
        buf[n] = '\0';
        char *s = trim(buf);
        if (!*s || *s == '#' || *s == ';')
            continue;
        if (ini_line(&r, s, fn, user) != 0)
            return -1;
    }
    return 0;
}

typedef struct {
    const char *section, *arg;
    jh_ini_key_fn fn;
    void *user;
} ini_layer;

static int layer_entry(void *user, const char *section, const char *arg, const char *key,
                       const char *value, int line, char *why, size_t whylen)
{
    const ini_layer *l = user;
    (void)line;
    if (!key || strcmp(section, l->section) != 0 || strcmp(arg, l->arg) != 0)
        return 0;
    return l->fn(l->user, key, value, why, whylen);
}

/* Two passes rather than one: the override must win even where it comes first. */
int jh_ini_parse_layered(const char *text, size_t len, const char *name, const char *section,
                         const char *id, jh_ini_key_fn fn, void *user, char *err, size_t errlen)
{
    ini_layer l = {.section = section, .arg = "", .fn = fn, .user = user};
    if (jh_ini_parse(text, len, name, layer_entry, &l, err, errlen) != 0)
        return -1;
    if (!id || !*id)
        return 0;
    l.arg = id;
    return jh_ini_parse(text, len, name, layer_entry, &l, err, errlen);
}

char *jh_config_read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = malloc(JH_CONFIG_MAX_BYTES + 1);
    size_t n = buf ? fread(buf, 1, JH_CONFIG_MAX_BYTES + 1, f) : 0;
    int bad = !buf || ferror(f) || n > JH_CONFIG_MAX_BYTES;
    if (bad)
        snprintf(err, errlen, "%s: %s", path,
                 !buf ? "out of memory" : n > JH_CONFIG_MAX_BYTES ? "larger than 1 MiB" : "read error");
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* ------------------------------------------------------------ value parsers */

/* The n bytes at s: an optional '-' (only where lo < 0), then 1..9 digits. */
static int int_span(const char *s, size_t n, int lo, int hi, int *out)
{
    int neg = lo < 0 && n > 0 && *s == '-';
    s += neg;
    n -= (size_t)neg;
    if (n == 0 || n > 9)
        return -1;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (neg)
        v = -v;
    if (v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

int jh_ini_int(const char *v, int lo, int hi, int *out, char *why, size_t whylen)
{
    if (int_span(v, strlen(v), lo, hi, out) == 0)
        return 0;
    if (why)
        snprintf(why, whylen, "'%s': want a whole number %d..%d", v, lo, hi);
    return -1;
}

int jh_ini_size(const char *v, int wlo, int whi, int hlo, int hhi, int *w, int *h)
{
    const char *x = strchr(v, 'x');
    if (!x || int_span(v, (size_t)(x - v), wlo, whi, w) != 0)
        return -1;
    return int_span(x + 1, strlen(x + 1), hlo, hhi, h);
}

int jh_ini_hhmm(const char *s, size_t n, int allow_24, int *out)
{
    if (n != 5 || s[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24)))
        return -1;
    *out = h * 60 + m;
    return 0;
}

int jh_ini_bool(const char *v, unsigned words, int *out)
{
    static const struct {
        unsigned set;
        const char *yes, *no;
    } pairs[] = {{JH_INI_YES_NO, "yes", "no"}, {JH_INI_TRUE_FALSE, "true", "false"},
                 {JH_INI_ONE_ZERO, "1", "0"}, {JH_INI_ON_OFF, "on", "off"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        if (!(words & pairs[i].set))
            continue;
        if (strcasecmp(v, pairs[i].yes) == 0)
            return *out = 1, 0;
        if (strcasecmp(v, pairs[i].no) == 0)
            return *out = 0, 0;
    }
    return -1;
}

/* ------------------------------------------------------------- hall schema */

typedef enum { SEC_NONE, SEC_HALL, SEC_BROKER, SEC_DISPATCH, SEC_PRIORITY, SEC_SERVICE,
               SEC_COUNTER, SEC_KIOSK, SEC_UNKNOWN } sect_kind;

#define MAX_KEYS 16

typedef struct {
    int line;
    char value[JH_LONG_TEXT_LEN];
} deferred_ref;

typedef struct parse parse;

typedef struct key_def {
    const char *key;
    unsigned flags;
    int (*fn)(parse *p, const struct key_def *k, const char *v, char *why, size_t wl);
    size_t off, size; /* field in the section's object, for the generic setters */
    int lo, hi;       /* range for set_int */
} key_def;

#define REQ 1u   /* must be present in the section */
#define MULTI 2u /* may repeat; each line adds */

struct parse {
    jh_hall_config *cfg;
    const char *name;
    sect_kind kind;
    const key_def *keys;
    void *obj; /* what the generic setters write into */
    int sect_line;
    char desc[INI_NAME_LEN + INI_ARG_LEN + 4];
    int key_line[MAX_KEYS]; /* 0 = not seen in this section */
    unsigned singletons;    /* bit per sect_kind seen */
    int reset_line;
    /* failures found outside a key's own handler (section end, whole file) are written
     * here, because the reader would otherwise format them with the current line */
    char msg[1024];
    deferred_ref counter_refs[JH_MAX_COUNTERS];
    deferred_ref kiosk_refs[JH_MAX_KIOSKS];
};

static int failf(parse *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int failf(parse *p, int line, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0)
        snprintf(p->msg, sizeof p->msg, "%s:%d: %s", p->name, line, msg);
    else
        snprintf(p->msg, sizeof p->msg, "%s: %s", p->name, msg);
    return -1;
}

/* Text for a fixed-size field: printable (no control characters) and fits. */
static int check_text(const char *v, size_t size, char *why, size_t wl)
{
    for (const unsigned char *c = (const unsigned char *)v; *c; c++) {
        if (*c < 0x20 || *c == 0x7F) {
            snprintf(why, wl, "'%s': control character", v);
            return -1;
        }
    }
    if (strlen(v) >= size) {
        snprintf(why, wl, "'%s': too long (%zu bytes, at most %zu)", v, strlen(v), size - 1);
        return -1;
    }
    return 0;
}

static int set_text(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    if (!*v && (k->flags & REQ)) {
        snprintf(why, wl, "must not be empty");
        return -1;
    }
    if (check_text(v, k->size, why, wl) != 0)
        return -1;
    memcpy((char *)p->obj + k->off, v, strlen(v) + 1);
    return 0;
}

static int set_int(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    return jh_ini_int(v, k->lo, k->hi, (int *)(void *)((char *)p->obj + k->off), why, wl);
}

/* Minutes in the file, seconds in the struct. */
static int set_minutes(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    int min;
    if (jh_ini_int(v, k->lo, k->hi, &min, NULL, 0) != 0) {
        snprintf(why, wl, "'%s': want minutes %d..%d", v, k->lo, k->hi);
        return -1;
    }
    *(int *)(void *)((char *)p->obj + k->off) = min * 60;
    return 0;
}

static int set_id(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    if (!*v || !all_of(v, "-", 0)) {
        snprintf(why, wl, "'%s': want a-z0-9-", v);
        return -1;
    }
    return set_text(p, k, v, why, wl);
}

static int set_zone(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    char msg[256];
    if (jh_time_zone_check(v, msg, sizeof msg) != 0) {
        snprintf(why, wl, "'%s': %s", v, msg);
        return -1;
    }
    return set_text(p, k, v, why, wl);
}

static int set_reset(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    (void)k;
    if (jh_ini_hhmm(v, strlen(v), 0, &p->cfg->reset_min) != 0) {
        snprintf(why, wl, "'%s': bad time (want HH:MM)", v);
        return -1;
    }
    return 0;
}

/* Goes on a QR code and printers want it plain: printable ASCII, no spaces. */
static int set_url(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    for (const char *c = v; *c; c++) {
        if (*c <= ' ' || *c >= 0x7F) {
            snprintf(why, wl, "'%s': want printable ASCII without spaces", v);
            return -1;
        }
    }
    return set_text(p, k, v, why, wl);
}

static int set_user(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    if (!all_of(v, "-_.", 1)) {
        snprintf(why, wl, "'%s': want A-Z a-z 0-9 - _ .", v);
        return -1;
    }
    return set_text(p, k, v, why, wl);
}

static int set_policy(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    (void)k;
    for (int i = JH_POLICY_STRICT; i <= JH_POLICY_AGEING; i++) {
        if (strcmp(v, jh_policy_name((jh_policy)i)) == 0) {
            p->cfg->policy = (jh_policy)i;
            return 0;
        }
    }
    snprintf(why, wl, "'%s': want strict, ratio, max-consecutive or ageing", v);
    return -1;
}

static int set_requeue(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    (void)k;
    if (strcmp(v, "back") == 0 || strcmp(v, "keep") == 0) {
        p->cfg->requeue = v[0] == 'b' ? JH_REQUEUE_BACK : JH_REQUEUE_KEEP;
        return 0;
    }
    snprintf(why, wl, "'%s': want back or keep", v);
    return -1;
}

/* "1-999" */
static int set_numbers(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    (void)k;
    jh_service_config *s = p->obj;
    char a[16], b[16];
    const char *dash = strchr(v, '-');
    size_t na = dash ? (size_t)(dash - v) : 0;
    if (!dash || na >= sizeof a || strlen(dash + 1) >= sizeof b)
        goto bad;
    memcpy(a, v, na);
    a[na] = '\0';
    strcpy(b, dash + 1);
    if (jh_ini_int(trim(a), 1, 999999, &s->first_number, NULL, 0) != 0 ||
        jh_ini_int(trim(b), 1, 999999, &s->last_number, NULL, 0) != 0 || s->first_number > s->last_number)
        goto bad;
    return 0;
bad:
    snprintf(why, wl, "'%s': want FIRST-LAST, 1 <= FIRST <= LAST <= 999999", v);
    return -1;
}

static int day_index(const char *s, size_t n)
{
    static const char *days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    for (int i = 0; i < 7; i++)
        if (n == 3 && memcmp(s, days[i], 3) == 0)
            return i;
    return -1;
}

/* "mon-fri,sat" → bit per weekday (0 = Sunday); ranges run mon..sun. */
static int parse_days(const char *s, size_t n, unsigned *mask)
{
    *mask = 0;
    while (n) {
        const char *comma = memchr(s, ',', n);
        size_t item = comma ? (size_t)(comma - s) : n;
        const char *dash = memchr(s, '-', item);
        int lo = day_index(s, dash ? (size_t)(dash - s) : item);
        int hi = dash ? day_index(dash + 1, item - (size_t)(dash - s) - 1) : lo;
        if (lo < 0 || hi < lo)
            return -1;
        for (int d = lo; d <= hi; d++)
            *mask |= 1u << ((d + 1) % 7);
        s += item + (comma ? 1 : 0);
        n -= item + (comma ? 1 : 0);
        if (comma && !n)
            return -1;
    }
    return *mask ? 0 : -1;
}

static int add_window(jh_service_config *s, unsigned days, int open, int close, char *why,
                      size_t wl, const char *v)
{
    static const char *names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    for (int d = 0; d < 7; d++) {
        if (!(days & (1u << d)))
            continue;
        for (int i = 0; i < s->n_hours[d]; i++) {
            if (open < s->hours[d][i].close_min && s->hours[d][i].open_min < close) {
                snprintf(why, wl, "'%s': overlaps other hours on %s", v, names[d]);
                return -1;
            }
        }
        if (s->n_hours[d] == JH_MAX_HOURS_PER_DAY) {
            snprintf(why, wl, "'%s': more than %d opening windows on %s", v,
                     JH_MAX_HOURS_PER_DAY, names[d]);
            return -1;
        }
        /* insertion keeps each day's windows in time order */
        int i = s->n_hours[d]++;
        while (i > 0 && s->hours[d][i - 1].open_min > open) {
            s->hours[d][i] = s->hours[d][i - 1];
            i--;
        }
        s->hours[d][i] = (jh_hours){open, close};
    }
    return 0;
}

/* "mon-fri 08:30-12:00 14:00-17:30"; the key may repeat for other days. */
static int set_hours(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    (void)k;
    jh_service_config *s = p->obj;
    const char *c = v;
    size_t n = strcspn(c, " \t");
    unsigned days;
    if (parse_days(c, n, &days) != 0) {
        snprintf(why, wl, "'%s': bad days '%.*s' (want e.g. mon-fri or sat or mon,wed)", v, (int)n, c);
        return -1;
    }
    int windows = 0;
    for (c += n; *c;) {
        c += strspn(c, " \t");
        n = strcspn(c, " \t");
        const char *dash = memchr(c, '-', n);
        int open, close;
        if (!dash || jh_ini_hhmm(c, (size_t)(dash - c), 0, &open) != 0 ||
            jh_ini_hhmm(dash + 1, n - (size_t)(dash - c) - 1, 1, &close) != 0) {
            snprintf(why, wl, "'%s': bad time '%.*s' (want HH:MM-HH:MM)", v, (int)n, c);
            return -1;
        }
        if (open >= close) {
            snprintf(why, wl, "'%s': '%.*s' closes before it opens", v, (int)n, c);
            return -1;
        }
        if (add_window(s, days, open, close, why, wl, v) != 0)
            return -1;
        windows++;
        c += n;
    }
    if (!windows) {
        snprintf(why, wl, "'%s': no opening times (want e.g. mon-fri 08:30-12:00 14:00-17:30)", v);
        return -1;
    }
    return 0;
}

static int set_material(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    jh_service_config *s = p->obj;
    int zh = strcmp(k->key, "material_zh") == 0;
    int *count = &s->n_materials; /* counts zh lines; en lines are checked against it at the end */
    char(*list)[JH_TEXT_LEN] = zh ? s->materials_zh : s->materials_en;
    int i = 0;
    while (i < JH_MAX_MATERIALS && list[i][0])
        i++;
    if (i == JH_MAX_MATERIALS) {
        snprintf(why, wl, "more than %d materials", JH_MAX_MATERIALS);
        return -1;
    }
    if (!*v) {
        snprintf(why, wl, "must not be empty");
        return -1;
    }
    if (check_text(v, JH_TEXT_LEN, why, wl) != 0)
        return -1;
    memcpy(list[i], v, strlen(v) + 1);
    if (zh)
        *count = i + 1;
    return 0;
}

/* Deferred: services may be defined after the counters that serve them. */
static int set_refs(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    (void)k;
    deferred_ref *r = p->kind == SEC_COUNTER ? &p->counter_refs[p->cfg->n_counters - 1]
                                             : &p->kiosk_refs[p->cfg->n_kiosks - 1];
    if (check_text(v, sizeof r->value, why, wl) != 0)
        return -1;
    r->line = p->key_line[k - p->keys];
    memcpy(r->value, v, strlen(v) + 1);
    return 0;
}

static int set_counter_number(parse *p, const key_def *k, const char *v, char *why, size_t wl)
{
    jh_counter_config *c = p->obj;
    if (set_int(p, k, v, why, wl) != 0)
        return -1;
    for (int i = 0; i < p->cfg->n_counters - 1; i++) {
        if (p->cfg->counters[i].number == c->number) {
            snprintf(why, wl, "'%s': number already used by [counter %s]", v, p->cfg->counters[i].id);
            return -1;
        }
    }
    return 0;
}

#define F(type, m) offsetof(type, m), sizeof(((type *)0)->m)
#define H(m) F(jh_hall_config, m)
#define S(m) F(jh_service_config, m)
#define C(m) F(jh_counter_config, m)

static const key_def hall_keys[] = {
    {"site", REQ, set_id, H(site), 0, 0},
    {"name_zh", REQ, set_text, H(name_zh), 0, 0},
    {"name_en", REQ, set_text, H(name_en), 0, 0},
    {"timezone", REQ, set_zone, H(timezone), 0, 0},
    {"reset_at", 0, set_reset, 0, 0, 0, 0},
    {"hotline", 0, set_text, H(hotline), 0, 0},
    {"rating_url", 0, set_url, H(rating_url), 0, 0},
    {"data_dir", 0, set_text, H(data_dir), 0, 0},
    {NULL, 0, NULL, 0, 0, 0, 0},
};

static const key_def broker_keys[] = {
    {"host", REQ, set_text, H(broker_host), 0, 0},
    {"port", 0, set_int, H(broker_port), 1, 65535},
    {"user", 0, set_user, H(broker_user), 0, 0},
    {"password", 0, set_text, H(broker_password), 0, 0},
    {"password_file", 0, set_text, H(broker_password_file), 0, 0},
    {"credentials_dir", 0, set_text, H(broker_credentials_dir), 0, 0},
    {"cafile", 0, set_text, H(broker_cafile), 0, 0},
    {"certfile", 0, set_text, H(broker_certfile), 0, 0},
    {"keyfile", 0, set_text, H(broker_keyfile), 0, 0},
    {NULL, 0, NULL, 0, 0, 0, 0},
};

static const key_def dispatch_keys[] = {
    {"policy", 0, set_policy, 0, 0, 0, 0},
    {"ratio", 0, set_int, H(ratio), 1, 100},
    {"max_consecutive", 0, set_int, H(max_consecutive), 1, 100},
    {"ageing_minutes", 0, set_minutes, H(ageing_s), 1, 1440},
    {"recall_limit", 0, set_int, H(recall_limit), 0, 10},
    {"requeue", 0, set_requeue, 0, 0, 0, 0},
    {"wait_alert_minutes", 0, set_minutes, H(wait_alert_s), 1, 1440},
    {NULL, 0, NULL, 0, 0, 0, 0},
};

static const key_def priority_keys[] = {
    {"elderly_zh", 0, set_text, H(priority_zh[JH_PRIO_ELDERLY]), 0, 0},
    {"elderly_en", 0, set_text, H(priority_en[JH_PRIO_ELDERLY]), 0, 0},
    {"disabled_zh", 0, set_text, H(priority_zh[JH_PRIO_DISABLED]), 0, 0},
    {"disabled_en", 0, set_text, H(priority_en[JH_PRIO_DISABLED]), 0, 0},
    {"pregnant_zh", 0, set_text, H(priority_zh[JH_PRIO_PREGNANT]), 0, 0},
    {"pregnant_en", 0, set_text, H(priority_en[JH_PRIO_PREGNANT]), 0, 0},
    {"other_zh", 0, set_text, H(priority_zh[JH_PRIO_OTHER]), 0, 0},
    {"other_en", 0, set_text, H(priority_en[JH_PRIO_OTHER]), 0, 0},
    {NULL, 0, NULL, 0, 0, 0, 0},
};

static const key_def service_keys[] = {
    {"name_zh", REQ, set_text, S(name_zh), 0, 0},
    {"name_en", REQ, set_text, S(name_en), 0, 0},
    {"numbers", REQ, set_numbers, 0, 0, 0, 0},
    {"width", 0, set_int, S(width), 1, 6},
    {"daily_limit", 0, set_int, S(daily_limit), 1, 999999},
    {"hours", REQ | MULTI, set_hours, 0, 0, 0, 0},
    {"target_minutes", REQ, set_minutes, S(target_service_s), 1, 480},
    {"time_limit_zh", 0, set_text, S(time_limit_zh), 0, 0},
    {"time_limit_en", 0, set_text, S(time_limit_en), 0, 0},
    {"material_zh", MULTI, set_material, 0, 0, 0, 0},
    {"material_en", MULTI, set_material, 0, 0, 0, 0},
    {NULL, 0, NULL, 0, 0, 0, 0},
};

static const key_def counter_keys[] = {
    {"number", REQ, set_counter_number, C(number), 1, 9999},
    {"name_zh", REQ, set_text, C(name_zh), 0, 0},
    {"name_en", REQ, set_text, C(name_en), 0, 0},
    {"services", REQ, set_refs, 0, 0, 0, 0},
    {NULL, 0, NULL, 0, 0, 0, 0},
};

static const key_def kiosk_keys[] = {
    {"services", 0, set_refs, 0, 0, 0, 0},
    {NULL, 0, NULL, 0, 0, 0, 0},
};

static const key_def *find_key(const key_def *keys, const char *key)
{
    for (; keys->key; keys++)
        if (strcmp(keys->key, key) == 0)
            return keys;
    return NULL;
}

/* Line of `key` in the current section, or the section header when not seen. */
static int line_of(const parse *p, const char *key)
{
    const key_def *k = find_key(p->keys, key);
    return k && p->key_line[k - p->keys] ? p->key_line[k - p->keys] : p->sect_line;
}

static int seen(const parse *p, const char *key)
{
    const key_def *k = find_key(p->keys, key);
    return k && p->key_line[k - p->keys];
}

/* Both or neither of a zh/en pair. */
static int check_pair(parse *p, const char *zh, const char *en)
{
    if (seen(p, zh) == seen(p, en))
        return 0;
    const char *have = seen(p, zh) ? zh : en, *miss = seen(p, zh) ? en : zh;
    return failf(p, line_of(p, have), "%s %s: given without %s", p->desc, have, miss);
}

static int end_service(parse *p)
{
    jh_service_config *s = p->obj;
    int range = s->last_number - s->first_number + 1;
    int digits = 1;
    for (int v = s->last_number; v >= 10; v /= 10)
        digits++;
    if (!seen(p, "width"))
        s->width = digits;
    else if (digits > s->width)
        return failf(p, line_of(p, "width"), "%s width: %d digits cannot show number %d",
                     p->desc, s->width, s->last_number);
    if (!seen(p, "daily_limit"))
        s->daily_limit = range;
    else if (s->daily_limit > range)
        return failf(p, line_of(p, "daily_limit"),
                     "%s daily_limit: %d is more than the %d numbers in %d-%d", p->desc,
                     s->daily_limit, range, s->first_number, s->last_number);
    int n_en = 0;
    while (n_en < JH_MAX_MATERIALS && s->materials_en[n_en][0])
        n_en++;
    if (n_en != s->n_materials)
        return failf(p, line_of(p, n_en > s->n_materials ? "material_en" : "material_zh"),
                     "%s material_zh/material_en: %d zh lines but %d en lines (they pair up in order)",
                     p->desc, s->n_materials, n_en);
    return check_pair(p, "time_limit_zh", "time_limit_en");
}

static int end_broker(parse *p)
{
    jh_hall_config *c = p->cfg;
    if (c->broker_password[0] && c->broker_password_file[0])
        return failf(p, line_of(p, "password_file"),
                     "%s password_file: give password or password_file, not both", p->desc);
    if (!c->broker_certfile[0] != !c->broker_keyfile[0])
        return failf(p, line_of(p, c->broker_certfile[0] ? "certfile" : "keyfile"),
                     "%s %s: certfile and keyfile go together", p->desc,
                     c->broker_certfile[0] ? "certfile" : "keyfile");
    return 0;
}

static int end_section(parse *p)
{
    if (!p->keys)
        return 0;
    for (const key_def *k = p->keys; k->key; k++)
        if ((k->flags & REQ) && !p->key_line[k - p->keys])
            return failf(p, p->sect_line, "%s %s: missing", p->desc, k->key);
    switch (p->kind) {
    case SEC_SERVICE: return end_service(p);
    case SEC_BROKER: return end_broker(p);
    case SEC_HALL: return check_pair(p, "name_zh", "name_en");
    default: return 0;
    }
}

static int begin_singleton(parse *p, sect_kind kind, const key_def *keys, const char *arg,
                           char *why, size_t wl)
{
    if (*arg) {
        snprintf(why, wl, "takes no argument");
        return -1;
    }
    if (p->singletons & (1u << kind)) {
        snprintf(why, wl, "section given twice");
        return -1;
    }
    p->singletons |= 1u << kind;
    p->keys = keys;
    p->obj = p->cfg;
    return 0;
}

static int begin_service(parse *p, const char *code, char *why, size_t wl)
{
    jh_hall_config *c = p->cfg;
    size_t n = strlen(code);
    if (n < 1 || n > 2 || code[0] < 'A' || code[0] > 'Z' || (n == 2 && (code[1] < 'A' || code[1] > 'Z'))) {
        snprintf(why, wl, "service code '%s': want 1-2 capital letters", code);
        return -1;
    }
    if (jh_config_service_index(c, code) >= 0) {
        snprintf(why, wl, "service %s given twice", code);
        return -1;
    }
    if (c->n_services == JH_MAX_SERVICES) {
        snprintf(why, wl, "more than %d services", JH_MAX_SERVICES);
        return -1;
    }
    jh_service_config *s = &c->services[c->n_services++];
    memcpy(s->code, code, n + 1);
    p->obj = s;
    p->keys = service_keys;
    return 0;
}

static int begin_device(parse *p, int counter, const char *id, char *why, size_t wl)
{
    jh_hall_config *c = p->cfg;
    const char *what = counter ? "counter" : "kiosk";
    if (!*id || strlen(id) >= JH_ID_LEN || !all_of(id, "-", 0)) {
        snprintf(why, wl, "%s id '%s': want a-z0-9-, 1-%d characters", what, id, JH_ID_LEN - 1);
        return -1;
    }
    int dup = counter ? jh_config_counter_index(c, id) : jh_config_kiosk_index(c, id);
    int full = counter ? c->n_counters == JH_MAX_COUNTERS : c->n_kiosks == JH_MAX_KIOSKS;
    if (dup >= 0 || full) {
        snprintf(why, wl, dup >= 0 ? "%s %s given twice" : "too many %ss", what, id);
        return -1;
    }
    if (counter) {
        jh_counter_config *cc = &c->counters[c->n_counters++];
        memcpy(cc->id, id, strlen(id) + 1);
        p->obj = cc;
        p->keys = counter_keys;
    } else {
        jh_kiosk_config *k = &c->kiosks[c->n_kiosks++];
        memcpy(k->id, id, strlen(id) + 1);
        p->obj = k;
        p->keys = kiosk_keys;
    }
    return 0;
}

static int on_section(parse *p, const char *section, const char *arg, int line, char *why,
                      size_t wl)
{
    static const struct { const char *name; sect_kind kind; const key_def *keys; } single[] = {
        {"hall", SEC_HALL, hall_keys},
        {"broker", SEC_BROKER, broker_keys},
        {"dispatch", SEC_DISPATCH, dispatch_keys},
        {"priority", SEC_PRIORITY, priority_keys},
    };
    if (end_section(p) != 0)
        return -1;
    memset(p->key_line, 0, sizeof p->key_line);
    p->sect_line = line;
    p->keys = NULL;
    snprintf(p->desc, sizeof p->desc, *arg ? "[%s %s]" : "[%s]", section, arg);
    for (size_t i = 0; i < sizeof single / sizeof single[0]; i++) {
        if (strcmp(section, single[i].name) == 0) {
            p->kind = single[i].kind;
            return begin_singleton(p, single[i].kind, single[i].keys, arg, why, wl);
        }
    }
    if (strcmp(section, "service") == 0 || strcmp(section, "counter") == 0 ||
        strcmp(section, "kiosk") == 0) {
        if (!*arg) {
            snprintf(why, wl, "needs an id, e.g. [%s %s]", section,
                     section[0] == 's' ? "A" : section[0] == 'c' ? "c01" : "k1");
            return -1;
        }
        p->kind = section[0] == 's' ? SEC_SERVICE : section[0] == 'c' ? SEC_COUNTER : SEC_KIOSK;
        return p->kind == SEC_SERVICE ? begin_service(p, arg, why, wl)
                                      : begin_device(p, p->kind == SEC_COUNTER, arg, why, wl);
    }
    p->kind = SEC_UNKNOWN; /* another part's section: its keys are its business */
    return 0;
}

static int on_line(void *user, const char *section, const char *arg, const char *key,
                   const char *value, int line, char *why, size_t wl)
{
    parse *p = user;
    if (!key)
        return on_section(p, section, arg, line, why, wl);
    if (p->kind == SEC_UNKNOWN)
        return 0;
    const key_def *k = find_key(p->keys, key);
    if (!k) {
        snprintf(why, wl, "unknown key (typo?)");
        return -1;
    }
    int *seen_at = &p->key_line[k - p->keys];
    if (*seen_at && !(k->flags & MULTI)) {
        snprintf(why, wl, "given twice (first on line %d)", *seen_at);
        return -1;
    }
    *seen_at = line;
    if (p->kind == SEC_HALL && strcmp(key, "reset_at") == 0)
        p->reset_line = line;
    return k->fn(p, k, value, why, wl);
}

/* ------------------------------------------------------ whole-file checks */

/* "A, B" → service indexes, in order, each once. */
static int resolve_refs(parse *p, const char *desc, const deferred_ref *r, int *out, int *n)
{
    char buf[JH_LONG_TEXT_LEN];
    memcpy(buf, r->value, sizeof buf);
    *n = 0;
    char *save = NULL;
    int items = 0;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *code = trim(tok);
        int idx = jh_config_service_index(p->cfg, code);
        items++;
        if (idx < 0)
            return failf(p, r->line, "%s services: '%s': no [service %s]", desc, r->value, code);
        for (int i = 0; i < *n; i++)
            if (out[i] == idx)
                return failf(p, r->line, "%s services: '%s': %s listed twice", desc, r->value, code);
        out[(*n)++] = idx;
    }
    /* empty items ("A,,B", trailing comma) are typos too */
    int commas = 0;
    for (const char *c = r->value; *c; c++)
        commas += *c == ',';
    if (items == 0 || commas != items - 1 || *n != items)
        return failf(p, r->line, "%s services: '%s': want service codes separated by commas",
                     desc, r->value);
    return 0;
}

/* Tickets taken before reset_at would count to the day before: numbers would repeat. */
static int check_reset(parse *p)
{
    jh_hall_config *c = p->cfg;
    int earliest = 24 * 60, which = 0;
    for (int i = 0; i < c->n_services; i++)
        for (int d = 0; d < 7; d++)
            if (c->services[i].n_hours[d] && c->services[i].hours[d][0].open_min < earliest)
                earliest = c->services[i].hours[d][0].open_min, which = i;
    if (!p->reset_line) {
        c->reset_min = earliest;
        return 0;
    }
    if (c->reset_min > earliest)
        return failf(p, p->reset_line,
                     "[hall] reset_at: %02d:%02d is after [service %s] opens at %02d:%02d",
                     c->reset_min / 60, c->reset_min % 60, c->services[which].code,
                     earliest / 60, earliest % 60);
    return 0;
}

static int finish(parse *p)
{
    jh_hall_config *c = p->cfg;
    if (end_section(p) != 0)
        return -1;
    if (!(p->singletons & (1u << SEC_HALL)))
        return failf(p, 0, "no [hall] section");
    if (c->n_services == 0)
        return failf(p, 0, "no [service <code>] section");
    char desc[INI_ARG_LEN + 16];
    for (int i = 0; i < c->n_counters; i++) {
        snprintf(desc, sizeof desc, "[counter %s]", c->counters[i].id);
        if (resolve_refs(p, desc, &p->counter_refs[i], c->counters[i].services,
                         &c->counters[i].n_services) != 0)
            return -1;
    }
    for (int i = 0; i < c->n_kiosks; i++) {
        snprintf(desc, sizeof desc, "[kiosk %s]", c->kiosks[i].id);
        if (p->kiosk_refs[i].line &&
            resolve_refs(p, desc, &p->kiosk_refs[i], c->kiosks[i].services,
                         &c->kiosks[i].n_services) != 0)
            return -1;
    }
    return check_reset(p);
}

static void set_defaults(jh_hall_config *c)
{
    static const char *zh[] = {"", "高龄老人", "残疾人", "孕妇", "其他行动不便"};
    static const char *en[] = {"", "Elderly", "Disabled", "Pregnant", "Limited mobility"};
    memset(c, 0, sizeof *c);
    strcpy(c->broker_host, "127.0.0.1");
    c->broker_port = 1883;
    strcpy(c->data_dir, "/var/lib/jiaohao");
    c->policy = JH_POLICY_RATIO;
    c->ratio = 3;
    c->max_consecutive = 3;
    c->ageing_s = 30 * 60;
    c->recall_limit = 2;
    c->requeue = JH_REQUEUE_BACK;
    c->wait_alert_s = 60 * 60;
    for (int i = 1; i < JH_PRIO_COUNT; i++) {
        strcpy(c->priority_zh[i], zh[i]);
        strcpy(c->priority_en[i], en[i]);
    }
}

int jh_config_parse(jh_hall_config *cfg, const char *text, size_t len, const char *name,
                    char *err, size_t errlen)
{
    parse *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "%s: out of memory", name);
        return -1;
    }
    set_defaults(cfg);
    p->cfg = cfg;
    p->name = name;
    int rc = jh_ini_parse(text, len, name, on_line, p, err, errlen);
    if (rc == 0)
        rc = finish(p);
    if (rc != 0 && p->msg[0])
        snprintf(err, errlen, "%s", p->msg);
    free(p);
    return rc;
}

int jh_config_load(jh_hall_config *cfg, const char *path, char *err, size_t errlen)
{
    size_t len;
    char *text = jh_config_read_file(path, &len, err, errlen);
    if (!text)
        return -1;
    int rc = jh_config_parse(cfg, text, len, path, err, errlen);
    free(text);
    return rc;
}

/* ------------------------------------------------------------------ lookups */

int jh_config_service_index(const jh_hall_config *cfg, const char *code)
{
    for (int i = 0; i < cfg->n_services; i++)
        if (strcmp(cfg->services[i].code, code) == 0)
            return i;
    return -1;
}

int jh_config_counter_index(const jh_hall_config *cfg, const char *id)
{
    for (int i = 0; i < cfg->n_counters; i++)
        if (strcmp(cfg->counters[i].id, id) == 0)
            return i;
    return -1;
}

int jh_config_kiosk_index(const jh_hall_config *cfg, const char *id)
{
    for (int i = 0; i < cfg->n_kiosks; i++)
        if (strcmp(cfg->kiosks[i].id, id) == 0)
            return i;
    return -1;
}

static const char *const priority_names[JH_PRIO_COUNT] = {"none", "elderly", "disabled",
                                                          "pregnant", "other"};

int jh_priority_parse(const char *name)
{
    for (int i = 0; i < JH_PRIO_COUNT; i++)
        if (name && strcmp(name, priority_names[i]) == 0)
            return i;
    return -1;
}

const char *jh_priority_name(jh_priority p)
{
    return (unsigned)p < JH_PRIO_COUNT ? priority_names[p] : "?";
}

const char *jh_policy_name(jh_policy p)
{
    static const char *const names[] = {"strict", "ratio", "max-consecutive", "ageing"};
    return (unsigned)p <= JH_POLICY_AGEING ? names[p] : "?";
}
