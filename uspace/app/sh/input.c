/*
 * Reading a line from the terminal in raw mode: the shell echoes and edits
 * itself (edit.c holds the pure part, the drawing included). A character
 * typed at the end of the line is echoed alone; any other change redraws
 * the prompt and the line from the prompt's row, which works when the
 * line wraps over several rows (SH_TERM_COLUMNS wide). Typing past
 * SH_LINE_MAX is refused with a message, and the line is then not run.
 */
#include "sh.h"
#include <stdio.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

/* The prompt of the line being read, and a buffer for drawing it. */
static char prompt[VFS_PATH_MAX + 8];
static char draw_buf[SH_DRAW_MAX];

/** One byte a read: what is typed after Enter stays in the terminal's
 *  queue for the program the line starts (a larger read would keep it
 *  here, for the shell's next line). */
static errno_t read_byte(sh_t *sh, unsigned char *byte)
{
	size_t got = 0;
	while (got == 0) {
		errno_t rc = term_read(sh->term, byte, 1, 0, &got);
		if (rc != EOK)
			return rc;
	}
	return EOK;
}

static void redraw(sh_t *sh, const sh_line_t *line)
{
	size_t n = draw_line(
	    draw_buf, sizeof(draw_buf), prompt, line, SH_TERM_COLUMNS, &sh->edit_row);
	sh_write(sh, -1, draw_buf, n);
}

static void echo_append(sh_t *sh, const sh_line_t *line)
{
	size_t n = draw_append(draw_buf, sizeof(draw_buf), strlen(prompt), line,
	    SH_TERM_COLUMNS, &sh->edit_row);
	sh_write(sh, -1, draw_buf, n);
}

/** Moves the cursor past the line's end, to a new row. */
static void leave_line(sh_t *sh, const sh_line_t *line)
{
	size_t n = draw_to_end(draw_buf, sizeof(draw_buf), strlen(prompt), line,
	    SH_TERM_COLUMNS, &sh->edit_row);
	sh_write(sh, -1, draw_buf, n);
}

/* The editor's state while one line is read. */
typedef struct {
	sh_line_t *line;
	sh_browse_t browse;
	bool after_tab; /* the last key was Tab */
} sh_editor_t;

/** A character that does not fit: said once per line, below it. */
static void refuse_char(sh_t *sh, sh_line_t *line)
{
	if (line->overflow)
		return;
	line->overflow = true;
	leave_line(sh, line);
	sh_printf(sh, -1,
	    "\nsh: a line holds at most %d characters; this one will not run\n",
	    SH_LINE_MAX);
	sh->edit_row = 0;
}

/** Applies a key that only edits the line; false if it is not one. */
static bool edit_key(sh_t *sh, sh_editor_t *ed, sh_key_t key)
{
	sh_line_t *line = ed->line;
	switch (key) {
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
	case KEY_KILL_LINE:
		return line_kill_start(line) || true;
	case KEY_KILL_WORD:
		return line_kill_word(line) || true;
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

/** A printable character: echoed alone at the end, else a redraw. */
static void insert_char(sh_t *sh, sh_line_t *line, char c)
{
	bool at_end = line->cursor == line->len;
	if (!line_insert(line, c))
		refuse_char(sh, line);
	else if (at_end)
		echo_append(sh, line);
	else
		redraw(sh, line);
}

/** Ctrl-C: drops the line and starts a new one. */
static void interrupt_line(sh_t *sh, sh_editor_t *ed)
{
	leave_line(sh, ed->line);
	sh_write(sh, -1, "^C\n", 3);
	sh->edit_row = 0;
	line_set(ed->line, "");
	browse_start(&ed->browse, &sh->history);
}

/** Ctrl-L: clears the screen; the line is drawn again at its top. */
static void clear_screen(sh_t *sh)
{
	sh_write(sh, -1, "\x1b[H\x1b[2J", 7);
	sh->edit_row = 0;
}

/** Sets the prompt: the working directory and " # ". */
static void prompt_set(void)
{
	char cwd[VFS_PATH_MAX + 1];
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		snprintf(cwd, sizeof(cwd), "?");
	snprintf(prompt, sizeof(prompt), "%s # ", cwd);
}

errno_t input_read_line(sh_t *sh, sh_line_t *line)
{
	sh_editor_t ed = {.line = line};
	sh_keydec_t dec = {0};
	line_set(line, "");
	browse_start(&ed.browse, &sh->history);
	prompt_set();
	sh_write(sh, -1, prompt, strlen(prompt));
	sh->edit_row = 0;
	for (;;) {
		unsigned char byte;
		errno_t rc = read_byte(sh, &byte);
		if (rc != EOK)
			return rc;
		sh_key_t key = keydec_feed(&dec, byte);
		if (key == KEY_ENTER) {
			leave_line(sh, line);
			sh_write(sh, -1, "\n", 1);
			return EOK;
		}
		if (key == KEY_EOF && line->len == 0)
			return EHANGUP;
		if (key == KEY_CHAR) {
			insert_char(sh, line, (char) byte);
			ed.after_tab = false;
			continue;
		}
		if (key == KEY_INTERRUPT)
			interrupt_line(sh, &ed);
		else if (key == KEY_CLEAR)
			clear_screen(sh);
		else if (!edit_key(sh, &ed, key))
			continue;
		ed.after_tab = key == KEY_TAB;
		redraw(sh, line);
	}
}
