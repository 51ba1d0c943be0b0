/*
 * The line editor's pure part (see edit.h).
 */
#include "edit.h"
#include <stdio.h>
#include <string.h>

void line_set(sh_line_t *line, const char *text)
{
	size_t n = strlen(text);
	if (n > SH_LINE_MAX)
		n = SH_LINE_MAX;
	memcpy(line->text, text, n);
	line->text[n] = '\0';
	line->len = n;
	line->cursor = n;
	line->overflow = false;
}

bool line_insert_n(sh_line_t *line, const char *s, size_t n)
{
	if (line->len + n > SH_LINE_MAX)
		return false;
	char *at = line->text + line->cursor;
	memmove(at + n, at, line->len - line->cursor + 1);
	memcpy(at, s, n);
	line->len += n;
	line->cursor += n;
	return true;
}

bool line_insert(sh_line_t *line, char c)
{
	return line_insert_n(line, &c, 1);
}

bool line_delete(sh_line_t *line)
{
	if (line->cursor == line->len)
		return false;
	char *at = line->text + line->cursor;
	memmove(at, at + 1, line->len - line->cursor);
	line->len--;
	return true;
}

bool line_backspace(sh_line_t *line)
{
	if (line->cursor == 0)
		return false;
	line->cursor--;
	return line_delete(line);
}

/** Removes the @a n characters before the cursor. */
static void line_remove_before(sh_line_t *line, size_t n)
{
	char *at = line->text + line->cursor;
	memmove(at - n, at, line->len - line->cursor + 1);
	line->cursor -= n;
	line->len -= n;
}

bool line_kill_start(sh_line_t *line)
{
	size_t n = line->cursor;
	line_remove_before(line, n);
	return n > 0;
}

bool line_kill_word(sh_line_t *line)
{
	size_t start = line->cursor;
	while (start > 0 && line->text[start - 1] == ' ')
		start--;
	while (start > 0 && line->text[start - 1] != ' ')
		start--;
	size_t n = line->cursor - start;
	line_remove_before(line, n);
	return n > 0;
}

bool line_left(sh_line_t *line)
{
	if (line->cursor == 0)
		return false;
	line->cursor--;
	return true;
}

bool line_right(sh_line_t *line)
{
	if (line->cursor == line->len)
		return false;
	line->cursor++;
	return true;
}

void line_home(sh_line_t *line)
{
	line->cursor = 0;
}

void line_end(sh_line_t *line)
{
	line->cursor = line->len;
}

static char *history_slot(sh_history_t *hist, size_t n)
{
	return hist->entries[(n - 1) % SH_HISTORY_MAX];
}

void history_add(sh_history_t *hist, const char *text)
{
	if (text[strspn(text, " \t")] == '\0')
		return;
	if (hist->added > 0 && strcmp(history_slot(hist, hist->added), text) == 0)
		return;
	hist->added++;
	char *slot = history_slot(hist, hist->added);
	strncpy(slot, text, SH_LINE_MAX);
	slot[SH_LINE_MAX] = '\0';
}

size_t history_first(const sh_history_t *hist)
{
	return hist->added > SH_HISTORY_MAX ? hist->added - SH_HISTORY_MAX + 1 : 1;
}

const char *history_get(const sh_history_t *hist, size_t n)
{
	return hist->entries[(n - 1) % SH_HISTORY_MAX];
}

void browse_start(sh_browse_t *br, const sh_history_t *hist)
{
	br->pos = hist->added + 1;
	br->saved[0] = '\0';
}

bool browse_step(sh_browse_t *br, const sh_history_t *hist, sh_line_t *line, bool older)
{
	size_t current = hist->added + 1;
	if (older ? br->pos <= history_first(hist) : br->pos >= current)
		return false;
	if (br->pos == current)
		strcpy(br->saved, line->text);
	br->pos += older ? -1 : 1;
	line_set(line, br->pos == current ? br->saved : history_get(hist, br->pos));
	return true;
}

/** The key that ESC [ PARAM ~ stands for. */
static sh_key_t tilde_key(unsigned param)
{
	switch (param) {
	case 1:
	case 7:
		return KEY_HOME;
	case 3:
		return KEY_DELETE;
	case 4:
	case 8:
		return KEY_END;
	default:
		return KEY_NONE;
	}
}

/** The key that the final byte of ESC [ ... stands for. */
static sh_key_t csi_key(unsigned char final, unsigned param)
{
	switch (final) {
	case 'A':
		return KEY_UP;
	case 'B':
		return KEY_DOWN;
	case 'C':
		return KEY_RIGHT;
	case 'D':
		return KEY_LEFT;
	case 'H':
		return KEY_HOME;
	case 'F':
		return KEY_END;
	case '~':
		return tilde_key(param);
	default:
		return KEY_NONE;
	}
}

/** A byte outside any escape sequence. */
static sh_key_t plain_key(sh_keydec_t *dec, unsigned char byte)
{
	switch (byte) {
	case 0x1b:
		dec->state = 1;
		return KEY_NONE;
	case '\r':
	case '\n':
		return KEY_ENTER;
	case 0x7f:
	case 0x08:
		return KEY_BACKSPACE;
	case '\t':
		return KEY_TAB;
	case 0x01:
		return KEY_HOME;
	case 0x05:
		return KEY_END;
	case 0x03:
		return KEY_INTERRUPT;
	case 0x04:
		return KEY_EOF;
	case 0x15:
		return KEY_KILL_LINE;
	case 0x17:
		return KEY_KILL_WORD;
	case 0x0c:
		return KEY_CLEAR;
	default:
		return byte >= 0x20 && byte < 0x7f ? KEY_CHAR : KEY_NONE;
	}
}

sh_key_t keydec_feed(sh_keydec_t *dec, unsigned char byte)
{
	switch (dec->state) {
	case 1:
		/* ESC O x (application cursor keys) decodes like ESC [ x. */
		dec->state = byte == '[' || byte == 'O' ? 2 : 0;
		dec->param = 0;
		return KEY_NONE;
	case 2:
		if (byte >= '0' && byte <= '9') {
			dec->param = dec->param * 10 + (byte - '0');
			return KEY_NONE;
		}
		if (byte == ';')
			return KEY_NONE;
		dec->state = 0;
		return csi_key(byte, dec->param);
	default:
		return plain_key(dec, byte);
	}
}

/* A writer into a bounded buffer: what does not fit is dropped (the
 * buffers are SH_DRAW_MAX, which fits any drawing). */
typedef struct {
	char *buf;
	size_t size;
	size_t used;
} sh_draw_t;

static void put(sh_draw_t *d, const char *s, size_t n)
{
	if (n > d->size - d->used)
		n = d->size - d->used;
	memcpy(d->buf + d->used, s, n);
	d->used += n;
}

static void put_str(sh_draw_t *d, const char *s)
{
	put(d, s, strlen(s));
}

/** ESC [ N FINAL, nothing for N == 0. */
static void put_csi(sh_draw_t *d, size_t n, char final)
{
	if (n == 0)
		return;
	char seq[32];
	int len = snprintf(seq, sizeof(seq), "\x1b[%zu%c", n, final);
	put(d, seq, (size_t) len);
}

/** With the text drawn up to offset @a end (prompt included) and the
 *  cursor after it: to the next row if the text filled its row. */
static void settle_wrap(sh_draw_t *d, size_t end, size_t cols)
{
	if (end > 0 && end % cols == 0)
		put(d, "\n", 1);
}

/** From offset @a from (where the cursor is) to offset @a to. */
static void move_to(sh_draw_t *d, size_t from, size_t to, size_t cols, size_t *row)
{
	size_t from_row = from / cols, to_row = to / cols;
	if (from_row > to_row)
		put_csi(d, from_row - to_row, 'A');
	else
		put_csi(d, to_row - from_row, 'B');
	put(d, "\r", 1);
	put_csi(d, to % cols, 'C');
	*row = to_row;
}

size_t draw_line(char *buf, size_t size, const char *prompt, const sh_line_t *line,
    size_t cols, size_t *row)
{
	sh_draw_t d = {buf, size, 0};
	put_csi(&d, *row, 'A');
	put(&d, "\r", 1);
	put_str(&d, prompt);
	put(&d, line->text, line->len);
	put_str(&d, "\x1b[J");
	size_t plen = strlen(prompt), end = plen + line->len;
	settle_wrap(&d, end, cols);
	move_to(&d, end, plen + line->cursor, cols, row);
	return d.used;
}

size_t draw_append(
    char *buf, size_t size, size_t plen, const sh_line_t *line, size_t cols, size_t *row)
{
	sh_draw_t d = {buf, size, 0};
	put(&d, line->text + line->len - 1, 1);
	size_t end = plen + line->len;
	settle_wrap(&d, end, cols);
	*row = end / cols;
	return d.used;
}

size_t draw_to_end(
    char *buf, size_t size, size_t plen, const sh_line_t *line, size_t cols, size_t *row)
{
	sh_draw_t d = {buf, size, 0};
	size_t end = plen + line->len;
	if (line->cursor < line->len) /* else it is there already */
		move_to(&d, *row * cols, end, cols, row);
	return d.used;
}

size_t common_prefix_len(const char *const *names, size_t n)
{
	size_t len = strlen(names[0]);
	for (size_t i = 1; i < n; i++) {
		size_t k = 0;
		while (k < len && names[i][k] == names[0][k])
			k++;
		len = k;
	}
	return len;
}
