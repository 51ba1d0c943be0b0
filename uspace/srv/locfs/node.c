/*
 * locfs's nodes, found by asking locsrv (locfs.h). A name that is both a
 * namespace and a service of the namespace "" finds the namespace.
 */
#include "locfs.h"
#include <loc.h>
#include <stdlib.h>
#include <string.h>

static void node_make(locfs_node_t *node, loc_id_t id, vfs_node_type_t type)
{
	node->id = id;
	node->type = type;
	node->index = id + LOCFS_ID_BASE;
}

errno_t locfs_node_get(uint64_t index, locfs_node_t *node)
{
	if (index == LOCFS_ROOT) {
		*node = (locfs_node_t){.index = LOCFS_ROOT, .type = VFS_NODE_DIR};
		return EOK;
	}
	if (index <= LOCFS_ID_BASE)
		return ENOENT;
	loc_object_type_t type;
	errno_t rc = loc_id_probe(index - LOCFS_ID_BASE, &type);
	if (rc != EOK)
		return rc;
	if (type == LOC_OBJECT_NONE)
		return ENOENT;
	node_make(node, index - LOCFS_ID_BASE,
	    type == LOC_OBJECT_NAMESPACE ? VFS_NODE_DIR : VFS_NODE_FILE);
	return EOK;
}

/** One component @a name in the root: a namespace, else a service. */
static errno_t lookup_top(const char *name, locfs_node_t *node)
{
	loc_id_t id;
	errno_t rc = loc_namespace_get_id(name, &id);
	if (rc == EOK) {
		node_make(node, id, VFS_NODE_DIR);
		return EOK;
	}
	rc = loc_service_get_id(name, &id, 0);
	if (rc == EOK)
		node_make(node, id, VFS_NODE_FILE);
	return rc == EINVAL ? ENOENT : rc;
}

errno_t locfs_node_lookup(const char *path, locfs_node_t *node)
{
	if (path[0] == '\0')
		return locfs_node_get(LOCFS_ROOT, node);
	const char *slash = strchr(path, '/');
	if (slash == NULL)
		return lookup_top(path, node);
	if (strchr(slash + 1, '/') != NULL)
		return ENOENT; /* nothing is deeper than NAMESPACE/SERVICE */
	loc_id_t id;
	errno_t rc = loc_service_get_id(path, &id, 0);
	if (rc == EOK)
		node_make(node, id, VFS_NODE_FILE);
	return rc == EINVAL ? ENOENT : rc;
}

/** A list of ids from @a list (up to LOC_SERVICES_MAX; free() it). */
static errno_t ids_get(errno_t (*list)(loc_id_t, loc_id_t *, size_t, size_t *),
    loc_id_t arg, loc_id_t **ids, size_t *count)
{
	*ids = malloc(LOC_SERVICES_MAX * sizeof(loc_id_t));
	if (*ids == NULL)
		return ENOMEM;
	errno_t rc = list(arg, *ids, LOC_SERVICES_MAX, count);
	if (rc == EOK && *count > LOC_SERVICES_MAX)
		*count = LOC_SERVICES_MAX;
	if (rc != EOK)
		free(*ids);
	return rc;
}

static errno_t all_namespaces(loc_id_t unused, loc_id_t *ids, size_t max, size_t *count)
{
	return loc_get_namespaces(ids, max, count);
}

/** Entry @a pos of the services of namespace @a ns: the name after the
 *  namespace into @a buf. */
static errno_t ns_entry(loc_id_t ns, uint64_t pos, char *buf)
{
	loc_id_t *ids;
	size_t count;
	errno_t rc = ids_get(loc_namespace_get_svcs, ns, &ids, &count);
	if (rc != EOK)
		return rc;
	char fqn[2 * LOC_NAME_MAX + 2];
	rc = pos < count ? loc_service_get_name(ids[pos], fqn, sizeof(fqn)) : ENOENT;
	free(ids);
	if (rc != EOK)
		return rc;
	const char *slash = strchr(fqn, '/');
	strcpy(buf, slash != NULL ? slash + 1 : fqn);
	return EOK;
}

/** Entry @a pos of the root: the non-empty namespaces, then the services of
 *  the namespace "". */
static errno_t root_entry(uint64_t pos, char *buf)
{
	loc_id_t *ids;
	size_t count;
	errno_t rc = ids_get(all_namespaces, 0, &ids, &count);
	if (rc != EOK)
		return rc;
	uint64_t seen = 0;
	for (size_t i = 0; i < count && rc == EOK; i++) {
		rc = loc_namespace_get_name(ids[i], buf, LOC_NAME_MAX + 1);
		if (rc == ENOENT) {
			rc = EOK; /* gone meanwhile */
			continue;
		}
		if (rc == EOK && buf[0] != '\0' && seen++ == pos) {
			free(ids);
			return EOK;
		}
	}
	free(ids);
	if (rc != EOK)
		return rc;
	loc_id_t plain;
	rc = loc_namespace_get_id("", &plain);
	return rc == EOK ? ns_entry(plain, pos - seen, buf) : rc;
}

errno_t locfs_dir_entry(const locfs_node_t *dir, uint64_t pos, char *buf)
{
	if (dir->type != VFS_NODE_DIR)
		return ENOTDIR;
	return dir->index == LOCFS_ROOT ? root_entry(pos, buf)
					: ns_entry(dir->id, pos, buf);
}
