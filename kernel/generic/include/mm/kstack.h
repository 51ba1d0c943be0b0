/*
 * Kernel thread stacks. Each stack lives in its own slot of a dedicated
 * virtual region: the upper half of the slot is the mapped stack, the lower
 * half stays unmapped, so running off the bottom of a stack faults instead of
 * silently overwriting a neighbour.
 */
#ifndef KERN_MM_KSTACK_H
#define KERN_MM_KSTACK_H

#include <types.h>

/** Maps a fresh stack of @a size bytes (a power-of-two number of pages) and
 * returns its lowest address; ENOMEM when frames, page tables or slots run out. */
errno_t kstack_alloc(size_t size, void **base);
/** Unmaps a stack from kstack_alloc() and frees its frames. */
void kstack_free(void *base, size_t size);
/** True if @a addr lies in the guard part of a stack slot. */
bool kstack_is_guard(uintptr_t addr);

#endif
