/*
 * POSIX open() (flags O_* from abi/vfs.h); -1 with errno on failure.
 */
#ifndef LIBC_FCNTL_H
#define LIBC_FCNTL_H

#include <abi/vfs.h>
#include <sys/types.h>

/** Opens @a path; a mode argument after @a flags is accepted and ignored. */
int open(const char *path, int flags, ...);

#endif
