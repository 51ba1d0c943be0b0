/*
 * Direct reads (VFS_IFACE_DIRECT, docs/vfs.md): after a few small reads libc
 * reads a read-only file straight from its server and keeps the position
 * itself. The bytes and positions are those of reads through the VFS, the
 * position goes back to the VFS before the file is shared, a dead server
 * gives EIO, and the protocol's refusals on connections of our own.
 */
#include "vfstest.h"
#include <as.h>
#include <async.h>
#include <fibril.h>
#include <ns.h>
#include <string.h>
#include <sys/stat.h>

#define DFILE_SIZE 20000

/** Whether a read of @a size at @a fd's position gives the pattern's bytes
 *  from @a pos (as many as the file has). */
static bool dfile_read_is(int fd, size_t pos, size_t size)
{
	static char buf[3 * 4096];
	size_t want = pos >= DFILE_SIZE ? 0 : DFILE_SIZE - pos;
	if (want > size)
		want = size;
	size_t n;
	if (vfs_read(fd, buf, size, &n) != EOK || n != want)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (buf[i] != pattern_byte(pos + i))
			return false;
	}
	return true;
}

static void test_direct_reads_give_the_bytes_and_positions(void)
{
	CHECK_RC(pattern_file("/dfile", DFILE_SIZE), EOK);
	int fd = open("/dfile", O_RDONLY);
	CHECK(fd >= 0);
	size_t pos = 0;
	for (int i = 0; i < 6; i++, pos += 1000) /* the third on goes direct */
		CHECK(dfile_read_is(fd, pos, 1000));
	CHECK(lseek(fd, 0, SEEK_CUR) == (off_t) pos);
	CHECK(dfile_read_is(fd, pos, 3 * 4096)); /* larger: a data transfer */
	pos += 3 * 4096;
	CHECK(lseek(fd, -100, SEEK_CUR) == (off_t) pos - 100);
	CHECK(dfile_read_is(fd, pos - 100, 50));
	CHECK(lseek(fd, 17, SEEK_SET) == 17);
	CHECK(dfile_read_is(fd, 17, 4096));
	CHECK(lseek(fd, -10, SEEK_END) == DFILE_SIZE - 10);
	CHECK(dfile_read_is(fd, DFILE_SIZE - 10, 4096)); /* the last 10 */
	CHECK(dfile_read_is(fd, DFILE_SIZE, 100));	 /* then the end */
	CHECK(lseek(fd, -1, SEEK_SET) < 0 && errno == EINVAL);
	CHECK(lseek(fd, 5, SEEK_SET) == 5);
	/* A file session shares the position: it is given back first. */
	CHECK(dfile_read_is(fd, 5, 1000));
	errno_t rc;
	async_sess_t *sess = vfs_file_session(fd, &rc);
	CHECK(sess != NULL);
	char c;
	size_t n;
	CHECK_RC(vfs_session_read(sess, &c, 1, &n), EOK);
	CHECK(n == 1 && c == pattern_byte(1005));
	CHECK(dfile_read_is(fd, 1006, 1000)); /* shared now: through the VFS */
	CHECK_RC(async_hangup(sess), EOK);
	CHECK(close(fd) == 0);
}

/** Reads of a file opened twice: each open has its own position. */
static void test_direct_reads_of_two_opens_keep_their_positions(void)
{
	int a = open("/dfile", O_RDONLY), b = open("/dfile", O_RDONLY);
	CHECK(a >= 0 && b >= 0);
	for (size_t i = 0; i < 8; i++) {
		CHECK(dfile_read_is(a, i * 100, 100));
		CHECK(dfile_read_is(b, i * 300, 300));
	}
	CHECK(close(a) == 0);
	int c = open("/dfile", O_RDONLY); /* a's descriptor again, from 0 */
	for (size_t i = 0; i < 4; i++)
		CHECK(dfile_read_is(c, i * 10, 10));
	CHECK(close(b) == 0);
	CHECK(close(c) == 0);
}

/** Direct reads of a file whose server dies give EIO, never a wait. */
static void test_direct_reads_of_a_dead_server_give_eio(void)
{
	task_id_t server;
	CHECK_RC(task_spawn_module("tmpfs", &server), EOK);
	CHECK(mkdir("/dvictim", 0) == 0);
	CHECK_RC(mount_served_by("/dvictim", server), EOK);
	CHECK_RC(pattern_file("/dvictim/f", DFILE_SIZE), EOK);
	int fd = open("/dvictim/f", O_RDONLY);
	CHECK(fd >= 0);
	for (size_t i = 0; i < 4; i++)
		CHECK(dfile_read_is(fd, i * 10, 10));
	CHECK_RC(task_kill(server), EOK);
	task_exit_t texit;
	CHECK_RC(task_join(server, &texit, 0), EOK);
	char c;
	CHECK(read(fd, &c, 1) < 0 && errno == EIO);
	CHECK(read(fd, &c, 1) < 0 && errno == EIO);
	CHECK(close(fd) == 0);
	CHECK_RC(vfs_unmount("/dvictim"), EOK);
}

/** A direct connection for descriptor @a fd on the session @a vfs. */
static async_sess_t *direct_connect(async_sess_t *vfs, int fd, errno_t *rc)
{
	async_exch_t *exch = async_exchange_begin(vfs);
	async_sess_t *s = async_connect_me_to(
	    EXCHANGE_SERIALIZE, exch, VFS_IFACE_DIRECT, 0, (sysarg_t) fd, rc);
	async_exchange_end(exch);
	return s;
}

/** The refusals of a direct connection: no such descriptor, not read-only,
 *  a directory, a shared file, a server without direct reads (pipefs). */
static void test_direct_connection_refusals(void)
{
	errno_t rc;
	async_sess_t *vfs = service_connect_blocking(
	    service_id_from_name(VFS_SERVICE_NAME), VFS_IFACE_CLIENT, 0, &rc);
	CHECK(vfs != NULL);
	if (vfs == NULL)
		return;
	CHECK(direct_connect(vfs, 200, &rc) == NULL && rc == EBADF);
	CHECK(direct_connect(vfs, -1, &rc) == NULL && rc == EBADF);
	int rw = open("/dfile", O_RDWR);
	CHECK(direct_connect(vfs, rw, &rc) == NULL && rc == EBADF);
	CHECK(close(rw) == 0);
	int dir = open("/", O_RDONLY | O_DIRECTORY);
	CHECK(direct_connect(vfs, dir, &rc) == NULL && rc == EBADF);
	CHECK(close(dir) == 0);
	int fd = open("/dfile", O_RDONLY);
	async_sess_t *session = vfs_file_session(fd, &rc);
	CHECK(session != NULL);
	CHECK(direct_connect(vfs, fd, &rc) == NULL && rc == EBUSY);
	CHECK_RC(async_hangup(session), EOK);
	CHECK(close(fd) == 0);
	int fds[2];
	CHECK(pipe(fds) == 0); /* pipe_tests mounted pipefs */
	CHECK(direct_connect(vfs, fds[0], &rc) == NULL && rc == ENOTSUP);
	CHECK(close(fds[0]) == 0 && close(fds[1]) == 0);
	CHECK_RC(async_hangup(vfs), EOK);
}

/** The calls of a direct connection of our own: the buffer's refusals, a
 *  read without one or past its size, any other call EPERM; the bytes. */
static void test_direct_connection_protocol(void)
{
	errno_t rc;
	async_sess_t *vfs = service_connect_blocking(
	    service_id_from_name(VFS_SERVICE_NAME), VFS_IFACE_CLIENT, 0, &rc);
	int fd = open("/dfile", O_RDONLY);
	async_sess_t *s = vfs != NULL && fd >= 0 ? direct_connect(vfs, fd, &rc) : NULL;
	CHECK(s != NULL);
	if (s == NULL)
		return;
	async_exch_t *exch = async_exchange_begin(s);
	sysarg_t n = 77;
	CHECK_RC(async_req_2_1(exch, FS_READ_SHARED, 0, 16, &n), EINVAL);
	uintptr_t buf;
	read_buffer_share(exch, &buf);
	CHECK_RC(
	    async_req_2_1(exch, FS_READ_SHARED, 0, VFS_READ_SHARED_MAX + 1, &n), EINVAL);
	CHECK_RC(async_req_2_1(exch, FS_READ_SHARED, 100, 16, &n), EOK);
	CHECK(n == 16 && ((char *) buf)[0] == pattern_byte(100));
	CHECK(((char *) buf)[15] == pattern_byte(115));
	CHECK_RC(async_req_2_1(exch, FS_READ_SHARED, DFILE_SIZE + 5, 16, &n), EOK);
	CHECK(n == 0);
	CHECK_RC(async_req_2_1(exch, FS_WRITE, 0, 16, &n), EPERM);
	CHECK_RC(async_req_2_1(exch, VFS_CLOSE, fd, 0, &n), EPERM);
	async_exchange_end(exch);
	CHECK_RC(async_hangup(s), EOK);
	CHECK(close(fd) == 0);
	fd = open("/dfile", O_RDONLY);
	CHECK(dfile_read_is(fd, 0, 10)); /* the file lives on */
	CHECK(close(fd) == 0);
	CHECK_RC(async_hangup(vfs), EOK);
	CHECK_RC(as_area_destroy(buf), EOK);
	CHECK(unlink("/dfile") == 0);
}

void direct_read_tests(void)
{
	RUN(test_direct_reads_give_the_bytes_and_positions);
	RUN(test_direct_reads_of_two_opens_keep_their_positions);
	RUN(test_direct_connection_refusals);
	RUN(test_direct_connection_protocol);
	RUN(test_direct_reads_of_a_dead_server_give_eio);
}
