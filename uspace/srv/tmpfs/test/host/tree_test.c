/*
 * tmpfs's node tree and file data (tree.c, file.c): lookup and creation,
 * unlink, rename, readdir, open nodes, truncate, large files, size limits.
 */
#if __STDC_HOSTED__ /* not built into the server: see host.mk */
#include "host_test.h"
#include "tmpfs.h"
#include <stdlib.h>
#include <string.h>

static uint64_t fake_now;

static uint64_t fake_clock(void)
{
	return ++fake_now;
}

static tmpfs_fs_t *fs_new(uint64_t limit)
{
	tmpfs_fs_t *fs = NULL;
	if (tmpfs_fs_create(limit, fake_clock, &fs) != EOK)
		return NULL;
	return fs;
}

/** Looks @a path up with @a lflags; NULL on error. */
static tmpfs_node_t *get(tmpfs_fs_t *fs, const char *path, unsigned lflags)
{
	tmpfs_node_t *n = NULL;
	return tmpfs_lookup(fs, path, lflags, &n) == EOK ? n : NULL;
}

static errno_t lookup_rc(tmpfs_fs_t *fs, const char *path, unsigned lflags)
{
	tmpfs_node_t *n;
	return tmpfs_lookup(fs, path, lflags, &n);
}

static errno_t put(tmpfs_fs_t *fs, tmpfs_node_t *n, uint64_t pos, const char *s)
{
	size_t done;
	errno_t rc = tmpfs_file_write(fs, n, pos, s, strlen(s), &done);
	return rc == EOK && done != strlen(s) ? ENOSPC : rc;
}

HOST_TEST(root_is_an_empty_directory)
{
	tmpfs_fs_t *fs = fs_new(TMPFS_NO_LIMIT);
	CHECK(fs != NULL);
	tmpfs_node_t *root = get(fs, "", 0);
	CHECK(root != NULL && root == fs->root);
	CHECK_EQ(root->type, VFS_NODE_DIR);
	CHECK_EQ(tmpfs_node_size(root), 0);
	CHECK_EQ(lookup_rc(fs, "", L_FILE), EISDIR);
	CHECK_EQ(lookup_rc(fs, "", L_CREATE | L_EXCL), EEXIST);
	CHECK_EQ(lookup_rc(fs, "", L_DIRECTORY), EOK);
	tmpfs_fs_destroy(fs);
}

HOST_TEST(lookup_creates_and_finds_files_and_directories)
{
	tmpfs_fs_t *fs = fs_new(TMPFS_NO_LIMIT);
	tmpfs_node_t *dir = get(fs, "app", L_CREATE | L_DIRECTORY);
	CHECK(dir != NULL && dir->type == VFS_NODE_DIR);
	tmpfs_node_t *f = get(fs, "app/hello", L_CREATE);
	CHECK(f != NULL && f->type == VFS_NODE_FILE);
	CHECK(get(fs, "app/hello", 0) == f);
	CHECK(get(fs, "app", L_DIRECTORY) == dir);
	CHECK(f->index != dir->index);
	CHECK_EQ(tmpfs_node_size(dir), 1);
	CHECK_EQ(f->links, 1);
	tmpfs_fs_destroy(fs);
}

HOST_TEST(lookup_reports_path_errors)
{
	tmpfs_fs_t *fs = fs_new(TMPFS_NO_LIMIT);
	CHECK(get(fs, "d", L_CREATE | L_DIRECTORY) != NULL);
	CHECK(get(fs, "d/f", L_CREATE | L_FILE) != NULL);
	CHECK_EQ(lookup_rc(fs, "missing", 0), ENOENT);
	CHECK_EQ(lookup_rc(fs, "missing/x", L_CREATE), ENOENT);
	CHECK_EQ(lookup_rc(fs, "d/f/x", 0), ENOTDIR);
	CHECK_EQ(lookup_rc(fs, "d/f", L_DIRECTORY), ENOTDIR);
	CHECK_EQ(lookup_rc(fs, "d", L_FILE), EISDIR);
	CHECK_EQ(lookup_rc(fs, "d/f", L_CREATE | L_EXCL), EEXIST);
	CHECK_EQ(lookup_rc(fs, "d/f", L_CREATE), EOK);
	CHECK_EQ(lookup_rc(fs, "d//f", 0), EINVAL);
	CHECK_EQ(lookup_rc(fs, "/d", 0), EINVAL);
	CHECK_EQ(lookup_rc(fs, "d/", 0), EINVAL);
	CHECK_EQ(lookup_rc(fs, "d/..", 0), EINVAL);
	CHECK_EQ(lookup_rc(fs, ".", L_CREATE), EINVAL);
	char name[VFS_NAME_MAX + 2];
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	CHECK_EQ(lookup_rc(fs, name, L_CREATE), ENAMETOOLONG);
	name[VFS_NAME_MAX] = '\0';
	CHECK_EQ(lookup_rc(fs, name, L_CREATE), EOK);
	tmpfs_fs_destroy(fs);
}

HOST_TEST(unlink_follows_unlink_and_rmdir_rules)
{
	tmpfs_fs_t *fs = fs_new(TMPFS_NO_LIMIT);
	uint64_t nodes = fs->node_count;
	CHECK(get(fs, "d", L_CREATE | L_DIRECTORY) != NULL);
	CHECK(get(fs, "d/f", L_CREATE) != NULL);
	CHECK_EQ(tmpfs_unlink(fs, "d", 0), EISDIR);
	CHECK_EQ(tmpfs_unlink(fs, "d/f", VFS_UNLINK_DIR), ENOTDIR);
	CHECK_EQ(tmpfs_unlink(fs, "d", VFS_UNLINK_DIR), ENOTEMPTY);
	CHECK_EQ(tmpfs_unlink(fs, "d/nope", 0), ENOENT);
	CHECK_EQ(tmpfs_unlink(fs, "", VFS_UNLINK_DIR), EBUSY);
	CHECK_EQ(tmpfs_unlink(fs, "d/f", 0), EOK);
	CHECK_EQ(lookup_rc(fs, "d/f", 0), ENOENT);
	CHECK_EQ(tmpfs_unlink(fs, "d", VFS_UNLINK_DIR), EOK);
	CHECK_EQ(fs->node_count, nodes);
	tmpfs_fs_destroy(fs);
}

HOST_TEST(unlinked_open_file_stays_readable_until_last_close)
{
	tmpfs_fs_t *fs = fs_new(TMPFS_NO_LIMIT);
	tmpfs_node_t *f = get(fs, "f", L_CREATE);
	CHECK_EQ(put(fs, f, 0, "data"), EOK);
	uint64_t index = f->index;
	CHECK_EQ(tmpfs_node_open(f), EOK);
	CHECK_EQ(tmpfs_node_open(f), EOK);
	CHECK_EQ(tmpfs_unlink(fs, "f", 0), EOK);
	CHECK(tmpfs_node_find(fs, index) == f);
	char buf[8];
	size_t got;
	CHECK_EQ(tmpfs_file_read(f, 0, buf, sizeof(buf), &got), EOK);
	CHECK_EQ(got, 4);
	CHECK(memcmp(buf, "data", 4) == 0);
	tmpfs_node_close(fs, f);
	CHECK(tmpfs_node_find(fs, index) == f);
	tmpfs_node_close(fs, f);
	CHECK(tmpfs_node_find(fs, index) == NULL);
	CHECK_EQ(fs->bytes_used, 0);
	/* A new node never takes the old index. */
	tmpfs_node_t *g = get(fs, "f", L_CREATE);
	CHECK(g != NULL && g->index > index);
	tmpfs_fs_destroy(fs);
}

HOST_TEST(readdir_lists_every_entry_once_by_position)
{
	tmpfs_fs_t *fs = fs_new(TMPFS_NO_LIMIT);
	static const char *const names[] = {"a", "bb", "ccc", "dddd", "e"};
	for (size_t i = 0; i < 5; i++)
		CHECK(get(fs, names[i], L_CREATE) != NULL);
	CHECK_EQ(tmpfs_unlink(fs, "bb", 0), EOK);
	unsigned seen = 0;
	const char *name;
	uint64_t pos = 0;
	while (tmpfs_dir_entry(fs->root, pos, &name) == EOK) {
		for (size_t i = 0; i < 5; i++) {
			if (strcmp(name, names[i]) == 0)
				seen |= 1u << i;
		}
		pos++;
	}
	CHECK_EQ(pos, 4);
	CHECK_EQ(seen, 0x1d);
	CHECK_EQ(tmpfs_dir_entry(fs->root, 4, &name), ENOENT);
	CHECK_EQ(tmpfs_dir_entry(fs->root, UINT64_MAX, &name), ENOENT);
	tmpfs_node_t *f = get(fs, "a", 0);
	CHECK_EQ(tmpfs_dir_entry(f, 0, &name), ENOTDIR);
	tmpfs_fs_destroy(fs);
}

HOST_TEST(rename_moves_and_replaces)
{
	tmpfs_fs_t *fs = fs_new(TMPFS_NO_LIMIT);
	tmpfs_node_t *f = get(fs, "f", L_CREATE);
	tmpfs_node_t *g = get(fs, "g", L_CREATE);
	CHECK(get(fs, "d", L_CREATE | L_DIRECTORY) != NULL);
	CHECK_EQ(tmpfs_rename(fs, "f", "d/f2"), EOK);
	CHECK(get(fs, "d/f2", 0) == f);
	CHECK_EQ(lookup_rc(fs, "f", 0), ENOENT);
	uint64_t g_index = g->index;
	CHECK_EQ(tmpfs_rename(fs, "d/f2", "g"), EOK); /* replaces g */
	CHECK(get(fs, "g", 0) == f);
	CHECK(tmpfs_node_find(fs, g_index) == NULL);
	CHECK_EQ(tmpfs_rename(fs, "g", "g"), EOK);
	CHECK_EQ(tmpfs_rename(fs, "nope", "x"), ENOENT);
	CHECK_EQ(tmpfs_rename(fs, "g", "nope/x"), ENOENT);
	CHECK_EQ(tmpfs_rename(fs, "", "x"), EBUSY);
	CHECK_EQ(f->links, 1);
	tmpfs_fs_destroy(fs);
}

HOST_TEST(rename_of_directories_keeps_the_tree_a_tree)
{
	tmpfs_fs_t *fs = fs_new(TMPFS_NO_LIMIT);
	CHECK(get(fs, "a/", 0) == NULL);
	CHECK(get(fs, "a", L_CREATE | L_DIRECTORY) != NULL);
	CHECK(get(fs, "a/b", L_CREATE | L_DIRECTORY) != NULL);
	CHECK(get(fs, "e", L_CREATE | L_DIRECTORY) != NULL);
	CHECK(get(fs, "full", L_CREATE | L_DIRECTORY) != NULL);
	CHECK(get(fs, "full/x", L_CREATE) != NULL);
	CHECK(get(fs, "file", L_CREATE) != NULL);
	CHECK_EQ(tmpfs_rename(fs, "a", "a/b/c"), EINVAL);
	CHECK_EQ(tmpfs_rename(fs, "a", "a/c"), EINVAL);
	CHECK_EQ(tmpfs_rename(fs, "a", "full"), ENOTEMPTY);
	CHECK_EQ(tmpfs_rename(fs, "a", "file"), ENOTDIR);
	CHECK_EQ(tmpfs_rename(fs, "file", "e"), EISDIR);
	CHECK_EQ(tmpfs_rename(fs, "a", "e"), EOK); /* replaces the empty e */
	CHECK(get(fs, "e/b", L_DIRECTORY) != NULL);
	CHECK_EQ(tmpfs_rename(fs, "e/b", "b"), EOK);
	/* b's parent is the root now: moving e below b is fine. */
	CHECK_EQ(tmpfs_rename(fs, "e", "b/e"), EOK);
	CHECK_EQ(tmpfs_rename(fs, "b", "b/e/x"), EINVAL);
	CHECK(get(fs, "b/e", L_DIRECTORY) != NULL);
	tmpfs_fs_destroy(fs);
}

HOST_TEST(write_past_the_end_zero_fills_and_read_stops_at_the_end)
{
	tmpfs_fs_t *fs = fs_new(TMPFS_NO_LIMIT);
	tmpfs_node_t *f = get(fs, "f", L_CREATE);
	CHECK_EQ(put(fs, f, 10000, "xyz"), EOK);
	CHECK_EQ(f->size, 10003);
	uint8_t buf[20000];
	size_t got;
	CHECK_EQ(tmpfs_file_read(f, 0, buf, sizeof(buf), &got), EOK);
	CHECK_EQ(got, 10003);
	for (size_t i = 0; i < 10000; i++) {
		if (buf[i] != 0)
			CHECK_EQ(buf[i], 0);
	}
	CHECK(memcmp(buf + 10000, "xyz", 3) == 0);
	CHECK_EQ(tmpfs_file_read(f, 10003, buf, 10, &got), EOK);
	CHECK_EQ(got, 0);
	CHECK_EQ(tmpfs_file_read(f, UINT64_MAX, buf, 10, &got), EOK);
	CHECK_EQ(got, 0);
	CHECK_EQ(tmpfs_file_read(fs->root, 0, buf, 10, &got), EISDIR);
	CHECK_EQ(put(fs, fs->root, 0, "x"), EISDIR);
	tmpfs_fs_destroy(fs);
}

HOST_TEST(truncate_shrinks_then_grows_with_zeros)
{
	tmpfs_fs_t *fs = fs_new(TMPFS_NO_LIMIT);
	tmpfs_node_t *f = get(fs, "f", L_CREATE);
	CHECK_EQ(put(fs, f, 0, "0123456789"), EOK);
	CHECK_EQ(tmpfs_file_truncate(fs, f, 4), EOK);
	CHECK_EQ(tmpfs_file_truncate(fs, f, 8), EOK);
	char buf[16];
	size_t got;
	CHECK_EQ(tmpfs_file_read(f, 0, buf, sizeof(buf), &got), EOK);
	CHECK_EQ(got, 8);
	CHECK(memcmp(buf, "0123\0\0\0\0", 8) == 0);
	CHECK_EQ(tmpfs_file_truncate(fs, f, 0), EOK);
	CHECK_EQ(fs->bytes_used, 0);
	CHECK_EQ(tmpfs_file_truncate(fs, f, TMPFS_FILE_MAX + 1), ELIMIT);
	CHECK_EQ(tmpfs_file_truncate(fs, fs->root, 0), EISDIR);
	tmpfs_fs_destroy(fs);
}

HOST_TEST(sixteen_mib_file_reads_back)
{
	tmpfs_fs_t *fs = fs_new(TMPFS_NO_LIMIT);
	tmpfs_node_t *f = get(fs, "big", L_CREATE);
	enum { STEP = 65536, TOTAL = 16 << 20 };
	uint8_t *buf = malloc(STEP);
	CHECK(buf != NULL);
	for (uint64_t pos = 0; pos < TOTAL; pos += STEP) {
		for (size_t i = 0; i < STEP; i++)
			buf[i] = (uint8_t) ((pos + i) * 7 / 5);
		size_t done;
		CHECK_EQ(tmpfs_file_write(fs, f, pos, buf, STEP, &done), EOK);
		CHECK_EQ(done, STEP);
	}
	CHECK_EQ(f->size, TOTAL);
	bool same = true;
	for (uint64_t pos = 1; pos < TOTAL; pos += STEP) {
		size_t got;
		CHECK_EQ(tmpfs_file_read(f, pos, buf, STEP, &got), EOK);
		CHECK_EQ(got, pos + STEP > TOTAL ? TOTAL - pos : STEP);
		for (size_t i = 0; i < got; i++)
			same = same && buf[i] == (uint8_t) ((pos + i) * 7 / 5);
	}
	CHECK(same);
	free(buf);
	tmpfs_fs_destroy(fs); /* ASan reports any leak */
}

HOST_TEST(size_limit_gives_short_writes_then_enospc)
{
	tmpfs_fs_t *fs = fs_new(10);
	tmpfs_node_t *f = get(fs, "f", L_CREATE);
	tmpfs_node_t *g = get(fs, "g", L_CREATE);
	size_t done;
	CHECK_EQ(tmpfs_file_write(fs, f, 0, "abcdef", 6, &done), EOK);
	CHECK_EQ(done, 6);
	CHECK_EQ(tmpfs_file_write(fs, g, 0, "123456", 6, &done), EOK);
	CHECK_EQ(done, 4); /* short: 10 bytes in all */
	CHECK_EQ(tmpfs_file_write(fs, g, 4, "x", 1, &done), ENOSPC);
	CHECK_EQ(tmpfs_file_write(fs, f, 0, "ABC", 3, &done), EOK); /* no growth */
	CHECK_EQ(tmpfs_file_truncate(fs, f, 7), ENOSPC);
	CHECK_EQ(tmpfs_file_write(fs, f, 100, "x", 1, &done), ENOSPC);
	vfs_statfs_t st;
	tmpfs_fs_statfs(fs, &st);
	CHECK(strcmp(st.fs_type, "tmpfs") == 0);
	CHECK_EQ(st.files, 3);
	CHECK_EQ(tmpfs_unlink(fs, "f", 0), EOK);
	CHECK_EQ(fs->bytes_used, 4);
	CHECK_EQ(tmpfs_file_truncate(fs, g, 10), EOK);
	tmpfs_fs_destroy(fs);
}

HOST_TEST(statfs_and_stat_report_limits_and_nodes)
{
	tmpfs_fs_t *fs = fs_new(1 << 20);
	tmpfs_node_t *f = get(fs, "f", L_CREATE);
	size_t done;
	uint8_t block[TMPFS_BLOCK_SIZE] = {0};
	CHECK_EQ(tmpfs_file_write(fs, f, 0, block, sizeof(block), &done), EOK);
	vfs_statfs_t st;
	tmpfs_fs_statfs(fs, &st);
	CHECK_EQ(st.block_size, 4096);
	CHECK_EQ(st.total_blocks, 256);
	CHECK_EQ(st.free_blocks, 255);
	vfs_stat_t s;
	tmpfs_node_stat(f, &s);
	CHECK_EQ(s.index, f->index);
	CHECK_EQ(s.size, 4096);
	CHECK_EQ(s.type, VFS_NODE_FILE);
	CHECK_EQ(s.links, 1);
	CHECK(s.mtime_ns != 0);
	tmpfs_fs_destroy(fs);
}

HOST_TEST(huge_offsets_are_refused)
{
	tmpfs_fs_t *fs = fs_new(TMPFS_NO_LIMIT);
	tmpfs_node_t *f = get(fs, "f", L_CREATE);
	size_t done;
	CHECK_EQ(tmpfs_file_write(fs, f, UINT64_MAX, "x", 1, &done), ELIMIT);
	CHECK_EQ(tmpfs_file_write(fs, f, TMPFS_FILE_MAX - 1, "xy", 2, &done), ELIMIT);
	CHECK_EQ(tmpfs_file_write(fs, f, 5, "", 0, &done), EOK);
	CHECK_EQ(f->size, 0);
	tmpfs_fs_destroy(fs);
}

HOST_TEST(destroy_frees_open_and_nested_nodes)
{
	tmpfs_fs_t *fs = fs_new(TMPFS_NO_LIMIT);
	char path[64];
	for (int i = 0; i < 300; i++) {
		snprintf(path, sizeof(path), "d%d", i % 7);
		CHECK(get(fs, path, L_CREATE | L_DIRECTORY) != NULL);
		snprintf(path, sizeof(path), "d%d/f%d", i % 7, i);
		tmpfs_node_t *f = get(fs, path, L_CREATE | L_EXCL);
		CHECK(f != NULL);
		CHECK_EQ(put(fs, f, (uint64_t) i * 100, "x"), EOK);
		if (i % 3 == 0)
			CHECK_EQ(tmpfs_node_open(f), EOK);
	}
	CHECK_EQ(fs->node_count, 308);
	tmpfs_fs_destroy(fs); /* ASan reports any leak */
}
#endif
