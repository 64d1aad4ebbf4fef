/* SPDX-License-Identifier: MIT */
/*
 * jiaohao-display — the hall's boards: main board, counter strips, LED boards,
 * and the voice announcements. This file only reads the command line and
 * turns signals into flags; app.c does the work.
 */
#include <mosquitto.h>
#include <signal.h>
#include <stdio.h>

#include "app.h"
#include "cli_opts.h"
#include "log.h"

static volatile sig_atomic_t quit_flag, shot_flag;

static void on_quit(int sig)
{
    (void)sig;
    quit_flag = 1;
}

static void on_usr1(int sig)
{
    (void)sig;
    shot_flag = 1;
}

static void usage(FILE *f)
{
    fputs("usage: jiaohao-display [--config FILE] [--id DISPLAY] [options]\n"
          "  --config FILE          hall configuration (default assets/hall.ini)\n"
          "  --id DISPLAY           which [display <id>] section to run (default: the first)\n"
          "  --screenshot FILE.png  save the first complete frame and exit (maintenance\n"
          "                         screen when no broker answers within --wait)\n"
          "  --wait MS              --screenshot: how long to wait for the broker (default 3000)\n"
          "  --layout-out FILE.json with each saved frame, where each tagged text was drawn\n"
          "  --screenshot-signal FILE.png  on SIGUSR1, save the current frame there\n"
          "  --voice-out FILE.wav   write the announcements to FILE instead of playing them\n"
          "  --voice-dir DIR        voice clips (default: the installed share/jiaohao/voice)\n"
          "  --user NAME            broker user (default: [broker] user, else display)\n"
          "  --password-file FILE   broker password (default: from the config)\n"
          "  --verbose              log debug lines\n"
          "  --help                 this text\n"
          "Headless: SDL_VIDEODRIVER=dummy.\n",
          f);
}

/* Fills *o from argv; returns -1 to exit 0 (--help), >0 exit code on bad input, 0 to run. */
static int parse_args(int argc, char **argv, jh_app_opts *o, int *verbose)
{
    const jh_cli_opt opts[] = {
        {.name = "--config", .text = &o->config_path},
        {.name = "--id", .text = &o->display_id},
        {.name = "--screenshot", .text = &o->screenshot},
        {.name = "--wait", .number = &o->wait_ms, .lo = 0, .hi = 600000, .unit = "ms"},
        {.name = "--layout-out", .text = &o->layout_out},
        {.name = "--screenshot-signal", .text = &o->shot_signal},
        {.name = "--voice-out", .text = &o->voice_out},
        {.name = "--voice-dir", .text = &o->voice_dir},
        {.name = "--user", .text = &o->user},
        {.name = "--password-file", .text = &o->password_file},
        {.name = "--verbose", .flag = verbose},
    };
    return jh_cli_parse("jiaohao-display", argc, argv, opts, sizeof opts / sizeof opts[0], usage);
}

int main(int argc, char **argv)
{
    jh_app_opts o = {.config_path = "assets/hall.ini", .wait_ms = 3000};
    int verbose = 0;
    int rc = parse_args(argc, argv, &o, &verbose);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    jh_log_init("jiaohao-display", verbose ? JH_LOG_DEBUG : JH_LOG_INFO);

    struct sigaction sa = {0};
    sa.sa_handler = on_quit;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    o.quit_flag = &quit_flag;
    o.shot_flag = o.shot_signal ? &shot_flag : NULL;

    char err[512];
    mosquitto_lib_init();
    jh_app *a = jh_app_new(&o, err, sizeof err);
    if (!a) {
        fprintf(stderr, "jiaohao-display: %s\n", err);
        mosquitto_lib_cleanup();
        return 1;
    }
    rc = jh_app_run(a, err, sizeof err);
    jh_app_free(a);
    mosquitto_lib_cleanup();
    if (rc < 0) {
        fprintf(stderr, "jiaohao-display: %s\n", err);
        return 1;
    }
    return 0;
}
