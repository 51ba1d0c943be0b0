/*
 * Small reads through the buffer a client shares with the VFS
 * (VFS_READ_SHARED, docs/vfs.md): the same bytes and positions as reads by
 * a data transfer, and the protocol's refusals on a connection of our own.
 */
#include "vfstest.h"
#include <as.h>
#include <async.h>
#include <fibril.h>
#include <fibril_synch.h>
#include <ns.h>
#include <stdlib.h>
#include <string.h>

#define PATTERN_SIZE 10000

char pattern_byte(size_t i)
{
	return (char) ('a' + (i * 7 + i / 251) % 26);
}

errno_t pattern_file(const char *path, size_t size)
{
	char *buf = malloc(size);
	if (buf == NULL)
		return ENOMEM;
	for (size_t i = 0; i < size; i++)
		buf[i] = pattern_byte(i);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC);
	errno_t rc = fd >= 0 ? EOK : errno;
	if (fd >= 0 && write(fd, buf, size) != (ssize_t) size)
		rc = EIO;
	if (fd >= 0 && close(fd) != 0)
		rc = EIO;
	free(buf);
	return rc;
}

/** Reads @a fd to its end in reads of @a step bytes, checking each byte
 *  against the pattern; true if all PATTERN_SIZE came and then 0. */
static bool read_pattern_by(int fd, size_t step)
{
	static char buf[VFS_READ_SHARED_MAX + 8];
	size_t pos = 0;
	for (;;) {
		size_t n;
		if (vfs_read(fd, buf, step, &n) != EOK)
			return false;
		if (n == 0)
			return pos == PATTERN_SIZE;
		if (n > step || pos + n > PATTERN_SIZE)
			return false;
		for (size_t i = 0; i < n; i++) {
			if (buf[i] != pattern_byte(pos + i))
				return false;
		}
		pos += n;
	}
}

static void test_small_reads_give_the_bytes_and_positions(void)
{
	CHECK_RC(pattern_file("/tmp/pattern", PATTERN_SIZE), EOK);
	/* Shared sizes, the largest shared, one past it (a data transfer). */
	static const size_t steps[] = {
	    1, 100, 1024, 3000, VFS_READ_SHARED_MAX, VFS_READ_SHARED_MAX + 1};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		int fd = open("/tmp/pattern", O_RDONLY);
		CHECK(fd >= 0);
		CHECK(read_pattern_by(fd, steps[i]));
		CHECK(close(fd) == 0);
	}
	/* A seek moves the position the next shared read starts at. */
	int fd = open("/tmp/pattern", O_RDONLY);
	CHECK(fd >= 0);
	CHECK(lseek(fd, 9990, SEEK_SET) == 9990);
	char buf[64];
	CHECK(read(fd, buf, sizeof(buf)) == 10);
	CHECK(buf[0] == pattern_byte(9990) && buf[9] == pattern_byte(9999));
	CHECK(read(fd, buf, sizeof(buf)) == 0);
	CHECK(close(fd) == 0);
	CHECK(read(fd, buf, 1) < 0 && errno == EBADF);
	fd = open("/tmp/pattern", O_WRONLY);
	CHECK(fd >= 0);
	CHECK(read(fd, buf, 1) < 0 && errno == EBADF); /* opened write-only */
	CHECK(close(fd) == 0);
}

#define READERS 8

static int readers_ok;

/** One of READERS fibrils reading the pattern by 1 KiB at once: the shared
 *  buffer is taken by one of them at a time, the others read by a data
 *  transfer, and every one gets its own bytes. */
static errno_t reader_fibril(void *arg)
{
	int fd = open("/tmp/pattern", O_RDONLY);
	if (fd < 0)
		return EOK;
	if (read_pattern_by(fd, 1024))
		__atomic_fetch_add(&readers_ok, 1, __ATOMIC_RELAXED);
	DISCARD(cleanup, close(fd));
	return EOK;
}

static void test_concurrent_small_reads_each_get_their_bytes(void)
{
	fid_t f[READERS];
	readers_ok = 0;
	for (int i = 0; i < READERS; i++) {
		f[i] = fibril_create(reader_fibril, NULL);
		CHECK(f[i] != 0);
		fibril_add_ready(f[i]);
	}
	for (int i = 0; i < READERS; i++)
		CHECK_RC(fibril_join(f[i], NULL), EOK);
	CHECK(readers_ok == READERS);
}

void read_buffer_share(async_exch_t *exch, uintptr_t *bufp)
{
	uintptr_t big = AS_AREA_ANY, buf = AS_AREA_ANY;
	*bufp = buf;
	unsigned rw = AS_AREA_READ | AS_AREA_WRITE;
	CHECK_RC(
	    as_area_create(&big, 2 * VFS_READ_SHARED_MAX, rw | AS_AREA_CACHEABLE), EOK);
	CHECK_RC(as_area_create(&buf, VFS_READ_SHARED_MAX, rw | AS_AREA_CACHEABLE), EOK);
	CHECK_RC(async_share_out_start(exch, (void *) big, rw), EINVAL);
	CHECK_RC(async_share_out_start(exch, (void *) buf, AS_AREA_READ), EINVAL);
	CHECK_RC(async_share_out_start(exch, (void *) buf, rw), EOK);
	CHECK_RC(async_share_out_start(exch, (void *) buf, rw), EBUSY);
	CHECK_RC(as_area_destroy(big), EOK);
	*bufp = buf;
}

/** VFS_READ_SHARED on a connection of our own: refused without a buffer,
 *  for a buffer of the wrong size, a second buffer, a size past the
 *  largest and a bad descriptor; with a buffer the bytes land in it. */
static void test_read_shared_protocol_refusals(void)
{
	errno_t rc;
	async_sess_t *sess = service_connect_blocking(
	    service_id_from_name(VFS_SERVICE_NAME), VFS_IFACE_CLIENT, 0, &rc);
	CHECK(sess != NULL);
	if (sess == NULL)
		return;
	int fd = open("/tmp/pattern", O_RDONLY); /* same task: same table */
	CHECK(fd >= 0);
	async_exch_t *exch = async_exchange_begin(sess);
	sysarg_t n = 77;
	CHECK_RC(async_req_2_1(exch, VFS_READ_SHARED, fd, 16, &n), EINVAL);
	uintptr_t buf;
	read_buffer_share(exch, &buf);
	CHECK_RC(async_req_2_1(exch, VFS_READ_SHARED, fd, VFS_READ_SHARED_MAX + 1, &n),
	    EINVAL);
	CHECK_RC(async_req_2_1(exch, VFS_READ_SHARED, 200, 16, &n), EBADF);
	CHECK_RC(async_req_2_1(exch, VFS_READ_SHARED, fd, 16, &n), EOK);
	CHECK(n == 16 && memcmp((void *) buf, "ahov", 4) == 0);
	CHECK(((char *) buf)[15] == pattern_byte(15));
	async_exchange_end(exch);
	CHECK_RC(async_hangup(sess), EOK);
	CHECK(close(fd) == 0);
	CHECK_RC(as_area_destroy(buf), EOK);
	CHECK(unlink("/tmp/pattern") == 0);
}

void shared_read_tests(void)
{
	RUN(test_small_reads_give_the_bytes_and_positions);
	RUN(test_concurrent_small_reads_each_get_their_bytes);
	RUN(test_read_shared_protocol_refusals);
}
