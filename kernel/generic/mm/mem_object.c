/*
 * Memory objects (see mm/mem_object.h). Anonymous pages are tracked in a
 * two-level table: a kmalloc'd array of chunk pointers, each chunk one frame
 * of 512 physical addresses, allocated when a page in its range is first used.
 *
 * Commit accounting (see mm/mem_object.h): a committing object holds a
 * promise (frame_commit) for exactly the frames it may still allocate:
 * obj->committed == commit_need(obj) whenever obj->lock is free.
 */
#include <mm/mem_object.h>
#include <arch/mm.h>
#include <mm/frame.h>
#include <mm/kmalloc.h>
#include <mm/pager.h>
#include <panic.h>
#include <common/mem_scan.h>
#include <string.h>

static slab_cache_t object_cache;

void mem_object_init(void)
{
	kmem_cache_init(&object_cache, "mem_object", sizeof(mem_object_t), 8);
}

static mem_object_t *object_alloc(mem_object_type_t type, size_t pages)
{
	mem_object_t *obj = kmem_alloc(&object_cache);
	if (obj == NULL)
		return NULL;
	memset(obj, 0, sizeof(*obj));
	obj->type = type;
	obj->pages = pages;
	obj->refcount = 1;
	spinlock_init(&obj->lock, "mem_object", LOCK_CLASS_MEM_OBJECT);
	return obj;
}

static size_t chunks_for(size_t pages)
{
	return (pages + MEM_OBJECT_CHUNK_PAGES - 1) / MEM_OBJECT_CHUNK_PAGES;
}

/** Frames an object of @a pages pages may still allocate, besides the
 *  @a resident pages and @a chunks chunks it has. */
static size_t frames_needed(size_t pages, size_t resident, size_t chunks)
{
	return (pages - resident) + (chunks_for(pages) - chunks);
}

/** What a committing object must hold promised. Lock held. */
static size_t commit_need(const mem_object_t *obj)
{
	return frames_needed(obj->pages, obj->resident, obj->chunks_present);
}

/** A new object of @a type keeping its pages in a table (anonymous or
 *  pager), committing them all if @a commit. */
static errno_t create_paged(
    mem_object_type_t type, size_t pages, bool commit, mem_object_t **out)
{
	size_t promise = commit ? frames_needed(pages, 0, 0) : 0;
	if (promise > 0 && frame_commit(promise) != EOK)
		return ENOMEM;
	mem_object_t *obj = object_alloc(type, pages);
	if (obj != NULL) {
		obj->commits = commit;
		obj->committed = promise;
		obj->chunk_count = chunks_for(pages);
		obj->chunks = kzalloc(MAX(obj->chunk_count, 1) * sizeof(paddr_t *));
		if (obj->chunks != NULL) {
			*out = obj;
			return EOK;
		}
		kmem_free(&object_cache, obj);
	}
	if (promise > 0)
		frame_uncommit(promise);
	return ENOMEM;
}

errno_t mem_object_create_anon(size_t pages, mem_object_t **out)
{
	return create_paged(MEM_OBJECT_ANON, pages, true, out);
}

errno_t mem_object_create_noreserve(size_t pages, mem_object_t **out)
{
	return create_paged(MEM_OBJECT_ANON, pages, false, out);
}

errno_t mem_object_create_pager(size_t pages, struct mem_pager *pager, mem_object_t **out)
{
	errno_t rc = create_paged(MEM_OBJECT_PAGER, pages, false, out);
	if (rc == EOK)
		(*out)->pager = pager;
	return rc;
}

errno_t mem_object_create_phys(paddr_t base, size_t pages, mem_object_t **out)
{
	if (!IS_ALIGNED(base, FRAME_SIZE))
		return EINVAL;
	mem_object_t *obj = object_alloc(MEM_OBJECT_PHYS, pages);
	if (obj == NULL)
		return ENOMEM;
	obj->phys_base = base;
	*out = obj;
	return EOK;
}

errno_t mem_object_create_module(paddr_t base, size_t pages, mem_object_t **out)
{
	errno_t rc = mem_object_create_phys(base, pages, out);
	if (rc == EOK)
		(*out)->ram = true;
	return rc;
}

errno_t mem_object_create_giving(paddr_t base, size_t pages, mem_object_t **out)
{
	errno_t rc = mem_object_create_module(base, pages, out);
	if (rc == EOK)
		(*out)->gives_frames = true;
	return rc;
}

errno_t mem_object_create_dma(size_t pages, bool below_4g, mem_object_t **out)
{
	paddr_t base;
	if (frame_alloc_zeroed(frame_order_for(pages * FRAME_SIZE), &base) != EOK)
		return ENOMEM;
	if (below_4g && base + (paddr_t) pages * FRAME_SIZE > (1ull << 32)) {
		frame_free(base);
		return ENOMEM;
	}
	mem_object_t *obj = object_alloc(MEM_OBJECT_DMA, pages);
	if (obj == NULL) {
		frame_free(base);
		return ENOMEM;
	}
	obj->phys_base = base;
	*out = obj;
	return EOK;
}

void mem_object_get(mem_object_t *obj)
{
	__atomic_add_fetch(&obj->refcount, 1, __ATOMIC_RELAXED);
}

/** Frees the frames of pages [from, to) and chunks left empty. Lock held. */
/** The first page from @a i on, before @a to, that has a frame (else
 *  @a to): absent chunks skipped whole, empty slots by a block scan (a
 *  1 MiB stack is 256 slots, nearly all empty). */
static size_t next_present(const mem_object_t *obj, size_t i, size_t to)
{
	while (i < to) {
		const paddr_t *chunk = obj->chunks[i / MEM_OBJECT_CHUNK_PAGES];
		size_t in = i % MEM_OBJECT_CHUNK_PAGES;
		size_t n = MIN(MEM_OBJECT_CHUNK_PAGES - in, to - i);
		size_t empty = chunk == NULL ? n : mem_words_equal(chunk + in, 0, n);
		if (empty < n)
			return i + empty;
		i += n;
	}
	return to;
}

static void free_pages(mem_object_t *obj, size_t from, size_t to)
{
	_Static_assert(sizeof(paddr_t) == sizeof(uint64_t), "slots are words");
	for (size_t i = next_present(obj, from, to); i < to;
	     i = next_present(obj, i + 1, to)) {
		paddr_t *slot =
		    &obj->chunks[i / MEM_OBJECT_CHUNK_PAGES][i % MEM_OBJECT_CHUNK_PAGES];
		frame_free(*slot);
		*slot = 0;
		obj->resident--;
	}
	for (size_t c = chunks_for(from); c < obj->chunk_count; c++) {
		if (obj->chunks[c] != NULL) {
			frame_free(virt_to_phys(obj->chunks[c]));
			obj->chunks[c] = NULL;
			obj->chunks_present--;
		}
	}
}

void mem_object_put(mem_object_t *obj)
{
	if (__atomic_sub_fetch(&obj->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (mem_object_paged(obj)) {
		if (obj->pager != NULL)
			pager_post_dirty(obj); /* its written pages go to the pager */
		free_pages(obj, 0, obj->pages);
		kfree(obj->chunks);
		if (obj->committed > 0)
			frame_uncommit(obj->committed);
		if (obj->pager != NULL)
			pager_release(obj->pager);
	} else if (obj->type == MEM_OBJECT_DMA) {
		frame_free(obj->phys_base);
	} else if (obj->gives_frames) {
		frame_add(obj->phys_base, obj->pages);
	}
	kmem_free(&object_cache, obj);
}

errno_t mem_object_lookup(mem_object_t *obj, size_t index, paddr_t *pa)
{
	if (index >= obj->pages)
		return EINVAL;
	if (!mem_object_paged(obj)) {
		*pa = obj->phys_base + (paddr_t) index * FRAME_SIZE;
		return EOK;
	}
	spinlock_lock(&obj->lock);
	paddr_t *chunk = obj->chunks[index / MEM_OBJECT_CHUNK_PAGES];
	paddr_t frame = chunk ? chunk[index % MEM_OBJECT_CHUNK_PAGES] : 0;
	spinlock_unlock(&obj->lock);
	if (frame == 0)
		return ENOENT;
	*pa = frame;
	return EOK;
}

size_t mem_object_next_present(mem_object_t *obj, size_t from, size_t to)
{
	assert(mem_object_paged(obj));
	spinlock_lock(&obj->lock);
	size_t i = next_present(obj, from, MIN(to, obj->pages));
	spinlock_unlock(&obj->lock);
	return i;
}

/** A zeroed frame for @a obj: against its promise if it commits (cannot
 *  fail), else from the unpromised frames (ENOMEM). Lock held. */
static errno_t object_frame(mem_object_t *obj, paddr_t *pa)
{
	if (!obj->commits)
		return frame_alloc_zeroed(0, pa);
	obj->committed--;
	*pa = frame_alloc_committed();
	return EOK;
}

/** The slot of page @a index, allocating its chunk if needed (ENOMEM). Lock held. */
static errno_t page_slot(mem_object_t *obj, size_t index, paddr_t **slot)
{
	paddr_t **chunk = &obj->chunks[index / MEM_OBJECT_CHUNK_PAGES];
	if (*chunk == NULL) {
		paddr_t cpa;
		errno_t rc = object_frame(obj, &cpa);
		if (rc != EOK)
			return rc;
		*chunk = phys_to_virt(cpa);
		obj->chunks_present++;
	}
	*slot = &(*chunk)[index % MEM_OBJECT_CHUNK_PAGES];
	return EOK;
}

errno_t mem_object_install(mem_object_t *obj, size_t index, paddr_t pa)
{
	if (obj->type != MEM_OBJECT_PAGER || index >= obj->pages)
		return EINVAL;
	spinlock_lock(&obj->lock);
	paddr_t *slot;
	errno_t rc = page_slot(obj, index, &slot);
	if (rc == EOK && *slot != 0)
		rc = EEXIST; /* another thread's page-in came first */
	if (rc == EOK) {
		*slot = pa;
		obj->resident++;
	}
	spinlock_unlock(&obj->lock);
	return rc;
}

errno_t mem_object_page(mem_object_t *obj, size_t index, paddr_t *pa)
{
	if (obj->type == MEM_OBJECT_PAGER && index < obj->pages) {
		errno_t rc = mem_object_lookup(obj, index, pa);
		return rc == ENOENT ? EAGAIN : rc;
	}
	if (obj->type != MEM_OBJECT_ANON || index >= obj->pages)
		return mem_object_lookup(obj, index, pa);
	spinlock_lock(&obj->lock);
	paddr_t *slot;
	errno_t rc = page_slot(obj, index, &slot);
	if (rc == EOK && *slot == 0) {
		rc = object_frame(obj, slot);
		if (rc == EOK)
			obj->resident++;
	}
	if (rc == EOK)
		*pa = *slot;
	spinlock_unlock(&obj->lock);
	return rc;
}

/** Adds to the promise of a committing object what growing to @a pages
 *  pages needs; ENOMEM. Lock held. */
static errno_t commit_grow(mem_object_t *obj, size_t pages)
{
	size_t need = frames_needed(pages, obj->resident, obj->chunks_present);
	if (need > obj->committed && frame_commit(need - obj->committed) != EOK)
		return ENOMEM;
	obj->committed = MAX(need, obj->committed);
	return EOK;
}

/** Gives back the promise a committing object no longer needs (after
 *  shrinking). Lock held. */
static void commit_trim(mem_object_t *obj)
{
	size_t need = commit_need(obj);
	if (obj->committed > need) {
		frame_uncommit(obj->committed - need);
		obj->committed = need;
	}
}

errno_t mem_object_resize(mem_object_t *obj, size_t pages)
{
	if (obj->type != MEM_OBJECT_ANON)
		return ENOTSUP;
	size_t need = chunks_for(pages);
	paddr_t **grown = NULL;
	if (need > obj->chunk_count) {
		grown = kzalloc(need * sizeof(paddr_t *));
		if (grown == NULL)
			return ENOMEM;
	}
	spinlock_lock(&obj->lock);
	if (pages > obj->pages && obj->commits && commit_grow(obj, pages) != EOK) {
		spinlock_unlock(&obj->lock);
		kfree(grown);
		return ENOMEM;
	}
	if (pages < obj->pages)
		free_pages(obj, pages, obj->pages);
	if (grown != NULL) {
		memcpy(grown, obj->chunks, obj->chunk_count * sizeof(paddr_t *));
		paddr_t **old = obj->chunks;
		obj->chunks = grown;
		obj->chunk_count = need;
		grown = old;
	}
	obj->pages = pages;
	if (obj->commits)
		commit_trim(obj);
	spinlock_unlock(&obj->lock);
	kfree(grown);
	return EOK;
}
