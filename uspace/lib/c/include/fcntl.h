/*
 * POSIX open() (flags O_* from abi/vfs.h) and fcntl(); -1 with errno on
 * failure.
 */
#ifndef LIBC_FCNTL_H
#define LIBC_FCNTL_H

#include <abi/vfs.h>
#include <sys/types.h>

/** Opens @a path; a mode argument after @a flags is accepted and ignored. */
int open(const char *path, int flags, ...);

/* A socket's status flag (fcntl F_SETFL): its calls never wait; what would
 * wait fails with EAGAIN, a TCP connect with EINPROGRESS. */
#define O_NONBLOCK 0x800

#define F_GETFL 3 /* the status flags: O_RDWR, O_NONBLOCK */
#define F_SETFL 4 /* the third argument's O_NONBLOCK; other bits ignored */

/** F_GETFL and F_SETFL of a socket; a file's descriptor is ENOTSUP (the
 *  VFS keeps no status flags to change), another command EINVAL, a
 *  descriptor not open EBADF. */
int fcntl(int fd, int cmd, ...);

#endif
