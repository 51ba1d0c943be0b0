/*
 * Several tasks: concurrent clients, VFS_PASS, and a file system that dies.
 */
#include "vfstest.h"
#include <async.h>
#include <fibril.h>
#include <ns.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CLIENTS	      8
#define REGION	      4096
#define REGISTER_WAIT 200

static void test_8_clients_write_their_regions(void)
{
	int fd = open("/shared", O_RDWR | O_CREAT);
	CHECK(fd >= 0);
	task_id_t ids[CLIENTS];
	for (int i = 0; i < CLIENTS; i++) {
		char args[64];
		snprintf(args, sizeof(args), "write /shared %d", i);
		CHECK_RC(child_spawn(args, &ids[i]), EOK);
	}
	for (int i = 0; i < CLIENTS; i++)
		CHECK_RC(child_wait(ids[i]), EOK);
	static char buf[CLIENTS * REGION];
	CHECK(read(fd, buf, sizeof(buf)) == sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		CHECK(buf[i] == 'a' + (int) (i / REGION));
	CHECK(close(fd) == 0);
}

static void test_pass_gives_child_the_file(void)
{
	int fd = open("/passed", O_RDWR | O_CREAT);
	CHECK(fd >= 0);
	CHECK(write(fd, "passed", 6) == 6);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	task_id_t id;
	CHECK_RC(child_spawn("pass", &id), EOK);
	int newfd;
	CHECK_RC(vfs_pass(fd, id, &newfd), EOK);
	CHECK(newfd == 0);
	CHECK_RC(vfs_pass(fd, task_get_id(), &newfd), EPERM);
	CHECK_RC(child_wait(id), EOK);
	CHECK(lseek(fd, 0, SEEK_CUR) == 6); /* the position is shared */
	CHECK(close(fd) == 0);
}

errno_t mount_served_by(const char *point, task_id_t server)
{
	for (int i = 0; i < REGISTER_WAIT; i++) {
		errno_t rc = vfs_mount(point, "tmpfs", "", 0);
		vfs_statfs_t sf;
		if (rc == EOK)
			rc = vfs_statfs(point, &sf);
		if (rc == EOK && sf.server_task == server)
			return EOK;
		if (rc == EOK)
			DISCARD(cleanup, vfs_unmount(point));
		fibril_usleep(10000);
	}
	return ETIMEOUT;
}

static void test_dead_fs_gives_eio_and_unmounts(void)
{
	task_id_t server;
	CHECK_RC(task_spawn_module("tmpfs", &server), EOK);
	CHECK(mkdir("/victim", 0) == 0);
	CHECK_RC(mount_served_by("/victim", server), EOK);
	int fd = open("/victim/f", O_RDWR | O_CREAT);
	CHECK(fd >= 0);
	CHECK(write(fd, "x", 1) == 1);
	CHECK_RC(task_kill(server), EOK);
	task_exit_t texit;
	CHECK_RC(task_join(server, &texit, 0), EOK);
	CHECK(write(fd, "x", 1) < 0 && errno == EIO);
	char c;
	CHECK(read(fd, &c, 1) < 0 && errno == EIO);
	CHECK(open("/victim/g", O_RDWR | O_CREAT) < 0 && errno == EIO);
	int other = open("/tmp/alive", O_RDWR | O_CREAT);
	CHECK(other >= 0);
	CHECK(write(other, "ok", 2) == 2);
	CHECK(close(other) == 0);
	CHECK_RC(vfs_unmount("/victim"), EOK);
	CHECK(write(fd, "x", 1) < 0 && errno == EIO);
	CHECK(close(fd) == 0);
}

/** A client's VFS connection carries its file table: the kernel refuses to
 *  copy it to another task (the phone lacks CAP_RIGHT_CLONE). */
static void test_vfs_connection_is_not_handed_on(void)
{
	errno_t rc;
	async_sess_t *vfs = service_connect_blocking(
	    service_id_from_name(VFS_SERVICE_NAME), VFS_IFACE_CLIENT, 0, &rc);
	CHECK(vfs != NULL);
	async_exch_t *vexch = async_exchange_begin(vfs);
	async_exch_t *nexch = async_exchange_begin(async_session_ns());
	CHECK(vexch != NULL && nexch != NULL);
	CHECK_RC(async_exchange_clone(nexch, vexch), EPERM);
	async_exchange_end(nexch);
	async_exchange_end(vexch);
	CHECK_RC(async_hangup(vfs), EOK);
	int fd = open("/shared", O_RDONLY); /* our own connection still serves */
	CHECK(fd >= 0);
	CHECK(close(fd) == 0);
}

/** Writes @a text as the whole of file @a path. */
static void put_file(const char *path, const char *text)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC);
	CHECK(fd >= 0);
	CHECK(write(fd, text, strlen(text)) == (ssize_t) strlen(text));
	CHECK(close(fd) == 0);
}

/** A session's rights: forwarding withheld, calls and copies allowed. */
static void check_session_rights(async_sess_t *sess)
{
	async_exch_t *exch = async_exchange_begin(sess);
	CHECK(exch != NULL);
	cap_info_t info;
	CHECK_RC(cap_info(async_exchange_phone(exch), &info), EOK);
	CHECK(info.kind == CAP_KIND_PHONE);
	CHECK((info.rights & (CAP_RIGHT_CALL | CAP_RIGHT_CLONE)) ==
	    (CAP_RIGHT_CALL | CAP_RIGHT_CLONE));
	CHECK(!(info.rights & CAP_RIGHT_FORWARD));
	/* It reaches its file only: no path, no other descriptor. */
	CHECK_RC(async_req_write(exch, VFS_MKDIR, 0, 0, "/bysession", 10, NULL), EPERM);
	CHECK_RC(async_req_1_0(exch, VFS_CLOSE, 0), EPERM);
	CHECK_RC(async_req_3_0(exch, VFS_SEEK, 1, 0, SEEK_SET), EBADF);
	CHECK_RC(async_req_3_0(exch, VFS_SEEK, 0, 0, SEEK_SET), EOK);
	async_exchange_end(exch);
	struct stat st;
	CHECK(stat("/bysession", &st) != 0);
}

static void test_read_only_file_session_refuses_writes(void)
{
	put_file("/session", "abcdef");
	int fd = open("/session", O_RDONLY);
	CHECK(fd >= 0);
	errno_t rc = EOK;
	async_sess_t *sess = vfs_file_session(fd, &rc);
	CHECK(sess != NULL && rc == EOK);
	if (sess == NULL)
		return;
	char buf[16] = {0};
	size_t n = 0;
	CHECK_RC(vfs_session_read(sess, buf, sizeof(buf), &n), EOK);
	CHECK(n == 6 && memcmp(buf, "abcdef", 6) == 0);
	CHECK_RC(vfs_session_write(sess, "XY", 2, &n), EBADF);
	check_session_rights(sess);
	/* The session holds the open file: closing the descriptor keeps it. */
	CHECK(close(fd) == 0);
	CHECK_RC(vfs_session_read(sess, buf, 3, &n), EOK);
	CHECK(n == 3 && memcmp(buf, "abc", 3) == 0);
	CHECK_RC(async_hangup(sess), EOK);
	CHECK(vfs_file_session(fd, &rc) == NULL && rc == EBADF); /* closed */

	/* Opened for writing, its session writes. */
	fd = open("/session", O_RDWR);
	CHECK(fd >= 0);
	sess = vfs_file_session(fd, &rc);
	CHECK(sess != NULL);
	if (sess != NULL) {
		CHECK_RC(vfs_session_write(sess, "XY", 2, &n), EOK);
		CHECK(n == 2);
		CHECK_RC(async_hangup(sess), EOK);
	}
	CHECK(read(fd, buf, 4) == 4 && memcmp(buf, "cdef", 4) == 0); /* position shared */
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK(read(fd, buf, 2) == 2 && memcmp(buf, "XY", 2) == 0);
	CHECK(close(fd) == 0);
	CHECK(unlink("/session") == 0);
}

void task_tests(void)
{
	RUN(test_8_clients_write_their_regions);
	RUN(test_pass_gives_child_the_file);
	RUN(test_dead_fs_gives_eio_and_unmounts);
	RUN(test_vfs_connection_is_not_handed_on);
	RUN(test_read_only_file_session_refuses_writes);
}
