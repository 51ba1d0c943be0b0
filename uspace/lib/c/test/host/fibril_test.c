/*
 * Host tests of the pure parts of the fibril layer: timeout lists
 * (src/timeout.c) and the deadlock detector's cycle search (src/deadlock.c).
 */
#include "host_test.h"
#include "private/deadlock.h"
#include "private/timeout.h"
#include <stdlib.h>

static uint64_t deadline_of(link_t *l)
{
	return list_get_instance(l, timeout_t, link)->deadline;
}

HOST_TEST(timeouts_sorted_by_deadline)
{
	list_t list;
	list_initialize(&list);
	timeout_t t[6];
	const uint64_t when[6] = {50, 10, 40, 10, 70, 20};
	for (int i = 0; i < 6; i++) {
		timeout_initialize(&t[i]);
		timeout_insert(&list, &t[i], when[i]);
		CHECK(timeout_armed(&t[i]));
	}
	uint64_t prev = 0;
	for (link_t *l = list.head.next; l != &list.head; l = l->next) {
		CHECK(deadline_of(l) >= prev);
		prev = deadline_of(l);
	}
	/* Equal deadlines keep their insertion order. */
	CHECK(list_first(&list) == &t[1].link);
	CHECK(list.head.next->next == &t[3].link);
	uint64_t next;
	CHECK(timeout_next_deadline(&list, &next));
	CHECK_EQ(next, 10);
}

HOST_TEST(timeouts_expire_in_order_and_cancel)
{
	list_t list;
	list_initialize(&list);
	timeout_t t[4];
	for (int i = 0; i < 4; i++) {
		timeout_initialize(&t[i]);
		timeout_insert(&list, &t[i], 100 * (4 - i));
	}
	CHECK(timeout_first_expired(&list, 99) == NULL);
	timeout_cancel(&t[2]); /* deadline 200 */
	CHECK(!timeout_armed(&t[2]));
	timeout_cancel(&t[2]); /* cancelling twice is harmless */
	int expired = 0;
	timeout_t *e;
	while ((e = timeout_first_expired(&list, 250)) != NULL) {
		CHECK(e == &t[3]); /* only 100 is due; 200 was cancelled */
		timeout_cancel(e);
		expired++;
	}
	CHECK_EQ(expired, 1);
	uint64_t next;
	CHECK(timeout_next_deadline(&list, &next));
	CHECK_EQ(next, 300);
	timeout_cancel(&t[0]);
	timeout_cancel(&t[1]);
	CHECK(!timeout_next_deadline(&list, &next));
}

HOST_TEST(timeouts_many_random)
{
	enum { N = 2000 };
	list_t list;
	list_initialize(&list);
	timeout_t *t = calloc(N, sizeof(*t));
	srand(7);
	for (int i = 0; i < N; i++) {
		timeout_initialize(&t[i]);
		timeout_insert(&list, &t[i], (uint64_t) (rand() % 500));
		if (i % 3 == 0)
			timeout_cancel(&t[i / 2]);
	}
	uint64_t now = 0, count = 0, prev = 0;
	for (now = 0; now < 600; now += 17) {
		timeout_t *e;
		while ((e = timeout_first_expired(&list, now)) != NULL) {
			CHECK(e->deadline <= now && e->deadline >= prev);
			prev = e->deadline;
			timeout_cancel(e);
			count++;
		}
	}
	CHECK(list_empty(&list));
	CHECK(count > 0);
	free(t);
}

/* A wait-for graph: fibril i waits for a lock owned by owner[i] (-1: none). */
static int owner[8];
static int ids[8];

static const void *owner_of(const void *fibril)
{
	int o = owner[*(const int *) fibril];
	return o < 0 ? NULL : &ids[o];
}

static void graph_reset(void)
{
	for (int i = 0; i < 8; i++) {
		ids[i] = i;
		owner[i] = -1;
	}
}

HOST_TEST(deadlock_two_fibril_cycle)
{
	graph_reset();
	owner[1] = 0; /* 1 waits for a lock 0 holds; 0 now wants one 1 holds */
	const void *cycle[8];
	size_t n = deadlock_find_cycle(&ids[0], &ids[1], owner_of, cycle, 8);
	CHECK_EQ(n, 2);
	CHECK(cycle[0] == &ids[0]);
	CHECK(cycle[1] == &ids[1]);
}

HOST_TEST(deadlock_self_and_long_cycles)
{
	graph_reset();
	const void *cycle[8];
	/* Waiting for a lock one holds oneself. */
	CHECK_EQ(deadlock_find_cycle(&ids[3], &ids[3], owner_of, cycle, 8), 1);
	/* 0 -> 1 -> 2 -> 3 -> 4 -> back to 0. */
	owner[1] = 2;
	owner[2] = 3;
	owner[3] = 4;
	owner[4] = 0;
	size_t n = deadlock_find_cycle(&ids[0], &ids[1], owner_of, cycle, 8);
	CHECK_EQ(n, 5);
	for (int i = 0; i < 5; i++)
		CHECK(cycle[i] == &ids[i]);
	/* Too long for the buffer: not reported rather than cut. */
	CHECK_EQ(deadlock_find_cycle(&ids[0], &ids[1], owner_of, cycle, 3), 0);
}

HOST_TEST(deadlock_chains_without_cycle)
{
	graph_reset();
	const void *cycle[8];
	owner[1] = 2; /* 1 waits for 2, which runs */
	CHECK_EQ(deadlock_find_cycle(&ids[0], &ids[1], owner_of, cycle, 8), 0);
	owner[5] = 6; /* a cycle elsewhere is not ours to report */
	owner[6] = 5;
	owner[2] = 5;
	CHECK_EQ(deadlock_find_cycle(&ids[0], &ids[1], owner_of, cycle, 8), 0);
}
