/*
 * Self-tests: the physical frame allocator on the real memory map.
 */
#include <test.h>
#include <arch/mm.h>
#include <boot.h>
#include <mm/frame.h>
#include <mm/kmalloc.h>
#include <string.h>

extern char kernel_phys_start[], kernel_phys_end[];

/** Chains allocated frames through their first word so that no memory is needed. */
static size_t alloc_all(unsigned order, paddr_t *head)
{
	size_t n = 0;
	paddr_t pa;
	*head = 0;
	while (frame_alloc(order, &pa) == EOK) {
		*(paddr_t *) phys_to_virt(pa) = *head;
		*head = pa;
		n++;
	}
	return n;
}

static void free_chain(paddr_t head)
{
	while (head != 0) {
		paddr_t next = *(paddr_t *) phys_to_virt(head);
		frame_free(head);
		head = next;
	}
}

static bool overlaps(paddr_t pa, paddr_t start, paddr_t end)
{
	return pa + FRAME_SIZE > start && pa < end;
}

KTEST(frame_exhaustion_and_return)
{
	frame_stats_t before, after;
	frame_get_stats(&before);
	paddr_t chain;
	size_t n = alloc_all(0, &chain);
	KT_ASSERT_EQ(n, before.free);
	paddr_t pa;
	KT_ASSERT_EQ(frame_alloc(0, &pa), ENOMEM);
	KT_ASSERT_EQ(frame_alloc(BUDDY_MAX_ORDER, &pa), ENOMEM);
	free_chain(chain);
	frame_get_stats(&after);
	KT_ASSERT_EQ(after.free, before.free);
}

KTEST(frame_never_hands_out_reserved_memory)
{
	paddr_t chain;
	size_t n = alloc_all(0, &chain);
	KT_ASSERT(n > 0);
	bool bad = false;
	for (paddr_t pa = chain; pa != 0; pa = *(paddr_t *) phys_to_virt(pa)) {
		if (pa < 0x100000 ||
		    overlaps(
			pa, (uintptr_t) kernel_phys_start, (uintptr_t) kernel_phys_end))
			bad = true;
		for (size_t i = 0; i < boot_info.module_count; i++) {
			if (overlaps(
				pa, boot_info.modules[i].start, boot_info.modules[i].end))
				bad = true;
		}
		bool in_ram = false;
		for (size_t i = 0; i < boot_info.memmap_count; i++) {
			const boot_memrange_t *r = &boot_info.memmap[i];
			if (r->type == MEMRANGE_AVAILABLE && pa >= r->base &&
			    pa + FRAME_SIZE <= r->base + r->size)
				in_ram = true;
		}
		if (!in_ram)
			bad = true;
	}
	free_chain(chain);
	KT_ASSERT(!bad);
}

KTEST(frame_fragmentation_and_coalescing)
{
	frame_stats_t before, after;
	frame_get_stats(&before);
	/* Take everything in single frames, free every other one: no order-1 block
	 * may exist; then free the rest and a large block must be available again. */
	paddr_t chain;
	size_t n = alloc_all(0, &chain);
	KT_ASSERT(n > 16);
	paddr_t keep = 0, pa = chain;
	for (size_t i = 0; pa != 0; i++) {
		paddr_t next = *(paddr_t *) phys_to_virt(pa);
		if (i % 2 == 0) {
			frame_free(pa);
		} else {
			*(paddr_t *) phys_to_virt(pa) = keep;
			keep = pa;
		}
		pa = next;
	}
	paddr_t big;
	errno_t rc = frame_alloc(1, &big);
	bool pairs_possible = rc == EOK;
	if (rc == EOK)
		frame_free(big);
	free_chain(keep);
	frame_get_stats(&after);
	KT_ASSERT_EQ(after.free, before.free);
	KT_ASSERT(frame_alloc(BUDDY_MAX_ORDER, &big) == EOK);
	KT_ASSERT(IS_ALIGNED(big, (paddr_t) FRAME_SIZE << BUDDY_MAX_ORDER));
	frame_free(big);
	/* Frames were handed out in buddy order, so alternate frees leave no pair. */
	KT_ASSERT(!pairs_possible);
}

KTEST(frame_blocks_are_aligned_and_zeroed)
{
	for (unsigned order = 0; order <= 4; order++) {
		paddr_t pa;
		KT_ASSERT_EQ(frame_alloc(order, &pa), EOK);
		memset(phys_to_virt(pa), 0xa5, (size_t) FRAME_SIZE << order);
		frame_free(pa);
		KT_ASSERT_EQ(frame_alloc_zeroed(order, &pa), EOK);
		KT_ASSERT(IS_ALIGNED(pa, (paddr_t) FRAME_SIZE << order));
		const uint8_t *p = phys_to_virt(pa);
		bool zero = true;
		for (size_t i = 0; i < ((size_t) FRAME_SIZE << order); i++)
			zero &= p[i] == 0;
		frame_free(pa);
		KT_ASSERT(zero);
	}
}
