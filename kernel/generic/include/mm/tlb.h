/*
 * TLB shoot-down: after the kernel half loses a mapping (a freed kernel
 * stack), every CPU must forget it before the frames are used again.
 */
#ifndef KERN_MM_TLB_H
#define KERN_MM_TLB_H

#include <types.h>

/** Makes every other running CPU drop its TLB entries for the @a pages
 *  pages at kernel address @a va (this CPU's are dropped by page_unmap), and
 *  returns when all did. The caller holds no spinlock (a CPU spinning for
 *  it with interrupts off could not answer). */
void tlb_shootdown_kernel(uintptr_t va, size_t pages);
/** Serves the pending shoot-down request, if this CPU has not yet (from
 *  IPI_TLB, and while waiting to post a request). Interrupts off. */
void tlb_serve(void);

#endif
