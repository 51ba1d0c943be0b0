/*
 * volsrv's partition tables (part.c) on images sfdisk made: MBR (with
 * logical drives in an extended partition, a looping chain ending) and GPT
 * partitions found where sfdisk put them, a FAT volume without a table is
 * one whole volume, entries outside the disk are left out.
 */
#if __STDC_HOSTED__ /* not built into the server: see host.mk */
#include "host_test.h"
#include "part.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BS	    512
#define DISK_BLOCKS (16 * 2048) /* 16 MiB */

static errno_t file_read(void *dev, uint64_t ba, size_t count, void *buf)
{
	ssize_t n = pread(*(int *) dev, buf, count * BS, (off_t) (ba * BS));
	return n == (ssize_t) (count * BS) ? EOK : EIO;
}

/** A 16 MiB image partitioned by sfdisk with @a script; its fd. */
static int image(char *path, const char *script)
{
	strcpy(path, "/tmp/part_test_XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0 || ftruncate(fd, DISK_BLOCKS * BS) != 0)
		return -1;
	if (script == NULL)
		return fd;
	char cmd[512];
	snprintf(
	    cmd, sizeof(cmd), "printf '%s' | sfdisk -q %s >/dev/null 2>&1", script, path);
	return system(cmd) == 0 ? fd : -1;
}

/** The table of an image sfdisk made with @a script (NULL: none), after
 *  @a prep (unless NULL) changed it; EIO if the image cannot be made. */
static errno_t scan(const char *script, bool (*prep)(int fd, const char *path),
    part_table_t *t, part_t *p, size_t *n)
{
	char path[64];
	int fd = image(path, script);
	errno_t rc = fd >= 0 && (prep == NULL || prep(fd, path)) ? EOK : EIO;
	if (rc == EOK)
		rc = part_scan(file_read, &fd, BS, DISK_BLOCKS, t, p, n);
	if (fd >= 0)
		close(fd);
	unlink(path);
	return rc;
}

HOST_TEST(mbr_partitions_are_where_sfdisk_put_them)
{
	part_table_t t;
	part_t p[PART_MAX];
	size_t n;
	CHECK_EQ(
	    scan("label: dos\\nstart=2048, size=8192, type=c\\nstart=10240, type=83\\n",
		NULL, &t, p, &n),
	    EOK);
	CHECK_EQ(t, PART_TABLE_MBR);
	CHECK_EQ(n, 2);
	CHECK(p[0].number == 1 && p[0].first == 2048 && p[0].count == 8192 &&
	    p[0].mbr_type == 0x0c);
	CHECK(
	    p[1].number == 2 && p[1].first == 10240 && p[1].count == DISK_BLOCKS - 10240);
}

HOST_TEST(gpt_partitions_are_where_sfdisk_put_them)
{
	part_table_t t;
	part_t p[PART_MAX];
	size_t n;
	CHECK_EQ(scan("label: gpt\\nstart=2048, size=4096\\nstart=8192, size=8192\\n",
		     NULL, &t, p, &n),
	    EOK);
	CHECK_EQ(t, PART_TABLE_GPT);
	CHECK_EQ(n, 2);
	CHECK(p[0].number == 1 && p[0].first == 2048 && p[0].count == 4096);
	CHECK(p[1].number == 2 && p[1].first == 8192 && p[1].count == 8192);
}

static bool make_fat(int fd, const char *path)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "mkfs.fat -F 16 %s >/dev/null", path);
	return system(cmd) == 0;
}

HOST_TEST(a_fat_volume_without_a_table_is_the_whole_disk)
{
	part_table_t t;
	part_t p[PART_MAX];
	size_t n;
	CHECK_EQ(scan(NULL, make_fat, &t, p, &n), EOK);
	CHECK_EQ(t, PART_TABLE_NONE);
	CHECK_EQ(n, 0);
}

/** Entry 2: from block 30000, 10000 blocks: past the end. */
static bool add_entry_off_the_disk(int fd, const char *path)
{
	uint8_t e[16] = {0, 0, 0, 0, 0x83, 0, 0, 0, 0x30, 0x75, 0, 0, 0x10, 0x27, 0, 0};
	return pwrite(fd, e, 16, 446 + 16) == 16;
}

/** GPT entry 2: blocks 1..40, over the header and the entries (the
 *  entries array sfdisk made starts at block 2). */
static bool add_gpt_entry_over_the_header(int fd, const char *path)
{
	uint8_t e[128];
	if (pread(fd, e, sizeof(e), 2 * BS) != (ssize_t) sizeof(e))
		return false;
	uint64_t first = 1, last = 40;
	memcpy(e + 32, &first, 8);
	memcpy(e + 40, &last, 8);
	return pwrite(fd, e, sizeof(e), 2 * BS + 128) == (ssize_t) sizeof(e);
}

HOST_TEST(a_gpt_entry_over_the_header_is_left_out)
{
	part_table_t t;
	part_t p[PART_MAX];
	size_t n;
	CHECK_EQ(scan("label: gpt\\nstart=2048, size=4096\\n",
		     add_gpt_entry_over_the_header, &t, p, &n),
	    EOK);
	CHECK_EQ(t, PART_TABLE_GPT);
	CHECK_EQ(n, 1);
	CHECK(p[0].number == 1 && p[0].first == 2048);
}

HOST_TEST(entries_outside_the_disk_are_left_out)
{
	part_table_t t;
	part_t p[PART_MAX];
	size_t n;
	CHECK_EQ(scan("label: dos\\nstart=2048, size=4096, type=83\\n",
		     add_entry_off_the_disk, &t, p, &n),
	    EOK);
	CHECK_EQ(t, PART_TABLE_MBR);
	CHECK_EQ(n, 1);
	CHECK(p[0].first == 2048);
}
#define LOGICALS \
	"label: dos\\nstart=2048, size=4096, type=83\\nstart=8192, type=5\\n" \
	"start=10240, size=2048, type=83\\nstart=14336, size=2048, type=c\\n"

HOST_TEST(logical_drives_of_an_extended_partition_are_found)
{
	part_table_t t;
	part_t p[PART_MAX];
	size_t n;
	CHECK_EQ(scan(LOGICALS, NULL, &t, p, &n), EOK);
	CHECK_EQ(t, PART_TABLE_MBR);
	CHECK_EQ(n, 3);
	CHECK(p[0].number == 1 && p[0].first == 2048 && p[0].count == 4096);
	CHECK(p[1].number == 5 && p[1].first == 10240 && p[1].count == 2048 &&
	    p[1].mbr_type == 0x83);
	CHECK(p[2].number == 6 && p[2].first == 14336 && p[2].count == 2048 &&
	    p[2].mbr_type == 0x0c);
}

/** The link of the second logical drive's record points back at the
 *  first record (offset 0 in the extended partition): a loop. */
static bool loop_the_chain(int fd, const char *path)
{
	uint8_t rec[512];
	if (pread(fd, rec, sizeof(rec), 8192 * BS) != (ssize_t) sizeof(rec))
		return false;
	uint32_t second;
	memcpy(&second, rec + 446 + 16 + 8, 4);
	uint8_t link[16] = {0, 0, 0, 0, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0};
	return second != 0 &&
	    pwrite(fd, link, 16, (8192 + (off_t) second) * BS + 446 + 16) == 16;
}

HOST_TEST(a_looping_chain_of_logical_drives_ends)
{
	part_table_t t;
	part_t p[PART_MAX];
	size_t n;
	CHECK_EQ(scan(LOGICALS, loop_the_chain, &t, p, &n), EOK);
	CHECK_EQ(n, 3);
	CHECK(p[2].number == 6 && p[2].first == 14336);
}
#endif
