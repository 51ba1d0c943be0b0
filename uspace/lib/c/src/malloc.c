/*
 * malloc, calloc, realloc, free: the heap core (heap.c) over address-space
 * areas, behind one lock (skipped while the task has one thread), and
 * malloc_check() (malloc.h). heap_lock guards
 * `heap`; the failure report runs with it held and must not allocate (stdio
 * does not).
 */
#include "private/heap.h"
#include "private/libc.h"
#include "private/lock.h"
#include <as.h>
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static heap_t heap;
static libc_lock_t heap_lock = LIBC_LOCK_INITIALIZER;

/* Heap operations never block or create threads, so while the task has one
 * thread (__libc_threaded false) nothing can contend for the heap and the
 * lock is skipped: a second thread is announced before it starts. */
static inline bool heap_enter(void)
{
	if (!__atomic_load_n(&__libc_threaded, __ATOMIC_RELAXED))
		return false;
	libc_lock(&heap_lock);
	return true;
}

static inline void heap_leave(bool locked)
{
	if (locked)
		libc_unlock(&heap_lock);
}

static void *heap_area_create(void *ctx, size_t size)
{
	uintptr_t base = AS_AREA_ANY;
	errno_t rc = as_area_create(
	    &base, size, AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE);
	return rc == EOK ? (void *) base : NULL;
}

static errno_t heap_area_resize(void *ctx, void *base, size_t size)
{
	return as_area_resize((uintptr_t) base, size);
}

static void heap_area_destroy(void *ctx, void *base)
{
	DISCARD(cleanup, as_area_destroy((uintptr_t) base));
}

static _Noreturn void heap_fail(void *ctx, const char *what, const void *ptr)
{
	fprintf(stderr, "%s: malloc: %s (%p)\n", __progname, what, ptr);
	abort();
}

static const heap_ops_t heap_area_ops = {
    .area_create = heap_area_create,
    .area_resize = heap_area_resize,
    .area_destroy = heap_area_destroy,
    .fail = heap_fail,
};

void __malloc_init(void)
{
	heap_init(&heap, &heap_area_ops);
}

/** NULL with errno ENOMEM; out of line, so malloc keeps nothing across it. */
static __attribute__((noinline)) void *out_of_memory(void)
{
	errno = ENOMEM;
	return NULL;
}

void *malloc(size_t size)
{
	bool locked = heap_enter();
	void *ptr = heap_alloc(&heap, size);
	heap_leave(locked);
	return ptr != NULL ? ptr : out_of_memory();
}

void *calloc(size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	void *ptr = malloc(n * size);
	if (ptr != NULL)
		memset(ptr, 0, n * size);
	return ptr;
}

void *realloc(void *ptr, size_t size)
{
	bool locked = heap_enter();
	void *moved = heap_realloc(&heap, ptr, size);
	heap_leave(locked);
	return moved != NULL ? moved : out_of_memory();
}

void free(void *ptr)
{
	bool locked = heap_enter();
	heap_free(&heap, ptr);
	heap_leave(locked);
}

const char *malloc_check(malloc_stats_t *stats)
{
	heap_stats_t hs;
	bool locked = heap_enter();
	const char *broken = heap_check(&heap, &hs);
	heap_leave(locked);
	if (stats != NULL) {
		*stats = (malloc_stats_t){
		    .regions = hs.regions,
		    .region_bytes = hs.region_bytes,
		    .used_blocks = hs.used_blocks,
		    .free_blocks = hs.free_blocks,
		    .free_bytes = hs.free_bytes,
		    .bigs = hs.bigs,
		    .big_bytes = hs.big_bytes,
		};
	}
	return broken;
}
