/*
 * Host tests of the VGA driver's terminal emulation (vt.c): what lands in
 * which cell and where the cursor ends up for text, control characters,
 * wrapping, scrolling and the escape sequences the shell's line editor
 * sends.
 */
#if __STDC_HOSTED__
#include "host_test.h"
#include "vt.h"
#include <string.h>

static vt_t vt;

static void put(const char *s)
{
	vt_write(&vt, (const uint8_t *) s, strlen(s));
}

/** Whether @a row reads @a text followed by blanks. */
static int row_is(unsigned row, const char *text)
{
	char line[VT_COLS];
	vt_row_text(&vt, row, line);
	size_t n = strlen(text);
	if (memcmp(line, text, n) != 0)
		return 0;
	for (size_t i = n; i < VT_COLS; i++) {
		if (line[i] != ' ')
			return 0;
	}
	return 1;
}

static int cursor_is(unsigned row, unsigned col)
{
	unsigned r, c;
	vt_cursor(&vt, &r, &c);
	return r == row && c == col;
}

static void fill_row(char c)
{
	char line[VT_COLS + 1];
	memset(line, c, VT_COLS);
	line[VT_COLS] = '\0';
	put(line);
}

HOST_TEST(vt_starts_blank_with_cursor_home)
{
	vt_init(&vt);
	CHECK(row_is(0, ""));
	CHECK(row_is(VT_ROWS - 1, ""));
	CHECK(cursor_is(0, 0));
	CHECK_EQ(vt.cells[0], 0x0720);
}

HOST_TEST(vt_prints_text_and_advances_cursor)
{
	vt_init(&vt);
	put("vga-ok");
	CHECK(row_is(0, "vga-ok"));
	CHECK(cursor_is(0, 6));
	CHECK_EQ(vt.cells[0], 0x0700 | 'v');
}

HOST_TEST(vt_newline_starts_next_line)
{
	vt_init(&vt);
	put("ab\ncd");
	CHECK(row_is(0, "ab"));
	CHECK(row_is(1, "cd"));
	CHECK(cursor_is(1, 2));
}

HOST_TEST(vt_carriage_return_overwrites_line)
{
	vt_init(&vt);
	put("hello\rJ");
	CHECK(row_is(0, "Jello"));
	CHECK(cursor_is(0, 1));
}

HOST_TEST(vt_backspace_moves_left_and_stops_at_margin)
{
	vt_init(&vt);
	put("abc\b\bX");
	CHECK(row_is(0, "aXc"));
	put("\r\b\b");
	CHECK(cursor_is(0, 0));
	put("\b \b");
	CHECK(row_is(0, " Xc"));
	CHECK(cursor_is(0, 0));
}

HOST_TEST(vt_tab_goes_to_next_stop)
{
	vt_init(&vt);
	put("a\tb\t\tc");
	CHECK(cursor_is(0, 25));
	char line[VT_COLS];
	vt_row_text(&vt, 0, line);
	CHECK_EQ(line[8], 'b');
	CHECK_EQ(line[24], 'c');
	put("\r");
	for (int i = 0; i < 20; i++)
		put("\t");
	CHECK(cursor_is(0, VT_COLS - 1));
}

HOST_TEST(vt_wraps_at_right_margin)
{
	vt_init(&vt);
	fill_row('x');
	CHECK(cursor_is(0, VT_COLS - 1)); /* wrap pending */
	put("y");
	CHECK(row_is(1, "y"));
	CHECK(cursor_is(1, 1));
}

HOST_TEST(vt_full_line_then_newline_takes_one_row)
{
	vt_init(&vt);
	fill_row('x');
	put("\nz");
	CHECK(row_is(1, "z"));
	CHECK(row_is(2, ""));
}

HOST_TEST(vt_backspace_after_full_line_erases_last_column)
{
	vt_init(&vt);
	fill_row('x');
	put("\b \b");
	char line[VT_COLS];
	vt_row_text(&vt, 0, line);
	CHECK_EQ(line[VT_COLS - 2], 'x');
	CHECK_EQ(line[VT_COLS - 1], ' ');
	CHECK(cursor_is(0, VT_COLS - 1));
	CHECK(row_is(1, ""));
}

HOST_TEST(vt_scrolls_at_bottom)
{
	vt_init(&vt);
	char line[32];
	for (int i = 0; i < VT_ROWS + 2; i++) {
		snprintf(line, sizeof(line), "line %d\n", i);
		put(line);
	}
	CHECK(row_is(0, "line 3"));
	CHECK(row_is(VT_ROWS - 2, "line 26"));
	CHECK(row_is(VT_ROWS - 1, ""));
	CHECK(cursor_is(VT_ROWS - 1, 0));
}

HOST_TEST(vt_wrap_on_last_row_scrolls)
{
	vt_init(&vt);
	for (int i = 0; i < VT_ROWS - 1; i++)
		put("\n");
	fill_row('a');
	put("b");
	CHECK(row_is(VT_ROWS - 1, "b"));
	char line[VT_COLS];
	vt_row_text(&vt, VT_ROWS - 2, line);
	CHECK_EQ(line[0], 'a');
	CHECK_EQ(line[VT_COLS - 1], 'a');
}

HOST_TEST(vt_erase_to_end_of_line)
{
	vt_init(&vt);
	put("abcdef\nnext\x1b[A\r\x1b[3C\x1b[K");
	CHECK(row_is(0, "abc"));
	CHECK(row_is(1, "next"));
	CHECK(cursor_is(0, 3));
}

HOST_TEST(vt_erase_line_start_and_whole)
{
	vt_init(&vt);
	put("abcdef\x1b[3D\x1b[1K");
	CHECK(row_is(0, "    ef"));
	put("\x1b[2K");
	CHECK(row_is(0, ""));
	CHECK(cursor_is(0, 3));
}

HOST_TEST(vt_cursor_left_right_by_n_clamped)
{
	vt_init(&vt);
	put("0123456789\x1b[4D");
	CHECK(cursor_is(0, 6));
	put("\x1b[D");
	CHECK(cursor_is(0, 5));
	put("\x1b[0C");
	CHECK(cursor_is(0, 6));
	put("\x1b[99999999D");
	CHECK(cursor_is(0, 0));
	put("\x1b[200C");
	CHECK(cursor_is(0, VT_COLS - 1));
	put("\x1b[5B\x1b[2A");
	CHECK(cursor_is(3, VT_COLS - 1));
	put("\x1b[100A");
	CHECK(cursor_is(0, VT_COLS - 1));
	put("\x1b[100B");
	CHECK(cursor_is(VT_ROWS - 1, VT_COLS - 1));
}

/* The shell redraws its line as: \r, prompt, text, ESC [ K, ESC [ N D. */
HOST_TEST(vt_shell_redraw_shorter_line_and_cursor)
{
	vt_init(&vt);
	put("/ # echo hello");
	put("\r/ # echo he\x1b[K\x1b[2D");
	CHECK(row_is(0, "/ # echo he"));
	CHECK(cursor_is(0, 9));
}

HOST_TEST(vt_shell_redraw_of_full_width_line)
{
	vt_init(&vt);
	fill_row('x');
	put("\x1b[K\x1b[3D");
	char line[VT_COLS];
	vt_row_text(&vt, 0, line);
	CHECK_EQ(line[VT_COLS - 1], 'x'); /* pending wrap: nothing to erase */
	CHECK(cursor_is(0, VT_COLS - 3));
}

HOST_TEST(vt_clear_screen_and_home)
{
	vt_init(&vt);
	put("one\ntwo\nthree\x1b[2J");
	CHECK(row_is(0, ""));
	CHECK(row_is(2, ""));
	CHECK(cursor_is(2, 5));
	put("\x1b[H");
	CHECK(cursor_is(0, 0));
}

HOST_TEST(vt_erase_display_below_and_above)
{
	vt_init(&vt);
	put("one\ntwo\nthree\x1b[2;2H\x1b[J");
	CHECK(row_is(0, "one"));
	CHECK(row_is(1, "t"));
	CHECK(row_is(2, ""));
	put("\x1b[2J\x1b[H");
	put("one\ntwo\nthree\x1b[2;2H\x1b[1J");
	CHECK(row_is(0, ""));
	CHECK(row_is(1, "  o"));
	CHECK(row_is(2, "three"));
}

HOST_TEST(vt_cursor_position_is_one_based_and_clamped)
{
	vt_init(&vt);
	put("\x1b[5;10HX");
	CHECK(cursor_is(4, 10));
	put("\x1b[;3H");
	CHECK(cursor_is(0, 2));
	put("\x1b[99;999f");
	CHECK(cursor_is(VT_ROWS - 1, VT_COLS - 1));
	put("\x1b[7G");
	CHECK(cursor_is(VT_ROWS - 1, 6));
	char line[VT_COLS];
	vt_row_text(&vt, 4, line);
	CHECK_EQ(line[9], 'X');
}

HOST_TEST(vt_unknown_sequences_are_skipped)
{
	vt_init(&vt);
	put("a\x1b[?25lb\x1b[5xc\x1b(Bd\x1b=e\x1b[1;2;3;4;5;6;7;8;9;10Hf\x1b[>0cg");
	CHECK(row_is(0, "abcdefg"));
	CHECK(cursor_is(0, 7));
}

HOST_TEST(vt_sequence_split_across_writes)
{
	vt_init(&vt);
	put("abcdef\x1b");
	put("[");
	put("4");
	put("D!");
	CHECK(row_is(0, "ab!def"));
}

HOST_TEST(vt_control_byte_ends_sequence)
{
	vt_init(&vt);
	put("ab\x1b[3\ncd\x1b\x1b[1D!");
	CHECK(row_is(0, "ab"));
	CHECK(row_is(1, "c!"));
}

HOST_TEST(vt_colours_and_reset)
{
	vt_init(&vt);
	put("\x1b[31;44mR\x1b[1mB\x1b[7mV\x1b[0mN\x1b[32mG\x1b[mD");
	CHECK_EQ(vt.cells[0] >> 8, 0x14); /* red on blue */
	CHECK_EQ(vt.cells[1] >> 8, 0x1c); /* bright red on blue */
	CHECK_EQ(vt.cells[2] >> 8, 0xc1); /* reversed */
	CHECK_EQ(vt.cells[3] >> 8, 0x07);
	CHECK_EQ(vt.cells[4] >> 8, 0x02);
	CHECK_EQ(vt.cells[5] >> 8, 0x07);
}

HOST_TEST(vt_erase_uses_current_background)
{
	vt_init(&vt);
	put("\x1b[44m\x1b[2K\x1b[0m");
	CHECK_EQ(vt.cells[0], 0x1720);
	CHECK_EQ(vt.cells[VT_COLS], 0x0720);
}

HOST_TEST(vt_non_ascii_is_one_question_mark_each)
{
	vt_init(&vt);
	put("a\xc3\xa9"
	    "b\xe2\x82\xac"
	    "c\x80"
	    "d\x01\x7f"
	    "e");
	CHECK(row_is(0, "a?b?c?de"));
}
#endif
