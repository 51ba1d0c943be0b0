/*
 * vfstest: pipes (pipefs, started from the boot archive mounted at /arch by
 * program_tests, and libc's pipe()): data through a pipe, the end of the
 * file, a writer without a reader, blocking both ways across tasks, and a
 * program writing into a pipe as its stdout.
 */
#include "vfstest.h"
#include <string.h>
#include <time.h>

#define ARCH	    "/arch"
#define DRAIN_BYTES 10000
#define CHILD_DELAY 200000 /* usec a child waits before reading or writing */

/** pipefs runs and is mounted at /pipe; before that pipe() is ENOENT. */
static void test_pipefs_mounts_and_pipe_needs_it(void)
{
	int fds[2];
	CHECK(pipe(fds) == -1 && errno == ENOENT);
	CHECK_RC(task_spawnl(NULL, NULL, ARCH "/srv/pipefs", "pipefs", NULL), EOK);
	CHECK_RC(vfs_mkdir("/pipe"), EOK);
	CHECK_RC(vfs_mount("/pipe", "pipefs", "", VFS_MOUNT_WAIT), EOK);
	vfs_statfs_t sf;
	CHECK_RC(vfs_statfs("/pipe", &sf), EOK);
	CHECK(strcmp(sf.fs_type, "pipefs") == 0);
}

/** What is written comes out in order; the name is gone at once. */
static void test_pipe_carries_data_in_order(void)
{
	int fds[2];
	CHECK(pipe(fds) == 0);
	vfs_stat_t st;
	CHECK_RC(vfs_stat("/pipe", &st), EOK);
	CHECK(st.type == VFS_NODE_DIR && st.size == 0);
	CHECK(write(fds[1], "hello", 5) == 5);
	CHECK(write(fds[1], " world", 6) == 6);
	CHECK_RC(vfs_fstat(fds[0], &st), EOK);
	CHECK(st.size == 11);
	char buf[32] = {0};
	CHECK(read(fds[0], buf, sizeof(buf)) == 11);
	CHECK(strcmp(buf, "hello world") == 0);
	CHECK(read(fds[1], buf, 1) == -1 && errno == EBADF);
	CHECK(write(fds[0], "x", 1) == -1 && errno == EBADF);
	close(fds[0]);
	close(fds[1]);
}

/** Once the write end is closed, the rest is read, then 0 bytes. */
static void test_pipe_ends_when_writer_closes(void)
{
	int fds[2];
	CHECK(pipe(fds) == 0);
	CHECK(write(fds[1], "x", 1) == 1);
	close(fds[1]);
	char c;
	CHECK(read(fds[0], &c, 1) == 1 && c == 'x');
	CHECK(read(fds[0], &c, 1) == 0);
	close(fds[0]);
}

/** A write with no read end left fails with EIO. */
static void test_pipe_write_without_reader_fails(void)
{
	int fds[2];
	CHECK(pipe(fds) == 0);
	close(fds[0]);
	CHECK(write(fds[1], "x", 1) == -1 && errno == EIO);
	close(fds[1]);
}

/** Spawns `vfstest --child @a mode [@a arg]` with stdin @a in and
 *  stdout @a out. */
static errno_t pipe_child(
    const char *mode, const char *arg, int in, int out, task_wait_t *wait)
{
	const char *const args[] = {"vfstest", "--child", mode, arg, NULL};
	return task_spawnvf(NULL, wait, ARCH "/app/vfstest", args, in, out, -1);
}

static bool exited_0(task_wait_t *wait)
{
	task_exit_t texit;
	return task_wait(wait, &texit, NULL) == EOK && texit.how == TASK_EXIT_NORMAL &&
	    texit.status == 0;
}

/** A read waits until another task writes; then the end of the file
 *  comes when that task ends. */
static void test_pipe_reader_waits_for_writer(void)
{
	int fds[2];
	task_wait_t wait;
	CHECK(pipe(fds) == 0);
	CHECK_RC(pipe_child("pipe-write", NULL, -1, fds[1], &wait), EOK);
	close(fds[1]);
	uint64_t start = clock_ns();
	char buf[16] = {0};
	CHECK(read(fds[0], buf, sizeof(buf)) == 5);
	CHECK(clock_ns() - start >= CHILD_DELAY / 2 * 1000ull);
	CHECK(strcmp(buf, "late\n") == 0);
	CHECK(read(fds[0], buf, sizeof(buf)) == 0);
	close(fds[0]);
	CHECK(exited_0(&wait));
}

/** Writes @a size bytes of 'p' to @a fd, taking short writes. */
static errno_t pipe_fill(int fd, size_t size)
{
	char buf[1500];
	memset(buf, 'p', sizeof(buf));
	while (size > 0) {
		ssize_t n = write(fd, buf, size < sizeof(buf) ? size : sizeof(buf));
		if (n <= 0)
			return n < 0 ? errno : EIO;
		size -= (size_t) n;
	}
	return EOK;
}

/** More than the ring holds: the writer waits until the reader (another
 *  task, started late) drains it; all bytes arrive. */
static void test_pipe_writer_waits_for_reader(void)
{
	int fds[2];
	task_wait_t wait;
	CHECK(pipe(fds) == 0);
	CHECK_RC(pipe_child("pipe-drain", "10000", fds[0], -1, &wait), EOK);
	close(fds[0]);
	uint64_t start = clock_ns();
	CHECK_RC(pipe_fill(fds[1], DRAIN_BYTES), EOK);
	CHECK(clock_ns() - start >= CHILD_DELAY / 2 * 1000ull);
	close(fds[1]);
	CHECK(exited_0(&wait));
}

/** A program's stdout is the write end: its output comes out. */
static void test_program_writes_into_pipe(void)
{
	int fds[2];
	task_wait_t wait;
	CHECK(pipe(fds) == 0);
	const char *const args[] = {"echo", "hi", NULL};
	CHECK_RC(task_spawnvf(NULL, &wait, ARCH "/app/echo", args, -1, fds[1], -1), EOK);
	close(fds[1]);
	char buf[16] = {0};
	size_t got = 0;
	ssize_t n;
	while ((n = read(fds[0], buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t) n;
	close(fds[0]);
	CHECK(n == 0 && strcmp(buf, "hi\n") == 0);
	CHECK(exited_0(&wait));
}

void pipe_tests(void)
{
	RUN(test_pipefs_mounts_and_pipe_needs_it);
	RUN(test_pipe_carries_data_in_order);
	RUN(test_pipe_ends_when_writer_closes);
	RUN(test_pipe_write_without_reader_fails);
	RUN(test_pipe_reader_waits_for_writer);
	RUN(test_pipe_writer_waits_for_reader);
	RUN(test_program_writes_into_pipe);
}
