/*
 * Physical <-> kernel virtual address conversion. All physical memory is
 * reachable through the direct map; the kernel image also through KERNEL_VMA.
 */
#ifndef ARCH_MM_H
#define ARCH_MM_H

#include <arch/layout.h>
#include <types.h>

static inline void *phys_to_virt(paddr_t pa)
{
	return (void *) (DIRECT_MAP_BASE + pa);
}

static inline paddr_t virt_to_phys(const void *va)
{
	uintptr_t a = (uintptr_t) va;
	if (a >= KERNEL_VMA)
		return a - KERNEL_VMA;
	return a - DIRECT_MAP_BASE;
}

#endif
