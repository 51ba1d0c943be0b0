/*
 * A reader of cpio archives in the "newc" format (magic 070701): what
 * tmpfs fills an instance from. No IPC and no allocation.
 */
#ifndef TMPFS_CPIO_H
#define TMPFS_CPIO_H

#include <abi/errno.h>
#include <stddef.h>
#include <stdint.h>

#define CPIO_MODE_TYPE 0170000
#define CPIO_MODE_DIR  0040000
#define CPIO_MODE_FILE 0100000

/** One member; name and data point into the archive. */
typedef struct {
	const char *name; /* NUL-terminated, name_len bytes before the NUL */
	size_t name_len;
	uint32_t mode; /* CPIO_MODE_* in CPIO_MODE_TYPE, permissions */
	const uint8_t *data;
	size_t size;
} cpio_entry_t;

typedef errno_t (*cpio_entry_fn_t)(const cpio_entry_t *entry, void *arg);

/** Calls @a fn(@a arg) for every member of the @a size byte archive at
 *  @a buf, in order, up to "TRAILER!!!". EINVAL for a bad magic, a
 *  malformed or truncated header, name or data, or a missing trailer (the
 *  members before it have been passed on); a failure of @a fn ends the walk
 *  with its error. */
errno_t cpio_parse(const void *buf, size_t size, cpio_entry_fn_t fn, void *arg);

#endif
