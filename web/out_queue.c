/* SPDX-License-Identifier: MIT */
/* out_queue — see out_queue.h. */
#include "out_queue.h"

#include <stdlib.h>
#include <string.h>

struct jh_out_msg {
    int refs;
    size_t len, pre;
    unsigned char data[]; /* pre bytes, then len bytes of text */
};

struct jh_out_node {
    jh_out_msg *m;
    jh_out_node *next;
};

jh_out_msg *jh_out_msg_new(const char *text, size_t len, size_t pre)
{
    jh_out_msg *m = malloc(sizeof *m + pre + len + 1);
    if (!m)
        return NULL;
    m->refs = 1;
    m->len = len;
    m->pre = pre;
    memcpy(m->data + pre, text, len);
    m->data[pre + len] = '\0';
    return m;
}

void jh_out_msg_ref(jh_out_msg *m) { m->refs++; }

void jh_out_msg_unref(jh_out_msg *m)
{
    if (m && --m->refs == 0)
        free(m);
}

unsigned char *jh_out_msg_text(jh_out_msg *m) { return m->data + m->pre; }
size_t jh_out_msg_len(const jh_out_msg *m) { return m->len; }

int jh_out_push(jh_out_queue *q, jh_out_msg *m, size_t budget)
{
    if (q->bytes + m->len > budget)
        return -1;
    jh_out_node *n = malloc(sizeof *n);
    if (!n)
        return -1;
    jh_out_msg_ref(m);
    n->m = m;
    n->next = NULL;
    if (q->tail)
        q->tail->next = n;
    else
        q->head = n;
    q->tail = n;
    q->bytes += m->len;
    q->count++;
    return 0;
}

jh_out_msg *jh_out_peek(const jh_out_queue *q) { return q->head ? q->head->m : NULL; }

void jh_out_pop(jh_out_queue *q)
{
    jh_out_node *n = q->head;
    if (!n)
        return;
    q->head = n->next;
    if (!q->head)
        q->tail = NULL;
    q->bytes -= n->m->len;
    q->count--;
    jh_out_msg_unref(n->m);
    free(n);
}

void jh_out_clear(jh_out_queue *q)
{
    while (q->head)
        jh_out_pop(q);
}
