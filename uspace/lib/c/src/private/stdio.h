/*
 * The FILE structure and its backends. stdio.c implements buffering once for
 * every backend: a stream's `buf` holds either output waiting to be written
 * (len > 0) or input read ahead (rpos < rlen), never both; switching
 * direction flushes the output or gives the read-ahead back (seeking back).
 * A backend is a file_ops_t plus its own state in `backend`: kio.c writes to
 * the kernel console, stdio_file.c reads and writes VFS descriptors.
 *
 * `lock` guards every other field. Streams whose backend waits for IPC (VFS
 * descriptors) use a fibril mutex, so they are for fibrils only; the console
 * streams use libc's spinlock and work from any thread. Lock order:
 * files_lock (the list of streams, a fibril mutex: fopen, fclose and
 * fflush(NULL) are for fibrils) before a stream lock; stdio never holds two
 * stream locks at once (stderr flushes stdout before it takes its own).
 */
#ifndef LIBC_PRIVATE_STDIO_H
#define LIBC_PRIVATE_STDIO_H

#include "lock.h"
#include <abi/errno.h>
#include <fibril_synch.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
	/** Writes all @a len bytes of @a buf, or fails. */
	errno_t (*write)(FILE *f, const char *buf, size_t len);
	/** Reads up to @a len bytes into @a buf; *@a got is 0 at the end.
	 *  NULL: the stream cannot be read. */
	errno_t (*read)(FILE *f, char *buf, size_t len, size_t *got);
	/** Moves the position (SEEK_*); the new one in *@a pos. NULL: the
	 *  stream cannot seek. */
	errno_t (*seek)(FILE *f, int64_t offset, int whence, uint64_t *pos);
	/** Releases the backend (fclose). NULL: nothing to release. */
	errno_t (*close)(FILE *f);
} file_ops_t;

struct file {
	const file_ops_t *ops;
	void *backend;	  /* the backend's state */
	bool fibril_lock; /* lock is `mutex`, else `spin` */
	union {
		libc_lock_t spin;
		fibril_mutex_t mutex;
	} lock;
	int mode; /* _IOFBF, _IOLBF, _IONBF */
	char *buf;
	size_t size; /* capacity of buf, at least 1 */
	size_t len;  /* output bytes waiting in buf */
	size_t rpos; /* read-ahead: buf[rpos..rlen) not yet taken */
	size_t rlen;
	int ungot;    /* ungetc's character, or EOF */
	bool newline; /* the current call buffered a '\n' (line mode) */
	bool error;   /* an operation failed; cleared by clearerr() */
	bool eof;     /* a read met the end; cleared by clearerr()/fseek() */
	bool owned;   /* made by fopen: fclose frees it and its buffer */
	FILE *next;   /* all streams, for fflush(NULL) (files_lock) */
};

/* stdio.c */
void file_lock(FILE *f);
void file_unlock(FILE *f);
/** Writes out the output in @a f's buffer (locked); EOF on error. */
int file_flush(FILE *f);
/** Gives back @a f's read-ahead (locked), seeking back over it; EOF on error. */
int file_drop_input(FILE *f);
/** Adds @a f to the streams fflush(NULL) flushes, or takes it off. */
void file_list_add(FILE *f);
void file_list_remove(FILE *f);

/** kio.c: the backend that writes to the kernel console. */
extern const file_ops_t kio_file_ops;

#endif
