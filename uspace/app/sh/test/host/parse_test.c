/*
 * The shell's command-line parser (parse.c): words, quotes, escapes, $?,
 * comments, redirections and the errors a user sees.
 */
#if __STDC_HOSTED__ /* not built into the shell: see host.mk */
#include "host_test.h"
#include "parse.h"
#include <string.h>

static sh_command_t cmd;

/** Parses @a line with $? = 7 and checks that it gives exactly @a words. */
static int parses_to(const char *line, const char *const *words, int n)
{
	if (sh_parse(line, 7, &cmd) != EOK || cmd.argc != n)
		return 0;
	for (int i = 0; i < n; i++) {
		if (strcmp(cmd.argv[i], words[i]) != 0)
			return 0;
	}
	return cmd.argv[n] == NULL;
}

HOST_TEST(blanks_separate_words)
{
	const char *w[] = {"hello", "a", "b"};
	CHECK(parses_to("  hello a\t b  ", w, 3));
	CHECK(parses_to("", w, 0));
	CHECK(parses_to("   ", w, 0));
}

HOST_TEST(quotes_keep_blanks_and_join_pieces)
{
	const char *w[] = {"hello", "a", "b c", "x y'z", "ab"};
	CHECK(parses_to("hello a \"b c\" 'x y'\\'z a\"\"b", w, 5));
	const char *e[] = {"x", ""};
	CHECK(parses_to("x ''", e, 2));
}

HOST_TEST(double_quotes_take_escapes_and_expand_status)
{
	const char *w[] = {"say", "a\"b\\c$d", "s=7", "\\n"};
	CHECK(parses_to("say \"a\\\"b\\\\c\\$d\" \"s=$?\" \"\\n\"", w, 4));
}

HOST_TEST(single_quotes_are_literal)
{
	const char *w[] = {"$?", "a\\b"};
	CHECK(parses_to("'$?' 'a\\b'", w, 2));
}

HOST_TEST(status_expands_inside_words)
{
	const char *w[] = {"7", "x7y", "$"};
	CHECK(parses_to("$? x$?y $", w, 3));
	CHECK(sh_parse("hello $?", -2147483647 - 1, &cmd) == EOK);
	CHECK(strcmp(cmd.argv[1], "-2147483648") == 0);
}

HOST_TEST(backslash_escapes_outside_quotes)
{
	const char *w[] = {"a b", "#x", "$?", ">"};
	CHECK(parses_to("a\\ b \\#x \\$? \\>", w, 4));
}

HOST_TEST(hash_at_word_start_is_a_comment)
{
	const char *w[] = {"a", "b#c"};
	CHECK(parses_to("a b#c # the rest", w, 2));
	CHECK(parses_to("# only a comment", w, 0));
}

HOST_TEST(redirections_are_taken_out_of_the_words)
{
	CHECK_EQ(sh_parse("hello a > out < in b", 0, &cmd), EOK);
	CHECK_EQ(cmd.argc, 3);
	CHECK(strcmp(cmd.argv[2], "b") == 0);
	CHECK(strcmp(cmd.out_path, "out") == 0 && !cmd.append);
	CHECK(strcmp(cmd.in_path, "in") == 0);
	CHECK_EQ(sh_parse("pwd>>\"my file\"", 0, &cmd), EOK);
	CHECK_EQ(cmd.argc, 1);
	CHECK(strcmp(cmd.out_path, "my file") == 0 && cmd.append);
	CHECK(cmd.in_path == NULL);
}

HOST_TEST(errors_say_why)
{
	CHECK_EQ(sh_parse("echo 'abc", 0, &cmd), EINVAL);
	CHECK(strcmp(cmd.error, "unterminated quote") == 0);
	CHECK_EQ(sh_parse("echo \"abc", 0, &cmd), EINVAL);
	CHECK_EQ(sh_parse("echo >", 0, &cmd), EINVAL);
	CHECK_EQ(sh_parse("echo > # c", 0, &cmd), EINVAL);
	CHECK_EQ(sh_parse("| cat", 0, &cmd), EINVAL);
	CHECK(strcmp(cmd.error, "missing command before |") == 0);
	CHECK_EQ(sh_parse("ls |", 0, &cmd), EINVAL);
	CHECK(strcmp(cmd.error, "missing command after |") == 0);
	CHECK_EQ(sh_parse("ls || cat", 0, &cmd), EINVAL);
	CHECK_EQ(sh_parse("ls > f | cat", 0, &cmd), EINVAL);
	CHECK_EQ(sh_parse("ls | cat < f", 0, &cmd), EINVAL);
	CHECK_EQ(sh_parse("a|a|a|a|a|a|a|a|a", 0, &cmd), ELIMIT);
	char many[SH_LINE_MAX];
	memset(many, 0, sizeof(many));
	for (int i = 0; i <= SH_ARGS_MAX; i++)
		strcat(many, "a ");
	CHECK_EQ(sh_parse(many, 0, &cmd), ELIMIT);
}

HOST_TEST(a_long_line_of_status_expansions_is_limited_not_overrun)
{
	char line[SH_LINE_MAX + 1];
	memset(line, 0, sizeof(line));
	for (int i = 0; i < SH_LINE_MAX / 2; i++)
		strcat(line, "$?");
	errno_t rc = sh_parse(line, -2147483647 - 1, &cmd);
	CHECK(rc == EOK || rc == ELIMIT);
}
#endif

HOST_TEST(pipelines_split_into_stages)
{
	CHECK_EQ(sh_parse("echo 'a|b' one|cat -n | wc > out # c", 0, &cmd), EOK);
	CHECK_EQ(cmd.nstages, 3);
	CHECK_EQ(cmd.stages[0].argc, 3);
	CHECK(strcmp(cmd.stages[0].argv[1], "a|b") == 0);
	CHECK(strcmp(cmd.stages[0].argv[2], "one") == 0);
	CHECK(cmd.stages[0].argv[3] == NULL);
	CHECK_EQ(cmd.stages[1].argc, 2);
	CHECK(strcmp(cmd.stages[1].argv[1], "-n") == 0 && cmd.stages[1].argv[2] == NULL);
	CHECK_EQ(cmd.stages[2].argc, 1);
	CHECK(strcmp(cmd.stages[2].argv[0], "wc") == 0 && cmd.stages[2].argv[1] == NULL);
	CHECK(strcmp(cmd.out_path, "out") == 0 && cmd.in_path == NULL);
	CHECK_EQ(sh_parse("cat < in | cat", 0, &cmd), EOK);
	CHECK_EQ(cmd.nstages, 2);
	CHECK(strcmp(cmd.in_path, "in") == 0);
	CHECK_EQ(sh_parse("ls", 0, &cmd), EOK);
	CHECK_EQ(cmd.nstages, 1);
	CHECK(cmd.stages[0].argv == cmd.argv && cmd.stages[0].argc == 1);
}
