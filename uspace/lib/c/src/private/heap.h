/*
 * The allocator behind malloc(): a heap over memory areas that heap_ops_t
 * supplies. Pure: no system calls and no locking (malloc.c adds both), so it
 * is unit-tested on the host (test/host/malloc_test.c). See heap.c for the
 * layout. Payloads are HEAP_ALIGN-byte aligned.
 */
#ifndef LIBC_PRIVATE_HEAP_H
#define LIBC_PRIVATE_HEAP_H

#include <abi/errno.h>
#include <common/adt/list.h>
#include <common/arch/page.h>
#include <stddef.h>
#include <stdint.h>

#define HEAP_ALIGN 16
#define HEAP_PAGE  PAGE_SIZE
/* Free blocks up to HEAP_SMALL_MAX bytes sit in one bin per 16-byte size. */
#define HEAP_SMALL_BINS 62
/* Freed blocks of up to HEAP_QUICK_MAX bytes first wait, unmerged, on one
 * quick list per size (at most HEAP_QUICK_DEPTH each) for the next request
 * of that size. */
#define HEAP_QUICK_MAX	 256
#define HEAP_QUICK_LISTS ((HEAP_QUICK_MAX - 48) / 16 + 1)
#define HEAP_QUICK_DEPTH 16
/* Requests of this many bytes or more get an area of their own. */
#define HEAP_BIG_MIN (128 * 1024)
/* New regions have at least this size; growing adds at least this much.
 * Areas are committed when made or grown, so this is what a task's heap
 * holds reserved beyond what it uses: kept small. */
#define HEAP_REGION_MIN (64 * 1024)
/* A region whose last free block is this large shrinks to keep
 * HEAP_REGION_MIN of it: freed memory goes back to the system. */
#define HEAP_TRIM_MIN (2 * HEAP_REGION_MIN)

typedef struct {
	/** Maps @a size bytes (a multiple of HEAP_PAGE) of read-write memory;
	 *  returns its page-aligned base, or NULL. */
	void *(*area_create)(void *ctx, size_t size);
	/** Resizes the area at @a base to @a size bytes in place; on failure the
	 *  area is unchanged. */
	errno_t (*area_resize)(void *ctx, void *base, size_t size);
	/** Unmaps the area at @a base. */
	void (*area_destroy)(void *ctx, void *base);
	/** Reports @a what ("double free", ...) about @a ptr; does not return. */
	__attribute__((noreturn)) void (*fail)(
	    void *ctx, const char *what, const void *ptr);
	void *ctx;
} heap_ops_t;

typedef struct {
	const heap_ops_t *ops;
	list_t bins[HEAP_SMALL_BINS]; /* free blocks of exactly 48 + 16 * i bytes */
	uint64_t bin_mask;	      /* bit i set: bins[i] is not empty */
	list_t large;		      /* larger free blocks, searched first-fit */
	list_t regions;		      /* the areas blocks are carved from */
	void *last_region;	      /* where the last lookup found a block, or NULL */
	list_t bigs;		      /* allocations with an area of their own */
	void *quick
	    [HEAP_QUICK_LISTS]; /* payloads of freed blocks, chained through their first word */
	unsigned quick_count[HEAP_QUICK_LISTS];
} heap_t;

typedef struct {
	size_t regions;
	size_t region_bytes;
	size_t used_blocks;
	size_t free_blocks;
	size_t free_bytes;
	size_t bigs;
	size_t big_bytes;
} heap_stats_t;

void heap_init(heap_t *heap, const heap_ops_t *ops);
/** @a size bytes (0 gives a minimal block), or NULL when out of memory. */
void *heap_alloc(heap_t *heap, size_t size);
/** Frees @a ptr (NULL is ignored); an invalid or double free calls ops->fail. */
void heap_free(heap_t *heap, void *ptr);
/** C realloc: NULL when out of memory, @a ptr then still valid. */
void *heap_realloc(heap_t *heap, void *ptr, size_t size);
/** Checks every invariant of the heap (after giving the quick lists' blocks
 *  back, so that they count as free); NULL if it holds, else what is broken.
 *  Fills @a stats unless NULL. */
const char *heap_check(heap_t *heap, heap_stats_t *stats);

#endif
