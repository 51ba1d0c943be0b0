/*
 * POSIX file calls over the VFS (vfs.h): -1 with errno (an errno_t code)
 * on failure.
 */
#ifndef LIBC_UNISTD_H
#define LIBC_UNISTD_H

#include <abi/vfs.h>
#include <stddef.h>
#include <sys/types.h>

/** The environment: NAME=VALUE strings ending in NULL (change it through
 *  setenv() and unsetenv() only); spawned programs get a copy. */
extern char **environ;

int close(int fd);
ssize_t read(int fd, void *buf, size_t size);
ssize_t write(int fd, const void *buf, size_t size);
off_t lseek(int fd, off_t offset, int whence);
int ftruncate(int fd, off_t size);
int fsync(int fd);
int unlink(const char *path);
int rmdir(const char *path);
int chdir(const char *path);
/** The working directory in @a buf (ERANGE if @a size is too small). */
char *getcwd(char *buf, size_t size);
/** A pipe: fds[0] its read end, fds[1] its write end (pipefs at /pipe;
 *  ENOENT if it is not mounted). A read waits for data and gets 0 bytes
 *  once no write end is open; a write waits for room and fails with EIO
 *  once no read end is open; both may be short. */
int pipe(int fds[2]);

#endif
