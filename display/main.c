/*
 * jiaohao-display — the hall's boards: main board, counter strips, LED boards,
 * and the voice announcements. This file only reads the command line and
 * turns signals into flags; app.c does the work.
 */
#include <mosquitto.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
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
          "  --voice-dir DIR        voice clips (default: the project's assets/voice)\n"
          "  --user NAME            broker user (default: [broker] user, else display)\n"
          "  --password-file FILE   broker password (default: from the config)\n"
          "  --verbose              log debug lines\n"
          "  --help                 this text\n"
          "Headless: SDL_VIDEODRIVER=dummy.\n",
          f);
}

static int bad(const char *fmt, const char *arg)
{
    fprintf(stderr, "jiaohao-display: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (try --help)\n");
    return 2;
}

/* Fills *o from argv; returns -1 to exit 0 (--help), >0 exit code on bad input, 0 to run. */
static int parse_args(int argc, char **argv, jh_app_opts *o, int *verbose)
{
    static const char *with_value[] = {"--config", "--id", "--screenshot", "--wait", "--layout-out",
                                       "--screenshot-signal", "--voice-out", "--voice-dir", "--user",
                                       "--password-file"};
    const char **slot[] = {&o->config_path, &o->display_id, &o->screenshot, NULL, &o->layout_out,
                           &o->shot_signal, &o->voice_out, &o->voice_dir, &o->user, &o->password_file};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return -1;
        }
        if (strcmp(argv[i], "--verbose") == 0) {
            *verbose = 1;
            continue;
        }
        size_t k = 0, nk = sizeof with_value / sizeof with_value[0];
        while (k < nk && strcmp(argv[i], with_value[k]) != 0)
            k++;
        if (k == nk)
            return bad("unknown argument '%s'", argv[i]);
        if (i + 1 >= argc || argv[i + 1][0] == '\0')
            return bad("%s needs a value", argv[i]);
        const char *v = argv[++i];
        if (slot[k]) {
            *slot[k] = v;
            continue;
        }
        char *end;
        long ms = strtol(v, &end, 10);
        if (*end || ms < 0 || ms > 600000)
            return bad("--wait '%s' is not 0..600000 ms", v);
        o->wait_ms = (int)ms;
    }
    return 0;
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
