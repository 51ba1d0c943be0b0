/*
 * ext2's volume code over the block cache, on images made by mke2fs -d:
 * what the host put there reads back (holes as zeros), what ext2 writes
 * e2fsck -fn calls clean and debugfs reads back byte for byte, with 1 KiB
 * and 4 KiB blocks; damaged images give EINVAL at mount or EIO for the
 * damaged file; a full volume gives ENOSPC and stays consistent; read-only
 * volumes are refused changes.
 */
#if __STDC_HOSTED__ /* not built into the server: see host.mk */
#include "host_file_dev.h"
#include "host_test.h"
#include "ext2.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SS  HOST_FILE_BLOCK
#define MIB (1024 * 1024)

typedef struct {
	int fd;
	char path[64];
	char dir[64]; /* the tree mke2fs -d copied */
	ext2_fs_t *fs;
} vol_t;

static const bcache_dev_t file_ops = {.read = host_file_read, .write = host_file_write};

static uint32_t fixed_now(void)
{
	return 1796560496u; /* 2026-12-06 */
}

static bool host_file(const char *dir, const char *name, size_t len, unsigned seed)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	uint8_t *b = malloc(len + 1);
	FILE *f = fopen(path, "wb");
	bool ok = b != NULL && f != NULL;
	if (ok) {
		host_pattern(b, len, seed);
		ok = fwrite(b, 1, len, f) == len;
	}
	if (f != NULL)
		fclose(f);
	free(b);
	return ok;
}

/** A new image of @a kib KiB made by mke2fs -t ext2 -b @a bsize -d with a
 *  small tree: big.bin (1 MiB, seed 1), sub/small.txt (100 bytes, seed
 *  2), sub/deeper/, and sparse.bin (a hole, 4 KiB of seed 3 at 2 MiB). */
static bool image_make(vol_t *v, unsigned bsize, unsigned kib)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->path, sizeof(v->path), "/tmp/ext2_test_XXXXXX");
	snprintf(v->dir, sizeof(v->dir), "/tmp/ext2_tree_XXXXXX");
	v->fd = mkstemp(v->path);
	if (v->fd < 0 || mkdtemp(v->dir) == NULL)
		return false;
	close(v->fd);
	char sub[128];
	snprintf(sub, sizeof(sub), "%s/sub/deeper", v->dir);
	if (host_sh("mkdir -p %s%s", sub, "") != 0 ||
	    !host_file(v->dir, "big.bin", MIB, 1) ||
	    !host_file(v->dir, "sub/small.txt", 100, 2))
		return false;
	char sparse[128];
	snprintf(sparse, sizeof(sparse), "%s/sparse.bin", v->dir);
	uint8_t b[4096];
	host_pattern(b, sizeof(b), 3);
	int fd = open(sparse, O_WRONLY | O_CREAT, 0644);
	if (fd < 0 || pwrite(fd, b, sizeof(b), 2 * MIB) != (ssize_t) sizeof(b))
		return false;
	close(fd);
	char opts[128];
	snprintf(opts, sizeof(opts), "-q -F -t ext2 -b %u -d %s", bsize, v->dir);
	char size[128];
	snprintf(size, sizeof(size), "%s %uk", v->path, kib);
	if (host_sh("mke2fs %s %s >/dev/null 2>&1", opts, size) != 0)
		return false;
	v->fd = open(v->path, O_RDWR);
	return v->fd >= 0;
}

static errno_t vol_mount(vol_t *v, bool rdonly)
{
	off_t end = lseek(v->fd, 0, SEEK_END);
	return ext2_mount(
	    &file_ops, &v->fd, SS, (uint64_t) end / SS, rdonly, fixed_now, &v->fs);
}

static errno_t vol_unmount(vol_t *v)
{
	errno_t rc = ext2_unmount(v->fs);
	v->fs = NULL;
	return rc;
}

static void vol_drop(vol_t *v)
{
	if (v->fs != NULL)
		(void) vol_unmount(v);
	close(v->fd);
	unlink(v->path);
	(void) host_sh("rm -rf %s%s", v->dir, "");
}

static bool fsck_clean(vol_t *v)
{
	return host_sh("e2fsck -fn %s >/dev/null 2>&1%s", v->path, "") == 0;
}

/** Whether debugfs dumps @a path of the image as @a data. */
static bool debugfs_reads(vol_t *v, const char *path, const uint8_t *data, size_t len)
{
	char out[] = "/tmp/ext2_test_out_XXXXXX";
	int fd = mkstemp(out);
	if (fd < 0)
		return false;
	close(fd);
	char req[300];
	snprintf(req, sizeof(req), "dump \"%s\" %s", path, out);
	bool ok = host_sh("debugfs -R '%s' %s >/dev/null 2>&1", req, v->path) == 0;
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

static errno_t write_file(
    vol_t *v, const char *path, uint64_t pos, const uint8_t *data, size_t len)
{
	uint32_t ino;
	ext2_inode_t in;
	errno_t rc = ext2_lookup(v->fs, path, L_CREATE | L_FILE, &ino, &in);
	size_t done = 0;
	while (rc == EOK && done < len) {
		size_t step = len - done < 65536 ? len - done : 65536;
		size_t w;
		uint64_t size;
		rc = ext2_file_write(
		    v->fs, ino, pos + done, data + done, step, &w, &size);
		done += w;
		if (rc == EOK && w == 0)
			rc = ENOSPC;
	}
	return rc;
}

static errno_t read_file(
    vol_t *v, const char *path, uint8_t *buf, size_t max, size_t *len)
{
	uint32_t ino;
	ext2_inode_t in;
	errno_t rc = ext2_lookup(v->fs, path, L_FILE, &ino, &in);
	*len = 0;
	while (rc == EOK && *len < max) {
		size_t got;
		rc = ext2_file_read(v->fs, ino, *len, buf + *len, max - *len, &got);
		if (got == 0)
			break;
		*len += got;
	}
	return rc;
}

/** Whether @a path reads as @a len bytes of pattern @a seed. */
static bool reads_as(vol_t *v, const char *path, size_t len, unsigned seed)
{
	uint8_t *want = malloc(len + 1), *got = malloc(len + 1);
	size_t n = 0;
	bool ok = want != NULL && got != NULL &&
	    read_file(v, path, got, len + 1, &n) == EOK && n == len;
	if (ok) {
		host_pattern(want, len, seed);
		ok = memcmp(want, got, len) == 0;
	}
	free(want);
	free(got);
	return ok;
}

static void host_files_read_back(unsigned bsize)
{
	vol_t v;
	CHECK(image_make(&v, bsize, 8192));
	CHECK_EQ(vol_mount(&v, true), EOK);
	CHECK_EQ(v.fs->g.bsize, bsize);
	CHECK(reads_as(&v, "big.bin", MIB, 1));
	CHECK(reads_as(&v, "sub/small.txt", 100, 2));
	/* The hole reads as zeros, then the data. */
	uint8_t *buf = malloc(2 * MIB + 4096 + 1);
	CHECK(buf != NULL);
	size_t n;
	CHECK_EQ(read_file(&v, "sparse.bin", buf, 2 * MIB + 4096 + 1, &n), EOK);
	CHECK_EQ(n, 2 * MIB + 4096);
	bool zeros = true;
	for (size_t i = 0; i < 2 * MIB; i++)
		zeros = zeros && buf[i] == 0;
	CHECK(zeros);
	uint8_t want[4096];
	host_pattern(want, sizeof(want), 3);
	CHECK(memcmp(buf + 2 * MIB, want, sizeof(want)) == 0);
	free(buf);
	uint32_t ino;
	ext2_inode_t in;
	CHECK_EQ(ext2_lookup(v.fs, "sub/deeper", L_DIRECTORY, &ino, &in), EOK);
	CHECK_EQ(ext2_lookup(v.fs, "sub/small.txt/x", 0, &ino, &in), ENOTDIR);
	CHECK_EQ(ext2_lookup(v.fs, "sub/nothing", 0, &ino, &in), ENOENT);
	uint64_t count;
	CHECK_EQ(ext2_dir_count(v.fs, EXT2_ROOT_INO, &count), EOK);
	CHECK_EQ(count, 4); /* lost+found, big.bin, sub, sparse.bin */
	vol_drop(&v);
}

HOST_TEST(files_mke2fs_put_there_read_back_with_1k_blocks)
{
	host_files_read_back(1024);
}

HOST_TEST(files_mke2fs_put_there_read_back_with_4k_blocks)
{
	host_files_read_back(4096);
}

static const size_t sizes[] = {0, 1, 4095, 4096, 4097, MIB};

/** Writes, renames, deletes on a volume of @a bsize blocks, then checks
 *  it with e2fsck and debugfs. */
static void round_trip(unsigned bsize)
{
	vol_t v;
	CHECK(image_make(&v, bsize, 16384));
	CHECK_EQ(vol_mount(&v, false), EOK);
	uint8_t *data = malloc(MIB);
	CHECK(data != NULL);
	uint32_t ino;
	ext2_inode_t in;
	CHECK_EQ(ext2_lookup(v.fs, "dir one", L_CREATE | L_DIRECTORY, &ino, &in), EOK);
	CHECK_EQ(
	    ext2_lookup(v.fs, "dir one/Sub", L_CREATE | L_DIRECTORY, &ino, &in), EOK);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char path[64];
		snprintf(path, sizeof(path), "dir one/Sub/file:%zu?.bin", sizes[i]);
		host_pattern(data, sizes[i], (unsigned) i);
		CHECK_EQ(write_file(&v, path, 0, data, sizes[i]), EOK);
	}
	CHECK_EQ(write_file(&v, "gone.txt", 0, data, 5000), EOK);
	CHECK_EQ(write_file(&v, "oldname", 0, data, 10), EOK);
	CHECK_EQ(ext2_rename(v.fs, "oldname", "dir one/A new name"), EOK);
	CHECK_EQ(ext2_rename(v.fs, "dir one/Sub", "Moved Sub"), EOK);
	CHECK_EQ(ext2_unlink(v.fs, "gone.txt", 0), EOK);
	/* Replacing: a file by a file, an empty directory by a directory. */
	CHECK_EQ(write_file(&v, "victim", 0, data, 3000), EOK);
	CHECK_EQ(ext2_rename(v.fs, "big.bin", "victim"), EOK);
	CHECK_EQ(ext2_lookup(v.fs, "empty", L_CREATE | L_DIRECTORY, &ino, &in), EOK);
	CHECK_EQ(ext2_rename(v.fs, "sub/deeper", "empty"), EOK);
	CHECK_EQ(ext2_rename(v.fs, "sub", "Moved Sub"), ENOTEMPTY);
	CHECK_EQ(ext2_rename(v.fs, "sub/small.txt", "Moved Sub"), EISDIR);
	CHECK_EQ(ext2_unlink(v.fs, "dir one", VFS_UNLINK_DIR), ENOTEMPTY);
	CHECK_EQ(ext2_unlink(v.fs, "Moved Sub", VFS_UNLINK_DIR), ENOTEMPTY);
	CHECK_EQ(ext2_unlink(v.fs, "Moved Sub", 0), EISDIR);
	CHECK_EQ(ext2_unlink(v.fs, "victim", VFS_UNLINK_DIR), ENOTDIR);
	/* A sparse write: a hole of 3 MiB, then 10 bytes. */
	CHECK_EQ(write_file(&v, "holey", 3 * MIB, data, 10), EOK);
	/* Truncation, shorter then longer: the cut part reads as zeros. */
	host_pattern(data, MIB, 5);
	CHECK_EQ(write_file(&v, "cut", 0, data, 300000), EOK);
	CHECK_EQ(ext2_lookup(v.fs, "cut", 0, &ino, &in), EOK);
	CHECK_EQ(ext2_file_truncate(v.fs, ino, 1000), EOK);
	CHECK_EQ(ext2_file_truncate(v.fs, ino, 5000), EOK);
	CHECK_EQ(vol_unmount(&v), EOK);
	CHECK(fsck_clean(&v));
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char path[64];
		snprintf(path, sizeof(path), "/Moved Sub/file:%zu?.bin", sizes[i]);
		host_pattern(data, sizes[i], (unsigned) i);
		CHECK(debugfs_reads(&v, path, data, sizes[i]));
	}
	host_pattern(data, 10, 5); /* "oldname": the first bytes of the last pattern */
	CHECK(debugfs_reads(&v, "/dir one/A new name", data, 10));
	host_pattern(data, MIB, 1);
	CHECK(debugfs_reads(&v, "/victim", data, MIB));
	uint8_t *cut = calloc(1, 5000);
	CHECK(cut != NULL);
	host_pattern(cut, 1000, 5);
	CHECK(debugfs_reads(&v, "/cut", cut, 5000));
	free(cut);
	/* Mounted again: everything reads back. */
	CHECK_EQ(vol_mount(&v, false), EOK);
	CHECK(reads_as(&v, "Moved Sub/file:1048576?.bin", MIB, 5));
	CHECK(reads_as(&v, "victim", MIB, 1));
	CHECK_EQ(ext2_lookup(v.fs, "gone.txt", 0, &ino, &in), ENOENT);
	CHECK_EQ(ext2_lookup(v.fs, "big.bin", 0, &ino, &in), ENOENT);
	CHECK_EQ(ext2_lookup(v.fs, "empty", L_DIRECTORY, &ino, &in), EOK);
	CHECK_EQ(ext2_lookup(v.fs, "holey", 0, &ino, &in), EOK);
	CHECK_EQ(ext2_inode_size(&in), 3 * MIB + 10);
	CHECK(in.blocks <= 4 * (bsize / 512)); /* the hole took no blocks */
	free(data);
	vol_drop(&v);
}

HOST_TEST(round_trip_with_1k_blocks_is_clean_and_debugfs_reads_it)
{
	round_trip(1024);
}

HOST_TEST(round_trip_with_4k_blocks_is_clean_and_debugfs_reads_it)
{
	round_trip(4096);
}

HOST_TEST(many_entries_spread_over_blocks_and_go_again)
{
	vol_t v;
	CHECK(image_make(&v, 1024, 8192));
	CHECK_EQ(vol_mount(&v, false), EOK);
	uint32_t ino;
	ext2_inode_t in;
	CHECK_EQ(ext2_lookup(v.fs, "many", L_CREATE | L_DIRECTORY, &ino, &in), EOK);
	uint32_t dir = ino;
	for (int i = 0; i < 300; i++) {
		char path[64];
		snprintf(path, sizeof(path), "many/a rather long entry name %03d", i);
		CHECK_EQ(ext2_lookup(v.fs, path, L_CREATE | L_EXCL, &ino, &in), EOK);
	}
	for (int i = 0; i < 300; i += 2) {
		char path[64];
		snprintf(path, sizeof(path), "many/a rather long entry name %03d", i);
		CHECK_EQ(ext2_unlink(v.fs, path, 0), EOK);
	}
	uint64_t count, pos = 0, next;
	CHECK_EQ(ext2_dir_count(v.fs, dir, &count), EOK);
	CHECK_EQ(count, 150);
	char name[EXT2_NAME_MAX + 1];
	int seen = 0;
	while (ext2_readdir(v.fs, dir, pos, name, &next) == EOK) {
		seen++;
		pos = next;
	}
	CHECK_EQ(seen, 150);
	CHECK_EQ(ext2_lookup(v.fs, "many/a rather long entry name 001", L_CREATE | L_EXCL,
		     &ino, &in),
	    EEXIST);
	CHECK_EQ(vol_unmount(&v), EOK);
	CHECK(fsck_clean(&v));
	vol_drop(&v);
}

HOST_TEST(an_open_unlinked_file_keeps_its_data_until_closed)
{
	vol_t v;
	CHECK(image_make(&v, 1024, 8192));
	CHECK_EQ(vol_mount(&v, false), EOK);
	uint32_t ino;
	ext2_inode_t in;
	CHECK_EQ(ext2_lookup(v.fs, "big.bin", 0, &ino, &in), EOK);
	uint32_t free_before = v.fs->sb.free_blocks_count;
	CHECK_EQ(ext2_node_open(v.fs, ino), EOK);
	CHECK_EQ(ext2_unlink(v.fs, "big.bin", 0), EOK);
	uint8_t b[100], want[100];
	size_t got;
	CHECK_EQ(ext2_file_read(v.fs, ino, 0, b, sizeof(b), &got), EOK);
	host_pattern(want, sizeof(want), 1);
	CHECK(got == sizeof(b) && memcmp(b, want, sizeof(b)) == 0);
	CHECK_EQ(v.fs->sb.free_blocks_count, free_before);
	CHECK_EQ(ext2_node_close(v.fs, ino), EOK);
	CHECK(v.fs->sb.free_blocks_count > free_before + 1000);
	CHECK_EQ(ext2_file_read(v.fs, ino, 0, b, sizeof(b), &got), ENOENT);
	CHECK_EQ(ext2_node_close(v.fs, ino), EINVAL);
	CHECK_EQ(vol_unmount(&v), EOK);
	CHECK(fsck_clean(&v));
	vol_drop(&v);
}

HOST_TEST(a_full_volume_is_enospc_and_stays_clean)
{
	vol_t v;
	CHECK(image_make(&v, 1024, 4096));
	CHECK_EQ(vol_mount(&v, false), EOK);
	uint8_t *data = malloc(MIB);
	CHECK(data != NULL);
	host_pattern(data, MIB, 9);
	errno_t rc = EOK;
	for (int i = 0; rc == EOK && i < 8; i++) {
		char path[32];
		snprintf(path, sizeof(path), "fill%d", i);
		rc = write_file(&v, path, 0, data, MIB);
	}
	CHECK_EQ(rc, ENOSPC);
	CHECK_EQ(v.fs->sb.free_blocks_count, 0);
	uint32_t ino;
	ext2_inode_t in;
	CHECK_EQ(ext2_lookup(v.fs, "newdir", L_CREATE | L_DIRECTORY, &ino, &in), ENOSPC);
	CHECK_EQ(ext2_unlink(v.fs, "fill0", 0), EOK);
	CHECK_EQ(vol_unmount(&v), EOK);
	CHECK(fsck_clean(&v));
	free(data);
	vol_drop(&v);
}

HOST_TEST(a_read_only_volume_refuses_changes)
{
	vol_t v;
	CHECK(image_make(&v, 1024, 8192));
	CHECK_EQ(vol_mount(&v, true), EOK);
	uint32_t ino;
	ext2_inode_t in;
	CHECK_EQ(ext2_lookup(v.fs, "new", L_CREATE, &ino, &in), EROFS);
	CHECK_EQ(ext2_lookup(v.fs, "big.bin", 0, &ino, &in), EOK);
	size_t done;
	uint64_t size;
	CHECK_EQ(ext2_file_write(v.fs, ino, 0, "x", 1, &done, &size), EROFS);
	CHECK_EQ(ext2_file_truncate(v.fs, ino, 0), EROFS);
	CHECK_EQ(ext2_unlink(v.fs, "big.bin", 0), EROFS);
	CHECK_EQ(ext2_rename(v.fs, "big.bin", "b"), EROFS);
	vol_drop(&v);
}

/** Writes @a len bytes at byte @a off of the image. */
static bool poke(vol_t *v, uint64_t off, const void *b, size_t len)
{
	return pwrite(v->fd, b, len, (off_t) off) == (ssize_t) len;
}

HOST_TEST(a_damaged_superblock_or_descriptor_is_einval_at_mount)
{
	vol_t v;
	CHECK(image_make(&v, 1024, 8192));
	uint16_t bad = 0x1234;
	CHECK(poke(&v, 1024 + 56, &bad, sizeof(bad)));
	CHECK_EQ(vol_mount(&v, false), EINVAL);
	vol_drop(&v);
	CHECK(image_make(&v, 1024, 8192));
	uint32_t huge = 0x7fffffff; /* blocks_count past the device */
	CHECK(poke(&v, 1024 + 4, &huge, sizeof(huge)));
	CHECK_EQ(vol_mount(&v, false), EINVAL);
	vol_drop(&v);
	CHECK(image_make(&v, 1024, 8192));
	uint32_t off_disk = 9000000; /* group 0's block bitmap */
	CHECK(poke(&v, 2 * 1024, &off_disk, sizeof(off_disk)));
	CHECK_EQ(vol_mount(&v, false), EINVAL);
	vol_drop(&v);
	CHECK(image_make(&v, 1024, 8192));
	uint32_t extents = EXT2_INCOMPAT_FILETYPE | 0x40;
	CHECK(poke(&v, 1024 + 96, &extents, sizeof(extents)));
	CHECK_EQ(vol_mount(&v, false), ENOTSUP);
	vol_drop(&v);
}

/** The byte offset of inode @a ino's copy on the image. */
static uint64_t inode_off(vol_t *v, uint32_t ino)
{
	uint32_t n = (ino - 1) / v->fs->sb.inodes_per_group;
	uint64_t in_group = (uint64_t) ((ino - 1) % v->fs->sb.inodes_per_group) *
	    v->fs->g.isize;
	return (uint64_t) v->fs->gds[n].inode_table * v->fs->g.bsize + in_group;
}

HOST_TEST(a_block_pointer_off_the_disk_is_eio_for_that_file_only)
{
	vol_t v;
	CHECK(image_make(&v, 1024, 8192));
	CHECK_EQ(vol_mount(&v, true), EOK);
	uint32_t ino;
	ext2_inode_t in;
	CHECK_EQ(ext2_lookup(v.fs, "big.bin", 0, &ino, &in), EOK);
	uint64_t at = inode_off(&v, ino) + 40 + EXT2_IND * 4; /* the indirect block */
	CHECK_EQ(vol_unmount(&v), EOK);
	uint32_t off_disk = 50000000;
	CHECK(poke(&v, at, &off_disk, sizeof(off_disk)));
	CHECK_EQ(vol_mount(&v, false), EOK);
	uint8_t *buf = malloc(MIB);
	CHECK(buf != NULL);
	size_t n;
	/* The direct blocks read; past them EIO, and nothing is freed. */
	CHECK_EQ(read_file(&v, "big.bin", buf, MIB, &n), EIO);
	CHECK_EQ(n, 12 * 1024);
	CHECK_EQ(ext2_lookup(v.fs, "big.bin", 0, &ino, &in), EOK);
	size_t done;
	uint64_t size;
	CHECK_EQ(ext2_file_write(v.fs, ino, 100000, "x", 1, &done, &size), EIO);
	CHECK_EQ(ext2_unlink(v.fs, "big.bin", 0), EIO);
	CHECK(reads_as(&v, "sub/small.txt", 100, 2));
	free(buf);
	vol_drop(&v);
}

HOST_TEST(a_directory_entry_with_a_bad_rec_len_is_eio_for_that_directory)
{
	vol_t v;
	CHECK(image_make(&v, 1024, 8192));
	CHECK_EQ(vol_mount(&v, true), EOK);
	uint32_t ino;
	ext2_inode_t in;
	CHECK_EQ(ext2_lookup(v.fs, "sub", 0, &ino, &in), EOK);
	uint64_t blk = (uint64_t) in.block[0] * 1024;
	CHECK_EQ(vol_unmount(&v), EOK);
	uint16_t bad = 7; /* the ".." entry's rec_len */
	CHECK(poke(&v, blk + 12 + 4, &bad, sizeof(bad)));
	CHECK_EQ(vol_mount(&v, false), EOK);
	CHECK_EQ(ext2_lookup(v.fs, "sub/small.txt", 0, &ino, &in), EIO);
	CHECK_EQ(ext2_lookup(v.fs, "sub/new", L_CREATE, &ino, &in), EIO);
	char name[EXT2_NAME_MAX + 1];
	uint64_t next;
	CHECK_EQ(ext2_lookup(v.fs, "sub", 0, &ino, &in), EOK);
	CHECK_EQ(ext2_readdir(v.fs, ino, 0, name, &next), EIO);
	CHECK(reads_as(&v, "big.bin", MIB, 1));
	/* Node numbers the VFS did not get from a lookup. */
	vfs_stat_t st;
	CHECK_EQ(ext2_node_stat(v.fs, 0, &st), ENOENT);
	CHECK_EQ(ext2_node_stat(v.fs, 1ull << 40, &st), ENOENT);
	CHECK_EQ(ext2_node_stat(v.fs, v.fs->sb.inodes_count, &st), ENOENT);
	vol_drop(&v);
}

#endif
