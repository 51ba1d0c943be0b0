/*
 * The children the tests start, and how they are started and waited for.
 */
#include "vfstest.h"
#include <fibril.h>
#include <stdlib.h>
#include <string.h>

#define CHILD_REGION	4096
#define PASS_WAIT_TRIES 500

errno_t child_spawn(const char *args, task_id_t *id)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "vfstest --child %s", args);
	return task_spawn_module(cmd, id);
}

errno_t child_wait(task_id_t id)
{
	task_exit_t texit;
	errno_t rc = task_join(id, &texit, 0);
	if (rc != EOK)
		return rc;
	return texit.how == TASK_EXIT_NORMAL && texit.status == 0 ? EOK : EIO;
}

errno_t fill_write(int fd, char byte, size_t size)
{
	char buf[CHILD_REGION];
	memset(buf, byte, sizeof(buf));
	while (size > 0) {
		size_t chunk = size < sizeof(buf) ? size : sizeof(buf);
		size_t n;
		errno_t rc = vfs_write(fd, buf, chunk, &n);
		if (rc != EOK)
			return rc;
		if (n != chunk)
			return EIO;
		size -= n;
	}
	return EOK;
}

/** `write PATH N`: writes region N of PATH with the byte 'a' + N. */
static int child_write(const char *path, int n)
{
	int fd;
	if (vfs_open(path, O_WRONLY, &fd) != EOK)
		return 2;
	if (vfs_seek(fd, (int64_t) n * CHILD_REGION, SEEK_SET, NULL) != EOK)
		return 3;
	if (fill_write(fd, (char) ('a' + n), CHILD_REGION) != EOK)
		return 4;
	return vfs_close(fd) == EOK ? 0 : 5;
}

/** `pass`: reads "passed" from descriptor 0, which the parent passes. */
static int child_pass(void)
{
	char buf[16];
	size_t n = 0;
	errno_t rc = EBADF;
	for (int i = 0; i < PASS_WAIT_TRIES && rc == EBADF; i++) {
		rc = vfs_read(0, buf, sizeof(buf), &n);
		if (rc == EBADF)
			fibril_usleep(10000);
	}
	if (rc != EOK || n != 6 || memcmp(buf, "passed", 6) != 0)
		return 2;
	return vfs_close(0) == EOK ? 0 : 3;
}

/** `pipe-write`: after a while writes "late\n" to stdout (a pipe). */
static int child_pipe_write(void)
{
	fibril_usleep(200000);
	if (fputs("late\n", stdout) == EOF || fflush(stdout) != 0)
		return 2;
	return 0;
}

/** `pipe-drain N`: after a while reads stdin (a pipe) to its end; exits 0
 *  if it got exactly N bytes, all 'p'. */
static int child_pipe_drain(size_t expect)
{
	fibril_usleep(200000);
	char buf[700];
	size_t total = 0, n;
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0) {
		for (size_t i = 0; i < n; i++) {
			if (buf[i] != 'p')
				return 2;
		}
		total += n;
	}
	return total == expect && !ferror(stdin) ? 0 : 3;
}

int child_main(int argc, char *argv[])
{
	if (argc == 1 && strcmp(argv[0], "pipe-write") == 0)
		return child_pipe_write();
	if (argc == 2 && strcmp(argv[0], "pipe-drain") == 0)
		return child_pipe_drain((size_t) atoi(argv[1]));
	if (argc == 3 && strcmp(argv[0], "write") == 0)
		return child_write(argv[1], atoi(argv[2]));
	if (argc == 1 && strcmp(argv[0], "pass") == 0)
		return child_pass();
	return 1;
}
