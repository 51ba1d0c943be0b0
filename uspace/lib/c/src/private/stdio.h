/*
 * The FILE structure and its backends. A stream buffers output in `buf` and
 * hands whole runs of bytes to its backend's write(); stdio.c implements the
 * buffering modes once for every backend. A backend is a file_ops_t plus its
 * own state in `backend` (kio.c is the first one; a VFS file is the next).
 *
 * `lock` guards every other field. Lock order: stdio never holds two stream
 * locks at once (stderr flushes stdout before it takes its own lock).
 */
#ifndef LIBC_PRIVATE_STDIO_H
#define LIBC_PRIVATE_STDIO_H

#include "lock.h"
#include <abi/errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct {
	/** Writes all @a len bytes of @a buf, or fails. */
	errno_t (*write)(FILE *f, const char *buf, size_t len);
} file_ops_t;

struct file {
	const file_ops_t *ops;
	void *backend; /* the backend's state */
	libc_lock_t lock;
	int mode; /* _IOFBF, _IOLBF, _IONBF */
	char *buf;
	size_t size;  /* capacity of buf, at least 1 */
	size_t len;   /* bytes waiting in buf */
	bool newline; /* the current call buffered a '\n' (line mode) */
	bool error;   /* a write failed; cleared by clearerr() */
};

/** kio.c: the backend that writes to the kernel console. */
extern const file_ops_t kio_file_ops;

#endif
