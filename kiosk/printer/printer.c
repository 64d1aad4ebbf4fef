/* SPDX-License-Identifier: MIT */
/*
 * printer — see printer.h.
 *
 * Reply shapes let one byte stream carry two kinds of answer: real-time
 * status (DLE EOT) is 0xx1xx10, the GS r 1 paper-sensor reply is 0xx0xxxx.
 * So the barrier can be awaited while DLE EOT polls are answered in between.
 *
 * A query sent while kilobytes of ticket are still travelling down the wire
 * is answered only once they have arrived (a pty buffers them; a real port
 * has just drained them), so reply timeouts count from the moment the data
 * should have left at the configured baud rate, not from when write() returned.
 */
#include "printer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define POLL_MS 250 /* how often a running job is checked on */

struct jh_printer {
    jh_serial *s;
    jh_printer_config pc;
    char ioerr[200];
};

static const struct {
    const char *name, *zh, *en;
} g_state_text[] = {
    [JH_PRINTER_READY] = {"ready", "打印机就绪", "Printer ready"},
    [JH_PRINTER_PAPER_NEAR_END] = {"paper-near-end", "打印纸即将用完，请及时更换", "Paper running low, please replace the roll"},
    [JH_PRINTER_PAPER_OUT] = {"paper-out", "打印机缺纸，请联系工作人员", "Printer out of paper, please ask staff"},
    [JH_PRINTER_COVER_OPEN] = {"cover-open", "打印机盖未关好，请联系工作人员", "Printer cover open, please ask staff"},
    [JH_PRINTER_OFFLINE] = {"offline", "打印机未连接或无响应，请联系工作人员", "Printer not responding, please ask staff"},
    [JH_PRINTER_ERROR] = {"error", "打印机故障，请联系工作人员", "Printer fault, please ask staff"},
};

const char *jh_printer_state_name(jh_printer_state s)
{
    return (unsigned)s <= JH_PRINTER_ERROR ? g_state_text[s].name : "unknown";
}

const char *jh_print_result_name(jh_print_result r)
{
    switch (r) {
    case JH_PRINT_OK: return "ok";
    case JH_PRINT_REFUSED: return "refused";
    default: return "failed";
    }
}

static void set_state(jh_printer_status *st, jh_printer_state s)
{
    st->state = s;
    st->can_print = s == JH_PRINTER_READY || s == JH_PRINTER_PAPER_NEAR_END;
    st->text_zh = g_state_text[s].zh;
    st->text_en = g_state_text[s].en;
}

static int rt_shaped(uint8_t b) { return (b & 0x93) == 0x12; }
static int barrier_shaped(uint8_t b) { return (b & 0x90) == 0x00; }

static jh_printer_state error_cause(const uint8_t *r, size_t len, char *detail, size_t n)
{
    if (len < 4)
        snprintf(detail, n, "DLE EOT 2 = 0x%02X: error", r[1]);
    else if (r[3] & 0x08)
        snprintf(detail, n, "DLE EOT 3 = 0x%02X: autocutter error", r[3]);
    else if (r[3] & 0x20)
        snprintf(detail, n, "DLE EOT 3 = 0x%02X: unrecoverable error", r[3]);
    else if (r[3] & 0x40)
        snprintf(detail, n, "DLE EOT 3 = 0x%02X: auto-recoverable error (head temperature?)", r[3]);
    else
        snprintf(detail, n, "DLE EOT 2 = 0x%02X: error, no cause given", r[1]);
    return JH_PRINTER_ERROR;
}

/* Cover before paper: opening the cover often trips the paper sensor too, and
 * closing it is what staff must do first. */
static jh_printer_state classify(const uint8_t *r, size_t len, char *detail, size_t n)
{
    uint8_t n1 = r[0], n2 = r[1], n4 = r[2];
    if (n2 & 0x04)
        return snprintf(detail, n, "DLE EOT 2 = 0x%02X: cover open", n2), JH_PRINTER_COVER_OPEN;
    if ((n2 & 0x20) || (n4 & 0x60))
        return snprintf(detail, n, "DLE EOT 2 = 0x%02X, 4 = 0x%02X: paper end", n2, n4), JH_PRINTER_PAPER_OUT;
    if (n2 & 0x40)
        return error_cause(r, len, detail, n);
    if (n1 & 0x08)
        return snprintf(detail, n, "DLE EOT 1 = 0x%02X: offline, no cause given", n1), JH_PRINTER_OFFLINE;
    if (n4 & 0x0C)
        return snprintf(detail, n, "DLE EOT 4 = 0x%02X: paper near end", n4), JH_PRINTER_PAPER_NEAR_END;
    return snprintf(detail, n, "ready"), JH_PRINTER_READY;
}

void jh_printer_status_decode(const uint8_t *reply, size_t len, jh_printer_status *st)
{
    static const int asked[] = {1, 2, 4, 3};
    memset(st, 0, sizeof *st);
    st->n_reply = len < sizeof st->reply ? len : sizeof st->reply;
    if (st->n_reply)
        memcpy(st->reply, reply, st->n_reply);
    if (len > 4) {
        snprintf(st->detail, sizeof st->detail, "%zu reply bytes to 4 questions: line noise?", len);
        return set_state(st, JH_PRINTER_ERROR);
    }
    for (size_t i = 0; i < len; i++) {
        if (!rt_shaped(reply[i])) {
            snprintf(st->detail, sizeof st->detail, "reply to DLE EOT %d is 0x%02X, not shaped 0xx1xx10",
                     asked[i], reply[i]);
            return set_state(st, JH_PRINTER_ERROR);
        }
    }
    if (len < 3) {
        snprintf(st->detail, sizeof st->detail, "no reply to DLE EOT %d", asked[len]);
        return set_state(st, JH_PRINTER_OFFLINE);
    }
    set_state(st, classify(reply, len, st->detail, sizeof st->detail));
}

/* ---- device ---- */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int jh_printer_open(jh_printer **out, const jh_printer_config *pc, char *err, size_t errlen)
{
    *out = NULL;
    jh_printer *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "printer: out of memory");
        return -1;
    }
    p->pc = *pc;
    if (jh_serial_open(&p->s, pc->device, pc->baud, pc->flow, err, errlen) != 0) {
        free(p);
        return -1;
    }
    *out = p;
    return 0;
}

void jh_printer_close(jh_printer *p)
{
    if (!p)
        return;
    jh_serial_close(p->s);
    free(p);
}

int jh_printer_fd(const jh_printer *p) { return jh_serial_fd(p->s); }

/* What await_reply saw. */
enum { GOT_NOTHING = 0, GOT_RT = 1, GOT_BARRIER = 2, GOT_GARBAGE = -2, GOT_IOERR = -1 };

/*
 * Waits until `until` for the next meaningful byte. A GS r reply while
 * `barrier` is armed is reported as GOT_BARRIER (and disarms it).
 */
static int await_reply(jh_printer *p, int64_t until, int *barrier, uint8_t *byte)
{
    for (;;) {
        int64_t left = until - now_ms();
        ssize_t n = jh_serial_read(p->s, byte, 1, left > 0 ? (int)left : 0, p->ioerr, sizeof p->ioerr);
        if (n < 0)
            return GOT_IOERR;
        if (n == 0 && left > 0)
            continue; /* woken without data (EAGAIN): wait out the rest */
        if (n == 0)
            return GOT_NOTHING;
        if (rt_shaped(*byte))
            return GOT_RT;
        if (*barrier && barrier_shaped(*byte)) {
            *barrier = 0;
            return GOT_BARRIER;
        }
        return GOT_GARBAGE;
    }
}

/*
 * One DLE EOT n round trip. Returns GOT_RT with the reply, or another GOT_*.
 * A barrier reply arriving first is noted and the wait goes on.
 */
static int ask(jh_printer *p, int n, int64_t not_before, int *barrier, int *barrier_seen, uint8_t *reply)
{
    uint8_t cmd[] = {0x10, 0x04, (uint8_t)n};
    if (jh_serial_write_all(p->s, cmd, sizeof cmd, 0, p->pc.status_timeout_ms, p->ioerr, sizeof p->ioerr) != 0)
        return GOT_IOERR;
    int64_t base = now_ms() > not_before ? now_ms() : not_before;
    int64_t until = base + p->pc.status_timeout_ms;
    for (;;) {
        int got = await_reply(p, until, barrier, reply);
        if (got != GOT_BARRIER)
            return got;
        *barrier_seen = 1;
    }
}

/*
 * DLE EOT 1, 2, 4 (and 3 when 2 reports an error), decoded into *st.
 * Returns 0 when every question was answered.
 */
static int query(jh_printer *p, int64_t not_before, int *barrier, int *barrier_seen, jh_printer_status *st)
{
    static const int order[] = {1, 2, 4, 3};
    uint8_t rep[4];
    size_t n = 0;
    int got = GOT_RT;
    if (!*barrier)
        jh_serial_discard_input(p->s); /* late replies to earlier questions */
    for (int i = 0; i < 4 && got == GOT_RT; i++) {
        if (i == 3 && !(rep[1] & 0x40))
            break;
        got = ask(p, order[i], not_before, barrier, barrier_seen, &rep[n]);
        if (got == GOT_RT || got == GOT_GARBAGE)
            n++; /* garbage is kept so the decoder can name it */
    }
    jh_printer_status_decode(rep, n, st);
    if (got == GOT_IOERR) {
        set_state(st, JH_PRINTER_OFFLINE);
        snprintf(st->detail, sizeof st->detail, "%s", p->ioerr);
    }
    return got == GOT_RT ? 0 : -1;
}

int jh_printer_query(jh_printer *p, jh_printer_status *st)
{
    int barrier = 0, seen = 0;
    return query(p, 0, &barrier, &seen, st);
}

static jh_print_result failed(jh_printer_status *st, const char *what, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s: %s (%s)", what, st->text_en, st->detail);
    return JH_PRINT_FAILED;
}

/* Waits for the barrier, polling the printer's state meanwhile. */
static jh_print_result confirm(jh_printer *p, int64_t wire_done, int64_t deadline, jh_printer_status *st,
                               char *err, size_t errlen)
{
    int barrier = 1, seen = 0;
    while (!seen) {
        int64_t now = now_ms();
        if (now >= deadline) {
            snprintf(err, errlen, "job not confirmed within %d ms", p->pc.job_timeout_ms);
            return JH_PRINT_FAILED;
        }
        uint8_t b;
        int64_t until = now < wire_done ? wire_done : now + POLL_MS;
        int got = await_reply(p, until < deadline ? until : deadline, &barrier, &b);
        if (got == GOT_BARRIER)
            break;
        if (got == GOT_IOERR)
            return query(p, 0, &barrier, &seen, st), failed(st, "printer lost mid-job", err, errlen);
        if (got != GOT_NOTHING || now_ms() < wire_done)
            continue; /* a late reply to an earlier poll: harmless */
        uint8_t n1;
        got = ask(p, 1, wire_done, &barrier, &seen, &n1);
        if (got == GOT_RT && !(n1 & 0x08))
            continue;
        query(p, wire_done, &barrier, &seen, st);
        if (!seen && !st->can_print)
            return failed(st, "printing stopped mid-job", err, errlen);
    }
    query(p, 0, &barrier, &seen, st);
    return JH_PRINT_OK;
}

jh_print_result jh_printer_print(jh_printer *p, const uint8_t *job, size_t len, jh_printer_status *st,
                                 char *err, size_t errlen)
{
    static const uint8_t gs_r1[] = {0x1D, 0x72, 0x01};
    jh_printer_query(p, st);
    if (!st->can_print) {
        snprintf(err, errlen, "not sent: %s (%s)", st->text_en, st->detail);
        return JH_PRINT_REFUSED;
    }
    int64_t start = now_ms();
    int64_t wire_ms = ((int64_t)len + sizeof gs_r1) * 10 * 1000 / p->pc.baud;
    int64_t deadline = start + wire_ms + p->pc.job_timeout_ms;
    if (jh_serial_write_all(p->s, job, len, (size_t)p->pc.chunk_bytes, (int)(deadline - start), p->ioerr,
                            sizeof p->ioerr) != 0 ||
        jh_serial_write_all(p->s, gs_r1, sizeof gs_r1, 0, (int)(deadline - now_ms()), p->ioerr,
                            sizeof p->ioerr) != 0) {
        int barrier = 0, seen = 0;
        query(p, 0, &barrier, &seen, st);
        snprintf(err, errlen, "sending failed: %s", p->ioerr);
        return JH_PRINT_FAILED;
    }
    return confirm(p, start + wire_ms, deadline, st, err, errlen);
}
