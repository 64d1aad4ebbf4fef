/* SPDX-License-Identifier: MIT */
/*
 * fuzz_bridge_message — libFuzzer target for what the bridge reads from the
 * broker (firmware-bridge/bridge.c: state/counter/+, state/service/+,
 * event/+ (finished, rating-invited), reply/<id>).
 *
 * Input: a topic suffix, a newline, then the payload (an exact-size heap
 * copy, so ASan sees any over-read). Each input goes to a fresh bridge over a
 * real bus master; afterwards every device output the bridge set must be one
 * a device accepts (printable display text and ticket within their lengths,
 * LED bits in range), and the status document must still be valid JSON.
 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "fuzz_target.h"

static const char hall_text[] =
    "[hall]\nsite = t\nname_zh = 厅\nname_en = Hall\ntimezone = UTC\n"
    "[broker]\nhost = 127.0.0.1\nport = 1883\n"
    "[service A]\nname_zh = 甲\nname_en = A\nnumbers = 1-999\nhours = mon-sun 00:00-24:00\ntarget_minutes = 10\n"
    "[counter c01]\nnumber = 1\nname_zh = 一\nname_en = One\nservices = A\n";
static const char bridge_text[] = "[bridge b1]\nkeypad = 1 c01\npad = 11 c01\n";

static int publish(void *user, const char *topic, const char *payload, int retain)
{
    (void)user, (void)topic, (void)payload, (void)retain;
    return 0;
}

static void check_outputs(const bus_master *m, jh_bridge *b)
{
    for (int i = 0; i < m->ndev; i++) {
        const bm_device *d = &m->dev[i];
        if (!bus_text_valid((const uint8_t *)d->display, strlen(d->display), BUS_TEXT_MAX) ||
            !bus_text_valid((const uint8_t *)d->ticket, strlen(d->ticket), BUS_TICKET_MAX) ||
            (d->leds & ~BUS_LED_ALL))
            abort();
    }
    char *json = jh_bridge_status_json(b, 1);
    cJSON *o = json ? cJSON_Parse(json) : NULL;
    if (!cJSON_IsObject(o))
        abort();
    cJSON_Delete(o);
    free(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static jh_hall_config *hall;
    static jh_bridge_config bc;
    static bus_master bus;
    char err[512];
    if (!hall) {
        hall = calloc(1, sizeof *hall);
        if (!hall || jh_config_parse(hall, hall_text, strlen(hall_text), "hall", err, sizeof err) != 0 ||
            jh_bridge_config_parse(&bc, bridge_text, strlen(bridge_text), "b", NULL, err, sizeof err) != 0)
            abort();
    }
    const uint8_t *nl = memchr(data, '\n', size);
    size_t tlen = nl ? (size_t)(nl - data) : size;
    if (tlen > 200)
        return 0;
    char topic[256] = "jh/v1/t/";
    memcpy(topic + 8, data, tlen);
    topic[8 + tlen] = '\0';
    size_t plen = nl ? size - tlen - 1 : 0;
    char *payload = malloc(plen ? plen : 1);
    if (!payload)
        return 0;
    memcpy(payload, nl ? nl + 1 : data, plen);
    jh_bridge_io io = {.publish = publish};
    jh_bridge *b = NULL;
    if (jh_bridge_bus_setup(&bus, &bc, err, sizeof err) != 0 ||
        !(b = jh_bridge_new(&bc, hall, &bus, &io, err, sizeof err)))
        abort();
    jh_bridge_on_message(b, topic, payload, plen);
    jh_bridge_on_message(b, topic, payload, plen); /* the same again changes nothing new */
    check_outputs(&bus, b);
    jh_bridge_free(b);
    free(payload);
    return 0;
}
