/*
 * TLB shoot-down: after a mapping is removed or loses rights, every CPU
 * that may cache it must forget it before its frames are used again or the
 * change is reported done: every CPU for the kernel half (a freed kernel
 * stack), the CPUs where the address space is loaded (as->active_cpus) for
 * user mappings.
 */
#ifndef KERN_MM_TLB_H
#define KERN_MM_TLB_H

#include <types.h>

/* A page count meaning "every non-global entry" (an address space that goes). */
#define TLB_ALL ((size_t) -1)

/** Makes every running CPU drop its TLB entries for the @a pages pages at
 *  kernel address @a va, and returns when all did. The caller holds no spinlock (a CPU spinning for
 *  it with interrupts off could not answer). */
void tlb_shootdown_kernel(uintptr_t va, size_t pages);
/** Makes the running CPUs of @a cpus (a mask; this one too if named) drop
 *  their TLB entries for the @a pages pages at @a va (TLB_ALL: all user entries), and
 *  returns when all did. Same conditions as tlb_shootdown_kernel(). */
void tlb_shootdown(uint64_t cpus, uintptr_t va, size_t pages);
/** Serves the pending shoot-down request, if it names this CPU (from
 *  IPI_TLB, and while waiting in tlb_shootdown). Interrupts off. */
void tlb_serve(void);

#endif
