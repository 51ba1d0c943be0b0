/*
 * Hooks every architecture provides to the generic start-up code, in call order.
 */
#ifndef KERN_ARCH_H
#define KERN_ARCH_H

#include <types.h>

/** Early console, boot information, CPU tables. No allocation yet. */
void arch_early_init(uintptr_t boot_magic, uintptr_t boot_info);
/** After the frame allocator: kernel page tables and protection features. */
void arch_mm_init(void);
/** After the heap: interrupt controller and the rest of the platform. */
void arch_late_init(void);
/** Waits for the next interrupt with interrupts enabled. */
void arch_idle(void);
/** A task mapped physical memory @a phys .. @a phys + @a size - 1 (device
 *  memory): the architecture's own drivers leave what a userspace driver
 *  took (the VGA text screen on amd64). */
void arch_physmem_mapped(uint64_t phys, uint64_t size);
/** Whether @a phys .. @a phys + @a size - 1 overlaps device memory only the
 *  kernel may touch: the interrupt controllers (on amd64 the local APIC, whose
 *  command register sends IPIs, and the I/O APICs, which route device lines).
 *  No task maps it or reads it from an IRQ program, whatever its rights. */
bool arch_physmem_kernel_only(uint64_t phys, uint64_t size);

#endif
