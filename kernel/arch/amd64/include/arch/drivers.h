/*
 * Kernel-owned PC devices: early console, interrupt controller, timer, QEMU.
 */
#ifndef ARCH_DRIVERS_H
#define ARCH_DRIVERS_H

#include <types.h>

void serial_init(void);
void vga_init(void);
/** A task mapped physical memory: the kernel stops drawing on the VGA text
 *  screen if the range overlaps it (the userspace driver took it). */
void vga_physmem_mapped(uint64_t phys, uint64_t size);

void pic_init(void);
void pic_unmask(unsigned irq);
void pic_mask(unsigned irq);
void pic_eoi(unsigned irq);
/** Whether an IRQ 7/15 is spurious (no bit in the in-service register). */
bool pic_is_spurious(unsigned irq);

/** Programs PIT channel 0 for @a hz periodic interrupts. */
void pit_init_periodic(unsigned hz);
/** Measures the TSC frequency in kHz against PIT channel 2; 0 on failure. */
uint64_t pit_calibrate_tsc_khz(void);

void qemu_exit(uint32_t code);
/** Copies extra kernel options from QEMU fw_cfg into @a buf; returns the length. */
size_t qemu_extra_cmdline(char *buf, size_t size);

#endif
