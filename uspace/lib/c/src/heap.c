/*
 * The heap behind malloc() (see private/heap.h): boundary-tag blocks in
 * regions, with segregated free lists.
 *
 * A region is one area: a region_t, then blocks tiled back to back, then an
 * end marker (a block_t with magic BLOCK_END). Every block starts with a
 * 16-byte block_t. A free block also holds its free-list link after the
 * header and its size in its last word (the footer), and the block after it
 * has BLOCK_PREV_FREE set, so a freed block merges with both neighbours in
 * constant time; two free blocks are never adjacent.
 *
 * Free blocks of up to SMALL_MAX bytes sit in exact-size bins (bin_mask says
 * which are non-empty, so the smallest fitting bin is one bit scan away);
 * larger ones sit on one list searched first-fit. When nothing fits, the
 * newest region grows in place or a new region is added. A region that
 * becomes entirely free is given back unless it is the only one; a region
 * whose last free block reaches HEAP_TRIM_MIN bytes shrinks, keeping
 * HEAP_REGION_MIN of it, so memory freed at a heap's end goes back to the
 * system (a file system's emptied files, a server's dropped records). Requests of
 * HEAP_BIG_MIN bytes or more get an area of their own (a big_t), returned on
 * free.
 *
 * In front of all this, a freed block of up to HEAP_QUICK_MAX bytes goes to a
 * quick list of its size (marked BLOCK_QUICK, still a used block to its
 * neighbours) and the next request of that size takes it back: the common
 * malloc/free of small objects then neither splits nor merges. The lists are
 * short (HEAP_QUICK_DEPTH), and emptied into the free lists when memory runs
 * out and before heap_check().
 *
 * heap_free() and heap_realloc() first find the pointer in a region or among
 * the big blocks and check the header's magic and neighbours, so an invalid
 * pointer, a double free or an overrun header is reported through ops->fail
 * without touching memory the heap does not own. A freed header always reads
 * BLOCK_FREE, even after merging into a neighbour.
 */
#include "private/heap.h"
#include <stdbool.h>
#include <string.h>

/* Header magic numbers: values unlikely to be found in user data. */
#define BLOCK_USED  0x55534544u
#define BLOCK_FREE  0x46524545u
#define BLOCK_END   0x454e4421u
#define BLOCK_BIG   0x42494721u
#define BLOCK_QUICK 0x51554b21u /* freed, waiting on a quick list */

#define BLOCK_PREV_FREE 0x1u /* the block before this one is free */

typedef struct {
	uint32_t magic;
	uint32_t flags;
	size_t size; /* the whole block, header included; a multiple of 16 */
} block_t;

typedef struct {
	block_t hdr;
	link_t link; /* in a bin or heap->large */
		     /* ... and the footer, a size_t, in the block's last 8 bytes */
} free_block_t;

typedef struct {
	link_t link; /* heap->regions */
	size_t size; /* the whole area */
	size_t reserved;
} region_t;

typedef struct {
	link_t link; /* heap->bigs */
	block_t hdr; /* magic BLOCK_BIG; size: the whole area */
} big_t;

#define MIN_BLOCK 48 /* a free_block_t and a footer, rounded up */
#define SMALL_MAX (MIN_BLOCK + HEAP_ALIGN * (HEAP_SMALL_BINS - 1))

_Static_assert(sizeof(block_t) == HEAP_ALIGN, "payloads must stay aligned");
_Static_assert(sizeof(free_block_t) + sizeof(size_t) <= MIN_BLOCK, "MIN_BLOCK");
_Static_assert(sizeof(region_t) % HEAP_ALIGN == 0, "region header size");
_Static_assert(sizeof(big_t) % HEAP_ALIGN == 0, "big header size");
_Static_assert(HEAP_SMALL_BINS <= 64, "bin_mask has 64 bits");

static size_t align_up(size_t n, size_t a)
{
	return (n + a - 1) & ~(a - 1);
}

static block_t *block_next(block_t *b)
{
	return (block_t *) ((char *) b + b->size);
}

static size_t *block_footer(block_t *b)
{
	return (size_t *) block_next(b) - 1;
}

static block_t *region_first(region_t *r)
{
	return (block_t *) (r + 1);
}

static block_t *region_end(region_t *r)
{
	return (block_t *) ((char *) r + r->size) - 1;
}

static size_t bin_index(size_t size)
{
	return (size - MIN_BLOCK) / HEAP_ALIGN;
}

/** The block size that holds @a size (< HEAP_BIG_MIN) bytes of payload. */
static size_t block_size_for(size_t size)
{
	size_t n = align_up(size + sizeof(block_t), HEAP_ALIGN);
	return n < MIN_BLOCK ? MIN_BLOCK : n;
}

static void free_list_insert(heap_t *h, block_t *b)
{
	free_block_t *fb = (free_block_t *) b;
	if (b->size <= SMALL_MAX) {
		size_t i = bin_index(b->size);
		list_prepend(&fb->link, &h->bins[i]);
		h->bin_mask |= (uint64_t) 1 << i;
	} else {
		list_prepend(&fb->link, &h->large);
	}
}

/** Takes free block @a b off its list; call before its size changes. */
static void free_list_remove(heap_t *h, block_t *b)
{
	list_remove(&((free_block_t *) b)->link);
	if (b->size <= SMALL_MAX && list_empty(&h->bins[bin_index(b->size)]))
		h->bin_mask &= ~((uint64_t) 1 << bin_index(b->size));
}

static void block_mark_used(block_t *b)
{
	b->magic = BLOCK_USED;
	block_next(b)->flags &= ~BLOCK_PREV_FREE;
}

/** Frees block @a b (its size and BLOCK_PREV_FREE flag set), merging it with
 *  free neighbours; returns the resulting free block. */
static block_t *block_release(heap_t *h, block_t *b)
{
	b->magic = BLOCK_FREE;
	block_t *next = block_next(b);
	if (next->magic == BLOCK_FREE) {
		free_list_remove(h, next);
		b->size += next->size;
	}
	if (b->flags & BLOCK_PREV_FREE) {
		block_t *prev = (block_t *) ((char *) b - ((size_t *) b)[-1]);
		free_list_remove(h, prev);
		prev->size += b->size;
		b = prev;
	}
	*block_footer(b) = b->size;
	block_next(b)->flags |= BLOCK_PREV_FREE;
	free_list_insert(h, b);
	return b;
}

/** Shrinks used block @a b to @a need bytes if the rest makes a block. */
static void block_split(heap_t *h, block_t *b, size_t need)
{
	if (b->size - need < MIN_BLOCK)
		return;
	block_t *rest = (block_t *) ((char *) b + need);
	rest->size = b->size - need;
	rest->flags = 0; /* b, before it, is in use */
	b->size = need;
	block_release(h, rest);
}

static block_t *block_find_fit(heap_t *h, size_t need)
{
	if (need <= SMALL_MAX) {
		uint64_t mask = h->bin_mask & (~(uint64_t) 0 << bin_index(need));
		if (mask != 0) {
			link_t *l = list_first(&h->bins[__builtin_ctzll(mask)]);
			return &list_get_instance(l, free_block_t, link)->hdr;
		}
	}
	list_foreach (h->large, link, free_block_t, fb) {
		if (fb->hdr.size >= need)
			return &fb->hdr;
	}
	return NULL;
}

/** Starts region @a r of @a size bytes: one free block and the end marker. */
static void region_add(heap_t *h, region_t *r, size_t size)
{
	r->size = size;
	list_append(&r->link, &h->regions);
	block_t *end = region_end(r);
	*end = (block_t){.magic = BLOCK_END, .flags = 0, .size = 0};
	block_t *first = region_first(r);
	first->size = (size_t) ((char *) end - (char *) first);
	first->flags = 0;
	block_release(h, first);
}

/** Region @a r's area has grown by @a more bytes: the old end marker becomes
 *  a free block of that size. */
static void region_extend(heap_t *h, region_t *r, size_t more)
{
	block_t *old_end = region_end(r);
	r->size += more;
	block_t *end = region_end(r);
	*end = (block_t){.magic = BLOCK_END, .flags = 0, .size = 0};
	old_end->size = more; /* its BLOCK_PREV_FREE flag stays valid */
	block_release(h, old_end);
}

/** Adds room for a block of @a need bytes: the newest region grows in place
 *  or, if it cannot, a new region starts. */
static errno_t heap_grow(heap_t *h, size_t need)
{
	const heap_ops_t *ops = h->ops;
	link_t *last = list_last(&h->regions);
	if (last != NULL) {
		region_t *r = list_get_instance(last, region_t, link);
		size_t more = align_up(
		    need > HEAP_REGION_MIN ? need : HEAP_REGION_MIN, HEAP_PAGE);
		if (ops->area_resize(ops->ctx, r, r->size + more) == EOK) {
			region_extend(h, r, more);
			return EOK;
		}
	}
	size_t size = align_up(need + sizeof(region_t) + sizeof(block_t), HEAP_PAGE);
	if (size < HEAP_REGION_MIN)
		size = HEAP_REGION_MIN;
	region_t *r = ops->area_create(ops->ctx, size);
	if (r == NULL)
		return ENOMEM;
	region_add(h, r, size);
	return EOK;
}

/** Gives region @a r back when free block @a b spans all of it, unless it is
 *  the heap's only region; whether it did. */
static bool region_release_if_empty(heap_t *h, region_t *r, block_t *b)
{
	if (b != region_first(r) || block_next(b) != region_end(r))
		return false;
	if (list_first(&h->regions) == list_last(&h->regions))
		return false;
	free_list_remove(h, b);
	list_remove(&r->link);
	if (h->last_region == r)
		h->last_region = NULL;
	h->ops->area_destroy(h->ops->ctx, r);
	return true;
}

/** Shrinks region @a r whose last block is free block @a b, when that is
 *  at least HEAP_TRIM_MIN bytes, to keep HEAP_REGION_MIN of it (the area
 *  stays as it was if it cannot shrink). */
static void region_trim_tail(heap_t *h, region_t *r, block_t *b)
{
	if (block_next(b) != region_end(r) || b->size < HEAP_TRIM_MIN)
		return;
	size_t offset = (size_t) ((char *) b - (char *) r);
	size_t size = align_up(offset + HEAP_REGION_MIN + sizeof(block_t), HEAP_PAGE);
	if (size >= r->size || h->ops->area_resize(h->ops->ctx, r, size) != EOK)
		return;
	free_list_remove(h, b);
	r->size = size;
	block_t *end = region_end(r);
	*end = (block_t){.magic = BLOCK_END, .flags = BLOCK_PREV_FREE, .size = 0};
	b->size = (size_t) ((char *) end - (char *) b);
	*block_footer(b) = b->size;
	free_list_insert(h, b);
}

static void *big_alloc(heap_t *h, size_t size)
{
	if (size > SIZE_MAX - sizeof(big_t) - HEAP_PAGE)
		return NULL;
	size_t area = align_up(size + sizeof(big_t), HEAP_PAGE);
	big_t *big = h->ops->area_create(h->ops->ctx, area);
	if (big == NULL)
		return NULL;
	big->hdr = (block_t){.magic = BLOCK_BIG, .flags = 0, .size = area};
	list_append(&big->link, &h->bigs);
	return big + 1;
}

static void big_free(heap_t *h, big_t *big)
{
	list_remove(&big->link);
	h->ops->area_destroy(h->ops->ctx, big);
}

/** The header of the block whose payload is @a ptr and its region (NULL for
 *  a big block); reports a pointer that is in no region and no big block. */
static block_t *block_lookup(heap_t *h, void *ptr, region_t **region)
{
	uintptr_t hdr = (uintptr_t) ptr - sizeof(block_t);
	if ((uintptr_t) ptr % HEAP_ALIGN == 0) {
		list_foreach (h->regions, link, region_t, r) {
			if (hdr >= (uintptr_t) region_first(r) &&
			    hdr < (uintptr_t) region_end(r)) {
				h->last_region = r;
				*region = r;
				return (block_t *) hdr;
			}
		}
		list_foreach (h->bigs, link, big_t, big) {
			if (ptr == big + 1) {
				*region = NULL;
				return &big->hdr;
			}
		}
	}
	h->ops->fail(h->ops->ctx, "free of a pointer malloc did not return", ptr);
}

/** Whether the header after used block @a b is one a used block may have
 *  after it (an overrun of @a b would have destroyed it). */
static inline bool next_header_sound(block_t *b)
{
	block_t *next = block_next(b);
	uint32_t m = next->magic;
	return (m == BLOCK_USED || m == BLOCK_FREE || m == BLOCK_QUICK ||
		   m == BLOCK_END) &&
	    !(next->flags & BLOCK_PREV_FREE);
}

/** What is wrong with @a b as an allocated block of region @a r, or NULL. */
static const char *block_used_problem(region_t *r, block_t *b)
{
	if (b->magic == BLOCK_FREE || b->magic == BLOCK_QUICK)
		return "double free";
	if (b->magic != BLOCK_USED)
		return "free of a pointer malloc did not return";
	uintptr_t room = (uintptr_t) region_end(r) - (uintptr_t) b;
	if (b->size < MIN_BLOCK || b->size % HEAP_ALIGN != 0 || b->size > room)
		return "heap corruption (block header overwritten)";
	if (!next_header_sound(b))
		return "heap corruption (write past the end of a block)";
	if (b->flags & BLOCK_PREV_FREE) {
		size_t prev_size = ((size_t *) b)[-1];
		block_t *prev = (block_t *) ((char *) b - prev_size);
		if (prev_size < MIN_BLOCK || prev_size % HEAP_ALIGN != 0 ||
		    prev_size > (uintptr_t) b - (uintptr_t) region_first(r) ||
		    prev->magic != BLOCK_FREE || prev->size != prev_size)
			return "heap corruption (free block overwritten)";
	}
	return NULL;
}

/** The allocated block of @a ptr (NULL region: a big block); reports misuse. */
static block_t *block_of(heap_t *h, void *ptr, region_t **region)
{
	block_t *b = block_lookup(h, ptr, region);
	const char *problem = *region != NULL ? block_used_problem(*region, b) : NULL;
	if (problem != NULL)
		h->ops->fail(h->ops->ctx, problem, ptr);
	return b;
}

void heap_init(heap_t *heap, const heap_ops_t *ops)
{
	heap->ops = ops;
	for (size_t i = 0; i < HEAP_SMALL_BINS; i++)
		list_initialize(&heap->bins[i]);
	for (size_t i = 0; i < HEAP_QUICK_LISTS; i++) {
		heap->quick[i] = NULL;
		heap->quick_count[i] = 0;
	}
	heap->bin_mask = 0;
	heap->last_region = NULL;
	list_initialize(&heap->large);
	list_initialize(&heap->regions);
	list_initialize(&heap->bigs);
}

static size_t quick_index(size_t block_size)
{
	return (block_size - MIN_BLOCK) / HEAP_ALIGN;
}

/** A block of exactly @a need bytes from its quick list, or NULL. */
static void *quick_take(heap_t *h, size_t need)
{
	if (need > HEAP_QUICK_MAX)
		return NULL;
	size_t i = quick_index(need);
	void *ptr = h->quick[i];
	if (ptr != NULL) {
		h->quick[i] = *(void **) ptr;
		h->quick_count[i]--;
		((block_t *) ptr - 1)->magic = BLOCK_USED;
	}
	return ptr;
}

/** Keeps used block @a b (payload @a ptr) on its quick list if there is room. */
static bool quick_put(heap_t *h, block_t *b, void *ptr)
{
	if (b->size > HEAP_QUICK_MAX)
		return false;
	size_t i = quick_index(b->size);
	if (h->quick_count[i] >= HEAP_QUICK_DEPTH)
		return false;
	b->magic = BLOCK_QUICK;
	*(void **) ptr = h->quick[i];
	h->quick[i] = ptr;
	h->quick_count[i]++;
	return true;
}

/** Frees every block of the quick lists for good (merging as usual). */
static void quick_flush(heap_t *h)
{
	for (size_t i = 0; i < HEAP_QUICK_LISTS; i++) {
		while (h->quick[i] != NULL) {
			void *ptr = h->quick[i];
			h->quick[i] = *(void **) ptr;
			block_t *b = (block_t *) ptr - 1;
			region_t *r = NULL;
			block_lookup(h, ptr, &r);
			b = block_release(h, b);
			region_release_if_empty(h, r, b);
		}
		h->quick_count[i] = 0;
	}
}

static __attribute__((noinline)) void *heap_alloc_slow(heap_t *heap, size_t size)
{
	if (size >= HEAP_BIG_MIN)
		return big_alloc(heap, size);
	size_t need = block_size_for(size);
	block_t *b = block_find_fit(heap, need);
	if (b == NULL) {
		quick_flush(heap); /* what waits there may merge into a fit */
		b = block_find_fit(heap, need);
	}
	if (b == NULL && heap_grow(heap, need) == EOK)
		b = block_find_fit(heap, need);
	if (b == NULL)
		return NULL;
	free_list_remove(heap, b);
	block_mark_used(b);
	block_split(heap, b, need);
	return b + 1;
}

void *heap_alloc(heap_t *heap, size_t size)
{
	if (size <= HEAP_QUICK_MAX - sizeof(block_t)) {
		void *quick = quick_take(heap, block_size_for(size));
		if (quick != NULL)
			return quick;
	}
	return heap_alloc_slow(heap, size);
}

/**
 * Puts @a ptr on its quick list if it passes the checks block_of() would make
 * in the common case: a used block of quick size in the region of the last
 * lookup, its neighbours' headers intact, the block before it not free (that
 * case needs the footer check). Anything else: false, and the full path
 * decides (and reports).
 */
static inline bool quick_free(heap_t *h, void *ptr)
{
	region_t *r = h->last_region;
	block_t *b = (block_t *) ptr - 1;
	if (r == NULL || (uintptr_t) ptr % HEAP_ALIGN != 0 || b < region_first(r) ||
	    b >= region_end(r))
		return false;
	size_t size = b->size;
	if (b->magic != BLOCK_USED || (b->flags & BLOCK_PREV_FREE) || size < MIN_BLOCK ||
	    size > HEAP_QUICK_MAX || size % HEAP_ALIGN != 0 ||
	    block_next(b) > region_end(r) || !next_header_sound(b))
		return false;
	return quick_put(h, b, ptr);
}

static __attribute__((noinline)) void heap_free_slow(heap_t *heap, void *ptr)
{
	region_t *r;
	block_t *b = block_of(heap, ptr, &r);
	if (r == NULL) {
		big_free(heap, list_get_instance(b, big_t, hdr));
		return;
	}
	if (quick_put(heap, b, ptr))
		return;
	b = block_release(heap, b);
	if (!region_release_if_empty(heap, r, b))
		region_trim_tail(heap, r, b);
}

void heap_free(heap_t *heap, void *ptr)
{
	if (ptr != NULL && !quick_free(heap, ptr))
		heap_free_slow(heap, ptr);
}

/** Copies @a ptr's @a old payload bytes to a new allocation and frees it. */
static void *block_move(heap_t *h, void *ptr, size_t old, size_t size)
{
	void *moved = heap_alloc(h, size);
	if (moved == NULL)
		return NULL;
	memcpy(moved, ptr, old < size ? old : size);
	heap_free(h, ptr);
	return moved;
}

/** Resizes used block @a b to @a need bytes in place if possible. */
static bool block_resize(heap_t *h, block_t *b, size_t need)
{
	if (need > b->size) {
		block_t *next = block_next(b);
		if (next->magic != BLOCK_FREE || b->size + next->size < need)
			return false;
		free_list_remove(h, next);
		b->size += next->size;
		block_mark_used(b);
	}
	block_split(h, b, need);
	return true;
}

static void *big_realloc(heap_t *h, big_t *big, size_t size)
{
	void *ptr = big + 1;
	if (size >= HEAP_BIG_MIN && size <= SIZE_MAX - sizeof(big_t) - HEAP_PAGE) {
		size_t area = align_up(size + sizeof(big_t), HEAP_PAGE);
		if (area == big->hdr.size)
			return ptr;
		if (h->ops->area_resize(h->ops->ctx, big, area) == EOK) {
			big->hdr.size = area;
			return ptr;
		}
	}
	return block_move(h, ptr, big->hdr.size - sizeof(big_t), size);
}

void *heap_realloc(heap_t *heap, void *ptr, size_t size)
{
	if (ptr == NULL)
		return heap_alloc(heap, size);
	region_t *r;
	block_t *b = block_of(heap, ptr, &r);
	if (r == NULL)
		return big_realloc(heap, list_get_instance(b, big_t, hdr), size);
	if (size < HEAP_BIG_MIN && block_resize(heap, b, block_size_for(size)))
		return ptr;
	return block_move(heap, ptr, b->size - sizeof(block_t), size);
}

static const char *region_check(region_t *r, heap_stats_t *st)
{
	block_t *end = region_end(r);
	bool prev_free = false;
	for (block_t *b = region_first(r); b != end; b = block_next(b)) {
		if (b->magic != BLOCK_USED && b->magic != BLOCK_FREE)
			return "bad block magic";
		if (b->size < MIN_BLOCK || b->size % HEAP_ALIGN != 0 ||
		    b->size > (uintptr_t) end - (uintptr_t) b)
			return "bad block size";
		if (!(b->flags & BLOCK_PREV_FREE) != !prev_free)
			return "BLOCK_PREV_FREE does not match the previous block";
		bool is_free = b->magic == BLOCK_FREE;
		if (is_free && prev_free)
			return "two adjacent free blocks";
		if (is_free && *block_footer(b) != b->size)
			return "bad footer";
		st->used_blocks += !is_free;
		st->free_blocks += is_free;
		st->free_bytes += is_free ? b->size : 0;
		prev_free = is_free;
	}
	if (end->magic != BLOCK_END || end->size != 0)
		return "bad region end marker";
	if (!(end->flags & BLOCK_PREV_FREE) != !prev_free)
		return "BLOCK_PREV_FREE does not match at the region end";
	return NULL;
}

static const char *free_lists_check(heap_t *h, size_t free_blocks)
{
	size_t listed = 0;
	for (size_t i = 0; i < HEAP_SMALL_BINS; i++) {
		if (list_empty(&h->bins[i]) != !((h->bin_mask >> i) & 1))
			return "bin_mask does not match the bins";
		list_foreach (h->bins[i], link, free_block_t, fb) {
			if (fb->hdr.magic != BLOCK_FREE ||
			    fb->hdr.size != MIN_BLOCK + HEAP_ALIGN * i)
				return "a bin holds a block of the wrong size";
			listed++;
		}
	}
	list_foreach (h->large, link, free_block_t, fb) {
		if (fb->hdr.magic != BLOCK_FREE || fb->hdr.size <= SMALL_MAX)
			return "the large list holds a small or used block";
		listed++;
	}
	return listed == free_blocks ? NULL : "free lists and regions disagree";
}

const char *heap_check(heap_t *heap, heap_stats_t *stats)
{
	quick_flush(heap);
	heap_stats_t st = {0};
	const char *problem = NULL;
	list_foreach (heap->regions, link, region_t, r) {
		st.regions++;
		st.region_bytes += r->size;
		problem = region_check(r, &st);
		if (problem != NULL)
			break;
	}
	if (problem == NULL)
		problem = free_lists_check(heap, st.free_blocks);
	list_foreach (heap->bigs, link, big_t, big) {
		if (big->hdr.magic != BLOCK_BIG || big->hdr.size % HEAP_PAGE != 0)
			problem = "bad big block header";
		st.bigs++;
		st.big_bytes += big->hdr.size;
	}
	if (stats != NULL)
		*stats = st;
	return problem;
}
