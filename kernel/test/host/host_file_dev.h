/*
 * A block device over an image file, for host tests of file-system and
 * partition code: blocks of HOST_FILE_BLOCK bytes at their offsets in the
 * file; the device argument points at the file's descriptor. Also what
 * those tests share to make and check images: a host command, and the byte
 * pattern the guest's fstest and tools/storage_tests.py use too.
 */
#ifndef HOST_FILE_DEV_H
#define HOST_FILE_DEV_H

#include <abi/errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/** Runs the host command @a fmt with its two %s filled by @a a and @a b;
 *  its exit status (system()'s). */
static inline int host_sh(const char *fmt, const char *a, const char *b)
{
	char cmd[768];
	snprintf(cmd, sizeof(cmd), fmt, a, b);
	return system(cmd);
}

/** Fills @a buf with the test pattern of @a seed (fstest.c's pattern()). */
static inline void host_pattern(uint8_t *buf, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t) ((i * 31 + seed * 7 + i / 511) & 0xff);
}

#endif
