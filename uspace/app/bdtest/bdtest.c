/*
 * bdtest: the block-device protocol on a real driver, in a boot of its own
 * (`testinit=ns,vfs,tmpfs testtask=bdtest`, QEMU with a 1 MiB IDE disk the
 * harness filled with "SBLK%08u" at the start of every block; with the
 * argument `virtio` (testargs=virtio) the same disk is a virtio-blk device
 * in PCI slot 4). Starts the location service and devman (which starts the
 * ata or virtio-blk driver), then reads
 * the disk through the `disk` category, writes patterns the harness checks
 * in the image afterwards (blocks 100-227 by data transfer, 300-427 through
 * the shared buffer), and sends the bad requests every driver must refuse.
 */
#include <bd.h>
#include <benchmark.h>
#include <devman.h>
#include <fibril.h>
#include <getopt.h>
#include <loc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <task.h>
#include <testsuite.h>
#include <vfs.h>

#define USAGE \
	"[virtio|virtio-faulty] (a test program; make test boots it with " \
	"testtask=bdtest)"

#define TEST_LIMIT_USEC (120 * 1000 * 1000)
#define STABLE_USEC	(30 * 1000 * 1000)
#define DISK_BLOCKS	2048
#define BS		512
#define XFER_FIRST	100
#define SHARED_FIRST	300
#define PATTERN_BLOCKS	128
#define FAULT_BLOCK	1000 /* virtio-faulty: the device fails I/O here */

static bd_t *disk;
/* The disk's service: the ATA disk, or the virtio one (tools/storage_tests.py). */
static const char *disk_name = "devices/\\hw\\pci0\\00:01.1\\disk0";
#define VIRTIO_DISK "devices/\\hw\\pci0\\00:04.0\\disk0"

/** The first service of category disk. */
static errno_t first_disk(loc_id_t *id)
{
	category_id_t cat;
	errno_t rc = loc_category_get_id(BD_CATEGORY, &cat, 0);
	size_t count = 0;
	if (rc == EOK)
		rc = loc_category_get_svcs(cat, id, 1, &count);
	return rc == EOK && count == 0 ? ENOENT : rc;
}

static void test_the_disk_is_in_category_disk(void)
{
	CHECK_RC(
	    vfs_mount("/", "tmpfs", "archive=rootfs", VFS_MOUNT_WAIT | VFS_MOUNT_RDONLY),
	    EOK);
	CHECK_RC(task_start_server("/srv/locsrv", 0, NULL), EOK);
	static const char *const devman_args[] = {"/srv/devman", NULL};
	CHECK_RC(devman_start(devman_args), EOK);
	CHECK_RC(devman_wait_stable(STABLE_USEC), EOK);
	loc_id_t id;
	CHECK_RC(first_disk(&id), EOK);
	char name[LOC_NAME_MAX + 1];
	CHECK_RC(loc_service_get_name(id, name, sizeof(name)), EOK);
	CHECK(strcmp(name, disk_name) == 0);
	CHECK_RC(bd_open(id, &disk), EOK);
	CHECK(disk->block_size == BS && disk->block_count == DISK_BLOCKS);
}

/** Whether @a buf holds the harness's pattern for @a count blocks from @a ba. */
static bool host_pattern(const uint8_t *buf, uint64_t ba, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		char want[16];
		snprintf(want, sizeof(want), "SBLK%08u", (unsigned) (ba + i));
		if (memcmp(buf + i * BS, want, 12) != 0)
			return false;
	}
	return true;
}

static void test_the_whole_disk_reads_in_one_call(void)
{
	CHECK(disk != NULL);
	uint8_t *buf = malloc(DISK_BLOCKS * BS);
	CHECK(buf != NULL);
	errno_t rc = bd_read(disk, 0, DISK_BLOCKS, buf);
	bool ok = rc == EOK && host_pattern(buf, 0, DISK_BLOCKS);
	free(buf);
	CHECK_RC(rc, EOK);
	CHECK(ok);
}

/** Fills @a count blocks with @a tag and the block number in every byte
 *  group, so a block in the wrong place shows. */
static void guest_pattern(uint8_t *buf, const char *tag, uint64_t ba, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		char group[17]; /* a 6-character tag, 10 digits, the NUL */
		snprintf(group, sizeof(group), "%.6s%010u", tag, (unsigned) (ba + i));
		for (size_t off = 0; off < BS; off += 16)
			memcpy(buf + i * BS + off, group, 16);
	}
}

static void test_written_blocks_read_back(void)
{
	CHECK(disk != NULL);
	static uint8_t out[PATTERN_BLOCKS * BS], in[PATTERN_BLOCKS * BS];
	guest_pattern(out, "XFER::", XFER_FIRST, PATTERN_BLOCKS);
	CHECK_RC(bd_write(disk, XFER_FIRST, PATTERN_BLOCKS, out), EOK);
	CHECK_RC(bd_read(disk, XFER_FIRST, PATTERN_BLOCKS, in), EOK);
	CHECK(memcmp(in, out, sizeof(in)) == 0);
	/* Its neighbours are untouched. */
	CHECK_RC(bd_read(disk, XFER_FIRST - 1, 1, in), EOK);
	CHECK(host_pattern(in, XFER_FIRST - 1, 1));
	CHECK_RC(bd_read(disk, XFER_FIRST + PATTERN_BLOCKS, 1, in), EOK);
	CHECK(host_pattern(in, XFER_FIRST + PATTERN_BLOCKS, 1));
	CHECK_RC(bd_sync(disk), EOK);
}

static void test_the_shared_buffer_moves_blocks(void)
{
	CHECK(disk != NULL);
	CHECK_RC(bd_share(disk, PATTERN_BLOCKS * BS), EOK);
	guest_pattern(disk->shared, "SHRD::", SHARED_FIRST, PATTERN_BLOCKS);
	CHECK_RC(bd_write_shared(disk, SHARED_FIRST, PATTERN_BLOCKS, 0), EOK);
	static uint8_t in[PATTERN_BLOCKS * BS];
	CHECK_RC(bd_read(disk, SHARED_FIRST, PATTERN_BLOCKS, in), EOK);
	CHECK(memcmp(in, disk->shared, sizeof(in)) == 0);
	memset(disk->shared, 0, PATTERN_BLOCKS * BS);
	CHECK_RC(bd_read_shared(disk, 0, 4, BS), EOK);
	CHECK(host_pattern((uint8_t *) disk->shared + BS, 0, 4));
	CHECK_RC(bd_sync(disk), EOK);
}

static void test_bad_requests_are_refused(void)
{
	CHECK(disk != NULL);
	uint8_t buf[2 * BS];
	CHECK_RC(bd_read(disk, DISK_BLOCKS - 1, 2, buf), EINVAL);
	CHECK_RC(bd_read(disk, DISK_BLOCKS, 1, buf), EINVAL);
	CHECK_RC(bd_write(disk, UINT64_MAX, 1, buf), EINVAL);
	CHECK_RC(bd_read(disk, 0, 0, buf), EINVAL);
	/* A data read of another size than the blocks asked for. */
	async_exch_t *exch = async_exchange_begin(disk->sess);
	CHECK(exch != NULL);
	errno_t rc1 = async_req_read(exch, BD_READ, 0, 1, buf, BS + 1, NULL, NULL);
	errno_t rc2 = async_req_write(exch, BD_WRITE, 0, 2, buf, BS, NULL);
	errno_t rc3 = async_req_0_0(exch, BD_READ_SHARED + 100);
	async_exchange_end(exch);
	CHECK_RC(rc1, EINVAL);
	CHECK_RC(rc2, EINVAL);
	CHECK_RC(rc3, ENOTSUP);
	/* Shared transfers outside the buffer, or without one. */
	CHECK_RC(bd_read_shared(disk, 0, PATTERN_BLOCKS, BS), EINVAL);
	CHECK_RC(bd_read_shared(disk, 0, 1, PATTERN_BLOCKS * BS), EINVAL);
	CHECK_RC(bd_read_shared(disk, 0, 1, UINT64_MAX), EINVAL);
	bd_t *other;
	CHECK_RC(bd_open_name(disk_name, &other), EOK);
	errno_t rc = bd_read_shared(other, 0, 1, 0);
	CHECK_RC(bd_share(other, 100), EINVAL);
	bd_close(other);
	CHECK_RC(rc, EINVAL);
	/* The device still serves. */
	CHECK_RC(bd_read(disk, 7, 1, buf), EOK);
	CHECK(host_pattern(buf, 7, 1));
}

#define COST_ROUNDS 16

/** TSC ticks per byte of COST_ROUNDS transfers of 64 KiB (reads from block
 *  0 on, or writes of what blocks XFER_FIRST.. already hold, from @a buf),
 *  by data transfer or (@a shared) through the shared buffer; 0 on an
 *  error. */
static uint64_t xfer_cost(bool write, bool shared, uint8_t *buf)
{
	uint64_t ba = write ? XFER_FIRST : 0;
	if (write && shared)
		memcpy(disk->shared, buf, PATTERN_BLOCKS * BS);
	uint64_t t0 = bench_tsc();
	for (unsigned r = 0; r < COST_ROUNDS; r++) {
		errno_t rc;
		if (shared)
			rc = write ? bd_write_shared(disk, ba, PATTERN_BLOCKS, 0)
				   : bd_read_shared(disk, ba, PATTERN_BLOCKS, 0);
		else
			rc = write ? bd_write(disk, ba, PATTERN_BLOCKS, buf)
				   : bd_read(disk, ba, PATTERN_BLOCKS, buf);
		if (rc != EOK)
			return 0;
	}
	return (bench_tsc() - t0) / (COST_ROUNDS * PATTERN_BLOCKS * BS);
}

/* The figures are printed (under make bench's -icount they are guest
 * instructions per byte), not asserted: they depend on the host. */
static void test_transfer_costs_are_reported(void)
{
	CHECK(disk != NULL && disk->shared != NULL);
	static uint8_t buf[PATTERN_BLOCKS * BS];
	uint64_t xfer = xfer_cost(false, false, buf),
		 shared = xfer_cost(false, true, NULL);
	CHECK(xfer != 0 && shared != 0);
	printf("bdtest: 64 KiB reads: %llu ticks/byte by data transfer, %llu shared\n",
	    (unsigned long long) xfer, (unsigned long long) shared);
	guest_pattern(buf, "XFER::", XFER_FIRST, PATTERN_BLOCKS);
	xfer = xfer_cost(true, false, buf);
	shared = xfer_cost(true, true, buf);
	CHECK(xfer != 0 && shared != 0);
	printf("bdtest: 64 KiB writes: %llu ticks/byte by data transfer, %llu shared\n",
	    (unsigned long long) xfer, (unsigned long long) shared);
}

/** Whether service @a name is back in the location service (under a new
 *  id: not @a old) within about 10 s; its id in *@a id. */
static bool service_comes_back(const char *name, loc_id_t old, loc_id_t *id)
{
	for (int i = 0; i < 100; i++) {
		if (loc_service_get_id(name, id, 0) == EOK && *id != old)
			return true;
		fibril_usleep(100 * 1000);
	}
	return false;
}

/* virtio: the driver killed, devman starts it again; the new task resets
 * the device, which then serves what the old one wrote. */
static void test_a_restarted_driver_serves_again(void)
{
	CHECK(disk != NULL);
	devman_node_info_t node;
	loc_id_t old, id;
	CHECK_RC(loc_service_get_id(disk_name, &old, 0), EOK);
	CHECK_RC(devman_find_driver("virtio-blk", &node), EOK);
	CHECK_RC(task_kill(node.task), EOK);
	uint8_t buf[BS];
	CHECK(bd_read(disk, 7, 1, buf) != EOK); /* the old session is gone */
	bd_close(disk);
	disk = NULL;
	CHECK(service_comes_back(disk_name, old, &id));
	CHECK_RC(bd_open(id, &disk), EOK);
	CHECK_RC(bd_read(disk, 7, 1, buf), EOK);
	CHECK(host_pattern(buf, 7, 1));
	static uint8_t in[PATTERN_BLOCKS * BS], want[PATTERN_BLOCKS * BS];
	guest_pattern(want, "XFER::", XFER_FIRST, PATTERN_BLOCKS);
	CHECK_RC(bd_read(disk, XFER_FIRST, PATTERN_BLOCKS, in), EOK);
	CHECK(memcmp(in, want, sizeof(in)) == 0);
}

/* virtio-faulty: the harness attaches the disk read-only, through QEMU's
 * blkdebug failing every access to FAULT_BLOCK with EIO. */
static void test_device_errors_are_eio(void)
{
	CHECK(disk != NULL);
	static uint8_t buf[PATTERN_BLOCKS * BS];
	CHECK_RC(bd_read(disk, FAULT_BLOCK, 1, buf), EIO);
	CHECK_RC(bd_read(disk, FAULT_BLOCK - 10, 20, buf), EIO);
	CHECK_RC(bd_read(disk, FAULT_BLOCK, 1, buf), EIO); /* again, logged once */
	/* Everything around it still reads. */
	CHECK_RC(bd_read(disk, FAULT_BLOCK - 1, 1, buf), EOK);
	CHECK(host_pattern(buf, FAULT_BLOCK - 1, 1));
	CHECK_RC(bd_read(disk, FAULT_BLOCK + 1, 1, buf), EOK);
	CHECK(host_pattern(buf, FAULT_BLOCK + 1, 1));
	CHECK_RC(bd_read(disk, 0, PATTERN_BLOCKS, buf), EOK);
	CHECK(host_pattern(buf, 0, PATTERN_BLOCKS));
}

static void test_a_read_only_disk_refuses_writes(void)
{
	CHECK(disk != NULL);
	static uint8_t buf[BS];
	guest_pattern(buf, "NEVER:", 5, 1);
	CHECK_RC(bd_write(disk, 5, 1, buf), EROFS);
	CHECK_RC(bd_sync(disk), EOK);
	CHECK_RC(bd_read(disk, 5, 1, buf), EOK);
	CHECK(host_pattern(buf, 5, 1));
}

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	bool faulty = argc > 1 && strcmp(argv[1], "virtio-faulty") == 0;
	if (faulty || (argc > 1 && strcmp(argv[1], "virtio") == 0))
		disk_name = VIRTIO_DISK;
	test_suite_start("bdtest");
	if (test_suite_limit(TEST_LIMIT_USEC) != EOK) {
		printf("bdtest: out of memory\n");
		return 1;
	}
	RUN(test_the_disk_is_in_category_disk);
	if (faulty) {
		RUN(test_device_errors_are_eio);
		RUN(test_a_read_only_disk_refuses_writes);
		bd_close(disk);
		return test_suite_end();
	}
	RUN(test_the_whole_disk_reads_in_one_call);
	RUN(test_written_blocks_read_back);
	RUN(test_the_shared_buffer_moves_blocks);
	RUN(test_bad_requests_are_refused);
	RUN(test_transfer_costs_are_reported);
	if (strcmp(disk_name, VIRTIO_DISK) == 0)
		RUN(test_a_restarted_driver_serves_again);
	if (disk != NULL)
		bd_close(disk);
	return test_suite_end();
}
