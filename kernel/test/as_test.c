/*
 * Self-tests: address spaces, areas, demand paging and memory objects.
 */
#include <test.h>
#include <arch/layout.h>
#include <arch/mm.h>
#include <mm/as.h>
#include <mm/frame.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <string.h>

#define RW (AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE)
#define RX (AS_AREA_READ | AS_AREA_EXEC | AS_AREA_CACHEABLE)

KTEST(as_area_create_checks_arguments)
{
	as_t *as;
	KT_ASSERT_EQ(as_create(&as), EOK);
	uintptr_t base = 0x1000000;
	KT_ASSERT_EQ(as_area_create(as, &base, 0x4000, RW, NULL, 0), EOK);
	uintptr_t b = 0x1002000;
	KT_ASSERT_EQ(as_area_create(as, &b, 0x4000, RW, NULL, 0), EEXIST);
	b = 0x1000000 - 0x1000;
	KT_ASSERT_EQ(as_area_create(as, &b, 0x2000, RW, NULL, 0), EEXIST);
	b = 0x2000000;
	KT_ASSERT_EQ(as_area_create(as, &b, 0x1000, RW | AS_AREA_EXEC, NULL, 0), EINVAL);
	KT_ASSERT_EQ(as_area_create(as, &b, 0, RW, NULL, 0), EINVAL);
	KT_ASSERT_EQ(as_area_create(as, &b, 0x1000, AS_AREA_WRITE, NULL, 0), EINVAL);
	KT_ASSERT_EQ(as_area_create(as, &b, 0x1000, 0x100 | RW, NULL, 0), EINVAL);
	b = 0x1000; /* below USER_ADDRESS_MIN */
	KT_ASSERT_EQ(as_area_create(as, &b, 0x1000, RW, NULL, 0), EINVAL);
	b = 0x2000001; /* unaligned */
	KT_ASSERT_EQ(as_area_create(as, &b, 0x1000, RW, NULL, 0), EINVAL);
	b = USER_SPACE_END - 0x1000; /* straddles the end of user space */
	KT_ASSERT_EQ(as_area_create(as, &b, 0x2000, RW, NULL, 0), EINVAL);
	b = DIRECT_MAP_BASE;
	KT_ASSERT_EQ(as_area_create(as, &b, 0x1000, RW, NULL, 0), EINVAL);
	b = AS_AREA_ANY;
	KT_ASSERT_EQ(as_area_create(as, &b, (size_t) -4096, RW, NULL, 0), EINVAL);
	KT_ASSERT_EQ(as_area_create(as, &b, 0x3000, RX, NULL, 0), EOK);
	KT_ASSERT(b >= USER_ADDRESS_MIN && b < USER_SPACE_END && IS_ALIGNED(b, 4096));
	as_area_info_t info;
	KT_ASSERT_EQ(as_area_query(as, b + 0x2fff, &info), EOK);
	KT_ASSERT_EQ(info.base, b);
	KT_ASSERT_EQ(info.size, 0x3000);
	KT_ASSERT_EQ(info.flags, RX);
	KT_ASSERT_EQ(as_area_query(as, b + 0x3000, &info), ENOENT);
	as_destroy(as);
}

KTEST(as_demand_paging_and_access_rights)
{
	as_t *as;
	KT_ASSERT_EQ(as_create(&as), EOK);
	uintptr_t data = 0x1000000, code = 0x2000000;
	KT_ASSERT_EQ(as_area_create(as, &data, 0x10000, RW, NULL, 0), EOK);
	KT_ASSERT_EQ(as_area_create(as, &code, 0x1000, RX, NULL, 0), EOK);
	paddr_t pa;
	unsigned flags;
	KT_ASSERT_EQ(page_query(as->root, data + 0x5000, &pa, &flags), ENOENT);
	KT_ASSERT_EQ(as_page_fault(as, data + 0x5123, AS_ACCESS_WRITE), EOK);
	KT_ASSERT_EQ(page_query(as->root, data + 0x5000, &pa, &flags), EOK);
	KT_ASSERT((flags & PAGE_USER) && (flags & PAGE_WRITE) && !(flags & PAGE_EXEC));
	const uint8_t *page = phys_to_virt(pa);
	bool zero = true;
	for (int i = 0; i < 4096; i++)
		zero &= page[i] == 0;
	KT_ASSERT(zero); /* a fresh page is zero-filled */
	KT_ASSERT_EQ(as_page_fault(as, data + 0x5000, AS_ACCESS_WRITE), EOK); /* again */
	KT_ASSERT_EQ(as_page_fault(as, data, AS_ACCESS_EXEC), EPERM);
	KT_ASSERT_EQ(as_page_fault(as, code, AS_ACCESS_WRITE), EPERM);
	KT_ASSERT_EQ(as_page_fault(as, code, AS_ACCESS_EXEC), EOK);
	KT_ASSERT_EQ(page_query(as->root, code, &pa, &flags), EOK);
	KT_ASSERT((flags & PAGE_EXEC) && !(flags & PAGE_WRITE));
	KT_ASSERT_EQ(as_page_fault(as, 0x3000000, AS_ACCESS_READ), ENOENT);
	KT_ASSERT_EQ(as_resident_pages(as), 2);
	as_destroy(as);
}

/** Free frames now, with the slab caches' spare frames given back (a
 *  memory baseline). */
static size_t frames_free(void)
{
	kmem_reclaim_all();
	frame_stats_t stats;
	frame_get_stats(&stats);
	return stats.free;
}

/** A new address space with a read-write area of @a size bytes at @a base. */
static errno_t as_with_area(as_t **as, uintptr_t base, size_t size)
{
	errno_t rc = as_create(as);
	if (rc == EOK && (rc = as_area_create(*as, &base, size, RW, NULL, 0)) != EOK)
		as_destroy(*as);
	return rc;
}

KTEST(as_write_resize_destroy_and_memory_baseline)
{
	size_t free_before = frames_free();
	as_t *as;
	uintptr_t base = 0x4000000;
	KT_ASSERT_EQ(as_with_area(&as, base, 0x8000), EOK);
	static const char msg[] = "straddles a page boundary";
	KT_ASSERT_EQ(as_write(as, base + 0x1ff0, msg, sizeof(msg)), EOK);
	KT_ASSERT_EQ(as_write(as, base + 0x8000, msg, 1), ENOENT);
	for (uintptr_t va = base; va < base + 0x8000; va += 0x1000)
		KT_ASSERT_EQ(as_page_fault(as, va, AS_ACCESS_READ), EOK);
	paddr_t pa;
	unsigned flags;
	KT_ASSERT_EQ(page_query(as->root, base + 0x2000, &pa, &flags), EOK);
	KT_ASSERT(memcmp(phys_to_virt(pa), msg + 16, sizeof(msg) - 16) == 0);

	uintptr_t blocker = base + 0x10000;
	KT_ASSERT_EQ(as_area_create(as, &blocker, 0x1000, RW, NULL, 0), EOK);
	KT_ASSERT_EQ(as_area_resize(as, base, 0x11000), EEXIST);
	KT_ASSERT_EQ(as_area_resize(as, base, 0x2000), EOK); /* shrink */
	KT_ASSERT_EQ(page_query(as->root, base + 0x2000, &pa, &flags), ENOENT);
	KT_ASSERT_EQ(as_resident_pages(as), 2);
	KT_ASSERT_EQ(as_area_resize(as, base, 0x10000), EOK); /* grow up to the blocker */
	KT_ASSERT_EQ(as_page_fault(as, base + 0xf000, AS_ACCESS_WRITE), EOK);
	KT_ASSERT_EQ(as_area_resize(as, base + 0x1000, 0x1000), ENOENT);
	KT_ASSERT_EQ(as_area_destroy(as, base + 0x1000), ENOENT); /* not the start */
	KT_ASSERT_EQ(as_area_destroy(as, base), EOK);
	KT_ASSERT_EQ(as_area_query(as, base, &(as_area_info_t){0}), ENOENT);
	as_destroy(as);
	KT_ASSERT_EQ(frames_free(), free_before);
}

/** The byte at @a va of @a as (0xff: unreadable). */
static uint8_t first_byte(as_t *as, uintptr_t va)
{
	uint8_t b;
	return as_read_page(as, va, &b, 1) == EOK ? b : 0xff;
}

KTEST(as_area_unmap_splits_moves_and_shrinks)
{
	size_t free_before = frames_free();
	as_t *as;
	uintptr_t base = 0x5000000;
	KT_ASSERT_EQ(as_with_area(&as, base, 8 * 0x1000), EOK);
	for (uint8_t p = 0; p < 8; p++)
		KT_ASSERT_EQ(as_write(as, base + p * 0x1000, &p, 1), EOK);
	KT_ASSERT_EQ(as_committed(as), 8);
	/* Refused: nothing changes. */
	KT_ASSERT_EQ(as_area_unmap(as, base + 1, 0x1000), EINVAL);
	KT_ASSERT_EQ(as_area_unmap(as, base, 0), EINVAL);
	KT_ASSERT_EQ(as_area_unmap(as, base + 0x7000, 0x2000), EINVAL);
	KT_ASSERT_EQ(as_area_unmap(as, base + 0x8000, 0x1000), ENOENT);
	KT_ASSERT_EQ(as_resident_pages(as), 8);
	/* The middle: two areas; the hole's charge stays with the first. */
	KT_ASSERT_EQ(as_area_unmap(as, base + 0x2000, 0x2000), EOK);
	as_area_info_t info;
	KT_ASSERT_EQ(as_area_query(as, base + 0x3000, &info), ENOENT);
	KT_ASSERT_EQ(as_area_query(as, base + 0x4000, &info), EOK);
	KT_ASSERT(info.base == base + 0x4000 && info.size == 0x4000);
	KT_ASSERT_EQ(first_byte(as, base + 0x5000), 5);
	KT_ASSERT_EQ(as_committed(as), 8);
	/* The end of the second, the start of the first. */
	KT_ASSERT_EQ(as_area_unmap(as, base + 0x7000, 0x1000), EOK);
	KT_ASSERT_EQ(as_committed(as), 7);
	KT_ASSERT_EQ(as_area_unmap(as, base, 0x1000), EOK);
	KT_ASSERT_EQ(as_area_query(as, base + 0x1000, &info), EOK);
	KT_ASSERT(info.base == base + 0x1000 && info.size == 0x1000);
	KT_ASSERT_EQ(first_byte(as, base + 0x1000), 1);
	KT_ASSERT_EQ(as_page_fault(as, base, AS_ACCESS_READ), ENOENT);
	KT_ASSERT_EQ(as_area_unmap(as, base + 0x1000, 0x1000), EOK);
	KT_ASSERT_EQ(as_area_unmap(as, base + 0x4000, 0x3000), EOK);
	KT_ASSERT_EQ(as_committed(as), 0);
	as_destroy(as);
	KT_ASSERT_EQ(frames_free(), free_before);
}

KTEST(as_shared_object_maps_the_same_frames)
{
	as_t *a, *b;
	KT_ASSERT_EQ(as_create(&a), EOK);
	KT_ASSERT_EQ(as_create(&b), EOK);
	mem_object_t *obj;
	KT_ASSERT_EQ(mem_object_create_anon(4, &obj), EOK);
	uintptr_t va = 0x1000000, vb = 0x7000000;
	KT_ASSERT_EQ(as_area_create(a, &va, 0x4000, RW, obj, 0), EOK);
	KT_ASSERT_EQ(as_area_create(b, &vb, 0x2000, AS_AREA_READ, obj, 2), EOK);
	KT_ASSERT_EQ(as_area_create(b, &vb, 0x2000, AS_AREA_READ, obj, 2), EEXIST);
	uintptr_t vc = 0x9000000;
	KT_ASSERT_EQ(as_area_create(b, &vc, 0x4000, AS_AREA_READ, obj, 2), EINVAL);
	mem_object_put(obj); /* the areas keep it alive */
	KT_ASSERT_EQ(as_page_fault(a, va + 0x2000, AS_ACCESS_WRITE), EOK);
	KT_ASSERT_EQ(as_page_fault(b, vb, AS_ACCESS_READ), EOK);
	KT_ASSERT_EQ(as_page_fault(b, vb, AS_ACCESS_WRITE), EPERM);
	paddr_t pa, pb;
	unsigned fa, fb;
	KT_ASSERT_EQ(page_query(a->root, va + 0x2000, &pa, &fa), EOK);
	KT_ASSERT_EQ(page_query(b->root, vb, &pb, &fb), EOK);
	KT_ASSERT_EQ(pa, pb);
	KT_ASSERT(!(fb & PAGE_WRITE));
	as_destroy(a);
	KT_ASSERT_EQ(page_query(b->root, vb, &pb, &fb), EOK); /* still there */
	as_destroy(b);
}

KTEST(as_shared_mapping_keeps_the_rights_it_was_offered)
{
	as_t *a, *b;
	KT_ASSERT_EQ(as_create(&a), EOK);
	KT_ASSERT_EQ(as_create(&b), EOK);
	mem_object_t *obj;
	KT_ASSERT_EQ(mem_object_create_anon(2, &obj), EOK);
	uintptr_t va = 0x1000000, vb = 0x7000000;
	KT_ASSERT_EQ(as_area_create(a, &va, 0x2000, RW, obj, 0), EOK);
	/* Offered read-only: a writable mapping is refused, a readable one made. */
	KT_ASSERT_EQ(
	    as_area_create_shared(b, &vb, 0x2000, RW, AS_AREA_READ, obj, 0), EPERM);
	KT_ASSERT_EQ(
	    as_area_create_shared(b, &vb, 0x2000, AS_AREA_READ, AS_AREA_READ, obj, 0),
	    EOK);
	mem_object_put(obj); /* the areas keep it alive */
	/* Once the sharer's area is gone the object is b's alone, and still
	 * its mapping cannot become writable. */
	as_destroy(a);
	KT_ASSERT_EQ(as_area_change_flags(b, vb, RW), EPERM);
	KT_ASSERT_EQ(as_area_change_flags(b, vb, AS_AREA_READ), EOK);
	KT_ASSERT_EQ(as_page_fault(b, vb, AS_ACCESS_WRITE), EPERM);
	/* An area of its own object may change as it likes. */
	uintptr_t vc = 0x9000000;
	KT_ASSERT_EQ(as_area_create(b, &vc, 0x1000, AS_AREA_READ, NULL, 0), EOK);
	KT_ASSERT_EQ(as_area_change_flags(b, vc, RW), EOK);
	as_destroy(b);
}

static size_t committed_now(void)
{
	frame_stats_t st;
	frame_get_stats(&st);
	return st.committed;
}

KTEST(mem_object_commits_what_it_may_need)
{
	size_t base = committed_now();
	mem_object_t *obj;
	KT_ASSERT_EQ(mem_object_create_anon(4, &obj), EOK);
	KT_ASSERT_EQ(committed_now(), base + 5); /* 4 pages and their chunk */
	paddr_t pa;
	KT_ASSERT_EQ(mem_object_page(obj, 1, &pa), EOK);
	KT_ASSERT_EQ(committed_now(), base + 3); /* the page and the chunk taken */
	KT_ASSERT_EQ(mem_object_resize(obj, 1024), EOK);
	KT_ASSERT_EQ(committed_now(), base + 1023 + 1); /* and a second chunk */
	KT_ASSERT_EQ(mem_object_resize(obj, 1), EOK);
	KT_ASSERT_EQ(committed_now(), base + 1); /* page 1 freed, chunk 0 kept */
	frame_stats_t st;
	frame_get_stats(&st);
	KT_ASSERT_EQ(mem_object_resize(obj, st.free + 1), ENOMEM);
	KT_ASSERT_EQ(obj->pages, 1);
	KT_ASSERT_EQ(committed_now(), base + 1);
	mem_object_put(obj);
	KT_ASSERT_EQ(committed_now(), base);
	KT_ASSERT_EQ(mem_object_create_anon(st.free + 1, &obj), ENOMEM);
	KT_ASSERT_EQ(mem_object_create_noreserve(st.free + 1, &obj), EOK);
	KT_ASSERT_EQ(committed_now(), base);
	KT_ASSERT_EQ(mem_object_page(obj, 0, &pa), EOK);
	mem_object_put(obj);
	KT_ASSERT_EQ(frame_commit(st.free - st.committed + 1), ENOMEM);
	KT_ASSERT_EQ(committed_now(), base);
}

static size_t free_now(void)
{
	frame_stats_t st;
	frame_get_stats(&st);
	return st.free;
}

KTEST(dma_object_maps_contiguous_zeroed_frames_and_frees_them)
{
	kmem_reclaim_all(); /* slab frames cached now are not this test's */
	size_t before = free_now();
	as_t *as;
	KT_ASSERT_EQ(as_create(&as), EOK);
	mem_object_t *obj;
	KT_ASSERT_EQ(mem_object_create_dma(3, true, &obj), EOK);
	KT_ASSERT(obj->phys_base % FRAME_SIZE == 0);
	KT_ASSERT(obj->phys_base + 3 * FRAME_SIZE <= (1ull << 32));
	uintptr_t va = 0x1000000;
	KT_ASSERT_EQ(as_area_create(as, &va, 0x3000, RW, obj, 0), EOK);
	mem_object_put(obj); /* the area keeps it alive */
	for (size_t i = 0; i < 3; i++) {
		paddr_t pa;
		unsigned flags;
		KT_ASSERT_EQ(as_page_fault(as, va + i * 0x1000, AS_ACCESS_WRITE), EOK);
		KT_ASSERT_EQ(page_query(as->root, va + i * 0x1000, &pa, &flags), EOK);
		KT_ASSERT_EQ(pa, obj->phys_base + i * FRAME_SIZE);
		const uint64_t *words = phys_to_virt(pa);
		for (size_t w = 0; w < FRAME_SIZE / 8; w++)
			KT_ASSERT_EQ(words[w], 0);
	}
	KT_ASSERT_EQ(as_area_resize(as, va, 0x8000), ENOTSUP); /* cannot grow */
	KT_ASSERT_EQ(as_resident_pages(as), 3);
	as_destroy(as);
	kmem_reclaim_all();
	KT_ASSERT_EQ(free_now(), before);
	KT_ASSERT_EQ(mem_object_create_dma(2 << BUDDY_MAX_ORDER, false, &obj), ENOMEM);
	KT_ASSERT_EQ(free_now(), before);
}
