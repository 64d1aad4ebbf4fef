/* SPDX-License-Identifier: MIT */
/*
 * out_queue — what waits to be written to one WebSocket.
 *
 * Owns: messages built once and shared by every socket they go to (a state
 * change goes to every staff socket: one copy, counted references), and each
 * socket's first-in first-out list of them with a byte budget. libwebsockets
 * writes only when a socket can take more (LWS_CALLBACK_SERVER_WRITEABLE),
 * so messages wait here until then; a socket that falls further behind than
 * its budget is to be closed by its owner (the browser reconnects and gets a
 * fresh snapshot), rather than let one stalled phone hold megabytes.
 *
 * Each message keeps `pre` bytes free before its text, which lws_write()
 * needs for the frame header (LWS_PRE). No I/O.
 */
#ifndef JH_OUT_QUEUE_H
#define JH_OUT_QUEUE_H

#include <stddef.h>

typedef struct jh_out_msg jh_out_msg;

/* A message of `len` bytes of text, with `pre` bytes free before it. NULL: out of memory. */
jh_out_msg *jh_out_msg_new(const char *text, size_t len, size_t pre);
void jh_out_msg_ref(jh_out_msg *m);
void jh_out_msg_unref(jh_out_msg *m);
/* The text (after the `pre` bytes) and its length. */
unsigned char *jh_out_msg_text(jh_out_msg *m);
size_t jh_out_msg_len(const jh_out_msg *m);

typedef struct jh_out_node jh_out_node;

typedef struct {
    jh_out_node *head, *tail;
    size_t bytes, count;
} jh_out_queue;

/* Appends (taking a reference). -1: out of memory, or the queue would exceed `budget` bytes. */
int jh_out_push(jh_out_queue *q, jh_out_msg *m, size_t budget);
/* The first message, NULL when empty (the queue keeps it). */
jh_out_msg *jh_out_peek(const jh_out_queue *q);
/* Drops the first message. */
void jh_out_pop(jh_out_queue *q);
/* Drops everything. */
void jh_out_clear(jh_out_queue *q);

#endif
