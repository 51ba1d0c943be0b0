/*
 * Streams on VFS descriptors (fopen, fdopen, fclose) and stdin. stdin reads
 * nothing (the end at once) and stdout and stderr go to the kernel console,
 * unless the program was given descriptors for them (LOADER_SET_FILES):
 * then they are streams on those, for fibrils only.
 */
#include "private/libc.h"
#include "private/stdio.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fd_of(FILE *f)
{
	return (int) (intptr_t) f->backend;
}

static errno_t fd_write(FILE *f, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd_of(f), buf, len);
		if (n <= 0)
			return n < 0 ? errno : EIO;
		buf += n;
		len -= (size_t) n;
	}
	return EOK;
}

static errno_t fd_read(FILE *f, char *buf, size_t len, size_t *got)
{
	ssize_t n = read(fd_of(f), buf, len);
	if (n < 0)
		return errno;
	*got = (size_t) n;
	return EOK;
}

static errno_t fd_seek(FILE *f, int64_t offset, int whence, uint64_t *pos)
{
	off_t at = lseek(fd_of(f), offset, whence);
	if (at < 0)
		return errno;
	*pos = (uint64_t) at;
	return EOK;
}

static errno_t fd_close(FILE *f)
{
	return close(fd_of(f)) == 0 ? EOK : errno;
}

static const file_ops_t fd_file_ops = {
    .write = fd_write,
    .read = fd_read,
    .seek = fd_seek,
    .close = fd_close,
};

static errno_t none_write(FILE *f, const char *buf, size_t len)
{
	return EBADF;
}

static errno_t none_read(FILE *f, char *buf, size_t len, size_t *got)
{
	*got = 0;
	return EOK;
}

static const file_ops_t none_file_ops = {
    .write = none_write,
    .read = none_read,
};

static char stdin_buf[BUFSIZ];

static FILE stdin_file = {
    .ops = &none_file_ops,
    .lock.spin = LIBC_LOCK_INITIALIZER,
    .mode = _IOLBF,
    .buf = stdin_buf,
    .size = sizeof(stdin_buf),
    .ungot = EOF,
};

FILE *stdin = &stdin_file;

/** Makes @a f a stream on descriptor @a fd. */
static void bind_fd(FILE *f, int fd)
{
	f->ops = &fd_file_ops;
	f->backend = (void *) (intptr_t) fd;
	f->fibril_lock = true;
	fibril_mutex_initialize(&f->lock.mutex);
}

void __stdio_inherit(const int fds[3])
{
	FILE *const streams[3] = {stdin, stdout, stderr};
	for (int i = 0; i < 3; i++) {
		if (fds[i] >= 0)
			bind_fd(streams[i], fds[i]);
	}
}

/** The open() flags of fopen() mode @a mode; -1 for a bad mode. */
static int mode_flags(const char *mode)
{
	int flags;
	switch (mode[0]) {
	case 'r':
		flags = O_RDONLY;
		break;
	case 'w':
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case 'a':
		flags = O_WRONLY | O_CREAT | O_APPEND;
		break;
	default:
		return -1;
	}
	for (const char *m = mode + 1; *m != '\0'; m++) {
		if (*m == '+')
			flags = (flags & ~O_ACCMODE) | O_RDWR;
		else if (*m == 'x')
			flags |= O_EXCL;
		else if (*m != 'b')
			return -1;
	}
	return flags;
}

FILE *fdopen(int fd, const char *mode)
{
	if (mode_flags(mode) < 0) {
		errno = EINVAL;
		return NULL;
	}
	FILE *f = calloc(1, sizeof(*f));
	char *buf = malloc(BUFSIZ);
	if (f == NULL || buf == NULL) {
		free(f);
		free(buf);
		errno = ENOMEM;
		return NULL;
	}
	bind_fd(f, fd);
	f->mode = _IOFBF;
	f->buf = buf;
	f->size = BUFSIZ;
	f->ungot = EOF;
	f->owned = true;
	file_list_add(f);
	return f;
}

FILE *fopen(const char *restrict path, const char *restrict mode)
{
	int flags = mode_flags(mode);
	if (flags < 0) {
		errno = EINVAL;
		return NULL;
	}
	int fd = open(path, flags);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, mode);
	if (f == NULL)
		close(fd);
	return f;
}

int fclose(FILE *f)
{
	file_list_remove(f);
	file_lock(f);
	int rc = file_flush(f);
	if (f->ops->close != NULL && f->ops->close(f) != EOK)
		rc = EOF;
	file_unlock(f);
	if (f->owned) {
		free(f->buf);
		free(f);
	}
	return rc;
}

int fileno(FILE *f)
{
	if (f->ops != &fd_file_ops) {
		errno = EBADF;
		return -1;
	}
	return fd_of(f);
}
