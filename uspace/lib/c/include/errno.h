/*
 * errno: the error of the last libc function that failed and said so
 * (strtol's ERANGE, malloc's ENOMEM, ...). Values are errno_t codes from
 * abi/errno.h, so they are negative (errno == ERANGE still reads naturally).
 * Functions of our own API return their errno_t instead of setting errno.
 *
 * For now there is one errno per task, shared by its threads; it becomes
 * per-thread when libc gets thread-local storage. The macro form keeps
 * programs unchanged by that.
 */
#ifndef LIBC_ERRNO_H
#define LIBC_ERRNO_H

#include <abi/errno.h>

extern errno_t *__errno(void);

#define errno (*__errno())

#endif
