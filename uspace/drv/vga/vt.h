/*
 * vt: the text terminal the VGA driver draws, as pure logic. It works on a
 * cell array and a cursor, nothing else: the hardware layer (hw.c) copies
 * the cells to the screen and moves the hardware cursor after each write.
 *
 * It understands printable ASCII, '\n' (to the start of the next line),
 * '\r', '\b', '\t' (to the next multiple of 8), wrapping at the right margin
 * and scrolling at the bottom, and these ANSI sequences (N defaults to 1):
 *   ESC [ N A / B / C / D    cursor up / down / right / left by N
 *   ESC [ R ; C H  (or f)    cursor to row R, column C (1-based)
 *   ESC [ N G                cursor to column N
 *   ESC [ N J                erase: 0 cursor to end, 1 start to cursor,
 *                            2 (or 3) the whole screen
 *   ESC [ N K                erase in the line: 0 cursor to end, 1 start to
 *                            cursor, 2 the whole line
 *   ESC [ ... m              colours and attributes (0, 1, 7, 22, 27,
 *                            30-37, 39, 40-47, 49)
 * Any other sequence (ESC x, ESC [ with other finals, private or
 * intermediate bytes) is consumed and ignored, never drawn. A control byte
 * inside a sequence ends it and then acts as usual. Other bytes below 0x20
 * and DEL are ignored; each UTF-8 character beyond ASCII is one '?'.
 *
 * Wrapping is deferred: printing in the last column leaves the cursor past
 * it (col == VT_COLS), and only the next printable character moves to the
 * next line, so a line of exactly VT_COLS characters followed by '\n' takes
 * one row. Relative moves and '\b' count from that position.
 */
#ifndef VGA_VT_H
#define VGA_VT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VT_COLS		80
#define VT_ROWS		25
#define VT_PARAMS_MAX	8
#define VT_PARAM_MAX	9999 /* larger numbers are clamped */
#define VT_ATTR_DEFAULT 0x07 /* light grey on black */

typedef enum {
	VT_GROUND,
	VT_ESC,	 /* after ESC */
	VT_CSI,	 /* inside ESC [ */
	VT_UTF8, /* skipping continuation bytes of a UTF-8 character */
} vt_state_t;

/** Invariants: row < VT_ROWS, col <= VT_COLS, nparams <= VT_PARAMS_MAX. */
typedef struct {
	/* Cells as the VGA text buffer holds them: character | attribute << 8. */
	uint16_t cells[VT_ROWS * VT_COLS];
	unsigned row, col;
	/* Current colours (VGA order) and attributes, for new characters. */
	uint8_t fg, bg;
	bool bold, reverse;
	vt_state_t state;
	/* The sequence being parsed. */
	unsigned params[VT_PARAMS_MAX];
	unsigned nparams;
	bool ignored; /* private or intermediate bytes: not one we act on */
} vt_t;

/** A blank screen with the cursor at the top left. */
void vt_init(vt_t *vt);
/** Interprets @a size bytes of output. */
void vt_write(vt_t *vt, const uint8_t *buf, size_t size);
/** The characters of @a row (< VT_ROWS) into @a out[VT_COLS]. */
void vt_row_text(const vt_t *vt, unsigned row, char *out);
/** Where the cursor shows: the last column while a wrap is pending. */
void vt_cursor(const vt_t *vt, unsigned *row, unsigned *col);

#endif
