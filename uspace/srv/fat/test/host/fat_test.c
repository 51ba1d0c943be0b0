/*
 * fat's volume code (fat_fs.c, fat_dir.c) over the block cache, on images
 * made by mkfs.fat and filled by mcopy: what mtools put there reads back,
 * what fat writes fsck.fat calls clean and mtools reads back byte for
 * byte, on FAT12, FAT16 and FAT32; damaged images give EINVAL or EIO; a
 * full volume gives ENOSPC and stays consistent; bad names and read-only
 * volumes are refused.
 */
#if __STDC_HOSTED__ /* not built into the server: see host.mk */
#include "host_file_dev.h"
#include "host_test.h"
#include "fat.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BS 512

typedef struct {
	int fd;
	char path[64];
	bcache_t *bc;
	fat_fs_t *fs;
} vol_t;

static const bcache_dev_t file_ops = {.read = host_file_read, .write = host_file_write};

static uint32_t fixed_now(void)
{
	/* 2026-12-06 12:34:56 */
	return (uint32_t) (((2026 - 1980) << 9 | 12 << 5 | 6) << 16 |
	    (12 << 11 | 34 << 5 | 28));
}

/** A new image of @a kib KiB formatted as FAT@a type. */
static bool image_make(vol_t *v, int type, unsigned kib)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->path, sizeof(v->path), "/tmp/fat_test_XXXXXX");
	v->fd = mkstemp(v->path);
	if (v->fd < 0)
		return false;
	char opts[64];
	snprintf(opts, sizeof(opts), "-F %d -C", type);
	char size[32];
	snprintf(size, sizeof(size), "%u", kib);
	unlink(v->path); /* mkfs.fat -C makes it anew */
	close(v->fd);
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "mkfs.fat %s -n TEST %s %s >/dev/null", opts, v->path,
	    size);
	if (system(cmd) != 0)
		return false;
	v->fd = open(v->path, O_RDWR);
	return v->fd >= 0;
}

static errno_t vol_mount(vol_t *v, bool rdonly)
{
	off_t end = lseek(v->fd, 0, SEEK_END);
	v->bc = bcache_create(&file_ops, &v->fd, BS, (uint64_t) end / BS, 64);
	if (v->bc == NULL)
		return ENOMEM;
	errno_t rc = fat_mount(v->bc, BS, (uint64_t) end / BS, rdonly, fixed_now, &v->fs);
	if (rc != EOK) {
		bcache_destroy(v->bc);
		v->bc = NULL;
	}
	return rc;
}

static errno_t vol_unmount(vol_t *v)
{
	errno_t rc = fat_unmount(v->fs);
	bcache_destroy(v->bc);
	v->fs = NULL;
	v->bc = NULL;
	return rc;
}

static void vol_drop(vol_t *v)
{
	if (v->fs != NULL)
		(void) vol_unmount(v);
	close(v->fd);
	unlink(v->path);
}

static bool fsck_clean(vol_t *v)
{
	return host_sh("fsck.fat -n %s >/dev/null 2>&1%s", v->path, "") == 0;
}

static errno_t write_file(vol_t *v, const char *path, const uint8_t *data, size_t len)
{
	fat_node_t *n;
	errno_t rc = fat_lookup(v->fs, path, L_CREATE | L_FILE, &n);
	size_t done = 0;
	while (rc == EOK && done < len) {
		size_t step = len - done < 65536 ? len - done : 65536;
		size_t w;
		rc = fat_file_write(v->fs, n, done, data + done, step, &w);
		done += w;
		if (rc == EOK && w == 0)
			rc = ENOSPC;
	}
	return rc;
}

static errno_t read_file(
    vol_t *v, const char *path, uint8_t *buf, size_t max, size_t *len)
{
	fat_node_t *n;
	errno_t rc = fat_lookup(v->fs, path, L_FILE, &n);
	*len = 0;
	while (rc == EOK) {
		size_t got;
		rc = fat_file_read(v->fs, n, *len, buf + *len, max - *len, &got);
		if (got == 0)
			break;
		*len += got;
	}
	return rc;
}

/** Whether mtools reads @a path of the image as @a data. */
static bool mtools_reads(vol_t *v, const char *path, const uint8_t *data, size_t len)
{
	char out[] = "/tmp/fat_test_out_XXXXXX";
	int fd = mkstemp(out);
	if (fd < 0)
		return false;
	close(fd);
	char cmd[512];
	snprintf(cmd, sizeof(cmd),
	    "MTOOLS_SKIP_CHECK=1 mcopy -o -n -i %s '::%s' %s 2>/dev/null", v->path, path,
	    out);
	bool ok = system(cmd) == 0;
	FILE *f = fopen(out, "rb");
	uint8_t *buf = malloc(len + 1);
	size_t n = f != NULL && buf != NULL ? fread(buf, 1, len + 1, f) : 0;
	ok = ok && f != NULL && n == len && memcmp(buf, data, len) == 0;
	if (f != NULL)
		fclose(f);
	free(buf);
	unlink(out);
	return ok;
}

static const size_t sizes[] = {0, 1, 4095, 4096, 4097, 1024 * 1024};

/** The round trip on FAT@a type: files of every size, nested directories,
 *  a rename and a delete; fsck clean; mtools reads every file. */
static void round_trip(int type, unsigned kib)
{
	vol_t v;
	CHECK(image_make(&v, type, kib));
	CHECK_EQ(vol_mount(&v, false), EOK);
	uint8_t *data = malloc(1024 * 1024);
	CHECK(data != NULL);
	fat_node_t *n;
	CHECK_EQ(fat_lookup(v.fs, "dir one", L_CREATE | L_DIRECTORY, &n), EOK);
	CHECK_EQ(fat_lookup(v.fs, "dir one/Sub", L_CREATE | L_DIRECTORY, &n), EOK);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char path[64];
		snprintf(path, sizeof(path), "dir one/Sub/file-%zu.bin", sizes[i]);
		host_pattern(data, sizes[i], (unsigned) i);
		CHECK_EQ(write_file(&v, path, data, sizes[i]), EOK);
	}
	CHECK_EQ(write_file(&v, "gone.txt", data, 5000), EOK);
	CHECK_EQ(write_file(&v, "OLDNAME.TXT", data, 10), EOK);
	CHECK_EQ(
	    fat_rename(v.fs, "OLDNAME.TXT", "dir one/A much longer new name.text"), EOK);
	CHECK_EQ(fat_rename(v.fs, "dir one/Sub", "Moved Sub"), EOK);
	CHECK_EQ(fat_unlink(v.fs, "gone.txt", 0), EOK);
	CHECK_EQ(vol_unmount(&v), EOK);
	CHECK(fsck_clean(&v));
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char path[64];
		snprintf(path, sizeof(path), "/Moved Sub/file-%zu.bin", sizes[i]);
		host_pattern(data, sizes[i], (unsigned) i);
		CHECK(mtools_reads(&v, path, data, sizes[i]));
	}
	CHECK(mtools_reads(&v, "/dir one/A much longer new name.text", data, 10) ||
	    (host_pattern(data, 10, 5),
		mtools_reads(&v, "/dir one/A much longer new name.text", data, 10)));
	CHECK(!mtools_reads(&v, "/gone.txt", data, 5000));
	/* Mounted again: everything reads back. */
	CHECK_EQ(vol_mount(&v, false), EOK);
	size_t len;
	uint8_t *back = malloc(1024 * 1024 + 1);
	CHECK(back != NULL);
	host_pattern(data, 1024 * 1024, 5);
	CHECK_EQ(read_file(&v, "moved sub/FILE-1048576.BIN", back, 1024 * 1024 + 1, &len),
	    EOK);
	CHECK_EQ(len, 1024 * 1024);
	CHECK(memcmp(back, data, len) == 0);
	CHECK_EQ(fat_lookup(v.fs, "gone.txt", 0, &n), ENOENT);
	free(back);
	free(data);
	vol_drop(&v);
}

HOST_TEST(fat12_round_trip_is_clean_and_mtools_reads_it)
{
	round_trip(12, 4096);
}

HOST_TEST(fat16_round_trip_is_clean_and_mtools_reads_it)
{
	round_trip(16, 20 * 1024);
}

HOST_TEST(fat32_round_trip_is_clean_and_mtools_reads_it)
{
	round_trip(32, 40 * 1024);
}

HOST_TEST(files_mtools_made_read_back_with_their_long_names)
{
	vol_t v;
	CHECK(image_make(&v, 16, 16384));
	char src[] = "/tmp/fat_test_src_XXXXXX";
	int fd = mkstemp(src);
	CHECK(fd >= 0);
	uint8_t data[10000];
	host_pattern(data, sizeof(data), 9);
	CHECK(write(fd, data, sizeof(data)) == (ssize_t) sizeof(data));
	close(fd);
	CHECK(host_sh("MTOOLS_SKIP_CHECK=1 mmd -i %s '::/Host Dir'%s", v.path, "") == 0);
	char cmd[256];
	snprintf(cmd, sizeof(cmd),
	    "MTOOLS_SKIP_CHECK=1 mcopy -i %s %s '::/Host Dir/Long Name From Host.dat'",
	    v.path, src);
	CHECK(system(cmd) == 0);
	unlink(src);
	CHECK_EQ(vol_mount(&v, false), EOK);
	uint8_t back[12000];
	size_t len;
	CHECK_EQ(
	    read_file(&v, "Host Dir/Long Name From Host.dat", back, sizeof(back), &len),
	    EOK);
	CHECK_EQ(len, sizeof(data));
	CHECK(memcmp(back, data, len) == 0);
	fat_node_t *dir;
	CHECK_EQ(fat_lookup(v.fs, "host dir", L_DIRECTORY, &dir), EOK);
	char name[FAT_NAME_MAX * 3 + 1];
	uint64_t next;
	CHECK_EQ(fat_readdir(v.fs, dir, 0, name, &next), EOK);
	CHECK(strcmp(name, "Long Name From Host.dat") == 0);
	CHECK_EQ(fat_readdir(v.fs, dir, next, name, &next), ENOENT);
	vol_drop(&v);
}

HOST_TEST(a_damaged_boot_sector_is_einval)
{
	vol_t v;
	CHECK(image_make(&v, 16, 16384));
	uint8_t zero = 0;
	CHECK(pwrite(v.fd, &zero, 1, 510) == 1); /* the signature */
	CHECK_EQ(vol_mount(&v, false), EINVAL);
	uint8_t sig = 0x55, spc = 3;
	CHECK(pwrite(v.fd, &sig, 1, 510) == 1);
	CHECK(pwrite(v.fd, &spc, 1, 13) == 1); /* sectors per cluster */
	CHECK_EQ(vol_mount(&v, false), EINVAL);
	vol_drop(&v);
	CHECK(image_make(&v, 16, 16384));
	uint8_t big[4] = {0xff, 0xff, 0xff, 0x00};
	uint8_t none[2] = {0, 0};
	CHECK(pwrite(v.fd, none, 2, 19) == 2);
	CHECK(pwrite(v.fd, big, 4, 32) == 4); /* more sectors than the disk */
	CHECK_EQ(vol_mount(&v, false), EINVAL);
	vol_drop(&v);
}

/** The first cluster of the file @a path of @a v (mounted). */
static uint32_t first_cluster(vol_t *v, const char *path)
{
	fat_node_t *n;
	return fat_lookup(v->fs, path, 0, &n) == EOK ? n->first_cl : 0;
}

HOST_TEST(a_looping_or_runaway_chain_is_eio_and_the_rest_works)
{
	vol_t v;
	CHECK(image_make(&v, 16, 16384));
	CHECK_EQ(vol_mount(&v, false), EOK);
	uint8_t data[20000];
	host_pattern(data, sizeof(data), 1);
	CHECK_EQ(write_file(&v, "loop", data, sizeof(data)), EOK);
	CHECK_EQ(write_file(&v, "away", data, sizeof(data)), EOK);
	CHECK_EQ(write_file(&v, "fine", data, sizeof(data)), EOK);
	uint32_t loop = first_cluster(&v, "loop"), away = first_cluster(&v, "away");
	uint32_t fat = v.fs->fat_start * BS;
	CHECK_EQ(vol_unmount(&v), EOK);
	/* loop's second cluster points back at its first; away's leaves the
	 * volume. */
	uint32_t second;
	uint8_t b[2];
	CHECK(pread(v.fd, b, 2, fat + loop * 2) == 2);
	second = b[0] | b[1] << 8;
	uint8_t back[2] = {loop & 0xff, loop >> 8};
	CHECK(pwrite(v.fd, back, 2, fat + second * 2) == 2);
	uint8_t off[2] = {0xf0, 0xff}; /* 0xfff0: reserved, not a cluster */
	CHECK(pwrite(v.fd, off, 2, fat + away * 2) == 2);
	CHECK_EQ(vol_mount(&v, false), EOK);
	uint8_t buf[30000];
	size_t len;
	CHECK_EQ(read_file(&v, "loop", buf, sizeof(buf), &len), EIO);
	CHECK_EQ(read_file(&v, "away", buf, sizeof(buf), &len), EIO);
	CHECK_EQ(read_file(&v, "fine", buf, sizeof(buf), &len), EOK);
	CHECK(len == sizeof(data) && memcmp(buf, data, len) == 0);
	/* A chain that loops is never walked for ever, nor freed wrongly. */
	fat_node_t *n;
	CHECK_EQ(fat_lookup(v.fs, "loop", 0, &n), EOK);
	size_t w;
	CHECK_EQ(fat_file_write(v.fs, n, 100000, "x", 1, &w), EIO);
	vol_drop(&v);
}

HOST_TEST(an_entry_pointing_outside_the_volume_is_eio)
{
	vol_t v;
	CHECK(image_make(&v, 16, 16384));
	CHECK_EQ(vol_mount(&v, false), EOK);
	uint8_t data[100] = {1};
	CHECK_EQ(write_file(&v, "OUTSIDE", data, sizeof(data)), EOK);
	uint32_t root = v.fs->root_start * BS;
	CHECK_EQ(vol_unmount(&v), EOK);
	/* The first root entry is the label, then OUTSIDE: its cluster 0xfff0. */
	uint8_t ent[32];
	int found = -1;
	for (int i = 0; i < 16 && found < 0; i++) {
		CHECK(pread(v.fd, ent, 32, root + 32 * i) == 32);
		if (memcmp(ent, "OUTSIDE    ", 11) == 0)
			found = i;
	}
	CHECK(found >= 0);
	uint8_t cl[2] = {0xf0, 0xff};
	CHECK(pwrite(v.fd, cl, 2, root + 32 * found + 26) == 2);
	CHECK_EQ(vol_mount(&v, false), EOK);
	uint8_t buf[200];
	size_t len;
	CHECK_EQ(read_file(&v, "OUTSIDE", buf, sizeof(buf), &len), EIO);
	CHECK_EQ(fat_unlink(v.fs, "OUTSIDE", 0), EIO);
	vol_drop(&v);
}

HOST_TEST(a_full_volume_is_enospc_and_stays_consistent)
{
	vol_t v;
	CHECK(image_make(&v, 12, 1024));
	CHECK_EQ(vol_mount(&v, false), EOK);
	uint8_t *data = malloc(2 * 1024 * 1024);
	CHECK(data != NULL);
	host_pattern(data, 2 * 1024 * 1024, 3);
	CHECK_EQ(write_file(&v, "big", data, 2 * 1024 * 1024), ENOSPC);
	fat_node_t *n;
	CHECK_EQ(fat_lookup(v.fs, "big", 0, &n), EOK);
	CHECK(n->size > 0 && n->size < 1024 * 1024);
	vfs_statfs_t st;
	fat_statfs(v.fs, &st);
	CHECK_EQ(st.free_blocks, 0);
	CHECK_EQ(fat_lookup(v.fs, "newdir", L_CREATE | L_DIRECTORY, &n), ENOSPC);
	uint32_t size = 0;
	CHECK_EQ(fat_lookup(v.fs, "big", 0, &n), EOK);
	size = n->size;
	CHECK_EQ(vol_unmount(&v), EOK);
	CHECK(fsck_clean(&v));
	CHECK(mtools_reads(&v, "/big", data, size));
	free(data);
	vol_drop(&v);
}

HOST_TEST(bad_names_are_enametoolong_or_einval)
{
	vol_t v;
	CHECK(image_make(&v, 16, 16384));
	CHECK_EQ(vol_mount(&v, false), EOK);
	char name[300];
	memset(name, 'a', 256);
	name[256] = '\0';
	fat_node_t *n;
	CHECK_EQ(fat_lookup(v.fs, name, L_CREATE, &n), ENAMETOOLONG);
	name[255] = '\0';
	CHECK_EQ(fat_lookup(v.fs, name, L_CREATE, &n), EOK);
	CHECK_EQ(fat_lookup(v.fs, "a:b", L_CREATE, &n), EINVAL);
	CHECK_EQ(fat_lookup(v.fs, "what?", L_CREATE, &n), EINVAL);
	CHECK_EQ(fat_lookup(v.fs, "trailing.", L_CREATE, &n), EINVAL);
	CHECK_EQ(fat_lookup(v.fs, "bad\xff", L_CREATE, &n), EINVAL);
	CHECK_EQ(fat_lookup(v.fs, "caf\xc3\xa9", L_CREATE, &n), EOK);
	CHECK_EQ(vol_unmount(&v), EOK);
	CHECK(fsck_clean(&v));
	vol_drop(&v);
}

HOST_TEST(a_read_only_volume_is_erofs)
{
	vol_t v;
	CHECK(image_make(&v, 16, 16384));
	CHECK_EQ(vol_mount(&v, true), EOK);
	fat_node_t *n;
	CHECK_EQ(fat_lookup(v.fs, "new", L_CREATE, &n), EROFS);
	CHECK_EQ(fat_lookup(v.fs, "", 0, &n), EOK);
	CHECK_EQ(fat_unlink(v.fs, "x", 0), ENOENT);
	vol_drop(&v);
}

HOST_TEST(truncate_and_many_entries_keep_the_volume_clean)
{
	vol_t v;
	CHECK(image_make(&v, 32, 40 * 1024));
	CHECK_EQ(vol_mount(&v, false), EOK);
	fat_node_t *d, *n;
	CHECK_EQ(fat_lookup(v.fs, "many", L_CREATE | L_DIRECTORY, &d), EOK);
	for (int i = 0; i < 300; i++) {
		char path[64];
		snprintf(path, sizeof(path), "many/entry number %d", i);
		CHECK_EQ(fat_lookup(v.fs, path, L_CREATE | L_EXCL, &n), EOK);
	}
	uint64_t count;
	CHECK_EQ(fat_dir_count(v.fs, d, &count), EOK);
	CHECK_EQ(count, 300);
	CHECK_EQ(fat_unlink(v.fs, "many", VFS_UNLINK_DIR), ENOTEMPTY);
	uint8_t data[9000];
	host_pattern(data, sizeof(data), 4);
	CHECK_EQ(write_file(&v, "t", data, sizeof(data)), EOK);
	CHECK_EQ(fat_lookup(v.fs, "t", 0, &n), EOK);
	CHECK_EQ(fat_file_truncate(v.fs, n, 5000), EOK);
	CHECK_EQ(fat_file_truncate(v.fs, n, 12000), EOK);
	CHECK_EQ(vol_unmount(&v), EOK);
	CHECK(fsck_clean(&v));
	memset(data + 5000, 0, 4000);
	uint8_t want[12000] = {0};
	memcpy(want, data, 5000);
	CHECK(mtools_reads(&v, "/t", want, sizeof(want)));
	vol_drop(&v);
}
#endif

HOST_TEST(the_wall_clock_packs_into_fat_dates_and_clamps_outside_them)
{
	/* 2026-12-06 11:20:03 UTC: seconds go in two-second steps. */
	uint32_t t = fat_time_pack(1796556003);
	CHECK_EQ(t >> 16, (2026 - 1980) << 9 | 12 << 5 | 6);
	CHECK_EQ(t & 0xffff, 11 << 11 | 20 << 5 | 1);
	/* 2000-02-29 23:59:59. */
	t = fat_time_pack(951868799);
	CHECK_EQ(t >> 16, 20 << 9 | 2 << 5 | 29);
	CHECK_EQ(t & 0xffff, 23 << 11 | 59 << 5 | 29);
	/* Before 1980 (no wall clock: 0) and after 2107: the range's ends. */
	CHECK_EQ(fat_time_pack(0), (uint32_t) FAT_DATE_MIN << 16);
	CHECK_EQ(fat_time_pack(-1), (uint32_t) FAT_DATE_MIN << 16);
	CHECK_EQ(
	    fat_time_pack(4354819200LL), (uint32_t) FAT_DATE_MAX << 16 | FAT_TIME_MAX);
}
