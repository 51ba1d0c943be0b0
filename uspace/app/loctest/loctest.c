/*
 * loctest: the location service, its client library and locfs, tested
 * through the calls a user makes (loctest.h). Boot with
 * `testinit=ns,vfs,tmpfs testtask=loctest`; exits 0 only if all passed.
 */
#include "loctest.h"
#include <dirent.h>
#include <fibril.h>
#include <stdlib.h>
#include <string.h>
#include <vfs.h>
#include <getopt.h>

#define USAGE "(a test program; make test boots it with testtask=loctest)"
/* First words of its own modes (children it starts, ...). */
static const char *const own_words[] = {"--child", NULL};

#define TEST_LIMIT_USEC 120000000
#define POLL_USEC	10000
#define POLL_TRIES	300

static task_id_t locsrv_task, server_task, late_task;
static loc_id_t alpha;
static category_id_t testcat;
static volatile unsigned cat_events;

static void cat_changed(void *arg)
{
	cat_events++;
}

/** Waits until *@a counter passes @a old; false after about 3 s. */
static bool wait_count(volatile unsigned *counter, unsigned old)
{
	for (int i = 0; i < POLL_TRIES && *counter == old; i++)
		fibril_usleep(POLL_USEC);
	return *counter != old;
}

static errno_t child_spawn(const char *mode, task_id_t *id)
{
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "loctest --child %s", mode);
	return task_spawn_module(cmd, id);
}

static void test_servers_start_and_locfs_mounts(void)
{
	task_id_t id;
	CHECK_RC(vfs_mount("/", "tmpfs", "", VFS_MOUNT_WAIT), EOK);
	CHECK_RC(task_spawn_module("locsrv", &locsrv_task), EOK);
	CHECK_RC(task_spawn_module("locfs", &id), EOK);
	CHECK_RC(vfs_mkdir("/loc"), EOK);
	CHECK_RC(vfs_mount("/loc", "locfs", "", VFS_MOUNT_WAIT), EOK);
	CHECK_RC(loc_register_cat_change_cb(cat_changed, NULL), EOK);
}

static void test_child_registers_services_and_categories(void)
{
	unsigned events = cat_events;
	CHECK_RC(child_spawn("server", &server_task), EOK);
	loc_id_t ready;
	CHECK_RC(loc_service_get_id("test/ready", &ready, LOC_FLAG_BLOCKING), EOK);
	CHECK_RC(loc_service_get_id("test/alpha", &alpha, 0), EOK);
	CHECK(alpha != ready);
	char name[64];
	CHECK_RC(loc_service_get_name(alpha, name, sizeof(name)), EOK);
	CHECK(strcmp(name, "test/alpha") == 0);
	CHECK_RC(loc_category_get_id("testcat", &testcat, 0), EOK);
	CHECK_RC(loc_category_get_name(testcat, name, sizeof(name)), EOK);
	CHECK(strcmp(name, "testcat") == 0);
	loc_id_t ids[4];
	size_t count;
	CHECK_RC(loc_category_get_svcs(testcat, ids, 4, &count), EOK);
	CHECK(count == 1 && ids[0] == alpha);
	CHECK_RC(loc_get_services(ids, 1, &count), EOK);
	CHECK(count == 4); /* alpha, beta, plain, ready; more than fitted */
	CHECK(wait_count(&cat_events, events));
}

static void test_bad_names_and_ids_are_refused(void)
{
	loc_id_t id;
	char name[16];
	CHECK_RC(loc_service_get_id("test/none", &id, 0), ENOENT);
	CHECK_RC(loc_service_get_id("a/b/c", &id, 0), EINVAL);
	CHECK_RC(loc_service_get_id("", &id, 0), EINVAL);
	CHECK_RC(loc_service_get_name(999999, name, sizeof(name)), ENOENT);
	CHECK_RC(loc_category_get_id("nocat", &id, 0), ENOENT);
	CHECK_RC(loc_category_get_svcs(999999, NULL, 0, &(size_t){0}), ENOENT);
	errno_t rc;
	CHECK(loc_service_connect(999999, LOCTEST_IFACE, &rc) == NULL);
	CHECK_RC(rc, ENOENT);
}

static void fallback(ipc_call_t *icall, void *arg)
{
	DISCARD(answer, async_answer_0(icall, ENOTSUP));
}

static void test_duplicate_name_is_eexist(void)
{
	loc_id_t id;
	CHECK_RC(loc_service_register("test/x", &id), EINVAL); /* no server yet */
	CHECK_RC(loc_server_register("loctest", fallback, NULL), EOK);
	CHECK_RC(loc_service_register("test/alpha", &id), EEXIST);
	CHECK_RC(loc_service_register("mine/one", &id), EOK);
	CHECK_RC(loc_service_unregister(alpha), EPERM); /* not ours */
	CHECK_RC(loc_service_unregister(id), EOK);
	CHECK_RC(loc_service_get_id("mine/one", &id, 0), ENOENT);
}

static void test_blocking_lookup_waits_for_registration(void)
{
	loc_id_t id;
	CHECK_RC(loc_service_get_id("test/late", &id, 0), ENOENT);
	CHECK_RC(child_spawn("late", &late_task), EOK);
	CHECK_RC(loc_service_get_id("test/late", &id, LOC_FLAG_BLOCKING), EOK);
	CHECK_RC(task_kill(late_task), EOK);
}

static void test_connect_reaches_server_with_service_id(void)
{
	errno_t rc;
	async_sess_t *sess = loc_service_connect(alpha, LOCTEST_IFACE, &rc);
	CHECK(sess != NULL);
	async_exch_t *exch = async_exchange_begin(sess);
	sysarg_t who = 0;
	rc = exch != NULL ? async_req_0_1(exch, LOCTEST_WHO, &who) : ENOMEM;
	if (exch != NULL)
		async_exchange_end(exch);
	DISCARD(cleanup, async_hangup(sess));
	CHECK_RC(rc, EOK);
	CHECK(who == alpha);
}

/** Whether directory @a path lists @a name. */
static bool dir_has(const char *path, const char *name)
{
	DIR *d = opendir(path);
	if (d == NULL)
		return false;
	bool found = false;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		found = found || strcmp(e->d_name, name) == 0;
	(void) closedir(d);
	return found;
}

static void test_locfs_lists_namespaces_and_services(void)
{
	CHECK(dir_has("/loc", "test"));
	CHECK(dir_has("/loc", "plain"));
	CHECK(dir_has("/loc/test", "alpha"));
	CHECK(dir_has("/loc/test", "beta"));
	CHECK(!dir_has("/loc/test", "none"));
	vfs_stat_t st;
	CHECK_RC(vfs_stat("/loc/test", &st), EOK);
	CHECK(st.type == VFS_NODE_DIR);
	CHECK_RC(vfs_stat("/loc/test/alpha", &st), EOK);
	CHECK(st.type == VFS_NODE_FILE && st.size == 0);
	CHECK_RC(vfs_stat("/loc/test/none", &st), ENOENT);
}

static void test_locfs_read_write_reach_the_device(void)
{
	static const char msg[] = "through locfs and back";
	int fd;
	CHECK_RC(vfs_open("/loc/test/alpha", O_RDWR, &fd), EOK);
	size_t n = 0;
	errno_t rc = vfs_write(fd, msg, sizeof(msg), &n);
	char buf[64] = {0};
	size_t got = 0;
	errno_t rc2 = vfs_read(fd, buf, sizeof(buf), &got);
	DISCARD(cleanup, vfs_close(fd));
	CHECK_RC(rc, EOK);
	CHECK(n == sizeof(msg));
	CHECK_RC(rc2, EOK);
	CHECK(got == sizeof(msg) && memcmp(buf, msg, sizeof(msg)) == 0);
	CHECK_RC(vfs_open("/loc/test/beta", O_WRONLY, &fd), EOK);
	rc = vfs_write(fd, msg, sizeof(msg), &n);
	DISCARD(cleanup, vfs_close(fd));
	CHECK(rc != EOK); /* not a character device */
}

static void test_locfs_refuses_to_create(void)
{
	int fd;
	CHECK_RC(vfs_open("/loc/newfile", O_WRONLY | O_CREAT, &fd), EROFS);
	CHECK_RC(vfs_open("/loc/test/new", O_WRONLY | O_CREAT, &fd), EROFS);
	CHECK_RC(vfs_mkdir("/loc/dir"), EROFS);
	CHECK_RC(vfs_unlink("/loc/test/alpha", 0), EROFS);
}

/** Writes @a msg to @a fd and reads it back (the echo device). */
static bool echo_through(int fd, const char *msg, size_t len)
{
	char buf[64] = {0};
	size_t n = 0, got = 0;
	return len <= sizeof(buf) && vfs_write(fd, msg, len, &n) == EOK && n == len &&
	    vfs_read(fd, buf, sizeof(buf), &got) == EOK && got == len &&
	    memcmp(buf, msg, len) == 0;
}

static void test_restarted_locsrv_gets_everything_back(void)
{
	static const char msg[] = "across a restart";
	int fd;
	CHECK_RC(vfs_open("/loc/test/alpha", O_RDWR, &fd), EOK);
	unsigned events = cat_events;
	CHECK_RC(task_kill(locsrv_task), EOK);
	task_exit_t texit;
	CHECK_RC(task_join(locsrv_task, &texit, 0), EOK);
	CHECK_RC(task_spawn_module("locsrv", &locsrv_task), EOK);
	/* The child registers its services again, test/ready last. */
	loc_id_t id;
	CHECK_RC(loc_service_get_id("test/ready", &id, LOC_FLAG_BLOCKING), EOK);
	CHECK_RC(loc_service_get_id("test/alpha", &id, 0), EOK);
	CHECK(id == alpha);
	category_id_t cat;
	CHECK_RC(loc_category_get_id("testcat", &cat, 0), EOK);
	CHECK(cat == testcat);
	loc_id_t ids[4];
	size_t count;
	CHECK_RC(loc_category_get_svcs(testcat, ids, 4, &count), EOK);
	CHECK(count == 1 && ids[0] == alpha);
	CHECK(wait_count(&cat_events, events)); /* the callback is made again */
	/* A file opened before, and a new open, reach the device. */
	CHECK(echo_through(fd, msg, sizeof(msg)));
	DISCARD(cleanup, vfs_close(fd));
	CHECK(dir_has("/loc/test", "alpha"));
	CHECK_RC(vfs_open("/loc/test/alpha", O_RDWR, &fd), EOK);
	CHECK(echo_through(fd, msg, sizeof(msg)));
	DISCARD(cleanup, vfs_close(fd));
	/* This task's own server came back too: its name is still taken. */
	CHECK_RC(loc_server_register("again", fallback, NULL), EEXIST);
	CHECK_RC(loc_service_register("mine/two", &id), EOK);
	CHECK(id != alpha);
}

static void test_killed_server_loses_its_services(void)
{
	unsigned events = cat_events;
	CHECK_RC(task_kill(server_task), EOK);
	task_exit_t texit;
	CHECK_RC(task_join(server_task, &texit, 0), EOK);
	loc_id_t id;
	errno_t rc = EOK;
	for (int i = 0; i < POLL_TRIES && rc == EOK; i++) {
		rc = loc_service_get_id("test/alpha", &id, 0);
		if (rc == EOK)
			fibril_usleep(POLL_USEC);
	}
	CHECK_RC(rc, ENOENT);
	size_t count;
	CHECK_RC(loc_category_get_svcs(testcat, NULL, 0, &count), EOK);
	CHECK(count == 0);
	CHECK(wait_count(&cat_events, events));
	CHECK(!dir_has("/loc/test", "alpha"));
	vfs_stat_t st;
	CHECK_RC(vfs_stat("/loc/test/alpha", &st), ENOENT);
}

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, own_words, &status))
		return status;
	if (argc > 2 && strcmp(argv[1], "--child") == 0)
		return child_main(argv[2]);
	test_suite_start("loctest");
	if (test_suite_limit(TEST_LIMIT_USEC) != EOK) {
		printf("loctest: out of memory\n");
		return 1;
	}
	RUN(test_servers_start_and_locfs_mounts);
	RUN(test_child_registers_services_and_categories);
	RUN(test_bad_names_and_ids_are_refused);
	RUN(test_duplicate_name_is_eexist);
	RUN(test_blocking_lookup_waits_for_registration);
	RUN(test_connect_reaches_server_with_service_id);
	RUN(test_locfs_lists_namespaces_and_services);
	RUN(test_locfs_read_write_reach_the_device);
	RUN(test_locfs_refuses_to_create);
	RUN(test_restarted_locsrv_gets_everything_back);
	RUN(test_killed_server_loses_its_services);
	return test_suite_end();
}
