/*
 * Page-table operations, implemented by the architecture. A page table is
 * named by the physical address of its root. The kernel half (direct map and
 * kernel image) is shared by every page table.
 */
#ifndef KERN_MM_PAGE_H
#define KERN_MM_PAGE_H

#include <types.h>
#include <common/arch/page.h> /* PAGE_SIZE, PAGE_SHIFT */

/* Mapping flags; a mapping is always readable. */
#define PAGE_WRITE   0x01
#define PAGE_USER    0x02
#define PAGE_EXEC    0x04
#define PAGE_NOCACHE 0x08
#define PAGE_GLOBAL  0x10
#define PAGE_LARGE   0x20 /* reported by page_query for 2 MiB mappings */

/** Builds the kernel's page tables (W^X image, NX direct map) and loads them. */
void paging_init(void);
/** Root of the kernel-only page table. */
paddr_t page_kernel_root(void);
/** Creates an empty user page table sharing the kernel half; ENOMEM. */
errno_t page_table_create(paddr_t *root);
/** Frees the user-half tables of @a root (not the frames they map) and the root. */
void page_table_destroy(paddr_t root);
/** Maps the 4 KiB page at @a va; EEXIST if mapped, ENOMEM for tables. */
errno_t page_map(paddr_t root, vaddr_t va, paddr_t pa, unsigned flags);
/** Unmaps @a va and returns the frame it mapped; ENOENT if not mapped. */
errno_t page_unmap(paddr_t root, vaddr_t va, paddr_t *pa);
/** Looks @a va up; ENOENT if not mapped. */
errno_t page_query(paddr_t root, vaddr_t va, paddr_t *pa, unsigned *flags);
/** Changes the flags of a mapped page; ENOENT if not mapped. */
errno_t page_protect(paddr_t root, vaddr_t va, unsigned flags);
/** Drops the running CPU's TLB entry for @a va, whatever table is loaded. */
void page_tlb_invalidate(vaddr_t va);
/** Drops the running CPU's TLB entries of the user half (non-global ones). */
void page_tlb_invalidate_all(void);
/** Switches the CPU to @a root. */
void page_table_activate(paddr_t root);

#endif
