/*
 * Buddy allocator. Invariant: a free block of order k is on free_lists[k], its
 * head frame has FRAME_FREE and order k, and its buddy (pfn ^ 2^k) is not a
 * free block of order k (else they would have been merged).
 */
#include <mm/buddy.h>

frame_t *buddy_frame(buddy_t *b, pfn_t pfn)
{
	if (pfn < b->base || pfn >= b->base + b->count)
		return NULL;
	return &b->frames[pfn - b->base];
}

void buddy_init(buddy_t *b, frame_t *frames, pfn_t base, size_t count)
{
	b->frames = frames;
	b->base = base;
	b->count = count;
	b->free_frames = 0;
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		list_initialize(&b->free_lists[k]);
	for (size_t i = 0; i < count; i++) {
		link_initialize(&frames[i].link);
		frames[i].owner = NULL;
		frames[i].order = 0;
		frames[i].flags = 0;
		frames[i].reserved = 0;
		frames[i].refcount = 0;
	}
}

static void push_free(buddy_t *b, pfn_t pfn, unsigned order)
{
	frame_t *f = buddy_frame(b, pfn);
	f->flags = FRAME_FREE;
	f->order = (uint8_t) order;
	f->owner = NULL;
	list_prepend(&f->link, &b->free_lists[order]);
	b->free_frames += (size_t) 1 << order;
}

static void pop_free(buddy_t *b, frame_t *f)
{
	list_remove(&f->link);
	f->flags = 0;
	b->free_frames -= (size_t) 1 << f->order;
}

/** Frees one block, merging with free buddies as far as possible. */
static void free_block(buddy_t *b, pfn_t pfn, unsigned order)
{
	while (order < BUDDY_MAX_ORDER) {
		frame_t *buddy = buddy_frame(b, pfn ^ ((pfn_t) 1 << order));
		if (buddy == NULL || buddy->flags != FRAME_FREE || buddy->order != order)
			break;
		pop_free(b, buddy);
		pfn &= ~((pfn_t) 1 << order);
		order++;
	}
	push_free(b, pfn, order);
}

void buddy_add_range(buddy_t *b, pfn_t pfn, size_t count)
{
	pfn_t end = pfn + count;
	while (pfn < end) {
		/* Largest naturally aligned block that starts here and fits. */
		unsigned order = 0;
		while (order < BUDDY_MAX_ORDER &&
		    (pfn & (((pfn_t) 2 << order) - 1)) == 0 &&
		    pfn + ((pfn_t) 2 << order) <= end)
			order++;
		free_block(b, pfn, order);
		pfn += (pfn_t) 1 << order;
	}
}

errno_t buddy_alloc(buddy_t *b, unsigned order, pfn_t *out)
{
	if (order > BUDDY_MAX_ORDER)
		return ENOMEM;
	unsigned k = order;
	while (k <= BUDDY_MAX_ORDER && list_empty(&b->free_lists[k]))
		k++;
	if (k > BUDDY_MAX_ORDER)
		return ENOMEM;

	frame_t *f = list_get_instance(list_first(&b->free_lists[k]), frame_t, link);
	pop_free(b, f);
	pfn_t pfn = b->base + (pfn_t) (f - b->frames);
	/* Split: return upper halves to the free lists. */
	while (k > order) {
		k--;
		push_free(b, pfn + ((pfn_t) 1 << k), k);
	}
	f->flags = FRAME_ALLOCATED;
	f->order = (uint8_t) order;
	f->refcount = 1;
	*out = pfn;
	return EOK;
}

errno_t buddy_free(buddy_t *b, pfn_t pfn)
{
	frame_t *f = buddy_frame(b, pfn);
	if (f == NULL || f->flags != FRAME_ALLOCATED)
		return EINVAL;
	unsigned order = f->order;
	f->flags = 0;
	f->refcount = 0;
	f->owner = NULL;
	free_block(b, pfn, order);
	return EOK;
}
