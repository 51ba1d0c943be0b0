/*
 * appstest: the file programs (echo, mkdir, touch, ls, cat, cp, mv, rm,
 * stat, df, mount, umount) on a tmpfs root.
 */
#include "appstest.h"
#include <string.h>
#include <sys/stat.h>
#include <vfs.h>

static app_run_t run; /* large: not on a fibril's stack */

static void test_echo_prints_words(void)
{
	CHECK_RC(APP(&run, "echo", "hello", "world"), EOK);
	CHECK(run.status == 0 && strcmp(run.out, "hello world\n") == 0);
	CHECK_RC(APP(&run, "echo", "-n", "no", "newline"), EOK);
	CHECK(run.status == 0 && strcmp(run.out, "no newline") == 0);
}

static void test_mkdir_p_makes_parents(void)
{
	CHECK_RC(APP(&run, "mkdir", "-p", "/t/a/b/c"), EOK);
	CHECK(run.status == 0 && path_is("/t/a/b/c", true));
	CHECK_RC(APP(&run, "mkdir", "-p", "/t/a/b"), EOK);
	CHECK(run.status == 0);
	CHECK_RC(APP(&run, "mkdir", "/t/a"), EOK);
	CHECK(run.status == 1 &&
	    strcmp(run.err, "mkdir: /t/a: EEXIST: already exists\n") == 0);
}

static void test_touch_and_ls_sorted(void)
{
	CHECK_RC(APP(&run, "touch", "/t/zz", "/t/f1"), EOK);
	CHECK(run.status == 0 && path_is("/t/zz", false));
	CHECK_RC(file_put("/t/text", "some text\n"), EOK);
	CHECK_RC(APP(&run, "ls", "/t"), EOK);
	CHECK(run.status == 0 && strcmp(run.out, "a\nf1\ntext\nzz\n") == 0);
	CHECK_RC(APP(&run, "ls", "-l", "/t"), EOK);
	CHECK(run.status == 0);
	CHECK(strstr(run.out, "d ") == run.out && strstr(run.out, " a\n") != NULL);
	CHECK(strstr(run.out, "-         10 text\n") != NULL);
}

static void test_cat_copies_files(void)
{
	CHECK_RC(APP(&run, "cat", "/t/text", "/t/text"), EOK);
	CHECK(run.status == 0 && strcmp(run.out, "some text\nsome text\n") == 0);
	CHECK_RC(APP(&run, "cat"), EOK); /* stdin: none, so EOF */
	CHECK(run.status == 0 && run.out[0] == '\0');
	CHECK_RC(APP(&run, "cat", "/t/missing"), EOK);
	CHECK(run.status == 1 &&
	    strcmp(run.err, "cat: /t/missing: ENOENT: no such file or directory\n") == 0);
}

static void test_cp_copies_files_and_trees(void)
{
	CHECK_RC(file_put("/t/a/b/leaf", "leaf\n"), EOK);
	CHECK_RC(APP(&run, "cp", "-r", "/t/a", "/t/copy"), EOK);
	CHECK(run.status == 0 && path_is("/t/copy/b/c", true));
	CHECK_RC(APP(&run, "cat", "/t/copy/b/leaf"), EOK);
	CHECK(strcmp(run.out, "leaf\n") == 0);
	CHECK_RC(APP(&run, "cp", "/t/text", "/t/copy"), EOK);
	CHECK(run.status == 0 && path_is("/t/copy/text", false));
	CHECK_RC(APP(&run, "cp", "/t/a", "/t/nocopy"), EOK);
	CHECK(run.status == 1 &&
	    strcmp(run.err, "cp: /t/a: EISDIR: is a directory\n") == 0);
}

static void test_mv_renames_and_crosses_mounts(void)
{
	CHECK_RC(APP(&run, "mv", "/t/f1", "/t/f2"), EOK);
	CHECK(run.status == 0 && path_is("/t/f2", false) && !path_is("/t/f1", false));
	CHECK(mkdir("/m", 0) == 0);
	CHECK_RC(APP(&run, "mount", "tmpfs", "/m", "size=1M"), EOK);
	CHECK(run.status == 0);
	CHECK_RC(APP(&run, "mv", "/t/copy", "/m"), EOK);
	CHECK(run.status == 0 && path_is("/m/copy/b/leaf", false));
	CHECK(!path_is("/t/copy", true));
}

static void test_rm_needs_r_for_directories(void)
{
	CHECK_RC(APP(&run, "rm", "/t/a"), EOK);
	CHECK(run.status == 1 &&
	    strcmp(run.err, "rm: /t/a: EISDIR: is a directory\n") == 0);
	CHECK_RC(APP(&run, "rm", "-r", "/t/a", "/t/f2"), EOK);
	CHECK(run.status == 0 && !path_is("/t/a", true) && !path_is("/t/f2", false));
}

static void test_stat_and_df_describe(void)
{
	CHECK_RC(APP(&run, "stat", "/t/text", "/t"), EOK);
	CHECK(run.status == 0);
	CHECK(strstr(run.out, "/t/text: file, size 10, node ") != NULL);
	CHECK(strstr(run.out, "/t: directory, ") != NULL);
	CHECK(strstr(run.out, "(tmpfs)") != NULL);
	CHECK_RC(APP(&run, "df", "/", "/m"), EOK);
	CHECK(run.status == 0 && strstr(run.out, "PATH") == run.out);
	CHECK(strstr(run.out, "\n/                tmpfs") != NULL);
	CHECK(strstr(run.out, "\n/m               tmpfs") != NULL);
}

static void test_umount_and_mount_without_arguments(void)
{
	CHECK_RC(APP(&run, "umount", "/m"), EOK);
	CHECK(run.status == 0 && !path_is("/m/copy", true));
	CHECK_RC(APP(&run, "umount", "/m"), EOK);
	CHECK(run.status == 1);
	CHECK_RC(APP(&run, "mount"), EOK);
	CHECK(run.status == 0 && strncmp(run.out, "tmpfs on / (rw, task ", 21) == 0);
	CHECK(strstr(run.out, "\ntmpfs on /arch (ro, task ") != NULL);
	CHECK(strstr(run.out, " on /m ") == NULL);
}

void file_tests(void)
{
	RUN(test_echo_prints_words);
	RUN(test_mkdir_p_makes_parents);
	RUN(test_touch_and_ls_sorted);
	RUN(test_cat_copies_files);
	RUN(test_cp_copies_files_and_trees);
	RUN(test_mv_renames_and_crosses_mounts);
	RUN(test_rm_needs_r_for_directories);
	RUN(test_stat_and_df_describe);
	RUN(test_umount_and_mount_without_arguments);
}
