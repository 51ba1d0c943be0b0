/*
 * Slab allocator: caches of equally sized objects carved out of naturally
 * aligned page blocks. Each slab begins with its header and an allocation
 * bitmap, which makes double frees and foreign pointers detectable.
 * With poisoning on (debug builds), freed objects are filled with SLAB_POISON
 * and checked when handed out again, catching writes after free.
 * Lock: each cache has its own spinlock; caches_lock guards the cache list.
 */
#ifndef KERN_MM_SLAB_H
#define KERN_MM_SLAB_H

#include <common/adt/list.h>
#include <spinlock.h>
#include <types.h>

#define SLAB_POISON	 0x6b
#define SLAB_MAX_ORDER	 3
#define SLAB_MAX_OBJECTS 512
#define BITMAP_BYTES(n)	 ((((n) + 63) / 64) * 8)

/** Where slabs come from; the kernel uses frames, host tests use malloc. */
typedef struct {
	/** 2^order pages aligned to their size, or NULL. */
	void *(*pages_alloc)(unsigned order);
	void (*pages_free)(void *pages, unsigned order);
	/** Records that the pages belong to @a slab (NULL: no longer). May be NULL. */
	void (*set_owner)(void *pages, unsigned order, void *slab);
	/** Called when a freed object was written to; may be NULL. */
	void (*corrupted)(const char *cache, void *obj, size_t offset);
} slab_backend_t;

typedef struct slab_cache {
	const char *name;
	size_t obj_size;
	size_t align;
	unsigned order;
	size_t objs_per_slab;
	size_t first_obj; /* offset of object 0 in a slab */
	bool poison;
	const slab_backend_t *backend;
	spinlock_t lock;
	list_t partial; /* slabs with free and used objects */
	list_t full;
	list_t empty; /* at most one, kept to damp alloc/free churn */
	size_t slab_count;
	size_t objs_in_use;
	link_t caches_link;
} slab_cache_t;

void slab_cache_init(slab_cache_t *cache, const char *name, size_t size, size_t align,
    bool poison, const slab_backend_t *backend);
/** Allocates an object; NULL when the backend is out of pages. */
void *slab_alloc(slab_cache_t *cache);
/** Frees @a obj; EINVAL for a pointer that is not an allocated object (double free). */
errno_t slab_free(slab_cache_t *cache, void *obj);
/** Cache that owns the slab page containing @a obj (given that page's start). */
slab_cache_t *slab_cache_of(void *slab_start);
/** Returns the cached empty slab to the backend. */
void slab_cache_reclaim(slab_cache_t *cache);
/** Frees every slab of an unused cache; EBUSY while objects are allocated. */
errno_t slab_cache_destroy(slab_cache_t *cache);

#endif
