/*
 * Host tests of the connection label table (src/label.c): labels find their
 * object, a label that ended finds nothing even after its slot is reused,
 * and labels are never 0.
 */
#include "host_test.h"
#include "private/label.h"
#include <stdlib.h>

HOST_TEST(labels_find_their_objects)
{
	label_table_t t;
	label_table_init(&t);
	int objs[100];
	uint64_t labels[100];
	for (int i = 0; i < 100; i++) {
		CHECK_EQ(label_alloc(&t, &objs[i], &labels[i]), EOK);
		CHECK(labels[i] != 0);
	}
	for (int i = 0; i < 100; i++)
		CHECK(label_get(&t, labels[i]) == &objs[i]);
	CHECK_EQ(t.used, 100);
	label_table_fini(&t);
}

HOST_TEST(ended_labels_find_nothing_after_reuse)
{
	label_table_t t;
	label_table_init(&t);
	int a, b;
	uint64_t la, lb;
	CHECK_EQ(label_alloc(&t, &a, &la), EOK);
	label_free(&t, la);
	CHECK(label_get(&t, la) == NULL);
	CHECK_EQ(label_alloc(&t, &b, &lb), EOK); /* the same slot again */
	CHECK(lb != la);
	CHECK(label_get(&t, la) == NULL);
	CHECK(label_get(&t, lb) == &b);
	label_free(&t, la); /* freeing a stale label changes nothing */
	CHECK(label_get(&t, lb) == &b);
	CHECK_EQ(t.used, 1);
	label_table_fini(&t);
}

HOST_TEST(foreign_labels_find_nothing)
{
	label_table_t t;
	label_table_init(&t);
	int a;
	uint64_t la;
	CHECK(label_get(&t, 0) == NULL);
	CHECK(label_get(&t, 12345) == NULL);
	CHECK_EQ(label_alloc(&t, &a, &la), EOK);
	CHECK(label_get(&t, 0) == NULL);
	CHECK(label_get(&t, la + 1) == NULL);			/* a free slot */
	CHECK(label_get(&t, la | (UINT64_C(5) << 40)) == NULL); /* wrong generation */
	CHECK(label_get(&t, (uint64_t) 1 << 23) == NULL);	/* past the table */
	label_table_fini(&t);
}

HOST_TEST(labels_random_churn)
{
	enum { N = 300, ROUNDS = 20000 };
	label_table_t t;
	label_table_init(&t);
	int objs[N];
	uint64_t labels[N];
	int live[N] = {0};
	srand(11);
	for (int r = 0; r < ROUNDS; r++) {
		int i = rand() % N;
		if (live[i]) {
			CHECK(label_get(&t, labels[i]) == &objs[i]);
			label_free(&t, labels[i]);
			CHECK(label_get(&t, labels[i]) == NULL);
			live[i] = 0;
		} else {
			CHECK_EQ(label_alloc(&t, &objs[i], &labels[i]), EOK);
			live[i] = 1;
		}
	}
	unsigned count = 0;
	for (int i = 0; i < N; i++) {
		if (live[i]) {
			CHECK(label_get(&t, labels[i]) == &objs[i]);
			count++;
		}
	}
	CHECK_EQ(t.used, count);
	CHECK(t.size <= 512); /* slots are reused, the table does not creep */
	label_table_fini(&t);
}
