/*
 * jiaohao-kiosk — the ticket machine: touch screen, thermal printer, and its
 * side of the broker. This file only reads the command line and turns
 * signals into a flag; kiosk_app.c does the work.
 */
#include <mosquitto.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk_app.h"
#include "log.h"
#include "serial_port.h"

static volatile sig_atomic_t quit_flag;

static void on_quit(int sig)
{
    (void)sig;
    quit_flag = 1;
}

static void usage(FILE *f)
{
    fputs("usage: jiaohao-kiosk [--config FILE] [--id KIOSK] [options]\n"
          "  --config FILE           hall configuration (default assets/hall.ini)\n"
          "  --id KIOSK              which [kiosk <id>] this machine is (default: the first)\n"
          "  --printer DEVICE        the printer's serial device (overrides [printer] device)\n"
          "  --list-ports            list the machine's serial ports and exit\n"
          "  --screenshot FILE.png   save the first complete frame and exit (the paused\n"
          "                          screen when no broker answers within --wait)\n"
          "  --wait MS               --screenshot: how long to wait for broker and printer (default 3000)\n"
          "  --screenshot-each DIR   save every new screen as DIR/NNN-<screen>.png (+ .json layout)\n"
          "  --script FILE           test hook: timed taps and waits (see kiosk/kiosk_script.h)\n"
          "  --verbose               log debug lines\n"
          "  --help                  this text\n"
          "Headless: SDL_VIDEODRIVER=dummy.\n",
          f);
}

static int bad(const char *fmt, const char *arg)
{
    fprintf(stderr, "jiaohao-kiosk: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (try --help)\n");
    return 2;
}

static void print_port(const char *name, const char *description, void *ctx)
{
    (void)ctx;
    printf("%s%s%s\n", name, *description ? "\t" : "", description);
}

static int list_ports(void)
{
    char err[256];
    int n = jh_serial_list_ports(print_port, NULL, err, sizeof err);
    if (n < 0) {
        fprintf(stderr, "jiaohao-kiosk: %s\n", err);
        return 1;
    }
    if (n == 0)
        fprintf(stderr, "jiaohao-kiosk: no serial ports found\n");
    return 0;
}

/* Fills *o; returns -1 to exit 0 (--help, --list-ports), > 0 exit code on bad input, 0 to run. */
static int parse_args(int argc, char **argv, jh_kiosk_opts *o, int *verbose)
{
    static const char *with_value[] = {"--config", "--id", "--printer", "--screenshot", "--screenshot-each",
                                       "--script", "--wait"};
    const char **slot[] = {&o->config_path, &o->kiosk_id, &o->printer_device, &o->screenshot, &o->shot_dir,
                           &o->script, NULL};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return usage(stdout), -1;
        if (!strcmp(argv[i], "--list-ports"))
            return list_ports() == 0 ? -1 : 1;
        if (!strcmp(argv[i], "--verbose")) {
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
    jh_kiosk_opts o = {.config_path = "assets/hall.ini", .wait_ms = 3000};
    int verbose = 0;
    int rc = parse_args(argc, argv, &o, &verbose);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    jh_log_init("jiaohao-kiosk", verbose ? JH_LOG_DEBUG : JH_LOG_INFO);

    struct sigaction sa = {0};
    sa.sa_handler = on_quit;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    o.quit_flag = &quit_flag;

    char err[512];
    mosquitto_lib_init();
    jh_kiosk_app *a = jh_kiosk_new(&o, err, sizeof err);
    if (!a) {
        fprintf(stderr, "jiaohao-kiosk: %s\n", err);
        mosquitto_lib_cleanup();
        return 1;
    }
    rc = jh_kiosk_run(a, err, sizeof err);
    jh_kiosk_free(a);
    mosquitto_lib_cleanup();
    if (rc < 0) {
        fprintf(stderr, "jiaohao-kiosk: %s\n", err);
        return 1;
    }
    return 0;
}
