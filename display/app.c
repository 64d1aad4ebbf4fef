/* SPDX-License-Identifier: MIT */
/*
 * app — the board's frame loop and the glue between its modules (see app.h).
 */
#include "app.h"

#include <SDL2/SDL.h>
#include <mosquitto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "asset_dir.h"
#include "audio_out.h"
#include "broker_auth.h"
#include "display_config.h"
#include "draw.h"
#include "hall_config.h"
#include "hall_time.h"
#include "layout.h"
#include "log.h"
#include "mqtt_link.h"
#include "protocol.h"
#include "screenshot.h"
#include "sd_notify.h"
#include "sdl_screen.h"
#include "voice.h"


#define SETTLE_MS 300        /* retained state has stopped arriving after this much quiet */

struct jh_app {
    jh_app_opts o;
    jh_hall_config *cfg;
    jh_display_config dc;
    jh_board *board;
    jh_link *link;
    jh_voice_clips *clips;
    jh_audio *audio;
    jh_sdl_screen scr;
    int64_t started;
    int64_t hero_since;
    int maintenance;         /* -1 before the first frame */
    char reason[200];
    char topics[3][JH_TOPIC_LEN];
};

static int64_t mono_ms(void)
{
    return (int64_t)SDL_GetTicks64();
}

/* ---- broker messages ------------------------------------------------------ */

static void announce(jh_app *a, const jh_board_call *call)
{
    char err[256];
    int wd, minute;
    if (!a->audio || !a->clips)
        return;
    jh_local_weekday_minute(jh_time_now_ms(), &wd, &minute);
    if (jh_display_quiet_at(&a->dc, minute)) {
        jh_log(JH_LOG_INFO, "quiet hours: %s not announced", call->ticket);
        return;
    }
    jh_voice_script *s = malloc(sizeof *s);
    int16_t *pcm = NULL;
    size_t n = 0;
    if (!s || jh_voice_compose(s, call->ticket, call->counter_number, a->dc.repeat, err, sizeof err) < 0 ||
        jh_voice_render(a->clips, s, a->dc.volume, &pcm, &n, err, sizeof err) < 0 ||
        jh_audio_enqueue(a->audio, pcm, n, err, sizeof err) < 0) {
        jh_log(JH_LOG_WARN, "voice: %s", s ? err : "out of memory");
        free(s);
        return;
    }
    free(s);
    jh_log(JH_LOG_INFO, "announce %s to counter %d%s (%.1f s)", call->ticket, call->counter_number,
           call->recall ? " (recall)" : "", (double)n / 16000.0);
}

static void on_message(void *user, const char *topic, const void *payload, size_t len)
{
    jh_app *a = user;
    jh_board_update up;
    char err[256];
    if (jh_board_apply(a->board, topic, payload, len, &up, err, sizeof err) < 0) {
        jh_log(JH_LOG_WARN, "ignored: %s", err);
        return;
    }
    if (up.seq_reset)
        jh_log(JH_LOG_WARN, "event seq went back: the caller's data was reset");
    if (up.gap) { /* events are not retained: re-read the state that they changed */
        jh_log(JH_LOG_WARN, "missed events %lld..%lld; re-reading retained state",
               (long long)up.expected_seq, (long long)up.got_seq - 1);
        jh_link_resubscribe(a->link);
    }
    if (up.kind == JH_UPDATE_DUPLICATE)
        jh_log(JH_LOG_DEBUG, "duplicate event seq %lld ignored", (long long)up.got_seq);
    if (up.kind == JH_UPDATE_CALL) {
        a->hero_since = mono_ms();
        announce(a, &up.call);
    }
}

static void on_session(void *user)
{
    jh_app *a = user;
    jh_board_forget(a->board); /* the broker resends every retained item that still exists */
    jh_log(JH_LOG_INFO, "connected to the broker; reading retained state");
}

/* ---- set-up ---------------------------------------------------------------- */

/* --user and --password-file first, then the hall's one rule (broker_auth.h). */
static int credentials(jh_app *a, char *user, size_t userlen, char *pw, size_t pwlen, char *err,
                       size_t errlen)
{
    const char *own = a->o.user ? a->o.user : "display";
    if (jh_broker_login(a->cfg, own, user, userlen, pw, pwlen, err, errlen) < 0)
        return -1;
    if (a->o.user)
        snprintf(user, userlen, "%s", a->o.user);
    if (a->o.password_file)
        return jh_read_first_line(a->o.password_file, pw, pwlen, err, errlen);
    return 0;
}

static int open_link(jh_app *a, char *err, size_t errlen)
{
    char user[JH_ID_LEN], pw[JH_PASSWORD_LEN], client_id[JH_CLIENT_ID_LEN], id_sfx[JH_ID_LEN + 16];
    static const char *sfx[3] = {"state/#", "event/#", "status/caller"};
    if (credentials(a, user, sizeof user, pw, sizeof pw, err, errlen) < 0)
        return -1;
    jh_link_opts lo = {.host = a->cfg->broker_host, .port = a->cfg->broker_port, .user = user,
                       .password = pw[0] ? pw : NULL, .client_id = client_id,
                       .cafile = a->cfg->broker_cafile, .certfile = a->cfg->broker_certfile,
                       .keyfile = a->cfg->broker_keyfile, .n_topics = 3};
    snprintf(id_sfx, sizeof id_sfx, "%s-%d", a->dc.id, (int)getpid());
    if (jh_client_id(client_id, sizeof client_id, user, id_sfx, err, errlen) < 0)
        return -1;
    for (int i = 0; i < 3; i++) {
        jh_topic(a->topics[i], sizeof a->topics[i], a->cfg->site, sfx[i]);
        lo.topics[i] = a->topics[i];
    }
    a->link = jh_link_new(&lo, on_message, on_session, a, err, errlen);
    return a->link ? 0 : -1;
}

static int open_voice(jh_app *a, char *err, size_t errlen)
{
    char why[256], dir[1024];
    if (!a->dc.voice)
        return 0;
    /* --voice-dir, else the installed clips (asset_dir.h: beside the program, or the built-in place). */
    if (!a->o.voice_dir && jh_asset_path("voice", dir, sizeof dir, err, errlen) < 0)
        return -1;
    a->clips = malloc(sizeof *a->clips);
    if (!a->clips || jh_voice_load(a->clips, a->o.voice_dir ? a->o.voice_dir : dir, err, errlen) < 0) {
        free(a->clips);
        a->clips = NULL;
        return -1;
    }
    a->audio = jh_audio_open(a->o.voice_out, why, sizeof why);
    if (!a->audio && a->o.voice_out) {
        snprintf(err, errlen, "--voice-out: %s", why);
        return -1;
    }
    if (!a->audio) /* a board without a loudspeaker still shows the calls */
        jh_log(JH_LOG_WARN, "no sound: %s", why);
    return 0;
}

static int open_graphics(jh_app *a, char *err, size_t errlen)
{
    char title[96];
    snprintf(title, sizeof title, "Jiaohao display %s", a->dc.id);
    int led = a->dc.layout == JH_LAYOUT_LED;
    /* SIGINT/SIGTERM: main.c's handlers are in place before SDL_Init, so SDL leaves them alone. */
    jh_sdl_screen_opts so = {.title = title, .width = a->dc.width, .height = a->dc.height,
                             .placed = a->dc.has_position || led, /* the sending card captures x,y,w,h */
                             .x = a->dc.x, .y = a->dc.y, .fullscreen = a->dc.fullscreen, .mono = led,
                             .audio = a->dc.voice && !a->o.voice_out, .record = a->o.layout_out != NULL};
    return jh_sdl_screen_open(&a->scr, &so, err, errlen);
}

static int load_config(jh_app *a, char *err, size_t errlen)
{
    a->cfg = calloc(1, sizeof *a->cfg);
    a->board = malloc(sizeof *a->board);
    if (!a->cfg || !a->board) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (jh_config_load(a->cfg, a->o.config_path, err, errlen) < 0 ||
        jh_display_config_load(&a->dc, a->o.config_path, a->o.display_id, err, errlen) < 0 ||
        jh_time_set_zone(a->cfg->timezone, err, errlen) < 0)
        return -1;
    if (a->dc.layout == JH_LAYOUT_STRIP && jh_config_counter_index(a->cfg, a->dc.counter) < 0) {
        snprintf(err, errlen, "%s: [display %s] counter: '%s' is not a [counter] of this hall",
                 a->o.config_path, a->dc.id, a->dc.counter);
        return -1;
    }
    jh_board_init(a->board, a->cfg->site);
    return 0;
}

jh_app *jh_app_new(const jh_app_opts *o, char *err, size_t errlen)
{
    jh_app *a = calloc(1, sizeof *a);
    if (!a) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    a->o = *o;
    a->maintenance = -1;
    if (load_config(a, err, errlen) < 0 || open_graphics(a, err, errlen) < 0 ||
        open_voice(a, err, errlen) < 0 || open_link(a, err, errlen) < 0) {
        jh_app_free(a);
        return NULL;
    }
    a->started = mono_ms();
    jh_log(JH_LOG_INFO, "display %s: %s layout %dx%d, font %s, voice %s", a->dc.id,
           jh_layout_name(a->dc.layout), a->scr.draw.w, a->scr.draw.h, a->scr.fonts.family,
           a->audio ? (a->o.voice_out ? a->o.voice_out : "speaker") : "off");
    return a;
}

/* ---- frames -------------------------------------------------------------------- */

/* Whether to show maintenance, with the reason for technicians. */
static int in_maintenance(jh_app *a)
{
    if (!jh_link_connected(a->link)) {
        snprintf(a->reason, sizeof a->reason, "无法连接消息服务器 · broker unreachable (%s)",
                 jh_link_error(a->link));
        return 1;
    }
    if (!jh_link_subscribed(a->link)) {
        snprintf(a->reason, sizeof a->reason, "正在连接 · connecting");
        return 1;
    }
    if (a->board->caller_online != 1) {
        snprintf(a->reason, sizeof a->reason, "%s", a->board->caller_online == 0
                     ? "叫号服务离线 · caller offline" : "叫号服务未运行 · caller not running");
        return 1;
    }
    a->reason[0] = '\0';
    return 0;
}

/*
 * `steady`: a frame that is saved as a screenshot shows a fresh call in the
 * "on" phase of its blink and scrolling text at its start, so a picture never
 * catches the call hidden or a message scrolled half out of its box.
 */
static void render(jh_app *a, int64_t now, int steady)
{
    int m = in_maintenance(a);
    if (m != a->maintenance) {
        if (m)
            jh_log(JH_LOG_WARN, "showing maintenance: %s", a->reason);
        else
            jh_log(JH_LOG_INFO, "board live: %d counters, %d services", a->board->n_counters,
                   a->board->n_services);
        a->maintenance = m;
    }
    const jh_counter_config *cc = NULL;
    int ci = a->dc.layout == JH_LAYOUT_STRIP ? jh_config_counter_index(a->cfg, a->dc.counter) : -1;
    if (ci >= 0)
        cc = &a->cfg->counters[ci];
    jh_view v = {.board = a->board, .dc = &a->dc, .hall_name = a->cfg->name_zh,
                 .hall_name_en = a->cfg->name_en, .counter_number = cc ? cc->number : 0,
                 .counter_name = cc ? cc->name_zh : "", .counter_name_en = cc ? cc->name_en : "",
                 .maintenance = m, .reason = a->reason, .now_ms = jh_time_now_ms(),
                 .anim_ms = now, .scroll_ms = steady ? 0 : now, .hero_since_ms = a->hero_since};
    if (steady && jh_view_hero_fresh(&v))
        v.anim_ms = v.hero_since_ms;
    a->scr.draw.n_records = 0;
    jh_layout_draw(&a->scr.draw, &v);
}

static int write_text_file(const char *path, const char *text, char *err, size_t errlen)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    int ok = f && fputs(text, f) >= 0;
    ok = f && fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot write %s", path);
        return -1;
    }
    return 0;
}

/* Saves the frame being drawn (before present) as PNG, and the layout record. */
static int save_frame(jh_app *a, const char *path, char *err, size_t errlen)
{
    if (a->o.layout_out) {
        char *json = jh_draw_record_json(&a->scr.draw, a->maintenance ? "maintenance" : "board");
        int rc = json ? write_text_file(a->o.layout_out, json, err, errlen) : -1;
        free(json);
        if (rc < 0)
            return -1;
    }
    if (jh_screenshot_png(a->scr.ren, a->scr.draw.w, a->scr.draw.h, path, err, errlen) < 0)
        return -1;
    jh_log(JH_LOG_INFO, "saved %s (%s)", path, a->maintenance ? "maintenance" : "board");
    return 0;
}

/* --screenshot: subscribed and the retained state has settled, or no broker in time. */
static int first_frame_complete(const jh_app *a, int64_t now)
{
    if (jh_link_subscribed(a->link)) {
        int64_t last = jh_link_subscribed_at(a->link);
        if (jh_link_last_message_at(a->link) > last)
            last = jh_link_last_message_at(a->link);
        return now - last >= SETTLE_MS;
    }
    return now - a->started >= a->o.wait_ms;
}

static int pump_events(jh_app *a)
{
    SDL_Event e;
    int quit = a->o.quit_flag && *a->o.quit_flag;
    while (SDL_PollEvent(&e))
        if (e.type == SDL_QUIT)
            quit = 1;
    return quit;
}

int jh_app_step(jh_app *a, char *err, size_t errlen)
{
    int64_t now = mono_ms();
    if (pump_events(a))
        return 1;
    jh_link_pump(a->link, now);
    if (a->audio && jh_audio_pump(a->audio, err, errlen) < 0)
        return -1;
    int shoot = (a->o.shot_flag && *a->o.shot_flag) ||
                (a->o.screenshot && first_frame_complete(a, now));
    render(a, now, shoot);
    if (a->o.shot_flag && *a->o.shot_flag) {
        *a->o.shot_flag = 0;
        if (save_frame(a, a->o.shot_signal, err, errlen) < 0)
            return -1;
    }
    if (a->o.screenshot && first_frame_complete(a, now)) {
        SDL_RenderPresent(a->scr.ren);
        return save_frame(a, a->o.screenshot, err, errlen) < 0 ? -1 : 1;
    }
    SDL_RenderPresent(a->scr.ren);
    return 0;
}

/* systemctl status's line: what the last frame showed, and why (in_maintenance's reason). */
static void status_line(const jh_app *a, char *out, size_t n)
{
    const char *en = strstr(a->reason, "· "); /* the reason's English half is enough here */
    if (a->maintenance != 1)
        snprintf(out, n, "showing the hall (broker connected, caller online)");
    else
        snprintf(out, n, "系统维护中 shown: %s", en ? en + strlen("· ") : a->reason);
}

/* systemd (sd_notify.h): ready to draw; every frame kicks the watchdog, so a
 * board whose frames stopped is restarted instead of showing a stale call;
 * the status line follows what the frames show. */
int jh_app_run(jh_app *a, char *err, size_t errlen)
{
    const int64_t frame = 1000 / a->dc.fps;
    jh_sd_watchdog watchdog = {0};
    jh_sd_status status = {0};
    char why[300], line[JH_SD_STATUS_MAX];
    if (jh_sd_notify("READY=1", why, sizeof why) < 0)
        jh_log(JH_LOG_WARN, "systemd: %s", why);
    for (;;) {
        int64_t t0 = mono_ms();
        int rc = jh_app_step(a, err, errlen);
        if (rc != 0) {
            if (jh_sd_notify("STOPPING=1", why, sizeof why) < 0)
                jh_log(JH_LOG_WARN, "systemd: %s", why);
            return rc < 0 ? -1 : 0;
        }
        if (jh_sd_watchdog_kick(&watchdog, mono_ms(), why, sizeof why) < 0)
            jh_log(JH_LOG_WARN, "systemd watchdog: %s", why);
        status_line(a, line, sizeof line);
        if (jh_sd_status_set(&status, line, mono_ms(), why, sizeof why) < 0)
            jh_log(JH_LOG_WARN, "systemd: %s", why);
        int64_t left = t0 + frame - mono_ms();
        if (left > 0)
            SDL_Delay((Uint32)left);
    }
}

void jh_app_free(jh_app *a)
{
    if (!a)
        return;
    jh_link_free(a->link);
    jh_audio_close(a->audio);
    if (a->clips)
        jh_voice_free(a->clips);
    free(a->clips);
    jh_sdl_screen_close(&a->scr); /* after the audio: SDL_Quit ends its subsystem too */
    free(a->board);
    free(a->cfg);
    free(a);
}

const jh_board *jh_app_board(const jh_app *a) { return a->board; }
jh_text_stats jh_app_text_stats(const jh_app *a) { return jh_text_cache_stats(a->scr.text); }
int jh_app_maintenance(const jh_app *a) { return a->maintenance == 1; }
