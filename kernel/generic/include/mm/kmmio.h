/*
 * Device memory mapped for the kernel: single pages of a device's registers
 * (a PCI BAR), mapped uncached and not executable in a window of the kernel
 * half (KMMIO_AREA_BASE), for code that reads them in interrupt context (IRQ
 * programs, ipc/irq_code_run.c). The direct map is no substitute: it covers
 * RAM and the low 4 GiB only, cached below 3 GiB.
 *
 * Ownership: a mapping belongs to whoever mapped it and is unmapped by it
 * once nothing can read it any more. Slots are taken and given back with
 * atomic operations on a bitmap, so no lock is held here.
 */
#ifndef KERN_MM_KMMIO_H
#define KERN_MM_KMMIO_H

#include <types.h>

/** Maps the page holding physical address @a pa; *@a va gets the kernel
 *  address of @a pa itself (same offset in the page). ENOMEM when the window
 *  is full or a page table cannot be made. */
errno_t kmmio_map(paddr_t pa, volatile void **va);
/** Unmaps the page of @a va (from kmmio_map) on every CPU and frees its
 *  slot. The caller holds no spinlock (TLB shoot-down). */
void kmmio_unmap(volatile void *va);

#endif
