/*
 * errno: the error of the last libc function that failed and said so
 * (strtol's ERANGE, malloc's ENOMEM, ...). Values are errno_t codes from
 * abi/errno.h, so they are negative (errno == ERANGE still reads naturally).
 * Functions of our own API return their errno_t instead of setting errno.
 *
 * There is one errno per thread, kept in its thread-local block (fibrils
 * running on one thread share it).
 */
#ifndef LIBC_ERRNO_H
#define LIBC_ERRNO_H

#include <abi/errno.h>

extern errno_t *__errno(void);

#define errno (*__errno())

#endif
