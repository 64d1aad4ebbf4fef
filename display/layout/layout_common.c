/* SPDX-License-Identifier: MIT */
/*
 * layout_common — wording, colours and timing the three layouts share (see layout.h).
 */
#include "layout.h"

#include <stdio.h>
#include <string.h>

void jh_layout_draw(jh_draw *d, const jh_view *v)
{
    switch (v->dc->layout) {
    case JH_LAYOUT_STRIP: jh_layout_strip(d, v); break;
    case JH_LAYOUT_LED: jh_layout_led(d, v); break;
    default: jh_layout_main(d, v); break;
    }
}

int jh_view_hero_fresh(const jh_view *v)
{
    return v->hero_since_ms > 0 && v->anim_ms - v->hero_since_ms < JH_BLINK_MS;
}

int jh_view_blink_on(const jh_view *v)
{
    if (!jh_view_hero_fresh(v))
        return 0;
    return ((v->anim_ms - v->hero_since_ms) / JH_BLINK_HALF_MS) % 2 == 0;
}

uint32_t jh_status_color(jh_counter_status s)
{
    switch (s) {
    case JH_COUNTER_SERVING: return JH_COL_SERVING;
    case JH_COUNTER_PAUSED: return JH_COL_PAUSED;
    case JH_COUNTER_CLOSED: return JH_COL_CLOSED;
    default: return JH_COL_IDLE;
    }
}

const char *jh_status_zh(jh_counter_status s)
{
    switch (s) {
    case JH_COUNTER_SERVING: return "正在办理";
    case JH_COUNTER_PAUSED: return "暂停服务";
    case JH_COUNTER_CLOSED: return "已关闭";
    default: return "空闲";
    }
}

const char *jh_status_en(jh_counter_status s)
{
    switch (s) {
    case JH_COUNTER_SERVING: return "Serving";
    case JH_COUNTER_PAUSED: return "Paused";
    case JH_COUNTER_CLOSED: return "Closed";
    default: return "Available";
    }
}

void jh_call_counter_text(const jh_board *b, const jh_board_call *c, char *zh, size_t zl,
                          char *en, size_t el)
{
    const jh_board_counter *k = jh_board_counter_find(b, c->counter);
    int number = c->counter_number > 0 ? c->counter_number : k ? k->number : 0;
    if (number > 0) {
        snprintf(zh, zl, "%d号窗口", number);
        snprintf(en, el, "Counter %d", number);
        return;
    }
    const char *name = c->counter_name[0] ? c->counter_name : k && k->name[0] ? k->name : c->counter;
    snprintf(zh, zl, "%s", name);
    snprintf(en, el, "%s", c->counter_name_en[0] ? c->counter_name_en : k ? k->name_en : "");
}
