/* SPDX-License-Identifier: MIT */
/*
 * keypad — see keypad.h. Refused keys (queue full, a command key while a
 * number is being typed, a bad digit) sound the error beep and change nothing,
 * so staff always hear whether a press took.
 */
#include "keypad.h"

#include <string.h>

#define CLICK_MS 20
#define ERROR_MS 120

static const char *const key_names[KEYPAD_KEY_COUNT] = {
    "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
    "call", "recall", "skip", "pause", "resume", "finish",
    "transfer", "login", "rate", "enter", "clear",
};

void keypad_config_default(keypad_config *c)
{
    c->tick_ms = 5;
    c->debounce_ticks = 4;
}

/* The PIN is never shown: one '*' per digit, so staff see how many they typed. */
static void refresh_shown(keypad *k)
{
    static const char prefix[] = {0, 'L', 'T', 'P'};
    if (k->entry == KEYPAD_ENTRY_NONE) {
        memcpy(k->shown, k->bus.display, sizeof k->shown);
        return;
    }
    size_t n = 0;
    k->shown[n++] = prefix[k->entry];
    k->shown[n++] = '-';
    if (k->entry == KEYPAD_ENTRY_PIN)
        for (int i = 0; i < k->npin && n < BUS_TEXT_MAX; i++)
            k->shown[n++] = '*';
    else
        for (int i = 0; i < k->ndigits && n < BUS_TEXT_MAX; i++)
            k->shown[n++] = (char)k->digits[i];
    k->shown[n] = 0;
}

void keypad_init(keypad *k, uint8_t addr, uint16_t session, const keypad_config *cfg)
{
    memset(k, 0, sizeof *k);
    k->cfg = *cfg;
    if (k->cfg.tick_ms == 0)
        k->cfg.tick_ms = 1;
    bus_slave_init(&k->bus, addr, BUS_DEV_KEYPAD, session);
    debounce_init(&k->keys, cfg->debounce_ticks);
    beeper_init(&k->buzzer);
    refresh_shown(k);
}

static void sound(keypad *k, uint8_t count, uint16_t ms)
{
    uint16_t ticks = (uint16_t)((ms + k->cfg.tick_ms - 1) / k->cfg.tick_ms);
    beeper_start(&k->buzzer, count, ticks ? ticks : 1);
}

static void refuse(keypad *k)
{
    k->refused++;
    sound(k, 2, ERROR_MS);
}

static void queue(keypad *k, uint8_t kind, const uint8_t *data, uint8_t len)
{
    if (bus_slave_queue(&k->bus, kind, data, len) == 0) {
        refuse(k);
        return;
    }
    sound(k, 1, CLICK_MS);
}

static void end_entry(keypad *k)
{
    k->entry = KEYPAD_ENTRY_NONE;
    k->ndigits = 0;
    memset(k->pin, 0, sizeof k->pin);
    k->npin = 0;
}

/* LOGIN's data: the staff number, then '*' and the PIN; without a PIN typed
 * (ENTER at once) the old frame, which halls allow with pinless_keypad_login. */
static void queue_login(keypad *k)
{
    uint8_t data[BUS_EVENT_DATA_MAX];
    size_t n = k->ndigits;
    memcpy(data, k->digits, n);
    if (k->npin > 0) {
        data[n++] = BUS_PIN_SEP;
        memcpy(data + n, k->pin, k->npin);
        n += k->npin;
    }
    queue(k, BUS_EV_LOGIN, data, (uint8_t)n);
    memset(data, 0, sizeof data);
}

static void submit_entry(keypad *k)
{
    keypad_entry e = k->entry;
    if (e == KEYPAD_ENTRY_LOGIN && k->ndigits == 0)
        queue(k, BUS_EV_LOGOUT, NULL, 0);   /* LOGIN ENTER with no number logs out */
    else if (e == KEYPAD_ENTRY_LOGIN) {
        k->entry = KEYPAD_ENTRY_PIN;         /* the number is in: now the PIN */
        sound(k, 1, CLICK_MS);
        return;
    } else if (e == KEYPAD_ENTRY_PIN)
        queue_login(k);
    else if (e == KEYPAD_ENTRY_TRANSFER && k->ndigits > 0)
        queue(k, BUS_EV_TRANSFER, k->digits, k->ndigits);
    else {
        refuse(k);
        return;                              /* stay in the entry: nothing to send yet */
    }
    end_entry(k);
}

static void on_digit(keypad *k, uint8_t d)
{
    if (k->entry == KEYPAD_ENTRY_PIN) {
        if (k->npin >= BUS_PIN_MAX) {
            refuse(k);
            return;
        }
        k->pin[k->npin++] = (uint8_t)('0' + d);
        sound(k, 1, CLICK_MS);
        return;
    }
    uint8_t max = k->entry == KEYPAD_ENTRY_LOGIN ? BUS_STAFF_MAX
                : k->entry == KEYPAD_ENTRY_TRANSFER ? BUS_TRANSFER_MAX : 0;
    if (k->ndigits >= max) {
        refuse(k);
        return;
    }
    k->digits[k->ndigits++] = (uint8_t)('0' + d);
    sound(k, 1, CLICK_MS);
}

static void start_entry(keypad *k, keypad_entry e)
{
    if (k->entry != KEYPAD_ENTRY_NONE) {
        refuse(k);
        return;
    }
    k->entry = e;
    k->ndigits = 0;
    sound(k, 1, CLICK_MS);
}

static void on_key(keypad *k, int key)
{
    k->presses++;
    if (key <= 9) {
        on_digit(k, (uint8_t)key);
    } else if (key >= KEYPAD_CALL && key <= KEYPAD_FINISH) {
        if (k->entry != KEYPAD_ENTRY_NONE) {
            refuse(k);
            return;
        }
        uint8_t bus_key = (uint8_t)(key - KEYPAD_CALL + BUS_KEY_CALL);
        queue(k, BUS_EV_KEY, &bus_key, 1);
    } else if (key == KEYPAD_TRANSFER) {
        start_entry(k, KEYPAD_ENTRY_TRANSFER);
    } else if (key == KEYPAD_LOGIN) {
        start_entry(k, KEYPAD_ENTRY_LOGIN);
    } else if (key == KEYPAD_RATE) {
        if (k->entry != KEYPAD_ENTRY_NONE) {
            refuse(k);
            return;
        }
        queue(k, BUS_EV_INVITE, NULL, 0);
    } else if (key == KEYPAD_ENTER) {
        submit_entry(k);
    } else if (key == KEYPAD_CLEAR) {
        end_entry(k);
        sound(k, 1, CLICK_MS);
    }
}

void keypad_tick(keypad *k, uint32_t raw)
{
    beeper_tick(&k->buzzer);
    uint8_t count, on_10ms;
    if (bus_slave_take_beep(&k->bus, &count, &on_10ms))
        sound(k, count, (uint16_t)(on_10ms * 10));
    uint32_t pressed = debounce_sample(&k->keys, raw & ((1u << KEYPAD_KEY_COUNT) - 1));
    for (int key = 0; key < KEYPAD_KEY_COUNT; key++)
        if (pressed & (1u << key))
            on_key(k, key);
    if (k->entry != KEYPAD_ENTRY_NONE)
        k->bus.flags |= BUS_FLAG_ENTRY;
    else
        k->bus.flags &= (uint8_t)~BUS_FLAG_ENTRY;
    refresh_shown(k);
}

size_t keypad_bus_byte(keypad *k, uint8_t byte, uint8_t *reply, size_t cap)
{
    size_t n = bus_slave_feed(&k->bus, byte, reply, cap);
    if (n)
        refresh_shown(k);
    return n;
}

const char *keypad_display(const keypad *k)
{
    return k->shown;
}

uint8_t keypad_leds(const keypad *k)
{
    return k->bus.leds;
}

int keypad_beeper_on(const keypad *k)
{
    return beeper_on(&k->buzzer);
}

int keypad_key_parse(const char *name)
{
    for (int i = 0; i < KEYPAD_KEY_COUNT; i++)
        if (strcmp(key_names[i], name) == 0)
            return i;
    return -1;
}

const char *keypad_key_name(int key)
{
    return key >= 0 && key < KEYPAD_KEY_COUNT ? key_names[key] : "?";
}
