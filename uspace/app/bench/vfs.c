/*
 * VFS cases: a file on a tmpfs root, through libc's VFS client (one IPC
 * exchange with the VFS server per call, which asks tmpfs in turn).
 * Opening and closing the file is timed as a pair; a read or a write is
 * timed alone, the seek back to the start that precedes it is not. Writes
 * go to a file of their own (VFS_WFILE), rewritten in place: a small write
 * and a 64 KiB one give the fixed part and the cost per byte
 * (tools/bench.py: vfs-write-per-byte).
 */
#include "bench.h"
#include <benchmark.h>
#include <stdio.h>
#include <string.h>
#include <vfs.h>

#define VFS_FILE      "/bench"
#define VFS_FILE_SIZE 4096
#define VFS_WFILE     "/bench-write"
#define VFS_WRITE_MAX 65536

static char file_buf[VFS_FILE_SIZE];
static char write_buf[VFS_WRITE_MAX];

/** Mounts the root and writes VFS_FILE (VFS_FILE_SIZE bytes). */
static errno_t vfs_file_create(void)
{
	errno_t rc = vfs_mount("/", "tmpfs", "", VFS_MOUNT_WAIT);
	if (rc != EOK)
		return rc;
	int fd;
	rc = vfs_open(VFS_FILE, O_WRONLY | O_CREAT, &fd);
	if (rc != EOK)
		return rc;
	memset(file_buf, 'b', sizeof(file_buf));
	size_t n;
	rc = vfs_write(fd, file_buf, sizeof(file_buf), &n);
	if (rc == EOK && n != sizeof(file_buf))
		rc = EIO;
	errno_t rc2 = vfs_close(fd);
	return rc != EOK ? rc : rc2;
}

/** One open + close, as sample @a i (none during the warm-up, i < 0). */
static errno_t open_close_once(long i)
{
	int fd;
	uint64_t t0 = bench_tsc();
	errno_t rc = vfs_open(VFS_FILE, O_RDONLY, &fd);
	if (rc != EOK)
		return rc;
	rc = vfs_close(fd);
	uint64_t t1 = bench_tsc();
	if (i >= 0)
		bench_record((size_t) i, t0, t1);
	return rc;
}

/** One read (@a write false, into file_buf) or write (from write_buf) of
 *  @a size bytes at the start of @a fd, as sample @a i. */
static errno_t xfer_once(int fd, bool write, size_t size, long i)
{
	errno_t rc = vfs_seek(fd, 0, SEEK_SET, NULL);
	if (rc != EOK)
		return rc;
	size_t n;
	uint64_t t0 = bench_tsc();
	if (write)
		rc = vfs_write(fd, write_buf, size, &n);
	else
		rc = vfs_read(fd, file_buf, size, &n);
	uint64_t t1 = bench_tsc();
	if (i >= 0)
		bench_record((size_t) i, t0, t1);
	return rc == EOK && n != size ? EIO : rc;
}

static int open_close_case(void)
{
	errno_t rc = EOK;
	for (long i = -BENCH_WARMUP; i < BENCH_ITERATIONS && rc == EOK; i++)
		rc = open_close_once(i);
	if (rc != EOK) {
		printf("bench: vfs-open-close failed: %s\n", str_error(rc));
		return 1;
	}
	bench_report("vfs-open-close", BENCH_ITERATIONS, 1);
	return 0;
}

/** Reads (@a write false) of @a size bytes from the start of VFS_FILE, or
 *  writes to the start of VFS_WFILE (made at its full size first, so every
 *  timed write overwrites data). */
static int xfer_case(bool write, size_t size, const char *name)
{
	int fd;
	errno_t rc;
	if (write) {
		memset(write_buf, 'w', sizeof(write_buf));
		rc = vfs_open(VFS_WFILE, O_WRONLY | O_CREAT, &fd);
		if (rc == EOK)
			rc = xfer_once(fd, true, sizeof(write_buf), -1);
	} else {
		rc = vfs_open(VFS_FILE, O_RDONLY, &fd);
	}
	for (long i = -BENCH_WARMUP; i < BENCH_ITERATIONS && rc == EOK; i++)
		rc = xfer_once(fd, write, size, i);
	if (rc != EOK) {
		printf("bench: %s failed: %s\n", name, str_error(rc));
		return 1;
	}
	bench_report(name, BENCH_ITERATIONS, 1);
	return vfs_close(fd) != EOK;
}

int vfs_cases(void)
{
	errno_t rc = vfs_file_create();
	if (rc != EOK) {
		printf("bench: vfs: cannot make %s: %s\n", VFS_FILE, str_error(rc));
		return 1;
	}
	int failed = open_close_case();
	failed |= xfer_case(false, 4096, "vfs-read-4k");
	failed |= xfer_case(false, 1024, "vfs-read-1k");
	failed |= xfer_case(true, 64, "vfs-write-64");
	failed |= xfer_case(true, VFS_WRITE_MAX, "vfs-write-64k");
	return failed;
}
