/*
 * The buddy allocator over a synthetic frame range with holes.
 */
#include "host_test.h"
#include <mm/buddy.h>
#include <stdlib.h>
#include <string.h>

#define BASE  1000 /* deliberately not aligned to any large order */
#define COUNT 5000

static buddy_t b;
static frame_t frames[COUNT];

static void setup(void)
{
	buddy_init(&b, frames, BASE, COUNT);
	buddy_add_range(&b, BASE, 2000);		/* [1000, 3000) */
	buddy_add_range(&b, BASE + 2500, COUNT - 2500); /* hole: [3000, 3500) */
}

HOST_TEST(adds_only_given_ranges)
{
	setup();
	CHECK_EQ(b.free_frames, COUNT - 500);
	pfn_t pfn;
	size_t n = 0;
	while (buddy_alloc(&b, 0, &pfn) == EOK) {
		CHECK(pfn >= BASE && pfn < BASE + COUNT);
		CHECK(!(pfn >= 3000 && pfn < 3500));
		n++;
	}
	CHECK_EQ(n, COUNT - 500);
	CHECK_EQ(buddy_alloc(&b, 0, &pfn), ENOMEM);
}

HOST_TEST(blocks_are_naturally_aligned)
{
	setup();
	for (unsigned order = 0; order <= BUDDY_MAX_ORDER; order++) {
		pfn_t pfn;
		if (buddy_alloc(&b, order, &pfn) != EOK)
			continue;
		CHECK_EQ(pfn % (1u << order), 0);
	}
}

HOST_TEST(free_coalesces_back_to_the_start)
{
	setup();
	size_t initial = b.free_frames;
	size_t lists[BUDDY_MAX_ORDER + 1];
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		lists[k] = list_count(&b.free_lists[k]);

	static pfn_t got[COUNT];
	size_t n = 0;
	srand(7);
	pfn_t pfn;
	while (buddy_alloc(&b, (unsigned) (rand() % 4), &pfn) == EOK)
		got[n++] = pfn;
	/* Free in a shuffled order. */
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t) rand() % i;
		pfn_t t = got[i - 1];
		got[i - 1] = got[j];
		got[j] = t;
	}
	for (size_t i = 0; i < n; i++)
		CHECK_EQ(buddy_free(&b, got[i]), EOK);
	CHECK_EQ(b.free_frames, initial);
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		CHECK_EQ(list_count(&b.free_lists[k]), lists[k]);
}

HOST_TEST(rejects_double_free_and_bad_frames)
{
	setup();
	pfn_t pfn;
	CHECK_EQ(buddy_alloc(&b, 2, &pfn), EOK);
	CHECK_EQ(buddy_free(&b, pfn + 1), EINVAL); /* not the head */
	CHECK_EQ(buddy_free(&b, pfn), EOK);
	CHECK_EQ(buddy_free(&b, pfn), EINVAL);	 /* double free */
	CHECK_EQ(buddy_free(&b, 3200), EINVAL);	 /* in the hole */
	CHECK_EQ(buddy_free(&b, 99999), EINVAL); /* out of range */
	CHECK_EQ(buddy_alloc(&b, BUDDY_MAX_ORDER + 1, &pfn), ENOMEM);
}
