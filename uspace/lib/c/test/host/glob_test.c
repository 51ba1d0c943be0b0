/*
 * libc's fnmatch and glob (src/fnmatch.c, src/glob.c, built for the host
 * under lc_* names): the pattern syntax case by case, then glob over a
 * directory tree made for the test in the host's temporary directory.
 */
#include "host_test.h"
#include "fnmatch.h"
#include "glob.h"
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *pattern, *string;
	int flags;
	int match;
} cases[] = {
    {"abc", "abc", 0, 1},
    {"abc", "abd", 0, 0},
    {"", "", 0, 1},
    {"", "a", 0, 0},
    {"*", "", 0, 1},
    {"*", "anything", 0, 1},
    {"a*", "a", 0, 1},
    {"a*c", "abbbc", 0, 1},
    {"a*c", "abbbd", 0, 0},
    {"*.txt", "notes.txt", 0, 1},
    {"*.txt", "notes.txt.bak", 0, 0},
    {"*a*b*c*", "xxaxxbxxcxx", 0, 1},
    {"*a*b*c*", "xxaxxcxxbxx", 0, 0},
    {"?", "a", 0, 1},
    {"?", "", 0, 0},
    {"??", "a", 0, 0},
    {"a?c", "abc", 0, 1},
    {"[abc]", "b", 0, 1},
    {"[abc]", "d", 0, 0},
    {"[a-c]x", "bx", 0, 1},
    {"[!a-c]", "b", 0, 0},
    {"[!a-c]", "d", 0, 1},
    {"[^a]", "b", 0, 1},
    {"[]]", "]", 0, 1},
    {"[!]]", "a", 0, 1},
    {"[a-]", "-", 0, 1},
    {"[", "[", 0, 1},
    {"[ab", "[ab", 0, 1},
    {"\\*", "*", 0, 1},
    {"\\*", "a", 0, 0},
    {"\\*", "\\*", FNM_NOESCAPE, 1},
    {"a\\?b", "a?b", 0, 1},
    {"[\\]]", "]", 0, 1},
    {"*", ".hidden", FNM_PERIOD, 0},
    {".*", ".hidden", FNM_PERIOD, 1},
    {"?hidden", ".hidden", FNM_PERIOD, 0},
    {"[.]hidden", ".hidden", FNM_PERIOD, 0},
    {"*", ".hidden", 0, 1},
    {"a*", "a.b", FNM_PERIOD, 1},
    {"*", "a/b", FNM_PATHNAME, 0},
    {"*/b", "a/b", FNM_PATHNAME, 1},
    {"*/x", "/x", FNM_PATHNAME, 1},
    {"a?b", "a/b", FNM_PATHNAME, 0},
    {"a/*", "a/.b", FNM_PATHNAME | FNM_PERIOD, 0},
    {"*", "a/b", 0, 1},
};

HOST_TEST(fnmatch_follows_the_shell_syntax)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = fnmatch(cases[i].pattern, cases[i].string, cases[i].flags) == 0;
		if (got != cases[i].match)
			printf("  case %zu: fnmatch(\"%s\", \"%s\", %d) = %d\n", i,
			    cases[i].pattern, cases[i].string, cases[i].flags, got);
		CHECK_EQ(got, cases[i].match);
	}
}

HOST_TEST(fnmatch_many_stars_stay_fast)
{
	char s[4001];
	memset(s, 'a', 4000);
	s[4000] = '\0';
	CHECK(fnmatch("*a*a*a*a*a*a*a*a*b", s, 0) == FNM_NOMATCH);
}

static char root[256];

static void make(const char *rel, int dir)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	if (dir) {
		mkdir(p, 0700);
	} else {
		FILE *f = fopen(p, "w");
		if (f != NULL)
			fclose(f);
	}
}

/** Globs @a pat below root; the matches (root cut off) joined by ' ' in
 *  @a out; glob's result. */
static int glob_rel(const char *pat, int flags, char *out, size_t size)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", root, pat);
	glob_t g;
	int rc = glob(p, flags, NULL, &g);
	out[0] = '\0';
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *m = g.gl_pathv[i];
		if (strncmp(m, root, strlen(root)) == 0)
			m += strlen(root) + 1;
		if (i > 0)
			strncat(out, " ", size - strlen(out) - 1);
		strncat(out, m, size - strlen(out) - 1);
	}
	if (g.gl_pathc > 0 && g.gl_pathv[g.gl_pathc] != NULL)
		rc = -100;
	globfree(&g);
	return rc;
}

static void make_tree(void)
{
	snprintf(root, sizeof(root), "%s/globtestXXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(root) == NULL)
		root[0] = '\0';
	make("b.txt", 0);
	make("a.txt", 0);
	make("c.log", 0);
	make(".hidden", 0);
	make("d1", 1);
	make("d2", 1);
	make("d1/x.c", 0);
	make("d2/y.c", 0);
	make("d2/z.h", 0);
	make("we*rd", 0);
}

HOST_TEST(glob_matches_sorted_and_skips_dot_files)
{
	make_tree();
	CHECK(root[0] != '\0');
	char out[512];
	CHECK_EQ(glob_rel("*.txt", 0, out, sizeof(out)), 0);
	CHECK(strcmp(out, "a.txt b.txt") == 0);
	CHECK_EQ(glob_rel("*", 0, out, sizeof(out)), 0);
	CHECK(strcmp(out, "a.txt b.txt c.log d1 d2 we*rd") == 0);
	CHECK_EQ(glob_rel(".*", 0, out, sizeof(out)), 0);
	CHECK(strcmp(out, ".hidden") == 0);
	CHECK_EQ(glob_rel("[ab].*", 0, out, sizeof(out)), 0);
	CHECK(strcmp(out, "a.txt b.txt") == 0);
	CHECK_EQ(glob_rel("?.log", 0, out, sizeof(out)), 0);
	CHECK(strcmp(out, "c.log") == 0);
}

HOST_TEST(glob_walks_components)
{
	char out[512];
	CHECK_EQ(glob_rel("d?/*.c", 0, out, sizeof(out)), 0);
	CHECK(strcmp(out, "d1/x.c d2/y.c") == 0);
	CHECK_EQ(glob_rel("d*/z.h", 0, out, sizeof(out)), 0);
	CHECK(strcmp(out, "d2/z.h") == 0);
	CHECK_EQ(glob_rel("*/", 0, out, sizeof(out)), 0);
	CHECK(strcmp(out, "d1/ d2/") == 0);
	CHECK_EQ(glob_rel("d1//x.c", 0, out, sizeof(out)), 0);
	CHECK(strcmp(out, "d1/x.c") == 0);
}

HOST_TEST(glob_no_match_and_escapes)
{
	char out[512];
	CHECK_EQ(glob_rel("*.none", 0, out, sizeof(out)), GLOB_NOMATCH);
	CHECK(strcmp(out, "") == 0);
	CHECK_EQ(glob_rel("*.none", GLOB_NOCHECK, out, sizeof(out)), 0);
	CHECK(strstr(out, "*.none") != NULL);
	CHECK_EQ(glob_rel("nodir/*", 0, out, sizeof(out)), GLOB_NOMATCH);
	CHECK_EQ(glob_rel("nodir/*", GLOB_ERR, out, sizeof(out)), GLOB_ABORTED);
	CHECK_EQ(glob_rel("we\\*rd", 0, out, sizeof(out)), 0);
	CHECK(strcmp(out, "we*rd") == 0);
	CHECK_EQ(glob_rel("w\\e*", 0, out, sizeof(out)), 0);
	CHECK(strcmp(out, "we*rd") == 0);
	CHECK_EQ(glob_rel("a.txt", 0, out, sizeof(out)), 0);
	CHECK(strcmp(out, "a.txt") == 0);
	CHECK_EQ(glob_rel("nothere", 0, out, sizeof(out)), GLOB_NOMATCH);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	CHECK_EQ(system(cmd), 0);
}
