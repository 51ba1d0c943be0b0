/*
 * Device memory mapped for the kernel (mm/kmmio.h). The window is cut into
 * page slots; a bit set in `used` means the slot is taken (and mapped while
 * its owner holds it). No lock: slots are claimed by compare-and-swap.
 * Pages are mapped read-only: reading is all IRQ programs do.
 */
#include <mm/kmmio.h>
#include <mm/page.h>
#include <mm/tlb.h>
#include <arch/layout.h>
#include <panic.h>

#define KMMIO_SLOTS (KMMIO_AREA_SIZE / PAGE_SIZE)

static uint64_t used[KMMIO_SLOTS / 64];

/** Claims a free slot; false when every one is taken. */
static bool slot_take(size_t *slot)
{
	for (size_t w = 0; w < KMMIO_SLOTS / 64; w++) {
		uint64_t old = __atomic_load_n(&used[w], __ATOMIC_RELAXED);
		while (old != ~0ull) {
			unsigned bit = (unsigned) __builtin_ctzll(~old);
			if (__atomic_compare_exchange_n(&used[w], &old,
				old | (1ull << bit), false, __ATOMIC_ACQUIRE,
				__ATOMIC_RELAXED)) {
				*slot = w * 64 + bit;
				return true;
			}
		}
	}
	return false;
}

static void slot_put(size_t slot)
{
	__atomic_fetch_and(&used[slot / 64], ~(1ull << (slot % 64)), __ATOMIC_RELEASE);
}

errno_t kmmio_map(paddr_t pa, volatile void **va)
{
	size_t slot;
	if (!slot_take(&slot))
		return ENOMEM;
	uintptr_t page = KMMIO_AREA_BASE + slot * PAGE_SIZE;
	errno_t rc = page_map(page_kernel_root(), page, ALIGN_DOWN(pa, PAGE_SIZE),
	    PAGE_NOCACHE | PAGE_GLOBAL);
	if (rc != EOK) {
		slot_put(slot);
		return rc == EEXIST ? ENOMEM : rc;
	}
	*va = (volatile void *) (page + (pa & (PAGE_SIZE - 1)));
	return EOK;
}

void kmmio_unmap(volatile void *va)
{
	uintptr_t page = ALIGN_DOWN((uintptr_t) va, PAGE_SIZE);
	assert(page >= KMMIO_AREA_BASE && page < KMMIO_AREA_BASE + KMMIO_AREA_SIZE);
	if (page_unmap(page_kernel_root(), page, NULL) != EOK)
		panic("kmmio_unmap: %p is not mapped", (void *) page);
	/* Other CPUs may have read through it: they forget it before the slot
	 * maps another page. */
	tlb_shootdown_kernel(page, 1);
	slot_put((page - KMMIO_AREA_BASE) / PAGE_SIZE);
}
