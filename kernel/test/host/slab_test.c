/*
 * The slab allocator core with a malloc-backed page source.
 */
#include "host_test.h"
#include <mm/slab.h>
#include <stdlib.h>
#include <string.h>

static size_t pages_out;
static size_t corruptions;
static size_t corrupt_off; /* the offset the last report named */

static void *pages_alloc(unsigned order)
{
	size_t bytes = (size_t) 4096 << order;
	pages_out += (size_t) 1 << order;
	return aligned_alloc(bytes, bytes);
}

static void pages_free(void *p, unsigned order)
{
	pages_out -= (size_t) 1 << order;
	free(p);
}

static void corrupted(const char *cache, void *obj, size_t off)
{
	corruptions++;
	corrupt_off = off;
}

static const slab_backend_t backend = {
    .pages_alloc = pages_alloc,
    .pages_free = pages_free,
    .corrupted = corrupted,
};

HOST_TEST(layout_fits_objects_in_slab)
{
	static const size_t sizes[] = {1, 8, 16, 24, 100, 256, 700, 1024, 2048, 4000};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		slab_cache_t c;
		slab_cache_init(&c, "t", sizes[i], 16, false, &backend);
		CHECK(c.objs_per_slab >= 1);
		CHECK(c.first_obj + c.objs_per_slab * c.obj_size <=
		    ((size_t) 4096 << c.order));
		CHECK_EQ(c.first_obj % 16, 0);
		CHECK(c.objs_per_slab >= 8 || c.order == SLAB_MAX_ORDER);
	}
}

HOST_TEST(random_alloc_free_returns_all_pages)
{
	slab_cache_t c;
	slab_cache_init(&c, "t", 96, 8, true, &backend);
	static void *objs[5000];
	size_t live = 0;
	srand(3);
	for (int round = 0; round < 100000; round++) {
		if (live < 5000 && (live == 0 || rand() % 3 != 0)) {
			objs[live] = slab_alloc(&c);
			CHECK(objs[live] != NULL);
			memset(objs[live], 0x11, 96);
			live++;
		} else {
			size_t i = (size_t) rand() % live;
			CHECK_EQ(slab_free(&c, objs[i]), EOK);
			objs[i] = objs[--live];
		}
	}
	while (live > 0)
		CHECK_EQ(slab_free(&c, objs[--live]), EOK);
	CHECK_EQ(corruptions, 0);
	CHECK_EQ(c.objs_in_use, 0);
	CHECK_EQ(slab_cache_destroy(&c), EOK);
	CHECK_EQ(pages_out, 0);
}

HOST_TEST(double_free_and_interior_pointers_rejected)
{
	slab_cache_t c;
	slab_cache_init(&c, "t", 64, 8, true, &backend);
	char *a = slab_alloc(&c);
	CHECK(a != NULL);
	CHECK_EQ(slab_free(&c, a + 1), EINVAL);
	CHECK_EQ(slab_free(&c, a), EOK);
	CHECK_EQ(slab_free(&c, a), EINVAL);
	CHECK_EQ(slab_cache_destroy(&c), EOK);
}

HOST_TEST(write_after_free_is_reported)
{
	slab_cache_t c;
	slab_cache_init(&c, "t", 64, 8, true, &backend);
	corruptions = 0;
	char *a = slab_alloc(&c);
	CHECK_EQ(slab_free(&c, a), EOK);
	a[40] = 1;
	char *b = slab_alloc(&c);
	CHECK(b == a);
	CHECK_EQ(corruptions, 1);
	CHECK_EQ(corrupt_off, 40);
	CHECK_EQ(slab_free(&c, b), EOK);
	CHECK_EQ(slab_cache_destroy(&c), EOK);
}

/* The scan names the exact byte wherever it is: just past the free-list
 * link, in the middle of a word, in the last byte; an intact object passes. */
HOST_TEST(poison_check_names_the_first_changed_byte)
{
	static const size_t offsets[] = {8, 9, 15, 1000, 1023};
	slab_cache_t c;
	slab_cache_init(&c, "t", 1024, 8, true, &backend);
	for (size_t k = 0; k < sizeof(offsets) / sizeof(offsets[0]); k++) {
		corruptions = 0;
		char *a = slab_alloc(&c);
		CHECK_EQ(slab_free(&c, a), EOK);
		a[offsets[k]] = 0;
		CHECK(slab_alloc(&c) == a);
		CHECK_EQ(corruptions, 1);
		CHECK_EQ(corrupt_off, offsets[k]);
		CHECK_EQ(slab_free(&c, a), EOK);
	}
	corruptions = 0;
	char *a = slab_alloc(&c);
	CHECK_EQ(slab_free(&c, a), EOK);
	CHECK(slab_alloc(&c) == a);
	CHECK_EQ(corruptions, 0);
	CHECK_EQ(slab_free(&c, a), EOK);
	CHECK_EQ(slab_cache_destroy(&c), EOK);
}

HOST_TEST(destroy_refuses_busy_cache)
{
	slab_cache_t c;
	slab_cache_init(&c, "t", 32, 8, false, &backend);
	void *a = slab_alloc(&c);
	CHECK_EQ(slab_cache_destroy(&c), EBUSY);
	CHECK_EQ(slab_free(&c, a), EOK);
	CHECK_EQ(slab_cache_destroy(&c), EOK);
	CHECK_EQ(pages_out, 0);
}
