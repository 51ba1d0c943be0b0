/*
 * Error codes as text (common/src/strerror.c), shared by the kernel and libc
 * (whose string.h offers them).
 */
#ifndef COMMON_STRERROR_H
#define COMMON_STRERROR_H

#include <abi/errno.h>

/** The name of error code @a rc ("ENOENT"), or "unknown error". */
const char *str_error(errno_t rc);
/** The name and a short text of @a rc ("ENOENT: no such file or directory"),
 *  or "unknown error": what a program tells its user. */
const char *strerror(errno_t rc);

#endif
