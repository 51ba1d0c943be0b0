/*
 * tmpfs's mount options: "" or a comma-separated list of
 *   size=BYTES      at most BYTES of file data (a K, M or G suffix
 *                   multiplies by 1024, 1024^2, 1024^3); ENOSPC beyond
 *   archive=MODULE  fill the instance from boot module MODULE (cpio newc)
 *   take            take the archive's module over: its frames hold the
 *                   files' data until the instance ends (the root's: its
 *                   memory is not kept twice; a later archive=MODULE mount
 *                   finds no such module)
 * No IPC.
 */
#ifndef TMPFS_OPTIONS_H
#define TMPFS_OPTIONS_H

#include <abi/errno.h>
#include <stdbool.h>
#include <stdint.h>

#define TMPFS_MODULE_NAME_MAX 63

typedef struct {
	uint64_t size_limit;			 /* TMPFS_NO_LIMIT without size= */
	char archive[TMPFS_MODULE_NAME_MAX + 1]; /* "" without archive= */
	bool take;				 /* take: the module becomes our area */
} tmpfs_options_t;

/** Parses @a opts into @a out; EINVAL for an unknown option, an empty
 *  item or a bad value. */
errno_t tmpfs_options_parse(const char *opts, tmpfs_options_t *out);

#endif
