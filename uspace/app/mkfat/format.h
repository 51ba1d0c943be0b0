/*
 * mkfat: the layout of a new FAT volume, without I/O of its own: the caller
 * gives a function that writes blocks. FAT16 for volumes of 8 MiB up to
 * 512 MiB, FAT32 above; two tables, an empty root directory. Host-tested:
 * fsck.fat calls what it makes clean and mtools can use it.
 */
#ifndef MKFAT_FORMAT_H
#define MKFAT_FORMAT_H

#include <abi/errno.h>
#include <stddef.h>
#include <stdint.h>

#define MKFAT_MIN_BLOCKS (8 * 2048) /* 8 MiB of 512-byte blocks */

typedef errno_t (*mkfat_write_t)(void *dev, uint64_t ba, size_t count, const void *buf);

/** Formats a volume of @a blocks blocks of 512 bytes with label @a label
 *  (up to 11 characters, upper-cased). EINVAL for a volume that is too
 *  small (MKFAT_MIN_BLOCKS) or past what FAT32 addresses. *@a type gets 16
 *  or 32. */
errno_t mkfat_format(mkfat_write_t write, void *dev, uint64_t blocks, const char *label,
    uint32_t serial, int *type);

#endif
