/* SPDX-License-Identifier: MIT */
/*
 * bridge_config — see bridge_config.h. The hall parser's INI reader calls
 * on_entry() once per header and key; only the chosen [bridge] section is
 * read, every other section is passed over. Single-valued keys may appear
 * once: a second "baud" is nearly always a copy-paste slip, not an override.
 */
#include "bridge_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol.h"

typedef struct {
    jh_bridge_config *bc;
    const char *want;   /* NULL: the first [bridge] */
    int in_ours, found;
    unsigned seen;      /* bit per entry of keys[] already given */
} reader;

typedef int (*key_fn)(jh_bridge_config *bc, const char *v, int line, char *why, size_t wl);

typedef struct {
    const char *name;
    key_fn fn;
    int multi;
} key_def;

static int k_device(jh_bridge_config *bc, const char *v, int line, char *why, size_t wl)
{
    (void)line;
    if (!*v || strlen(v) >= sizeof bc->device) {
        snprintf(why, wl, "want a device path of 1..%zu bytes", sizeof bc->device - 1);
        return -1;
    }
    snprintf(bc->device, sizeof bc->device, "%s", v);
    return 0;
}

static int k_baud(jh_bridge_config *bc, const char *v, int line, char *why, size_t wl)
{
    (void)line;
    int b;
    if (jh_ini_int(v, 1, 4000000, &b, NULL, 0) < 0 || !jh_serial_baud_valid(b)) {
        snprintf(why, wl, "'%s' is not a standard baud rate (1200..921600)", v);
        return -1;
    }
    bc->baud = b;
    return 0;
}

static int k_flow(jh_bridge_config *bc, const char *v, int line, char *why, size_t wl)
{
    (void)line;
    int f = jh_serial_flow_parse(v);
    if (f < 0) {
        snprintf(why, wl, "'%s': want none, rtscts or xonxoff", v);
        return -1;
    }
    bc->flow = (jh_serial_flow)f;
    return 0;
}

/* "<addr> <counter-id>" */
static int add_device(jh_bridge_config *bc, int type, const char *v, int line, char *why, size_t wl)
{
    char addr_s[16], counter[JH_ID_LEN], extra[2];
    int addr;
    if (sscanf(v, "%15s %31s %1s", addr_s, counter, extra) != 2 ||
        jh_ini_int(addr_s, BUS_ADDR_MIN, BUS_ADDR_MAX, &addr, NULL, 0) < 0 || !jh_valid_id(counter)) {
        snprintf(why, wl, "'%s': want '<bus address %d..%d> <counter id>'", v, BUS_ADDR_MIN, BUS_ADDR_MAX);
        return -1;
    }
    if (jh_bridge_config_device(bc, addr)) {
        snprintf(why, wl, "bus address %d is given twice", addr);
        return -1;
    }
    if (bc->n_dev >= BM_MAX_DEVICES) {
        snprintf(why, wl, "more than %d devices on one bus", BM_MAX_DEVICES);
        return -1;
    }
    jh_bridge_device *d = &bc->dev[bc->n_dev++];
    d->addr = addr;
    d->type = type;
    d->line = line;
    snprintf(d->counter, sizeof d->counter, "%s", counter);
    return 0;
}

static int k_keypad(jh_bridge_config *bc, const char *v, int line, char *why, size_t wl)
{
    return add_device(bc, BUS_DEV_KEYPAD, v, line, why, wl);
}

static int k_pad(jh_bridge_config *bc, const char *v, int line, char *why, size_t wl)
{
    return add_device(bc, BUS_DEV_RATING_PAD, v, line, why, wl);
}

#define TIMING_KEY(fname, field, lo, hi, type)                                               \
    static int fname(jh_bridge_config *bc, const char *v, int line, char *why, size_t wl)   \
    {                                                                                       \
        (void)line;                                                                         \
        int x;                                                                              \
        if (jh_ini_int(v, lo, hi, &x, why, wl) < 0)                                         \
            return -1;                                                                      \
        field = (type)x;                                                                    \
        return 0;                                                                           \
    }
TIMING_KEY(k_reply_timeout, bc->bus.reply_timeout_ms, 1, 10000, uint32_t)
TIMING_KEY(k_turnaround, bc->bus.turnaround_ms, 0, 1000, uint32_t)
TIMING_KEY(k_cycle, bc->bus.cycle_ms, 1, 60000, uint32_t)
TIMING_KEY(k_retries, bc->bus.retries, 0, 10, uint8_t)
TIMING_KEY(k_offline_after, bc->bus.offline_after, 1, 100, uint8_t)
TIMING_KEY(k_offline_poll, bc->bus.offline_poll_every, 1, 200, uint8_t)
TIMING_KEY(k_status_interval, bc->status_interval_s, 1, 3600, int)

static const key_def keys[] = {
    {"device", k_device, 0},          {"baud", k_baud, 0},
    {"flow", k_flow, 0},              {"keypad", k_keypad, 1},
    {"pad", k_pad, 1},                {"reply_timeout_ms", k_reply_timeout, 0},
    {"turnaround_ms", k_turnaround, 0}, {"cycle_ms", k_cycle, 0},
    {"retries", k_retries, 0},        {"offline_after", k_offline_after, 0},
    {"offline_poll_every", k_offline_poll, 0}, {"status_interval_s", k_status_interval, 0},
};

static int on_header(reader *r, const char *section, const char *arg, char *why, size_t wl)
{
    r->in_ours = 0;
    if (strcmp(section, "bridge") != 0)
        return 0;
    /* Lower case only: the id is a topic level and part of every command id. */
    if (!jh_valid_id(arg) || strpbrk(arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")) {
        snprintf(why, wl, "want [bridge <id>], id of a-z 0-9 - (got '%s')", arg);
        return -1;
    }
    if (r->found && strcmp(arg, r->bc->id) == 0) {
        snprintf(why, wl, "the section appears twice");
        return -1;
    }
    if (!r->found && (!r->want || strcmp(arg, r->want) == 0)) {
        r->in_ours = r->found = 1;
        snprintf(r->bc->id, sizeof r->bc->id, "%s", arg);
    }
    return 0;
}

static int on_entry(void *user, const char *section, const char *arg, const char *key,
                    const char *value, int line, char *why, size_t wl)
{
    reader *r = user;
    if (!key)
        return on_header(r, section, arg, why, wl);
    if (!r->in_ours)
        return 0;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(key, keys[i].name) != 0)
            continue;
        if (!keys[i].multi && (r->seen & (1u << i))) {
            snprintf(why, wl, "given twice");
            return -1;
        }
        r->seen |= 1u << i;
        return keys[i].fn(r->bc, value, line, why, wl);
    }
    snprintf(why, wl, "unknown key (see firmware-bridge/bridge_config.h)");
    return -1;
}

static int finish(reader *r, const char *name, char *err, size_t errlen)
{
    jh_bridge_config *bc = r->bc;
    if (!r->found) {
        snprintf(err, errlen, r->want ? "%s: no [bridge %s] section" : "%s: no [bridge <id>] section",
                 name, r->want);
        return -1;
    }
    if (bc->n_dev == 0) {
        snprintf(err, errlen, "%s: [bridge %s] has no 'keypad = <addr> <counter>' or 'pad = ...' line",
                 name, bc->id);
        return -1;
    }
    bus_master probe; /* only to let bm_init judge the timing as a whole */
    if (bm_init(&probe, &bc->bus) < 0) {
        snprintf(err, errlen, "%s: [bridge %s]: bus timing: %s", name, bc->id, bm_strerror(BM_E_CONFIG));
        return -1;
    }
    return 0;
}

int jh_bridge_config_parse(jh_bridge_config *bc, const char *text, size_t len, const char *name,
                           const char *id, char *err, size_t errlen)
{
    memset(bc, 0, sizeof *bc);
    bc->baud = 19200;
    bc->flow = JH_FLOW_NONE;
    bc->status_interval_s = 10;
    bm_config_default(&bc->bus);
    snprintf(bc->source, sizeof bc->source, "%s", name);
    reader r = {.bc = bc, .want = id};
    if (jh_ini_parse(text, len, name, on_entry, &r, err, errlen) < 0)
        return -1;
    return finish(&r, name, err, errlen);
}

int jh_bridge_config_load(jh_bridge_config *bc, const char *path, const char *id, char *err,
                          size_t errlen)
{
    size_t len;
    char *text = jh_config_read_file(path, &len, err, errlen);
    if (!text)
        return -1;
    int rc = jh_bridge_config_parse(bc, text, len, path, id, err, errlen);
    free(text);
    return rc;
}

int jh_bridge_config_check(const jh_bridge_config *bc, const jh_hall_config *hall, char *err,
                           size_t errlen)
{
    for (int i = 0; i < bc->n_dev; i++) {
        const jh_bridge_device *d = &bc->dev[i];
        const char *what = d->type == BUS_DEV_KEYPAD ? "keypad" : "pad";
        if (jh_config_counter_index(hall, d->counter) < 0) {
            snprintf(err, errlen, "%s:%d: [bridge %s] %s: no [counter %s] in the hall", bc->source,
                     d->line, bc->id, what, d->counter);
            return -1;
        }
        for (int j = 0; j < i; j++)
            if (bc->dev[j].type == d->type && strcmp(bc->dev[j].counter, d->counter) == 0) {
                snprintf(err, errlen, "%s:%d: [bridge %s] %s: counter %s already has %s %d",
                         bc->source, d->line, bc->id, what, d->counter, what, bc->dev[j].addr);
                return -1;
            }
    }
    return 0;
}

const jh_bridge_device *jh_bridge_config_device(const jh_bridge_config *bc, int addr)
{
    for (int i = 0; i < bc->n_dev; i++)
        if (bc->dev[i].addr == addr)
            return &bc->dev[i];
    return NULL;
}
