/*
 * The FS_* calls (abi/vfs.h) of pipefs. Each handler takes the data
 * transfers of its call (paths; the read or write to answer), works under
 * pipefs_lock, and answers. Reads and writes answer their data transfer
 * straight from or into the ring: at most the contiguous part, so a read
 * or write may be short. Only pipes are made: mkdir and rename get ENOTSUP.
 */
#include "pipefs.h"
#include <fsrv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Takes a path written after a call and drops it. */
static errno_t path_skip(void)
{
	char *path;
	errno_t rc = fsrv_path_receive(&path);
	if (rc == EOK)
		free(path);
	return rc;
}

static void op_mounted(ipc_call_t *call)
{
	errno_t rc = path_skip(); /* the options: pipefs takes none */
	fsrv_answer(call, rc, PIPEFS_ROOT, 0, 0);
}

static void op_unmounted(ipc_call_t *call)
{
	fibril_mutex_lock(&pipefs_lock);
	pipefs_inst_drop(call->args[0]);
	fibril_mutex_unlock(&pipefs_lock);
	fsrv_answer(call, EOK, 0, 0, 0);
}

/** The lookup of the root directory with @a lflags. */
static errno_t lookup_root(unsigned lflags)
{
	if ((lflags & (L_CREATE | L_EXCL)) == (L_CREATE | L_EXCL))
		return EEXIST;
	return (lflags & L_FILE) != 0 ? EISDIR : EOK;
}

/** The lookup of pipe @a name of @a inst with @a lflags; lock held. */
static errno_t lookup_pipe(
    sysarg_t inst, const char *name, unsigned lflags, pipefs_node_t **node)
{
	if (strchr(name, '/') != NULL)
		return ENOENT; /* the root has no directories */
	*node = pipefs_node_lookup(inst, name);
	if (*node == NULL && (lflags & L_CREATE) == 0)
		return ENOENT;
	if (*node == NULL)
		return (lflags & L_DIRECTORY) != 0 ? ENOTSUP
						   : pipefs_node_create(inst, name, node);
	if ((lflags & (L_CREATE | L_EXCL)) == (L_CREATE | L_EXCL))
		return EEXIST;
	return (lflags & L_DIRECTORY) != 0 ? ENOTDIR : EOK;
}

static void op_lookup(ipc_call_t *call)
{
	char *path;
	errno_t rc = fsrv_path_receive(&path);
	if (rc != EOK) {
		fsrv_answer(call, rc, 0, 0, 0);
		return;
	}
	unsigned lflags = (unsigned) call->args[1];
	if (*path == '\0') {
		rc = lookup_root(lflags);
		fsrv_answer(call, rc, rc == EOK ? PIPEFS_ROOT : 0, 0, VFS_NODE_DIR);
		free(path);
		return;
	}
	fibril_mutex_lock(&pipefs_lock);
	pipefs_node_t *node = NULL;
	rc = lookup_pipe(call->args[0], path, lflags, &node);
	sysarg_t index = rc == EOK ? node->index : 0;
	sysarg_t size = rc == EOK ? node->used : 0;
	fibril_mutex_unlock(&pipefs_lock);
	free(path);
	fsrv_answer(call, rc, index, size, VFS_NODE_FILE);
}

/** FS_OPEN_NODE and FS_CLOSE_NODE: (inst, index, mode). */
static void op_open_close(ipc_call_t *call)
{
	if (call->args[1] == PIPEFS_ROOT) {
		fsrv_answer(call, EOK, 0, 0, 0);
		return;
	}
	unsigned mode = (unsigned) call->args[2] & O_ACCMODE;
	fibril_mutex_lock(&pipefs_lock);
	pipefs_node_t *node = pipefs_node_find(call->args[0], call->args[1]);
	if (node != NULL && call->imethod == FS_OPEN_NODE)
		pipefs_node_open(node, mode);
	else if (node != NULL)
		pipefs_node_close(node, mode);
	fibril_mutex_unlock(&pipefs_lock);
	fsrv_answer(call, node != NULL ? EOK : ENOENT, 0, 0, 0);
}

/** The pipe @a call names, or an error (EISDIR for the root); lock held. */
static errno_t node_of_call(ipc_call_t *call, pipefs_node_t **node)
{
	if (call->args[1] == PIPEFS_ROOT)
		return EISDIR;
	*node = pipefs_node_find(call->args[0], call->args[1]);
	return *node != NULL ? EOK : ENOENT;
}

/** Moves up to @a max bytes out of @a node's ring into the data read
 *  @a dcall; lock held. How many in *@a moved. */
static errno_t ring_read(
    pipefs_node_t *node, ipc_call_t *dcall, size_t max, size_t *moved)
{
	size_t n = node->used;
	if (n > PIPEFS_RING_SIZE - node->head)
		n = PIPEFS_RING_SIZE - node->head;
	if (n > max)
		n = max;
	errno_t rc = async_data_read_finalize(dcall, node->ring + node->head, n);
	if (rc != EOK)
		return rc;
	node->head = (node->head + n) % PIPEFS_RING_SIZE;
	node->used -= n;
	*moved = n;
	fibril_condvar_broadcast(&node->changed); /* room for writers */
	return EOK;
}

/** Moves up to @a max bytes of the data write @a dcall into @a node's
 *  ring; lock held. How many in *@a moved. */
static errno_t ring_write(
    pipefs_node_t *node, ipc_call_t *dcall, size_t max, size_t *moved)
{
	size_t tail = (node->head + node->used) % PIPEFS_RING_SIZE;
	size_t n = PIPEFS_RING_SIZE - node->used;
	if (n > PIPEFS_RING_SIZE - tail)
		n = PIPEFS_RING_SIZE - tail;
	if (n > max)
		n = max;
	errno_t rc = async_data_write_finalize(dcall, node->ring + tail, n);
	if (rc != EOK)
		return rc;
	node->used += n;
	*moved = n;
	fibril_condvar_broadcast(&node->changed); /* data for readers */
	return EOK;
}

/* Readers wait while the ring is empty and a writer is left (none left:
 * the end of the file, a read of 0 bytes); writers wait while it is full
 * and a reader is left (none left: EIO, nobody will ever read it). */
static bool read_waits(const pipefs_node_t *node)
{
	return node->used == 0 && node->writers > 0;
}

static errno_t read_ready(const pipefs_node_t *node)
{
	return EOK;
}

static bool write_waits(const pipefs_node_t *node)
{
	return node->used == PIPEFS_RING_SIZE && node->readers > 0;
}

static errno_t write_ready(const pipefs_node_t *node)
{
	return node->readers == 0 ? EIO : EOK;
}

/** One direction of a pipe: what a read or a write does differently. */
typedef struct {
	/** Takes the data read (write) that follows the call. */
	bool (*receive)(ipc_call_t *dcall, size_t *max);
	/** Whether the transfer must wait for the other side; lock held. */
	bool (*waits)(const pipefs_node_t *node);
	/** Whether it can go ahead once it need not wait; lock held. */
	errno_t (*ready)(const pipefs_node_t *node);
	/** Moves the bytes and answers the data call; lock held. */
	errno_t (*move)(
	    pipefs_node_t *node, ipc_call_t *dcall, size_t max, size_t *moved);
	/** Whether the answer carries the bytes now in the ring (writes). */
	bool answers_used;
} pipe_dir_t;

static const pipe_dir_t pipe_reading = {
    async_data_read_receive, read_waits, read_ready, ring_read, false};
static const pipe_dir_t pipe_writing = {
    async_data_write_receive, write_waits, write_ready, ring_write, true};

/** Waits as @a dir says, then moves the data of @a dcall and answers it;
 *  lock held. The node in *@a nodep on success. */
static errno_t pipe_transfer(const pipe_dir_t *dir, ipc_call_t *call, ipc_call_t *dcall,
    size_t max, size_t *moved, pipefs_node_t **nodep)
{
	errno_t rc = node_of_call(call, nodep);
	while (rc == EOK && dir->waits(*nodep))
		fibril_condvar_wait(&(*nodep)->changed, &pipefs_lock);
	if (rc == EOK)
		rc = dir->ready(*nodep);
	if (rc != EOK) {
		fsrv_answer(dcall, rc, 0, 0, 0);
		return rc;
	}
	return dir->move(*nodep, dcall, max, moved);
}

/** VFS_OUT_READ or VFS_OUT_WRITE, with its data call: answered (moved
 *  bytes, and for a write the bytes now in the ring). */
static void op_transfer(const pipe_dir_t *dir, ipc_call_t *call)
{
	ipc_call_t dcall;
	size_t max;
	if (!dir->receive(&dcall, &max)) {
		fsrv_answer(&dcall, EINVAL, 0, 0, 0);
		fsrv_answer(call, EINVAL, 0, 0, 0);
		return;
	}
	size_t moved = 0;
	pipefs_node_t *node = NULL;
	fibril_mutex_lock(&pipefs_lock);
	errno_t rc = pipe_transfer(dir, call, &dcall, max, &moved, &node);
	sysarg_t used = rc == EOK && dir->answers_used ? node->used : 0;
	fibril_mutex_unlock(&pipefs_lock);
	fsrv_answer(call, rc, moved, used, 0);
}

static void op_read(ipc_call_t *call)
{
	op_transfer(&pipe_reading, call);
}

static void op_write(ipc_call_t *call)
{
	op_transfer(&pipe_writing, call);
}

/** The stat of the node @a call names; lock held. */
static errno_t node_stat(ipc_call_t *call, vfs_stat_t *st)
{
	st->index = call->args[1];
	if (call->args[1] == PIPEFS_ROOT) {
		st->type = VFS_NODE_DIR;
		st->size = pipefs_node_count(call->args[0]);
		st->links = 1;
		return EOK;
	}
	pipefs_node_t *node;
	errno_t rc = node_of_call(call, &node);
	if (rc != EOK)
		return rc;
	st->type = VFS_NODE_FILE;
	st->size = node->used;
	st->links = node->linked ? 1 : 0;
	return EOK;
}

static void op_stat(ipc_call_t *call)
{
	vfs_stat_t st = {0};
	fibril_mutex_lock(&pipefs_lock);
	errno_t rc = node_stat(call, &st);
	fibril_mutex_unlock(&pipefs_lock);
	fsrv_read_answer(call, rc, &st, sizeof(st), 0);
}

static void op_readdir(ipc_call_t *call)
{
	char name[VFS_NAME_MAX + 1] = "";
	errno_t rc = call->args[1] == PIPEFS_ROOT ? EOK : ENOTDIR;
	fibril_mutex_lock(&pipefs_lock);
	pipefs_node_t *node = rc == EOK ? pipefs_node_nth(call->args[0], call->args[2])
					: NULL;
	if (rc == EOK && node == NULL)
		rc = ENOENT; /* past the last */
	if (node != NULL)
		str_lcpy(name, node->name, sizeof(name));
	fibril_mutex_unlock(&pipefs_lock);
	fsrv_read_answer(call, rc, name, strlen(name) + 1, call->args[2] + 1);
}

/** The unlink of @a path in @a inst with VFS_UNLINK_* @a flags; lock held. */
static errno_t unlink_pipe(sysarg_t inst, const char *path, unsigned flags)
{
	pipefs_node_t *node = pipefs_node_lookup(inst, path);
	if (node == NULL)
		return ENOENT;
	if ((flags & VFS_UNLINK_DIR) != 0)
		return ENOTDIR;
	pipefs_node_unlink(node);
	return EOK;
}

static void op_unlink(ipc_call_t *call)
{
	char *path;
	errno_t rc = fsrv_path_receive(&path);
	if (rc == EOK) {
		fibril_mutex_lock(&pipefs_lock);
		rc = unlink_pipe(call->args[0], path, (unsigned) call->args[1]);
		fibril_mutex_unlock(&pipefs_lock);
		free(path);
	}
	fsrv_answer(call, rc, 0, 0, 0);
}

static void op_rename(ipc_call_t *call)
{
	errno_t rc = path_skip();
	errno_t rc2 = path_skip();
	fsrv_answer(call, rc != EOK ? rc : rc2 != EOK ? rc2 : ENOTSUP, 0, 0, 0);
}

/** FS_TRUNCATE: a pipe has nothing to cut (O_TRUNC is ignored). */
static void op_truncate(ipc_call_t *call)
{
	fsrv_answer(call, call->args[2] == 0 ? EOK : EINVAL, 0, 0, 0);
}

static void op_sync(ipc_call_t *call)
{
	fsrv_answer(call, EOK, 0, 0, 0);
}

static void op_statfs(ipc_call_t *call)
{
	vfs_statfs_t st = {0};
	str_lcpy(st.fs_type, "pipefs", sizeof(st.fs_type));
	st.block_size = 1;
	fibril_mutex_lock(&pipefs_lock);
	st.files = pipefs_node_count(call->args[0]);
	fibril_mutex_unlock(&pipefs_lock);
	fsrv_read_answer(call, EOK, &st, sizeof(st), 0);
}

static const fsrv_ops_t ops = {
    FSRV_OP(FS_MOUNTED) = op_mounted,
    FSRV_OP(FS_UNMOUNTED) = op_unmounted,
    FSRV_OP(FS_LOOKUP) = op_lookup,
    FSRV_OP(FS_OPEN_NODE) = op_open_close,
    FSRV_OP(FS_CLOSE_NODE) = op_open_close,
    FSRV_OP(FS_READ) = op_read,
    FSRV_OP(FS_WRITE) = op_write,
    FSRV_OP(FS_TRUNCATE) = op_truncate,
    FSRV_OP(FS_STAT) = op_stat,
    FSRV_OP(FS_READDIR) = op_readdir,
    FSRV_OP(FS_UNLINK) = op_unlink,
    FSRV_OP(FS_RENAME) = op_rename,
    FSRV_OP(FS_SYNC) = op_sync,
    FSRV_OP(FS_STATFS) = op_statfs,
};

void pipefs_call_handle(ipc_call_t *call)
{
	fsrv_dispatch(ops, call);
}
