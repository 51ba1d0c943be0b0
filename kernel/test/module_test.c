/*
 * Self-tests: boot modules taken over by a task (proc/module.h). The test
 * image carries module "taketest" (a copy of a small file) for this alone.
 */
#include <test.h>
#include <arch/mm.h>
#include <mm/as.h>
#include <mm/frame.h>
#include <mm/mem_object.h>
#include <proc/image.h>
#include <proc/module.h>
#include <string.h>

#define TAKE_MODULE "taketest"

/** Takes TAKE_MODULE over into @a as at *@a base; its size in *@a size and
 *  its first frame in *@a start (checked while it was still a module). */
static errno_t take_checked(as_t *as, uintptr_t *base, uint64_t *size, paddr_t *start)
{
	const boot_module_t *m;
	errno_t rc = module_pin(TAKE_MODULE, &m);
	if (rc != EOK)
		return rc;
	*start = m->start;
	uint64_t want = m->end - m->start;
	/* Pinned (being read): refused, and still there. */
	rc = module_take(as, TAKE_MODULE, base, size) == EBUSY ? EOK : EINVAL;
	module_unpin(m);
	if (rc == EOK)
		rc = module_take(as, TAKE_MODULE, base, size);
	return rc == EOK && *size != want ? EINVAL : rc;
}

KTEST(module_take_hands_the_frames_over_once)
{
	as_t *as;
	KT_ASSERT_EQ(as_create(&as), EOK);
	frame_stats_t before, after;
	frame_get_stats(&before);
	uintptr_t base;
	uint64_t size;
	paddr_t start;
	KT_ASSERT_EQ(take_checked(as, &base, &size, &start), EOK);
	/* The area maps the very frames, zero after the module's end. */
	mem_object_t *obj;
	size_t index;
	KT_ASSERT_EQ(as_area_object(as, base, &obj, &index), EOK);
	paddr_t pa;
	KT_ASSERT_EQ(mem_object_lookup(obj, index, &pa), EOK);
	mem_object_put(obj);
	KT_ASSERT_EQ(pa, start);
	size_t pages = ALIGN_UP(size, FRAME_SIZE) / FRAME_SIZE;
	const uint8_t *tail = (const uint8_t *) phys_to_virt(start) + size;
	for (size_t i = 0; i < pages * FRAME_SIZE - size; i++)
		KT_ASSERT_EQ(tail[i], 0);
	/* Held, the frames are memory in use: counted in the total, not free. */
	frame_stats_t held;
	frame_get_stats(&held);
	KT_ASSERT_EQ(held.total, before.total + pages);
	KT_ASSERT(held.free <= before.free);
	/* Gone for everyone. */
	const boot_module_t *m;
	KT_ASSERT_EQ(module_pin(TAKE_MODULE, &m), ENOENT);
	uintptr_t b2;
	uint64_t s2;
	KT_ASSERT_EQ(module_take(as, TAKE_MODULE, &b2, &s2), ENOENT);
	KT_ASSERT_EQ(module_take(as, "", &b2, &s2), ENOENT);
	/* The area's end gives the frames to the allocator: as many more free
	 * (the total counted them already). */
	as_destroy(as);
	frame_get_stats(&after);
	KT_ASSERT_EQ(after.total, before.total + pages);
	KT_ASSERT(after.free >= before.free + pages - 16); /* page tables may differ */
}

/** The first page of @a obj's area at @a base in @a as: its frame. */
static paddr_t first_frame(as_t *as, uintptr_t base)
{
	mem_object_t *obj;
	size_t index;
	paddr_t pa = 0;
	if (as_area_object(as, base, &obj, &index) != EOK)
		return 0;
	if (mem_object_lookup(obj, index, &pa) != EOK)
		pa = 0;
	mem_object_put(obj);
	return pa;
}

KTEST(a_kept_module_is_mapped_from_its_own_frames_and_never_taken)
{
	const boot_module_t *m;
	KT_ASSERT_EQ(module_pin("loader", &m), EOK);
	module_keep(m);
	module_unpin(m);
	as_t *as;
	KT_ASSERT_EQ(as_create(&as), EOK);
	/* A whole page of the module: its own frame, no copy. */
	uintptr_t base = 0x10000000;
	KT_ASSERT_EQ(image_map_module(as, base, PAGE_SIZE,
			 AS_AREA_READ | AS_AREA_CACHEABLE, m->start, PAGE_SIZE),
	    EOK);
	KT_ASSERT_EQ(first_frame(as, base), m->start);
	uint8_t magic = 0; /* ordinary memory: a debugger may read it */
	KT_ASSERT_EQ(as_read_page(as, base, &magic, 1), EOK);
	KT_ASSERT_EQ(magic, 0x7f);
	/* One byte of it: the rest of that page is not zero in the module (the
	 * ELF header goes on), so the area gets a copy, zero after the byte. */
	uintptr_t base2 = 0x10100000;
	KT_ASSERT_EQ(image_map_module(as, base2, PAGE_SIZE,
			 AS_AREA_READ | AS_AREA_CACHEABLE, m->start, 1),
	    EOK);
	paddr_t copy = first_frame(as, base2);
	KT_ASSERT(copy != 0 && copy != m->start);
	const uint8_t *bytes = phys_to_virt(copy);
	KT_ASSERT_EQ(bytes[0], 0x7f);
	for (size_t i = 1; i < PAGE_SIZE; i++)
		KT_ASSERT_EQ(bytes[i], 0);
	/* Writable is refused, and a kept module is never taken. */
	KT_ASSERT_EQ(image_map_module(as, 0x10200000, PAGE_SIZE,
			 AS_AREA_READ | AS_AREA_WRITE, m->start, PAGE_SIZE),
	    EINVAL);
	uintptr_t tb;
	uint64_t ts;
	KT_ASSERT_EQ(module_take(as, "loader", &tb, &ts), EBUSY);
	as_destroy(as);
	image_sweep();
	KT_ASSERT_EQ(module_pin("loader", &m), EOK); /* still there, readable */
	module_unpin(m);
}
