/*
 * vfstest: the boot archive as a file system, stdio on files, and programs
 * loaded from the file system with their output redirected to a file.
 */
#include "vfstest.h"
#include <stdlib.h>
#include <string.h>

#define ARCHIVE_MP "/arch"

/** The boot archive mounted read-only: its files read through stdio. */
static void test_archive_mount_and_stdio(void)
{
	CHECK_RC(vfs_mkdir(ARCHIVE_MP), EOK);
	CHECK_RC(vfs_mount(ARCHIVE_MP, "tmpfs", "archive=rootfs", VFS_MOUNT_RDONLY), EOK);
	FILE *f = fopen(ARCHIVE_MP "/data/hello.txt", "r");
	CHECK(f != NULL);
	char line[128];
	char *got = fgets(line, sizeof(line), f);
	int c = fgetc(f);
	CHECK(ungetc(c, f) == c);
	long at = ftell(f);
	fclose(f);
	CHECK(got != NULL &&
	    strcmp(line, "Hello from the Switchboard root file system.\n") == 0);
	CHECK(c == 'T' && at == (long) strlen(line));
	CHECK(fopen(ARCHIVE_MP "/data/new", "w") == NULL && errno == EROFS);
	CHECK(fopen(ARCHIVE_MP "/data/missing", "r") == NULL && errno == ENOENT);
}

errno_t copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "r");
	FILE *out = in != NULL ? fopen(to, "w") : NULL;
	errno_t rc = out != NULL ? EOK : errno;
	char buf[1000];
	size_t n;
	while (rc == EOK && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		rc = fwrite(buf, 1, n, out) == n ? EOK : EIO;
	if (rc == EOK && ferror(in))
		rc = EIO;
	if (out != NULL && fclose(out) != 0 && rc == EOK)
		rc = EIO;
	if (in != NULL)
		fclose(in);
	return rc;
}

/** A program that exists only in the file system (a copy under a new
 *  name: no boot module has it) runs with stdout and stderr in a file. */
static void test_spawn_from_vfs_with_output_to_file(void)
{
	CHECK_RC(copy_file(ARCHIVE_MP "/app/hello", "/hello-copy"), EOK);
	int fd = open("/out.txt", O_WRONLY | O_CREAT | O_TRUNC);
	CHECK(fd >= 0);
	const char *const args[] = {"hello-copy", "via the VFS", NULL};
	task_wait_t wait;
	task_exit_t exit;
	errno_t rc = task_spawnvf(NULL, &wait, "/hello-copy", args, -1, fd, fd);
	close(fd);
	CHECK_RC(rc, EOK);
	CHECK_RC(task_wait(&wait, &exit, NULL), EOK);
	CHECK(exit.how == TASK_EXIT_NORMAL && exit.status == 0);
	FILE *f = fopen("/out.txt", "r");
	CHECK(f != NULL);
	char text[1024];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	CHECK(strstr(text, "argv[1] = \"via the VFS\"") != NULL);
	CHECK(strstr(text, "malloc/realloc/free OK") != NULL);
	CHECK_RC(task_spawnl(NULL, NULL, "/out.txt", "out", NULL), ENOEXEC);
}

void program_tests(void)
{
	RUN(test_archive_mount_and_stdio);
	RUN(test_spawn_from_vfs_with_output_to_file);
}
