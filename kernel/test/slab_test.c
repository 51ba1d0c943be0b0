/*
 * Self-tests: slab caches and kmalloc on real frames.
 */
#include <test.h>
#include <mm/frame.h>
#include <mm/kmalloc.h>
#include <arch/mm.h>
#include <string.h>

#define OBJS 600

KTEST(slab_many_sizes_distinct_and_aligned)
{
	static const size_t sizes[] = {1, 8, 16, 24, 40, 64, 100, 128, 200, 256, 500, 512,
	    1000, 1024, 2000, 2048, 3000, 4096, 10000, 70000};
	static void *objs[ARRAY_SIZE(sizes)][8];
	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (size_t i = 0; i < 8; i++) {
			objs[s][i] = kmalloc(sizes[s]);
			KT_ASSERT(objs[s][i] != NULL);
			KT_ASSERT(IS_ALIGNED((uintptr_t) objs[s][i], 16));
			memset(objs[s][i], (int) (s * 8 + i), sizes[s]);
		}
	}
	/* Every object still holds its own pattern: nothing overlaps. */
	bool intact = true;
	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (size_t i = 0; i < 8; i++) {
			const uint8_t *p = objs[s][i];
			for (size_t b = 0; b < sizes[s]; b++)
				intact &= p[b] == (uint8_t) (s * 8 + i);
			kfree(objs[s][i]);
		}
	}
	KT_ASSERT(intact);
}

KTEST(slab_memory_returns_to_baseline)
{
	static void *objs[OBJS];
	kmem_reclaim_all();
	frame_stats_t before, after;
	frame_get_stats(&before);
	for (size_t i = 0; i < OBJS; i++) {
		objs[i] = kmalloc(16 + (i * 37) % 3000);
		KT_ASSERT(objs[i] != NULL);
	}
	for (size_t i = 0; i < OBJS; i++)
		kfree(objs[(i * 7) % OBJS]); /* 7 is coprime to OBJS: each once */
	kmem_reclaim_all();
	frame_get_stats(&after);
	KT_ASSERT_EQ(after.free, before.free);
}

KTEST(slab_reuses_freed_objects)
{
	slab_cache_t cache;
	kmem_cache_init(&cache, "test-reuse", 48, 8);
	void *a = kmem_alloc(&cache);
	KT_ASSERT(a != NULL);
	kmem_free(&cache, a);
	void *b = kmem_alloc(&cache);
	KT_ASSERT(b == a);
	kmem_free(&cache, b);
	KT_ASSERT_EQ(cache.objs_in_use, 0);
	KT_ASSERT_EQ(kmem_cache_destroy(&cache), EOK);
	KT_ASSERT_EQ(cache.slab_count, 0);
}

static void *test_pages_alloc(unsigned order)
{
	paddr_t pa;
	return frame_alloc(order, &pa) == EOK ? phys_to_virt(pa) : NULL;
}

static void test_pages_free(void *p, unsigned order)
{
	frame_free(virt_to_phys(p));
}

static size_t corruptions;
static size_t corrupted_at;

static void test_corrupted(const char *cache, void *obj, size_t offset)
{
	corruptions++;
	corrupted_at = offset;
}

static const slab_backend_t test_backend = {
    .pages_alloc = test_pages_alloc,
    .pages_free = test_pages_free,
    .corrupted = test_corrupted,
};

KTEST(slab_detects_double_free_and_foreign_pointers)
{
	slab_cache_t cache;
	slab_cache_init(&cache, "test-df", 64, 8, true, &test_backend);
	void *a = slab_alloc(&cache);
	void *b = slab_alloc(&cache);
	KT_ASSERT(a != NULL && b != NULL);
	KT_ASSERT_EQ(slab_free(&cache, a), EOK);
	KT_ASSERT_EQ(slab_free(&cache, a), EINVAL);		 /* double free */
	KT_ASSERT_EQ(slab_free(&cache, (char *) b + 8), EINVAL); /* inside an object */
	KT_ASSERT_EQ(slab_free(&cache, b), EOK);
	KT_ASSERT_EQ(slab_cache_destroy(&cache), EOK);
}

KTEST(slab_poison_catches_write_after_free)
{
	slab_cache_t cache;
	slab_cache_init(&cache, "test-poison", 32, 8, true, &test_backend);
	corruptions = 0;
	uint8_t *a = slab_alloc(&cache);
	KT_ASSERT(a != NULL);
	KT_ASSERT_EQ(slab_free(&cache, a), EOK);
	KT_ASSERT_EQ(a[19], SLAB_POISON); /* freed memory is poisoned */
	a[19] = 0;			  /* a write after free */
	void *again = slab_alloc(&cache); /* the same object comes back */
	KT_ASSERT(again == a);
	KT_ASSERT_EQ(corruptions, 1);
	KT_ASSERT_EQ(corrupted_at, 19); /* the very byte is named */
	KT_ASSERT_EQ(slab_free(&cache, again), EOK);
	KT_ASSERT_EQ(slab_cache_destroy(&cache), EOK);
}
