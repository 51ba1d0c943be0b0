/*
 * Capability tables: typed lookup, stale handles, growth and limits.
 */
#include "host_test.h"
#include <cap/cap.h>
#include <stdlib.h>

static int destroyed;

static void count_destroy(kobject_t *obj)
{
	destroyed++;
	free(obj);
}

static kobject_t *new_object(kobject_type_t type)
{
	kobject_t *o = malloc(sizeof(*o));
	kobject_init(o, type, count_destroy);
	return o;
}

HOST_TEST(typed_lookup_and_free)
{
	cap_table_t t;
	cap_table_init(&t);
	destroyed = 0;
	cap_handle_t h;
	CHECK_EQ(cap_alloc(&t, new_object(KOBJECT_PHONE), &h), EOK);
	CHECK_EQ(h, 1); /* the first handle of a task is 1 */
	kobject_t *o = cap_get(&t, h, KOBJECT_PHONE);
	CHECK(o != NULL);
	CHECK_EQ(o->refcount, 2);
	kobject_put(o);
	CHECK(cap_get(&t, h, KOBJECT_CALL) == NULL); /* wrong type */
	CHECK(cap_get(&t, 0, KOBJECT_PHONE) == NULL);
	CHECK(cap_get(&t, 12345, KOBJECT_PHONE) == NULL);
	kobject_t *out;
	CHECK_EQ(cap_free(&t, h, KOBJECT_CALL, 0, &out), ENOENT);
	CHECK_EQ(cap_free(&t, h, KOBJECT_PHONE, 0, &out), EOK);
	kobject_put(out);
	CHECK_EQ(destroyed, 1);
	CHECK_EQ(cap_free(&t, h, KOBJECT_PHONE, 0, &out), ENOENT); /* double free */
	cap_table_destroy(&t);
}

HOST_TEST(stale_handle_does_not_reach_the_new_object)
{
	cap_table_t t;
	cap_table_init(&t);
	cap_handle_t old, fresh;
	CHECK_EQ(cap_alloc(&t, new_object(KOBJECT_PHONE), &old), EOK);
	kobject_t *out;
	CHECK_EQ(cap_free(&t, old, KOBJECT_PHONE, 0, &out), EOK);
	kobject_put(out);
	CHECK_EQ(cap_alloc(&t, new_object(KOBJECT_PHONE), &fresh), EOK);
	CHECK(fresh != old);
	CHECK_EQ(fresh & 0xffffff, old & 0xffffff); /* same slot, new generation */
	CHECK(cap_get(&t, old, KOBJECT_PHONE) == NULL);
	kobject_t *o = cap_get(&t, fresh, KOBJECT_PHONE);
	CHECK(o != NULL);
	kobject_put(o);
	cap_table_destroy(&t);
}

HOST_TEST(grows_to_the_limit_then_refuses)
{
	cap_table_t t;
	cap_table_init(&t);
	destroyed = 0;
	kobject_t *shared = new_object(KOBJECT_CALL);
	size_t n = 0;
	cap_handle_t h;
	for (;;) {
		kobject_get(shared);
		if (cap_alloc(&t, shared, &h) != EOK) {
			kobject_put(shared);
			break;
		}
		n++;
	}
	CHECK_EQ(n, CAP_SLOTS_MAX);
	CHECK_EQ(cap_count(&t), CAP_SLOTS_MAX);
	CHECK_EQ(cap_alloc(&t, shared, &h), ELIMIT);
	cap_table_destroy(&t); /* drops every reference */
	CHECK_EQ(shared->refcount, 1);
	kobject_put(shared);
	CHECK_EQ(destroyed, 1);
}
