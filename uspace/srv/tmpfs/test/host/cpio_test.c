/*
 * The cpio newc reader and archive filling (cpio.c, archive.c): archives
 * built here, valid ones and truncated or malformed ones.
 */
#if __STDC_HOSTED__ /* not built into the server: see host.mk */
#include "host_test.h"
#include "archive.h"
#include "cpio.h"
#include <stdlib.h>
#include <string.h>

/** An archive under construction. */
typedef struct {
	char buf[8192];
	size_t len;
} arc_t;

static void arc_pad(arc_t *a)
{
	while (a->len % 4 != 0)
		a->buf[a->len++] = '\0';
}

/** Appends a member named @a name with @a mode and @a data. */
static void arc_add(arc_t *a, const char *name, uint32_t mode, const char *data)
{
	size_t size = data != NULL ? strlen(data) : 0;
	a->len += (size_t) sprintf(a->buf + a->len,
	    "070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x", 1u, mode, 0u,
	    0u, 1u, 0u, size, 0u, 0u, 0u, 0u, strlen(name) + 1, 0u);
	memcpy(a->buf + a->len, name, strlen(name) + 1);
	a->len += strlen(name) + 1;
	arc_pad(a);
	if (size > 0)
		memcpy(a->buf + a->len, data, size);
	a->len += size;
	arc_pad(a);
}

static void arc_end(arc_t *a)
{
	arc_add(a, "TRAILER!!!", 0, NULL);
}

/** The sample archive: a root entry, a directory, files, a symlink. */
static void arc_sample(arc_t *a)
{
	a->len = 0;
	arc_add(a, ".", CPIO_MODE_DIR | 0755, NULL);
	arc_add(a, "./app", CPIO_MODE_DIR | 0755, NULL);
	arc_add(a, "./app/hello", CPIO_MODE_FILE | 0755, "hello, world\n");
	arc_add(a, "cfg/init.conf", CPIO_MODE_FILE | 0644, "x");
	arc_add(a, "empty", CPIO_MODE_FILE | 0644, NULL);
	arc_add(a, "./link", 0120000 | 0777, "app/hello");
	arc_end(a);
}

static unsigned counted;

static errno_t count_entry(const cpio_entry_t *e, void *arg)
{
	counted++;
	return EOK;
}

static errno_t fill(const arc_t *a, size_t len, tmpfs_fs_t **fs)
{
	if (tmpfs_fs_create(TMPFS_NO_LIMIT, NULL, fs) != EOK)
		return ENOMEM;
	errno_t rc = tmpfs_archive_fill(*fs, a->buf, len);
	return rc;
}

HOST_TEST(valid_archive_fills_files_and_directories)
{
	static arc_t a;
	arc_sample(&a);
	tmpfs_fs_t *fs;
	CHECK_EQ(fill(&a, a.len, &fs), EOK);
	tmpfs_node_t *n;
	CHECK_EQ(tmpfs_lookup(fs, "app", L_DIRECTORY, &n), EOK);
	CHECK_EQ(tmpfs_lookup(fs, "app/hello", L_FILE, &n), EOK);
	char buf[32];
	size_t got;
	CHECK_EQ(tmpfs_file_read(n, 0, buf, sizeof(buf), &got), EOK);
	CHECK_EQ(got, 13);
	CHECK(memcmp(buf, "hello, world\n", 13) == 0);
	CHECK_EQ(tmpfs_lookup(fs, "cfg", L_DIRECTORY, &n), EOK); /* made as a parent */
	CHECK_EQ(tmpfs_lookup(fs, "cfg/init.conf", L_FILE, &n), EOK);
	CHECK_EQ(n->size, 1);
	CHECK_EQ(tmpfs_lookup(fs, "empty", L_FILE, &n), EOK);
	CHECK_EQ(n->size, 0);
	CHECK_EQ(tmpfs_lookup(fs, "link", 0, &n), ENOENT); /* skipped */
	CHECK_EQ(fs->node_count, 6);
	tmpfs_fs_destroy(fs);
}

HOST_TEST(parser_passes_every_member_before_the_trailer)
{
	static arc_t a;
	arc_sample(&a);
	counted = 0;
	CHECK_EQ(cpio_parse(a.buf, a.len, count_entry, NULL), EOK);
	CHECK_EQ(counted, 6);
	/* Bytes after the trailer are not looked at. */
	memcpy(a.buf + a.len, "junk", 4);
	counted = 0;
	CHECK_EQ(cpio_parse(a.buf, a.len + 4, count_entry, NULL), EOK);
	CHECK_EQ(counted, 6);
}

HOST_TEST(every_truncation_is_einval)
{
	static arc_t a;
	arc_sample(&a);
	/* Cut anywhere before the trailer's name ends. */
	size_t trailer_end = a.len - 4;
	while (trailer_end > 0 && a.buf[trailer_end - 1] != '!')
		trailer_end--;
	for (size_t len = 0; len < trailer_end; len++) {
		tmpfs_fs_t *fs;
		errno_t rc = fill(&a, len, &fs);
		if (rc != EINVAL)
			printf("  length %zu: %d\n", len, rc);
		tmpfs_fs_destroy(fs);
		CHECK_EQ(rc, EINVAL);
	}
}

HOST_TEST(malformed_headers_are_einval)
{
	static arc_t a;
	static const struct {
		size_t off;
		char c;
	} breaks[] = {
	    {0, '1'},		   /* magic */
	    {5, '2'},		   /* magic (070702: crc format) */
	    {14, 'g'},		   /* mode: not hex */
	    {6 + 6 * 8, 'z'},	   /* filesize */
	    {6 + 6 * 8, 'f'},	   /* filesize: past the end */
	    {6 + 11 * 8, 'f'},	   /* namesize: past the end */
	    {6 + 11 * 8 + 7, '0'}, /* namesize 0x10: no NUL at its end */
	};
	for (size_t i = 0; i < sizeof(breaks) / sizeof(breaks[0]); i++) {
		a.len = 0;
		arc_add(&a, "./a", CPIO_MODE_FILE | 0644, "data");
		arc_end(&a);
		a.buf[breaks[i].off] = breaks[i].c;
		counted = 0;
		errno_t rc = cpio_parse(a.buf, a.len, count_entry, NULL);
		if (rc != EINVAL)
			printf("  break %zu: %d\n", i, rc);
		CHECK_EQ(rc, EINVAL);
	}
}

HOST_TEST(bad_paths_in_an_archive_are_einval)
{
	static const char *const bad[] = {"a//b", "../x", "a/../b", ""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		static arc_t a;
		a.len = 0;
		arc_add(&a, bad[i], CPIO_MODE_FILE | 0644, "x");
		arc_end(&a);
		tmpfs_fs_t *fs;
		errno_t rc = fill(&a, a.len, &fs);
		tmpfs_fs_destroy(fs);
		if (rc != EINVAL)
			printf("  \"%s\": %d\n", bad[i], rc);
		CHECK_EQ(rc, EINVAL);
	}
}

HOST_TEST(file_in_place_of_a_directory_is_einval)
{
	static arc_t a;
	a.len = 0;
	arc_add(&a, "a", CPIO_MODE_FILE | 0644, "x");
	arc_add(&a, "a/b", CPIO_MODE_FILE | 0644, "y");
	arc_end(&a);
	tmpfs_fs_t *fs;
	CHECK_EQ(fill(&a, a.len, &fs), EINVAL);
	tmpfs_fs_destroy(fs);
}

HOST_TEST(archive_larger_than_the_size_limit_is_enospc)
{
	static arc_t a;
	a.len = 0;
	arc_add(&a, "f", CPIO_MODE_FILE | 0644, "0123456789");
	arc_end(&a);
	tmpfs_fs_t *fs;
	CHECK_EQ(tmpfs_fs_create(5, NULL, &fs), EOK);
	CHECK_EQ(tmpfs_archive_fill(fs, a.buf, a.len), ENOSPC);
	tmpfs_fs_destroy(fs);
}
static unsigned backing_frees;

static void backing_free_counted(void *backing)
{
	backing_frees++;
	free(backing);
}

/** The sample archive in a heap block of its own size (AddressSanitizer
 *  sees a read past it; *@a buf), filled in place into *@a fs; its copy
 *  in *@a a. */
static errno_t fill_in_place(arc_t *a, tmpfs_fs_t **fs, uint8_t **buf)
{
	arc_sample(a);
	*buf = malloc(a->len);
	if (*buf == NULL || tmpfs_fs_create(TMPFS_NO_LIMIT, NULL, fs) != EOK) {
		free(*buf);
		return ENOMEM;
	}
	memcpy(*buf, a->buf, a->len);
	tmpfs_fs_backing_set(*fs, *buf, backing_free_counted);
	return tmpfs_archive_fill_in_place(*fs, *buf, a->len);
}

HOST_TEST(in_place_files_read_the_archive_and_free_it_with_the_fs)
{
	static arc_t a;
	tmpfs_fs_t *fs;
	uint8_t *buf;
	CHECK_EQ(fill_in_place(&a, &fs, &buf), EOK);
	tmpfs_node_t *n;
	CHECK_EQ(tmpfs_lookup(fs, "app/hello", L_FILE, &n), EOK);
	/* Not copied: the file's one chunk is the archive's bytes. */
	CHECK(n->borrowed);
	CHECK(n->chunks[0] >= buf && n->chunks[0] < buf + a.len);
	char out[32];
	size_t got;
	CHECK_EQ(tmpfs_file_read(n, 0, out, sizeof(out), &got), EOK);
	CHECK_EQ(got, 13);
	CHECK(memcmp(out, "hello, world\n", 13) == 0);
	CHECK_EQ(tmpfs_lookup(fs, "empty", L_FILE, &n), EOK);
	CHECK_EQ(n->size, 0);
	CHECK_EQ(fs->node_count, 6);
	backing_frees = 0;
	tmpfs_fs_destroy(fs);
	CHECK_EQ(backing_frees, 1);
}

HOST_TEST(changing_a_borrowed_file_copies_it_and_leaves_the_archive_alone)
{
	static arc_t a;
	tmpfs_fs_t *fs;
	uint8_t *buf;
	CHECK_EQ(fill_in_place(&a, &fs, &buf), EOK);
	tmpfs_node_t *n;
	CHECK_EQ(tmpfs_lookup(fs, "app/hello", L_FILE, &n), EOK);
	size_t done;
	CHECK_EQ(tmpfs_file_write(fs, n, 0, "J", 1, &done), EOK);
	CHECK(!n->borrowed);
	CHECK(memcmp(buf, a.buf, a.len) == 0);
	/* Grown: the new bytes are zeros, not the next member's header. */
	CHECK_EQ(tmpfs_file_truncate(fs, n, 20), EOK);
	char out[32];
	size_t got;
	CHECK_EQ(tmpfs_file_read(n, 0, out, sizeof(out), &got), EOK);
	CHECK_EQ(got, 20);
	CHECK(memcmp(out, "Jello, world\n\0\0\0\0\0\0\0", 20) == 0);
	/* Shrunk and grown again, borrowed: zeros too. */
	CHECK_EQ(tmpfs_lookup(fs, "cfg/init.conf", L_FILE, &n), EOK);
	CHECK(n->borrowed);
	CHECK_EQ(tmpfs_file_truncate(fs, n, 0), EOK);
	CHECK(!n->borrowed);
	CHECK_EQ(tmpfs_file_truncate(fs, n, 3), EOK);
	CHECK_EQ(tmpfs_file_read(n, 0, out, sizeof(out), &got), EOK);
	CHECK(got == 3 && memcmp(out, "\0\0\0", 3) == 0);
	CHECK(memcmp(buf, a.buf, a.len) == 0);
	tmpfs_fs_destroy(fs);
}

HOST_TEST(a_borrowed_file_unlinked_frees_no_chunk_of_the_archive)
{
	static arc_t a;
	tmpfs_fs_t *fs;
	uint8_t *buf;
	CHECK_EQ(fill_in_place(&a, &fs, &buf), EOK);
	CHECK_EQ(tmpfs_unlink(fs, "app/hello", 0), EOK);
	tmpfs_node_t *n;
	CHECK_EQ(tmpfs_lookup(fs, "app/hello", L_FILE, &n), ENOENT);
	backing_frees = 0;
	tmpfs_fs_destroy(fs); /* AddressSanitizer: no free inside the archive */
	CHECK_EQ(backing_frees, 1);
}

/** A file's pages are shared (tmpfs_file_pages) only while it borrows
 *  page-aligned bytes of a shareable backing: a misaligned file, a backing
 *  that is not read-only for good, a changed file and bad sizes are
 *  refused. */
HOST_TEST(a_file_shares_its_pages_only_aligned_borrowed_and_shareable)
{
	tmpfs_fs_t *fs;
	CHECK_EQ(tmpfs_fs_create(TMPFS_NO_LIMIT, NULL, &fs), EOK);
	uint8_t *backing = aligned_alloc(TMPFS_CHUNK_SIZE, 3 * TMPFS_CHUNK_SIZE);
	CHECK(backing != NULL);
	memset(backing, 'x', 3 * TMPFS_CHUNK_SIZE);
	tmpfs_fs_backing_set(fs, backing, free);
	tmpfs_node_t *aligned, *misaligned, *dir;
	CHECK_EQ(tmpfs_lookup(fs, "a", L_CREATE | L_FILE, &aligned), EOK);
	CHECK_EQ(tmpfs_lookup(fs, "m", L_CREATE | L_FILE, &misaligned), EOK);
	CHECK_EQ(tmpfs_file_borrow(fs, aligned, backing, 5000), EOK);
	CHECK_EQ(tmpfs_file_borrow(fs, misaligned, backing + 5004, 100), EOK);
	const void *pages = NULL;
	CHECK_EQ(tmpfs_file_pages(fs, aligned, 4096, &pages), ENOTSUP);
	fs->backing_shareable = true;
	CHECK_EQ(tmpfs_file_pages(fs, aligned, 2 * TMPFS_CHUNK_SIZE, &pages), EOK);
	CHECK(pages == backing);
	CHECK_EQ(tmpfs_file_pages(fs, aligned, 2 * TMPFS_CHUNK_SIZE + 1, &pages), EINVAL);
	CHECK_EQ(tmpfs_file_pages(fs, aligned, 0, &pages), EINVAL);
	CHECK_EQ(tmpfs_file_pages(fs, misaligned, 100, &pages), ENOTSUP);
	size_t done;
	CHECK_EQ(tmpfs_file_write(fs, aligned, 0, "J", 1, &done), EOK);
	CHECK_EQ(tmpfs_file_pages(fs, aligned, 4096, &pages), ENOTSUP);
	CHECK(backing[0] == 'x');
	CHECK_EQ(tmpfs_lookup(fs, "", L_DIRECTORY, &dir), EOK);
	CHECK_EQ(tmpfs_file_pages(fs, dir, 4096, &pages), EISDIR);
	tmpfs_fs_destroy(fs);
}

HOST_TEST(in_place_fill_needs_a_backing_and_borrowing_an_empty_file)
{
	static arc_t a;
	arc_sample(&a);
	tmpfs_fs_t *fs;
	CHECK_EQ(tmpfs_fs_create(TMPFS_NO_LIMIT, NULL, &fs), EOK);
	CHECK_EQ(tmpfs_archive_fill_in_place(fs, a.buf, a.len), EINVAL);
	tmpfs_node_t *n;
	CHECK_EQ(tmpfs_lookup(fs, "f", L_CREATE | L_FILE, &n), EOK);
	size_t done;
	CHECK_EQ(tmpfs_file_write(fs, n, 0, "abc", 3, &done), EOK);
	CHECK_EQ(tmpfs_file_borrow(fs, n, (const uint8_t *) a.buf, 4), EBUSY);
	CHECK_EQ(tmpfs_lookup(fs, "", L_DIRECTORY, &n), EOK);
	CHECK_EQ(tmpfs_file_borrow(fs, n, (const uint8_t *) a.buf, 4), EISDIR);
	tmpfs_fs_destroy(fs);
	/* Over the size limit: ENOSPC, as for a copied archive. */
	CHECK_EQ(tmpfs_fs_create(5, NULL, &fs), EOK);
	CHECK_EQ(tmpfs_lookup(fs, "g", L_CREATE | L_FILE, &n), EOK);
	CHECK_EQ(tmpfs_file_borrow(fs, n, (const uint8_t *) a.buf, 6), ENOSPC);
	tmpfs_fs_destroy(fs);
}
#endif
