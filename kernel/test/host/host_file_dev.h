/*
 * A block device over an image file, for host tests of file-system and
 * partition code: blocks of HOST_FILE_BLOCK bytes at their offsets in the
 * file; the device argument points at the file's descriptor.
 */
#ifndef HOST_FILE_DEV_H
#define HOST_FILE_DEV_H

#include <abi/errno.h>
#include <stdint.h>
#include <unistd.h>

#define HOST_FILE_BLOCK 512

static inline errno_t host_file_read(void *dev, uint64_t ba, size_t count, void *buf)
{
	size_t len = count * HOST_FILE_BLOCK;
	ssize_t n = pread(*(int *) dev, buf, len, (off_t) (ba * HOST_FILE_BLOCK));
	return n == (ssize_t) len ? EOK : EIO;
}

static inline errno_t host_file_write(
    void *dev, uint64_t ba, size_t count, const void *buf)
{
	size_t len = count * HOST_FILE_BLOCK;
	ssize_t n = pwrite(*(int *) dev, buf, len, (off_t) (ba * HOST_FILE_BLOCK));
	return n == (ssize_t) len ? EOK : EIO;
}

#endif
