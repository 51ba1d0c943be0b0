/*
 * The block cache (bcache.h). Entries live in one array; a hash of block
 * numbers (chained by index) finds them, a use stamp picks the victim.
 * Every entry holds a valid copy of its block; `dirty` ones differ from the
 * device. The owner serialises all calls.
 */
#include "bcache.h"
#include <stdlib.h>
#include <string.h>

#define NO_ENTRY SIZE_MAX
#define RUN_MAX	 32 /* blocks read ahead on a miss, and written in one request */

typedef struct {
	uint64_t ba;
	uint64_t used; /* use stamp: larger is more recent */
	size_t next;   /* hash chain */
	bool valid;
	bool dirty;
	uint8_t *data;
} bentry_t;

struct bcache {
	const bcache_dev_t *ops;
	void *dev;
	size_t bsize;
	uint64_t count;
	size_t n;
	size_t nbuckets;
	size_t *buckets;
	bentry_t *entries;
	uint8_t *data;
	uint8_t *run; /* RUN_MAX blocks: read-ahead and write-back runs */
	uint64_t stamp;
	uint64_t reads, writes;
};

bcache_t *bcache_create(
    const bcache_dev_t *ops, void *dev, size_t block_size, uint64_t count, size_t nblocks)
{
	bcache_t *bc = calloc(1, sizeof(*bc));
	if (bc == NULL || nblocks == 0)
		goto fail;
	*bc = (bcache_t){.ops = ops,
	    .dev = dev,
	    .bsize = block_size,
	    .count = count,
	    .n = nblocks,
	    .nbuckets = nblocks};
	bc->buckets = malloc(nblocks * sizeof(size_t));
	bc->entries = calloc(nblocks, sizeof(bentry_t));
	bc->data = malloc(nblocks * block_size);
	bc->run = malloc(RUN_MAX * block_size);
	if (bc->buckets == NULL || bc->entries == NULL || bc->data == NULL ||
	    bc->run == NULL)
		goto fail;
	for (size_t i = 0; i < nblocks; i++) {
		bc->buckets[i] = NO_ENTRY;
		bc->entries[i].data = bc->data + i * block_size;
		bc->entries[i].next = NO_ENTRY;
	}
	return bc;
fail:
	bcache_destroy(bc);
	return NULL;
}

void bcache_destroy(bcache_t *bc)
{
	if (bc == NULL)
		return;
	free(bc->buckets);
	free(bc->entries);
	free(bc->data);
	free(bc->run);
	free(bc);
}

static size_t bucket_of(const bcache_t *bc, uint64_t ba)
{
	return (size_t) (ba % bc->nbuckets);
}

static bentry_t *lookup(bcache_t *bc, uint64_t ba)
{
	for (size_t i = bc->buckets[bucket_of(bc, ba)]; i != NO_ENTRY;
	     i = bc->entries[i].next) {
		if (bc->entries[i].ba == ba)
			return &bc->entries[i];
	}
	return NULL;
}

static void unhash(bcache_t *bc, bentry_t *e)
{
	size_t idx = (size_t) (e - bc->entries);
	size_t *p = &bc->buckets[bucket_of(bc, e->ba)];
	while (*p != idx)
		p = &bc->entries[*p].next;
	*p = e->next;
	e->valid = false;
}

static errno_t write_back(bcache_t *bc, bentry_t *e)
{
	if (!e->dirty)
		return EOK;
	errno_t rc = bc->ops->write(bc->dev, e->ba, 1, e->data);
	if (rc == EOK) {
		e->dirty = false;
		bc->writes++;
	}
	return rc;
}

/** A free entry, or the least recently used one written back. */
static errno_t victim(bcache_t *bc, bentry_t **out)
{
	bentry_t *best = NULL;
	for (size_t i = 0; i < bc->n; i++) {
		bentry_t *e = &bc->entries[i];
		if (!e->valid) {
			*out = e;
			return EOK;
		}
		if (best == NULL || e->used < best->used)
			best = e;
	}
	errno_t rc = write_back(bc, best);
	if (rc != EOK)
		return rc;
	unhash(bc, best);
	*out = best;
	return EOK;
}

/** Makes @a e (taken by victim()) the clean entry of block @a ba. */
static void insert(bcache_t *bc, bentry_t *e, uint64_t ba)
{
	e->ba = ba;
	e->valid = true;
	e->dirty = false;
	e->used = ++bc->stamp;
	size_t b = bucket_of(bc, ba);
	e->next = bc->buckets[b];
	bc->buckets[b] = (size_t) (e - bc->entries);
}

/** Reads block @a ba and up to RUN_MAX - 1 blocks after it in one request
 *  (fewer when the device ends or a read-ahead fails); the blocks after it
 *  that are not cached yet are cached too. */
static errno_t read_run(bcache_t *bc, uint64_t ba, bentry_t *e)
{
	size_t n = bc->count - ba < RUN_MAX ? (size_t) (bc->count - ba) : RUN_MAX;
	if (n > bc->n / 2)
		n = bc->n / 2 > 0 ? bc->n / 2 : 1;
	bc->reads++;
	if (n > 1 && bc->ops->read(bc->dev, ba, n, bc->run) == EOK) {
		memcpy(e->data, bc->run, bc->bsize);
		insert(bc, e, ba);
		for (size_t i = 1; i < n; i++) {
			bentry_t *r;
			if (lookup(bc, ba + i) != NULL || victim(bc, &r) != EOK)
				continue; /* cached (maybe dirty), or no room now */
			memcpy(r->data, bc->run + i * bc->bsize, bc->bsize);
			insert(bc, r, ba + i);
		}
		return EOK;
	}
	errno_t rc = bc->ops->read(bc->dev, ba, 1, e->data);
	if (rc == EOK)
		insert(bc, e, ba);
	return rc;
}

/** The entry of @a ba, read from the device unless @a whole (the caller
 *  replaces the whole block). */
static errno_t get(bcache_t *bc, uint64_t ba, bool whole, bentry_t **out)
{
	if (ba >= bc->count)
		return EIO;
	bentry_t *e = lookup(bc, ba);
	if (e == NULL) {
		errno_t rc = victim(bc, &e);
		if (rc == EOK && !whole)
			rc = read_run(bc, ba, e);
		else if (rc == EOK)
			insert(bc, e, ba);
		if (rc != EOK)
			return rc;
		e = lookup(bc, ba);
	}
	e->used = ++bc->stamp;
	*out = e;
	return EOK;
}

errno_t bcache_read(bcache_t *bc, uint64_t ba, size_t off, void *buf, size_t len)
{
	if (off > bc->bsize || len > bc->bsize - off)
		return EINVAL;
	bentry_t *e;
	errno_t rc = get(bc, ba, false, &e);
	if (rc == EOK)
		memcpy(buf, e->data + off, len);
	return rc;
}

errno_t bcache_write(bcache_t *bc, uint64_t ba, size_t off, const void *buf, size_t len)
{
	if (off > bc->bsize || len > bc->bsize - off)
		return EINVAL;
	bentry_t *e;
	errno_t rc = get(bc, ba, off == 0 && len == bc->bsize, &e);
	if (rc == EOK) {
		memcpy(e->data + off, buf, len);
		e->dirty = true;
	}
	return rc;
}

/** Writes the @a n dirty entries of @a run (consecutive blocks). */
static errno_t write_run(bcache_t *bc, bentry_t **run, size_t n)
{
	if (n == 1)
		return write_back(bc, run[0]);
	for (size_t i = 0; i < n; i++)
		memcpy(bc->run + i * bc->bsize, run[i]->data, bc->bsize);
	errno_t rc = bc->ops->write(bc->dev, run[0]->ba, n, bc->run);
	if (rc != EOK)
		return rc;
	bc->writes++;
	for (size_t i = 0; i < n; i++)
		run[i]->dirty = false;
	return EOK;
}

static int by_block(const void *a, const void *b)
{
	const bentry_t *x = *(bentry_t *const *) a, *y = *(bentry_t *const *) b;
	return x->ba < y->ba ? -1 : x->ba > y->ba;
}

errno_t bcache_flush(bcache_t *bc)
{
	bentry_t **dirty = malloc(bc->n * sizeof(bentry_t *));
	if (dirty == NULL)
		return ENOMEM;
	size_t k = 0;
	for (size_t i = 0; i < bc->n; i++) {
		if (bc->entries[i].valid && bc->entries[i].dirty)
			dirty[k++] = &bc->entries[i];
	}
	qsort(dirty, k, sizeof(dirty[0]), by_block);
	errno_t rc = EOK;
	for (size_t i = 0; i < k && rc == EOK;) {
		size_t n = 1; /* a run of consecutive blocks, written at once */
		while (i + n < k && n < RUN_MAX && dirty[i + n]->ba == dirty[i]->ba + n)
			n++;
		rc = write_run(bc, &dirty[i], n);
		i += n;
	}
	free(dirty);
	if (rc == EOK && bc->ops->sync != NULL)
		rc = bc->ops->sync(bc->dev);
	return rc;
}

void bcache_counts(const bcache_t *bc, uint64_t *reads, uint64_t *writes)
{
	*reads = bc->reads;
	*writes = bc->writes;
}
