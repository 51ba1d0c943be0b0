/*
 * Address spaces: a page table plus a sorted list of areas. An area is a
 * page-aligned range with access flags, backed by a memory object from which
 * pages are mapped on first touch (demand paging).
 * Lock: as->lock (a spinlock: page faults and destruction never sleep).
 * Lock order: as->lock -> mem_object->lock -> frame_lock.
 */
#ifndef KERN_MM_AS_H
#define KERN_MM_AS_H

#include <abi/proc.h>
#include <common/adt/list.h>
#include <mm/mem_object.h>
#include <spinlock.h>
#include <types.h>

typedef struct as_area {
	link_t link; /* as->areas, sorted by base */
	uintptr_t base;
	size_t pages;
	unsigned flags; /* AS_AREA_* */
	/* Its rights: the access flags (AS_AREA_RIGHTS) it may ever have. All
	 * for an area of its own object; for a mapping of another's object,
	 * what its sharer offered (as_area_create_shared). */
	unsigned max_flags;
	mem_object_t *obj;
	size_t obj_offset; /* first object page mapped at base */
	bool charged;	   /* its pages count in as->committed (QUOTA_MEMORY) */
	/* Charged pages beyond `pages`: those of holes unmapped from the area
	 * (as_area_unmap), whose frames stay in obj until it goes; given back
	 * with the area. */
	size_t held;
} as_area_t;

typedef struct as {
	paddr_t root;
	/* Bit n: CPU n may have this table loaded (set before loading it, cleared
	 * after loading another); atomic. The CPUs a change must shoot down. */
	uint64_t active_cpus;
	spinlock_t lock;
	/* Ranges taken out of the space (an area destroyed, shrunk or cut)
	 * whose shoot-down has not finished; under lock. No new area is made
	 * and none grows while it is not 0 (mm/as.c, release_begin_locked). */
	unsigned releasing;
	list_t areas;
	size_t area_count;
	/* QUOTA_MEMORY: pages of the committing anonymous areas made here
	 * (as_area_t.charged) and their limit; both under lock. */
	uint64_t committed;
	uint64_t commit_limit;
} as_t;

/* Page-fault access kinds. */
#define AS_ACCESS_READ	0
#define AS_ACCESS_WRITE 1
#define AS_ACCESS_EXEC	2

/** Keeps active_cpus right around a page-table switch on CPU @a cpu:
 *  call with @a loading before loading @a as's table, without after
 *  loading another one. @a as NULL (the kernel's) is ignored. */
static inline void as_mark_active(as_t *as, unsigned cpu, bool loading)
{
	if (as == NULL)
		return;
	if (loading)
		__atomic_fetch_or(&as->active_cpus, 1ull << cpu, __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_and(&as->active_cpus, ~(1ull << cpu), __ATOMIC_RELEASE);
}

void as_init(void);
/** Whether physical @a phys .. @a phys + @a size - 1 lies outside every
 *  range of RAM the kernel manages and outside the devices only the kernel
 *  drives (arch_physmem_kernel_only): device memory, what SYS_PHYSMEM_MAP
 *  and IRQ programs' memory reads may reach. */
bool physmem_is_device(uint64_t phys, uint64_t size);
errno_t as_create(as_t **out);
/** Destroys all areas and the page table. The address space must not be active. */
void as_destroy(as_t *as);
/**
 * Creates an area of @a size bytes at *@a base (or anywhere free with
 * AS_AREA_ANY), backed by @a obj from its page @a obj_offset on (NULL: a new
 * anonymous object, committed unless @a flags has AS_AREA_NORESERVE). EINVAL
 * for bad sizes/addresses/flags (write+exec), EEXIST on overlap, ENOMEM (also
 * when the new object's memory cannot be committed).
 */
errno_t as_area_create(as_t *as, uintptr_t *base, size_t size, unsigned flags,
    mem_object_t *obj, size_t obj_offset);
/** The access flags an area's rights are made of. */
#define AS_AREA_RIGHTS (AS_AREA_READ | AS_AREA_WRITE | AS_AREA_EXEC)
/** as_area_create of a mapping of @a obj, which another task shares, with
 *  rights @a max (AS_AREA_RIGHTS bits): @a flags beyond them are EPERM, and
 *  as_area_change_flags never goes beyond them either. */
errno_t as_area_create_shared(as_t *as, uintptr_t *base, size_t size, unsigned flags,
    unsigned max, mem_object_t *obj, size_t obj_offset);
/** as_area_create of a mapping of @a obj from its first page that stays
 *  as read-only as @a flags (no AS_AREA_WRITE: EINVAL) for good, counted
 *  against @a as's QUOTA_MEMORY like an anonymous area (ELIMIT): the
 *  pages may be shared with other tasks (proc/image.h). */
errno_t as_area_create_readonly(
    as_t *as, uintptr_t *base, size_t size, unsigned flags, mem_object_t *obj);
/** Counts @a size bytes (rounded up to pages) against @a as's QUOTA_MEMORY
 *  (ELIMIT past it), for an area made with as_area_create_precharged. */
errno_t as_commit_charge(as_t *as, size_t size);
void as_commit_uncharge(as_t *as, size_t size);
/** as_area_create of all of @a obj whose @a size was counted by
 *  as_commit_charge: the area carries the count and gives it back when it
 *  is destroyed; on failure the count is given back at once. */
errno_t as_area_create_precharged(
    as_t *as, uintptr_t *base, size_t size, unsigned flags, mem_object_t *obj);
/** Grows or shrinks the area starting at @a base; ENOENT, EEXIST, EINVAL,
 *  ENOMEM (also when the growth cannot be committed). */
errno_t as_area_resize(as_t *as, uintptr_t base, size_t size);
errno_t as_area_destroy(as_t *as, uintptr_t base);
/** as_area_destroy() in one look-up, unless the area at @a base is a
 *  write-back pager's: EAGAIN then, nothing changed, its size in *@a size
 *  (its written pages go to the pager first, pager_sync, which may wait:
 *  then as_area_destroy()). */
errno_t as_area_destroy_clean(as_t *as, uintptr_t base, size_t *size);
/** Unmaps [@a addr, @a addr + @a size) (size rounded up to pages), which
 *  must lie in one area: all of it destroys the area, its end shrinks it,
 *  its start moves the area's base, its middle splits it in two sharing the
 *  object. EINVAL: @a addr not page-aligned, @a size 0, or the range goes
 *  past the area's end; ENOENT: no area at @a addr; ENOTSUP: DMA memory
 *  (kept whole); ENOMEM. Nothing changes on failure. */
errno_t as_area_unmap(as_t *as, uintptr_t addr, size_t size);
/** Gives the area starting at @a base new rights @a flags (rules as for
 *  creation); only for anonymous areas no other address space maps, never
 *  beyond the area's max_flags (a mapping shared read-only stays so after
 *  its sharer is gone), and AS_AREA_NORESERVE must stay as it was. ENOENT,
 *  EINVAL, EPERM. */
errno_t as_area_change_flags(as_t *as, uintptr_t base, unsigned flags);
/** Describes the area containing @a addr; ENOENT if none. */
errno_t as_area_query(as_t *as, uintptr_t addr, as_area_info_t *info);
/** Resolves a fault at @a addr: EOK if mapped now, EPERM for a forbidden
 *  access, ENOENT outside any area, ENOMEM; EAGAIN for a page its pager
 *  must supply first (mm/pager.h, pager_fault). */
errno_t as_page_fault(as_t *as, uintptr_t addr, int access);
/** The memory object of the area containing @a addr (a new reference) and
 *  the index of @a addr's page in it; ENOENT. */
errno_t as_area_object(as_t *as, uintptr_t addr, mem_object_t **obj, size_t *index);
/** The same when all @a len (> 0) bytes from @a addr lie in that one area;
 *  ENOENT otherwise. */
errno_t as_area_object_range(
    as_t *as, uintptr_t addr, size_t len, mem_object_t **obj, size_t *index);
/** For a write-back (msync) of the page at @a va: if it lies in a
 *  write-back pager area and is dirty, clears the mark, maps the page
 *  read-only (shot down on every CPU) and gives its object (a new
 *  reference) and index: EOK. EAGAIN: nothing to write; ENOENT: no area.
 *  *@a next: the next address worth asking (the end of an area of another
 *  kind, else the next page). */
errno_t as_page_take_dirty(
    as_t *as, uintptr_t va, mem_object_t **obj, size_t *index, uintptr_t *next);
/** At the end of @a as's task, before its phones hang up: the written
 *  pages of its write-back pager areas are sent back without waiting
 *  (pager_post_dirty). No thread of the task may run. */
void as_writeback_post(as_t *as);
/** The memory object behind the area holding page-aligned @a base (a new
 *  reference), the object's page at @a base, the area's pages from @a base
 *  on and its flags: an area is shared whole or from one of its pages to
 *  its end; ENOENT (no area there, or @a base not page-aligned), ENOTSUP
 *  for a write-back pager area (never shared). */
errno_t as_area_share(as_t *as, uintptr_t base, mem_object_t **obj, size_t *offset,
    size_t *pages, unsigned *flags);
/** Copies @a len bytes into the address space at @a va (for loading images). */
errno_t as_write(as_t *as, uintptr_t va, const void *data, size_t len);
/** Copies @a len bytes at @a va, all in one page, out of the address space
 *  (the debug interface); ENOENT outside any area, EPERM in device memory,
 *  ENOMEM. A page never touched reads as the area's content (zeros). */
errno_t as_read_page(as_t *as, uintptr_t va, void *buf, size_t len);
/** Resident pages mapped in @a as. */
size_t as_resident_pages(as_t *as);

/** Sets @a as's QUOTA_MEMORY limit (pages; areas already made stay). */
void as_set_commit_limit(as_t *as, uint64_t pages);
/** Pages charged to @a as's QUOTA_MEMORY. */
uint64_t as_committed(as_t *as);

#endif
