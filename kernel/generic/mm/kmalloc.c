/*
 * Kernel heap glue: slab caches backed by frames, plus kmalloc/kfree.
 * Lock order: caches_lock -> cache->lock -> frame_lock.
 */
#include <mm/kmalloc.h>
#include <mm/frame.h>
#include <arch/mm.h>
#include <panic.h>
#include <string.h>

static const size_t kmalloc_sizes[] = {16, 32, 64, 128, 256, 512, 1024, 2048};
static const char *const kmalloc_names[] = {
    "kmalloc-16",
    "kmalloc-32",
    "kmalloc-64",
    "kmalloc-128",
    "kmalloc-256",
    "kmalloc-512",
    "kmalloc-1024",
    "kmalloc-2048",
};
static slab_cache_t kmalloc_caches[ARRAY_SIZE(kmalloc_sizes)];
static list_t caches = LIST_INITIALIZER(caches);
static spinlock_t caches_lock = SPINLOCK_INITIALIZER("kmem_caches", KMEM_CACHES);
static size_t large_blocks;

static void *frames_alloc(unsigned order)
{
	paddr_t pa;
	if (frame_alloc(order, &pa) != EOK)
		return NULL;
	return phys_to_virt(pa);
}

static void frames_free(void *pages, unsigned order)
{
	frame_free(virt_to_phys(pages));
}

static void frames_set_owner(void *pages, unsigned order, void *slab)
{
	paddr_t pa = virt_to_phys(pages);
	for (size_t i = 0; i < ((size_t) 1 << order); i++)
		frame_of(pa + i * FRAME_SIZE)->owner = slab;
}

static void slab_corrupted(const char *cache, void *obj, size_t offset)
{
	panic("slab %s: object %p written after free (byte %zu)", cache, obj, offset);
}

static const slab_backend_t frame_backend = {
    .pages_alloc = frames_alloc,
    .pages_free = frames_free,
    .set_owner = frames_set_owner,
    .corrupted = slab_corrupted,
};

void kmem_cache_init(slab_cache_t *cache, const char *name, size_t size, size_t align)
{
#ifdef CONFIG_DEBUG
	const bool poison = true;
#else
	const bool poison = false;
#endif
	slab_cache_init(cache, name, size, align, poison, &frame_backend);
	spinlock_lock(&caches_lock);
	list_append(&cache->caches_link, &caches);
	spinlock_unlock(&caches_lock);
}

errno_t kmem_cache_destroy(slab_cache_t *cache)
{
	spinlock_lock(&caches_lock);
	errno_t rc = slab_cache_destroy(cache);
	if (rc == EOK)
		list_remove(&cache->caches_link);
	spinlock_unlock(&caches_lock);
	return rc;
}

void *kmem_alloc(slab_cache_t *cache)
{
	return slab_alloc(cache);
}

void kmem_free(slab_cache_t *cache, void *obj)
{
	if (slab_free(cache, obj) != EOK)
		panic("kmem_free(%s, %p): not an allocated object (double free?)",
		    cache->name, obj);
}

void kmalloc_init(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(kmalloc_sizes); i++)
		kmem_cache_init(&kmalloc_caches[i], kmalloc_names[i], kmalloc_sizes[i],
		    sizeof(void *) * 2);
}

void *kmalloc(size_t size)
{
	for (size_t i = 0; i < ARRAY_SIZE(kmalloc_sizes); i++) {
		if (size <= kmalloc_sizes[i])
			return slab_alloc(&kmalloc_caches[i]);
	}
	void *p = frames_alloc(frame_order_for(size));
	if (p != NULL)
		__atomic_add_fetch(&large_blocks, 1, __ATOMIC_RELAXED);
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);
	if (p != NULL)
		memset(p, 0, size);
	return p;
}

void kfree(void *ptr)
{
	if (ptr == NULL)
		return;
	frame_t *f = frame_of(virt_to_phys(ptr));
	if (f == NULL)
		panic("kfree(%p): not a heap address", ptr);
	if (f->owner != NULL) {
		slab_cache_t *c = slab_cache_of(f->owner);
		kmem_free(c, ptr);
		return;
	}
	if (!IS_ALIGNED((uintptr_t) ptr, FRAME_SIZE) || f->flags != FRAME_ALLOCATED)
		panic("kfree(%p): not an allocated block (double free?)", ptr);
	__atomic_sub_fetch(&large_blocks, 1, __ATOMIC_RELAXED);
	frame_free(virt_to_phys(ptr));
}

void kmem_reclaim_all(void)
{
	spinlock_lock(&caches_lock);
	list_foreach (caches, caches_link, slab_cache_t, c)
		slab_cache_reclaim(c);
	spinlock_unlock(&caches_lock);
}

void kmem_get_stats(kmem_stats_t *stats)
{
	memset(stats, 0, sizeof(*stats));
	spinlock_lock(&caches_lock);
	list_foreach (caches, caches_link, slab_cache_t, c) {
		stats->caches++;
		stats->slabs += c->slab_count;
		stats->objects += c->objs_in_use;
	}
	spinlock_unlock(&caches_lock);
	stats->large_blocks = large_blocks;
}

void kmem_foreach(void (*fn)(const slab_cache_t *cache, void *arg), void *arg)
{
	spinlock_lock(&caches_lock);
	list_foreach (caches, caches_link, slab_cache_t, c)
		fn(c, arg);
	spinlock_unlock(&caches_lock);
}
