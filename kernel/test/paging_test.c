/*
 * Self-tests: page-table map/unmap/query, on a scratch user page table and on
 * the kernel's own layout.
 */
#include <test.h>
#include <arch/layout.h>
#include <arch/mm.h>
#include <mm/frame.h>
#include <mm/page.h>

extern char kernel_text_start[], kernel_rodata_start[], kernel_data_start[];

KTEST(paging_map_query_unmap)
{
	paddr_t root, frame, pa;
	unsigned flags;
	KT_ASSERT_EQ(page_table_create(&root), EOK);
	KT_ASSERT_EQ(frame_alloc(0, &frame), EOK);
	const vaddr_t va = 0x400000;

	KT_ASSERT_EQ(page_query(root, va, &pa, &flags), ENOENT);
	KT_ASSERT_EQ(page_map(root, va, frame, PAGE_USER | PAGE_WRITE), EOK);
	KT_ASSERT_EQ(page_map(root, va, frame, PAGE_USER), EEXIST);
	KT_ASSERT_EQ(page_map(root, va + 1, frame, PAGE_USER), EINVAL);
	KT_ASSERT_EQ(page_query(root, va, &pa, &flags), EOK);
	KT_ASSERT_EQ(pa, frame);
	KT_ASSERT_EQ(
	    flags & (PAGE_USER | PAGE_WRITE | PAGE_EXEC), PAGE_USER | PAGE_WRITE);
	KT_ASSERT_EQ(page_protect(root, va, PAGE_USER | PAGE_EXEC), EOK);
	KT_ASSERT_EQ(page_query(root, va, &pa, &flags), EOK);
	KT_ASSERT_EQ(flags & (PAGE_USER | PAGE_WRITE | PAGE_EXEC), PAGE_USER | PAGE_EXEC);
	KT_ASSERT_EQ(page_unmap(root, va, &pa), EOK);
	KT_ASSERT_EQ(pa, frame);
	KT_ASSERT_EQ(page_unmap(root, va, &pa), ENOENT);
	KT_ASSERT_EQ(page_query(root, va, &pa, &flags), ENOENT);

	/* The kernel half is visible in every table. */
	KT_ASSERT_EQ(page_query(root, (vaddr_t) kernel_text_start, &pa, &flags), EOK);
	frame_free(frame);
	page_table_destroy(root);
}

KTEST(paging_table_memory_is_freed)
{
	frame_stats_t before, after;
	frame_get_stats(&before);
	paddr_t root, frame;
	KT_ASSERT_EQ(page_table_create(&root), EOK);
	KT_ASSERT_EQ(frame_alloc(0, &frame), EOK);
	/* Spread mappings over distinct PML4/PDPT/PD slots. */
	for (unsigned i = 0; i < 8; i++)
		KT_ASSERT_EQ(page_map(root,
				 ((vaddr_t) i << 39) | ((vaddr_t) i << 30) |
				     ((vaddr_t) i << 21) | 0x1000,
				 frame, PAGE_USER),
		    EOK);
	page_table_destroy(root);
	frame_free(frame);
	frame_get_stats(&after);
	KT_ASSERT_EQ(after.free, before.free);
}

KTEST(paging_kernel_image_is_w_xor_x)
{
	paddr_t root = page_kernel_root(), pa;
	unsigned flags;
	KT_ASSERT_EQ(page_query(root, (vaddr_t) kernel_text_start, &pa, &flags), EOK);
	KT_ASSERT((flags & PAGE_EXEC) && !(flags & PAGE_WRITE));
	KT_ASSERT_EQ(pa, (vaddr_t) kernel_text_start - KERNEL_VMA);
	KT_ASSERT_EQ(page_query(root, (vaddr_t) kernel_rodata_start, &pa, &flags), EOK);
	KT_ASSERT(!(flags & PAGE_EXEC) && !(flags & PAGE_WRITE));
	KT_ASSERT_EQ(page_query(root, (vaddr_t) kernel_data_start, &pa, &flags), EOK);
	KT_ASSERT(!(flags & PAGE_EXEC) && (flags & PAGE_WRITE));
	/* The direct map: writable, not executable, 2 MiB pages. */
	KT_ASSERT_EQ(page_query(root, DIRECT_MAP_BASE + 0x200000, &pa, &flags), EOK);
	KT_ASSERT_EQ(pa, 0x200000);
	KT_ASSERT((flags & PAGE_LARGE) && (flags & PAGE_WRITE) && !(flags & PAGE_EXEC));
	/* Nothing in the user half of the kernel's own table. */
	KT_ASSERT_EQ(page_query(root, 0x100000, &pa, &flags), ENOENT);
}
