/*
 * Reading a line from the terminal in raw mode: the shell echoes and edits
 * itself (edit.c holds the pure part). After every change the whole line is
 * redrawn: \r, the prompt, the text, ESC [ K, then ESC [ N D back to the
 * cursor.
 */
#include "sh.h"
#include <stdio.h>
#include <term.h>

#define INPUT_CHUNK 64

/* Bytes read from the terminal and not yet decoded. */
static unsigned char input_buf[INPUT_CHUNK];
static size_t input_len;
static size_t input_pos;

static errno_t read_byte(sh_t *sh, unsigned char *byte)
{
	while (input_pos == input_len) {
		input_pos = 0;
		errno_t rc = term_read(
		    sh->term, input_buf, sizeof(input_buf), 0, &input_len);
		if (rc != EOK)
			return rc;
	}
	*byte = input_buf[input_pos++];
	return EOK;
}

static void redraw(sh_t *sh, const sh_line_t *line)
{
	sh_write(sh, -1, "\r", 1);
	sh_prompt(sh);
	sh_write(sh, -1, line->text, line->len);
	sh_write(sh, -1, "\x1b[K", 3);
	if (line->cursor < line->len)
		sh_printf(sh, -1, "\x1b[%zuD", line->len - line->cursor);
}

/* The editor's state while one line is read. */
typedef struct {
	sh_line_t *line;
	sh_browse_t browse;
	bool after_tab; /* the last key was Tab */
} sh_editor_t;

/** Applies a key that only edits the line; false if it is not one. */
static bool edit_key(sh_t *sh, sh_editor_t *ed, sh_key_t key, char c)
{
	sh_line_t *line = ed->line;
	switch (key) {
	case KEY_CHAR:
		line_insert(line, c);
		return true;
	case KEY_LEFT:
		return line_left(line) || true;
	case KEY_RIGHT:
		return line_right(line) || true;
	case KEY_HOME:
		line_home(line);
		return true;
	case KEY_END:
		line_end(line);
		return true;
	case KEY_BACKSPACE:
		return line_backspace(line) || true;
	case KEY_DELETE:
		return line_delete(line) || true;
	case KEY_UP:
	case KEY_DOWN:
		return browse_step(&ed->browse, &sh->history, line, key == KEY_UP) ||
		    true;
	case KEY_TAB:
		complete_word(sh, line, ed->after_tab);
		return true;
	default:
		return false;
	}
}

/** Ctrl-C: drops the line and starts a new one. */
static void interrupt_line(sh_t *sh, sh_editor_t *ed)
{
	sh_write(sh, -1, "^C\n", 3);
	line_set(ed->line, "");
	browse_start(&ed->browse, &sh->history);
}

errno_t input_read_line(sh_t *sh, sh_line_t *line)
{
	sh_editor_t ed = {.line = line};
	sh_keydec_t dec = {0};
	line_set(line, "");
	browse_start(&ed.browse, &sh->history);
	sh_prompt(sh);
	for (;;) {
		unsigned char byte;
		errno_t rc = read_byte(sh, &byte);
		if (rc != EOK)
			return rc;
		sh_key_t key = keydec_feed(&dec, byte);
		if (key == KEY_ENTER) {
			sh_write(sh, -1, "\n", 1);
			return EOK;
		}
		if (key == KEY_EOF && line->len == 0)
			return EHANGUP;
		if (key == KEY_INTERRUPT)
			interrupt_line(sh, &ed);
		else if (!edit_key(sh, &ed, key, (char) byte))
			continue;
		ed.after_tab = key == KEY_TAB;
		redraw(sh, line);
	}
}
