/*
 * Chained hash table: each bucket is an intrusive list.
 */
#include <common/adt/hash_table.h>

void hash_table_init(
    hash_table_t *h, const hash_table_ops_t *ops, list_t *buckets, size_t bucket_count)
{
	h->ops = ops;
	h->buckets = buckets;
	h->bucket_count = bucket_count;
	h->count = 0;
	for (size_t i = 0; i < bucket_count; i++)
		list_initialize(&buckets[i]);
}

void hash_table_insert(hash_table_t *h, link_t *item)
{
	size_t b = h->ops->hash(item) % h->bucket_count;
	list_append(item, &h->buckets[b]);
	h->count++;
}

link_t *hash_table_find(const hash_table_t *h, const void *key)
{
	const list_t *bucket = &h->buckets[h->ops->key_hash(key) % h->bucket_count];
	for (link_t *l = bucket->head.next; l != &bucket->head; l = l->next) {
		if (h->ops->key_equal(key, l))
			return l;
	}
	return NULL;
}

void hash_table_remove_item(hash_table_t *h, link_t *item)
{
	list_remove(item);
	h->count--;
}
