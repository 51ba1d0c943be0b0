/*
 * amd64 page size: the one definition for the kernel, user space and the
 * host tests (4 KiB pages; the kernel's 2 MiB mappings are LARGE_PAGE_SIZE
 * in arch/layout.h). Plain integers, usable from assembly.
 */
#ifndef COMMON_ARCH_PAGE_H
#define COMMON_ARCH_PAGE_H

#define PAGE_SHIFT 12
#define PAGE_SIZE  4096

#endif
