/*
 * vga: the userspace driver of a VGA-compatible display in text mode
 * (protocol: abi/display.h).
 *
 * The parts: vt.c is the terminal emulation, pure and host-tested; hw.c is
 * the thin layer that touches the hardware (the text buffer at 0xb8000,
 * the CRTC's cursor registers); vga.c takes up the device from devman,
 * exposes function "screen" in category "display" and serves its clients.
 */
#ifndef VGA_H
#define VGA_H

#include "vt.h"
#include <abi/hwres.h>
#include <errno.h>

#define NAME "vga"

/* The colour text buffer and the CRTC's index and data ports. */
#define VGA_TEXT_BASE  0xb8000
#define VGA_TEXT_SIZE  0x1000 /* one page covers 80x25 cells */
#define VGA_CRTC_INDEX 0x3d4
#define VGA_CRTC_PORTS 2

typedef struct {
	volatile uint16_t *text; /* VT_ROWS * VT_COLS cells */
} vga_hw_t;

/* hw.c */
/** Whether @a res (count @a n) grant the text buffer and the CRTC ports. */
bool vga_hw_resources_ok(const hw_resource_t *res, size_t n);
/** Maps the text buffer, enables the CRTC ports and shows the cursor. */
errno_t vga_hw_init(vga_hw_t *hw);
/** Puts @a vt's cells on the screen and the hardware cursor at its cursor. */
void vga_hw_show(vga_hw_t *hw, const vt_t *vt);

#endif
