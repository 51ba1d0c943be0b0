/*
 * The pure part of the shell's line editor: the line being typed (text and
 * cursor), the history ring, the decoding of keys from the bytes a VT100
 * terminal sends, the bytes that draw a line wrapped over several rows,
 * and the common prefix of completion candidates. No IPC: host-tested.
 * The terminal side is in input.c.
 */
#ifndef SH_EDIT_H
#define SH_EDIT_H

#include "parse.h"
#include <stdbool.h>
#include <stddef.h>

/** The line: text[0..len) NUL-terminated, cursor <= len <= SH_LINE_MAX.
 *  overflow: something typed did not fit (the line must not run cut). */
typedef struct {
	char text[SH_LINE_MAX + 1];
	size_t len;
	size_t cursor;
	bool overflow;
} sh_line_t;

void line_set(sh_line_t *line, const char *text);
/** Inserts @a c at the cursor; false when the line is full. */
bool line_insert(sh_line_t *line, char c);
/** Inserts @a n bytes of @a s at the cursor; false (nothing inserted) when
 *  they do not fit. */
bool line_insert_n(sh_line_t *line, const char *s, size_t n);
/** Removes the character before the cursor; false if there is none. */
bool line_backspace(sh_line_t *line);
/** Removes the character under the cursor; false if there is none. */
bool line_delete(sh_line_t *line);
/** Ctrl-U: removes everything before the cursor; false if nothing was. */
bool line_kill_start(sh_line_t *line);
/** Ctrl-W: removes the word before the cursor (and the blanks after it);
 *  false if there is none. */
bool line_kill_word(sh_line_t *line);
bool line_left(sh_line_t *line);
bool line_right(sh_line_t *line);
void line_home(sh_line_t *line);
void line_end(sh_line_t *line);

#define SH_HISTORY_MAX 32

/** The last SH_HISTORY_MAX lines run; entry number n (1-based, counting
 *  every line ever added) is kept while n > added - SH_HISTORY_MAX. */
typedef struct {
	char entries[SH_HISTORY_MAX][SH_LINE_MAX + 1];
	size_t added; /* lines ever added */
} sh_history_t;

/** Adds @a text unless it is blank or the same as the newest entry. */
void history_add(sh_history_t *hist, const char *text);
/** Number of the oldest entry kept (added + 1 when there is none). */
size_t history_first(const sh_history_t *hist);
/** Entry number @a n (history_first() <= n <= added). */
const char *history_get(const sh_history_t *hist, size_t n);

/** Walking the history with up/down: @a pos is the entry shown (added + 1:
 *  the line being typed, kept in @a saved). */
typedef struct {
	size_t pos;
	char saved[SH_LINE_MAX + 1];
} sh_browse_t;

void browse_start(sh_browse_t *br, const sh_history_t *hist);
/** Shows the previous (@a older) or next entry in @a line; false at the end. */
bool browse_step(sh_browse_t *br, const sh_history_t *hist, sh_line_t *line, bool older);

typedef enum {
	KEY_NONE, /* more bytes needed, or a sequence we ignore */
	KEY_CHAR, /* a printable character */
	KEY_ENTER,
	KEY_LEFT,
	KEY_RIGHT,
	KEY_UP,
	KEY_DOWN,
	KEY_HOME,
	KEY_END,
	KEY_BACKSPACE,
	KEY_DELETE,
	KEY_TAB,
	KEY_INTERRUPT, /* Ctrl-C */
	KEY_EOF,       /* Ctrl-D */
	KEY_KILL_LINE, /* Ctrl-U */
	KEY_KILL_WORD, /* Ctrl-W */
	KEY_CLEAR,     /* Ctrl-L */
} sh_key_t;

/** Decoder state between bytes: 0 plain, 1 after ESC, 2 inside ESC [. */
typedef struct {
	int state;
	unsigned param;
} sh_keydec_t;

/** Feeds one byte; returns the key it completes (KEY_NONE if none). */
sh_key_t keydec_feed(sh_keydec_t *dec, unsigned char byte);

/*
 * Drawing a line that may wrap over several rows of @a cols columns, the
 * prompt (@a plen columns) on the first. *@a row is the row of the cursor
 * below the prompt's row before, and is updated to where the bytes leave
 * it. The terminal wraps at the last column; when the text ends exactly
 * there a '\n' moves the cursor to the next row, so that the cursor's
 * position is always (plen + index) / cols, % cols. Each returns the
 * number of bytes written to @a buf (at most @a size).
 */
/* Room for any drawing: a prompt (a path of up to 1024 bytes and " # "),
 * the line and a few escape sequences. */
#define SH_DRAW_MAX (SH_LINE_MAX + 1024 + 128)

/** Redraws all: up to the prompt's row, the prompt, the text, the rest of
 *  the screen erased, the cursor back to its place. */
size_t draw_line(char *buf, size_t size, const char *prompt, const sh_line_t *line,
    size_t cols, size_t *row);
/** Echoes the character just appended at the end (the cursor was at the
 *  end and is again): nothing else moves. */
size_t draw_append(
    char *buf, size_t size, size_t plen, const sh_line_t *line, size_t cols, size_t *row);
/** Moves the cursor to the end of the line (before a new line after it). */
size_t draw_to_end(
    char *buf, size_t size, size_t plen, const sh_line_t *line, size_t cols, size_t *row);

/** Length of the prefix that all @a n (>= 1) @a names share. */
size_t common_prefix_len(const char *const *names, size_t n);

#endif
