/*
 * The POSIX file layer (fcntl.h, unistd.h, sys/stat.h, dirent.h, rename):
 * each function calls vfs.h and turns its errno_t into -1 and errno;
 * read, write and close of a socket descriptor go to posix_sock.c.
 */
#include "private/sockfd.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vfs.h>

const sock_fd_ops_t *sock_fd_ops;

struct dir {
	int fd;
	struct dirent ent;
};

/** 0, or -1 with errno = @a rc. */
static int posix_result(errno_t rc)
{
	if (rc == EOK)
		return 0;
	errno = rc;
	return -1;
}

int open(const char *path, int flags, ...)
{
	int fd;
	errno_t rc = vfs_open(path, (unsigned) flags, &fd);
	return rc == EOK ? fd : posix_result(rc);
}

int close(int fd)
{
	if (sock_fd_is(fd) && sock_fd_ops != NULL)
		return sock_fd_ops->close(fd);
	return posix_result(vfs_close(fd));
}

ssize_t read(int fd, void *buf, size_t size)
{
	if (sock_fd_is(fd) && sock_fd_ops != NULL)
		return sock_fd_ops->read(fd, buf, size);
	size_t n;
	errno_t rc = vfs_read(fd, buf, size, &n);
	return rc == EOK ? (ssize_t) n : posix_result(rc);
}

ssize_t write(int fd, const void *buf, size_t size)
{
	if (sock_fd_is(fd) && sock_fd_ops != NULL)
		return sock_fd_ops->write(fd, buf, size);
	size_t n;
	errno_t rc = vfs_write(fd, buf, size, &n);
	return rc == EOK ? (ssize_t) n : posix_result(rc);
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	int arg = cmd == F_SETFL ? va_arg(ap, int) : 0;
	va_end(ap);
	if (sock_fd_is(fd))
		return sock_fd_ops != NULL ? sock_fd_ops->fcntl(fd, cmd, arg)
					   : posix_result(EBADF);
	return posix_result(fd < 0 ? EBADF : ENOTSUP);
}

off_t lseek(int fd, off_t offset, int whence)
{
	uint64_t pos;
	errno_t rc = vfs_seek(fd, offset, whence, &pos);
	return rc == EOK ? (off_t) pos : posix_result(rc);
}

int ftruncate(int fd, off_t size)
{
	return posix_result(size < 0 ? EINVAL : vfs_truncate(fd, (uint64_t) size));
}

int fsync(int fd)
{
	return posix_result(vfs_sync(fd));
}

int unlink(const char *path)
{
	return posix_result(vfs_unlink(path, 0));
}

int rmdir(const char *path)
{
	return posix_result(vfs_unlink(path, VFS_UNLINK_DIR));
}

int rename(const char *old_path, const char *new_path)
{
	return posix_result(vfs_rename(old_path, new_path));
}

int chdir(const char *path)
{
	return posix_result(vfs_cwd_set(path));
}

char *getcwd(char *buf, size_t size)
{
	return posix_result(vfs_cwd_get(buf, size)) == 0 ? buf : NULL;
}

int mkdir(const char *path, mode_t mode)
{
	return posix_result(vfs_mkdir(path));
}

static void posix_stat_fill(const vfs_stat_t *vst, struct stat *st)
{
	st->st_dev = vst->fs;
	st->st_ino = vst->index;
	st->st_mode = vst->type == VFS_NODE_DIR ? S_IFDIR : S_IFREG;
	st->st_nlink = vst->links;
	st->st_size = (off_t) vst->size;
	st->st_mtime_ns = vst->mtime_ns;
}

int stat(const char *path, struct stat *st)
{
	vfs_stat_t vst;
	errno_t rc = vfs_stat(path, &vst);
	if (rc == EOK)
		posix_stat_fill(&vst, st);
	return posix_result(rc);
}

int fstat(int fd, struct stat *st)
{
	vfs_stat_t vst;
	errno_t rc = vfs_fstat(fd, &vst);
	if (rc == EOK)
		posix_stat_fill(&vst, st);
	return posix_result(rc);
}

DIR *opendir(const char *path)
{
	DIR *dir = malloc(sizeof(*dir));
	if (dir == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	errno_t rc = vfs_open(path, O_RDONLY | O_DIRECTORY, &dir->fd);
	if (rc != EOK) {
		free(dir);
		posix_result(rc);
		return NULL;
	}
	return dir;
}

struct dirent *readdir(DIR *dir)
{
	bool more;
	errno_t rc = vfs_readdir(dir->fd, dir->ent.d_name, &more);
	if (rc != EOK)
		posix_result(rc);
	return rc == EOK && more ? &dir->ent : NULL;
}

int closedir(DIR *dir)
{
	errno_t rc = vfs_close(dir->fd);
	free(dir);
	return posix_result(rc);
}
