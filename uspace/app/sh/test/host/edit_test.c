/*
 * The line editor's pure part (edit.c): editing at the cursor, the history
 * ring and walking it, key decoding, the common prefix.
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
#endif
