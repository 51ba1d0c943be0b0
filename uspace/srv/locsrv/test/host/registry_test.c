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
	loc_registry_init(&r);
	loc_id_t a, b, c, found;
	CHECK_EQ(loc_registry_service_add(&r, "devices/a", &owner_a, &a), EOK);
	CHECK_EQ(loc_registry_service_add(&r, "devices/a", &owner_b, &b), EEXIST);
	CHECK_EQ(loc_registry_service_add(&r, "devices/b", &owner_b, &b), EOK);
	CHECK(a != b);
	CHECK_EQ(loc_registry_service_lookup(&r, "devices/b", &found), EOK);
	CHECK_EQ(found, b);
	CHECK_EQ(loc_registry_service_lookup(&r, "devices/zz", &found), ENOENT);
	CHECK_EQ(loc_registry_service_remove(&r, a, &owner_b), EPERM);
	CHECK_EQ(loc_registry_service_remove(&r, a, &owner_a), EOK);
	CHECK_EQ(loc_registry_service_remove(&r, a, &owner_a), ENOENT);
	CHECK_EQ(loc_registry_service_add(&r, "devices/a", &owner_a, &c), EOK);
	CHECK(c != a && c != b); /* never reused */
	char buf[2 * LOC_NAME_MAX + 2];
	loc_service_fqn(loc_registry_service_find(&r, c), buf, sizeof(buf));
	CHECK(strcmp(buf, "devices/a") == 0);
	loc_registry_fini(&r);
}

HOST_TEST(namespaces_exist_while_they_have_services)
{
	loc_registry_t r;
	loc_registry_init(&r);
	loc_id_t a, b, ns, ids[4];
	CHECK_EQ(loc_registry_service_add(&r, "net/a", &owner_a, &a), EOK);
	CHECK_EQ(loc_registry_service_add(&r, "top", &owner_a, &b), EOK);
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
	loc_registry_init(&r);
	category_id_t cat, again;
	loc_id_t a, b, ids[1];
	CHECK_EQ(loc_registry_category_get(&r, "serial", false, &cat), ENOENT);
	CHECK_EQ(loc_registry_category_get(&r, "serial", true, &cat), EOK);
	CHECK_EQ(loc_registry_category_get(&r, "serial", false, &again), EOK);
	CHECK_EQ(again, cat);
	CHECK_EQ(loc_registry_service_add(&r, "d/a", &owner_a, &a), EOK);
	CHECK_EQ(loc_registry_service_add(&r, "d/b", &owner_b, &b), EOK);
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

HOST_TEST(limits_are_elimit)
{
	loc_registry_t r;
	loc_registry_init(&r);
	char name[32];
	loc_id_t id;
	for (int i = 0; i < LOC_SERVICES_MAX; i++) {
		snprintf(name, sizeof(name), "n/s%d", i);
		CHECK_EQ(loc_registry_service_add(&r, name, &owner_a, &id), EOK);
	}
	CHECK_EQ(loc_registry_service_add(&r, "n/more", &owner_a, &id), ELIMIT);
	category_id_t cat;
	for (int i = 0; i < LOC_CATEGORIES_MAX; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		CHECK_EQ(loc_registry_category_get(&r, name, true, &cat), EOK);
	}
	CHECK_EQ(loc_registry_category_get(&r, "more", true, &cat), ELIMIT);
	for (category_id_t c = 1; c <= LOC_SERVICE_CATS_MAX; c++)
		CHECK_EQ(loc_registry_add_to_cat(&r, id, c, &owner_a), EOK);
	CHECK_EQ(
	    loc_registry_add_to_cat(&r, id, LOC_SERVICE_CATS_MAX + 1, &owner_a), ELIMIT);
	CHECK_EQ(loc_registry_owner_remove(&r, &owner_a), LOC_SERVICES_MAX);
	CHECK_EQ(loc_registry_services(&r, NULL, 0), 0);
	loc_registry_fini(&r);
}
#endif
