/* SPDX-License-Identifier: MIT */
/*
 * palette — the hall's colours, shared by the boards, the kiosk and anything
 * else drawn for the public, so every screen in the hall reads alike.
 */
#ifndef JH_PALETTE_H
#define JH_PALETTE_H

/* Dark navy ground, high-contrast text, amber for numbers being called. */
#define JH_COL_BG        0x08111FU
#define JH_COL_PANEL     0x102038U
#define JH_COL_PANEL_HI  0x17305AU
#define JH_COL_LINE      0x24406BU
#define JH_COL_HEADER    0x0B2447U
#define JH_COL_GOLD      0xE8B634U
#define JH_COL_TEXT      0xF4F7FBU
#define JH_COL_MUTED     0x9DB1C9U
#define JH_COL_DIM       0x5D708AU
#define JH_COL_NUMBER    0xFFC83DU
#define JH_COL_SERVING   0x35D07FU
#define JH_COL_IDLE      0x6F86A3U
#define JH_COL_PAUSED    0xFF7A45U
#define JH_COL_CLOSED    0x4A5568U
#define JH_COL_ALERT     0xFF5A4EU
#define JH_COL_GREEN_CH  0x2FBF71U  /* green-channel tag */

#endif
