/*
 * Address spaces and areas (see mm/as.h). Areas never overlap; each is
 * readable, and at most one of writable and executable (W^X). Frames belong to
 * the areas' memory objects, so destroying a page table frees only the tables.
 */
#include <mm/as.h>
#include <mm/tlb.h>
#include <cpu.h>
#include <arch/layout.h>
#include <arch/mm.h>
#include <mm/frame.h>
#include <mm/kmalloc.h>
#include <mm/page.h>
#include <mm/pager.h>
#include <panic.h>
#include <string.h>

#define AS_ANY_BASE 0x0000010000000000ull /* where AS_AREA_ANY searches from */
#define AS_FLAGS_VALID \
	(AS_AREA_READ | AS_AREA_WRITE | AS_AREA_EXEC | AS_AREA_CACHEABLE | \
	    AS_AREA_NORESERVE)

static slab_cache_t as_cache;
static slab_cache_t area_cache;

void as_init(void)
{
	kmem_cache_init(&as_cache, "as", sizeof(as_t), 8);
	kmem_cache_init(&area_cache, "as_area", sizeof(as_area_t), 8);
	mem_object_init();
}

errno_t as_create(as_t **out)
{
	as_t *as = kmem_alloc(&as_cache);
	if (as == NULL)
		return ENOMEM;
	errno_t rc = page_table_create(&as->root);
	if (rc != EOK) {
		kmem_free(&as_cache, as);
		return rc;
	}
	spinlock_init(&as->lock, "as", LOCK_CLASS_AS);
	list_initialize(&as->areas);
	as->area_count = 0;
	as->committed = 0;
	as->commit_limit = QUOTA_UNLIMITED;
	as->active_cpus = 0;
	as->releasing = 0;
	*out = as;
	return EOK;
}

static uintptr_t area_end(const as_area_t *a)
{
	return a->base + a->pages * PAGE_SIZE;
}

static as_area_t *find_area(as_t *as, uintptr_t addr)
{
	list_foreach (as->areas, link, as_area_t, a) {
		if (addr >= a->base && addr < area_end(a))
			return a;
	}
	return NULL;
}

/** Whether [base, base + pages) lies in user space, clear of page 0's neighbourhood. */
static bool range_valid(uintptr_t base, size_t pages)
{
	return IS_ALIGNED(base, PAGE_SIZE) && pages > 0 && base >= USER_ADDRESS_MIN &&
	    base < USER_SPACE_END && pages <= (USER_SPACE_END - base) / PAGE_SIZE;
}

/** Whether the range overlaps no area other than @a ignore. */
static bool range_free(as_t *as, uintptr_t base, size_t pages, const as_area_t *ignore)
{
	uintptr_t end = base + pages * PAGE_SIZE;
	list_foreach (as->areas, link, as_area_t, a) {
		if (a != ignore && base < area_end(a) && a->base < end)
			return false;
	}
	return true;
}

/** First-fit search for a free range at or above AS_ANY_BASE; 0 if none. */
static uintptr_t find_hole(as_t *as, size_t pages)
{
	uintptr_t candidate = AS_ANY_BASE;
	list_foreach (as->areas, link, as_area_t, a) {
		if (area_end(a) <= candidate)
			continue;
		if (a->base >= candidate && (a->base - candidate) / PAGE_SIZE >= pages)
			return candidate;
		candidate = area_end(a);
	}
	return range_valid(candidate, pages) ? candidate : 0;
}

static void insert_sorted(as_t *as, as_area_t *area)
{
	list_foreach (as->areas, link, as_area_t, a) {
		if (a->base > area->base) {
			list_insert_before(&area->link, &a->link);
			as->area_count++;
			return;
		}
	}
	list_append(&area->link, &as->areas);
	as->area_count++;
}

static errno_t check_create_args(uintptr_t base, size_t size, unsigned flags)
{
	if (size == 0 || (flags & ~AS_FLAGS_VALID) != 0 || !(flags & AS_AREA_READ))
		return EINVAL;
	if ((flags & AS_AREA_WRITE) && (flags & AS_AREA_EXEC))
		return EINVAL;
	if (base != AS_AREA_ANY &&
	    !range_valid(base, ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE))
		return EINVAL;
	if (size > USER_SPACE_END)
		return EINVAL;
	return EOK;
}

/** Counts @a pages more against @a as's QUOTA_MEMORY; ELIMIT past it. */
static errno_t commit_charge(as_t *as, uint64_t pages)
{
	spinlock_lock(&as->lock);
	errno_t rc = pages > as->commit_limit - MIN(as->committed, as->commit_limit)
	    ? ELIMIT
	    : EOK;
	if (rc == EOK)
		as->committed += pages;
	spinlock_unlock(&as->lock);
	return rc;
}

/** Takes back @a pages charged to @a as. Lock held. */
static void commit_uncharge_locked(as_t *as, uint64_t pages)
{
	assert(as->committed >= pages);
	as->committed -= pages;
}

void as_set_commit_limit(as_t *as, uint64_t pages)
{
	spinlock_lock(&as->lock);
	as->commit_limit = pages;
	spinlock_unlock(&as->lock);
}

uint64_t as_committed(as_t *as)
{
	spinlock_lock(&as->lock);
	uint64_t pages = as->committed;
	spinlock_unlock(&as->lock);
	return pages;
}

errno_t as_commit_charge(as_t *as, size_t size)
{
	return commit_charge(as, ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE);
}

void as_commit_uncharge(as_t *as, size_t size)
{
	spinlock_lock(&as->lock);
	commit_uncharge_locked(as, ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE);
	spinlock_unlock(&as->lock);
}

/** as_area_create; @a charged: the area counts against QUOTA_MEMORY, and
 *  @a precharged: its pages are counted already (given back on failure). */
/** After pages at @a va were unmapped in @a as: the CPUs where it is
 *  loaded forget them, this one too (the caller may have moved since the
 *  unmap, mm/tlb.c). as->lock must not be held (see mm/tlb.h). */
static void as_shootdown(as_t *as, uintptr_t va, size_t pages)
{
	/* The table's stores before the mask's load (x86 may reorder a load
	 * before earlier stores): a CPU that sets its bit later walks the new
	 * table. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	uint64_t cpus = __atomic_load_n(&as->active_cpus, __ATOMIC_RELAXED);
	if (pages != 0 && cpus != 0)
		tlb_shootdown(cpus, va, pages);
}

/*
 * A range leaves the space (its area destroyed, shrunk or cut) under
 * as->lock, and its shoot-down follows without the lock (as_shootdown).
 * Until the shoot-down has finished, a CPU that ran a thread of the task
 * may still hold TLB entries for the range's old frames, so no new area
 * may take the range meanwhile: a write to the new area through such an
 * entry would land in the old frame and be lost, while every other CPU
 * sees the new area's page (a thread's creator wrote the start record of
 * a new thread so, at a stack address just freed by an exiting thread on
 * another CPU; the new thread read zeros and jumped to address 0). So a
 * release is counted in as->releasing from the unmap to the end of its
 * shoot-down, and area_create and as_area_resize wait while it is not 0.
 */

/** Counts a release of @a as whose shoot-down follows. Lock held. */
static void release_begin_locked(as_t *as)
{
	as->releasing++;
}

/** Shoots down the @a pages pages at @a va that left @a as (lock not held),
 *  then ends the release release_begin_locked counted. */
static void release_shootdown(as_t *as, uintptr_t va, size_t pages)
{
	as_shootdown(as, va, pages);
	spinlock_lock(&as->lock);
	assert(as->releasing > 0);
	as->releasing--;
	spinlock_unlock(&as->lock);
}

/** Returns (lock held, as on entry) once no release of @a as is between
 *  its unmap and the end of its shoot-down. The lock is dropped while it
 *  waits; this CPU serves shoot-down requests meanwhile, since one of them
 *  may be the one waited for and interrupts may be off here. */
static void release_wait_locked(as_t *as)
{
	while (as->releasing != 0) {
		spinlock_unlock(&as->lock);
		bool ints = irq_save();
		tlb_serve();
		irq_restore(ints);
		cpu_relax();
		spinlock_lock(&as->lock);
	}
}

static errno_t area_create(as_t *as, uintptr_t *base, size_t size, unsigned flags,
    unsigned max, mem_object_t *obj, size_t obj_offset, bool charged, bool precharged)
{
	errno_t rc = check_create_args(*base, size, flags);
	if (rc == EOK && (flags & AS_AREA_RIGHTS & ~max) != 0)
		rc = EPERM;
	size_t pages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	if (rc == EOK && obj != NULL &&
	    (obj_offset > obj->pages || pages > obj->pages - obj_offset))
		rc = EINVAL;
	if (rc != EOK) {
		if (precharged)
			as_commit_uncharge(as, size);
		return rc;
	}
	if (charged && !precharged && (rc = commit_charge(as, pages)) != EOK)
		return rc;
	as_area_t *area = kmem_alloc(&area_cache);
	if (area == NULL)
		rc = ENOMEM;
	else if (obj == NULL)
		rc = (flags & AS_AREA_NORESERVE)
		    ? mem_object_create_noreserve(pages, &obj)
		    : mem_object_create_anon(pages, &obj);
	else
		mem_object_get(obj);
	if (rc != EOK) {
		if (area != NULL)
			kmem_free(&area_cache, area);
		spinlock_lock(&as->lock);
		if (charged)
			commit_uncharge_locked(as, pages);
		spinlock_unlock(&as->lock);
		return rc;
	}
	area->charged = charged;
	area->held = 0;
	area->pages = pages;
	area->flags = flags;
	area->max_flags = max & AS_AREA_RIGHTS;
	area->obj = obj;
	area->obj_offset = obj_offset;

	spinlock_lock(&as->lock);
	release_wait_locked(as);
	uintptr_t at = *base == AS_AREA_ANY ? find_hole(as, pages) : *base;
	if (at == 0 || !range_free(as, at, pages, NULL)) {
		if (charged)
			commit_uncharge_locked(as, pages);
		spinlock_unlock(&as->lock);
		mem_object_put(obj);
		kmem_free(&area_cache, area);
		return at == 0 ? ENOMEM : EEXIST;
	}
	area->base = at;
	insert_sorted(as, area);
	spinlock_unlock(&as->lock);
	*base = at;
	return EOK;
}

errno_t as_area_create(as_t *as, uintptr_t *base, size_t size, unsigned flags,
    mem_object_t *obj, size_t obj_offset)
{
	bool charged = obj == NULL && !(flags & AS_AREA_NORESERVE);
	return area_create(
	    as, base, size, flags, AS_AREA_RIGHTS, obj, obj_offset, charged, false);
}

errno_t as_area_create_shared(as_t *as, uintptr_t *base, size_t size, unsigned flags,
    unsigned max, mem_object_t *obj, size_t obj_offset)
{
	return area_create(as, base, size, flags, max, obj, obj_offset, false, false);
}

errno_t as_area_create_readonly(
    as_t *as, uintptr_t *base, size_t size, unsigned flags, mem_object_t *obj)
{
	if (flags & AS_AREA_WRITE)
		return EINVAL;
	return area_create(
	    as, base, size, flags, flags & AS_AREA_RIGHTS, obj, 0, true, false);
}

errno_t as_area_create_precharged(
    as_t *as, uintptr_t *base, size_t size, unsigned flags, mem_object_t *obj)
{
	return area_create(as, base, size, flags, AS_AREA_RIGHTS, obj, 0, true, true);
}

/** Unmaps pages [first, first + count) of @a area. Lock held. */
/** Unmaps pages [@a first, @a first + @a count) of @a area. A page of a
 *  paged object with no frame was never faulted in: nothing is mapped
 *  there, so only the pages with frames are visited (a 1 MiB stack with a
 *  few pages touched costs those few, not 256 look-ups). Lock held. */
static void unmap_pages(as_t *as, as_area_t *area, size_t first, size_t count)
{
	bool paged = mem_object_paged(area->obj);
	size_t off = area->obj_offset, end = first + count;
	for (size_t i = first; i < end; i++) {
		if (paged)
			i = mem_object_next_present(area->obj, off + i, off + end) - off;
		if (i < end)
			page_unmap(as->root, area->base + i * PAGE_SIZE, NULL);
	}
}

static void area_free(as_area_t *area)
{
	mem_object_put(area->obj);
	kmem_free(&area_cache, area);
}

/** Unmaps @a area and takes it out of @a as, its charge given back; the
 *  caller frees it (area_free) after unlocking. Lock held. */
static void area_remove_locked(as_t *as, as_area_t *area)
{
	unmap_pages(as, area, 0, area->pages);
	list_remove(&area->link);
	as->area_count--;
	if (area->charged)
		commit_uncharge_locked(as, area->pages + area->held);
}

/** as_area_destroy(), or with @a clean_only EAGAIN (nothing changed) for
 *  an area of a write-back pager, its size in *@a size (unless NULL). */
static errno_t area_destroy(as_t *as, uintptr_t base, bool clean_only, size_t *size)
{
	spinlock_lock(&as->lock);
	as_area_t *area = find_area(as, base);
	errno_t rc = area == NULL || area->base != base ? ENOENT
	    : clean_only && pager_writeback(area->obj)	? EAGAIN
							: EOK;
	if (rc == EAGAIN && size != NULL)
		*size = area->pages * PAGE_SIZE;
	if (rc != EOK) {
		spinlock_unlock(&as->lock);
		return rc;
	}
	area_remove_locked(as, area);
	release_begin_locked(as);
	spinlock_unlock(&as->lock);
	release_shootdown(as, area->base, area->pages); /* before the frames go */
	area_free(area);
	return EOK;
}

errno_t as_area_destroy(as_t *as, uintptr_t base)
{
	return area_destroy(as, base, false, NULL);
}

errno_t as_area_destroy_clean(as_t *as, uintptr_t base, size_t *size)
{
	return area_destroy(as, base, true, size);
}

/** Grows @a area to @a pages (or leaves it as it is). Lock held. */
static errno_t grow_locked(as_t *as, as_area_t *area, size_t pages)
{
	if (!range_valid(area->base, pages))
		return EINVAL;
	if (pages > area->pages && !range_free(as, area->base, pages, area))
		return EEXIST;
	/* Only an anonymous object that no one else maps grows with its area. */
	bool exclusive = area->obj->refcount == 1;
	if (pages > area->obj->pages - area->obj_offset &&
	    (!exclusive || area->obj->type != MEM_OBJECT_ANON))
		return ENOTSUP;
	uint64_t more = area->charged && pages > area->pages ? pages - area->pages : 0;
	if (more > as->commit_limit - MIN(as->committed, as->commit_limit))
		return ELIMIT;
	if (exclusive && area->obj->type == MEM_OBJECT_ANON) {
		errno_t rc = mem_object_resize(area->obj, area->obj_offset + pages);
		if (rc != EOK)
			return rc;
	}
	as->committed += more;
	area->pages = pages;
	return EOK;
}

/** Drops the frames an exclusive anonymous area @a area no longer covers
 *  (after its cut pages were shot down). Lock held. */
static void trim_object(as_area_t *area)
{
	mem_object_t *obj = area->obj;
	if (obj->refcount != 1 || obj->type != MEM_OBJECT_ANON ||
	    obj->pages <= area->obj_offset + area->pages)
		return;
	errno_t rc = mem_object_resize(obj, area->obj_offset + area->pages);
	assert(rc == EOK); /* shrinking allocates nothing */
	(void) rc;
}

/** Shrinks @a area (of @a as, locked; it is unlocked on return) to @a pages.
 *  The cut pages are unmapped and the area shrunk first, so no CPU faults
 *  them back in; they are shot down on the other CPUs without as->lock (a
 *  CPU spinning for it could not answer), and only then are their frames
 *  freed, the area looked up again in case it changed meanwhile. */
static void shrink_unlock(as_t *as, as_area_t *area, size_t pages)
{
	uintptr_t base = area->base;
	size_t cut = area->pages - pages;
	unmap_pages(as, area, pages, cut);
	if (area->charged)
		commit_uncharge_locked(as, cut);
	area->pages = pages;
	release_begin_locked(as);
	spinlock_unlock(&as->lock);
	as_shootdown(as, base + pages * PAGE_SIZE, cut);
	spinlock_lock(&as->lock);
	as->releasing--; /* the release shrink began ends */
	area = find_area(as, base);
	if (area != NULL && area->base == base)
		trim_object(area);
	spinlock_unlock(&as->lock);
}

errno_t as_area_resize(as_t *as, uintptr_t base, size_t size)
{
	if (size == 0 || size > USER_SPACE_END)
		return EINVAL;
	size_t pages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	spinlock_lock(&as->lock);
	release_wait_locked(as); /* a growth may take a range just released */
	as_area_t *area = find_area(as, base);
	if (area == NULL || area->base != base) {
		spinlock_unlock(&as->lock);
		return ENOENT;
	}
	/* DMA memory is counted whole while its area lives: it keeps its size. */
	if (area->obj->type == MEM_OBJECT_DMA) {
		spinlock_unlock(&as->lock);
		return ENOTSUP;
	}
	if (pages < area->pages) {
		shrink_unlock(as, area, pages);
		return EOK;
	}
	errno_t rc = grow_locked(as, area, pages);
	spinlock_unlock(&as->lock);
	return rc;
}

/** Unmaps the first @a count pages of @a area: its base moves past them.
 *  Their frames and charge stay with the area. Lock held. */
static void area_trim_head(as_t *as, as_area_t *area, size_t count)
{
	unmap_pages(as, area, 0, count);
	area->base += count * PAGE_SIZE;
	area->obj_offset += count;
	area->pages -= count;
	area->held += area->charged ? count : 0;
}

/** Unmaps pages [@a first, @a first + @a count) of @a area, inside it: the
 *  area keeps what lies before them (and their frames and charge), @a rest
 *  (allocated by the caller) becomes what lies after, on the same object.
 *  Lock held. */
static void area_split(
    as_t *as, as_area_t *area, size_t first, size_t count, as_area_t *rest)
{
	unmap_pages(as, area, first, count);
	*rest = *area;
	rest->base = area->base + (first + count) * PAGE_SIZE;
	rest->pages = area->pages - first - count;
	rest->obj_offset = area->obj_offset + first + count;
	rest->held = 0;
	mem_object_get(rest->obj);
	area->held += area->charged ? count : 0;
	area->pages = first;
	insert_sorted(as, rest);
}

/** Whether @a count pages from @a first of @a area may be unmapped. */
static errno_t unmap_check(const as_area_t *area, size_t first, size_t count)
{
	if (count > area->pages - first)
		return EINVAL;
	if (area->obj->type == MEM_OBJECT_DMA)
		return ENOTSUP;
	return EOK;
}

/** Unmaps @a count pages from @a first of @a area (of @a as, locked; it is
 *  unlocked on return), a range unmap_check accepted. *@a rest is taken (set
 *  to NULL) when a split needs it, *@a gone is the area when it is destroyed
 *  (freed by the caller). The range is shot down from every CPU before the
 *  return, and before any frame goes (a hole's frames stay held). */
static void unmap_unlock(as_t *as, as_area_t *area, size_t first, size_t count,
    as_area_t **rest, as_area_t **gone)
{
	uintptr_t va = area->base + first * PAGE_SIZE;
	if (first == 0 && count == area->pages) {
		area_remove_locked(as, area);
		*gone = area;
	} else if (first + count == area->pages) {
		shrink_unlock(as, area, first); /* shoots down itself */
		return;
	} else if (first == 0) {
		area_trim_head(as, area, count);
	} else {
		area_split(as, area, first, count, *rest);
		*rest = NULL;
	}
	release_begin_locked(as);
	spinlock_unlock(&as->lock);
	release_shootdown(as, va, count);
}

errno_t as_area_unmap(as_t *as, uintptr_t addr, size_t size)
{
	if (!IS_ALIGNED(addr, PAGE_SIZE) || size == 0 || size > USER_SPACE_END)
		return EINVAL;
	size_t count = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	as_area_t *rest = kmem_alloc(&area_cache); /* for a split */
	if (rest == NULL)
		return ENOMEM;
	as_area_t *gone = NULL;
	spinlock_lock(&as->lock);
	as_area_t *area = find_area(as, addr);
	size_t first = area != NULL ? (addr - area->base) / PAGE_SIZE : 0;
	errno_t rc = area == NULL ? ENOENT : unmap_check(area, first, count);
	if (rc == EOK)
		unmap_unlock(as, area, first, count, &rest, &gone);
	else
		spinlock_unlock(&as->lock);
	if (gone != NULL)
		area_free(gone);
	if (rest != NULL)
		kmem_free(&area_cache, rest);
	return rc;
}

errno_t as_area_change_flags(as_t *as, uintptr_t base, unsigned flags)
{
	errno_t rc = check_create_args(AS_AREA_ANY, PAGE_SIZE, flags);
	if (rc != EOK)
		return rc;
	spinlock_lock(&as->lock);
	as_area_t *area = find_area(as, base);
	if (area == NULL || area->base != base)
		rc = ENOENT;
	else if (area->obj->type != MEM_OBJECT_ANON || area->obj->refcount != 1)
		rc = EPERM;
	else if ((flags & AS_AREA_RIGHTS & ~area->max_flags) != 0)
		rc = EPERM; /* beyond what its sharer offered */
	else if ((flags ^ area->flags) & AS_AREA_NORESERVE)
		rc = EINVAL; /* the object's commitment is fixed at creation */
	uintptr_t base_va = 0;
	size_t pages = 0;
	if (rc == EOK) {
		/* Pages fault back in with the new rights. */
		unmap_pages(as, area, 0, area->pages);
		area->flags = flags;
		base_va = area->base;
		pages = area->pages;
	}
	spinlock_unlock(&as->lock);
	if (rc == EOK)
		as_shootdown(
		    as, base_va, pages); /* the old rights end before we return */
	return rc;
}

errno_t as_area_query(as_t *as, uintptr_t addr, as_area_info_t *info)
{
	spinlock_lock(&as->lock);
	as_area_t *area = find_area(as, addr);
	if (area != NULL) {
		info->base = area->base;
		info->size = area->pages * PAGE_SIZE;
		info->flags = area->flags;
	}
	spinlock_unlock(&as->lock);
	return area != NULL ? EOK : ENOENT;
}

static unsigned page_flags(const as_area_t *area)
{
	unsigned f = PAGE_USER;
	if (area->flags & AS_AREA_WRITE)
		f |= PAGE_WRITE;
	if (area->flags & AS_AREA_EXEC)
		f |= PAGE_EXEC;
	if (area->obj->type == MEM_OBJECT_PHYS && !(area->flags & AS_AREA_CACHEABLE))
		f |= PAGE_NOCACHE;
	return f;
}

static bool access_allowed(const as_area_t *area, int access)
{
	if (access == AS_ACCESS_WRITE)
		return (area->flags & AS_AREA_WRITE) != 0;
	if (access == AS_ACCESS_EXEC)
		return (area->flags & AS_AREA_EXEC) != 0;
	return true;
}

errno_t as_page_fault(as_t *as, uintptr_t addr, int access)
{
	spinlock_lock(&as->lock);
	as_area_t *area = find_area(as, addr);
	errno_t rc = ENOENT;
	if (area != NULL)
		rc = access_allowed(area, access) ? EOK : EPERM;
	if (rc == EOK) {
		uintptr_t page = ALIGN_DOWN(addr, PAGE_SIZE);
		paddr_t pa;
		size_t index = area->obj_offset + (page - area->base) / PAGE_SIZE;
		rc = mem_object_page(area->obj, index, &pa);
		unsigned flags = page_flags(area);
		/* A clean page of a write-back pager stays read-only: its first
		 * write comes back here and marks it dirty. */
		if (rc == EOK && (flags & PAGE_WRITE) && pager_writeback(area->obj) &&
		    !pager_page_access(area->obj, index, access))
			flags &= ~PAGE_WRITE;
		if (rc == EOK)
			rc = page_map(as->root, page, pa, flags);
		if (rc == EEXIST && access == AS_ACCESS_WRITE &&
		    pager_writeback(area->obj))
			rc = page_protect(as->root, page, flags); /* now dirty */
		if (rc == EEXIST) /* mapped meanwhile or a stale TLB entry */
			rc = EOK;
	}
	spinlock_unlock(&as->lock);
	return rc;
}

errno_t as_area_object(as_t *as, uintptr_t addr, mem_object_t **obj, size_t *index)
{
	return as_area_object_range(as, addr, 1, obj, index);
}

errno_t as_area_object_range(
    as_t *as, uintptr_t addr, size_t len, mem_object_t **obj, size_t *index)
{
	spinlock_lock(&as->lock);
	as_area_t *area = find_area(as, addr);
	if (area != NULL && (len == 0 || len > area_end(area) - addr))
		area = NULL;
	if (area != NULL) {
		mem_object_get(area->obj);
		*obj = area->obj;
		*index = area->obj_offset +
		    (ALIGN_DOWN(addr, PAGE_SIZE) - area->base) / PAGE_SIZE;
	}
	spinlock_unlock(&as->lock);
	return area != NULL ? EOK : ENOENT;
}

errno_t as_page_take_dirty(
    as_t *as, uintptr_t va, mem_object_t **obj, size_t *index, uintptr_t *next)
{
	va = ALIGN_DOWN(va, PAGE_SIZE);
	spinlock_lock(&as->lock);
	as_area_t *area = find_area(as, va);
	errno_t rc = area == NULL ? ENOENT : EAGAIN;
	/* Past the rest of an area that writes nothing back. */
	*next = area != NULL && !pager_writeback(area->obj) ? area_end(area)
							    : va + PAGE_SIZE;
	size_t i = area != NULL ? area->obj_offset + (va - area->base) / PAGE_SIZE : 0;
	if (area != NULL && pager_writeback(area->obj) &&
	    pager_page_clean(area->obj, i)) {
		/* ENOENT if it is not mapped here: nothing to protect. */
		(void) page_protect(as->root, va, page_flags(area) & ~PAGE_WRITE);
		mem_object_get(area->obj);
		*obj = area->obj;
		*index = i;
		rc = EOK;
	}
	spinlock_unlock(&as->lock);
	if (rc == EOK)
		as_shootdown(as, va, 1); /* no CPU writes it unmarked any more */
	return rc;
}

/** The object of the @a n-th write-back pager area of @a as (a new
 *  reference); NULL past the last. */
static mem_object_t *nth_writeback_object(as_t *as, size_t n)
{
	mem_object_t *found = NULL;
	spinlock_lock(&as->lock);
	list_foreach (as->areas, link, as_area_t, a) {
		if (pager_writeback(a->obj) && n-- == 0) {
			found = a->obj;
			mem_object_get(found);
			break;
		}
	}
	spinlock_unlock(&as->lock);
	return found;
}

void as_writeback_post(as_t *as)
{
	mem_object_t *obj;
	for (size_t n = 0; (obj = nth_writeback_object(as, n)) != NULL; n++) {
		pager_post_dirty(obj);
		mem_object_put(obj);
	}
}

errno_t as_area_share(as_t *as, uintptr_t base, mem_object_t **obj, size_t *offset,
    size_t *pages, unsigned *flags)
{
	spinlock_lock(&as->lock);
	as_area_t *area = find_area(as, base);
	errno_t rc = area != NULL && IS_ALIGNED(base, PAGE_SIZE) ? EOK : ENOENT;
	/* Dirty marks are kept per mapping (mm/pager.h): a write-back pager's
	 * object has one area alone. */
	if (rc == EOK && pager_writeback(area->obj))
		rc = ENOTSUP;
	if (rc == EOK) {
		size_t skip = (base - area->base) / PAGE_SIZE;
		mem_object_get(area->obj);
		*obj = area->obj;
		*offset = area->obj_offset + skip;
		*pages = area->pages - skip;
		*flags = area->flags;
	}
	spinlock_unlock(&as->lock);
	return rc;
}

errno_t as_write(as_t *as, uintptr_t va, const void *data, size_t len)
{
	const uint8_t *src = data;
	while (len > 0) {
		size_t off = va % PAGE_SIZE;
		size_t n = MIN(len, PAGE_SIZE - off);
		spinlock_lock(&as->lock);
		as_area_t *area = find_area(as, va);
		paddr_t pa;
		errno_t rc = area == NULL
		    ? ENOENT
		    : mem_object_page(area->obj,
			  area->obj_offset +
			      (ALIGN_DOWN(va, PAGE_SIZE) - area->base) / PAGE_SIZE,
			  &pa);
		spinlock_unlock(&as->lock);
		if (rc != EOK)
			return rc;
		memcpy((uint8_t *) phys_to_virt(pa) + off, src, n);
		va += n;
		src += n;
		len -= n;
	}
	return EOK;
}

errno_t as_read_page(as_t *as, uintptr_t va, void *buf, size_t len)
{
	assert(len <= PAGE_SIZE - va % PAGE_SIZE);
	spinlock_lock(&as->lock);
	as_area_t *area = find_area(as, va);
	paddr_t pa;
	errno_t rc = ENOENT;
	if (area != NULL && area->obj->type == MEM_OBJECT_PHYS && !area->obj->ram)
		rc = EPERM; /* a device's registers: reading may change them */
	else if (area != NULL)
		rc = mem_object_page(area->obj,
		    area->obj_offset +
			(ALIGN_DOWN(va, PAGE_SIZE) - area->base) / PAGE_SIZE,
		    &pa);
	if (rc == EOK)
		memcpy(buf, (uint8_t *) phys_to_virt(pa) + va % PAGE_SIZE, len);
	spinlock_unlock(&as->lock);
	return rc;
}

size_t as_resident_pages(as_t *as)
{
	size_t n = 0;
	spinlock_lock(&as->lock);
	list_foreach (as->areas, link, as_area_t, a)
		n += mem_object_paged(a->obj)	     ? a->obj->resident
		    : a->obj->type == MEM_OBJECT_DMA ? a->pages
						     : 0;
	spinlock_unlock(&as->lock);
	return n;
}

void as_destroy(as_t *as)
{
	/* Its last thread has switched away everywhere, which cleared every
	 * CPU's bit; a CPU still named would keep entries for frames about to
	 * be freed, so it is flushed all the same. */
	as_shootdown(as, 0, TLB_ALL);
	while (!list_empty(&as->areas)) {
		as_area_t *a = list_get_instance(list_first(&as->areas), as_area_t, link);
		list_remove(&a->link);
		area_free(a);
	}
	page_table_destroy(as->root);
	kmem_free(&as_cache, as);
}
