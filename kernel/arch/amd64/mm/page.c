/*
 * amd64 4-level page tables. The kernel half (PML4 entries 256-511) is built
 * once at boot and its PDPTs are shared by every address space, so kernel
 * mappings never need to be copied. Callers serialise changes to one table
 * (the address space lock); the kernel half below the direct map is only
 * changed at boot.
 */
#include <mm/page.h>
#include <mm/frame.h>
#include <arch/asm.h>
#include <arch/cpu.h>
#include <arch/mm.h>
#include <boot.h>
#include <panic.h>
#include <printf.h>
#include <string.h>

#define PTE_P	    (1ull << 0)
#define PTE_W	    (1ull << 1)
#define PTE_U	    (1ull << 2)
#define PTE_PCD	    (1ull << 4)
#define PTE_PS	    (1ull << 7)
#define PTE_G	    (1ull << 8)
#define PTE_NX	    (1ull << 63)
#define PTE_ADDR    0x000ffffffffff000ull
#define ENTRIES	    512
#define KERNEL_HALF 256

typedef uint64_t pte_t;

extern char kernel_text_start[], kernel_text_end[];
extern char kernel_rodata_start[], kernel_data_start[], kernel_end[];

static paddr_t kernel_root;
static uint64_t nx_bit;

static pte_t *table_virt(pte_t entry)
{
	return phys_to_virt(entry & PTE_ADDR);
}

/*
 * The used part of a user page table that points to further tables (the
 * root's user half, PDPTs, PDs): the first and the last entry walk() ever
 * filled, in steps of USED_STEP entries, kept in the table frame's
 * descriptor (frame_t.reserved: 0 for every frame that is no user page
 * table, which nothing else uses). A task's end scans that part alone
 * (page_table_destroy), not all 512 entries of each of its tables, and
 * sets the field back to 0 as it frees the table. The part only grows: an
 * entry cleared since stays inside it, and the scan skips it.
 */
#define USED_STEP  4	  /* entries per step: 128 steps, 7 bits each */
#define USED_SOME  0x8000 /* an entry was filled */
#define USED_FIELD 0x7f

static frame_t *table_frame(const pte_t *table)
{
	return frame_of(virt_to_phys((void *) table));
}

/** Adds entry @a i of @a table to its used part. */
static void used_mark(pte_t *table, unsigned i)
{
	frame_t *f = table_frame(table);
	unsigned step = i / USED_STEP, lo = step, hi = step;
	if (f->reserved & USED_SOME) {
		lo = MIN(f->reserved & USED_FIELD, step);
		hi = MAX((f->reserved >> 7) & USED_FIELD, step);
	}
	f->reserved = (uint16_t) (USED_SOME | hi << 7 | lo);
}

/** The used part of @a table, which is about to be freed: entries
 *  [*@a from, *@a to); the record is cleared. */
static void used_take(const pte_t *table, unsigned *from, unsigned *to)
{
	frame_t *f = table_frame(table);
	unsigned r = f->reserved;
	f->reserved = 0;
	*from = (r & USED_FIELD) * USED_STEP;
	*to = (r & USED_SOME) ? ((r >> 7 & USED_FIELD) + 1) * USED_STEP : *from;
}

static unsigned index_of(vaddr_t va, unsigned level)
{
	return (va >> (12 + 9 * level)) & 0x1ff;
}

static pte_t flags_to_pte(unsigned flags)
{
	pte_t pte = PTE_P;
	if (flags & PAGE_WRITE)
		pte |= PTE_W;
	if (flags & PAGE_USER)
		pte |= PTE_U;
	if (!(flags & PAGE_EXEC))
		pte |= nx_bit;
	if (flags & PAGE_NOCACHE)
		pte |= PTE_PCD;
	if (flags & PAGE_GLOBAL)
		pte |= PTE_G;
	return pte;
}

static unsigned pte_to_flags(pte_t pte)
{
	unsigned flags = 0;
	if (pte & PTE_W)
		flags |= PAGE_WRITE;
	if (pte & PTE_U)
		flags |= PAGE_USER;
	if (!(pte & PTE_NX))
		flags |= PAGE_EXEC;
	if (pte & PTE_PCD)
		flags |= PAGE_NOCACHE;
	if (pte & PTE_G)
		flags |= PAGE_GLOBAL;
	return flags;
}

/**
 * Walks to the level-0 entry for @a va. With @a create, missing tables are
 * allocated (user tables get PTE_U on the intermediate levels, so the leaf
 * alone decides). Returns NULL if a table is missing (or ENOMEM) or if a
 * large page covers @a va (then *large is set).
 */
static pte_t *walk(paddr_t root, vaddr_t va, bool create, bool user, pte_t **large)
{
	pte_t *table = phys_to_virt(root);
	for (unsigned level = 3; level > 0; level--) {
		pte_t *e = &table[index_of(va, level)];
		if (!(*e & PTE_P)) {
			paddr_t pa;
			if (!create || frame_alloc_zeroed(0, &pa) != EOK)
				return NULL;
			*e = pa | PTE_P | PTE_W | (user ? PTE_U : 0);
			if (va < USER_SPACE_END)
				used_mark(table, index_of(va, level));
		} else if (*e & PTE_PS) {
			if (large != NULL)
				*large = e;
			return NULL;
		}
		table = table_virt(*e);
	}
	return &table[index_of(va, 0)];
}

/* The kernel half is shared by every page table, so its entries may be cached
 * whichever table is loaded. */
static void flush_if_active(paddr_t root, vaddr_t va)
{
	if (va >= USER_SPACE_END || (read_cr3() & PTE_ADDR) == root)
		invlpg(va);
}

errno_t page_map(paddr_t root, vaddr_t va, paddr_t pa, unsigned flags)
{
	if (!IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(pa, PAGE_SIZE))
		return EINVAL;
	pte_t *large = NULL;
	pte_t *e = walk(root, va, true, (flags & PAGE_USER) != 0, &large);
	if (large != NULL)
		return EEXIST;
	if (e == NULL)
		return ENOMEM;
	if (*e & PTE_P)
		return EEXIST;
	*e = pa | flags_to_pte(flags);
	return EOK;
}

errno_t page_unmap(paddr_t root, vaddr_t va, paddr_t *pa)
{
	pte_t *e = walk(root, va, false, false, NULL);
	if (e == NULL || !(*e & PTE_P))
		return ENOENT;
	if (pa != NULL)
		*pa = *e & PTE_ADDR;
	*e = 0;
	flush_if_active(root, va);
	return EOK;
}

errno_t page_query(paddr_t root, vaddr_t va, paddr_t *pa, unsigned *flags)
{
	pte_t *large = NULL;
	pte_t *e = walk(root, va, false, false, &large);
	if (large != NULL) {
		*pa = (*large & PTE_ADDR & ~(LARGE_PAGE_SIZE - 1)) +
		    (va & (LARGE_PAGE_SIZE - 1) & ~0xfffull);
		*flags = pte_to_flags(*large) | PAGE_LARGE;
		return EOK;
	}
	if (e == NULL || !(*e & PTE_P))
		return ENOENT;
	*pa = *e & PTE_ADDR;
	*flags = pte_to_flags(*e);
	return EOK;
}

errno_t page_protect(paddr_t root, vaddr_t va, unsigned flags)
{
	pte_t *e = walk(root, va, false, false, NULL);
	if (e == NULL || !(*e & PTE_P))
		return ENOENT;
	*e = (*e & PTE_ADDR) | flags_to_pte(flags);
	flush_if_active(root, va);
	return EOK;
}

void page_tlb_invalidate(vaddr_t va)
{
	invlpg(va);
}

void page_tlb_invalidate_all(void)
{
	write_cr3(read_cr3()); /* the kernel half is global and stays */
}

void page_table_activate(paddr_t root)
{
	write_cr3(root);
}

paddr_t page_kernel_root(void)
{
	return kernel_root;
}

errno_t page_table_create(paddr_t *root)
{
	errno_t rc = frame_alloc_zeroed(0, root);
	if (rc != EOK)
		return rc;
	pte_t *dst = phys_to_virt(*root);
	const pte_t *src = phys_to_virt(kernel_root);
	memcpy(&dst[KERNEL_HALF], &src[KERNEL_HALF], KERNEL_HALF * sizeof(pte_t));
	assert(table_frame(dst)->reserved == 0); /* no user entry used */
	return EOK;
}

/** The index of the first non-zero entry of @a table in [@a from, @a to),
 *  or @a to. One `repe scasq` step per entry, over the table's used part
 *  only (used_take): most of a task's tables hold one or two entries. */
static unsigned next_used(const pte_t *table, unsigned from, unsigned to)
{
	const pte_t *p = table + from;
	size_t left = to > from ? to - from : 0;
	if (left == 0)
		return to;
	bool found;
	__asm__ volatile("repe scasq"
			 : "+D"(p), "+c"(left), "=@ccnz"(found)
			 : "a"((pte_t) 0)
			 : "memory");
	return found ? (unsigned) (p - 1 - table) : to;
}

/** Frees the tables below the entries [@a from, @a to) of @a table, a
 *  table of @a level (0: a page table, whose frames are the objects'). */
static void free_below(pte_t *table, unsigned level, unsigned from, unsigned to)
{
	for (unsigned i = level > 0 ? next_used(table, from, to) : to; i < to;
	     i = next_used(table, i + 1, to)) {
		if ((table[i] & PTE_P) && !(table[i] & PTE_PS)) {
			pte_t *below = table_virt(table[i]);
			unsigned lo, hi;
			used_take(below, &lo, &hi);
			free_below(below, level - 1, lo, hi);
			frame_free(virt_to_phys(below));
		}
	}
}

void page_table_destroy(paddr_t root)
{
	pte_t *pml4 = phys_to_virt(root);
	unsigned from, to;
	used_take(pml4, &from, &to);
	free_below(pml4, 3, from, MIN(to, KERNEL_HALF));
	frame_free(root);
}

/** Highest physical address the direct map must cover (RAM and the VGA hole). */
static paddr_t direct_map_end(void)
{
	paddr_t end = 0x100000000ull; /* always cover low MMIO (APIC, HPET, ...) */
	for (size_t i = 0; i < boot_info.memmap_count; i++) {
		const boot_memrange_t *r = &boot_info.memmap[i];
		if (r->type == MEMRANGE_AVAILABLE)
			end = MAX(end, r->base + r->size);
	}
	return ALIGN_UP(end, LARGE_PAGE_SIZE);
}

static void map_direct(paddr_t root)
{
	paddr_t end = direct_map_end();
	for (paddr_t pa = 0; pa < end; pa += LARGE_PAGE_SIZE) {
		vaddr_t va = DIRECT_MAP_BASE + pa;
		pte_t *table = phys_to_virt(root);
		for (unsigned level = 3; level > 1; level--) {
			pte_t *e = &table[index_of(va, level)];
			if (!(*e & PTE_P)) {
				paddr_t t;
				if (frame_alloc_zeroed(0, &t) != EOK)
					panic("out of memory building the direct map");
				*e = t | PTE_P | PTE_W;
			}
			table = table_virt(*e);
		}
		/* Memory above 4 GiB and RAM are write-back; the 3-4 GiB hole is MMIO. */
		pte_t cache = (pa >= 0xc0000000ull && pa < 0x100000000ull) ? PTE_PCD : 0;
		table[index_of(va, 1)] = pa | PTE_P | PTE_W | PTE_PS | PTE_G | nx_bit |
		    cache;
	}
}

static void map_image_range(
    paddr_t root, const char *start, const char *end, unsigned flags)
{
	for (uintptr_t va = (uintptr_t) start; va < (uintptr_t) end; va += PAGE_SIZE) {
		if (page_map(root, va, va - KERNEL_VMA, flags | PAGE_GLOBAL) != EOK)
			panic("cannot map the kernel image at %p", (void *) va);
	}
}

/** Pre-creates all kernel-half PDPTs so that user tables can share them. */
static void populate_kernel_half(paddr_t root)
{
	pte_t *pml4 = phys_to_virt(root);
	for (unsigned i = KERNEL_HALF; i < ENTRIES; i++) {
		if (pml4[i] & PTE_P)
			continue;
		paddr_t t;
		if (frame_alloc_zeroed(0, &t) != EOK)
			panic("out of memory building the kernel page tables");
		pml4[i] = t | PTE_P | PTE_W;
	}
}

void paging_init(void)
{
	nx_bit = cpu_features.nx ? PTE_NX : 0;
	if (frame_alloc_zeroed(0, &kernel_root) != EOK)
		panic("out of memory building the kernel page tables");
	map_direct(kernel_root);
	map_image_range(kernel_root, kernel_text_start, kernel_rodata_start, PAGE_EXEC);
	map_image_range(kernel_root, kernel_rodata_start, kernel_data_start, 0);
	map_image_range(kernel_root, kernel_data_start, kernel_end, PAGE_WRITE);
	populate_kernel_half(kernel_root);
	page_table_activate(kernel_root);
}
