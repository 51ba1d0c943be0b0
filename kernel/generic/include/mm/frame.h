/*
 * Physical frame allocator: a buddy allocator over all usable RAM, minus the
 * kernel image, boot modules, firmware regions and the first megabyte.
 * Lock: frame_lock (a spinlock; callable with interrupts disabled).
 */
#ifndef KERN_MM_FRAME_H
#define KERN_MM_FRAME_H

#include <mm/buddy.h>
#include <types.h>

#define FRAME_SIZE 4096

/** Builds the allocator from boot_info's memory map. */
void frame_init(void);
/** Allocates 2^order contiguous frames; ENOMEM when exhausted. */
errno_t frame_alloc(unsigned order, paddr_t *pa);
/** Same, with the frames zeroed. */
errno_t frame_alloc_zeroed(unsigned order, paddr_t *pa);
/** Frees a block from frame_alloc(); freeing anything else panics. */
void frame_free(paddr_t pa);
/** Descriptor of the frame at @a pa (NULL if outside RAM). */
frame_t *frame_of(paddr_t pa);

typedef struct {
	size_t total; /* frames managed */
	size_t free;  /* frames free now */
} frame_stats_t;

void frame_get_stats(frame_stats_t *stats);

/** Smallest order whose block holds @a bytes. */
unsigned frame_order_for(size_t bytes);

#endif
