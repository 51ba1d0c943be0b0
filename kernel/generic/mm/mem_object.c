/*
 * Memory objects (see mm/mem_object.h). Anonymous pages are tracked in a
 * two-level table: a kmalloc'd array of chunk pointers, each chunk one frame
 * of 512 physical addresses, allocated when a page in its range is first used.
 */
#include <mm/mem_object.h>
#include <arch/mm.h>
#include <mm/frame.h>
#include <mm/kmalloc.h>
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
	spinlock_init(&obj->lock, "mem_object");
	return obj;
}

static size_t chunks_for(size_t pages)
{
	return (pages + MEM_OBJECT_CHUNK_PAGES - 1) / MEM_OBJECT_CHUNK_PAGES;
}

errno_t mem_object_create_anon(size_t pages, mem_object_t **out)
{
	mem_object_t *obj = object_alloc(MEM_OBJECT_ANON, pages);
	if (obj == NULL)
		return ENOMEM;
	obj->chunk_count = chunks_for(pages);
	obj->chunks = kzalloc(MAX(obj->chunk_count, 1) * sizeof(paddr_t *));
	if (obj->chunks == NULL) {
		kmem_free(&object_cache, obj);
		return ENOMEM;
	}
	*out = obj;
	return EOK;
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

void mem_object_get(mem_object_t *obj)
{
	__atomic_add_fetch(&obj->refcount, 1, __ATOMIC_RELAXED);
}

/** Frees the frames of pages [from, to) and chunks left empty. Lock held. */
static void free_pages(mem_object_t *obj, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++) {
		paddr_t *chunk = obj->chunks[i / MEM_OBJECT_CHUNK_PAGES];
		if (chunk == NULL) {
			i |= MEM_OBJECT_CHUNK_PAGES - 1; /* skip the absent chunk */
			continue;
		}
		paddr_t *slot = &chunk[i % MEM_OBJECT_CHUNK_PAGES];
		if (*slot != 0) {
			frame_free(*slot);
			*slot = 0;
			obj->resident--;
		}
	}
	for (size_t c = chunks_for(from); c < obj->chunk_count; c++) {
		if (obj->chunks[c] != NULL) {
			frame_free(virt_to_phys(obj->chunks[c]));
			obj->chunks[c] = NULL;
		}
	}
}

void mem_object_put(mem_object_t *obj)
{
	if (__atomic_sub_fetch(&obj->refcount, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (obj->type == MEM_OBJECT_ANON) {
		free_pages(obj, 0, obj->pages);
		kfree(obj->chunks);
	}
	kmem_free(&object_cache, obj);
}

errno_t mem_object_lookup(mem_object_t *obj, size_t index, paddr_t *pa)
{
	if (index >= obj->pages)
		return EINVAL;
	if (obj->type == MEM_OBJECT_PHYS) {
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

errno_t mem_object_page(mem_object_t *obj, size_t index, paddr_t *pa)
{
	if (obj->type == MEM_OBJECT_PHYS || index >= obj->pages)
		return mem_object_lookup(obj, index, pa);
	spinlock_lock(&obj->lock);
	paddr_t **chunk = &obj->chunks[index / MEM_OBJECT_CHUNK_PAGES];
	errno_t rc = EOK;
	if (*chunk == NULL) {
		paddr_t cpa;
		rc = frame_alloc_zeroed(0, &cpa);
		if (rc == EOK)
			*chunk = phys_to_virt(cpa);
	}
	if (rc == EOK) {
		paddr_t *slot = &(*chunk)[index % MEM_OBJECT_CHUNK_PAGES];
		if (*slot == 0) {
			rc = frame_alloc_zeroed(0, slot);
			if (rc == EOK)
				obj->resident++;
		}
		*pa = *slot;
	}
	spinlock_unlock(&obj->lock);
	return rc;
}

errno_t mem_object_resize(mem_object_t *obj, size_t pages)
{
	if (obj->type == MEM_OBJECT_PHYS)
		return ENOTSUP;
	size_t need = chunks_for(pages);
	paddr_t **grown = NULL;
	if (need > obj->chunk_count) {
		grown = kzalloc(need * sizeof(paddr_t *));
		if (grown == NULL)
			return ENOMEM;
	}
	spinlock_lock(&obj->lock);
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
	spinlock_unlock(&obj->lock);
	kfree(grown);
	return EOK;
}
