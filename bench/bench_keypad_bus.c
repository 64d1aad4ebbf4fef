/* SPDX-License-Identifier: MIT */
/*
 * bench_keypad_bus — how long the wired keypad bus takes to notice a press,
 * and how fast the byte decoder is. Prints figures; never pass/fail.
 *
 * The bus is simulated with wire time: the real bus_master and real keypads
 * (firmware-bridge/keypad/), every byte costing 10 bit times at the baud rate,
 * a device answering 1 ms after a request. Presses come at random moments;
 * latency is from the keypad queueing the event to the master handing it out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bus_master.h"
#include "keypad.h"

#define MAX_KP 32

static bus_master m;
static keypad kp[MAX_KP];

typedef struct {
    int n, baud;
    int64_t now_us;
    int64_t queued_at[MAX_KP];
    double sum_ms, max_ms;
    int got;
} bench;

static int64_t wire_us(const bench *b, size_t bytes)
{
    return (int64_t)bytes * 10 * 1000000 / b->baud;
}

static void exchange(bench *b, const uint8_t *req, size_t n)
{
    b->now_us += wire_us(b, n);
    for (int i = 0; i < b->n; i++) {
        uint8_t reply[BUS_WIRE_MAX];
        for (size_t k = 0; k < n; k++) {
            size_t r = keypad_bus_byte(&kp[i], req[k], reply, sizeof reply);
            if (r) {
                b->now_us += 1000 + wire_us(b, r);
                bm_rx(&m, b->now_us / 1000, reply, r);
            }
        }
    }
}

static void collect(bench *b)
{
    bm_event ev;
    while (bm_next_event(&m, &ev)) {
        if (ev.type != BM_EV_INPUT)
            continue;
        int i = ev.addr - 1;
        double ms = (double)(b->now_us - b->queued_at[i]) / 1000.0;
        b->sum_ms += ms;
        if (ms > b->max_ms)
            b->max_ms = ms;
        b->got++;
    }
}

static void run(int n, int baud, int presses)
{
    bench b = {.n = n, .baud = baud};
    bm_config c;
    bm_config_default(&c);
    bm_init(&m, &c);
    keypad_config kc;
    keypad_config_default(&kc);
    for (int i = 0; i < n; i++) {
        keypad_init(&kp[i], (uint8_t)(i + 1), 1, &kc);
        bm_add_device(&m, (uint8_t)(i + 1), BUS_DEV_KEYPAD);
    }
    srand(42);
    int64_t next_press = 500000, tick_at = 0;
    int pressed = 0, held = -1;
    uint32_t cycles0 = 0;
    int64_t t0 = 0;
    while (b.got < presses && b.now_us < 600LL * 1000000) {
        while (tick_at <= b.now_us) {     /* firmware ticks every 5 ms */
            for (int i = 0; i < n; i++) {
                uint16_t before = kp[i].bus.next_seq;
                keypad_tick(&kp[i], i == held ? 1u << KEYPAD_CALL : 0);
                if (kp[i].bus.next_seq != before)
                    b.queued_at[i] = tick_at;
            }
            tick_at += 5000;
        }
        if (held >= 0 && b.now_us > next_press + 80000) {
            held = -1;
            next_press = b.now_us + 200000 + rand() % 800000;
        } else if (held < 0 && b.now_us >= next_press && pressed < presses) {
            held = rand() % n;
            pressed++;
        }
        if (m.cycle == 2 && t0 == 0) {
            t0 = b.now_us;
            cycles0 = m.cycle;
        }
        uint8_t out[BUS_WIRE_MAX];
        size_t len = bm_step(&m, b.now_us / 1000, out, sizeof out);
        if (len)
            exchange(&b, out, len);
        else
            b.now_us += 250;
        collect(&b);
    }
    double cycle_ms = (double)(b.now_us - t0) / 1000.0 / (double)(m.cycle - cycles0);
    printf("%2d keypads @ %5d baud: cycle %6.1f ms, press->master mean %6.1f ms, max %6.1f ms (%d presses)\n",
           n, baud, cycle_ms, b.got ? b.sum_ms / b.got : 0.0, b.max_ms, b.got);
}

static void decoder_speed(void)
{
    enum { FRAMES = 20000 };
    static uint8_t stream[FRAMES * 40];
    size_t n = 0;
    for (int i = 0; i < FRAMES; i++) {
        bus_frame f = {.addr = (uint8_t)(1 + i % 32), .seq = (uint8_t)i, .cmd = 0x81, .len = 16};
        for (int k = 0; k < 16; k++)
            f.payload[k] = (uint8_t)(i * 7 + k);
        uint8_t w[BUS_WIRE_MAX];
        size_t len = bus_frame_encode(&f, w, sizeof w);
        memcpy(stream + n, w, len);
        n += len;
    }
    bus_decoder d;
    bus_frame f;
    struct timespec a, z;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int reps = 50, frames = 0;
    for (int r = 0; r < reps; r++) {
        bus_decoder_init(&d);
        for (size_t i = 0; i < n; i++)
            frames += bus_decoder_feed(&d, stream[i], &f);
    }
    clock_gettime(CLOCK_MONOTONIC, &z);
    double s = (double)(z.tv_sec - a.tv_sec) + (double)(z.tv_nsec - a.tv_nsec) / 1e9;
    printf("decoder: %.1f MB/s, %.2f M frames/s (%d frames)\n", (double)n * reps / s / 1e6, frames / s / 1e6, frames);
}

int main(void)
{
    decoder_speed();
    const int sizes[] = {4, 8, 16, 32};
    const int bauds[] = {9600, 19200, 38400};
    for (size_t b = 0; b < 3; b++)
        for (size_t i = 0; i < 4; i++)
            run(sizes[i], bauds[b], 200);
    return 0;
}
