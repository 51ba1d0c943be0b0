/*
 * Inspecting the heap behind malloc() (stdlib.h): for tests and leak checks.
 */
#ifndef LIBC_MALLOC_H
#define LIBC_MALLOC_H

#include <stddef.h>

typedef struct {
	size_t regions; /* areas blocks are carved from */
	size_t region_bytes;
	size_t used_blocks; /* blocks malloc() handed out and not freed */
	size_t free_blocks;
	size_t free_bytes;
	size_t bigs; /* allocations with an area of their own */
	size_t big_bytes;
} malloc_stats_t;

/** Checks every invariant of the heap and fills @a stats (unless NULL);
 *  returns NULL when the heap is consistent, else what is broken. */
const char *malloc_check(malloc_stats_t *stats);

#endif
