/* SPDX-License-Identifier: MIT */
/*
 * printer_config — see printer_config.h. Read with the hall config's layered
 * INI reader (same syntax rules as every other section), so `[printer <id>]`
 * overrides `[printer]` wherever it appears in the file.
 */
#include "printer_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall_config.h"

void jh_printer_config_defaults(jh_printer_config *pc)
{
    memset(pc, 0, sizeof *pc);
    snprintf(pc->device, sizeof pc->device, "/dev/ttyUSB0");
    pc->baud = 9600;
    pc->flow = JH_FLOW_NONE;
    pc->paper_mm = 80;
    pc->columns = 48;
    pc->status_timeout_ms = 500;
    pc->job_timeout_ms = 15000;
    pc->chunk_bytes = 256;
    pc->number_size = 6;
    pc->qr = 1;
    pc->qr_module = 6;
    pc->cut_feed = 3;
}

/* Numeric keys: name, field offset, range. */
static const struct {
    const char *key;
    size_t off;
    int lo, hi;
} g_ints[] = {
    {"status_timeout_ms", offsetof(jh_printer_config, status_timeout_ms), 50, 10000},
    {"job_timeout_ms", offsetof(jh_printer_config, job_timeout_ms), 1000, 600000},
    {"chunk_bytes", offsetof(jh_printer_config, chunk_bytes), 16, 65536},
    {"number_size", offsetof(jh_printer_config, number_size), 1, 8},
    {"qr_module", offsetof(jh_printer_config, qr_module), 1, 16},
    {"cut_feed", offsetof(jh_printer_config, cut_feed), 0, 255},
};

static int set_key(void *user, const char *key, const char *v, char *msg, size_t len)
{
    jh_printer_config *pc = user;
    if (!strcmp(key, "device")) {
        if (!*v || strlen(v) >= sizeof pc->device)
            return snprintf(msg, len, "empty or too long"), -1;
        snprintf(pc->device, sizeof pc->device, "%s", v);
    } else if (!strcmp(key, "baud")) {
        if (jh_ini_int(v, 1, 1000000, &pc->baud, NULL, 0) != 0 || !jh_serial_baud_valid(pc->baud))
            return snprintf(msg, len, "'%s' is not a supported rate", v), -1;
    } else if (!strcmp(key, "flow")) {
        int f = jh_serial_flow_parse(v);
        if (f < 0)
            return snprintf(msg, len, "'%s' is not none, rtscts or xonxoff", v), -1;
        pc->flow = (jh_serial_flow)f;
    } else if (!strcmp(key, "paper_mm")) {
        if (jh_ini_int(v, 58, 80, &pc->paper_mm, NULL, 0) != 0 || (pc->paper_mm != 58 && pc->paper_mm != 80))
            return snprintf(msg, len, "'%s' is not 58 or 80", v), -1;
        pc->columns = pc->paper_mm == 58 ? 32 : 48;
    } else if (!strcmp(key, "qr")) {
        if (jh_ini_bool(v, JH_INI_YES_NO | JH_INI_TRUE_FALSE | JH_INI_ONE_ZERO, &pc->qr) != 0)
            return snprintf(msg, len, "'%s' is not yes or no", v), -1;
    } else {
        for (size_t i = 0; i < sizeof g_ints / sizeof g_ints[0]; i++) {
            if (strcmp(key, g_ints[i].key) != 0)
                continue;
            if (jh_ini_int(v, g_ints[i].lo, g_ints[i].hi, (int *)((char *)pc + g_ints[i].off), NULL, 0) != 0)
                return snprintf(msg, len, "'%s' is not a number in %d..%d", v, g_ints[i].lo,
                                g_ints[i].hi), -1;
            return 0;
        }
        return snprintf(msg, len, "unknown key"), -1;
    }
    return 0;
}

int jh_printer_config_parse(jh_printer_config *pc, const char *text, size_t len, const char *name,
                            const char *kiosk_id, char *err, size_t errlen)
{
    jh_printer_config_defaults(pc);
    return jh_ini_parse_layered(text, len, name, "printer", kiosk_id, set_key, pc, err, errlen);
}

int jh_printer_config_load(jh_printer_config *pc, const char *path, const char *kiosk_id,
                           char *err, size_t errlen)
{
    size_t len;
    char *text = jh_config_read_file(path, &len, err, errlen);
    if (!text)
        return -1;
    int rc = jh_printer_config_parse(pc, text, len, path, kiosk_id, err, errlen);
    free(text);
    return rc;
}
