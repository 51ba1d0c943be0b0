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

/** Mounts a tmpfs at @a point served by task @a server (started lately). */
static errno_t mount_served_by(const char *point, task_id_t server)
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

void task_tests(void)
{
	RUN(test_8_clients_write_their_regions);
	RUN(test_pass_gives_child_the_file);
	RUN(test_dead_fs_gives_eio_and_unmounts);
	RUN(test_vfs_connection_is_not_handed_on);
}
