/*
 * locfs: the location service's names as a file system (type "locfs").
 *
 *   locfs.c  main and the registration with the VFS
 *   ops.c    the VFS's FS_* calls (abi/vfs.h)
 *   node.c   nodes: numbering, lookups and listings, asked of locsrv
 *
 * The root lists the namespaces as directories and the services of the
 * namespace "" as files; a namespace's directory lists its services. Nothing
 * is kept: every lookup, listing and stat asks locsrv (as a consumer), so
 * the tree follows registrations as they happen. Node indices are stable:
 * LOCFS_ROOT for the root, a namespace's or service's id + LOCFS_ID_BASE
 * for the others (ids are never reused, so an index never names something
 * else later).
 */
#ifndef LOCFS_LOCFS_H
#define LOCFS_LOCFS_H

#include <abi/loc.h>
#include <abi/vfs.h>
#include <async.h>

#define LOCFS_ROOT    1
#define LOCFS_ID_BASE 1

typedef struct {
	uint64_t index;
	vfs_node_type_t type;
	loc_id_t id; /* a namespace's or service's; 0 for the root */
} locfs_node_t;

/** The node numbered @a index: ENOENT once it is gone. */
errno_t locfs_node_get(uint64_t index, locfs_node_t *node);
/** The node at @a path (relative to the root, "" is the root). */
errno_t locfs_node_lookup(const char *path, locfs_node_t *node);
/** The name of entry @a pos of directory @a dir into @a buf (LOC_NAME_MAX
 *  + 1 bytes): ENOENT past the last. */
errno_t locfs_dir_entry(const locfs_node_t *dir, uint64_t pos, char *buf);

/** Handles and answers one call of the VFS. */
void locfs_call_handle(ipc_call_t *call);

#endif
