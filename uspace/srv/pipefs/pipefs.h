/*
 * pipefs: pipes as a file system (type "pipefs"), for libc's pipe().
 *
 *   pipefs.c  main and the registration with the VFS
 *   ops.c     the VFS's FS_* calls (abi/vfs.h)
 *   node.c    the pipes: names, open counts and their rings
 *
 * The root directory of every mount holds its pipes; there are no other
 * directories. A pipe is made by FS_LOOKUP with L_CREATE and lives while
 * it has a name or an open file. It is a bounded ring of PIPEFS_RING_SIZE
 * bytes: a read waits while the ring is empty and a writer is left (none
 * left: 0 bytes, the end of the file); a write waits while the ring is full
 * and a reader is left (none left: EIO). Readers and writers are the open
 * files by their access mode (FS_OPEN_NODE's mode argument).
 *
 * Everything is guarded by pipefs_lock; the waits release it. The VFS
 * makes every concurrent call on a connection of its own, so a waiting
 * call holds up no other.
 */
#ifndef PIPEFS_PIPEFS_H
#define PIPEFS_PIPEFS_H

#include <abi/vfs.h>
#include <common/adt/list.h>
#include <fibril_synch.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PIPEFS_ROOT	 1
#define PIPEFS_RING_SIZE 4096

typedef struct {
	link_t link; /* in the node list while it lives */
	sysarg_t inst;
	uint64_t index;
	char name[VFS_NAME_MAX + 1];
	bool linked; /* the name is in the root directory */
	unsigned readers, writers, opens;
	size_t head;		  /* where the next read starts */
	size_t used;		  /* bytes in the ring */
	fibril_condvar_t changed; /* data, room, or a reader or writer gone */
	uint8_t ring[PIPEFS_RING_SIZE];
} pipefs_node_t;

extern fibril_mutex_t pipefs_lock;

/* node.c; pipefs_lock is held by the caller of each. */
/** The live node @a index of instance @a inst, or NULL. */
pipefs_node_t *pipefs_node_find(sysarg_t inst, uint64_t index);
/** The pipe named @a name in the root of @a inst, or NULL. */
pipefs_node_t *pipefs_node_lookup(sysarg_t inst, const char *name);
/** A new, empty pipe named @a name in @a inst; ENOMEM. */
errno_t pipefs_node_create(sysarg_t inst, const char *name, pipefs_node_t **node);
/** Counts an open file of access mode @a mode (O_ACCMODE bits). */
void pipefs_node_open(pipefs_node_t *node, unsigned mode);
/** Uncounts it; the node goes if it has no name and no open file left. */
void pipefs_node_close(pipefs_node_t *node, unsigned mode);
/** Takes the name away; the node goes if no file is open. */
void pipefs_node_unlink(pipefs_node_t *node);
/** The @a pos-th named pipe of @a inst, or NULL past the last. */
pipefs_node_t *pipefs_node_nth(sysarg_t inst, uint64_t pos);
/** How many named pipes @a inst has. */
uint64_t pipefs_node_count(sysarg_t inst);
/** Drops every node of @a inst (unmounted: nothing is open). */
void pipefs_inst_drop(sysarg_t inst);

/* ops.c */
/** Handles and answers one call of the VFS. */
void pipefs_call_handle(ipc_call_t *call);

#endif
