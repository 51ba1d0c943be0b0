/*
 * The frame allocator: builds a buddy allocator from the boot memory map.
 * Lock: frame_lock guards the buddy state and the commit count.
 *
 * Commit accounting: `committed` frames are promised to anonymous memory
 * (mem_object.c) and not yet handed out. Invariant: buddy.free_frames >=
 * committed, so a promised frame can always be allocated. frame_alloc()
 * never takes the last `committed` free frames, and a new promise must leave
 * `kernel_reserve` free frames beyond all promises, for the kernel's own
 * allocations (page tables, objects, stacks) and for pages of areas that
 * commit nothing (AS_AREA_NORESERVE).
 */
#include <mm/frame.h>
#include <arch/mm.h>
#include <boot.h>
#include <panic.h>
#include <printf.h>
#include <spinlock.h>
#include <string.h>

#define LOW_MEMORY_END	   0x100000	  /* firmware and real-mode structures */
#define BOOT_MAPPED_END	   0x100000000ull /* the boot page tables map 4 GiB */
#define RESERVED_MAX	   (BOOT_MODULES_MAX + 2)
#define KERNEL_RESERVE_MIN 256 /* frames; at least 1/32 of memory is kept */

typedef struct {
	paddr_t start;
	paddr_t end;
} span_t;

extern char kernel_phys_start[], kernel_phys_end[];

static buddy_t buddy;
static spinlock_t frame_lock = SPINLOCK_INITIALIZER("frame", FRAME);
static span_t reserved[RESERVED_MAX];
static size_t reserved_count;
static size_t managed_frames;
/* Frames reserved at boot (a boot module's) that a task now holds as its
 * memory (module_take): not the allocator's, but in use all the same, so
 * frame_get_stats counts them in the total. frame_add takes them back. */
static size_t held_frames;
static size_t committed;
static size_t kernel_reserve;

static void reserve(paddr_t start, paddr_t end)
{
	assert(reserved_count < RESERVED_MAX);
	size_t i = reserved_count++;
	/* Keep the list sorted by start (insertion sort; it is tiny). */
	while (i > 0 && reserved[i - 1].start > start) {
		reserved[i] = reserved[i - 1];
		i--;
	}
	reserved[i] = (span_t){ALIGN_DOWN(start, FRAME_SIZE), ALIGN_UP(end, FRAME_SIZE)};
}

/** Calls @a fn for each piece of [start, end) not covered by a reserved span. */
static void for_each_free_piece(
    paddr_t start, paddr_t end, void (*fn)(paddr_t, paddr_t, void *), void *arg)
{
	for (size_t i = 0; i < reserved_count && start < end; i++) {
		if (reserved[i].end <= start || reserved[i].start >= end)
			continue;
		if (reserved[i].start > start)
			fn(start, reserved[i].start, arg);
		start = MAX(start, reserved[i].end);
	}
	if (start < end)
		fn(start, end, arg);
}

/** Usable part of memory-map entry @a r, page-aligned and above low memory. */
static bool usable_range(const boot_memrange_t *r, paddr_t *start, paddr_t *end)
{
	if (r->type != MEMRANGE_AVAILABLE)
		return false;
	*start = MAX(ALIGN_UP(r->base, FRAME_SIZE), (paddr_t) LOW_MEMORY_END);
	*end = ALIGN_DOWN(r->base + r->size, FRAME_SIZE);
	return *start < *end;
}

typedef struct {
	size_t need;
	paddr_t found;
} placement_t;

static void try_place(paddr_t start, paddr_t end, void *arg)
{
	placement_t *p = arg;
	if (p->found == 0 && end <= BOOT_MAPPED_END && end - start >= p->need)
		p->found = start;
}

static void add_piece(paddr_t start, paddr_t end, void *arg)
{
	buddy_add_range(&buddy, start / FRAME_SIZE, (end - start) / FRAME_SIZE);
	managed_frames += (end - start) / FRAME_SIZE;
}

void frame_init(void)
{
	paddr_t lo = (paddr_t) -1, hi = 0, start, end;
	for (size_t i = 0; i < boot_info.memmap_count; i++) {
		if (!usable_range(&boot_info.memmap[i], &start, &end))
			continue;
		lo = MIN(lo, start);
		hi = MAX(hi, end);
	}
	if (hi == 0)
		panic("no usable memory in the boot memory map");

	reserve((paddr_t) (uintptr_t) kernel_phys_start,
	    (paddr_t) (uintptr_t) kernel_phys_end);
	for (size_t i = 0; i < boot_info.module_count; i++)
		reserve(boot_info.modules[i].start, boot_info.modules[i].end);

	size_t count = (hi - lo) / FRAME_SIZE;
	placement_t place = {ALIGN_UP(count * sizeof(frame_t), FRAME_SIZE), 0};
	for (size_t i = 0; i < boot_info.memmap_count && place.found == 0; i++) {
		if (usable_range(&boot_info.memmap[i], &start, &end))
			for_each_free_piece(start, end, try_place, &place);
	}
	if (place.found == 0)
		panic("no room for %zu frame descriptors", count);
	reserve(place.found, place.found + place.need);

	buddy_init(&buddy, phys_to_virt(place.found), lo / FRAME_SIZE, count);
	for (size_t i = 0; i < boot_info.memmap_count; i++) {
		if (usable_range(&boot_info.memmap[i], &start, &end))
			for_each_free_piece(start, end, add_piece, NULL);
	}
	kernel_reserve = MAX((size_t) KERNEL_RESERVE_MIN, managed_frames / 32);
}

/** Free frames nobody was promised. Lock held. */
static size_t unpromised_frames(void)
{
	return buddy.free_frames - committed;
}

errno_t frame_alloc(unsigned order, paddr_t *pa)
{
	pfn_t pfn;
	errno_t rc = ENOMEM;
	spinlock_lock(&frame_lock);
	if (unpromised_frames() >= ((size_t) 1 << order))
		rc = buddy_alloc(&buddy, order, &pfn);
	spinlock_unlock(&frame_lock);
	if (rc == EOK)
		*pa = pfn * FRAME_SIZE;
	return rc;
}

errno_t frame_alloc_zeroed(unsigned order, paddr_t *pa)
{
	errno_t rc = frame_alloc(order, pa);
	if (rc == EOK)
		memset(phys_to_virt(*pa), 0, (size_t) FRAME_SIZE << order);
	return rc;
}

errno_t frame_commit(size_t count)
{
	errno_t rc = ENOMEM;
	spinlock_lock(&frame_lock);
	size_t left = unpromised_frames();
	if (left >= kernel_reserve && count <= left - kernel_reserve) {
		committed += count;
		rc = EOK;
	}
	spinlock_unlock(&frame_lock);
	return rc;
}

void frame_uncommit(size_t count)
{
	spinlock_lock(&frame_lock);
	if (count > committed)
		panic("frame_uncommit(%zu): only %zu committed", count, committed);
	committed -= count;
	spinlock_unlock(&frame_lock);
}

paddr_t frame_alloc_committed(void)
{
	pfn_t pfn;
	spinlock_lock(&frame_lock);
	if (committed == 0)
		panic("frame_alloc_committed: nothing committed");
	/* free_frames >= committed > 0, so the buddy has a frame. */
	if (buddy_alloc(&buddy, 0, &pfn) != EOK)
		panic("frame_alloc_committed: %zu committed, none free", committed);
	committed--;
	spinlock_unlock(&frame_lock);
	paddr_t pa = pfn * FRAME_SIZE;
	memset(phys_to_virt(pa), 0, FRAME_SIZE);
	return pa;
}

void frame_free(paddr_t pa)
{
	spinlock_lock(&frame_lock);
	errno_t rc = buddy_free(&buddy, pa / FRAME_SIZE);
	spinlock_unlock(&frame_lock);
	if (rc != EOK)
		panic("frame_free(%#llx): not an allocated block (double free?)",
		    (unsigned long long) pa);
}

void frame_hold(size_t count)
{
	spinlock_lock(&frame_lock);
	held_frames += count;
	spinlock_unlock(&frame_lock);
}

void frame_unhold(size_t count)
{
	spinlock_lock(&frame_lock);
	assert(held_frames >= count);
	held_frames -= count;
	spinlock_unlock(&frame_lock);
}

void frame_add(paddr_t base, size_t count)
{
	assert(IS_ALIGNED(base, FRAME_SIZE));
	spinlock_lock(&frame_lock);
	assert(held_frames >= count);
	held_frames -= count;
	add_piece(base, base + (paddr_t) count * FRAME_SIZE, NULL);
	spinlock_unlock(&frame_lock);
}

frame_t *frame_of(paddr_t pa)
{
	return buddy_frame(&buddy, pa / FRAME_SIZE);
}

void frame_get_stats(frame_stats_t *stats)
{
	spinlock_lock(&frame_lock);
	stats->total = managed_frames + held_frames;
	stats->free = buddy.free_frames;
	stats->committed = committed;
	spinlock_unlock(&frame_lock);
}

unsigned frame_order_for(size_t bytes)
{
	unsigned order = 0;
	while (((size_t) FRAME_SIZE << order) < bytes)
		order++;
	return order;
}
