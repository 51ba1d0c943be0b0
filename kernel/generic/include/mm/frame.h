/*
 * Physical frame allocator: a buddy allocator over all usable RAM, minus the
 * kernel image, boot modules, firmware regions and the first megabyte.
 * Lock: frame_lock (a spinlock; callable with interrupts disabled).
 */
#ifndef KERN_MM_FRAME_H
#define KERN_MM_FRAME_H

#include <mm/buddy.h>
#include <types.h>
#include <common/arch/page.h>

#define FRAME_SIZE PAGE_SIZE /* a frame holds one page */

/** Builds the allocator from boot_info's memory map. */
void frame_init(void);
/** Allocates 2^order contiguous frames; ENOMEM when exhausted. Frames
 *  promised by frame_commit() are never taken. */
errno_t frame_alloc(unsigned order, paddr_t *pa);
/** Same, with the frames zeroed. */
errno_t frame_alloc_zeroed(unsigned order, paddr_t *pa);
/** Frees a block from frame_alloc(); freeing anything else panics. */
void frame_free(paddr_t pa);
/** Counts @a count frames reserved at boot (a boot module's) as memory in
 *  use: a task holds them (frame_get_stats' total includes them). */
void frame_hold(size_t count);
/** Undoes frame_hold(@a count) for frames that stay reserved. */
void frame_unhold(size_t count);
/** Makes @a count frames from @a base on, reserved at boot, held
 *  (frame_hold) and used by nobody now, free frames of the allocator. */
void frame_add(paddr_t base, size_t count);
/** Promises @a count frames to anonymous memory: they stay free until
 *  frame_alloc_committed() takes them. ENOMEM unless the kernel's reserve
 *  remains unpromised afterwards. */
errno_t frame_commit(size_t count);
/** Takes back @a count promised frames that will not be allocated. */
void frame_uncommit(size_t count);
/** One zeroed frame against a promise, which it consumes. The caller must
 *  hold a promise (panics otherwise); then it cannot fail. */
paddr_t frame_alloc_committed(void);
/** Descriptor of the frame at @a pa (NULL if outside RAM). */
frame_t *frame_of(paddr_t pa);

typedef struct {
	size_t total;	  /* frames managed, and frames held (frame_hold) */
	size_t free;	  /* frames free now */
	size_t committed; /* of the free ones, promised to anonymous memory */
} frame_stats_t;

void frame_get_stats(frame_stats_t *stats);

/** Smallest order whose block holds @a bytes. */
unsigned frame_order_for(size_t bytes);

#endif
