/*
 * The amd64 virtual memory layout. Shared by assembly and C.
 *
 *   0x0000000000000000 - 0x00007fffffffffff  user space (lower canonical half)
 *   0xffff800000000000 - ...                  direct map of all physical memory
 *   0xffffc00000000000 - 0xffffc0007fffffff  kernel thread stacks with guard pages
 *   0xffffc00080000000 - 0xffffc00080ffffff  device memory the kernel reads (kmmio)
 *   0xffffffff80000000 - 0xffffffffffffffff  kernel image (linked at -2 GiB)
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define KERNEL_VMA	 0xffffffff80000000
#define KERNEL_PHYS	 0x100000
#define DIRECT_MAP_BASE	 0xffff800000000000
#define USER_SPACE_END	 0x0000800000000000
#define KSTACK_AREA_BASE 0xffffc00000000000
#define KSTACK_AREA_SIZE 0x80000000
#define KMMIO_AREA_BASE	 (KSTACK_AREA_BASE + KSTACK_AREA_SIZE)
#define KMMIO_AREA_SIZE	 0x1000000

#include <common/arch/page.h> /* PAGE_SHIFT, PAGE_SIZE */
#define LARGE_PAGE_SIZE 0x200000

#define BOOT_STACK_SIZE 16384

/* GDT selectors; the order is fixed by sysret (user data before user code). */
#define GDT_KCODE 0x08
#define GDT_KDATA 0x10
#define GDT_UDATA 0x1b
#define GDT_UCODE 0x23
#define GDT_TSS	  0x28

#endif
