/*
 * Binary buddy allocator over a contiguous range of frame numbers. Blocks of
 * order k are 2^k frames, naturally aligned in the physical address space.
 * Pure logic (no locking, no knowledge of the memory map); the frame
 * allocator wraps it and host tests drive it directly.
 */
#ifndef KERN_MM_BUDDY_H
#define KERN_MM_BUDDY_H

#include <common/adt/list.h>
#include <types.h>

#define BUDDY_MAX_ORDER 10 /* 4 MiB blocks */

#define FRAME_FREE	0x01 /* head of a free block */
#define FRAME_ALLOCATED 0x02 /* head of an allocated block */

/** Per-frame descriptor. Only block heads carry order and flags. */
typedef struct frame {
	link_t link; /* free list while free */
	void *owner; /* allocator that owns the block (slab), or NULL */
	uint8_t order;
	uint8_t flags;
	uint16_t reserved; /* 0 from boot on; an allocated frame's user may use
			      it and sets it back to 0 before freeing (the amd64
			      page tables' used part, arch/amd64/mm/page.c) */
	uint32_t refcount;
} frame_t;

typedef struct {
	frame_t *frames; /* frames[pfn - base] */
	pfn_t base;
	size_t count;
	list_t free_lists[BUDDY_MAX_ORDER + 1];
	size_t free_frames;
} buddy_t;

/** Sets up @a b over @a count frames starting at @a base; all start unavailable. */
void buddy_init(buddy_t *b, frame_t *frames, pfn_t base, size_t count);
/** Makes frames [pfn, pfn + count) available. */
void buddy_add_range(buddy_t *b, pfn_t pfn, size_t count);
/** Allocates a block of 2^order frames; ENOMEM when none is free. */
errno_t buddy_alloc(buddy_t *b, unsigned order, pfn_t *pfn);
/** Frees the block whose head is @a pfn; EINVAL if it is not an allocated head. */
errno_t buddy_free(buddy_t *b, pfn_t pfn);
/** Descriptor of @a pfn, or NULL outside the range. */
frame_t *buddy_frame(buddy_t *b, pfn_t pfn);

#endif
