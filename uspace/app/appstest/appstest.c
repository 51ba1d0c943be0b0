/*
 * appstest: the runner of program children and the suite's entry.
 */
#include "appstest.h"
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vfs.h>
#include <getopt.h>

#define USAGE "(a test program; make test boots it with testtask=appstest)"

#define TEST_LIMIT_USEC 300000000
#define OUT_PATH	"/tmp/app.out"
#define ERR_PATH	"/tmp/app.err"

const char *const app_names[] = {"ls", "cat", "echo", "mkdir", "rm", "cp", "mv", "touch",
    "stat", "mount", "umount", "df", "ps", "kill", "sleep", "uptime", "free", "dmesg",
    "devices", "lspci", "kcon", "halt", "reboot", "tester"};
const size_t app_count = sizeof(app_names) / sizeof(app_names[0]);

/** Reads file @a path (at most OUTPUT_MAX - 1 bytes) into @a buf as a
 *  string. */
static errno_t file_get(const char *path, char *buf)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	ssize_t n = read(fd, buf, OUTPUT_MAX - 1);
	errno_t rc = n >= 0 ? EOK : errno;
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return rc;
}

errno_t file_put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC);
	if (fd < 0)
		return errno;
	ssize_t len = (ssize_t) strlen(text);
	errno_t rc = write(fd, text, len) == len ? EOK : EIO;
	close(fd);
	return rc;
}

bool path_is(const char *path, bool dir)
{
	struct stat st;
	return stat(path, &st) == 0 && (S_ISDIR(st.st_mode) ? dir : !dir);
}

/** Spawns the program with its output in the two open files and waits. */
static errno_t spawn_and_wait(
    app_run_t *run, unsigned perms, const char *const args[], int out, int err)
{
	char path[64];
	snprintf(path, sizeof(path), "/app/%s", args[0]);
	task_spawn_opts_t opts;
	task_spawn_opts_init(&opts);
	opts.files[1] = out;
	opts.files[2] = err;
	opts.perms = perms;
	task_wait_t wait;
	errno_t rc = task_spawn_opts(NULL, &wait, path, args, &opts);
	if (rc != EOK)
		return rc;
	task_exit_t exit;
	rc = task_wait(&wait, &exit, NULL);
	run->status = exit.how == TASK_EXIT_NORMAL ? exit.status : -1;
	return rc;
}

errno_t app_run(app_run_t *run, unsigned perms, const char *const args[])
{
	int out = open(OUT_PATH, O_WRONLY | O_CREAT | O_TRUNC);
	int err = open(ERR_PATH, O_WRONLY | O_CREAT | O_TRUNC);
	errno_t rc = out >= 0 && err >= 0 ? EOK : errno;
	if (rc == EOK)
		rc = spawn_and_wait(run, perms, args, out, err);
	if (out >= 0)
		close(out);
	if (err >= 0)
		close(err);
	if (rc == EOK)
		rc = file_get(OUT_PATH, run->out);
	if (rc == EOK)
		rc = file_get(ERR_PATH, run->err);
	return rc;
}

/** Copies file @a from to the new file @a to. */
static errno_t file_copy(const char *from, const char *to)
{
	int in = open(from, O_RDONLY);
	int out = in >= 0 ? open(to, O_WRONLY | O_CREAT | O_TRUNC) : -1;
	errno_t rc = out >= 0 ? EOK : errno;
	char buf[4096];
	ssize_t n;
	while (rc == EOK && (n = read(in, buf, sizeof(buf))) != 0)
		rc = n > 0 && write(out, buf, n) == n ? EOK : EIO;
	if (out >= 0)
		close(out);
	if (in >= 0)
		close(in);
	return rc;
}

/** A writable root with /tmp and the programs in /app, copied from the
 *  boot archive (mounted at /arch) as the real root has them. */
static void test_mount_root_with_programs(void)
{
	CHECK_RC(vfs_mount("/", "tmpfs", "", VFS_MOUNT_WAIT), EOK);
	CHECK(mkdir("/tmp", 0) == 0 && mkdir("/app", 0) == 0);
	CHECK(mkdir("/arch", 0) == 0);
	CHECK_RC(vfs_mount("/arch", "tmpfs", "archive=rootfs", VFS_MOUNT_RDONLY), EOK);
	for (size_t i = 0; i < app_count; i++) {
		char from[64];
		char to[64];
		snprintf(from, sizeof(from), "/arch/app/%s", app_names[i]);
		snprintf(to, sizeof(to), "/app/%s", app_names[i]);
		CHECK_RC(file_copy(from, to), EOK);
	}
}

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	test_suite_start("appstest");
	if (test_suite_limit(TEST_LIMIT_USEC) != EOK) {
		printf("appstest: out of memory\n");
		return 1;
	}
	RUN(test_mount_root_with_programs);
	file_tests();
	system_tests();
	return test_suite_end();
}
