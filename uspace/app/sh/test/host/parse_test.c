/*
 * The shell's parser (parse.c), expansion (expand.c) and variables
 * (vars.c): lists and their separators, pipelines, redirections, quoting,
 * $VAR, $?, ~, globbing (through a fake glob that records its pattern),
 * assignments, the environment built for programs, and the errors a user
 * sees.
 */
#if __STDC_HOSTED__ /* not built into the shell: see host.mk */
#include "host_test.h"
#include "expand.h"
#include "parse.h"
#include "vars.h"
#include <string.h>

static sh_list_t list;
static sh_argv_t out;
static char last_pattern[256];

static const char *fake_getvar(void *ctx, const char *name)
{
	static const char *const vars[][2] = {{"HOME", "/home/u"}, {"X", "a b"},
	    {"EMPTY", ""}, {"STAR", "*"}, {"P", "/app"}};
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		if (strcmp(vars[i][0], name) == 0)
			return vars[i][1];
	}
	return NULL;
}

/** Matches "*.txt" and "[ab].txt" (two files); nothing else. */
static errno_t fake_glob(void *ctx, const char *pattern, sh_argv_t *o)
{
	snprintf(last_pattern, sizeof(last_pattern), "%s", pattern);
	if (strcmp(pattern, "*.txt") != 0 && strcmp(pattern, "[ab].txt") != 0)
		return ENOENT;
	errno_t rc = sh_argv_add(o, "a.txt");
	return rc == EOK ? sh_argv_add(o, "b.txt") : rc;
}

static const sh_expander_t ex = {fake_getvar, fake_glob, NULL, 7};

/** Parses @a line (one command) and checks it expands to exactly the
 *  @a n @a words. */
static int expands_to(const char *line, const char *const *words, int n)
{
	if (sh_parse(line, &list) != EOK || list.nitems != 1)
		return 0;
	if (sh_expand(&list.stages[0], &ex, &out) != EOK || out.argc != n)
		return 0;
	for (int i = 0; i < n; i++) {
		if (strcmp(out.argv[i], words[i]) != 0) {
			printf("  word %d: [%s] != [%s]\n", i, out.argv[i], words[i]);
			return 0;
		}
	}
	return out.argv[n] == NULL;
}

HOST_TEST(blanks_separate_words)
{
	const char *w[] = {"hello", "a", "b"};
	CHECK(expands_to("  hello a\t b  ", w, 3));
	CHECK(sh_parse("", &list) == EOK && list.nitems == 0);
	CHECK(sh_parse("   ", &list) == EOK && list.nitems == 0);
	CHECK(sh_parse("# only a comment", &list) == EOK && list.nitems == 0);
}

HOST_TEST(quotes_keep_blanks_and_join_pieces)
{
	const char *w[] = {"hello", "a", "b c", "x y'z", "ab", "a;b|c&d>e"};
	CHECK(expands_to("hello a \"b c\" 'x y'\\'z a\"\"b 'a;b|c&d>e'", w, 6));
	const char *e[] = {"x", ""};
	CHECK(expands_to("x ''", e, 2));
}

HOST_TEST(double_quotes_take_escapes_and_expand_variables)
{
	const char *w[] = {"say", "a\"b\\c$d", "s=7", "\\n", "v=a b", "h=/home/u/x"};
	CHECK(expands_to(
	    "say \"a\\\"b\\\\c\\$d\" \"s=$?\" \"\\n\" \"v=$X\" \"h=${HOME}/x\"", w, 6));
}

HOST_TEST(single_quotes_are_literal)
{
	const char *w[] = {"$?", "a\\b", "$HOME", "~"};
	CHECK(expands_to("'$?' 'a\\b' '$HOME' '~'", w, 4));
}

HOST_TEST(backslash_escapes_outside_quotes)
{
	const char *w[] = {"a b", "$?", "x;y", "~"};
	CHECK(expands_to("a\\ b \\$? x\\;y \\~", w, 4));
}

HOST_TEST(variables_expand_unsplit_and_unset_ones_vanish)
{
	const char *w[] = {"echo", "a b", "7", "x7y", "/app/bin", "$", "$-", "ab"};
	CHECK(expands_to("echo $X $? x${?}y $P/bin $ $- a$UNSET$EMPTY\"\"b", w, 8));
	const char *e[] = {"echo", ""};
	CHECK(expands_to("echo $UNSET $EMPTY \"$UNSET\"", e, 2));
}

HOST_TEST(tilde_is_home_at_a_word_start_only)
{
	const char *w[] = {"/home/u", "/home/u/d", "a~", "~x", "~"};
	CHECK(expands_to("~ ~/d a~ ~x \"~\"", w, 5));
}

HOST_TEST(globbing_uses_unquoted_wildcards_only)
{
	const char *w[] = {"ls", "a.txt", "b.txt", "*.none"};
	CHECK(expands_to("ls *.txt *.none", w, 4));
	CHECK(strcmp(last_pattern, "*.none") == 0);
	const char *q[] = {"ls", "*.txt", "*.txt", "*"};
	last_pattern[0] = '\0';
	CHECK(expands_to("ls '*.txt' \\*.txt $STAR", q, 4));
	CHECK(last_pattern[0] == '\0'); /* none of them globbed */
	const char *m[] = {"ls", "a\"*"};
	CHECK(expands_to("ls a'\"'*", m, 2));
	CHECK(strcmp(last_pattern, "a\"*") == 0);
	const char *e[] = {"ls", "x*y*"};
	CHECK(expands_to("ls \"x*\"y*", e, 2)); /* a glob: no match keeps it */
	CHECK(strcmp(last_pattern, "x\\*y*") == 0);
	const char *b[] = {"ls", "a.txt", "b.txt"};
	CHECK(expands_to("ls [ab].txt", b, 3));
}

HOST_TEST(assignments_lead_the_command)
{
	CHECK(sh_parse("A=1 B='x y' env C=2", &list) == EOK);
	CHECK(sh_expand(&list.stages[0], &ex, &out) == EOK);
	CHECK_EQ(out.nassign, 2);
	CHECK(strcmp(out.assign[0], "A=1") == 0 && strcmp(out.assign[1], "B=x y") == 0);
	CHECK_EQ(out.argc, 2);
	CHECK(strcmp(out.argv[0], "env") == 0 && strcmp(out.argv[1], "C=2") == 0);
	CHECK(sh_parse("V=$HOME", &list) == EOK);
	CHECK(sh_expand(&list.stages[0], &ex, &out) == EOK);
	CHECK(
	    out.argc == 0 && out.nassign == 1 && strcmp(out.assign[0], "V=/home/u") == 0);
	CHECK(sh_parse("'A=1' 1A=2", &list) == EOK);
	CHECK(sh_expand(&list.stages[0], &ex, &out) == EOK);
	CHECK(out.nassign == 0 && out.argc == 2);
}

HOST_TEST(lists_take_their_separators)
{
	CHECK(sh_parse("a; b && c || d & e", &list) == EOK);
	CHECK_EQ(list.nitems, 5);
	CHECK_EQ(list.items[0].sep, SH_SEP_SEQ);
	CHECK_EQ(list.items[1].sep, SH_SEP_AND);
	CHECK_EQ(list.items[2].sep, SH_SEP_OR);
	CHECK_EQ(list.items[3].sep, SH_SEP_BG);
	CHECK_EQ(list.items[4].sep, SH_SEP_SEQ);
	CHECK(sh_parse("a&&b||c;", &list) == EOK && list.nitems == 3);
	CHECK(sh_parse("sleep 9 &", &list) == EOK && list.nitems == 1);
	CHECK_EQ(list.items[0].sep, SH_SEP_BG);
	CHECK_EQ(list.stages[0].nwords, 2);
}

HOST_TEST(pipelines_split_into_stages)
{
	CHECK(sh_parse("a 1 | b 2 | c ; d|e", &list) == EOK);
	CHECK_EQ(list.nitems, 2);
	CHECK_EQ(list.items[0].nstages, 3);
	CHECK_EQ(list.items[1].nstages, 2);
	CHECK_EQ(list.items[1].first, 3);
	CHECK_EQ(list.stages[1].nwords, 2);
	CHECK(strncmp(list.stages[1].words[0].text, "b", 1) == 0);
}

HOST_TEST(redirections_are_taken_out_of_the_words)
{
	CHECK(sh_parse("cat < in x > out 2> err 2>>log 2>&1 >>app", &list) == EOK);
	const sh_simple_t *s = &list.stages[0];
	CHECK_EQ(s->nwords, 2);
	CHECK_EQ(s->nredirs, 6);
	static const sh_redir_kind_t kinds[] = {SH_REDIR_IN, SH_REDIR_OUT, SH_REDIR_ERR,
	    SH_REDIR_ERR_APPEND, SH_REDIR_ERR_TO_OUT, SH_REDIR_APPEND};
	for (int i = 0; i < 6; i++)
		CHECK_EQ(s->redirs[i].kind, kinds[i]);
	CHECK(sh_expand(s, &ex, &out) == EOK);
	CHECK(strcmp(out.targets[0], "in") == 0 && strcmp(out.targets[3], "log") == 0);
	CHECK(out.targets[4] == NULL && strcmp(out.targets[5], "app") == 0);
	/* "2" inside a word or quoted is not a descriptor. */
	CHECK(sh_parse("echo a2>f '2'>g", &list) == EOK);
	CHECK_EQ(list.stages[0].nwords, 3);
	CHECK_EQ(list.stages[0].redirs[0].kind, SH_REDIR_OUT);
	CHECK_EQ(list.stages[0].redirs[1].kind, SH_REDIR_OUT);
	CHECK(sh_parse("echo x > ~/f", &list) == EOK);
	CHECK(sh_expand(&list.stages[0], &ex, &out) == EOK);
	CHECK(strcmp(out.targets[0], "/home/u/f") == 0);
}

HOST_TEST(hash_at_word_start_is_a_comment)
{
	const char *w[] = {"a#b", "c"};
	CHECK(expands_to("a#b c # d e", w, 2));
}

HOST_TEST(errors_say_why)
{
	static const struct {
		const char *line;
		errno_t rc;
		const char *why;
	} bad[] = {
	    {"echo 'abc", EINVAL, "unterminated quote"},
	    {"echo \"abc", EINVAL, "unterminated quote"},
	    {"echo >", EINVAL, "missing file name after a redirection"},
	    {"echo 2> | x", EINVAL, "missing file name after a redirection"},
	    {"| a", EINVAL, "missing command before |"},
	    {"a |", EINVAL, "missing command after |"},
	    {"a | | b", EINVAL, "missing command before |"},
	    {"; a", EINVAL, "missing command before ;"},
	    {"a && ", EINVAL, "missing command after &&"},
	    {"a ||", EINVAL, "missing command after ||"},
	    {"&& a", EINVAL, "missing command before &&"},
	    {"a ; ; b", EINVAL, "missing command before ;"},
	    {"& a", EINVAL, "missing command before &"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(sh_parse(bad[i].line, &list), bad[i].rc);
		CHECK(strcmp(list.error, bad[i].why) == 0);
	}
}

HOST_TEST(limits_are_errors_not_overruns)
{
	char line[SH_LINE_MAX + 1];
	size_t n = 0;
	for (int i = 0; i <= SH_WORDS_MAX && n + 3 < sizeof(line); i++) {
		line[n++] = 'w';
		line[n++] = ' ';
	}
	line[n] = '\0';
	CHECK_EQ(sh_parse(line, &list), ELIMIT);
	CHECK(strcmp(list.error, "too many words") == 0);
	n = 0;
	for (int i = 0; i <= SH_ITEMS_MAX && n + 3 < sizeof(line); i++) {
		line[n++] = 'a';
		line[n++] = ';';
	}
	line[n] = '\0';
	CHECK_EQ(sh_parse(line, &list), ELIMIT);
	/* $HOME grows each word; 60 of them stay within the buffer. */
	n = 0;
	for (int i = 0; i < 60; i++)
		n += (size_t) snprintf(line + n, sizeof(line) - n, "$HOME$X$? ");
	CHECK(sh_parse(line, &list) == EOK);
	CHECK(sh_expand(&list.stages[0], &ex, &out) == EOK);
	CHECK_EQ(out.argc, 60);
}

HOST_TEST(variables_set_export_and_build_the_environment)
{
	sh_vars_t v = {NULL, 0, 0};
	CHECK(vars_set(&v, "HOME", "/", true) == EOK);
	CHECK(vars_set(&v, "LOCAL", "l", false) == EOK);
	CHECK(vars_assign(&v, "X=1", false) == EOK);
	CHECK(vars_set(&v, "1BAD", "x", false) == EINVAL);
	CHECK(vars_assign(&v, "=x", false) == EINVAL);
	CHECK(strcmp(vars_get(&v, "X"), "1") == 0);
	CHECK(vars_export(&v, "X") == EOK);
	CHECK(vars_assign(&v, "X=2", false) == EOK); /* stays exported */
	CHECK(vars_export(&v, "NEW") == EOK);
	char *extra[] = {"HOME=/tmp", "ONCE=y"};
	char **env;
	CHECK(vars_environ(&v, extra, 2, &env) == EOK);
	const char *want[] = {"X=2", "NEW=", "HOME=/tmp", "ONCE=y"};
	int found = 0, count = 0;
	for (char **e = env; *e != NULL; e++, count++) {
		for (int i = 0; i < 4; i++)
			found += strcmp(*e, want[i]) == 0;
	}
	vars_environ_free(env);
	CHECK_EQ(count, 4); /* LOCAL is not exported, HOME comes once */
	CHECK_EQ(found, 4);
	vars_unset(&v, "X");
	CHECK(vars_get(&v, "X") == NULL);
	CHECK(strcmp(vars_get(&v, "LOCAL"), "l") == 0);
	vars_clear(&v);
}
#endif
