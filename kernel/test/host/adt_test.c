/*
 * Shared data structures: list, bitmap, hash table, ring buffer.
 */
#include "host_test.h"
#include <common/adt/bitmap.h>
#include <common/adt/hash_table.h>
#include <common/adt/list.h>
#include <common/adt/ringbuf.h>
#include <string.h>

typedef struct {
	int value;
	link_t link;
} item_t;

HOST_TEST(list_append_prepend_remove_iterate)
{
	list_t list;
	list_initialize(&list);
	item_t items[5];
	for (int i = 0; i < 5; i++) {
		items[i].value = i;
		link_initialize(&items[i].link);
	}
	CHECK(list_empty(&list));
	list_append(&items[1].link, &list);
	list_append(&items[2].link, &list);
	list_prepend(&items[0].link, &list);
	list_insert_before(&items[3].link, &items[2].link);
	CHECK_EQ(list_count(&list), 4);
	int expect[] = {0, 1, 3, 2}, n = 0;
	list_foreach (list, link, item_t, it)
		CHECK_EQ(it->value, expect[n++]);
	CHECK_EQ(n, 4);
	list_remove(&items[3].link);
	CHECK(!link_in_use(&items[3].link));
	CHECK_EQ(list_count(&list), 3);
	n = 0;
	list_foreach (list, link, item_t, it) {
		if (it->value == 1)
			break;
		n++;
	}
	CHECK_EQ(n, 1); /* break leaves the loop at once */
	CHECK(list_get_instance(list_last(&list), item_t, link)->value == 2);
}

HOST_TEST(bitmap_set_clear_find)
{
	uint64_t words[BITMAP_WORDS(200)];
	bitmap_t bm;
	bitmap_init(&bm, words, 200);
	CHECK_EQ(bitmap_find_clear(&bm, 0), 0);
	bitmap_set_range(&bm, 0, 130);
	CHECK_EQ(bitmap_count_set(&bm), 130);
	CHECK_EQ(bitmap_find_clear(&bm, 0), 130);
	bitmap_clear(&bm, 64);
	CHECK_EQ(bitmap_find_clear(&bm, 0), 64);
	CHECK_EQ(bitmap_find_clear(&bm, 65), 130);
	CHECK(bitmap_test(&bm, 63) && !bitmap_test(&bm, 64));
	bitmap_set_range(&bm, 0, 200);
	CHECK_EQ(bitmap_find_clear(&bm, 0), 200); /* full: returns bits */
	bitmap_clear_range(&bm, 190, 10);
	CHECK_EQ(bitmap_count_set(&bm), 190);
}

typedef struct {
	uint64_t key;
	link_t link;
} entry_t;

static uint64_t entry_hash(const link_t *l)
{
	return hash_mix64(list_get_instance(l, entry_t, link)->key);
}

static uint64_t key_hash(const void *k)
{
	return hash_mix64(*(const uint64_t *) k);
}

static bool key_equal(const void *k, const link_t *l)
{
	return list_get_instance(l, entry_t, link)->key == *(const uint64_t *) k;
}

static const hash_table_ops_t ops = {entry_hash, key_hash, key_equal};

HOST_TEST(hash_table_insert_find_remove)
{
	static entry_t entries[1000];
	list_t buckets[64];
	hash_table_t h;
	hash_table_init(&h, &ops, buckets, 64);
	for (uint64_t i = 0; i < 1000; i++) {
		entries[i].key = i * 7919;
		link_initialize(&entries[i].link);
		hash_table_insert(&h, &entries[i].link);
	}
	CHECK_EQ(h.count, 1000);
	for (uint64_t i = 0; i < 1000; i++) {
		uint64_t k = i * 7919;
		link_t *l = hash_table_find(&h, &k);
		CHECK(l == &entries[i].link);
	}
	uint64_t missing = 5;
	CHECK(hash_table_find(&h, &missing) == NULL);
	for (uint64_t i = 0; i < 1000; i += 2)
		hash_table_remove_item(&h, &entries[i].link);
	CHECK_EQ(h.count, 500);
	uint64_t k0 = 0, k1 = 7919;
	CHECK(hash_table_find(&h, &k0) == NULL);
	CHECK(hash_table_find(&h, &k1) == &entries[1].link);
}

/* Records put many at a time and read across the ring's end come out as
 * the same records put one by one would. */
HOST_TEST(ringbuf_put_many_wraps_like_single_puts)
{
	uint8_t data[8], out[16];
	const uint8_t text[] = "abcdefghijklmnopqrstuvwxyz";
	ringbuf_t rb;
	ringbuf_init(&rb, data, 1, 8);
	uint64_t cursor = 0, missed;
	ringbuf_put_many(&rb, text, 5); /* abcde */
	ringbuf_put_many(&rb, text + 5, 0);
	CHECK_EQ(ringbuf_read(&rb, &cursor, out, 2, &missed), 2);
	CHECK(memcmp(out, "ab", 2) == 0);
	ringbuf_put_many(&rb, text + 5, 6); /* fghijk: wraps, a..c lost */
	CHECK_EQ(rb.head, 11);
	CHECK_EQ(ringbuf_read(&rb, &cursor, out, 16, &missed), 8);
	CHECK_EQ(missed, 1); /* c was overwritten before it was read */
	CHECK(memcmp(out, "defghijk", 8) == 0);
	ringbuf_put_many(&rb, text, 20); /* more than the ring: its last 8 stay */
	CHECK_EQ(rb.head, 31);
	CHECK_EQ(ringbuf_read(&rb, &cursor, out, 16, &missed), 8);
	CHECK_EQ(missed, 12);
	CHECK(memcmp(out, "mnopqrst", 8) == 0);
	ringbuf_t one; /* the same records put one by one */
	uint8_t one_data[8];
	ringbuf_init(&one, one_data, 1, 8);
	for (size_t i = 0; i < 11; i++)
		ringbuf_put(&one, &text[i]);
	for (size_t i = 0; i < 20; i++)
		ringbuf_put(&one, &text[i]);
	CHECK_EQ(one.head, rb.head);
	CHECK(memcmp(one_data, data, 8) == 0);
}

HOST_TEST(ringbuf_overwrites_and_reports_missed)
{
	uint32_t data[8], out[16];
	ringbuf_t rb;
	ringbuf_init(&rb, data, sizeof(uint32_t), 8);
	uint64_t cursor = 0, missed;
	for (uint32_t i = 0; i < 5; i++)
		ringbuf_put(&rb, &i);
	CHECK_EQ(ringbuf_read(&rb, &cursor, out, 16, &missed), 5);
	CHECK_EQ(missed, 0);
	CHECK_EQ(out[4], 4);
	CHECK_EQ(ringbuf_read(&rb, &cursor, out, 16, &missed), 0); /* caught up */
	for (uint32_t i = 5; i < 20; i++)
		ringbuf_put(&rb, &i);
	CHECK_EQ(ringbuf_count(&rb), 8);
	CHECK_EQ(ringbuf_read(&rb, &cursor, out, 3, &missed), 3);
	CHECK_EQ(missed, 7); /* records 5..11 were overwritten */
	CHECK_EQ(out[0], 12);
	CHECK_EQ(ringbuf_read(&rb, &cursor, out, 16, &missed), 5);
	CHECK_EQ(out[4], 19);
	CHECK_EQ(cursor, 20);
}
