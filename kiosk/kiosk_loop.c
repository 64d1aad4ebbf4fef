/* SPDX-License-Identifier: MIT */
/*
 * kiosk_loop — one frame of the kiosk: taps, the printer's answers, the flow,
 * which screen shows and why, drawing, screenshots and the test script.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall_time.h"
#include "kiosk_app_int.h"
#include "log.h"
#include "sd_notify.h"

/* ---- the printer and the flow ------------------------------------------------- */

static void printer_changed(jh_kiosk_app *a)
{
    const jh_printer_status *st = &a->printer_st;
    if (st->state == JH_PRINTER_READY)
        jh_log(JH_LOG_INFO, "printer ready (%s)", st->detail);
    else if (st->state == JH_PRINTER_PAPER_NEAR_END)
        jh_log(JH_LOG_WARN, "printer paper near end: staff should replace the roll; still issuing (%s)",
               st->detail);
    else
        jh_log(JH_LOG_WARN, "printer %s: kiosk out of service (%s)", jh_printer_state_name(st->state), st->detail);
}

static void poll_printer(jh_kiosk_app *a)
{
    jh_printer_status st;
    uint64_t n = jh_print_worker_status(a->printer, &st);
    if (n == a->printer_n)
        return;
    int changed = a->printer_n == 0 || st.state != a->printer_st.state;
    a->printer_st = st;
    a->printer_n = n;
    if (changed)
        printer_changed(a);
    if (jh_link_connected(a->link) &&
        ((int)st.state != a->published_state || a->published_session != jh_link_session(a->link)))
        jh_kiosk_publish_status(a, 1);
}

static void after_check(jh_kiosk_app *a, const jh_pw_result *r, int64_t now)
{
    char *take = NULL, err[300];
    if (!jh_flow_printer_checked(&a->flow, &r->status, now, &take)) {
        jh_log(JH_LOG_WARN, "%s", a->flow.detail);
        return;
    }
    jh_log(JH_LOG_INFO, "%s", a->flow.detail);
    jh_link_result sent = jh_link_publish(a->link, a->t_cmd, take, strlen(take), 0, err, sizeof err);
    if (sent < 0) { /* nothing left the kiosk: no number was taken */
        jh_flow_take_unsent(&a->flow, err, now);
        jh_log(JH_LOG_WARN, "%s", a->flow.detail);
    } else if (sent == JH_LINK_QUEUED) {
        /* It may still reach the caller after a reconnect: wait for the reply as
         * for any take; one that comes after the timeout is voided. */
        jh_log(JH_LOG_WARN, "take %s: %s", a->flow.take_id, err);
    }
    free(take);
}

static void advance_flow(jh_kiosk_app *a, int64_t now)
{
    jh_pw_result r;
    jh_flow *f = &a->flow;
    if (f->phase == JH_FLOW_CHECKING && jh_print_worker_result(a->printer, a->check_req, &r))
        after_check(a, &r, now);
    if (f->phase == JH_FLOW_PRINTING && !a->print_req)
        a->print_req = jh_print_worker_print(a->printer, &f->ticket);
    if (f->phase == JH_FLOW_PRINTING && jh_print_worker_result(a->printer, a->print_req, &r)) {
        a->print_req = 0;
        jh_flow_printed(f, &r.outcome, now);
        jh_log(f->phase == JH_FLOW_DONE ? JH_LOG_INFO : JH_LOG_ERROR, "%s", f->detail);
    }
    if (jh_flow_tick(f, now))
        jh_log(JH_LOG_WARN, "%s", f->detail);
    if (f->voids_dropped) {
        jh_log(JH_LOG_ERROR, "%u void(s) dropped: the caller has not answered for a long time", f->voids_dropped);
        f->voids_dropped = 0;
    }
    char *v;
    const char *what;
    while (jh_link_connected(a->link) && (v = jh_flow_next_send(f, jh_link_session(a->link), &what))) {
        jh_kiosk_publish_cmd(a, v, what);
        free(v);
    }
}

/* ---- which screen ----------------------------------------------------------------- */

static jh_pause_reason pause_reason(jh_kiosk_app *a)
{
    if (!jh_link_connected(a->link))
        return JH_PAUSE_BROKER;
    if (!jh_link_subscribed(a->link))
        return JH_PAUSE_CONNECTING;
    if (a->board->caller_online != 1)
        return JH_PAUSE_CALLER;
    if (a->board->have_hall && a->board->open == 0)
        return JH_PAUSE_HALL_CLOSED;
    return JH_PAUSE_NONE;
}

static jh_screen flow_screen(jh_kiosk_app *a)
{
    switch (a->flow.phase) {
    case JH_FLOW_CHECKING:
    case JH_FLOW_WAITING:
    case JH_FLOW_PRINTING: return JH_SCREEN_BUSY;
    case JH_FLOW_DONE: return JH_SCREEN_CONFIRM;
    case JH_FLOW_FAILED: return JH_SCREEN_ERROR;
    default: return JH_SCREEN_COUNT;
    }
}

static jh_screen decide(jh_kiosk_app *a)
{
    jh_screen s = flow_screen(a);
    a->pause = pause_reason(a);
    a->tech[0] = '\0';
    if (s == JH_SCREEN_BUSY) {
        a->words = (jh_words){"正在出票，请稍候", "Printing your ticket, please wait", "", ""};
    } else if (s == JH_SCREEN_ERROR) {
        jh_words_for_failure(&a->flow, &a->words);
        snprintf(a->tech, sizeof a->tech, "%s", a->flow.why);
    } else if (s != JH_SCREEN_CONFIRM && a->pause != JH_PAUSE_NONE) {
        s = JH_SCREEN_PAUSED;
        jh_words_for_pause(a->pause, &a->words);
        snprintf(a->tech, sizeof a->tech, "%s%s%s", jh_pause_reason_name(a->pause),
                 a->pause == JH_PAUSE_BROKER ? ": " : "", a->pause == JH_PAUSE_BROKER ? jh_link_error(a->link) : "");
    } else if (s != JH_SCREEN_CONFIRM && a->printer_n && !a->printer_st.can_print) {
        s = JH_SCREEN_OUT_OF_SERVICE;
        jh_words_for_printer(&a->printer_st, &a->words);
        snprintf(a->tech, sizeof a->tech, "%s: %s", jh_printer_state_name(a->printer_st.state),
                 a->printer_st.detail);
    } else if (s == JH_SCREEN_COUNT) {
        s = a->nav;
    }
    return s;
}

static void go_home(jh_kiosk_app *a)
{
    a->nav = JH_SCREEN_HOME;
    a->green = JH_PRIO_NONE;
    a->lang_en = a->ks.lang_en; /* the next visitor starts in the hall's first language */
}

/* Result screens and half-made choices go back home by themselves. */
static void timeouts(jh_kiosk_app *a, int64_t now)
{
    int64_t shown = now - a->screen_since;
    if ((a->screen == JH_SCREEN_CONFIRM && shown >= a->ks.confirm_s * 1000) ||
        (a->screen == JH_SCREEN_ERROR && shown >= a->ks.error_s * 1000)) {
        jh_flow_reset(&a->flow);
        go_home(a);
    }
    if (a->flow.phase == JH_FLOW_FAILED && a->flow.failure == JH_FAIL_PRINTER) {
        jh_flow_reset(&a->flow); /* the out-of-service screen says it better */
        go_home(a);
    }
    if (a->nav != JH_SCREEN_HOME && now - a->last_touch >= a->ks.idle_s * 1000)
        go_home(a);
}

/* ---- taps ------------------------------------------------------------------------ */

static void take(jh_kiosk_app *a, const jh_button *b, int64_t now)
{
    const char *code = a->cfg->services[b->arg].code;
    jh_priority p = a->nav == JH_SCREEN_GREEN_SERVICE ? a->green : JH_PRIO_NONE;
    if (jh_flow_start(&a->flow, code, p, a->lang_en, now) != 0)
        return;
    jh_log(JH_LOG_INFO, "tap: service %s (%s); asking the printer first", code, jh_priority_name(p));
    a->check_req = jh_print_worker_check(a->printer);
    a->print_req = 0;
}

static void press(jh_kiosk_app *a, const jh_button *b, int64_t now)
{
    a->last_touch = now;
    if (!b->enabled)
        return;
    switch (b->kind) {
    case JH_BTN_SERVICE: take(a, b, now); break;
    case JH_BTN_GREEN: a->nav = JH_SCREEN_GREEN; break;
    case JH_BTN_LANG: a->lang_en = !a->lang_en; break;
    case JH_BTN_PRIORITY: a->green = (jh_priority)b->arg, a->nav = JH_SCREEN_GREEN_SERVICE; break;
    case JH_BTN_BACK: a->nav = a->nav == JH_SCREEN_GREEN_SERVICE ? JH_SCREEN_GREEN : JH_SCREEN_HOME; break;
    case JH_BTN_OK:
        jh_flow_reset(&a->flow);
        go_home(a);
        break;
    }
}

static void tap_at(jh_kiosk_app *a, int x, int y, int64_t now)
{
    const jh_button *b = jh_ui_hit(&a->buttons, x, y);
    if (b)
        press(a, b, now);
}

static int pump_events(jh_kiosk_app *a, int64_t now)
{
    int x, y;
    while (jh_kwin_next_tap(a->win, &x, &y))
        tap_at(a, x, y, now);
    return a->o.quit_flag && *a->o.quit_flag; /* only a signal ends the kiosk */
}

/* ---- drawing and screenshots ----------------------------------------------------------- */

static void render(jh_kiosk_app *a)
{
    int cd = a->screen == JH_SCREEN_CONFIRM ? a->ks.confirm_s : a->ks.error_s;
    int64_t left = cd * 1000 - (jh_kiosk_mono_ms() - a->screen_since);
    const jh_issued_ticket *t = &a->flow.ticket;
    jh_ui_view v = {.screen = a->screen, .lang_en = a->lang_en, .cfg = a->cfg, .kiosk = a->kiosk,
                    .board = a->board, .now_ms = jh_time_now_ms(), .green = a->green,
                    .ticket = {.priority = t->priority, .ahead = t->ahead, .ewt_s = t->ewt_s},
                    .countdown_s = left > 0 ? (int)((left + 999) / 1000) : 0,
                    .title_zh = a->words.title_zh, .title_en = a->words.title_en,
                    .reason_zh = a->words.reason_zh, .reason_en = a->words.reason_en, .tech = a->tech};
    snprintf(v.ticket.ticket, sizeof v.ticket.ticket, "%s", t->ticket);
    snprintf(v.ticket.service, sizeof v.ticket.service, "%s", t->service);
    jh_kwin_draw(a->win, &v, &a->buttons);
}

static int save(jh_kiosk_app *a, const char *png, const char *json, char *err, size_t errlen)
{
    if (jh_kwin_save(a->win, png, json, jh_screen_name(a->screen), err, errlen) < 0)
        return -1;
    jh_log(JH_LOG_INFO, "saved %s (%s)", png, jh_screen_name(a->screen));
    return 0;
}

/* Retained state has stopped arriving (or no broker answered within --wait). */
static int settled(jh_kiosk_app *a, int64_t now)
{
    if (now - a->screen_since < JH_KIOSK_SETTLE_MS)
        return 0;
    if (!a->printer_n && now - a->started < a->o.wait_ms)
        return 0;
    if (jh_link_subscribed(a->link)) {
        int64_t last = jh_link_subscribed_at(a->link);
        if (jh_link_last_message_at(a->link) > last)
            last = jh_link_last_message_at(a->link);
        return now - last >= JH_KIOSK_SETTLE_MS - 100;
    }
    return now - a->started >= a->o.wait_ms;
}

static int shot_each(jh_kiosk_app *a, int64_t now, char *err, size_t errlen)
{
    if (!a->o.shot_dir || a->screen_key == a->saved_key || !settled(a, now))
        return 0;
    char png[2100], json[2100];
    const char *lang = a->lang_en ? "-en" : "";
    snprintf(png, sizeof png, "%s/%03d-%s%s.png", a->o.shot_dir, ++a->n_saved, jh_screen_name(a->screen), lang);
    snprintf(json, sizeof json, "%s/%03d-%s%s.json", a->o.shot_dir, a->n_saved, jh_screen_name(a->screen), lang);
    a->saved_key = a->screen_key;
    return save(a, png, json, err, errlen);
}

/* ---- the test script ------------------------------------------------------------------------ */

/* 1: step done, 0: not yet, -1: failed (err). */
static int script_step(jh_kiosk_app *a, const jh_script_step *st, int64_t now, char *err, size_t errlen)
{
    const jh_button *b;
    switch (st->kind) {
    case JH_STEP_WAIT: return now - a->step_started >= st->ms;
    case JH_STEP_WAIT_SCREEN:
        if (strcmp(jh_screen_name(a->screen), st->arg) == 0 && settled(a, now))
            return 1;
        if (now - a->step_started < st->ms)
            return 0;
        snprintf(err, errlen, "script line %d: screen is '%s', not '%s', after %d ms", st->line,
                 jh_screen_name(a->screen), st->arg, st->ms);
        return -1;
    case JH_STEP_TAP_NAME:
        if (!(b = jh_ui_find(&a->buttons, st->arg))) {
            snprintf(err, errlen, "script line %d: no button '%s' on screen '%s'", st->line, st->arg,
                     jh_screen_name(a->screen));
            return -1;
        }
        press(a, b, now);
        return 1;
    case JH_STEP_TAP_XY: tap_at(a, st->x, st->y, now); return 1;
    case JH_STEP_SHOT: return save(a, st->arg, NULL, err, errlen) < 0 ? -1 : 1;
    default: return 1;
    }
}

/* 0 go on, 1 the script ended, -1 it failed. */
static int run_script(jh_kiosk_app *a, int64_t now, char *err, size_t errlen)
{
    if (!a->o.script)
        return 0;
    if (a->step == 0 && a->step_started == 0)
        a->step_started = now;
    while (a->step < a->script.n) {
        const jh_script_step *st = &a->script.steps[a->step];
        if (st->kind == JH_STEP_QUIT)
            return 1;
        int rc = script_step(a, st, now, err, errlen);
        if (rc <= 0)
            return rc;
        a->step++;
        a->step_started = now;
        if (st->kind == JH_STEP_TAP_NAME || st->kind == JH_STEP_TAP_XY)
            return 0; /* the tap changes the screen: the next step looks at the next frame */
    }
    return 1;
}

/* ---- systemd (sd_notify.h) ----------------------------------------------------------------- */

/* One kiosk per process, so its frames' watchdog and status line are the process's. */
static jh_sd_watchdog watchdog;
static jh_sd_status status;
static int ready_told;

static void tell_systemd(const char *state)
{
    char err[300];
    if (jh_sd_notify(state, err, sizeof err) < 0)
        jh_log(JH_LOG_WARN, "systemd: %s", err);
}

/* READY=1 with the first frame, then WATCHDOG=1 from the frames themselves: a
 * frozen screen takes no tickets while looking alive, so systemd restarts it. */
static void frame_alive(int64_t now)
{
    char err[300];
    if (!ready_told)
        tell_systemd("READY=1");
    ready_told = 1;
    if (jh_sd_watchdog_kick(&watchdog, now, err, sizeof err) < 0)
        jh_log(JH_LOG_WARN, "systemd watchdog: %s", err);
}

/* systemctl status's line: whether tickets can be taken, and the printer, as decide() saw them. */
static void tell_status(const jh_kiosk_app *a, int64_t now)
{
    char line[JH_SD_STATUS_MAX], printer[64], err[300];
    snprintf(printer, sizeof printer, "printer %s", !a->printer_n ? "not checked yet"
             : a->printer_st.state == JH_PRINTER_READY ? "ok" : jh_printer_state_name(a->printer_st.state));
    if (a->pause == JH_PAUSE_BROKER)
        snprintf(line, sizeof line, "tickets paused: broker unreachable (%s); %s", jh_link_error(a->link), printer);
    else if (a->pause != JH_PAUSE_NONE)
        snprintf(line, sizeof line, "tickets paused: %s; %s", jh_pause_reason_name(a->pause), printer);
    else if (a->printer_n && !a->printer_st.can_print)
        snprintf(line, sizeof line, "out of service: %s", printer);
    else
        snprintf(line, sizeof line, "taking tickets; %s", printer);
    if (jh_sd_status_set(&status, line, now, err, sizeof err) < 0)
        jh_log(JH_LOG_WARN, "systemd: %s", err);
}

/* ---- the frame -------------------------------------------------------------------------- */

int jh_kiosk_step(jh_kiosk_app *a, char *err, size_t errlen)
{
    int64_t now = jh_kiosk_mono_ms();
    if (pump_events(a, now)) {
        tell_systemd("STOPPING=1");
        return 1;
    }
    frame_alive(now);
    jh_link_pump(a->link, now);
    poll_printer(a);
    advance_flow(a, now);
    jh_screen s = decide(a);
    if (s != a->screen || a->screen_key < 0) {
        jh_log(JH_LOG_INFO, "screen: %s%s%s", jh_screen_name(s), a->tech[0] ? " — " : "", a->tech);
        a->screen = s;
        a->screen_since = now;
    }
    a->screen_key = (int)s * 2 + a->lang_en;
    tell_status(a, now);
    timeouts(a, now);
    render(a);
    if (shot_each(a, now, err, errlen) < 0)
        return -1;
    int rc = run_script(a, now, err, errlen);
    if (rc == 0 && a->o.screenshot && settled(a, now))
        rc = save(a, a->o.screenshot, NULL, err, errlen) < 0 ? -1 : 1;
    jh_kwin_present(a->win);
    return rc;
}
