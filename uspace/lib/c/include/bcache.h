/*
 * A write-back block cache for file-system servers, over any device that
 * reads and writes whole blocks (a bd_t in the system, a file in host
 * tests). Blocks are copied in and out by byte range; written blocks stay
 * dirty in memory until bcache_flush() (sync, unmount) or until they are
 * evicted (least recently used first). No locking: the owner serialises
 * every call (a file-system server holds its lock around them).
 */
#ifndef LIBC_BCACHE_H
#define LIBC_BCACHE_H

#include <abi/errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	errno_t (*read)(void *dev, uint64_t ba, size_t count, void *buf);
	errno_t (*write)(void *dev, uint64_t ba, size_t count, const void *buf);
	errno_t (*sync)(void *dev); /* NULL: nothing to do */
} bcache_dev_t;

typedef struct bcache bcache_t;

/** A cache of @a nblocks blocks of @a block_size bytes over @a dev
 *  (@a count blocks); NULL when out of memory. */
bcache_t *bcache_create(const bcache_dev_t *ops, void *dev, size_t block_size,
    uint64_t count, size_t nblocks);
/** Frees the cache without writing anything (flush first). */
void bcache_destroy(bcache_t *bc);

/** @a len bytes at @a off of block @a ba (off + len <= block size). EIO for
 *  a block past the end or a device error. */
errno_t bcache_read(bcache_t *bc, uint64_t ba, size_t off, void *buf, size_t len);
/** The same bytes replaced; the block becomes dirty. */
errno_t bcache_write(bcache_t *bc, uint64_t ba, size_t off, const void *buf, size_t len);
/** Writes every dirty block (in block order) and syncs the device. */
errno_t bcache_flush(bcache_t *bc);
/** Blocks read from and written to the device so far. */
void bcache_counts(const bcache_t *bc, uint64_t *reads, uint64_t *writes);

#endif
