/* SPDX-License-Identifier: MIT */
/*
 * sim_script — the timed script that drives jiaohao-keypad-sim
 * (format in docs/keypad-bus.md, "Simulator").
 *
 * Owns: reading the script text into device declarations and a time-sorted
 * list of actions, checking every line (unknown device, key, action or a bad
 * number is an error naming file and line; nothing half-parsed is used).
 * It does no I/O beyond reading the file and knows nothing of the bus.
 */
#ifndef JH_SIM_SCRIPT_H
#define JH_SIM_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#define SIM_MAX_DEVICES 32
#define SIM_MAX_ACTIONS 1024
#define SIM_TEXT_MAX 16

typedef enum {
    SIM_PRESS,     /* key: hold it down for a normal press */
    SIM_BOUNCE,    /* key: press with contact chatter first */
    SIM_TYPE,      /* text: digits, one press each */
    SIM_LOGIN,     /* text: LOGIN, digits, ENTER, pin, ENTER (no digits: logout) */
    SIM_TRANSFER,  /* text: TRANSFER, digits, ENTER */
    SIM_RATE,      /* pads, n: score 1..5; keypads: RATE alone (invite a rating) */
    SIM_SILENT,    /* stop answering (still hears and acts) */
    SIM_ANSWER,    /* answer again */
    SIM_NOISE,     /* n random bytes go out before the next reply */
    SIM_DUPLICATE, /* the next reply is sent twice */
    SIM_CORRUPT,   /* one bit of the next reply is flipped */
    SIM_TRUNCATE,  /* only the first half of the next reply is sent */
    SIM_REBOOT,    /* power cycle: new session (n, or old + 1), state lost */
    SIM_END        /* the simulator exits */
} sim_action_kind;

typedef struct {
    int64_t at_ms;
    int line;
    sim_action_kind kind;
    int dev;               /* index into sim_script.dev; -1 for SIM_END */
    int key;               /* SIM_PRESS, SIM_BOUNCE: keypad_key or score */
    int n;
    char text[SIM_TEXT_MAX];
    char pin[SIM_TEXT_MAX]; /* SIM_LOGIN: "" = ENTER at the PIN prompt (pinless) */
} sim_action;

typedef struct {
    int is_pad;
    uint8_t addr;
    uint16_t session;
} sim_device;

typedef struct {
    sim_device dev[SIM_MAX_DEVICES];
    int ndev;
    sim_action act[SIM_MAX_ACTIONS];
    int nact;
} sim_script;

/* Parses script text; `name` appears in messages. 0, or -1 with err. */
int sim_script_parse(sim_script *s, const char *text, const char *name, char *err, size_t errlen);

int sim_script_load(sim_script *s, const char *path, char *err, size_t errlen);

const char *sim_action_name(sim_action_kind k);

#endif
