/*
 * The heap core behind malloc (src/heap.c) over fake areas from the host's
 * allocator. A fake area can grow in place up to four times its first size,
 * unless the test forbids it; misuse reports longjmp back into the test.
 */
#include "host_test.h"
#include "private/heap.h"
#include <setjmp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define AREAS_MAX 64
/* An allocation ten of which (and no more) fill a new region. */
#define TENTH_REGION ((HEAP_REGION_MIN - 1024) / 10)
_Static_assert(TENTH_REGION < HEAP_BIG_MIN, "tenths are carved from regions");

typedef struct {
	void *base;
	size_t size;
	size_t capacity;
} fake_area_t;

static fake_area_t areas[AREAS_MAX];
static bool create_fails;
static bool resize_fails;
static jmp_buf fail_jump;
static const char *fail_what;
static const void *fail_ptr;

static fake_area_t *area_find(void *base)
{
	for (int i = 0; i < AREAS_MAX; i++) {
		if (areas[i].base == base)
			return &areas[i];
	}
	return NULL;
}

static void *fake_create(void *ctx, size_t size)
{
	fake_area_t *a = area_find(NULL);
	if (create_fails || a == NULL || size % HEAP_PAGE != 0)
		return NULL;
	a->base = aligned_alloc(HEAP_PAGE, size * 4);
	a->size = size;
	a->capacity = size * 4;
	/* Areas are zero-filled; garbage makes use of uninitialised bytes show. */
	memset(a->base, 0xa5, a->capacity);
	return a->base;
}

static errno_t fake_resize(void *ctx, void *base, size_t size)
{
	fake_area_t *a = area_find(base);
	if (a == NULL || size % HEAP_PAGE != 0)
		return EINVAL;
	if (resize_fails || size > a->capacity)
		return ENOMEM;
	a->size = size;
	return EOK;
}

static void fake_destroy(void *ctx, void *base)
{
	fake_area_t *a = area_find(base);
	if (a != NULL) {
		free(a->base);
		*a = (fake_area_t){0};
	}
}

static __attribute__((noreturn)) void fake_fail(
    void *ctx, const char *what, const void *ptr)
{
	fail_what = what;
	fail_ptr = ptr;
	longjmp(fail_jump, 1);
}

static const heap_ops_t fake_ops = {
    .area_create = fake_create,
    .area_resize = fake_resize,
    .area_destroy = fake_destroy,
    .fail = fake_fail,
};

static int area_count(void)
{
	int n = 0;
	for (int i = 0; i < AREAS_MAX; i++)
		n += areas[i].base != NULL;
	return n;
}

static void fresh_heap(heap_t *heap)
{
	for (int i = 0; i < AREAS_MAX; i++)
		fake_destroy(NULL, areas[i].base);
	create_fails = false;
	resize_fails = false;
	fail_what = NULL;
	heap_init(heap, &fake_ops);
}

static void fill(void *p, size_t n, unsigned seed)
{
	unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char) (seed * 31 + i);
}

static bool intact(const void *p, size_t n, unsigned seed)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		if (b[i] != (unsigned char) (seed * 31 + i))
			return false;
	}
	return true;
}

#define CHECK_HEAP(heap) CHECK(heap_check(heap, NULL) == NULL)

HOST_TEST(allocations_are_aligned_disjoint_and_keep_their_contents)
{
	heap_t heap;
	fresh_heap(&heap);
	void *p[200];
	size_t size[200];
	for (unsigned i = 0; i < 200; i++) {
		size[i] = (i * 37) % 3000;
		p[i] = heap_alloc(&heap, size[i]);
		CHECK(p[i] != NULL);
		CHECK((uintptr_t) p[i] % HEAP_ALIGN == 0);
		fill(p[i], size[i], i);
	}
	CHECK_HEAP(&heap);
	for (unsigned i = 0; i < 200; i++)
		CHECK(intact(p[i], size[i], i));
	for (unsigned i = 0; i < 200; i++)
		heap_free(&heap, p[i]);
	CHECK_HEAP(&heap);
}

HOST_TEST(zero_bytes_give_distinct_blocks)
{
	heap_t heap;
	fresh_heap(&heap);
	void *a = heap_alloc(&heap, 0);
	void *b = heap_alloc(&heap, 0);
	CHECK(a != NULL && b != NULL && a != b);
	heap_free(&heap, a);
	heap_free(&heap, b);
	CHECK_HEAP(&heap);
}

HOST_TEST(free_of_null_does_nothing)
{
	heap_t heap;
	fresh_heap(&heap);
	heap_free(&heap, NULL);
	CHECK_EQ(area_count(), 0);
}

HOST_TEST(a_freed_small_block_is_reused)
{
	heap_t heap;
	fresh_heap(&heap);
	void *keep = heap_alloc(&heap, 8);
	void *a = heap_alloc(&heap, 24);
	void *guard = heap_alloc(&heap, 8);
	heap_free(&heap, a);
	CHECK(heap_alloc(&heap, 24) == a);
	heap_free(&heap, keep);
	heap_free(&heap, guard);
	CHECK_HEAP(&heap);
}

HOST_TEST(freeing_everything_merges_back_into_one_free_block)
{
	heap_t heap;
	fresh_heap(&heap);
	void *p[3];
	for (int i = 0; i < 3; i++)
		p[i] = heap_alloc(&heap, 100);
	heap_free(&heap, p[0]);
	heap_free(&heap, p[2]);
	heap_free(&heap, p[1]); /* merges with both neighbours */
	heap_stats_t st;
	CHECK(heap_check(&heap, &st) == NULL);
	CHECK_EQ(st.regions, 1);
	CHECK_EQ(st.used_blocks, 0);
	CHECK_EQ(st.free_blocks, 1);
}

HOST_TEST(a_full_region_grows_in_place)
{
	heap_t heap;
	fresh_heap(&heap);
	void *p[30];
	for (int i = 0; i < 30; i++) {
		p[i] = heap_alloc(&heap, TENTH_REGION);
		CHECK(p[i] != NULL);
		fill(p[i], TENTH_REGION, (unsigned) i);
	}
	heap_stats_t st;
	CHECK(heap_check(&heap, &st) == NULL);
	CHECK_EQ(st.regions, 1);
	CHECK(st.region_bytes > HEAP_REGION_MIN);
	for (int i = 0; i < 30; i++) {
		CHECK(intact(p[i], TENTH_REGION, (unsigned) i));
		heap_free(&heap, p[i]);
	}
	CHECK_HEAP(&heap);
}

HOST_TEST(a_freed_tail_goes_back_to_the_system)
{
	heap_t heap;
	fresh_heap(&heap);
	void *keep = heap_alloc(&heap, 100);
	void *p[30];
	for (int i = 0; i < 30; i++)
		p[i] = heap_alloc(&heap, TENTH_REGION);
	heap_stats_t st;
	CHECK(heap_check(&heap, &st) == NULL);
	CHECK_EQ(st.regions, 1);
	CHECK(st.region_bytes >= 3 * HEAP_REGION_MIN);
	for (int i = 0; i < 30; i++)
		heap_free(&heap, p[i]);
	CHECK(heap_check(&heap, &st) == NULL);
	/* What stays: the block kept, HEAP_REGION_MIN of slack, headers. */
	CHECK(st.region_bytes <= HEAP_REGION_MIN + 2 * HEAP_PAGE);
	CHECK_EQ(st.used_blocks, 1);
	for (int i = 0; i < 30; i++) {
		p[i] = heap_alloc(&heap, TENTH_REGION);
		CHECK(p[i] != NULL);
		fill(p[i], TENTH_REGION, (unsigned) i);
	}
	for (int i = 0; i < 30; i++) {
		CHECK(intact(p[i], TENTH_REGION, (unsigned) i));
		heap_free(&heap, p[i]);
	}
	heap_free(&heap, keep);
	CHECK_HEAP(&heap);
}

HOST_TEST(a_region_that_cannot_grow_gets_a_neighbour_which_is_returned_when_empty)
{
	heap_t heap;
	fresh_heap(&heap);
	resize_fails = true;
	void *p[20];
	for (int i = 0; i < 20; i++)
		p[i] = heap_alloc(&heap, TENTH_REGION);
	heap_stats_t st;
	CHECK(heap_check(&heap, &st) == NULL);
	CHECK_EQ(st.regions, 2);
	CHECK_EQ(area_count(), 2);
	for (int i = 19; i >= 0; i--)
		heap_free(&heap, p[i]);
	CHECK(heap_check(&heap, &st) == NULL);
	CHECK_EQ(st.regions, 1);
	CHECK_EQ(area_count(), 1);
	CHECK_EQ(st.free_blocks, 1);
}

HOST_TEST(big_allocations_get_their_own_area_and_return_it)
{
	heap_t heap;
	fresh_heap(&heap);
	void *small = heap_alloc(&heap, 10);
	CHECK_EQ(area_count(), 1);
	void *big = heap_alloc(&heap, HEAP_BIG_MIN);
	CHECK(big != NULL && (uintptr_t) big % HEAP_ALIGN == 0);
	CHECK_EQ(area_count(), 2);
	fill(big, HEAP_BIG_MIN, 7);
	heap_free(&heap, big);
	CHECK_EQ(area_count(), 1);
	heap_free(&heap, small);
	CHECK_HEAP(&heap);
}

HOST_TEST(out_of_memory_gives_null)
{
	heap_t heap;
	fresh_heap(&heap);
	create_fails = true;
	CHECK(heap_alloc(&heap, 10) == NULL);
	CHECK(heap_alloc(&heap, HEAP_BIG_MIN) == NULL);
	create_fails = false;
	CHECK(heap_alloc(&heap, SIZE_MAX) == NULL);
	CHECK(heap_alloc(&heap, SIZE_MAX - HEAP_PAGE) == NULL);
	CHECK_EQ(area_count(), 0);
}

HOST_TEST(realloc_of_null_allocates)
{
	heap_t heap;
	fresh_heap(&heap);
	void *p = heap_realloc(&heap, NULL, 50);
	CHECK(p != NULL);
	heap_free(&heap, p);
	CHECK_HEAP(&heap);
}

HOST_TEST(realloc_shrinks_and_grows_in_place_when_there_is_room)
{
	heap_t heap;
	fresh_heap(&heap);
	char *p = heap_alloc(&heap, 1000);
	fill(p, 1000, 3);
	CHECK(heap_realloc(&heap, p, 100) == p);
	CHECK(intact(p, 100, 3));
	CHECK(heap_realloc(&heap, p, 5000) == p); /* the rest of the region is free */
	CHECK(intact(p, 100, 3));
	CHECK_HEAP(&heap);
	heap_free(&heap, p);
	CHECK_HEAP(&heap);
}

HOST_TEST(realloc_moves_when_the_neighbour_is_taken)
{
	heap_t heap;
	fresh_heap(&heap);
	char *p = heap_alloc(&heap, 64);
	void *neighbour = heap_alloc(&heap, 64);
	fill(p, 64, 9);
	char *q = heap_realloc(&heap, p, 4000);
	CHECK(q != NULL && q != p);
	CHECK(intact(q, 64, 9));
	heap_free(&heap, q);
	heap_free(&heap, neighbour);
	CHECK_HEAP(&heap);
}

HOST_TEST(realloc_crosses_between_heap_and_big_areas_keeping_contents)
{
	heap_t heap;
	fresh_heap(&heap);
	char *p = heap_alloc(&heap, 5000);
	fill(p, 5000, 4);
	p = heap_realloc(&heap, p, 3 * HEAP_BIG_MIN);
	CHECK(p != NULL && intact(p, 5000, 4));
	CHECK_EQ(area_count(), 2);
	fill(p, 3 * HEAP_BIG_MIN, 5);
	char *q = heap_realloc(&heap, p, 4 * HEAP_BIG_MIN); /* the area grows */
	CHECK(q == p && intact(q, 3 * HEAP_BIG_MIN, 5));
	q = heap_realloc(&heap, q, 200); /* back into the heap */
	CHECK(q != NULL && intact(q, 200, 5));
	CHECK_EQ(area_count(), 1);
	heap_free(&heap, q);
	CHECK_HEAP(&heap);
}

HOST_TEST(failed_realloc_leaves_the_block_intact)
{
	heap_t heap;
	fresh_heap(&heap);
	char *p = heap_alloc(&heap, 64);
	void *neighbour = heap_alloc(&heap, 64);
	fill(p, 64, 6);
	create_fails = true;
	CHECK(heap_realloc(&heap, p, HEAP_BIG_MIN) == NULL);
	CHECK(heap_realloc(&heap, p, SIZE_MAX) == NULL);
	CHECK(intact(p, 64, 6));
	create_fails = false;
	heap_free(&heap, p);
	heap_free(&heap, neighbour);
	CHECK_HEAP(&heap);
}

/** Runs heap_free(@a ptr) and returns what it reported, or NULL. */
static const char *free_reports(heap_t *heap, void *ptr)
{
	fail_what = NULL;
	if (setjmp(fail_jump) == 0)
		heap_free(heap, ptr);
	return fail_what;
}

HOST_TEST(double_free_is_reported)
{
	heap_t heap;
	fresh_heap(&heap);
	/* Larger than HEAP_QUICK_MAX: freed blocks merge at once. */
	void *keep = heap_alloc(&heap, 300);
	void *p = heap_alloc(&heap, 300);
	void *guard = heap_alloc(&heap, 300);
	heap_free(&heap, p);
	const char *what = free_reports(&heap, p);
	CHECK(what != NULL && strcmp(what, "double free") == 0);
	CHECK(fail_ptr == p);
	heap_free(&heap, keep); /* p merges into keep's block */
	what = free_reports(&heap, p);
	CHECK(what != NULL && strcmp(what, "double free") == 0);
	heap_free(&heap, guard);
	CHECK_HEAP(&heap);
}

HOST_TEST(small_blocks_come_back_from_the_quick_lists)
{
	heap_t heap;
	fresh_heap(&heap);
	void *a = heap_alloc(&heap, 32);
	void *b = heap_alloc(&heap, 32);
	heap_free(&heap, a);
	CHECK(heap_alloc(&heap, 20) == a); /* the same 48-byte block, unmerged */
	CHECK(heap_alloc(&heap, 100) != b);
	heap_free(&heap, b);
	const char *what = free_reports(&heap, b); /* waiting on a quick list */
	CHECK(what != NULL && strcmp(what, "double free") == 0);
	/* More than a list holds: the rest are freed the ordinary way. */
	void *many[3 * HEAP_QUICK_DEPTH];
	for (int i = 0; i < 3 * HEAP_QUICK_DEPTH; i++)
		many[i] = heap_alloc(&heap, 64);
	for (int i = 0; i < 3 * HEAP_QUICK_DEPTH; i++)
		heap_free(&heap, many[i]);
	heap_free(&heap, a);
	heap_stats_t st;
	CHECK(heap_check(&heap, &st) == NULL); /* the quick lists given back */
	CHECK(st.used_blocks == 1); /* the 100-byte block, free space on each side */
	CHECK(st.free_blocks == 2);
}

HOST_TEST(a_full_heap_reuses_blocks_waiting_on_quick_lists)
{
	heap_t heap;
	fresh_heap(&heap);
	void *p[HEAP_REGION_MIN / 200];
	p[0] = heap_alloc(&heap, 200);
	resize_fails = true; /* one region, and no more */
	create_fails = true;
	int n = 1;
	while (n < HEAP_REGION_MIN / 200 && (p[n] = heap_alloc(&heap, 200)) != NULL)
		n++;
	CHECK(n > 8 && n < HEAP_REGION_MIN / 200); /* the region is full */
	CHECK(heap_alloc(&heap, 1000) == NULL);
	for (int i = 0; i < 8; i++)
		heap_free(&heap, p[i]); /* eight 224-byte blocks on a quick list */
	CHECK(heap_alloc(&heap, 1000) != NULL); /* they merge to fit */
	CHECK_HEAP(&heap);
}

HOST_TEST(double_free_of_a_big_block_is_reported)
{
	heap_t heap;
	fresh_heap(&heap);
	void *big = heap_alloc(&heap, HEAP_BIG_MIN);
	heap_free(&heap, big);
	CHECK(free_reports(&heap, big) != NULL);
}

HOST_TEST(pointers_malloc_did_not_return_are_reported)
{
	heap_t heap;
	fresh_heap(&heap);
	char *p = heap_alloc(&heap, 100);
	int on_stack;
	CHECK(free_reports(&heap, &on_stack) != NULL);
	CHECK(free_reports(&heap, p + 1) != NULL);
	memset(p + 16, 0, 32); /* no header here */
	CHECK(free_reports(&heap, p + 32) != NULL);
	void *big = heap_alloc(&heap, HEAP_BIG_MIN);
	CHECK(free_reports(&heap, (char *) big + HEAP_ALIGN) != NULL);
	heap_free(&heap, big);
	heap_free(&heap, p);
	CHECK_HEAP(&heap);
}

HOST_TEST(an_overrun_into_the_next_header_is_reported)
{
	heap_t heap;
	fresh_heap(&heap);
	char *p = heap_alloc(&heap, 32);
	void *next = heap_alloc(&heap, 32);
	memset(p, 'x', 32 + 16); /* writes over the next block's header */
	const char *what = free_reports(&heap, p);
	CHECK(what != NULL && strstr(what, "corruption") != NULL);
	(void) next;
}

HOST_TEST(random_workload_keeps_the_heap_consistent)
{
	enum { SLOTS = 500, STEPS = 20000 };
	static void *p[SLOTS];
	static size_t size[SLOTS];
	heap_t heap;
	fresh_heap(&heap);
	memset(p, 0, sizeof(p));
	unsigned seed = 12345;
	for (unsigned step = 0; step < STEPS; step++) {
		seed = seed * 1103515245 + 12345;
		unsigned i = (seed >> 8) % SLOTS;
		unsigned r = seed >> 16;
		size_t n = r % 8 == 0 ? r % 200000 : r % 600;
		if (p[i] != NULL)
			CHECK(intact(p[i], size[i], i));
		if (p[i] != NULL && r % 3 == 0) {
			heap_free(&heap, p[i]);
			p[i] = NULL;
			continue;
		}
		void *q = p[i] != NULL ? heap_realloc(&heap, p[i], n)
				       : heap_alloc(&heap, n);
		CHECK(q != NULL);
		p[i] = q;
		size[i] = n;
		fill(p[i], n, i);
		if (step % 1000 == 0)
			CHECK_HEAP(&heap);
	}
	for (unsigned i = 0; i < SLOTS; i++) {
		if (p[i] != NULL)
			CHECK(intact(p[i], size[i], i));
		heap_free(&heap, p[i]);
	}
	heap_stats_t st;
	CHECK(heap_check(&heap, &st) == NULL);
	CHECK_EQ(st.used_blocks, 0);
	CHECK_EQ(st.bigs, 0);
	CHECK_EQ(st.regions, 1);
	CHECK_EQ(area_count(), 1);
}
