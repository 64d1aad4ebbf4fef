/* SPDX-License-Identifier: MIT */
/*
 * kiosk_words — the visitor-facing sentences (see kiosk_words.h).
 */
#include "kiosk_words.h"

#include <string.h>

static const struct {
    const char *code, *zh, *en;
} g_refusals[] = {
    {"closed", "该业务现在不在取号时间", "This service is not taking tickets now"},
    {"limit", "该业务今日号源已发完", "All of today's tickets for this service are taken"},
    {"no-counter", "该业务暂无窗口办理", "No counter is serving this service now"},
    {"unknown-service", "本机不能办理该业务", "This machine cannot issue tickets for this service"},
};

static void set(jh_words *w, const char *tz, const char *te, const char *rz, const char *re)
{
    *w = (jh_words){tz, te, rz, re};
}

void jh_words_for_failure(const jh_flow *f, jh_words *w)
{
    switch (f->failure) {
    case JH_FAIL_PRINTER:
    case JH_FAIL_PRINT:
        set(w, "未能出票", "No ticket printed", f->printer.text_zh ? f->printer.text_zh : "打印机故障，请联系工作人员",
            f->printer.text_en ? f->printer.text_en : "Printer fault, please ask staff");
        return;
    case JH_FAIL_REFUSED:
        for (size_t i = 0; i < sizeof g_refusals / sizeof g_refusals[0]; i++)
            if (strcmp(f->error_code, g_refusals[i].code) == 0)
                return set(w, "未能取号", "No ticket issued", g_refusals[i].zh, g_refusals[i].en);
        set(w, "未能取号", "No ticket issued", "暂时无法取号，请联系工作人员", "Cannot issue a ticket now, please ask staff");
        return;
    default:
        set(w, "未能取号", "No ticket issued", "系统繁忙，请稍后再试或联系工作人员",
            "The system did not answer. Please try again or ask staff");
    }
}

const char *jh_pause_reason_name(jh_pause_reason r)
{
    static const char *n[] = {"none", "broker-unreachable", "connecting", "caller-offline", "hall-closed"};
    return r <= JH_PAUSE_HALL_CLOSED ? n[r] : "?";
}

void jh_words_for_pause(jh_pause_reason r, jh_words *w)
{
    if (r == JH_PAUSE_HALL_CLOSED)
        set(w, "暂停取号", "Tickets paused", "今日取号已结束，请在办公时间前来",
            "Ticket issuing has ended. Please come back in opening hours");
    else if (r == JH_PAUSE_CONNECTING)
        set(w, "暂停取号", "Tickets paused", "正在连接叫号系统，请稍候", "Connecting to the queue system, please wait");
    else
        set(w, "暂停取号", "Tickets paused", "系统维护中，请联系工作人员", "System maintenance, please ask staff");
}

void jh_words_for_printer(const jh_printer_status *st, jh_words *w)
{
    set(w, "暂停服务", "Out of service", st->text_zh ? st->text_zh : "打印机未连接或无响应，请联系工作人员",
        st->text_en ? st->text_en : "Printer not responding, please ask staff");
}
