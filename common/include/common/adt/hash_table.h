/*
 * Intrusive chained hash table with a fixed number of buckets chosen at
 * creation (the caller provides bucket storage, so nothing is allocated here).
 * Not synchronised: the owner's lock protects it.
 */
#ifndef COMMON_ADT_HASH_TABLE_H
#define COMMON_ADT_HASH_TABLE_H

#include <common/adt/list.h>
#include <stdint.h>

typedef struct {
	/** Hash of a member's key. */
	uint64_t (*hash)(const link_t *item);
	/** Hash of a lookup key. */
	uint64_t (*key_hash)(const void *key);
	/** Whether @a item has @a key. */
	bool (*key_equal)(const void *key, const link_t *item);
} hash_table_ops_t;

typedef struct {
	const hash_table_ops_t *ops;
	list_t *buckets;
	size_t bucket_count;
	size_t count;
} hash_table_t;

void hash_table_init(
    hash_table_t *h, const hash_table_ops_t *ops, list_t *buckets, size_t bucket_count);
void hash_table_insert(hash_table_t *h, link_t *item);
link_t *hash_table_find(const hash_table_t *h, const void *key);
void hash_table_remove_item(hash_table_t *h, link_t *item);

/** 64-bit mixer (from the splitmix64 finaliser): spreads integer keys. */
static inline uint64_t hash_mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

#endif
