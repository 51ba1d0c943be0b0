/*
 * The line editor's pure part (edit.c): editing at the cursor, Ctrl-U and
 * Ctrl-W, the history ring and walking it, key decoding, drawing a line
 * that wraps (checked on a small emulated terminal), the common prefix.
 */
#if __STDC_HOSTED__ /* not built into the shell: see host.mk */
#include "edit.h"
#include "host_test.h"
#include <stdio.h>
#include <string.h>

static void type(sh_line_t *line, const char *s)
{
	while (*s != '\0')
		line_insert(line, *s++);
}

HOST_TEST(typing_inserts_at_the_cursor)
{
	sh_line_t line;
	line_set(&line, "");
	type(&line, "hllo");
	line_home(&line);
	CHECK(line_right(&line));
	type(&line, "e");
	CHECK(strcmp(line.text, "hello") == 0);
	CHECK_EQ(line.cursor, 2);
	line_end(&line);
	CHECK(!line_right(&line));
	CHECK_EQ(line.cursor, 5);
}

HOST_TEST(backspace_and_delete_remove_around_the_cursor)
{
	sh_line_t line;
	line_set(&line, "hellx");
	CHECK(line_backspace(&line));
	type(&line, "o");
	CHECK(strcmp(line.text, "hello") == 0);
	line_home(&line);
	CHECK(!line_backspace(&line));
	CHECK(line_delete(&line));
	CHECK(strcmp(line.text, "ello") == 0);
	line_end(&line);
	CHECK(!line_delete(&line));
	CHECK_EQ(line.len, 4);
}

HOST_TEST(a_full_line_refuses_more)
{
	sh_line_t line;
	line_set(&line, "");
	for (int i = 0; i < SH_LINE_MAX; i++)
		CHECK(line_insert(&line, 'a'));
	CHECK(!line_insert(&line, 'b'));
	CHECK(!line_insert_n(&line, "bc", 2));
	CHECK_EQ(line.len, SH_LINE_MAX);
	CHECK_EQ(line.text[SH_LINE_MAX], '\0');
}

HOST_TEST(history_keeps_the_newest_and_skips_repeats)
{
	static sh_history_t hist;
	CHECK_EQ(history_first(&hist), 1);
	history_add(&hist, "a");
	history_add(&hist, "a");
	history_add(&hist, "");
	history_add(&hist, "b");
	CHECK_EQ(hist.added, 2);
	CHECK(strcmp(history_get(&hist, 1), "a") == 0);
	char text[16];
	for (int i = 0; i < SH_HISTORY_MAX + 3; i++) {
		snprintf(text, sizeof(text), "c%d", i);
		history_add(&hist, text);
	}
	CHECK_EQ(history_first(&hist), hist.added - SH_HISTORY_MAX + 1);
	snprintf(text, sizeof(text), "c%d", SH_HISTORY_MAX + 2);
	CHECK(strcmp(history_get(&hist, hist.added), text) == 0);
}

HOST_TEST(up_and_down_walk_the_history_and_restore_the_typed_line)
{
	static sh_history_t hist;
	history_add(&hist, "one");
	history_add(&hist, "two");
	sh_browse_t br;
	sh_line_t line;
	browse_start(&br, &hist);
	line_set(&line, "typed");
	CHECK(browse_step(&br, &hist, &line, true));
	CHECK(strcmp(line.text, "two") == 0);
	CHECK(browse_step(&br, &hist, &line, true));
	CHECK(strcmp(line.text, "one") == 0);
	CHECK(!browse_step(&br, &hist, &line, true));
	CHECK(browse_step(&br, &hist, &line, false));
	CHECK(browse_step(&br, &hist, &line, false));
	CHECK(strcmp(line.text, "typed") == 0);
	CHECK(!browse_step(&br, &hist, &line, false));
}

static sh_key_t feed(sh_keydec_t *dec, const char *bytes)
{
	sh_key_t key = KEY_NONE;
	while (*bytes != '\0')
		key = keydec_feed(dec, (unsigned char) *bytes++);
	return key;
}

HOST_TEST(escape_sequences_decode_to_keys)
{
	sh_keydec_t dec = {0};
	CHECK_EQ(feed(&dec, "\x1b[A"), KEY_UP);
	CHECK_EQ(feed(&dec, "\x1b[B"), KEY_DOWN);
	CHECK_EQ(feed(&dec, "\x1b[C"), KEY_RIGHT);
	CHECK_EQ(feed(&dec, "\x1b[D"), KEY_LEFT);
	CHECK_EQ(feed(&dec, "\x1b[H"), KEY_HOME);
	CHECK_EQ(feed(&dec, "\x1b[F"), KEY_END);
	CHECK_EQ(feed(&dec, "\x1b[1~"), KEY_HOME);
	CHECK_EQ(feed(&dec, "\x1b[4~"), KEY_END);
	CHECK_EQ(feed(&dec, "\x1b[3~"), KEY_DELETE);
	CHECK_EQ(feed(&dec, "\x1bOA"), KEY_UP);
	CHECK_EQ(feed(&dec, "\x1b[5~"), KEY_NONE);
	CHECK_EQ(feed(&dec, "x"), KEY_CHAR);
}

HOST_TEST(control_bytes_decode_to_keys)
{
	sh_keydec_t dec = {0};
	CHECK_EQ(feed(&dec, "\r"), KEY_ENTER);
	CHECK_EQ(feed(&dec, "\n"), KEY_ENTER);
	CHECK_EQ(feed(&dec, "\x7f"), KEY_BACKSPACE);
	CHECK_EQ(feed(&dec, "\x08"), KEY_BACKSPACE);
	CHECK_EQ(feed(&dec, "\t"), KEY_TAB);
	CHECK_EQ(feed(&dec, "\x01"), KEY_HOME);
	CHECK_EQ(feed(&dec, "\x05"), KEY_END);
	CHECK_EQ(feed(&dec, "\x03"), KEY_INTERRUPT);
	CHECK_EQ(feed(&dec, "\x04"), KEY_EOF);
	CHECK_EQ(feed(&dec, "\x02"), KEY_NONE);
}

HOST_TEST(common_prefix_of_candidates)
{
	const char *a[] = {"hello", "help", "helium"};
	CHECK_EQ(common_prefix_len(a, 3), 3);
	CHECK_EQ(common_prefix_len(a + 1, 1), 4);
	CHECK_EQ(common_prefix_len(a, 1), 5);
	const char *b[] = {"abc", ""};
	CHECK_EQ(common_prefix_len(b, 2), 0);
}

HOST_TEST(ctrl_u_and_ctrl_w_erase_before_the_cursor)
{
	sh_line_t line;
	line_set(&line, "echo one  two");
	CHECK(line_kill_word(&line));
	CHECK(strcmp(line.text, "echo one  ") == 0);
	CHECK(line_kill_word(&line));
	CHECK(strcmp(line.text, "echo ") == 0);
	line_set(&line, "abc def");
	line.cursor = 5; /* after "abc d" */
	CHECK(line_kill_word(&line));
	CHECK(strcmp(line.text, "abc ef") == 0 && line.cursor == 4);
	CHECK(line_kill_start(&line));
	CHECK(strcmp(line.text, "ef") == 0 && line.cursor == 0);
	CHECK(!line_kill_start(&line));
	CHECK(!line_kill_word(&line));
}

HOST_TEST(blank_lines_stay_out_of_history)
{
	static sh_history_t hist;
	history_add(&hist, "");
	history_add(&hist, "   ");
	history_add(&hist, " \t ");
	CHECK_EQ(hist.added, 0);
	history_add(&hist, " x ");
	CHECK_EQ(hist.added, 1);
}

/** Decodes @a bytes; the last key they give. */
static sh_key_t decode(const char *bytes)
{
	sh_keydec_t dec = {0};
	sh_key_t key = KEY_NONE;
	for (; *bytes != '\0'; bytes++)
		key = keydec_feed(&dec, (unsigned char) *bytes);
	return key;
}

HOST_TEST(home_and_end_in_every_form)
{
	const char *home[] = {"\x1b[H", "\x1b[1~", "\x1b[7~", "\x1bOH", "\x01"};
	const char *end[] = {"\x1b[F", "\x1b[4~", "\x1b[8~", "\x1bOF", "\x05"};
	for (int i = 0; i < 5; i++) {
		CHECK_EQ(decode(home[i]), KEY_HOME);
		CHECK_EQ(decode(end[i]), KEY_END);
	}
	CHECK_EQ(decode("\x15"), KEY_KILL_LINE);
	CHECK_EQ(decode("\x17"), KEY_KILL_WORD);
	CHECK_EQ(decode("\x0c"), KEY_CLEAR);
}

/* A small terminal: COLS wide, wraps at the last column with the wrap
 * pending until the next character (as VT100s and the console's vt.c do);
 * '\n' goes to the next row's start (the console sends "\r\n"). */
#define COLS 20
#define ROWS 10
typedef struct {
	char cells[ROWS][COLS + 1];
	int row, col;
	bool pending;
} term_t;

static void term_init(term_t *t)
{
	memset(t, 0, sizeof(*t));
	for (int r = 0; r < ROWS; r++)
		memset(t->cells[r], ' ', COLS);
}

static void term_erase_below(term_t *t)
{
	for (int c = t->col; c < COLS; c++)
		t->cells[t->row][c] = ' ';
	for (int r = t->row + 1; r < ROWS; r++)
		memset(t->cells[r], ' ', COLS);
}

/** Feeds @a n bytes; false on a sequence this terminal does not know. */
static bool term_feed(term_t *t, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\x1b' && s[i + 1] == '[') {
			int num = 0;
			i += 2;
			while (s[i] >= '0' && s[i] <= '9')
				num = num * 10 + (s[i++] - '0');
			t->pending = false;
			if (s[i] == 'A')
				t->row -= num;
			else if (s[i] == 'B')
				t->row += num;
			else if (s[i] == 'C')
				t->col += num;
			else if (s[i] == 'J')
				term_erase_below(t);
			else
				return false;
			if (t->row < 0 || t->row >= ROWS || t->col >= COLS)
				return false;
		} else if (c == '\r') {
			t->col = 0;
			t->pending = false;
		} else if (c == '\n') {
			t->row++;
			t->col = 0;
			t->pending = false;
		} else {
			if (t->pending) {
				t->row++;
				t->col = 0;
				t->pending = false;
			}
			t->cells[t->row][t->col] = c;
			if (t->col == COLS - 1)
				t->pending = true;
			else
				t->col++;
		}
	}
	return true;
}

/** The screen's rows from the first, blanks at the ends cut, joined by
 *  '|'. */
static void term_text(const term_t *t, char *out, size_t size)
{
	out[0] = '\0';
	for (int r = 0; r < ROWS; r++) {
		char row[COLS + 1];
		memcpy(row, t->cells[r], COLS);
		int n = COLS;
		while (n > 0 && row[n - 1] == ' ')
			n--;
		row[n] = '\0';
		if (n == 0)
			break;
		if (r > 0)
			strncat(out, "|", size - strlen(out) - 1);
		strncat(out, row, size - strlen(out) - 1);
	}
}

HOST_TEST(a_wrapped_line_is_drawn_once_and_the_cursor_follows)
{
	static char buf[SH_DRAW_MAX];
	term_t t;
	term_init(&t);
	sh_line_t line;
	line_set(&line, "");
	size_t row = 0;
	const char *prompt = "/ # ";
	CHECK(term_feed(&t, prompt, 4));
	/* 40 characters typed at the end: 44 columns over three rows. */
	for (int i = 0; i < 40; i++) {
		line_insert(&line, (char) ('a' + i % 26));
		size_t n = draw_append(buf, sizeof(buf), 4, &line, COLS, &row);
		CHECK(term_feed(&t, buf, n));
		CHECK_EQ((size_t) t.row, row);
		CHECK_EQ((size_t) t.col, (4 + line.len) % COLS);
	}
	char text[256];
	term_text(&t, text, sizeof(text));
	CHECK(strcmp(text, "/ # abcdefghijklmnop|qrstuvwxyzabcdefghij|klmn") == 0);
	/* Home, then an insertion: one redraw from the prompt's row. */
	line_home(&line);
	size_t n = draw_line(buf, sizeof(buf), prompt, &line, COLS, &row);
	CHECK(term_feed(&t, buf, n));
	CHECK(t.row == 0 && t.col == 4);
	line_insert(&line, 'X');
	n = draw_line(buf, sizeof(buf), prompt, &line, COLS, &row);
	CHECK(term_feed(&t, buf, n));
	term_text(&t, text, sizeof(text));
	CHECK(strcmp(text, "/ # Xabcdefghijklmno|pqrstuvwxyzabcdefghi|jklmn") == 0);
	CHECK(t.row == 0 && t.col == 5 && row == 0);
	/* To the end and off the line: the cursor below the last row. */
	n = draw_to_end(buf, sizeof(buf), 4, &line, COLS, &row);
	CHECK(term_feed(&t, buf, n));
	CHECK(t.row == 2 && t.col == 5);
}

HOST_TEST(a_line_ending_at_the_last_column_puts_the_cursor_below)
{
	static char buf[SH_DRAW_MAX];
	term_t t;
	term_init(&t);
	sh_line_t line;
	line_set(&line, "");
	size_t row = 0;
	CHECK(term_feed(&t, "/ # ", 4));
	for (int i = 0; i < 16; i++) { /* 4 + 16: exactly one row */
		line_insert(&line, 'x');
		size_t n = draw_append(buf, sizeof(buf), 4, &line, COLS, &row);
		CHECK(term_feed(&t, buf, n));
	}
	CHECK(t.row == 1 && t.col == 0 && row == 1);
	CHECK(line_backspace(&line));
	size_t n = draw_line(buf, sizeof(buf), "/ # ", &line, COLS, &row);
	CHECK(term_feed(&t, buf, n));
	CHECK(t.row == 0 && t.col == 19 && row == 0);
	char text[256];
	term_text(&t, text, sizeof(text));
	CHECK(strcmp(text, "/ # xxxxxxxxxxxxxxx") == 0);
}
#endif
