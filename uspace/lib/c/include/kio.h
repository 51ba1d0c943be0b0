/*
 * The kernel console (serial line and VGA): early, unbuffered output that
 * needs no server. stdout and stderr write here for now.
 */
#ifndef LIBC_KIO_H
#define LIBC_KIO_H

#include <discard.h>

#include <abi/errno.h>
#include <stddef.h>

/** Writes @a len bytes of @a buf to the kernel console. */
_NODISCARD errno_t kio_write(const char *buf, size_t len);

#endif
