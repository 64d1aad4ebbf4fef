/* SPDX-License-Identifier: MIT */
/*
 * print_worker — the printer thread (see print_worker.h). One mutex guards the
 * request slot, the answer slot and the latest status; the device itself is
 * only ever touched by the thread, outside the lock.
 */
#include "print_worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RECOVERY_POLL_MS 1000

struct jh_print_worker {
    const jh_hall_config *cfg;
    const jh_printer_config *pc;
    int poll_ms;
    jh_printer *p;             /* the thread's alone */

    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
    uint64_t next_request;
    uint64_t pending;          /* request waiting for the thread, 0 = none */
    jh_pw_kind pending_kind;
    jh_issued_ticket pending_ticket;
    jh_pw_result answer;       /* answer.request 0 = none */
    jh_printer_status latest;
    uint64_t n_status;
};

/* A device that is not there reads as offline, with the reason for the log. */
static int ensure_open(jh_print_worker *w, jh_printer_status *st)
{
    char err[256];
    if (w->p)
        return 0;
    if (jh_printer_open(&w->p, w->pc, err, sizeof err) == 0)
        return 0;
    jh_printer_status_decode(NULL, 0, st);
    snprintf(st->detail, sizeof st->detail, "%s", err);
    return -1;
}

static void do_check(jh_print_worker *w, jh_printer_status *st)
{
    if (ensure_open(w, st) != 0)
        return;
    if (jh_printer_query(w->p, st) != 0) { /* silent or gone: reopen next round */
        jh_printer_close(w->p);
        w->p = NULL;
    }
}

static void do_print(jh_print_worker *w, const jh_issued_ticket *t, jh_pw_result *r)
{
    if (ensure_open(w, &r->outcome.status) != 0) {
        r->outcome.result = JH_PRINT_REFUSED;
        snprintf(r->outcome.message, sizeof r->outcome.message, "ticket %s not printed: %s", t->ticket,
                 r->outcome.status.detail);
        return;
    }
    if (jh_ticket_print(w->p, w->cfg, w->pc, t, &r->outcome) != JH_PRINT_OK &&
        r->outcome.status.state == JH_PRINTER_OFFLINE) {
        jh_printer_close(w->p);
        w->p = NULL;
    }
}

static void deadline_in(struct timespec *ts, int ms)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* Waits for a request or the poll interval; returns with the lock held. A printer
 * that cannot print is asked every second, so the kiosk is back as soon as staff
 * have changed the roll. */
static void wait_work(jh_print_worker *w)
{
    struct timespec until;
    deadline_in(&until, w->latest.can_print || w->poll_ms < RECOVERY_POLL_MS ? w->poll_ms : RECOVERY_POLL_MS);
    while (!w->stop && !w->pending)
        if (pthread_cond_timedwait(&w->cv, &w->mu, &until) == ETIMEDOUT)
            break;
}

static void *run(void *arg)
{
    jh_print_worker *w = arg;
    pthread_mutex_lock(&w->mu);
    for (int first = 1; !w->stop; first = 0) {
        if (!first)
            wait_work(w);
        if (w->stop)
            break;
        jh_pw_result r = {.request = w->pending, .kind = w->pending ? w->pending_kind : JH_PW_CHECK};
        jh_issued_ticket t = w->pending_ticket;
        w->pending = 0;
        pthread_mutex_unlock(&w->mu);
        if (r.kind == JH_PW_PRINT)
            do_print(w, &t, &r);
        else
            do_check(w, &r.status);
        pthread_mutex_lock(&w->mu);
        w->latest = r.kind == JH_PW_PRINT ? r.outcome.status : r.status;
        w->n_status++;
        if (r.request)
            w->answer = r;
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

jh_print_worker *jh_print_worker_start(const jh_hall_config *cfg, const jh_printer_config *pc, int poll_ms,
                                       char *err, size_t errlen)
{
    jh_print_worker *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    w->cfg = cfg;
    w->pc = pc;
    w->poll_ms = poll_ms;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    int rc = pthread_create(&w->thread, NULL, run, w);
    if (rc != 0) {
        snprintf(err, errlen, "printer thread: %s", strerror(rc));
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        free(w);
        return NULL;
    }
    return w;
}

void jh_print_worker_stop(jh_print_worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    if (w->p)
        jh_printer_close(w->p);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

static uint64_t post(jh_print_worker *w, jh_pw_kind kind, const jh_issued_ticket *t)
{
    pthread_mutex_lock(&w->mu);
    uint64_t id = ++w->next_request;
    w->pending = id; /* one visitor at a time: a newer request replaces an unstarted one */
    w->pending_kind = kind;
    if (t)
        w->pending_ticket = *t;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    return id;
}

uint64_t jh_print_worker_check(jh_print_worker *w) { return post(w, JH_PW_CHECK, NULL); }
uint64_t jh_print_worker_print(jh_print_worker *w, const jh_issued_ticket *t) { return post(w, JH_PW_PRINT, t); }

int jh_print_worker_result(jh_print_worker *w, uint64_t request, jh_pw_result *r)
{
    pthread_mutex_lock(&w->mu);
    int got = request && w->answer.request == request;
    if (got) {
        *r = w->answer;
        w->answer.request = 0;
    }
    pthread_mutex_unlock(&w->mu);
    return got;
}

uint64_t jh_print_worker_status(jh_print_worker *w, jh_printer_status *st)
{
    pthread_mutex_lock(&w->mu);
    *st = w->latest;
    uint64_t n = w->n_status;
    pthread_mutex_unlock(&w->mu);
    return n;
}
