/*
 * Mounting, the file calls in sequence, directories large and deep, and a
 * large file.
 */
#include "vfstest.h"
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MANY_FILES  1000
#define DEEP_LEVELS 64
#define BIG_SIZE    (16u << 20)
#define BIG_CHUNK   65536

static void test_mount_root_and_tmp(void)
{
	CHECK_RC(vfs_mount("/", "tmpfs", "", VFS_MOUNT_WAIT), EOK);
	CHECK_RC(vfs_mount("/", "tmpfs", "", 0), EBUSY);
	CHECK(mkdir("/tmp", 0) == 0);
	CHECK_RC(vfs_mount("/tmp", "tmpfs", "size=65536", 0), EOK);
	CHECK_RC(vfs_mount("/nowhere", "tmpfs", "", 0), ENOENT);
	CHECK_RC(vfs_mount("/tmp", "tmpfs", "", 0), EBUSY);
	CHECK_RC(vfs_mount("/x", "nofs", "", 0), ENOENT);
}

static void test_create_write_seek_read_truncate(void)
{
	int fd = open("/tmp/f", O_RDWR | O_CREAT);
	CHECK(fd >= 0);
	CHECK(write(fd, "hello world", 11) == 11);
	CHECK(lseek(fd, 6, SEEK_SET) == 6);
	char buf[16] = {0};
	CHECK(read(fd, buf, sizeof(buf)) == 5);
	CHECK(memcmp(buf, "world", 5) == 0);
	CHECK(read(fd, buf, sizeof(buf)) == 0);
	CHECK(ftruncate(fd, 5) == 0);
	struct stat st;
	CHECK(fstat(fd, &st) == 0);
	CHECK(st.st_size == 5 && S_ISREG(st.st_mode));
	CHECK(lseek(fd, 0, SEEK_END) == 5);
	CHECK(close(fd) == 0);
	fd = open("f", O_WRONLY | O_APPEND); /* relative to "/" */
	CHECK(fd < 0 && errno == ENOENT);
	CHECK(chdir("/tmp") == 0);
	fd = open("f", O_WRONLY | O_APPEND);
	CHECK(fd >= 0);
	CHECK(write(fd, "!", 1) == 1);
	CHECK(close(fd) == 0);
	CHECK(stat("/tmp/./f", &st) == 0 && st.st_size == 6);
	CHECK(chdir("/") == 0);
}

static void test_rename_unlink(void)
{
	CHECK(rename("/tmp/f", "/tmp/g") == 0);
	struct stat st;
	CHECK(stat("/tmp/f", &st) < 0 && errno == ENOENT);
	CHECK(stat("/tmp/g", &st) == 0 && st.st_size == 6);
	int fd = open("/tmp/g", O_RDWR | O_TRUNC);
	CHECK(fd >= 0);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 0);
	CHECK(close(fd) == 0);
	CHECK(unlink("/tmp/g") == 0);
	CHECK(unlink("/tmp/g") < 0 && errno == ENOENT);
	char cwd[VFS_PATH_MAX + 1];
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, "/") == 0);
}

static void test_readdir_sees_1000_files(void)
{
	CHECK(mkdir("/many", 0) == 0);
	char path[64];
	for (int i = 0; i < MANY_FILES; i++) {
		snprintf(path, sizeof(path), "/many/file%d", i);
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL);
		CHECK(fd >= 0);
		CHECK(close(fd) == 0);
	}
	DIR *dir = opendir("/many");
	CHECK(dir != NULL);
	static bool seen[MANY_FILES];
	int count = 0;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		int n = atoi(e->d_name + 4);
		CHECK(strncmp(e->d_name, "file", 4) == 0 && n >= 0 && n < MANY_FILES);
		CHECK(!seen[n]);
		seen[n] = true;
		count++;
	}
	CHECK(closedir(dir) == 0);
	CHECK(count == MANY_FILES);
}

static void test_path_64_levels_deep(void)
{
	char path[DEEP_LEVELS * 3 + 16] = "/deep";
	CHECK(mkdir(path, 0) == 0);
	for (int i = 0; i < DEEP_LEVELS; i++) {
		strcat(path, "/d");
		CHECK(mkdir(path, 0) == 0);
	}
	strcat(path, "/leaf");
	int fd = open(path, O_RDWR | O_CREAT);
	CHECK(fd >= 0);
	CHECK(write(fd, "deep", 4) == 4);
	CHECK(close(fd) == 0);
	struct stat st;
	CHECK(stat(path, &st) == 0 && st.st_size == 4);
}

/** The byte at @a pos of the big file. */
static uint8_t big_byte(size_t pos)
{
	return (uint8_t) (pos * 7 + pos / 65521);
}

static void test_16mib_file_round_trip(void)
{
	uint8_t *buf = malloc(BIG_CHUNK);
	CHECK(buf != NULL);
	int fd = open("/big", O_RDWR | O_CREAT);
	bool ok = fd >= 0;
	for (size_t off = 0; ok && off < BIG_SIZE; off += BIG_CHUNK) {
		for (size_t i = 0; i < BIG_CHUNK; i++)
			buf[i] = big_byte(off + i);
		ok = write(fd, buf, BIG_CHUNK) == BIG_CHUNK;
	}
	ok = ok && lseek(fd, 0, SEEK_SET) == 0;
	for (size_t off = 0; ok && off < BIG_SIZE; off += BIG_CHUNK) {
		ok = read(fd, buf, BIG_CHUNK) == BIG_CHUNK;
		for (size_t i = 0; ok && i < BIG_CHUNK; i++)
			ok = buf[i] == big_byte(off + i);
	}
	free(buf);
	CHECK(ok);
	CHECK(close(fd) == 0);
	CHECK(unlink("/big") == 0);
}

/** Whether @a fd holds @a size bytes equal to @a want from the start. */
static bool file_is(int fd, const uint8_t *want, size_t size)
{
	uint8_t *got = malloc(size + 1);
	bool ok = got != NULL && lseek(fd, 0, SEEK_SET) == 0 &&
	    read(fd, got, size + 1) == (ssize_t) size && memcmp(got, want, size) == 0;
	free(got);
	return ok;
}

/** Writes @a size bytes of @a byte at @a pos of @a fd, and into @a image. */
static bool write_at(int fd, uint8_t *image, size_t pos, uint8_t byte, size_t size)
{
	uint8_t *buf = malloc(size);
	if (buf == NULL)
		return false;
	memset(buf, byte, size);
	memset(image + pos, byte, size);
	bool ok = lseek(fd, (off_t) pos, SEEK_SET) == (off_t) pos &&
	    write(fd, buf, size) == (ssize_t) size;
	free(buf);
	return ok;
}

/* Writes of whole 4 KiB chunks go straight into new chunks that replace the
 * file's (tmpfs); the others are copied in. Mixed, the file keeps every
 * byte each wrote, holes read as zeros, and the size follows the last byte. */
#define IMAGE_SIZE (96 * 1024)
static void test_whole_chunk_writes_replace_the_file_data(void)
{
	uint8_t *image = calloc(1, IMAGE_SIZE);
	CHECK(image != NULL);
	int fd = open("/chunky", O_RDWR | O_CREAT);
	CHECK(fd >= 0);
	CHECK(write_at(fd, image, 0, 'a', 12288 + 100)); /* 3 chunks and a bit */
	CHECK(write_at(fd, image, 4096, 'b', 8192));	 /* 2 whole chunks inside */
	CHECK(file_is(fd, image, 12288 + 100));
	CHECK(write_at(fd, image, 20480, 'c', 4096)); /* past the end: a hole */
	CHECK(file_is(fd, image, 24576));
	CHECK(write_at(fd, image, 8000, 'd', 200));   /* across a chunk boundary */
	CHECK(write_at(fd, image, 0, 'e', 65536));    /* 16 chunks, one area */
	CHECK(write_at(fd, image, 4096, 'f', 65536)); /* the same, moved on */
	CHECK(file_is(fd, image, 4096 + 65536));
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && st.st_size == 4096 + 65536);
	CHECK(close(fd) == 0);
	CHECK(unlink("/chunky") == 0);
	free(image);
}

/** A write of whole chunks from a bad buffer fails and changes nothing; a
 *  read into one fails. Neither leaves the VFS waiting for the transfer the
 *  kernel refused to send (the write hung before). */
static void test_whole_chunk_write_from_a_bad_buffer_changes_nothing(void)
{
	uint8_t image[8192];
	memset(image, 'g', sizeof(image));
	int fd = open("/chunky", O_RDWR | O_CREAT);
	CHECK(fd >= 0);
	CHECK(write(fd, image, sizeof(image)) == (ssize_t) sizeof(image));
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK(write(fd, (void *) 0x1000, 4096) < 0 && errno == EBADMEM);
	CHECK(file_is(fd, image, sizeof(image)));
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	CHECK(read(fd, (void *) 0x1000, 8192) < 0 && errno == EBADMEM);
	CHECK(close(fd) == 0);
	CHECK(unlink("/chunky") == 0);
}

/** On a mount with a size limit a write of whole chunks that would cross
 *  it writes up to the limit (short), as any other write. */
static void test_whole_chunk_write_stops_at_the_size_limit(void)
{
	uint8_t buf[16384];
	memset(buf, 'h', sizeof(buf));
	int fd = open("/tmp/limit", O_RDWR | O_CREAT);
	CHECK(fd >= 0);
	CHECK(lseek(fd, 57344, SEEK_SET) == 57344); /* 8 KiB below 64 KiB */
	CHECK(write(fd, buf, sizeof(buf)) == 8192);
	CHECK(write(fd, buf, 4096) < 0 && errno == ENOSPC);
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && st.st_size == 65536);
	CHECK(close(fd) == 0);
	CHECK(unlink("/tmp/limit") == 0);
}

void basic_tests(void)
{
	RUN(test_mount_root_and_tmp);
	RUN(test_create_write_seek_read_truncate);
	RUN(test_rename_unlink);
	RUN(test_readdir_sees_1000_files);
	RUN(test_path_64_levels_deep);
	RUN(test_16mib_file_round_trip);
	RUN(test_whole_chunk_writes_replace_the_file_data);
	RUN(test_whole_chunk_write_from_a_bad_buffer_changes_nothing);
	RUN(test_whole_chunk_write_stops_at_the_size_limit);
}
