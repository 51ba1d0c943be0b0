/*
 * The location service's registry: namespaces, services and categories, and
 * which server owns each service. No IPC here (the host tests build it as
 * it is); the server (locsrv.c) guards every call with its one lock.
 *
 * Ids: services and namespaces share one counter, categories have their own;
 * both start at the registry's first id, neither is ever reused, and 0 is
 * never an id. Below the first id lie the ids of an earlier location
 * service: a server registering again after a restart asks for its old
 * service and category ids ("wanted"), granted when free; namespaces always
 * get new ids. A namespace exists while it
 * has services; a category, once named, for good. Owners are opaque to the
 * registry (the server's record of a supplier connection).
 *
 * Bounds: at most LOC_SERVICES_MAX services (so at most as many namespaces),
 * LOC_CATEGORIES_MAX categories and LOC_SERVICE_CATS_MAX categories per
 * service; names at most LOC_NAME_MAX bytes.
 */
#ifndef LOCSRV_REGISTRY_H
#define LOCSRV_REGISTRY_H

#include <abi/errno.h>
#include <abi/loc.h>
#include <common/adt/list.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LOC_CATEGORIES_MAX   256
#define LOC_SERVICE_CATS_MAX 16

typedef struct {
	link_t link; /* loc_registry_t.namespaces, ascending ids */
	loc_id_t id;
	char *name; /* "" for the namespace of names without a '/' */
	size_t services;
} loc_namespace_t;

typedef struct {
	link_t link; /* loc_registry_t.categories, ascending ids */
	category_id_t id;
	char *name;
} loc_category_t;

typedef struct {
	link_t link; /* loc_registry_t.services, ascending ids */
	loc_id_t id;
	loc_namespace_t *ns;
	char *name; /* without the namespace */
	void *owner;
	size_t ncats;
	loc_category_t *cats[LOC_SERVICE_CATS_MAX];
} loc_service_t;

typedef struct {
	list_t services;   /* loc_service_t */
	list_t namespaces; /* loc_namespace_t */
	list_t categories; /* loc_category_t */
	size_t nservices, ncategories;
	uint64_t first_id; /* the registry's own ids: first_id and above */
	loc_id_t next_id;
	category_id_t next_cat_id;
	/* Counters of changes, for the server to see what to tell whom. */
	uint64_t svc_changes; /* a service came or went */
	uint64_t cat_changes; /* a category gained or lost a service */
} loc_registry_t;

/** Splits the full name @a fqn into @a ns and @a name (LOC_NAME_MAX + 1
 *  bytes each): EINVAL if malformed, ENAMETOOLONG if too long. */
errno_t loc_name_split(const char *fqn, char *ns, char *name);
/** Checks a category or namespace name (no '/'; may be empty if
 *  @a empty_ok). */
errno_t loc_name_check(const char *name, bool empty_ok);

/** An empty registry whose own ids start at @a first_id (0 counts as 1). */
void loc_registry_init(loc_registry_t *r, uint64_t first_id);
/** Frees everything (for tests). */
void loc_registry_fini(loc_registry_t *r);

/** Registers @a fqn for @a owner: its id in *@a id, which is @a wanted if
 *  that is below the first id and names nothing (0: no wish). EEXIST,
 *  ELIMIT, ENOMEM, or a name error. */
errno_t loc_registry_service_add(
    loc_registry_t *r, const char *fqn, void *owner, loc_id_t wanted, loc_id_t *id);
/** Unregisters service @a id of @a owner: ENOENT, EPERM (not its own). */
errno_t loc_registry_service_remove(loc_registry_t *r, loc_id_t id, void *owner);
/** Unregisters every service of @a owner; how many there were. */
size_t loc_registry_owner_remove(loc_registry_t *r, void *owner);
loc_service_t *loc_registry_service_find(loc_registry_t *r, loc_id_t id);
errno_t loc_registry_service_lookup(loc_registry_t *r, const char *fqn, loc_id_t *id);
/** The full name of @a s into @a buf (LOC_NAME_MAX * 2 + 2 bytes fit all). */
void loc_service_fqn(const loc_service_t *s, char *buf, size_t size);

/** The id of category @a name, made if new and @a create (with id
 *  @a wanted if that is below the first id and free; 0: no wish): ENOENT,
 *  ELIMIT, ENOMEM or a name error. */
errno_t loc_registry_category_get(loc_registry_t *r, const char *name, bool create,
    category_id_t wanted, category_id_t *id);
loc_category_t *loc_registry_category_find(loc_registry_t *r, category_id_t id);
/** Adds service @a svc of @a owner to category @a cat: ENOENT, EPERM,
 *  EEXIST (already in it), ELIMIT. */
errno_t loc_registry_add_to_cat(
    loc_registry_t *r, loc_id_t svc, category_id_t cat, void *owner);

loc_namespace_t *loc_registry_ns_find(loc_registry_t *r, loc_id_t id);
errno_t loc_registry_ns_lookup(loc_registry_t *r, const char *name, loc_id_t *id);
loc_object_type_t loc_registry_probe(loc_registry_t *r, loc_id_t id);

/*
 * Listings: the first @a max ids into @a ids, in ascending order; the
 * result (or *@a total) is how many there are.
 */
size_t loc_registry_services(loc_registry_t *r, loc_id_t *ids, size_t max);
size_t loc_registry_namespaces(loc_registry_t *r, loc_id_t *ids, size_t max);
errno_t loc_registry_cat_services(
    loc_registry_t *r, category_id_t cat, loc_id_t *ids, size_t max, size_t *total);
errno_t loc_registry_ns_services(
    loc_registry_t *r, loc_id_t ns, loc_id_t *ids, size_t max, size_t *total);

#endif
