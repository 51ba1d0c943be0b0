/*
 * locsrv's registry (registry.c): names, ids, categories, owners, bounds.
 */
#if __STDC_HOSTED__ /* not built into the server: see host.mk */
#include "host_test.h"
#include "registry.h"
#include <string.h>

static int owner_a, owner_b;

HOST_TEST(names_split_into_namespace_and_name)
{
	char ns[LOC_NAME_MAX + 1], name[LOC_NAME_MAX + 1];
	CHECK_EQ(loc_name_split("devices/com1", ns, name), EOK);
	CHECK(strcmp(ns, "devices") == 0 && strcmp(name, "com1") == 0);
	CHECK_EQ(loc_name_split("plain", ns, name), EOK);
	CHECK(strcmp(ns, "") == 0 && strcmp(name, "plain") == 0);
}

HOST_TEST(malformed_names_are_einval_and_long_ones_enametoolong)
{
	static const char *const bad[] = {"", "/x", "x/", "a/b/c", "/", "a\nb", "a\x7f"};
	char ns[LOC_NAME_MAX + 1], name[LOC_NAME_MAX + 1];
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(loc_name_split(bad[i], ns, name), EINVAL);
	char longname[LOC_NAME_MAX + 2];
	memset(longname, 'x', sizeof(longname) - 1);
	longname[LOC_NAME_MAX + 1] = '\0';
	CHECK_EQ(loc_name_split(longname, ns, name), ENAMETOOLONG);
	longname[LOC_NAME_MAX] = '\0';
	CHECK_EQ(loc_name_split(longname, ns, name), EOK);
	CHECK_EQ(loc_name_check("", false), EINVAL);
	CHECK_EQ(loc_name_check("a/b", false), EINVAL);
}

HOST_TEST(services_get_fresh_ids_and_names_are_unique)
{
	loc_registry_t r;
	loc_registry_init(&r, 1);
	loc_id_t a, b, c, found;
	CHECK_EQ(loc_registry_service_add(&r, "devices/a", &owner_a, 0, &a), EOK);
	CHECK_EQ(loc_registry_service_add(&r, "devices/a", &owner_b, 0, &b), EEXIST);
	CHECK_EQ(loc_registry_service_add(&r, "devices/b", &owner_b, 0, &b), EOK);
	CHECK(a != b);
	CHECK_EQ(loc_registry_service_lookup(&r, "devices/b", &found), EOK);
	CHECK_EQ(found, b);
	CHECK_EQ(loc_registry_service_lookup(&r, "devices/zz", &found), ENOENT);
	CHECK_EQ(loc_registry_service_remove(&r, a, &owner_b), EPERM);
	CHECK_EQ(loc_registry_service_remove(&r, a, &owner_a), EOK);
	CHECK_EQ(loc_registry_service_remove(&r, a, &owner_a), ENOENT);
	CHECK_EQ(loc_registry_service_add(&r, "devices/a", &owner_a, 0, &c), EOK);
	CHECK(c != a && c != b); /* never reused */
	char buf[2 * LOC_NAME_MAX + 2];
	loc_service_fqn(loc_registry_service_find(&r, c), buf, sizeof(buf));
	CHECK(strcmp(buf, "devices/a") == 0);
	loc_registry_fini(&r);
}

HOST_TEST(namespaces_exist_while_they_have_services)
{
	loc_registry_t r;
	loc_registry_init(&r, 1);
	loc_id_t a, b, ns, ids[4];
	CHECK_EQ(loc_registry_service_add(&r, "net/a", &owner_a, 0, &a), EOK);
	CHECK_EQ(loc_registry_service_add(&r, "top", &owner_a, 0, &b), EOK);
	CHECK_EQ(loc_registry_namespaces(&r, ids, 4), 2);
	CHECK_EQ(loc_registry_ns_lookup(&r, "net", &ns), EOK);
	CHECK_EQ(loc_registry_probe(&r, ns), LOC_OBJECT_NAMESPACE);
	CHECK_EQ(loc_registry_probe(&r, a), LOC_OBJECT_SERVICE);
	size_t total;
	CHECK_EQ(loc_registry_ns_services(&r, ns, ids, 4, &total), EOK);
	CHECK_EQ(total, 1);
	CHECK_EQ(ids[0], a);
	CHECK_EQ(loc_registry_service_remove(&r, a, &owner_a), EOK);
	CHECK_EQ(loc_registry_probe(&r, ns), LOC_OBJECT_NONE);
	CHECK_EQ(loc_registry_ns_lookup(&r, "net", &ns), ENOENT);
	CHECK_EQ(loc_registry_namespaces(&r, ids, 4), 1);
	loc_registry_fini(&r);
}

HOST_TEST(categories_are_made_when_named_and_list_their_services)
{
	loc_registry_t r;
	loc_registry_init(&r, 1);
	category_id_t cat, again;
	loc_id_t a, b, ids[1];
	CHECK_EQ(loc_registry_category_get(&r, "serial", false, 0, &cat), ENOENT);
	CHECK_EQ(loc_registry_category_get(&r, "serial", true, 0, &cat), EOK);
	CHECK_EQ(loc_registry_category_get(&r, "serial", false, 0, &again), EOK);
	CHECK_EQ(again, cat);
	CHECK_EQ(loc_registry_service_add(&r, "d/a", &owner_a, 0, &a), EOK);
	CHECK_EQ(loc_registry_service_add(&r, "d/b", &owner_b, 0, &b), EOK);
	uint64_t changes = r.cat_changes;
	CHECK_EQ(loc_registry_add_to_cat(&r, a, cat, &owner_a), EOK);
	CHECK_EQ(loc_registry_add_to_cat(&r, a, cat, &owner_a), EEXIST);
	CHECK_EQ(loc_registry_add_to_cat(&r, b, cat, &owner_a), EPERM);
	CHECK_EQ(loc_registry_add_to_cat(&r, b, cat, &owner_b), EOK);
	CHECK_EQ(loc_registry_add_to_cat(&r, b, cat + 1, &owner_b), ENOENT);
	CHECK(r.cat_changes == changes + 2);
	size_t total;
	CHECK_EQ(loc_registry_cat_services(&r, cat, ids, 1, &total), EOK);
	CHECK_EQ(total, 2); /* more than fitted */
	CHECK_EQ(ids[0], a);
	CHECK_EQ(loc_registry_owner_remove(&r, &owner_a), 1);
	CHECK(r.cat_changes == changes + 3);
	CHECK_EQ(loc_registry_cat_services(&r, cat, ids, 1, &total), EOK);
	CHECK_EQ(total, 1);
	CHECK_EQ(ids[0], b);
	loc_registry_fini(&r);
}

HOST_TEST(wanted_ids_below_the_first_are_granted_when_free)
{
	loc_registry_t r;
	loc_registry_init(&r, 100);
	loc_id_t a, b, c, d, ids[4];
	/* A re-registration gets its old id; the namespace a new one. */
	CHECK_EQ(loc_registry_service_add(&r, "d/a", &owner_a, 7, &a), EOK);
	CHECK_EQ(a, 7);
	loc_id_t ns;
	CHECK_EQ(loc_registry_ns_lookup(&r, "d", &ns), EOK);
	CHECK(ns >= 100);
	/* An id at or above the first, or taken, is not granted. */
	CHECK_EQ(loc_registry_service_add(&r, "d/b", &owner_a, 7, &b), EOK);
	CHECK(b >= 100 && b != ns);
	CHECK_EQ(loc_registry_service_add(&r, "d/c", &owner_b, 150, &c), EOK);
	CHECK(c >= 100 && c != 150 && c != b);
	CHECK_EQ(loc_registry_service_add(&r, "d/d", &owner_b, 3, &d), EOK);
	CHECK_EQ(d, 3);
	/* The listing stays in ascending ids. */
	CHECK_EQ(loc_registry_ns_services(&r, ns, ids, 4, &(size_t){0}), EOK);
	CHECK_EQ(ids[0], 3);
	CHECK_EQ(ids[1], 7);
	CHECK(ids[2] < ids[3]);
	/* Categories likewise. */
	category_id_t cat, cat2;
	CHECK_EQ(loc_registry_category_get(&r, "serial", true, 5, &cat), EOK);
	CHECK_EQ(cat, 5);
	CHECK_EQ(loc_registry_category_get(&r, "serial", true, 9, &cat2), EOK);
	CHECK_EQ(cat2, 5); /* an existing category keeps its id */
	CHECK_EQ(loc_registry_category_get(&r, "kbd", true, 5, &cat2), EOK);
	CHECK(cat2 >= 100);
	CHECK_EQ(loc_registry_category_get(&r, "mouse", true, 2, &cat2), EOK);
	CHECK_EQ(cat2, 2);
	CHECK_EQ(loc_registry_category_find(&r, 2),
	    list_get_instance(list_first(&r.categories), loc_category_t, link));
	loc_registry_fini(&r);
}

HOST_TEST(limits_are_elimit)
{
	loc_registry_t r;
	loc_registry_init(&r, 1);
	char name[32];
	loc_id_t id;
	for (int i = 0; i < LOC_SERVICES_MAX; i++) {
		snprintf(name, sizeof(name), "n/s%d", i);
		CHECK_EQ(loc_registry_service_add(&r, name, &owner_a, 0, &id), EOK);
	}
	CHECK_EQ(loc_registry_service_add(&r, "n/more", &owner_a, 0, &id), ELIMIT);
	category_id_t cat;
	for (int i = 0; i < LOC_CATEGORIES_MAX; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		CHECK_EQ(loc_registry_category_get(&r, name, true, 0, &cat), EOK);
	}
	CHECK_EQ(loc_registry_category_get(&r, "more", true, 0, &cat), ELIMIT);
	for (category_id_t c = 1; c <= LOC_SERVICE_CATS_MAX; c++)
		CHECK_EQ(loc_registry_add_to_cat(&r, id, c, &owner_a), EOK);
	CHECK_EQ(
	    loc_registry_add_to_cat(&r, id, LOC_SERVICE_CATS_MAX + 1, &owner_a), ELIMIT);
	CHECK_EQ(loc_registry_owner_remove(&r, &owner_a), LOC_SERVICES_MAX);
	CHECK_EQ(loc_registry_services(&r, NULL, 0), 0);
	loc_registry_fini(&r);
}
#endif
