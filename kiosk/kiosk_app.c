/* SPDX-License-Identifier: MIT */
/*
 * kiosk_app — set-up and tear-down, the broker side, the journal file behind
 * the flow (void_journal.h) and screenshots (see kiosk_app.h); the per-frame
 * work is in kiosk_loop.c.
 */
#include "kiosk_app.h"

#include <SDL2/SDL.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "broker_auth.h"
#include "hall_time.h"
#include "kiosk_app_int.h"
#include "log.h"
#include "void_journal.h"

#define EXIT_FLUSH_MS 1000

int64_t jh_kiosk_mono_ms(void) { return (int64_t)SDL_GetTicks64(); }

/* ---- broker ------------------------------------------------------------------ */

void jh_kiosk_publish_status(jh_kiosk_app *a, int online)
{
    char err[300], at[40];
    const jh_printer_status *st = &a->printer_st;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "online", online);
    cJSON_AddStringToObject(o, "kiosk", a->kiosk->id);
    cJSON_AddStringToObject(o, "printer", a->printer_n ? jh_printer_state_name(st->state) : "unknown");
    cJSON_AddStringToObject(o, "printer_message", a->printer_n && st->text_zh ? st->text_zh : "");
    cJSON_AddStringToObject(o, "printer_message_en", a->printer_n && st->text_en ? st->text_en : "");
    cJSON_AddStringToObject(o, "printer_detail", a->printer_n ? st->detail : "");
    cJSON_AddStringToObject(o, "at", jh_time_iso8601(jh_time_now_ms(), at, sizeof at));
    char *json = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    /* QUEUED counts as published: it goes out after the reconnect, before the
     * fresh status the new session publishes (mqtt_link.h). */
    jh_link_result r = json ? jh_link_publish(a->link, a->t_status, json, strlen(json), 1, err, sizeof err)
                            : JH_LINK_REFUSED;
    if (r >= 0) {
        a->published_state = a->printer_n ? (int)st->state : -1;
        a->published_session = jh_link_session(a->link);
    }
    if (json && r != JH_LINK_SENT)
        jh_log(JH_LOG_DEBUG, "status %s: %s", r == JH_LINK_QUEUED ? "queued" : "not published", err);
    free(json);
}

void jh_kiosk_publish_cmd(jh_kiosk_app *a, const char *json, const char *what)
{
    char err[300];
    /* Either way a void goes out again in the next session until the caller
     * answers it (kiosk_flow.h); its command id makes a second copy harmless. */
    jh_link_result r = jh_link_publish(a->link, a->t_cmd, json, strlen(json), 0, err, sizeof err);
    if (r == JH_LINK_SENT)
        jh_log(JH_LOG_INFO, "sent %s", what);
    else
        jh_log(JH_LOG_WARN, "%s %s: %s", what, r == JH_LINK_QUEUED ? "queued" : "not sent", err);
}

static void on_message(void *user, const char *topic, const void *payload, size_t len)
{
    jh_kiosk_app *a = user;
    char err[256];
    jh_board_update up;
    if (strcmp(topic, a->t_reply) == 0) {
        jh_reply_kind k = jh_flow_reply(&a->flow, payload, len, jh_kiosk_mono_ms());
        if (k == JH_REPLY_LATE_VOIDED)
            jh_log(JH_LOG_WARN, "%s", a->flow.detail);
        else if (k != JH_REPLY_IGNORED)
            jh_log(JH_LOG_INFO, "%s", a->flow.detail);
        return;
    }
    if (jh_board_apply(a->board, topic, payload, len, &up, err, sizeof err) < 0)
        jh_log(JH_LOG_DEBUG, "ignored: %s", err);
}

static void on_session(void *user)
{
    jh_kiosk_app *a = user;
    jh_board_forget(a->board); /* the broker sends every retained item again */
    jh_flow_set_session(&a->flow, jh_link_session(a->link)); /* unanswered takes and voids go again */
    jh_log(JH_LOG_INFO, "connected to the broker; reading the caller's state");
    jh_kiosk_publish_status(a, 1);
}

static int open_link(jh_kiosk_app *a, char *err, size_t errlen)
{
    const char *id = a->kiosk->id;
    char user[JH_ID_LEN], pw[JH_PASSWORD_LEN], client_id[JH_CLIENT_ID_LEN], sfx[JH_TOPIC_LEN];
    if (jh_broker_login(a->cfg, id, user, sizeof user, pw, sizeof pw, err, errlen) < 0)
        return -1;
    snprintf(sfx, sizeof sfx, "kiosk/%s/cmd", id);
    jh_topic(a->t_cmd, sizeof a->t_cmd, a->cfg->site, sfx);
    snprintf(sfx, sizeof sfx, "status/%s", id);
    jh_topic(a->t_status, sizeof a->t_status, a->cfg->site, sfx);
    snprintf(sfx, sizeof sfx, "reply/%s", id);
    jh_topic(a->t_reply, sizeof a->t_reply, a->cfg->site, sfx);
    jh_topic(a->t_state, sizeof a->t_state, a->cfg->site, "state/#");
    jh_topic(a->t_caller, sizeof a->t_caller, a->cfg->site, "status/caller");
    snprintf(sfx, sizeof sfx, "%d", (int)getpid());
    if (jh_client_id(client_id, sizeof client_id, user, sfx, err, errlen) < 0)
        return -1;
    jh_link_opts lo = {.host = a->cfg->broker_host, .port = a->cfg->broker_port, .user = user,
                       .password = pw[0] ? pw : NULL, .client_id = client_id, .cafile = a->cfg->broker_cafile,
                       .certfile = a->cfg->broker_certfile, .keyfile = a->cfg->broker_keyfile,
                       .topics = {a->t_reply, a->t_state, a->t_caller}, .n_topics = 3};
    a->link = jh_link_new(&lo, on_message, on_session, a, err, errlen);
    static const char will[] = "{\"online\":false,\"printer\":\"unknown\",\"printer_message\":\"\"}";
    return a->link ? jh_link_set_will(a->link, a->t_status, will, 1, err, errlen) : -1;
}

/* ---- the journal (void_journal.h) ------------------------------------------------ */

/* kiosk_flow's hook: what must survive a crash, on disk before the flow goes on. */
static int write_journal(void *user, const jh_flow *f)
{
    char err[700];
    jh_vj j;
    jh_flow_to_journal(f, &j);
    if (jh_vj_store_save(user, &j, err, sizeof err) == 0)
        return 0;
    jh_log(JH_LOG_ERROR, "journal: %s", err);
    return -1;
}

static void log_restored(const jh_vj *j)
{
    for (int i = 0; i < j->n; i++) {
        const jh_vj_entry *e = &j->e[i];
        if (e->kind == JH_VJ_PRINT)
            jh_log(JH_LOG_WARN, "journal: ticket %s was being printed when the kiosk stopped: voiding it", e->ticket);
        else if (e->kind == JH_VJ_TAKE)
            jh_log(JH_LOG_WARN, "journal: take %s (service %s) had no answer when the kiosk stopped: "
                   "asking again, and voiding the number if one was issued", e->id, e->service);
        else
            jh_log(JH_LOG_WARN, "journal: void %s of ticket %s not answered yet: sending it again", e->id,
                   e->ticket);
    }
}

/*
 * Opens <state dir>/<kiosk-id>.journal and gives the flow what the last run
 * left in it. The directory is [kiosk-screen] state_dir, else systemd's
 * $STATE_DIRECTORY (its first entry); with neither the kiosk runs without one.
 */
static int open_journal(jh_kiosk_app *a, char *err, size_t errlen)
{
    char dir[JH_VJ_PATH_LEN], aside[JH_VJ_PATH_LEN + 100], why[700];
    const char *from = a->ks.state_dir[0] ? a->ks.state_dir : getenv("STATE_DIRECTORY");
    if (a->o.screenshot)
        return 0; /* one frame and out: it must not touch a running kiosk's journal */
    if (!from || !*from) {
        jh_log(JH_LOG_WARN, "no state directory ([kiosk-screen] state_dir or systemd's StateDirectory=): "
               "a number issued but not printed is not voided if the kiosk stops at that moment");
        return 0;
    }
    /* systemd lists several directories with ':' when the unit names several */
    snprintf(dir, sizeof dir, "%.*s", (int)(a->ks.state_dir[0] ? strlen(from) : strcspn(from, ":")), from);
    jh_vj_store *s = calloc(1, sizeof *s);
    if (!s)
        return snprintf(err, errlen, "out of memory"), -1;
    jh_vj j;
    int rc = jh_vj_store_open(s, dir, a->kiosk->id, err, errlen);
    if (rc == 0 && (rc = jh_vj_store_load(s, &j, aside, sizeof aside, why, sizeof why)) < 0)
        snprintf(err, errlen, "%s", why);
    if (rc == 1)
        jh_log(JH_LOG_ERROR, "journal: %s; set aside as %s, starting empty: a number it held may need "
               "voiding by staff", why, aside);
    if (rc >= 0) {
        log_restored(&j);
        jh_flow_restore(&a->flow, &j, jh_kiosk_mono_ms());
        jh_flow_to_journal(&a->flow, &j);
        if ((rc = jh_vj_store_save(s, &j, err, errlen)) == 0) /* writable now, not at the first visitor */
            jh_flow_set_journal(&a->flow, write_journal, s);
    }
    if (rc < 0) {
        jh_vj_store_close(s);
        free(s);
        return -1;
    }
    jh_log(JH_LOG_INFO, "journal %s: %d entr%s from the last run", s->path, j.n, j.n == 1 ? "y" : "ies");
    return 0;
}

/* ---- set-up ------------------------------------------------------------------- */

static int pick_kiosk(jh_kiosk_app *a, char *err, size_t errlen)
{
    if (a->cfg->n_kiosks == 0) {
        snprintf(err, errlen, "%s: no [kiosk <id>] section", a->o.config_path);
        return -1;
    }
    int k = a->o.kiosk_id ? jh_config_kiosk_index(a->cfg, a->o.kiosk_id) : 0;
    if (k < 0) {
        snprintf(err, errlen, "--id '%s' is not a [kiosk] of %s", a->o.kiosk_id, a->o.config_path);
        return -1;
    }
    a->offer = a->cfg->kiosks[k];
    if (a->offer.n_services == 0) { /* "all when none listed" (hall_config.h) */
        for (int i = 0; i < a->cfg->n_services; i++)
            a->offer.services[i] = i;
        a->offer.n_services = a->cfg->n_services;
    }
    a->kiosk = &a->offer;
    return 0;
}

static int load_config(jh_kiosk_app *a, char *err, size_t errlen)
{
    a->cfg = calloc(1, sizeof *a->cfg);
    a->board = calloc(1, sizeof *a->board);
    if (!a->cfg || !a->board)
        return snprintf(err, errlen, "out of memory"), -1;
    if (jh_config_load(a->cfg, a->o.config_path, err, errlen) < 0 || pick_kiosk(a, err, errlen) < 0 ||
        jh_printer_config_load(&a->pc, a->o.config_path, a->kiosk->id, err, errlen) < 0 ||
        jh_kiosk_screen_load(&a->ks, a->o.config_path, a->kiosk->id, err, errlen) < 0 ||
        jh_time_set_zone(a->cfg->timezone, err, errlen) < 0)
        return -1;
    if (a->o.printer_device) {
        if (strlen(a->o.printer_device) >= sizeof a->pc.device)
            return snprintf(err, errlen, "--printer: path too long"), -1;
        snprintf(a->pc.device, sizeof a->pc.device, "%s", a->o.printer_device);
    }
    jh_board_init(a->board, a->cfg->site);
    return a->o.script ? jh_script_load(&a->script, a->o.script, err, errlen) : 0;
}

static void boot_id(char *out, size_t len)
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    char tmp[24];
    int n = 0;
    for (uint64_t v = (uint64_t)jh_time_now_ms(); v && n < (int)sizeof tmp; v /= 36)
        tmp[n++] = digits[v % 36];
    size_t i = 0;
    for (; n > 0 && i + 1 < len; i++)
        out[i] = tmp[--n];
    out[i] = '\0';
}

jh_kiosk_app *jh_kiosk_new(const jh_kiosk_opts *o, char *err, size_t errlen)
{
    jh_kiosk_app *a = calloc(1, sizeof *a);
    if (!a)
        return snprintf(err, errlen, "out of memory"), NULL;
    a->o = *o;
    a->published_state = -1;
    a->saved_key = -1;
    a->screen_key = -1;
    char boot[24], title[96] = "Jiaohao kiosk";
    int ok = load_config(a, err, errlen) == 0;
    if (ok) {
        snprintf(title, sizeof title, "Jiaohao kiosk %s", a->kiosk->id);
        boot_id(boot, sizeof boot);
        jh_flow_init(&a->flow, a->kiosk->id, boot, a->ks.reply_timeout_ms);
        ok = open_journal(a, err, errlen) == 0; /* before the printer: one kiosk per journal */
    }
    if (!ok || !(a->win = jh_kwin_open(&a->ks, title, o->shot_dir || o->screenshot || o->script, err, errlen)) ||
        open_link(a, err, errlen) < 0 ||
        !(a->printer = jh_print_worker_start(a->cfg, &a->pc, a->ks.printer_poll_s * 1000, err, errlen))) {
        jh_kiosk_free(a);
        return NULL;
    }
    a->lang_en = a->ks.lang_en;
    a->started = a->last_touch = jh_kiosk_mono_ms();
    jh_log(JH_LOG_INFO, "kiosk %s: %d services, screen %dx%d, printer %s, font %s", a->kiosk->id,
           a->kiosk->n_services, a->ks.width, a->ks.height, a->pc.device, jh_kwin_font_family(a->win));
    return a;
}

int jh_kiosk_run(jh_kiosk_app *a, char *err, size_t errlen)
{
    const int64_t frame = 1000 / a->ks.fps;
    for (;;) {
        int64_t t0 = jh_kiosk_mono_ms();
        int rc = jh_kiosk_step(a, err, errlen);
        if (rc != 0)
            return rc < 0 ? -1 : 0;
        int64_t left = t0 + frame - jh_kiosk_mono_ms();
        if (left > 0)
            SDL_Delay((Uint32)left);
    }
}

/* Says goodbye on status/<id> (a clean disconnect suppresses the Will) and waits for the ack. */
static void go_offline(jh_kiosk_app *a)
{
    if (!jh_link_connected(a->link))
        return;
    jh_kiosk_publish_status(a, 0);
    for (int64_t end = jh_kiosk_mono_ms() + EXIT_FLUSH_MS;
         jh_link_unacked(a->link) > 0 && jh_kiosk_mono_ms() < end && jh_link_connected(a->link);) {
        jh_link_pump(a->link, jh_kiosk_mono_ms());
        SDL_Delay(5);
    }
}

void jh_kiosk_free(jh_kiosk_app *a)
{
    if (!a)
        return;
    if (a->link) {
        go_offline(a);
        jh_link_free(a->link);
    }
    jh_print_worker_stop(a->printer);
    if (a->flow.journal_user) {
        jh_vj_store_close(a->flow.journal_user);
        free(a->flow.journal_user);
    }
    jh_script_free(&a->script);
    jh_kwin_close(a->win);
    free(a->board);
    free(a->cfg);
    free(a);
}
