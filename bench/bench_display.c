/* SPDX-License-Identifier: MIT */
/*
 * bench_display — how fast the boards draw and how soon a call reaches the screen.
 *
 * 1. Frame time of each layout on SDL's software renderer (the slowest case: no
 *    GPU), main board with 60 counters: the first (cold) frame, then mean and
 *    p99 over steady frames with the notice scrolling and the clock ticking,
 *    and how many strings were rasterised per steady frame.
 * 2. Call latency: a real mosquitto on a random loopback port, jiaohao-display's
 *    own frame loop (jh_app) at its configured frame rate, and a publisher
 *    thread sending event/called at random moments; measured from the publish
 *    to the end of the frame that shows the new number.
 * Prints a table; never pass/fail. Run: build/bin/bench_display
 */
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <mosquitto.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "bench_stats.h"
#include "board_state.h"
#include "display_config.h"
#include "draw.h"
#include "fonts.h"
#include "layout.h"
#include "text_cache.h"

#define FRAMES 300
#define CALLS 40

static void feed(jh_board *b, const char *sfx, const char *json)
{
    char topic[128], err[256];
    jh_board_update up;
    snprintf(topic, sizeof topic, "jh/v1/bench/%s", sfx);
    jh_board_apply(b, topic, json, strlen(json), &up, err, sizeof err);
}

/* A busy 60-counter hall: every kind of counter state, 8 services, a long notice. */
static void fill_hall(jh_board *b)
{
    static const char *staff[] = {"王小明", "李静", "张伟", "刘洋", "陈晨", "杨帆"};
    static const char *svc[] = {"A", "B", "C", "D", "E", "F", "G", "QY"};
    char sfx[64], json[512];
    feed(b, "status/caller", "{\"online\":true}");
    for (int i = 1; i <= 60; i++) {
        const char *st = i % 7 == 0 ? "idle" : i % 11 == 0 ? "paused" : i % 13 == 0 ? "closed" : "serving";
        snprintf(sfx, sizeof sfx, "state/counter/c%02d", i);
        snprintf(json, sizeof json, "{\"number\":%d,\"status\":\"%s\",\"ticket\":\"%s%03d\",\"staff_name\":\"%s\","
                 "\"staff_id\":\"%d\",\"message\":\"去3楼档案室取材料，10分钟后回来\"}", i, st, svc[i % 8], i * 3,
                 staff[i % 6], 1000 + i);
        feed(b, sfx, json);
    }
    for (int i = 0; i < 8; i++) {
        snprintf(sfx, sizeof sfx, "state/service/%s", svc[i]);
        snprintf(json, sizeof json, "{\"name\":\"业务%d\",\"waiting\":%d,\"ewt_s\":%d}", i, i * 3, i * 400);
        feed(b, sfx, json);
    }
    feed(b, "state/hall", "{\"seq\":1,\"name\":\"天河区政务服务中心\",\"notice\":\"温馨提示：请携带本人有效身份证件原件办理业务；"
                          "过号请到导办台重新取号。Please bring your original ID card.\",\"last_called\":"
                          "[{\"ticket\":\"A012\",\"counter\":\"c02\",\"counter_number\":2},"
                          "{\"ticket\":\"B027\",\"counter\":\"c04\",\"counter_number\":4}]}");
}

static void bench_layout(const char *name, jh_display_config *dc, int mono, jh_board *b)
{
    char err[256];
    jh_fonts fonts;
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, dc->width, dc->height, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *ren = SDL_CreateSoftwareRenderer(surf);
    if (!ren || jh_fonts_open(&fonts, mono, err, sizeof err) < 0) {
        fprintf(stderr, "bench_display: %s\n", ren ? err : SDL_GetError());
        exit(1);
    }
    jh_text_cache *tc = jh_text_cache_new(ren, &fonts, 1024);
    jh_draw d = {.r = ren, .text = tc, .w = dc->width, .h = dc->height, .solid = mono};
    jh_view v = {.board = b, .dc = dc, .hall_name = "大厅", .counter_number = 3,
                 .now_ms = 1763860000000, .anim_ms = 5000, .scroll_ms = 5000};
    double t0 = jh_bench_now_ms(), ft[FRAMES];
    jh_layout_draw(&d, &v);
    double cold = jh_bench_now_ms() - t0;
    uint64_t misses0 = jh_text_cache_stats(tc).misses;
    for (int i = 0; i < FRAMES; i++) {
        v.anim_ms += 33;
        v.scroll_ms += 33;
        v.now_ms += 33; /* the clock string changes every 30 frames */
        t0 = jh_bench_now_ms();
        jh_layout_draw(&d, &v);
        ft[i] = jh_bench_now_ms() - t0;
    }
    jh_bench_figures f = jh_bench_figures_of(ft, FRAMES);
    printf("| %-24s | %9dx%-4d | %8.1f | %8.2f | %8.2f | %8.2f | %10.2f |\n", name, dc->width, dc->height,
           cold, f.mean, f.p50, f.p99, (double)(jh_text_cache_stats(tc).misses - misses0) / FRAMES);
    jh_text_cache_free(tc);
    jh_fonts_close(&fonts);
    SDL_DestroyRenderer(ren);
    SDL_FreeSurface(surf);
}

static void frame_times(void)
{
    jh_board *b = malloc(sizeof *b);
    jh_board_init(b, "bench");
    fill_hall(b);
    printf("\nFrame time, SDL software renderer (ms)\n\n");
    printf("| %-24s | %14s | %8s | %8s | %8s | %8s | %10s |\n", "layout", "size", "cold", "mean", "p50", "p99",
           "raster/frm");
    printf("|%.26s|%.16s|%.10s|%.10s|%.10s|%.10s|%.12s|\n", "----------------------------", "------------------",
           "----------", "----------", "----------", "----------", "------------");
    jh_display_config main = {.layout = JH_LAYOUT_MAIN, .width = 1920, .height = 1080, .history = 8};
    bench_layout("main, 60 counters", &main, 0, b);
    jh_display_config strip = {.layout = JH_LAYOUT_STRIP, .width = 1920, .height = 360};
    strcpy(strip.counter, "c11"); /* paused: its message scrolls */
    bench_layout("strip (paused, scrolling)", &strip, 0, b);
    jh_display_config led = {.layout = JH_LAYOUT_LED, .width = 256, .height = 64, .led_font_px = 16,
                             .n_led_colors = 2, .led_colors = {0xFF2020, 0x20FF40}};
    bench_layout("led 256x64", &led, 1, b);
    free(b);
}

/* ---- call latency through a real broker and the real frame loop ---------------- */

typedef struct {
    int port;
    volatile double sent_at;
    volatile int seq;
    volatile int stop;
} pub_ctx;

static void *publisher(void *arg)
{
    pub_ctx *p = arg;
    struct mosquitto *m = mosquitto_new("bench-pub", true, NULL);
    mosquitto_int_option(m, MOSQ_OPT_TCP_NODELAY, 1);
    if (mosquitto_connect(m, "127.0.0.1", p->port, 10) != MOSQ_ERR_SUCCESS)
        return NULL;
    mosquitto_loop_start(m);
    for (int i = 1; i <= CALLS && !p->stop; i++) {
        usleep(120000 + (useconds_t)(rand() % 150000)); /* a random moment within the frame cycle */
        char json[256];
        snprintf(json, sizeof json, "{\"seq\":%d,\"ticket\":\"Z%03d\",\"counter\":\"c02\",\"counter_number\":2}", 100 + i, i);
        p->sent_at = jh_bench_now_ms();
        p->seq = i;
        mosquitto_publish(m, NULL, "jh/v1/bench/event/called", (int)strlen(json), json, 1, false);
        while (p->seq == i && !p->stop) /* wait until the board showed it */
            usleep(1000);
    }
    mosquitto_disconnect(m);
    mosquitto_loop_stop(m, false);
    mosquitto_destroy(m);
    return NULL;
}

/*
 * A loopback port from 20000 up to the kernel's ephemeral range, as
 * tests/integration/lib.sh's random_port: an ephemeral port may be taken by
 * some outgoing connection before mosquitto binds it.
 */
static int random_port(void)
{
    int lo = 0;
    FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
    if (f) {
        if (fscanf(f, "%d", &lo) != 1)
            lo = 0;
        fclose(f);
    }
    if (lo <= 22000 || lo > 65535)
        lo = 32768;
    return 20000 + rand() % (lo - 20000);
}

static pid_t start_broker(const char *dir, int *port)
{
    char conf[512];
    snprintf(conf, sizeof conf, "%s/mosquitto.conf", dir);
    srand((unsigned)getpid());
    *port = random_port();
    FILE *f = fopen(conf, "w");
    fprintf(f, "listener %d 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\npersistence false\n", *port);
    fclose(f);
    pid_t pid = fork();
    if (pid == 0) {
        freopen("/dev/null", "w", stderr);
        execlp("mosquitto", "mosquitto", "-c", conf, (char *)NULL);
        _exit(127);
    }
    usleep(300000);
    return pid;
}

static void write_hall(const char *path, int port)
{
    FILE *f = fopen(path, "w");
    fprintf(f, "[hall]\nsite = bench\nname_zh = 基准大厅\nname_en = Bench Hall\ntimezone = Asia/Shanghai\n"
               "data_dir = /tmp\n\n[broker]\nhost = 127.0.0.1\nport = %d\n\n"
               "[service A]\nname_zh = 社保\nname_en = Social\nnumbers = 1-999\nhours = mon-sun 00:00-24:00\n"
               "target_minutes = 10\n\n[counter c02]\nnumber = 2\nname_zh = 2号窗口\nname_en = Window 2\n"
               "services = A\n\n[display bench]\nlayout = main\nvoice = off\nfps = 30\n", port);
    fclose(f);
}

static void publish_hall(int port)
{
    jh_board *b = malloc(sizeof *b);
    struct mosquitto *m = mosquitto_new("bench-state", true, NULL);
    if (mosquitto_connect(m, "127.0.0.1", port, 10) != MOSQ_ERR_SUCCESS) {
        fprintf(stderr, "bench_display: cannot reach the bench broker\n");
        exit(1);
    }
    mosquitto_publish(m, NULL, "jh/v1/bench/status/caller", 15, "{\"online\":true}", 1, true);
    for (int i = 1; i <= 60; i++) {
        char t[64], j[256];
        snprintf(t, sizeof t, "jh/v1/bench/state/counter/c%02d", i);
        snprintf(j, sizeof j, "{\"number\":%d,\"status\":\"serving\",\"ticket\":\"A%03d\",\"staff_name\":\"王小明\"}", i, i);
        mosquitto_publish(m, NULL, t, (int)strlen(j), j, 1, true);
    }
    for (int i = 0; i < 200; i++)
        mosquitto_loop(m, 5, 1);
    mosquitto_disconnect(m);
    mosquitto_loop(m, 5, 1);
    mosquitto_destroy(m);
    free(b);
}

static void call_latency(void)
{
    char dir[] = "/tmp/jh-bench-display-XXXXXX", hall[600], err[512];
    if (!mkdtemp(dir))
        return;
    int port;
    pid_t broker = start_broker(dir, &port);
    snprintf(hall, sizeof hall, "%s/hall.ini", dir);
    write_hall(hall, port);
    publish_hall(port);
    jh_app_opts o = {.config_path = hall, .display_id = "bench", .wait_ms = 3000};
    jh_app *a = jh_app_new(&o, err, sizeof err);
    if (!a) {
        fprintf(stderr, "bench_display: %s\n", err);
        kill(broker, SIGTERM);
        return;
    }
    while (jh_app_maintenance(a) || jh_app_board(a)->n_counters < 60) /* retained state in */
        if (jh_app_step(a, err, sizeof err) != 0)
            break;
    pub_ctx p = {.port = port};
    pthread_t th;
    pthread_create(&th, NULL, publisher, &p);
    double lat[CALLS];
    int n = 0;
    double deadline = jh_bench_now_ms() + 60000;
    while (n < CALLS && jh_bench_now_ms() < deadline) {
        double t0 = jh_bench_now_ms();
        if (jh_app_step(a, err, sizeof err) != 0)
            break;
        const jh_board *b = jh_app_board(a);
        char want[16];
        snprintf(want, sizeof want, "Z%03d", p.seq);
        if (p.seq > 0 && b->n_history && strcmp(b->history[0].ticket, want) == 0) {
            lat[n++] = jh_bench_now_ms() - p.sent_at; /* this frame was presented with the new number */
            p.seq = 0;
        }
        double left = t0 + 1000.0 / 30 - jh_bench_now_ms();
        if (left > 0)
            usleep((useconds_t)(left * 1000));
    }
    p.stop = 1;
    pthread_join(th, NULL);
    jh_app_free(a);
    kill(broker, SIGTERM);
    waitpid(broker, NULL, 0);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_display: could not remove %s\n", dir);
    if (n == 0) {
        printf("\ncall latency: no call reached the screen\n");
        return;
    }
    jh_bench_figures f = jh_bench_figures_of(lat, n);
    printf("\nCall latency: event/called published -> frame showing it (real mosquitto, 30 fps loop)\n\n");
    printf("| %-6s | %8s | %8s | %8s | %8s |\n", "calls", "mean ms", "p50 ms", "p99 ms", "max ms");
    printf("|--------|----------|----------|----------|----------|\n");
    printf("| %-6d | %8.1f | %8.1f | %8.1f | %8.1f |\n", n, f.mean, f.p50, f.p99, f.max);
}

int main(void)
{
    setenv("SDL_VIDEODRIVER", "dummy", 0);
    if (SDL_Init(SDL_INIT_VIDEO) != 0 || TTF_Init() != 0) {
        fprintf(stderr, "bench_display: %s\n", SDL_GetError());
        return 1;
    }
    frame_times();
    TTF_Quit();
    SDL_Quit();
    mosquitto_lib_init();
    call_latency();
    mosquitto_lib_cleanup();
    return 0;
}
