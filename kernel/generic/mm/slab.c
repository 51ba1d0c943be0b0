/*
 * Slab allocator core. A slab is 2^order naturally aligned pages:
 *   [slab_t header | allocation bitmap | pad | obj 0 | obj 1 | ...]
 * Free objects form a singly linked list through their first word.
 * Invariant: a slab is on exactly one of its cache's lists (partial, full,
 * empty) according to in_use; the bitmap bit of an object is set iff it is
 * allocated. Lock: cache->lock.
 */
#include <mm/slab.h>
#include <common/mem_scan.h>
#include <common/arch/page.h>
#include <string.h>

#define SLAB_MAGIC 0x51ab51ab

typedef struct slab {
	uint32_t magic;
	uint32_t in_use;
	slab_cache_t *cache;
	link_t link;
	void *free_list;
	uint64_t bitmap[];
} slab_t;

static size_t slab_bytes(const slab_cache_t *c)
{
	return (size_t) PAGE_SIZE << c->order;
}

/** Picks the smallest order that holds at least 8 objects (or the largest). */
static void slab_layout(slab_cache_t *c)
{
	for (c->order = 0;; c->order++) {
		size_t bytes = slab_bytes(c);
		size_t n = bytes / c->obj_size;
		if (n > SLAB_MAX_OBJECTS)
			n = SLAB_MAX_OBJECTS;
		for (; n > 0; n--) {
			size_t hdr = sizeof(slab_t) + BITMAP_BYTES(n);
			if (ALIGN_UP(hdr, c->align) + n * c->obj_size <= bytes)
				break;
		}
		c->objs_per_slab = n;
		c->first_obj = ALIGN_UP(sizeof(slab_t) + BITMAP_BYTES(n), c->align);
		if (n >= 8 || c->order == SLAB_MAX_ORDER)
			return;
	}
}

void slab_cache_init(slab_cache_t *c, const char *name, size_t size, size_t align,
    bool poison, const slab_backend_t *backend)
{
	if (align < sizeof(void *))
		align = sizeof(void *);
	c->name = name;
	c->align = align;
	c->obj_size = ALIGN_UP(MAX(size, sizeof(void *)), align);
	c->poison = poison;
	c->backend = backend;
	spinlock_init(&c->lock, name, LOCK_CLASS_SLAB_CACHE);
	list_initialize(&c->partial);
	list_initialize(&c->full);
	list_initialize(&c->empty);
	c->slab_count = 0;
	c->objs_in_use = 0;
	link_initialize(&c->caches_link);
	slab_layout(c);
}

static void *slab_obj(const slab_cache_t *c, slab_t *s, size_t i)
{
	return (uint8_t *) s + c->first_obj + i * c->obj_size;
}

static slab_t *slab_create(slab_cache_t *c)
{
	slab_t *s = c->backend->pages_alloc(c->order);
	if (s == NULL)
		return NULL;
	s->magic = SLAB_MAGIC;
	s->in_use = 0;
	s->cache = c;
	link_initialize(&s->link);
	memset(s->bitmap, 0, BITMAP_BYTES(c->objs_per_slab));
	s->free_list = NULL;
	for (size_t i = c->objs_per_slab; i-- > 0;) {
		void *obj = slab_obj(c, s, i);
		if (c->poison)
			memset(obj, SLAB_POISON, c->obj_size);
		*(void **) obj = s->free_list;
		s->free_list = obj;
	}
	if (c->backend->set_owner != NULL)
		c->backend->set_owner(s, c->order, s);
	c->slab_count++;
	return s;
}

static void slab_destroy(slab_cache_t *c, slab_t *s)
{
	list_remove(&s->link);
	s->magic = 0;
	if (c->backend->set_owner != NULL)
		c->backend->set_owner(s, c->order, NULL);
	c->backend->pages_free(s, c->order);
	c->slab_count--;
}

/** Reports the first byte of free object @a obj (past its free-list link)
 *  that is not poison. Objects are word-aligned and a whole number of words
 *  long, so the scan goes by words and looks at bytes only to name the one. */
static void check_poison(slab_cache_t *c, void *obj)
{
	const uint64_t poison = SLAB_POISON * 0x0101010101010101ull;
	const uint64_t *w = obj;
	size_t words = c->obj_size / sizeof(uint64_t);
	size_t i = 1 + mem_words_equal(w + 1, poison, words - 1);
	if (i < words) {
		const uint8_t *p = (const uint8_t *) &w[i];
		size_t off = i * sizeof(uint64_t);
		while (*p == SLAB_POISON) {
			p++;
			off++;
		}
		if (c->backend->corrupted != NULL)
			c->backend->corrupted(c->name, obj, off);
	}
}

/** A slab with a free object, creating one if needed; NULL on ENOMEM. */
static slab_t *slab_with_space(slab_cache_t *c)
{
	link_t *l = list_first(&c->partial);
	if (l == NULL)
		l = list_first(&c->empty);
	if (l != NULL)
		return list_get_instance(l, slab_t, link);
	return slab_create(c);
}

void *slab_alloc(slab_cache_t *c)
{
	spinlock_lock(&c->lock);
	slab_t *s = slab_with_space(c);
	if (s == NULL) {
		spinlock_unlock(&c->lock);
		return NULL;
	}
	void *obj = s->free_list;
	s->free_list = *(void **) obj;
	size_t idx = ((uint8_t *) obj - (uint8_t *) slab_obj(c, s, 0)) / c->obj_size;
	s->bitmap[idx / 64] |= (uint64_t) 1 << (idx % 64);
	s->in_use++;
	c->objs_in_use++;
	list_remove(&s->link);
	list_append(&s->link, s->in_use == c->objs_per_slab ? &c->full : &c->partial);
	if (c->poison)
		check_poison(c, obj);
	spinlock_unlock(&c->lock);
	return obj;
}

/** Index of @a obj in @a s, or -1 if it is not an object boundary. */
static long slab_index(const slab_cache_t *c, slab_t *s, const void *obj)
{
	uintptr_t first = (uintptr_t) slab_obj(c, s, 0);
	uintptr_t p = (uintptr_t) obj;
	if (p < first || (p - first) % c->obj_size != 0)
		return -1;
	size_t idx = (p - first) / c->obj_size;
	return idx < c->objs_per_slab ? (long) idx : -1;
}

errno_t slab_free(slab_cache_t *c, void *obj)
{
	slab_t *s = (slab_t *) ALIGN_DOWN((uintptr_t) obj, slab_bytes(c));
	if (s->magic != SLAB_MAGIC || s->cache != c)
		return EINVAL;
	spinlock_lock(&c->lock);
	long idx = slab_index(c, s, obj);
	if (idx < 0 || !(s->bitmap[idx / 64] & ((uint64_t) 1 << (idx % 64)))) {
		spinlock_unlock(&c->lock);
		return EINVAL;
	}
	s->bitmap[idx / 64] &= ~((uint64_t) 1 << (idx % 64));
	if (c->poison)
		memset(obj, SLAB_POISON, c->obj_size);
	*(void **) obj = s->free_list;
	s->free_list = obj;
	s->in_use--;
	c->objs_in_use--;
	list_remove(&s->link);
	if (s->in_use > 0) {
		list_append(&s->link, &c->partial);
	} else if (list_empty(&c->empty)) {
		list_append(&s->link, &c->empty);
	} else {
		slab_destroy(c, s);
	}
	spinlock_unlock(&c->lock);
	return EOK;
}

slab_cache_t *slab_cache_of(void *slab_start)
{
	slab_t *s = slab_start;
	return s->magic == SLAB_MAGIC ? s->cache : NULL;
}

void slab_cache_reclaim(slab_cache_t *c)
{
	spinlock_lock(&c->lock);
	while (!list_empty(&c->empty))
		slab_destroy(c, list_get_instance(list_first(&c->empty), slab_t, link));
	spinlock_unlock(&c->lock);
}

errno_t slab_cache_destroy(slab_cache_t *c)
{
	if (c->objs_in_use != 0)
		return EBUSY;
	slab_cache_reclaim(c);
	return EOK;
}
