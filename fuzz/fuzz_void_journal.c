/* SPDX-License-Identifier: MIT */
/*
 * fuzz_void_journal — libFuzzer target for the kiosk's journal reader
 * (kiosk/journal/void_journal.c), which reads a file a power cut or a disk fault may
 * have damaged.
 *
 * Feeds arbitrary bytes to jh_vj_parse from an exact-size heap copy, so any
 * read past the end is caught by ASan. Beyond "no crash, no sanitizer report"
 * it checks what the kiosk relies on: a refusal names the file and a line and
 * leaves no entries; an accepted journal has at most JH_VJ_MAX entries with
 * distinct, valid ids, and writing it out gives back exactly the bytes read
 * (the format has one spelling per journal, so nothing is guessed).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "void_journal.h"
#include "fuzz_target.h"

static void check(const jh_vj *j, const uint8_t *data, size_t size)
{
    if (j->n < 0 || j->n > JH_VJ_MAX || !jh_valid_id(j->kiosk_id))
        abort();
    for (int i = 0; i < j->n; i++) {
        const jh_vj_entry *e = &j->e[i];
        if (e->kind < JH_VJ_TAKE || e->kind > JH_VJ_VOID || !e->id[0] || strchr(e->id, ' '))
            abort();
        if (e->kind != JH_VJ_TAKE && !jh_valid_id(e->ticket))
            abort();
        for (int k = 0; k < i; k++)
            if (strcmp(j->e[k].id, e->id) == 0)
                abort();
    }
    char *text = jh_vj_format(j);
    if (!text || strlen(text) != size || memcmp(text, data, size) != 0)
        abort();
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static jh_vj j;
    char err[512];
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    /* Any kiosk's journal, and only k1's. */
    for (int mine = 0; mine < 2; mine++) {
        err[0] = '\0';
        if (jh_vj_parse(text, size, "f.journal", mine ? "k1" : NULL, &j, err, sizeof err) == 0)
            check(&j, data, size);
        else if (strncmp(err, "f.journal:", 10) != 0 || strchr(err, '\n') || j.n != 0)
            abort();
    }
    free(text);
    return 0;
}
