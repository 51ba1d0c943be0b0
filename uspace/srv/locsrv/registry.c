/*
 * The registry of namespaces, services and categories (registry.h). Lists
 * are kept in ascending id order (ids only grow, so appending keeps it);
 * lookups walk them, which the bounds keep short enough.
 */
#include "registry.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** A name part of @a len bytes at @a s: printable, no '/' (EINVAL). */
static errno_t part_check(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char) s[i];
		if (c < 0x20 || c == 0x7f || c == '/')
			return EINVAL;
	}
	return EOK;
}

errno_t loc_name_check(const char *name, bool empty_ok)
{
	size_t len = strlen(name);
	if (len > LOC_NAME_MAX)
		return ENAMETOOLONG;
	if (len == 0 && !empty_ok)
		return EINVAL;
	return part_check(name, len);
}

/** Copies @a len bytes of @a src into @a dst and ends it. */
static void part_copy(char *dst, const char *src, size_t len)
{
	memcpy(dst, src, len);
	dst[len] = '\0';
}

errno_t loc_name_split(const char *fqn, char *ns, char *name)
{
	size_t len = strlen(fqn);
	if (len > LOC_NAME_MAX)
		return ENAMETOOLONG;
	const char *slash = strchr(fqn, '/');
	size_t ns_len = slash != NULL ? (size_t) (slash - fqn) : 0;
	const char *rest = slash != NULL ? slash + 1 : fqn;
	size_t rest_len = len - (size_t) (rest - fqn);
	if (rest_len == 0 || (slash != NULL && ns_len == 0))
		return EINVAL;
	if (part_check(fqn, ns_len) != EOK || part_check(rest, rest_len) != EOK)
		return EINVAL;
	part_copy(ns, fqn, ns_len);
	part_copy(name, rest, rest_len);
	return EOK;
}

void loc_registry_init(loc_registry_t *r, uint64_t first_id)
{
	memset(r, 0, sizeof(*r));
	list_initialize(&r->services);
	list_initialize(&r->namespaces);
	list_initialize(&r->categories);
	r->first_id = first_id > 0 ? first_id : 1;
	r->next_id = r->first_id;
	r->next_cat_id = r->first_id;
}

/** Whether @a wanted may be granted as it is: below the registry's own
 *  ids (so an id it gave itself is never asked back) and not 0. Whether it
 *  is free is the caller's to check. */
static bool id_reclaimable(const loc_registry_t *r, uint64_t wanted)
{
	return wanted > 0 && wanted < r->first_id;
}

/*
 * Namespaces.
 */

static loc_namespace_t *ns_by_name(loc_registry_t *r, const char *name)
{
	list_foreach (r->namespaces, link, loc_namespace_t, ns) {
		if (strcmp(ns->name, name) == 0)
			return ns;
	}
	return NULL;
}

/** Namespace @a name, made if new; NULL when out of memory. */
static loc_namespace_t *ns_get(loc_registry_t *r, const char *name)
{
	loc_namespace_t *ns = ns_by_name(r, name);
	if (ns != NULL)
		return ns;
	ns = malloc(sizeof(*ns));
	char *copy = strdup(name);
	if (ns == NULL || copy == NULL) {
		free(ns);
		free(copy);
		return NULL;
	}
	ns->id = r->next_id++;
	ns->name = copy;
	ns->services = 0;
	list_append(&ns->link, &r->namespaces);
	return ns;
}

/** Frees @a ns once it has no services. */
static void ns_maybe_free(loc_namespace_t *ns)
{
	if (ns->services > 0)
		return;
	list_remove(&ns->link);
	free(ns->name);
	free(ns);
}

loc_namespace_t *loc_registry_ns_find(loc_registry_t *r, loc_id_t id)
{
	list_foreach (r->namespaces, link, loc_namespace_t, ns) {
		if (ns->id == id)
			return ns;
	}
	return NULL;
}

errno_t loc_registry_ns_lookup(loc_registry_t *r, const char *name, loc_id_t *id)
{
	errno_t rc = loc_name_check(name, true);
	if (rc != EOK)
		return rc;
	loc_namespace_t *ns = ns_by_name(r, name);
	if (ns == NULL)
		return ENOENT;
	*id = ns->id;
	return EOK;
}

/*
 * Services.
 */

static loc_service_t *svc_by_name(loc_registry_t *r, const char *ns, const char *name)
{
	list_foreach (r->services, link, loc_service_t, s) {
		if (strcmp(s->name, name) == 0 && strcmp(s->ns->name, ns) == 0)
			return s;
	}
	return NULL;
}

loc_service_t *loc_registry_service_find(loc_registry_t *r, loc_id_t id)
{
	list_foreach (r->services, link, loc_service_t, s) {
		if (s->id == id)
			return s;
	}
	return NULL;
}

/** Puts @a link into @a list, which stays in ascending ids (@a id_of:
 *  an element's id). */
static void id_insert(list_t *list, link_t *link, uint64_t (*id_of)(link_t *))
{
	uint64_t id = id_of(link);
	for (link_t *l = list_first(list); l != NULL; l = list_next(l, list)) {
		if (id_of(l) > id) {
			list_insert_before(link, l);
			return;
		}
	}
	list_append(link, list);
}

static uint64_t svc_id_of(link_t *l)
{
	return list_get_instance(l, loc_service_t, link)->id;
}

static uint64_t cat_id_of(link_t *l)
{
	return list_get_instance(l, loc_category_t, link)->id;
}

/** @a wanted if it may be reclaimed and no service or namespace has it,
 *  else a new id. */
static loc_id_t svc_id_pick(loc_registry_t *r, loc_id_t wanted)
{
	if (id_reclaimable(r, wanted) && loc_registry_probe(r, wanted) == LOC_OBJECT_NONE)
		return wanted;
	return r->next_id++;
}

/** A new service @a name in @a ns (counted there); NULL without memory. */
static loc_service_t *svc_make(
    loc_registry_t *r, loc_namespace_t *ns, const char *name, loc_id_t wanted)
{
	loc_service_t *s = malloc(sizeof(*s));
	char *copy = strdup(name);
	if (s == NULL || copy == NULL) {
		free(s);
		free(copy);
		return NULL;
	}
	memset(s, 0, sizeof(*s));
	s->id = svc_id_pick(r, wanted);
	s->ns = ns;
	s->name = copy;
	ns->services++;
	return s;
}

errno_t loc_registry_service_add(
    loc_registry_t *r, const char *fqn, void *owner, loc_id_t wanted, loc_id_t *id)
{
	char ns_name[LOC_NAME_MAX + 1], name[LOC_NAME_MAX + 1];
	errno_t rc = loc_name_split(fqn, ns_name, name);
	if (rc != EOK)
		return rc;
	if (svc_by_name(r, ns_name, name) != NULL)
		return EEXIST;
	if (r->nservices >= LOC_SERVICES_MAX)
		return ELIMIT;
	loc_namespace_t *ns = ns_get(r, ns_name);
	loc_service_t *s = ns != NULL ? svc_make(r, ns, name, wanted) : NULL;
	if (s == NULL) {
		if (ns != NULL)
			ns_maybe_free(ns);
		return ENOMEM;
	}
	s->owner = owner;
	id_insert(&r->services, &s->link, svc_id_of);
	r->nservices++;
	r->svc_changes++;
	*id = s->id;
	return EOK;
}

static void svc_remove(loc_registry_t *r, loc_service_t *s)
{
	list_remove(&s->link);
	r->nservices--;
	r->svc_changes++;
	if (s->ncats > 0)
		r->cat_changes++;
	s->ns->services--;
	ns_maybe_free(s->ns);
	free(s->name);
	free(s);
}

errno_t loc_registry_service_remove(loc_registry_t *r, loc_id_t id, void *owner)
{
	loc_service_t *s = loc_registry_service_find(r, id);
	if (s == NULL)
		return ENOENT;
	if (s->owner != owner)
		return EPERM;
	svc_remove(r, s);
	return EOK;
}

size_t loc_registry_owner_remove(loc_registry_t *r, void *owner)
{
	size_t removed = 0;
	link_t *l = list_first(&r->services);
	while (l != NULL) {
		link_t *next = list_next(l, &r->services);
		loc_service_t *s = list_get_instance(l, loc_service_t, link);
		if (s->owner == owner) {
			svc_remove(r, s);
			removed++;
		}
		l = next;
	}
	return removed;
}

errno_t loc_registry_service_lookup(loc_registry_t *r, const char *fqn, loc_id_t *id)
{
	char ns_name[LOC_NAME_MAX + 1], name[LOC_NAME_MAX + 1];
	errno_t rc = loc_name_split(fqn, ns_name, name);
	if (rc != EOK)
		return rc;
	loc_service_t *s = svc_by_name(r, ns_name, name);
	if (s == NULL)
		return ENOENT;
	*id = s->id;
	return EOK;
}

void loc_service_fqn(const loc_service_t *s, char *buf, size_t size)
{
	if (s->ns->name[0] == '\0')
		snprintf(buf, size, "%s", s->name);
	else
		snprintf(buf, size, "%s/%s", s->ns->name, s->name);
}

/*
 * Categories.
 */

loc_category_t *loc_registry_category_find(loc_registry_t *r, category_id_t id)
{
	list_foreach (r->categories, link, loc_category_t, c) {
		if (c->id == id)
			return c;
	}
	return NULL;
}

static loc_category_t *cat_by_name(loc_registry_t *r, const char *name)
{
	list_foreach (r->categories, link, loc_category_t, c) {
		if (strcmp(c->name, name) == 0)
			return c;
	}
	return NULL;
}

/** A new category @a name, with id @a wanted if that may be reclaimed and
 *  is free: ELIMIT, ENOMEM. */
static errno_t cat_make(
    loc_registry_t *r, const char *name, category_id_t wanted, loc_category_t **out)
{
	if (r->ncategories >= LOC_CATEGORIES_MAX)
		return ELIMIT;
	loc_category_t *c = malloc(sizeof(*c));
	char *copy = strdup(name);
	if (c == NULL || copy == NULL) {
		free(c);
		free(copy);
		return ENOMEM;
	}
	bool reclaim = id_reclaimable(r, wanted) &&
	    loc_registry_category_find(r, wanted) == NULL;
	c->id = reclaim ? wanted : r->next_cat_id++;
	c->name = copy;
	id_insert(&r->categories, &c->link, cat_id_of);
	r->ncategories++;
	*out = c;
	return EOK;
}

errno_t loc_registry_category_get(loc_registry_t *r, const char *name, bool create,
    category_id_t wanted, category_id_t *id)
{
	errno_t rc = loc_name_check(name, false);
	if (rc != EOK)
		return rc;
	loc_category_t *c = cat_by_name(r, name);
	if (c == NULL)
		rc = create ? cat_make(r, name, wanted, &c) : ENOENT;
	if (rc == EOK)
		*id = c->id;
	return rc;
}

static bool svc_in_cat(const loc_service_t *s, const loc_category_t *c)
{
	for (size_t i = 0; i < s->ncats; i++) {
		if (s->cats[i] == c)
			return true;
	}
	return false;
}

errno_t loc_registry_add_to_cat(
    loc_registry_t *r, loc_id_t svc, category_id_t cat, void *owner)
{
	loc_service_t *s = loc_registry_service_find(r, svc);
	loc_category_t *c = loc_registry_category_find(r, cat);
	if (s == NULL || c == NULL)
		return ENOENT;
	if (s->owner != owner)
		return EPERM;
	if (svc_in_cat(s, c))
		return EEXIST;
	if (s->ncats >= LOC_SERVICE_CATS_MAX)
		return ELIMIT;
	s->cats[s->ncats++] = c;
	r->cat_changes++;
	return EOK;
}

/*
 * Listings and probes.
 */

/** Stores @a id at position *@a total of @a ids if it fits; counts it. */
static void id_put(loc_id_t *ids, size_t max, size_t *total, loc_id_t id)
{
	if (*total < max)
		ids[*total] = id;
	(*total)++;
}

size_t loc_registry_services(loc_registry_t *r, loc_id_t *ids, size_t max)
{
	size_t total = 0;
	list_foreach (r->services, link, loc_service_t, s)
		id_put(ids, max, &total, s->id);
	return total;
}

size_t loc_registry_namespaces(loc_registry_t *r, loc_id_t *ids, size_t max)
{
	size_t total = 0;
	list_foreach (r->namespaces, link, loc_namespace_t, ns)
		id_put(ids, max, &total, ns->id);
	return total;
}

errno_t loc_registry_cat_services(
    loc_registry_t *r, category_id_t cat, loc_id_t *ids, size_t max, size_t *total)
{
	loc_category_t *c = loc_registry_category_find(r, cat);
	if (c == NULL)
		return ENOENT;
	*total = 0;
	list_foreach (r->services, link, loc_service_t, s) {
		if (svc_in_cat(s, c))
			id_put(ids, max, total, s->id);
	}
	return EOK;
}

errno_t loc_registry_ns_services(
    loc_registry_t *r, loc_id_t ns, loc_id_t *ids, size_t max, size_t *total)
{
	loc_namespace_t *n = loc_registry_ns_find(r, ns);
	if (n == NULL)
		return ENOENT;
	*total = 0;
	list_foreach (r->services, link, loc_service_t, s) {
		if (s->ns == n)
			id_put(ids, max, total, s->id);
	}
	return EOK;
}

loc_object_type_t loc_registry_probe(loc_registry_t *r, loc_id_t id)
{
	if (loc_registry_service_find(r, id) != NULL)
		return LOC_OBJECT_SERVICE;
	if (loc_registry_ns_find(r, id) != NULL)
		return LOC_OBJECT_NAMESPACE;
	return LOC_OBJECT_NONE;
}

void loc_registry_fini(loc_registry_t *r)
{
	link_t *l;
	while ((l = list_first(&r->services)) != NULL)
		svc_remove(r, list_get_instance(l, loc_service_t, link));
	while ((l = list_first(&r->categories)) != NULL) {
		loc_category_t *c = list_get_instance(l, loc_category_t, link);
		list_remove(l);
		free(c->name);
		free(c);
	}
	r->ncategories = 0;
}
