/*
 * Self-tests: pager objects (mm/pager.c) without a pager task: a page absent
 * from the object is EAGAIN to a fault (the pager is asked), a page
 * installed is mapped, a second page-in of the same page loses, and the
 * object's frames and phone go when its last area does.
 */
#include <test.h>
#include <arch/mm.h>
#include <ipc/ipc.h>
#include <ipc/methods.h>
#include <mm/as.h>
#include <mm/frame.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <mm/pager.h>

#define RW (AS_AREA_READ | AS_AREA_WRITE | AS_AREA_CACHEABLE)

static size_t frames_free(void)
{
	frame_stats_t st;
	frame_get_stats(&st);
	return st.free;
}

KTEST(pager_object_checks_its_offset)
{
	phone_t *phone = phone_create();
	KT_ASSERT(phone != NULL);
	mem_object_t *obj;
	KT_ASSERT_EQ(pager_object_create(phone, 0, 0x800, 4, false, &obj), EINVAL);
	KT_ASSERT_EQ(
	    pager_object_create(phone, 0, UINT64_MAX & ~0xfffull, 4, false, &obj),
	    EINVAL);
	kobject_put(&phone->kobj); /* refused: still ours */
}

KTEST(pager_page_is_asked_for_then_mapped_and_freed_with_the_area)
{
	kmem_reclaim_all(); /* slab frames cached now are not this test's */
	size_t before = frames_free();
	as_t *as;
	KT_ASSERT_EQ(as_create(&as), EOK);
	phone_t *phone = phone_create();
	KT_ASSERT(phone != NULL);
	mem_object_t *obj;
	KT_ASSERT_EQ(pager_object_create(phone, 7, 0x10000, 4, false, &obj), EOK);
	KT_ASSERT_EQ(obj->pager->arg, 7);
	KT_ASSERT_EQ(obj->pager->offset, 0x10000);
	uintptr_t va = 0x1000000;
	KT_ASSERT_EQ(as_area_create(as, &va, 0x4000, RW, obj, 0), EOK);
	mem_object_put(obj); /* the area keeps it (and the phone) alive */
	KT_ASSERT_EQ(as_page_fault(as, va + 0x1234, AS_ACCESS_READ), EAGAIN);
	mem_object_t *found;
	size_t index;
	KT_ASSERT_EQ(as_area_object(as, va + 0x1234, &found, &index), EOK);
	KT_ASSERT(found == obj);
	KT_ASSERT_EQ(index, 1);
	paddr_t pa, other;
	KT_ASSERT_EQ(frame_alloc(0, &pa), EOK);
	*(uint64_t *) phys_to_virt(pa) = 0x5a5a;
	KT_ASSERT_EQ(mem_object_install(obj, 1, pa), EOK);
	KT_ASSERT_EQ(frame_alloc(0, &other), EOK);
	KT_ASSERT_EQ(
	    mem_object_install(obj, 1, other), EEXIST); /* the loser frees its own */
	frame_free(other);
	KT_ASSERT_EQ(mem_object_install(obj, 4, other), EINVAL);
	mem_object_put(found);
	KT_ASSERT_EQ(as_page_fault(as, va + 0x1234, AS_ACCESS_WRITE), EOK);
	paddr_t mapped;
	unsigned flags;
	KT_ASSERT_EQ(page_query(as->root, va + 0x1000, &mapped, &flags), EOK);
	KT_ASSERT_EQ(mapped, pa);
	KT_ASSERT_EQ(
	    as_page_fault(as, va, AS_ACCESS_READ), EAGAIN); /* others still absent */
	KT_ASSERT_EQ(as_resident_pages(as), 1);
	KT_ASSERT_EQ(as_area_change_flags(as, va, AS_AREA_READ), EPERM);
	KT_ASSERT_EQ(as_area_resize(as, va, 0x8000), ENOTSUP); /* cannot grow */
	uint64_t word;
	KT_ASSERT_EQ(as_read_page(as, va + 0x1000, &word, sizeof(word)), EOK);
	KT_ASSERT_EQ(word, 0x5a5a);
	as_destroy(as);
	kmem_reclaim_all();
	KT_ASSERT_EQ(frames_free(), before);
}
