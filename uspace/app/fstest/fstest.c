/*
 * fstest: a file-system server on a disk, in a boot of its own
 * (`testinit=ns,vfs,tmpfs testtask=fstest testargs=TYPE...`, TYPE fat, the
 * default, or ext2; QEMU with an IDE disk the harness made with mkfs.fat
 * and mcopy or with mke2fs -d: /host/Host File.bin, 100000 bytes of
 * pattern(seed 1)). Starts locsrv, devman (the ata driver) and the
 * server, mounts the disk at /disk and
 *   - reads the host's file back;
 *   - writes files of 0, 1, 4095, 4096, 4097 bytes and 1 MiB in nested
 *     directories, renames and deletes (the harness then checks the image
 *     with fsck.fat -n and mcopy, or e2fsck -fn and debugfs);
 *   - FAT: gets EINVAL for names FAT cannot store; ext2: such names work,
 *     a sparse file reads its hole as zeros and takes no blocks for it,
 *     truncation cuts and zeros;
 *   - stamps a new file with the wall clock's time (time());
 *   - gets EROFS on a read-only mount;
 * With the argument `bench` it measures (TSC ticks: guest instructions
 * under -icount, plus the host's disk time where it waits, make bench's
 * sleep=on) sequential 4 MiB writes and reads in 64 KiB requests, a
 * cached re-read, create + write 4 KiB + close + sync, and listing a
 * directory of 1,000 entries, and prints the figures, each also in
 * microseconds of the monotonic clock (the wall-clock side-by-side with a
 * Linux guest under plain TCG, tools/linuxguest.py).
 * With the argument `damaged` (disks made by tools/mkbadimages.py) it
 * mounts each damaged volume and checks its clear error (EINVAL or ENOTSUP
 * at mount, EIO for the damaged file while the rest reads), that bad
 * partition-table entries are left out, and that the servers still serve.
 * With the argument `verify` (the second boot) it checks that the files of
 * the first boot are there, byte for byte, then kills the fat server in the
 * middle of a copy: the copy fails with EIO, another mount keeps working,
 * and a new server mounts the disk again.
 * With the last argument `virtio` the disk is a virtio-blk device in PCI
 * slot 4 (the virtio-blk driver) instead of the IDE one.
 */
#include <bd.h>
#include <benchmark.h>
#include <devman.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>
#include <testsuite.h>
#include <time.h>
#include <vfs.h>

#define USAGE \
	"[fat|ext2] [verify|bench|damaged] [virtio] (a test program; make test boots " \
	"it with testtask=fstest)"

#define TEST_LIMIT_USEC (300 * 1000 * 1000)
#define STABLE_USEC	(30 * 1000 * 1000)
#define DISK_ATA	"devices/\\hw\\pci0\\00:01.1\\disk0"
#define DISK_VIRTIO	"devices/\\hw\\pci0\\00:04.0\\disk0"
#define HOST_FILE	"/disk/host/Host File.bin"
#define HOST_SIZE	100000
#define MIB		(1024 * 1024)

static const size_t sizes[] = {0, 1, 4095, 4096, 4097, MIB};
static task_id_t fs_task;
static const char *fs_type = "fat";
static char fs_server[32];
/* The disk: the ATA one, or with the argument `virtio` the virtio-blk one
 * in PCI slot 4 (tools/storage_tests.py). */
static const char *disk_name = DISK_ATA;

/** The bytes every side of the test agrees on (tools/storage_tests.py). */
static void pattern(uint8_t *buf, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t) ((i * 31 + seed * 7 + i / 511) & 0xff);
}

static errno_t file_write(const char *path, const uint8_t *data, size_t len)
{
	int fd;
	errno_t rc = vfs_open(path, O_WRONLY | O_CREAT | O_TRUNC, &fd);
	if (rc != EOK)
		return rc;
	size_t done = 0;
	while (rc == EOK && done < len) {
		size_t n;
		rc = vfs_write(
		    fd, data + done, len - done < 65536 ? len - done : 65536, &n);
		done += n;
	}
	errno_t rc2 = vfs_close(fd);
	return rc != EOK ? rc : rc2;
}

/** Whether @a path holds exactly @a len bytes of pattern @a seed. */
static errno_t file_check(const char *path, size_t len, unsigned seed)
{
	uint8_t *want = malloc(len + 1), *got = malloc(len + 1);
	int fd = -1;
	errno_t rc = want == NULL || got == NULL ? ENOMEM : vfs_open(path, O_RDONLY, &fd);
	size_t n = 0;
	if (rc == EOK)
		rc = vfs_read(fd, got, len + 1, &n);
	if (fd >= 0)
		DISCARD(cleanup, vfs_close(fd));
	if (rc == EOK) {
		pattern(want, len, seed);
		if (n != len || memcmp(want, got, len) != 0)
			rc = EIO;
	}
	free(want);
	free(got);
	return rc;
}

/** The root file system, locsrv and devman with its drivers (the disks). */
static errno_t system_start(void)
{
	errno_t rc = vfs_mount(
	    "/", "tmpfs", "archive=rootfs", VFS_MOUNT_WAIT | VFS_MOUNT_RDONLY);
	if (rc == EOK)
		rc = task_start_server("/srv/locsrv", 0, NULL);
	static const char *const devman_args[] = {"/srv/devman", NULL};
	if (rc == EOK)
		rc = devman_start(devman_args);
	return rc == EOK ? devman_wait_stable(STABLE_USEC) : rc;
}

static void test_the_disk_mounts(void)
{
	CHECK_RC(system_start(), EOK);
	CHECK_RC(task_start_server(fs_server, 0, &fs_task), EOK);
	CHECK_RC(vfs_mount("/disk", fs_type, disk_name, VFS_MOUNT_WAIT), EOK);
	vfs_statfs_t st;
	CHECK_RC(vfs_statfs("/disk", &st), EOK);
	CHECK(strcmp(st.fs_type, fs_type) == 0 && st.total_blocks > 0);
}

static void test_a_file_the_host_made_reads_back(void)
{
	CHECK_RC(file_check(HOST_FILE, HOST_SIZE, 1), EOK);
	vfs_stat_t st;
	/* FAT ignores case, ext2 does not. */
	errno_t want = strcmp(fs_type, "fat") == 0 ? EOK : ENOENT;
	CHECK_RC(vfs_stat("/disk/HOST/host file.BIN", &st), want);
	CHECK_RC(vfs_stat(HOST_FILE, &st), EOK);
	CHECK(st.size == HOST_SIZE && st.type == VFS_NODE_FILE);
}

static void test_files_of_every_size_are_written(void)
{
	CHECK_RC(vfs_mkdir("/disk/guest"), EOK);
	CHECK_RC(vfs_mkdir("/disk/guest/nested dir"), EOK);
	CHECK_RC(vfs_mkdir("/disk/guest/nested dir/deeper"), EOK);
	uint8_t *data = malloc(MIB);
	CHECK(data != NULL);
	errno_t rc = EOK;
	for (size_t i = 0; rc == EOK && i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char path[128];
		snprintf(path, sizeof(path), "/disk/guest/nested dir/deeper/size %zu.bin",
		    sizes[i]);
		pattern(data, sizes[i], (unsigned) i + 2);
		rc = file_write(path, data, sizes[i]);
		if (rc == EOK)
			rc = file_check(path, sizes[i], (unsigned) i + 2);
	}
	free(data);
	CHECK_RC(rc, EOK);
}

/* 2026-01-01 00:00 UTC: a wall clock before it is not the host's. */
#define PLAUSIBLE_NOW 1767225600

static void test_file_times_come_from_the_wall_clock(void)
{
	time_t before = time(NULL);
	CHECK(before >= PLAUSIBLE_NOW);
	CHECK_RC(file_write("/disk/guest/stamped.txt", (const uint8_t *) "t", 1), EOK);
	time_t after = time(NULL);
	vfs_stat_t st;
	CHECK_RC(vfs_stat("/disk/guest/stamped.txt", &st), EOK);
	time_t mtime = (time_t) (st.mtime_ns / 1000000000ull);
	/* FAT keeps two-second steps: its stamp may be up to 2 s earlier. */
	CHECK(mtime >= before - 2 && mtime <= after);
	CHECK_RC(vfs_unlink("/disk/guest/stamped.txt", 0), EOK);
}

static void test_renames_and_deletes_work(void)
{
	uint8_t data[3000];
	pattern(data, sizeof(data), 20);
	CHECK_RC(file_write("/disk/guest/to be renamed.txt", data, sizeof(data)), EOK);
	CHECK_RC(file_write("/disk/guest/to be deleted.txt", data, sizeof(data)), EOK);
	CHECK_RC(vfs_rename("/disk/guest/to be renamed.txt",
		     "/disk/guest/nested dir/renamed.txt"),
	    EOK);
	CHECK_RC(vfs_unlink("/disk/guest/to be deleted.txt", 0), EOK);
	CHECK_RC(vfs_mkdir("/disk/guest/empty"), EOK);
	CHECK_RC(vfs_unlink("/disk/guest/empty", VFS_UNLINK_DIR), EOK);
	CHECK_RC(vfs_unlink("/disk/guest/nested dir", VFS_UNLINK_DIR), ENOTEMPTY);
	vfs_stat_t st;
	CHECK_RC(vfs_stat("/disk/guest/to be deleted.txt", &st), ENOENT);
	CHECK_RC(file_check("/disk/guest/nested dir/renamed.txt", sizeof(data), 20), EOK);
}

static void test_names_fat_cannot_store_are_refused(void)
{
	int fd;
	CHECK_RC(vfs_open("/disk/a:b", O_WRONLY | O_CREAT, &fd), EINVAL);
	CHECK_RC(vfs_open("/disk/what?", O_WRONLY | O_CREAT, &fd), EINVAL);
	CHECK_RC(vfs_mkdir("/disk/star*"), EINVAL);
}

static void test_ext2_stores_any_name_but_slash(void)
{
	uint8_t data[10];
	pattern(data, sizeof(data), 21);
	CHECK_RC(file_write("/disk/a:b", data, sizeof(data)), EOK);
	CHECK_RC(file_write("/disk/what?", data, sizeof(data)), EOK);
	CHECK_RC(vfs_mkdir("/disk/star*"), EOK);
	CHECK_RC(file_check("/disk/a:b", sizeof(data), 21), EOK);
	CHECK_RC(vfs_unlink("/disk/star*", VFS_UNLINK_DIR), EOK);
	CHECK_RC(vfs_unlink("/disk/what?", 0), EOK);
}

/** Writes @a len bytes of pattern @a seed at @a pos of @a path. */
static errno_t write_at(const char *path, uint64_t pos, size_t len, unsigned seed)
{
	uint8_t data[4096];
	pattern(data, len, seed);
	int fd;
	errno_t rc = vfs_open(path, O_WRONLY | O_CREAT, &fd);
	if (rc != EOK)
		return rc;
	uint64_t at;
	size_t n;
	rc = vfs_seek(fd, (int64_t) pos, SEEK_SET, &at);
	if (rc == EOK)
		rc = vfs_write(fd, data, len, &n);
	errno_t rc2 = vfs_close(fd);
	return rc != EOK ? rc : rc2;
}

/** Whether @a len bytes at @a pos of @a path are zeros. */
static errno_t zeros_at(const char *path, uint64_t pos, size_t len)
{
	static uint8_t buf[65536];
	int fd;
	errno_t rc = vfs_open(path, O_RDONLY, &fd);
	if (rc != EOK)
		return rc;
	uint64_t at;
	rc = vfs_seek(fd, (int64_t) pos, SEEK_SET, &at);
	for (size_t done = 0; rc == EOK && done < len;) {
		size_t n;
		rc = vfs_read(
		    fd, buf, len - done < sizeof(buf) ? len - done : sizeof(buf), &n);
		for (size_t i = 0; rc == EOK && i < n; i++)
			rc = buf[i] == 0 ? EOK : EIO;
		if (rc == EOK && n == 0)
			rc = EIO;
		done += n;
	}
	errno_t rc2 = vfs_close(fd);
	return rc != EOK ? rc : rc2;
}

static void test_ext2_sparse_files_read_zeros_and_take_no_blocks(void)
{
	vfs_statfs_t before, after;
	CHECK_RC(vfs_statfs("/disk", &before), EOK);
	CHECK_RC(write_at("/disk/guest/sparse.bin", 8 * MIB, 100, 22), EOK);
	CHECK_RC(vfs_statfs("/disk", &after), EOK);
	CHECK(before.free_blocks - after.free_blocks <= 4); /* data and map */
	vfs_stat_t st;
	CHECK_RC(vfs_stat("/disk/guest/sparse.bin", &st), EOK);
	CHECK(st.size == 8 * MIB + 100);
	CHECK_RC(zeros_at("/disk/guest/sparse.bin", 0, 8 * MIB), EOK);
}

static void test_ext2_truncation_cuts_and_zeros(void)
{
	uint8_t data[20000];
	pattern(data, sizeof(data), 23);
	CHECK_RC(file_write("/disk/guest/cut.bin", data, sizeof(data)), EOK);
	int fd;
	CHECK_RC(vfs_open("/disk/guest/cut.bin", O_RDWR, &fd), EOK);
	CHECK_RC(vfs_truncate(fd, 1000), EOK);
	CHECK_RC(vfs_truncate(fd, 9000), EOK);
	CHECK_RC(vfs_close(fd), EOK);
	vfs_stat_t st;
	CHECK_RC(vfs_stat("/disk/guest/cut.bin", &st), EOK);
	CHECK(st.size == 9000);
	static uint8_t back[1000];
	size_t n;
	CHECK_RC(vfs_open("/disk/guest/cut.bin", O_RDONLY, &fd), EOK);
	errno_t rc = vfs_read(fd, back, sizeof(back), &n);
	DISCARD(cleanup, vfs_close(fd));
	CHECK_RC(rc, EOK);
	CHECK(n == sizeof(back) && memcmp(back, data, sizeof(back)) == 0);
	CHECK_RC(zeros_at("/disk/guest/cut.bin", 1000, 8000), EOK);
}

static void test_a_read_only_mount_is_erofs(void)
{
	CHECK_RC(vfs_unmount("/disk"), EOK);
	CHECK_RC(vfs_mount("/disk", fs_type, disk_name, VFS_MOUNT_RDONLY), EOK);
	int fd;
	CHECK_RC(vfs_open("/disk/guest/new", O_WRONLY | O_CREAT, &fd), EROFS);
	CHECK_RC(vfs_mkdir("/disk/guest/newdir"), EROFS);
	CHECK_RC(file_check("/disk/guest/nested dir/renamed.txt", 3000, 20), EOK);
	CHECK_RC(vfs_unmount("/disk"), EOK);
}

static void test_the_files_of_the_first_boot_are_there(void)
{
	CHECK_RC(vfs_mount("/disk", fs_type, disk_name, 0), EOK);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char path[128];
		snprintf(path, sizeof(path), "/disk/guest/nested dir/deeper/size %zu.bin",
		    sizes[i]);
		CHECK_RC(file_check(path, sizes[i], (unsigned) i + 2), EOK);
	}
	CHECK_RC(file_check("/disk/guest/nested dir/renamed.txt", 3000, 20), EOK);
	CHECK_RC(vfs_unmount("/disk"), EOK);
}

/** Copies 64 KiB chunks from @a in to @a out until @a chunks are done or
 *  one fails; that error, or EOK. */
static errno_t copy_chunks(int in, int out, uint8_t *buf, unsigned chunks)
{
	for (unsigned i = 0; i < chunks; i++) {
		size_t n, w;
		errno_t rc = vfs_read(in, buf, 65536, &n);
		if (rc == EOK)
			rc = vfs_write(out, buf, n, &w);
		if (rc != EOK)
			return rc;
	}
	return EOK;
}

static void test_a_killed_server_fails_only_its_mount(void)
{
	CHECK_RC(vfs_mount("/disk", fs_type, disk_name, 0), EOK);
	CHECK_RC(vfs_mount("/mnt", "tmpfs", "", 0), EOK);
	static uint8_t buf[65536];
	int in, out;
	CHECK_RC(
	    vfs_open("/disk/guest/nested dir/deeper/size 1048576.bin", O_RDONLY, &in),
	    EOK);
	CHECK_RC(vfs_open("/disk/guest/copy.bin", O_WRONLY | O_CREAT, &out), EOK);
	CHECK_RC(copy_chunks(in, out, buf, 4), EOK);
	CHECK_RC(task_kill(fs_task), EOK);
	errno_t rc = copy_chunks(in, out, buf, 12);
	DISCARD(cleanup, vfs_close(in));
	DISCARD(cleanup, vfs_close(out));
	CHECK(rc == EIO || rc == EHANGUP);
	/* The rest of the system works. */
	CHECK_RC(file_write("/mnt/other", buf, 1000), EOK);
	vfs_stat_t st;
	CHECK_RC(vfs_stat("/mnt/other", &st), EOK);
	CHECK(st.size == 1000);
	/* A new server mounts the disk again. */
	CHECK_RC(vfs_unmount("/disk"), EOK);
	CHECK_RC(task_start_server(fs_server, 0, &fs_task), EOK);
	CHECK_RC(vfs_mount("/disk", fs_type, disk_name, VFS_MOUNT_WAIT), EOK);
	CHECK_RC(file_check("/disk/guest/nested dir/renamed.txt", 3000, 20), EOK);
	CHECK_RC(vfs_unmount("/disk"), EOK);
}

#define BAD_DISK(n, p) "volumes/\\hw\\pci0\\00:01.1\\disk" #n "p" #p

static void test_the_damaged_disks_are_served(void)
{
	CHECK_RC(system_start(), EOK);
	CHECK_RC(task_start_server("/srv/volsrv", 0, NULL), EOK);
	CHECK_RC(task_start_server("/srv/fat", 0, NULL), EOK);
	CHECK_RC(task_start_server("/srv/ext2", 0, &fs_task), EOK);
	/* Each disk's last good partition: the scan of its table is over. */
	loc_id_t id;
	CHECK_RC(loc_service_get_id(BAD_DISK(0, 9), &id, LOC_FLAG_BLOCKING), EOK);
	CHECK_RC(loc_service_get_id(BAD_DISK(1, 4), &id, LOC_FLAG_BLOCKING), EOK);
	CHECK_RC(loc_service_get_id(BAD_DISK(3, 4), &id, LOC_FLAG_BLOCKING), EOK);
}

/** Whether @a path holds "intact\n". */
static errno_t intact(const char *path)
{
	char buf[16];
	int fd;
	errno_t rc = vfs_open(path, O_RDONLY, &fd);
	if (rc != EOK)
		return rc;
	size_t n = 0;
	rc = vfs_read(fd, buf, sizeof(buf), &n);
	DISCARD(cleanup, vfs_close(fd));
	return rc == EOK && (n != 7 || memcmp(buf, "intact\n", 7) != 0) ? EIO : rc;
}

/** Reads all of @a path; the first error. */
static errno_t read_all(const char *path)
{
	static uint8_t buf[4096];
	int fd;
	errno_t rc = vfs_open(path, O_RDONLY, &fd);
	if (rc != EOK)
		return rc;
	size_t n = 1;
	while (rc == EOK && n > 0)
		rc = vfs_read(fd, buf, sizeof(buf), &n);
	DISCARD(cleanup, vfs_close(fd));
	return rc;
}

/* The volumes of tools/mkbadimages.py's bad-fs.img, in its order. */
static const struct {
	const char *dev, *type;
	errno_t mount_rc;
	const char *bad;   /* the damaged file (when it mounts) */
	errno_t unlink_rc; /* unlinking it */
} damaged[] = {
    {BAD_DISK(0, 1), "ext2", EINVAL, NULL, EOK},
    {BAD_DISK(0, 2), "ext2", EINVAL, NULL, EOK},
    {BAD_DISK(0, 3), "ext2", EOK, "/mnt/big.bin", EIO},
    {BAD_DISK(0, 4), "ext2", EOK, "/mnt/sub/x.txt", EIO},
    {BAD_DISK(0, 5), "ext2", ENOTSUP, NULL, EOK},
    {BAD_DISK(0, 6), "ext2", EOK, "/mnt/sub/x.txt", EIO},
    {BAD_DISK(0, 7), "fat", EOK, "/mnt/chain.bin", EIO},
    {BAD_DISK(0, 8), "fat", EOK, "/mnt/chain.bin", EIO},
    {BAD_DISK(0, 9), "fat", EINVAL, NULL, EOK},
};

static void test_damaged_volumes_give_clear_errors(void)
{
	for (size_t i = 0; i < sizeof(damaged) / sizeof(damaged[0]); i++) {
		errno_t rc = vfs_mount("/mnt", damaged[i].type, damaged[i].dev, 0);
		EXPECT(rc == damaged[i].mount_rc, "%s: mount %s", damaged[i].dev,
		    str_error(rc));
		if (rc != EOK)
			continue;
		EXPECT(intact("/mnt/ok.txt") == EOK, "%s: ok.txt", damaged[i].dev);
		rc = read_all(damaged[i].bad);
		EXPECT(rc == EIO, "%s: reading %s: %s", damaged[i].dev, damaged[i].bad,
		    str_error(rc));
		rc = vfs_unlink(damaged[i].bad, 0);
		EXPECT(rc == damaged[i].unlink_rc, "%s: unlink: %s", damaged[i].dev,
		    str_error(rc));
		EXPECT(intact("/mnt/ok.txt") == EOK, "%s: ok.txt after", damaged[i].dev);
		rc = vfs_unmount("/mnt");
		EXPECT(rc == EOK, "%s: unmount %s", damaged[i].dev, str_error(rc));
	}
}

static void test_bad_partition_entries_are_left_out(void)
{
	loc_id_t id;
	CHECK_RC(loc_service_get_id(BAD_DISK(1, 1), &id, 0), ENOENT);
	CHECK_RC(loc_service_get_id(BAD_DISK(1, 2), &id, 0), ENOENT);
	CHECK_RC(loc_service_get_id(BAD_DISK(1, 3), &id, 0), ENOENT);
	CHECK_RC(loc_service_get_id(BAD_DISK(3, 1), &id, 0), ENOENT);
	CHECK_RC(loc_service_get_id(BAD_DISK(3, 2), &id, 0), ENOENT);
	CHECK_RC(loc_service_get_id(BAD_DISK(3, 3), &id, 0), ENOENT);
	CHECK_RC(vfs_mount("/mnt", "ext2", BAD_DISK(1, 4), 0), EOK);
	CHECK_RC(intact("/mnt/ok.txt"), EOK);
	CHECK_RC(vfs_unmount("/mnt"), EOK);
	CHECK_RC(vfs_mount("/mnt", "ext2", BAD_DISK(3, 4), 0), EOK);
	CHECK_RC(intact("/mnt/ok.txt"), EOK);
	CHECK_RC(vfs_unmount("/mnt"), EOK);
}

static void test_the_servers_still_serve(void)
{
	CHECK_RC(vfs_mount("/mnt", "ext2", BAD_DISK(0, 3), 0), EOK);
	CHECK_RC(intact("/mnt/ok.txt"), EOK);
	CHECK_RC(vfs_unmount("/mnt"), EOK);
	CHECK_RC(vfs_mount("/mnt", "fat", BAD_DISK(0, 7), 0), EOK);
	CHECK_RC(intact("/mnt/ok.txt"), EOK);
	CHECK_RC(vfs_unmount("/mnt"), EOK);
}

#define BENCH_FILE  "/disk/bench.bin"
#define BENCH_BYTES (4 * MIB)
#define BENCH_CHUNK 65536
#define BENCH_DIR   "/disk/thousand"
#define BENCH_FILES 1000

/* The start of a measured step: the TSC and the monotonic clock. */
typedef struct {
	uint64_t tsc, ns;
} bench_mark_t;

static bench_mark_t bench_mark(void)
{
	return (bench_mark_t){bench_tsc(), clock_ns()};
}

/** Prints the step from @a start to now: ticks, per byte (for @a bytes > 0)
 *  and microseconds. */
static void report(const char *what, bench_mark_t start, uint64_t bytes)
{
	unsigned long long ticks = bench_tsc() - start.tsc;
	unsigned long long us = (clock_ns() - start.ns) / 1000;
	if (bytes > 0)
		printf("fstest: bench %s: %llu ticks, %llu.%02llu per byte, %llu us\n",
		    what, ticks, ticks / bytes, ticks * 100 / bytes % 100, us);
	else
		printf("fstest: bench %s: %llu ticks, %llu us\n", what, ticks, us);
}

/** Reads @a bytes of BENCH_FILE in BENCH_CHUNK requests; reports it as
 *  @a what unless NULL. */
static errno_t bench_read(uint64_t bytes, const char *what)
{
	static uint8_t buf[BENCH_CHUNK];
	int fd;
	errno_t rc = vfs_open(BENCH_FILE, O_RDONLY, &fd);
	bench_mark_t t0 = bench_mark();
	for (uint64_t done = 0; rc == EOK && done < bytes; done += BENCH_CHUNK) {
		size_t n;
		rc = vfs_read(fd, buf, BENCH_CHUNK, &n);
	}
	if (rc == EOK && what != NULL)
		report(what, t0, bytes);
	if (rc == EOK)
		rc = vfs_close(fd);
	return rc;
}

static void test_file_io_costs_are_reported(void)
{
	uint8_t *data = malloc(BENCH_BYTES);
	CHECK(data != NULL);
	pattern(data, BENCH_BYTES, 30);
	bench_mark_t t0 = bench_mark();
	errno_t rc = file_write(BENCH_FILE, data, BENCH_BYTES);
	int fd = -1;
	if (rc == EOK)
		rc = vfs_open(BENCH_FILE, O_RDONLY, &fd);
	if (rc == EOK)
		rc = vfs_sync(fd);
	if (fd >= 0)
		DISCARD(cleanup, vfs_close(fd));
	if (rc == EOK)
		report("write-4m+sync", t0, BENCH_BYTES);
	free(data);
	CHECK_RC(rc, EOK);
	CHECK_RC(bench_read(BENCH_BYTES, "read-4m-uncached"), EOK);
	CHECK_RC(bench_read(512 * 1024, NULL), EOK);
	CHECK_RC(bench_read(512 * 1024, "read-512k-cached"), EOK);
}

static void test_small_file_and_listing_costs_are_reported(void)
{
	uint8_t data[4096];
	pattern(data, sizeof(data), 31);
	bench_mark_t t0 = bench_mark();
	errno_t rc = file_write("/disk/small.bin", data, sizeof(data));
	int fd = -1;
	if (rc == EOK)
		rc = vfs_open("/disk/small.bin", O_RDONLY, &fd);
	if (rc == EOK)
		rc = vfs_sync(fd);
	if (fd >= 0)
		DISCARD(cleanup, vfs_close(fd));
	report("create-write-4k-close-sync", t0, 0);
	CHECK_RC(rc, EOK);
	CHECK_RC(vfs_mkdir(BENCH_DIR), EOK);
	for (int i = 0; rc == EOK && i < BENCH_FILES; i++) {
		char path[64];
		snprintf(path, sizeof(path), BENCH_DIR "/entry %04d", i);
		rc = file_write(path, data, 0);
	}
	CHECK_RC(rc, EOK);
	t0 = bench_mark();
	CHECK_RC(vfs_open(BENCH_DIR, O_RDONLY | O_DIRECTORY, &fd), EOK);
	char name[VFS_NAME_MAX + 1];
	bool more = true;
	int count = 0;
	while (rc == EOK && more) {
		rc = vfs_readdir(fd, name, &more);
		count += more;
	}
	DISCARD(cleanup, vfs_close(fd));
	report("ls-1000-entries", t0, 0);
	CHECK_RC(rc, EOK);
	CHECK(count == BENCH_FILES);
}

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	int arg = 1;
	if (argc > arg &&
	    (strcmp(argv[arg], "fat") == 0 || strcmp(argv[arg], "ext2") == 0))
		fs_type = argv[arg++];
	snprintf(fs_server, sizeof(fs_server), "/srv/%s", fs_type);
	bool ext2 = strcmp(fs_type, "ext2") == 0;
	bool verify = argc > arg && strcmp(argv[arg], "verify") == 0;
	bool bench = argc > arg && strcmp(argv[arg], "bench") == 0;
	if (strcmp(argv[argc - 1], "virtio") == 0)
		disk_name = DISK_VIRTIO;
	test_suite_start("fstest");
	if (test_suite_limit(TEST_LIMIT_USEC) != EOK) {
		printf("fstest: out of memory\n");
		return 1;
	}
	if (argc > arg && strcmp(argv[arg], "damaged") == 0) {
		RUN(test_the_damaged_disks_are_served);
		RUN(test_damaged_volumes_give_clear_errors);
		RUN(test_bad_partition_entries_are_left_out);
		RUN(test_the_servers_still_serve);
		return test_suite_end();
	}
	RUN(test_the_disk_mounts);
	RUN(test_a_file_the_host_made_reads_back);
	if (bench) {
		RUN(test_file_io_costs_are_reported);
		RUN(test_small_file_and_listing_costs_are_reported);
		return test_suite_end();
	}
	if (verify) {
		DISCARD(best_effort, vfs_unmount("/disk"));
		RUN(test_the_files_of_the_first_boot_are_there);
		RUN(test_a_killed_server_fails_only_its_mount);
		return test_suite_end();
	}
	RUN(test_files_of_every_size_are_written);
	RUN(test_renames_and_deletes_work);
	RUN(test_file_times_come_from_the_wall_clock);
	if (ext2) {
		RUN(test_ext2_stores_any_name_but_slash);
		RUN(test_ext2_sparse_files_read_zeros_and_take_no_blocks);
		RUN(test_ext2_truncation_cuts_and_zeros);
	} else {
		RUN(test_names_fat_cannot_store_are_refused);
	}
	RUN(test_a_read_only_mount_is_erofs);
	return test_suite_end();
}
