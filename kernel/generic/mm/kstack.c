/*
 * Kernel stacks with guard pages. The region is cut into KSTACK_SLOT-sized
 * slots; a free slot has nothing mapped. Slots are handed out LIFO so page
 * tables built for the region are reused rather than grown.
 * Lock: kstack_lock guards the slot list only; mapping happens outside it
 * (page tables in the kernel half are shared by every address space).
 */
#include <mm/kstack.h>
#include <mm/frame.h>
#include <mm/page.h>
#include <mm/tlb.h>
#include <arch/layout.h>
#include <panic.h>
#include <spinlock.h>

#define KSTACK_SLOT	  0x8000 /* 16 KiB guard + 16 KiB stack */
#define KSTACK_SLOT_COUNT 16384
#define KSTACK_GUARD	  (KSTACK_SLOT / 2)

_Static_assert((uint64_t) KSTACK_SLOT *KSTACK_SLOT_COUNT <= KSTACK_AREA_SIZE,
    "stack slots exceed the stack region");

static spinlock_t kstack_lock = SPINLOCK_INITIALIZER("kstack", KSTACK);
/* Slots ever used that are free again, and the first never-used slot. */
static uint32_t free_slots[KSTACK_SLOT_COUNT];
static size_t free_count;
static size_t next_fresh;

static errno_t slot_take(size_t *slot)
{
	errno_t rc = EOK;
	spinlock_lock(&kstack_lock);
	if (free_count > 0)
		*slot = free_slots[--free_count];
	else if (next_fresh < KSTACK_SLOT_COUNT)
		*slot = next_fresh++;
	else
		rc = ENOMEM;
	spinlock_unlock(&kstack_lock);
	return rc;
}

static void slot_put(size_t slot)
{
	spinlock_lock(&kstack_lock);
	assert(free_count < KSTACK_SLOT_COUNT);
	free_slots[free_count++] = (uint32_t) slot;
	spinlock_unlock(&kstack_lock);
}

static uintptr_t slot_stack(size_t slot)
{
	return KSTACK_AREA_BASE + slot * KSTACK_SLOT + KSTACK_GUARD;
}

/** Unmaps the first @a pages pages at @a va (their frames are not freed). */
static void unmap_pages(uintptr_t va, size_t pages)
{
	for (size_t i = 0; i < pages; i++) {
		errno_t rc = page_unmap(page_kernel_root(), va + i * PAGE_SIZE, NULL);
		assert(rc == EOK);
		(void) rc;
	}
}

static unsigned size_order(size_t size)
{
	unsigned order = 0;
	while (((size_t) PAGE_SIZE << order) < size)
		order++;
	return order;
}

errno_t kstack_alloc(size_t size, void **base)
{
	assert(size <= KSTACK_GUARD && size == ((size_t) PAGE_SIZE << size_order(size)));
	size_t slot = 0; /* set by slot_get on EOK */
	if (slot_take(&slot) != EOK)
		return ENOMEM;
	/* Zeroed: no old contents leak into the new thread's stack, and a frame
	 * that held a program's text is written over in full before it becomes
	 * a stack. (QEMU's TCG keeps translations of such a frame until every
	 * byte they cover is written; while any is left, each store to the page
	 * takes its slow path: a pair of threads with a stack there ran a round
	 * trip 2.5-6x slower, on whichever CPU it was.) */
	paddr_t pa;
	if (frame_alloc_zeroed(size_order(size), &pa) != EOK) {
		slot_put(slot);
		return ENOMEM;
	}
	uintptr_t va = slot_stack(slot);
	size_t pages = size / PAGE_SIZE;
	for (size_t i = 0; i < pages; i++) {
		if (page_map(page_kernel_root(), va + i * PAGE_SIZE, pa + i * PAGE_SIZE,
			PAGE_WRITE) != EOK) {
			unmap_pages(va, i);
			frame_free(pa);
			slot_put(slot);
			return ENOMEM;
		}
	}
	*base = (void *) va;
	return EOK;
}

void kstack_free(void *base, size_t size)
{
	uintptr_t va = (uintptr_t) base;
	assert(va >= KSTACK_AREA_BASE + KSTACK_GUARD &&
	    (va - KSTACK_AREA_BASE) % KSTACK_SLOT == KSTACK_GUARD);
	paddr_t pa;
	if (page_unmap(page_kernel_root(), va, &pa) != EOK)
		panic("kstack_free: %p is not a mapped stack", base);
	unmap_pages(va + PAGE_SIZE, size / PAGE_SIZE - 1);
	/* The stack ran on other CPUs: they forget it before its frames and
	 * its slot are used again. */
	tlb_shootdown_kernel(va, size / PAGE_SIZE);
	frame_free(pa);
	slot_put((va - KSTACK_AREA_BASE) / KSTACK_SLOT);
}

bool kstack_is_guard(uintptr_t addr)
{
	if (addr < KSTACK_AREA_BASE || addr >= KSTACK_AREA_BASE + KSTACK_AREA_SIZE)
		return false;
	return (addr - KSTACK_AREA_BASE) % KSTACK_SLOT < KSTACK_GUARD;
}
