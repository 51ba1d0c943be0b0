/*
 * kvtest: the key-value store example end to end (boot options
 * testinit=ns,vfs,tmpfs testtask=kvtest): starts the kvstore server, runs
 * the kv client with several commands (its output captured in a file) and
 * several clients at once, in testsuite.h's format.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <task.h>
#include <testsuite.h>
#include <unistd.h>
#include <vfs.h>
#include <getopt.h>

#define USAGE "(a test program; make test boots it with testtask=kvtest)"

#define OUT_PATH "/kv-out"

static char output[2048]; /* what the last kv run printed */

/** Runs `kv ARGS...` with stdout and stderr in OUT_PATH; its exit status
 *  in *@a status and its output in `output`. */
static errno_t kv_run(const char *const args[], int *status)
{
	int fd = open(OUT_PATH, O_WRONLY | O_CREAT | O_TRUNC);
	if (fd < 0)
		return errno;
	task_wait_t wait;
	task_exit_t exit;
	errno_t rc = task_spawnvf(NULL, &wait, "/app/kv", args, -1, fd, fd);
	close(fd);
	if (rc == EOK)
		rc = task_wait(&wait, &exit, NULL);
	if (rc == EOK && exit.how != TASK_EXIT_NORMAL)
		rc = EIO;
	*status = exit.status;
	fd = open(OUT_PATH, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, output, sizeof(output) - 1) : -1;
	output[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
	return rc;
}

static void test_start_server(void)
{
	CHECK_RC(vfs_mount("/", "tmpfs", "", VFS_MOUNT_WAIT), EOK);
	task_id_t id;
	CHECK_RC(task_spawnl(&id, NULL, "/srv/kvstore", "kvstore", NULL), EOK);
	task_exit_t exit;
	CHECK_RC(task_wait_task_id(id, TASK_WAIT_RETVAL, &exit, NULL), EOK);
	CHECK(exit.how == 0);
}

static void test_set_get_del(void)
{
	int status;
	const char *set[] = {"kv", "set", "colour", "blue sky", NULL};
	CHECK_RC(kv_run(set, &status), EOK);
	CHECK(status == 0);
	const char *get[] = {"kv", "get", "colour", NULL};
	CHECK_RC(kv_run(get, &status), EOK);
	CHECK(status == 0 && strcmp(output, "blue sky\n") == 0);
	const char *del[] = {"kv", "del", "colour", NULL};
	CHECK_RC(kv_run(del, &status), EOK);
	CHECK(status == 0);
	CHECK_RC(kv_run(get, &status), EOK);
	CHECK(status == 1 && strstr(output, "kv: colour: ") != NULL);
}

static void test_errors(void)
{
	int status;
	const char *missing[] = {"kv", "get", "no-such-key", NULL};
	CHECK_RC(kv_run(missing, &status), EOK);
	CHECK(status == 1 && strstr(output, str_error(ENOENT)) != NULL);
	static char big[1500];
	memset(big, 'x', sizeof(big) - 1);
	const char *oversize[] = {"kv", "set", "big", big, NULL};
	CHECK_RC(kv_run(oversize, &status), EOK);
	CHECK(status == 1 && strstr(output, str_error(ELIMIT)) != NULL);
	const char *bad[] = {"kv", "frobnicate", NULL};
	CHECK_RC(kv_run(bad, &status), EOK);
	CHECK(status == 2);
}

/** Four clients at once, twenty keys each: all arrive. */
static void test_several_clients(void)
{
	task_wait_t waits[4];
	char prefix[4][8];
	for (int i = 0; i < 4; i++) {
		snprintf(prefix[i], sizeof(prefix[i]), "c%d-", i);
		const char *args[] = {"kv", "fill", prefix[i], "20", NULL};
		CHECK_RC(task_spawnv(NULL, &waits[i], "/app/kv", args), EOK);
	}
	for (int i = 0; i < 4; i++) {
		task_exit_t exit;
		CHECK_RC(task_wait(&waits[i], &exit, NULL), EOK);
		CHECK(exit.how == TASK_EXIT_NORMAL && exit.status == 0);
	}
	int status;
	const char *count[] = {"kv", "count", NULL};
	CHECK_RC(kv_run(count, &status), EOK);
	CHECK(status == 0 && strcmp(output, "80\n") == 0);
	const char *get[] = {"kv", "get", "c3-19", NULL};
	CHECK_RC(kv_run(get, &status), EOK);
	CHECK(status == 0 && strcmp(output, "c3-19\n") == 0);
}

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	test_suite_start("kvtest");
	RUN(test_start_server);
	RUN(test_set_get_del);
	RUN(test_errors);
	RUN(test_several_clients);
	return test_suite_end();
}
