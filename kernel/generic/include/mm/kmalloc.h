/*
 * General-purpose kernel allocator: power-of-two slab caches from 16 to 2048
 * bytes, whole frame blocks above that. kfree() finds the owner through the
 * frame descriptor, so callers need not remember sizes.
 */
#ifndef KERN_MM_KMALLOC_H
#define KERN_MM_KMALLOC_H

#include <mm/slab.h>
#include <types.h>

#define KMALLOC_MAX_SLAB 2048

void kmalloc_init(void);
/** NULL when memory is exhausted (callers turn that into ENOMEM). */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
/** Frees @a ptr from kmalloc/kzalloc (NULL is ignored); a bad pointer panics. */
void kfree(void *ptr);

/** A slab cache whose pages come from the frame allocator. */
void kmem_cache_init(slab_cache_t *cache, const char *name, size_t size, size_t align);
/** Destroys an unused cache made by kmem_cache_init(); EBUSY while objects are allocated. */
errno_t kmem_cache_destroy(slab_cache_t *cache);
void *kmem_alloc(slab_cache_t *cache);
/** Frees an object of @a cache; a double free or foreign pointer panics. */
void kmem_free(slab_cache_t *cache, void *obj);
/** Returns cached empty slabs of every cache to the frame allocator. */
void kmem_reclaim_all(void);

typedef struct {
	size_t caches;
	size_t slabs;
	size_t objects;	     /* allocated objects in all caches */
	size_t large_blocks; /* kmalloc allocations above KMALLOC_MAX_SLAB */
} kmem_stats_t;

void kmem_get_stats(kmem_stats_t *stats);
/** Calls @a fn for every cache (for the kernel console's `mem`). */
void kmem_foreach(void (*fn)(const slab_cache_t *cache, void *arg), void *arg);

#endif
