/* SPDX-License-Identifier: MIT */
/*
 * fuzz_printer_status — the printer's status replies (DLE EOT 1/2/4/3), as
 * any device on the serial line might send them: every input must decode to
 * one of the states, with a message, and never to "can print" from garbage.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "printer.h"
#include "fuzz_target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    jh_printer_status st;
    jh_printer_status_decode(data, size, &st);
    if (st.state > JH_PRINTER_ERROR || !st.text_zh || !st.text_en || !*st.text_en)
        abort();
    if (strlen(st.detail) >= sizeof st.detail || !*jh_printer_state_name(st.state))
        abort();
    if (st.can_print != (st.state <= JH_PRINTER_PAPER_NEAR_END))
        abort();
    /* printable only from three or four well-shaped replies */
    if (st.can_print) {
        if (size < 3 || size > 4)
            abort();
        for (size_t i = 0; i < size; i++)
            if ((data[i] & 0x93) != 0x12)
                abort();
    }
    return 0;
}
