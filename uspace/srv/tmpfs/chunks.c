/*
 * Storage for tmpfs's file chunks (TMPFS_CHUNK_SIZE bytes each), apart
 * from the heap: chunks are carved from areas of CHUNKS_PER_AREA chunks,
 * and an area whose chunks are all free is given back to the system at
 * once. In the heap, chunks freed below longer-lived small objects (nodes,
 * names, connections) stayed with the server: filling /tmp and emptying it
 * left megabytes in tmpfs for good.
 *
 * Areas with a free chunk sit on `open_areas`, full ones on `full_areas`; each area's
 * record (chunk_area_t) lives in the heap. One emptied area is kept (`spare`,
 * on `open_areas`) rather than given back: a write of whole chunks takes a
 * run of new chunks side by side (tmpfs_chunk_run_alloc) and frees the old
 * ones, so rewriting 64 KiB empties an area and needs a whole one again; the
 * spare keeps its pages from being unmapped and faulted in on every write. Not synchronised: the caller
 * holds the server's lock (like tree.c and file.c).
 */
#include "tmpfs.h"
#include <as.h>
#include <common/adt/list.h>
#include <stdlib.h>
#include <string.h>

#define CHUNKS_PER_AREA 16 /* 64 KiB areas: the waste of a sparse area is bounded */
#define AREA_SIZE	(CHUNKS_PER_AREA * TMPFS_CHUNK_SIZE)

_Static_assert(CHUNKS_PER_AREA <= 32, "one bit per chunk in `used`");
_Static_assert(TMPFS_RUN_MAX == AREA_SIZE, "a run lies in one area");

typedef struct {
	link_t link; /* on `open_areas` or `full_areas` */
	uint8_t *base;
	uint32_t used; /* bit i: chunk i is handed out */
} chunk_area_t;

static list_t open_areas = LIST_INITIALIZER(open_areas);
static list_t full_areas = LIST_INITIALIZER(full_areas);
static chunk_area_t *spare; /* an empty area kept, or NULL */

/** A new area with every chunk free (zeroed by the system), on `open_areas`. */
static chunk_area_t *area_new(void)
{
	chunk_area_t *a = malloc(sizeof(*a));
	uintptr_t base = AS_AREA_ANY;
	if (a == NULL ||
	    as_area_create(&base, AREA_SIZE,
		AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE) != EOK) {
		free(a);
		return NULL;
	}
	a->base = (uint8_t *) base;
	a->used = 0;
	list_prepend(&a->link, &open_areas);
	return a;
}

/** Marks chunks @a first .. @a first + @a n - 1 of @a a handed out; the
 *  address of the first. */
static uint8_t *area_take(chunk_area_t *a, unsigned first, size_t n)
{
	if (a == spare)
		spare = NULL;
	a->used |= (uint32_t) (((1ull << n) - 1) << first);
	if (a->used == (1u << CHUNKS_PER_AREA) - 1) {
		list_remove(&a->link);
		list_append(&a->link, &full_areas);
	}
	return a->base + (size_t) first * TMPFS_CHUNK_SIZE;
}

uint8_t *tmpfs_chunk_alloc(void)
{
	link_t *first = list_first(&open_areas);
	chunk_area_t *a = first != NULL ? list_get_instance(first, chunk_area_t, link)
					: area_new();
	if (a == NULL)
		return NULL;
	uint8_t *chunk = area_take(a, (unsigned) __builtin_ctz(~a->used), 1);
	memset(chunk, 0, TMPFS_CHUNK_SIZE); /* a reused chunk holds old data */
	return chunk;
}

/** The first of @a n free chunks side by side in @a a, or -1. */
static int area_run_find(const chunk_area_t *a, size_t n)
{
	uint32_t mask = (uint32_t) ((1ull << n) - 1);
	for (unsigned i = 0; i + n <= CHUNKS_PER_AREA; i++) {
		if ((a->used & (mask << i)) == 0)
			return (int) i;
	}
	return -1;
}

uint8_t *tmpfs_chunk_run_alloc(size_t n)
{
	if (n == 0 || n > CHUNKS_PER_AREA)
		return NULL;
	list_foreach (open_areas, link, chunk_area_t, a) {
		int i = area_run_find(a, n);
		if (i >= 0)
			return area_take(a, (unsigned) i, n);
	}
	chunk_area_t *a = area_new();
	return a != NULL ? area_take(a, 0, n) : NULL;
}

/** The area of @a list holding @a chunk, or NULL. */
static chunk_area_t *area_find(list_t *list, const uint8_t *chunk)
{
	list_foreach (*list, link, chunk_area_t, a) {
		if (chunk >= a->base && chunk < a->base + AREA_SIZE)
			return a;
	}
	return NULL;
}

void tmpfs_chunk_free(uint8_t *chunk)
{
	if (chunk == NULL)
		return;
	chunk_area_t *a = area_find(&full_areas, chunk);
	if (a != NULL) {
		list_remove(&a->link);
		list_prepend(&a->link, &open_areas);
	} else {
		a = area_find(&open_areas, chunk);
	}
	if (a == NULL)
		abort(); /* not a chunk: the tree's invariants are broken */
	a->used &= ~(1u << ((chunk - a->base) / TMPFS_CHUNK_SIZE));
	if (a->used != 0 || a == spare)
		return;
	if (spare == NULL) {
		spare = a;
		return;
	}
	list_remove(&a->link);
	DISCARD(cleanup, as_area_destroy((uintptr_t) a->base));
	free(a);
}
