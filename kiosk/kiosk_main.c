/* SPDX-License-Identifier: MIT */
/*
 * jiaohao-kiosk — the ticket machine: touch screen, thermal printer, and its
 * side of the broker. This file only reads the command line and turns
 * signals into a flag; kiosk_app.c does the work.
 */
#include <mosquitto.h>
#include <signal.h>
#include <stdio.h>

#include "cli_opts.h"
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
    const jh_cli_opt opts[] = {
        {.name = "--config", .text = &o->config_path},
        {.name = "--id", .text = &o->kiosk_id},
        {.name = "--printer", .text = &o->printer_device},
        {.name = "--screenshot", .text = &o->screenshot},
        {.name = "--screenshot-each", .text = &o->shot_dir},
        {.name = "--script", .text = &o->script},
        {.name = "--wait", .number = &o->wait_ms, .lo = 0, .hi = 600000, .unit = "ms"},
        {.name = "--list-ports", .run = list_ports},
        {.name = "--verbose", .flag = verbose},
    };
    return jh_cli_parse("jiaohao-kiosk", argc, argv, opts, sizeof opts / sizeof opts[0], usage);
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
