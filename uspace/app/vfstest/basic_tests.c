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

void basic_tests(void)
{
	RUN(test_mount_root_and_tmp);
	RUN(test_create_write_seek_read_truncate);
	RUN(test_rename_unlink);
	RUN(test_readdir_sees_1000_files);
	RUN(test_path_64_levels_deep);
	RUN(test_16mib_file_round_trip);
}
