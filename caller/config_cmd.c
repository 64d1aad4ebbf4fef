/* SPDX-License-Identifier: MIT */
/*
 * config_cmd — see config_cmd.h.
 *
 * The file is read once and checked by jh_config_parse, exactly as the daemon
 * loads it, so a script refuses what the daemon would refuse with the same
 * message. [bridge <id>] belongs to jiaohao-bridge, which the daemon passes over;
 * its id is a broker topic level the scripts need, so it is checked here with the
 * bridge's own rule and words. Then the INI reader walks the same text again for
 * what the struct does not keep: where each entry stands, the bridges, a value as
 * written. Nothing is printed before the whole file has passed.
 */
#include "config_cmd.h"

#include <stdlib.h>
#include <string.h>

#include "hall_config.h"
#include "protocol.h"

#define PROG "jiaohao-caller config"

typedef struct {
    const char *config;
    int devices;
    char section[128]; /* --get: "broker" or "service A", split into name and arg */
    const char *get_arg;
    const char *key;
} config_args;

void jh_config_cmd_usage(FILE *out, const char *lead)
{
    fprintf(out,
            "%sjiaohao-caller config [--config FILE] --devices | --get SECTION KEY\n"
            "  checks FILE (default assets/hall.ini) as the daemon does, for scripts; a broken\n"
            "  file gives one line naming file and line on stderr and exit status 1\n"
            "  --devices          one line per entry, three fields separated by one space:\n"
            "                     'site <site> <line>' first, then 'counter <id> <line>',\n"
            "                     'kiosk <id> <line>', 'bridge <id> <line>' for each such\n"
            "                     section in file order; ids are 1-31 of a-z 0-9 -, <line> is\n"
            "                     the line of the header (of the key for the site)\n"
            "  --get SECTION KEY  KEY's value in [SECTION] ('broker', 'service A') as written;\n"
            "                     nothing when the key is absent (defaults are not filled in)\n",
            lead);
}

/* 0: go; 1: exit 0 (help); -1: exit 2. */
static int parse_config_args(int argc, char **argv, config_args *o)
{
    memset(o, 0, sizeof *o);
    o->config = "assets/hall.ini";
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int want = strcmp(a, "--config") == 0 ? 1 : strcmp(a, "--get") == 0 ? 2 : 0;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            jh_config_cmd_usage(stdout, "usage: ");
            return 1;
        } else if (strcmp(a, "--devices") == 0) {
            o->devices = 1;
        } else if (!want) {
            fprintf(stderr, PROG ": unexpected argument '%s' (try --help)\n", a);
            return -1;
        } else if (argc - i <= want || !argv[i + 1][0] || (want == 2 && !argv[i + 2][0])) {
            fprintf(stderr, PROG ": %s needs %s (try --help)\n", a,
                    want == 1 ? "a value" : "SECTION and KEY");
            return -1;
        } else if (want == 1) {
            o->config = argv[++i];
        } else if (strlen(argv[i + 1]) >= sizeof o->section) {
            fprintf(stderr, PROG ": --get: section '%s' is too long\n", argv[i + 1]);
            return -1;
        } else {
            snprintf(o->section, sizeof o->section, "%s", argv[++i]);
            o->key = argv[++i];
        }
    }
    if (o->devices == !!o->key) {
        fprintf(stderr, PROG ": give --devices or --get SECTION KEY (try --help)\n");
        return -1;
    }
    if (o->key) {
        char *sp = strchr(o->section, ' ');
        o->get_arg = sp ? sp + 1 : "";
        if (sp)
            *sp = '\0';
    }
    return 0;
}

/* One walk of the INI reader over the text jh_config_parse accepted: with print 0
 * it checks the bridges and finds the site's line, with print 1 it prints the
 * devices. */
typedef struct {
    int print;
    int site_line;
} devices_walk;

/* jiaohao-bridge's rule (firmware-bridge/bridge_config.c): lower case only, since
 * the id is a topic level and part of every command id. */
static int bridge_id_ok(const char *id)
{
    return jh_valid_id(id) && !strpbrk(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
}

static int on_device(void *user, const char *section, const char *arg, const char *key,
                     const char *value, int line, char *why, size_t wl)
{
    devices_walk *w = user;
    (void)value;
    if (key) {
        if (strcmp(section, "hall") == 0 && strcmp(key, "site") == 0)
            w->site_line = line;
        return 0;
    }
    int bridge = strcmp(section, "bridge") == 0;
    if (bridge && !bridge_id_ok(arg)) {
        snprintf(why, wl, "want [bridge <id>], id of a-z 0-9 - (got '%s')", arg);
        return -1;
    }
    if (w->print && (bridge || strcmp(section, "counter") == 0 || strcmp(section, "kiosk") == 0))
        printf("%s %s %d\n", section, arg, line);
    return 0;
}

/* The whole file, as the daemon checks it and then the bridges' ids. */
static int check_file(jh_hall_config *cfg, const char *text, size_t len, const char *name,
                      int *site_line, char *err, size_t errlen)
{
    devices_walk w = {0};
    if (jh_config_parse(cfg, text, len, name, err, errlen) != 0 ||
        jh_ini_parse(text, len, name, on_device, &w, err, errlen) != 0)
        return -1;
    *site_line = w.site_line;
    return 0;
}

static int print_devices(const jh_hall_config *cfg, int site_line, const char *text, size_t len,
                         const char *name, char *err, size_t errlen)
{
    devices_walk w = {.print = 1};
    printf("site %s %d\n", cfg->site, site_line);
    return jh_ini_parse(text, len, name, on_device, &w, err, errlen);
}

typedef struct {
    const config_args *o;
    int in_section;
    char *value; /* the last one given: a repeated key in another part's section wins */
} get_walk;

static int on_get(void *user, const char *section, const char *arg, const char *key,
                  const char *value, int line, char *why, size_t wl)
{
    get_walk *g = user;
    (void)line;
    if (!key) {
        g->in_section = strcmp(section, g->o->section) == 0 && strcmp(arg, g->o->get_arg) == 0;
        return 0;
    }
    if (!g->in_section || strcmp(key, g->o->key) != 0)
        return 0;
    /* Another part's section may hold any byte but NUL and a line end; a script
     * takes the answer as one line of text. */
    for (const unsigned char *c = (const unsigned char *)value; *c; c++) {
        if (*c < 0x20 || *c == 0x7F) {
            snprintf(why, wl, "control character in the value (a script reads it as text)");
            return -1;
        }
    }
    free(g->value);
    g->value = strdup(value);
    if (!g->value) {
        snprintf(why, wl, "out of memory");
        return -1;
    }
    return 0;
}

static int print_value(const config_args *o, const char *text, size_t len, const char *name,
                       char *err, size_t errlen)
{
    get_walk g = {.o = o};
    int rc = jh_ini_parse(text, len, name, on_get, &g, err, errlen);
    if (rc == 0 && g.value)
        printf("%s\n", g.value);
    free(g.value);
    return rc;
}

int jh_config_cmd_main(int argc, char **argv)
{
    config_args o;
    int a = parse_config_args(argc, argv, &o);
    if (a != 0)
        return a > 0 ? 0 : 2;
    char err[1024];
    size_t len;
    int site_line;
    char *text = jh_config_read_file(o.config, &len, err, sizeof err);
    jh_hall_config *cfg = calloc(1, sizeof *cfg);
    int rc = -1;
    if (!text || !cfg) {
        if (text)
            snprintf(err, sizeof err, "out of memory");
    } else if (check_file(cfg, text, len, o.config, &site_line, err, sizeof err) == 0) {
        rc = o.devices ? print_devices(cfg, site_line, text, len, o.config, err, sizeof err)
                       : print_value(&o, text, len, o.config, err, sizeof err);
    }
    if (rc == 0 && fflush(stdout) != 0) {
        snprintf(err, sizeof err, "cannot write the answer");
        rc = -1;
    }
    if (rc != 0)
        fprintf(stderr, PROG ": %s\n", err);
    free(cfg);
    free(text);
    return rc == 0 ? 0 : 1;
}
