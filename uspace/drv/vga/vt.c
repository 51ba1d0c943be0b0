/*
 * vt: the terminal emulation behind the VGA driver (see vt.h). Pure: no
 * I/O, no allocation; host-tested in test/host/vt_test.c.
 */
#include "vt.h"
#include <string.h>

#define ESC	 0x1b
#define TAB_STOP 8

/* ANSI colour numbers (black red green yellow blue magenta cyan white) in
 * the VGA palette's order. */
static const uint8_t ansi_to_vga[8] = {0, 4, 2, 6, 1, 5, 3, 7};

/** The attribute byte new characters and erased cells get. */
static uint8_t vt_attr(const vt_t *vt)
{
	uint8_t fg = vt->fg | (vt->bold ? 0x08 : 0);
	if (vt->reverse)
		return (uint8_t) (vt->bg | fg << 4);
	return (uint8_t) (fg | vt->bg << 4);
}

/** Blanks cells [from, to) of the screen (row-major indices). */
static void vt_erase(vt_t *vt, size_t from, size_t to)
{
	uint16_t blank = (uint16_t) (' ' | vt_attr(vt) << 8);
	for (size_t i = from; i < to; i++)
		vt->cells[i] = blank;
}

static void vt_reset_attrs(vt_t *vt)
{
	vt->fg = VT_ATTR_DEFAULT & 0x0f;
	vt->bg = VT_ATTR_DEFAULT >> 4;
	vt->bold = false;
	vt->reverse = false;
}

void vt_init(vt_t *vt)
{
	memset(vt, 0, sizeof(*vt));
	vt_reset_attrs(vt);
	vt->state = VT_GROUND;
	vt_erase(vt, 0, VT_ROWS * VT_COLS);
}

/** Moves every row up by one and blanks the last. */
static void vt_scroll(vt_t *vt)
{
	memmove(vt->cells, vt->cells + VT_COLS,
	    (VT_ROWS - 1) * VT_COLS * sizeof(vt->cells[0]));
	vt_erase(vt, (VT_ROWS - 1) * VT_COLS, VT_ROWS * VT_COLS);
}

/** To the start of the next line, scrolling at the bottom. */
static void vt_newline(vt_t *vt)
{
	vt->col = 0;
	if (vt->row + 1 < VT_ROWS)
		vt->row++;
	else
		vt_scroll(vt);
}

static void vt_put(vt_t *vt, uint8_t c)
{
	if (vt->col == VT_COLS)
		vt_newline(vt);
	vt->cells[vt->row * VT_COLS + vt->col] = (uint16_t) (c | vt_attr(vt) << 8);
	vt->col++;
}

static void vt_tab(vt_t *vt)
{
	if (vt->col == VT_COLS)
		return;
	unsigned next = (vt->col / TAB_STOP + 1) * TAB_STOP;
	vt->col = next < VT_COLS ? next : VT_COLS - 1;
}

/** A control byte (below 0x20, or DEL) outside a sequence. */
static void vt_control(vt_t *vt, uint8_t c)
{
	switch (c) {
	case '\n':
		vt_newline(vt);
		break;
	case '\r':
		vt->col = 0;
		break;
	case '\b':
		if (vt->col > 0)
			vt->col--;
		break;
	case '\t':
		vt_tab(vt);
		break;
	case ESC:
		vt->state = VT_ESC;
		break;
	default:
		break; /* bell, DEL and the rest: nothing to draw */
	}
}

/** Parameter @a i of the sequence, @a dflt when absent or 0. */
static unsigned vt_param(const vt_t *vt, unsigned i, unsigned dflt)
{
	if (i >= vt->nparams || vt->params[i] == 0)
		return dflt;
	return vt->params[i];
}

static unsigned clamp_sub(unsigned v, unsigned n)
{
	return n > v ? 0 : v - n;
}

static unsigned clamp_add(unsigned v, unsigned n, unsigned max)
{
	return n > max - v ? max : v + n;
}

/** CSI A, B, C, D: relative moves, stopping at the edges. */
static void vt_move(vt_t *vt, uint8_t final)
{
	unsigned n = vt_param(vt, 0, 1);
	if (final == 'A')
		vt->row = clamp_sub(vt->row, n);
	else if (final == 'B')
		vt->row = clamp_add(vt->row, n, VT_ROWS - 1);
	else if (final == 'C')
		vt->col = clamp_add(
		    vt->col > VT_COLS - 1 ? VT_COLS - 1 : vt->col, n, VT_COLS - 1);
	else
		vt->col = clamp_sub(vt->col, n);
}

/** CSI H, f, G: absolute moves (1-based), clamped to the screen. */
static void vt_goto(vt_t *vt, unsigned row, unsigned col)
{
	vt->row = (row > VT_ROWS ? VT_ROWS : row) - 1;
	vt->col = (col > VT_COLS ? VT_COLS : col) - 1;
}

/** The cursor's cell index; a pending wrap counts as just past the row. */
static size_t vt_pos(const vt_t *vt)
{
	return (size_t) vt->row * VT_COLS + vt->col;
}

/** CSI J. */
static void vt_erase_display(vt_t *vt)
{
	unsigned mode = vt_param(vt, 0, 0);
	size_t pos = vt_pos(vt);
	if (mode == 0)
		vt_erase(vt, pos, VT_ROWS * VT_COLS);
	else if (mode == 1)
		vt_erase(vt, 0, pos < VT_ROWS * VT_COLS ? pos + 1 : pos);
	else if (mode == 2 || mode == 3)
		vt_erase(vt, 0, VT_ROWS * VT_COLS);
}

/** CSI K. */
static void vt_erase_line(vt_t *vt)
{
	unsigned mode = vt_param(vt, 0, 0);
	size_t start = (size_t) vt->row * VT_COLS, end = start + VT_COLS;
	size_t pos = vt_pos(vt);
	if (mode == 0)
		vt_erase(vt, pos, end);
	else if (mode == 1)
		vt_erase(vt, start, pos < end ? pos + 1 : end);
	else if (mode == 2)
		vt_erase(vt, start, end);
}

/** One SGR parameter; unknown ones change nothing. */
static void vt_sgr_one(vt_t *vt, unsigned p)
{
	if (p == 0)
		vt_reset_attrs(vt);
	else if (p == 1)
		vt->bold = true;
	else if (p == 7)
		vt->reverse = true;
	else if (p == 22)
		vt->bold = false;
	else if (p == 27)
		vt->reverse = false;
	else if (p >= 30 && p <= 37)
		vt->fg = ansi_to_vga[p - 30];
	else if (p == 39)
		vt->fg = VT_ATTR_DEFAULT & 0x0f;
	else if (p >= 40 && p <= 47)
		vt->bg = ansi_to_vga[p - 40];
	else if (p == 49)
		vt->bg = VT_ATTR_DEFAULT >> 4;
}

/** CSI m: no parameter means 0 (reset). */
static void vt_sgr(vt_t *vt)
{
	if (vt->nparams == 0)
		vt_sgr_one(vt, 0);
	for (unsigned i = 0; i < vt->nparams; i++)
		vt_sgr_one(vt, vt->params[i]);
}

/** Acts on a complete CSI sequence ending in @a final. */
static void vt_csi_dispatch(vt_t *vt, uint8_t final)
{
	if (vt->ignored)
		return;
	switch (final) {
	case 'A':
	case 'B':
	case 'C':
	case 'D':
		vt_move(vt, final);
		break;
	case 'H':
	case 'f':
		vt_goto(vt, vt_param(vt, 0, 1), vt_param(vt, 1, 1));
		break;
	case 'G':
		vt_goto(vt, vt->row + 1, vt_param(vt, 0, 1));
		break;
	case 'J':
		vt_erase_display(vt);
		break;
	case 'K':
		vt_erase_line(vt);
		break;
	case 'm':
		vt_sgr(vt);
		break;
	default:
		break; /* a sequence we do not know: skipped */
	}
}

static void vt_csi_start(vt_t *vt)
{
	vt->state = VT_CSI;
	vt->nparams = 0;
	vt->ignored = false;
}

/** A digit of the current parameter (the first digit opens it). */
static void vt_csi_digit(vt_t *vt, uint8_t c)
{
	if (vt->nparams == 0) {
		vt->params[0] = 0;
		vt->nparams = 1;
	}
	unsigned *p = &vt->params[vt->nparams - 1];
	*p = *p * 10 + (unsigned) (c - '0');
	if (*p > VT_PARAM_MAX)
		*p = VT_PARAM_MAX;
}

/** ';': the next parameter, empty (0) until digits come. A sequence with
 *  more than VT_PARAMS_MAX parameters is skipped as a whole. */
static void vt_csi_separator(vt_t *vt)
{
	if (vt->nparams == 0)
		vt->params[vt->nparams++] = 0;
	if (vt->nparams < VT_PARAMS_MAX)
		vt->params[vt->nparams++] = 0;
	else
		vt->ignored = true;
}

/** A byte inside ESC [ ... (not a control byte). */
static void vt_csi_byte(vt_t *vt, uint8_t c)
{
	if (c >= '0' && c <= '9' && !vt->ignored)
		vt_csi_digit(vt, c);
	else if (c == ';')
		vt_csi_separator(vt);
	else if (c >= 0x20 && c <= 0x3f)
		vt->ignored = true; /* private markers (?<=>), intermediates, ':' */
	else {
		/* A final byte (0x40..0x7e) or garbage: the sequence ends. */
		if (c >= 0x40 && c <= 0x7e)
			vt_csi_dispatch(vt, c);
		vt->state = VT_GROUND;
	}
}

/** A byte of 0x80 and above outside a sequence: UTF-8 lead bytes draw one
 *  '?' and skip their continuation bytes. */
static void vt_high(vt_t *vt, uint8_t c)
{
	vt_put(vt, '?'); /* a stray continuation byte draws one too */
	if (c >= 0xc0)
		vt->state = VT_UTF8;
}

static void vt_byte(vt_t *vt, uint8_t c)
{
	if (c < 0x20 || c == 0x7f) {
		vt->state = VT_GROUND; /* a control byte ends any sequence */
		vt_control(vt, c);
		return;
	}
	switch (vt->state) {
	case VT_ESC:
		if (c == '[')
			vt_csi_start(vt);
		else if (c >= 0x30)
			vt->state = VT_GROUND; /* ESC [intermediates] final: skipped */
		return;
	case VT_CSI:
		vt_csi_byte(vt, c);
		return;
	case VT_UTF8:
		if (c >= 0x80 && c < 0xc0)
			return;
		vt->state = VT_GROUND;
		break;
	case VT_GROUND:
		break;
	}
	if (c >= 0x80)
		vt_high(vt, c);
	else
		vt_put(vt, c);
}

void vt_write(vt_t *vt, const uint8_t *buf, size_t size)
{
	for (size_t i = 0; i < size; i++)
		vt_byte(vt, buf[i]);
}

void vt_row_text(const vt_t *vt, unsigned row, char *out)
{
	for (unsigned i = 0; i < VT_COLS; i++)
		out[i] = (char) (vt->cells[row * VT_COLS + i] & 0xff);
}

void vt_cursor(const vt_t *vt, unsigned *row, unsigned *col)
{
	*row = vt->row;
	*col = vt->col < VT_COLS ? vt->col : VT_COLS - 1;
}
