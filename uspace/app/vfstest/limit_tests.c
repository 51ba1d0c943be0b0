/*
 * The errors the VFS and the file system promise.
 */
#include "vfstest.h"
#include <string.h>
#include <sys/stat.h>

static void test_long_names_give_enametoolong(void)
{
	char path[VFS_PATH_MAX + 16];
	path[0] = '/';
	memset(path + 1, 'n', VFS_NAME_MAX + 1);
	path[VFS_NAME_MAX + 2] = '\0';
	CHECK(open(path, O_RDWR | O_CREAT) < 0 && errno == ENAMETOOLONG);
	memset(path + 1, '/', VFS_PATH_MAX + 1);
	path[VFS_PATH_MAX + 2] = '\0';
	CHECK(open(path, O_RDONLY) < 0 && errno == ENAMETOOLONG);
}

static void test_bad_descriptors_give_ebadf(void)
{
	char c;
	CHECK(read(77, &c, 1) < 0 && errno == EBADF);
	CHECK(close(VFS_FDS_MAX + 5) < 0 && errno == EBADF);
	int fd = open("/tmp/ro", O_RDONLY | O_CREAT);
	CHECK(fd >= 0);
	CHECK(write(fd, "x", 1) < 0 && errno == EBADF);
	CHECK(close(fd) == 0);
	CHECK(read(fd, &c, 1) < 0 && errno == EBADF);
	CHECK(unlink("/tmp/ro") == 0);
}

static void test_readonly_mount_gives_erofs(void)
{
	CHECK(mkdir("/ro", 0) == 0);
	CHECK_RC(vfs_mount("/ro", "tmpfs", "", VFS_MOUNT_RDONLY), EOK);
	CHECK(open("/ro/f", O_RDWR | O_CREAT) < 0 && errno == EROFS);
	CHECK(mkdir("/ro/d", 0) < 0 && errno == EROFS);
	CHECK(unlink("/ro/x") < 0 && errno == EROFS);
	int fd = open("/ro", O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0);
	CHECK_RC(vfs_unmount("/ro"), EBUSY);
	CHECK(close(fd) == 0);
	CHECK_RC(vfs_unmount("/ro"), EOK);
}

static void test_fs_errors(void)
{
	CHECK(mkdir("/tmp/d", 0) == 0);
	CHECK(mkdir("/tmp/d", 0) < 0 && errno == EEXIST);
	int fd = open("/tmp/d/f", O_WRONLY | O_CREAT | O_EXCL);
	CHECK(fd >= 0);
	CHECK(close(fd) == 0);
	CHECK(open("/tmp/d/f", O_WRONLY | O_CREAT | O_EXCL) < 0 && errno == EEXIST);
	CHECK(open("/tmp/nope", O_RDONLY) < 0 && errno == ENOENT);
	CHECK(rmdir("/tmp/d") < 0 && errno == ENOTEMPTY);
	CHECK(open("/tmp/d/f", O_RDONLY | O_DIRECTORY) < 0 && errno == ENOTDIR);
	CHECK(open("/tmp/d", O_WRONLY) < 0 && errno == EISDIR);
	CHECK(rename("/tmp/d", "/tmp/d/e") < 0 && errno == EINVAL);
	CHECK(rename("/tmp/d/f", "/f") < 0 && errno == EXDEV);
	CHECK(unlink("/tmp/d/f") == 0);
	CHECK(rmdir("/tmp/d") == 0);
}

static void test_size_limit_gives_enospc(void)
{
	int fd = open("/tmp/full", O_WRONLY | O_CREAT);
	CHECK(fd >= 0);
	errno_t rc = fill_write(fd, 'z', 128 * 1024);
	CHECK(close(fd) == 0);
	CHECK_RC(rc, ENOSPC);
	CHECK(unlink("/tmp/full") == 0);
}

void limit_tests(void)
{
	RUN(test_long_names_give_enametoolong);
	RUN(test_bad_descriptors_give_ebadf);
	RUN(test_readonly_mount_gives_erofs);
	RUN(test_fs_errors);
	RUN(test_size_limit_gives_enospc);
}
