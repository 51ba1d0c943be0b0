/*
 * The FS_* calls (abi/vfs.h) over tmpfs's instances (mounts).
 *
 * Each handler first takes the data transfers that belong to its call
 * (paths, options, the read to answer) without the lock, then works on the
 * instance under `tmpfs_lock`, then answers; a write takes its data under
 * the lock, once it knows where it goes (straight into new chunks when it
 * covers whole ones; finalizing is an answer, no wait). The lock guards
 * the instance list and every file system in it; nothing waits while
 * holding it. A call naming an instance or node that does not exist gets
 * ENOENT.
 */
#include "archive.h"
#include "options.h"
#include "server.h"
#include "tmpfs.h"
#include <fsrv.h>
#include <fibril_synch.h>
#include <as.h>
#include <module.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
	link_t link; /* instances */
	sysarg_t id;
	tmpfs_fs_t *fs;
} tmpfs_inst_t;

static FIBRIL_MUTEX_INITIALIZE(tmpfs_lock);
static list_t instances = LIST_INITIALIZER(instances); /* tmpfs_inst_t */

/** The instance numbered @a id, or NULL; the lock is held. */
static tmpfs_inst_t *inst_find(sysarg_t id)
{
	list_foreach (instances, link, tmpfs_inst_t, inst) {
		if (inst->id == id)
			return inst;
	}
	return NULL;
}

static tmpfs_fs_t *fs_find(sysarg_t id)
{
	tmpfs_inst_t *inst = inst_find(id);
	return inst != NULL ? inst->fs : NULL;
}

/** The node (args[0] instance, args[1] index) of @a call; the lock is held. */
static errno_t node_get(ipc_call_t *call, tmpfs_fs_t **fs, tmpfs_node_t **node)
{
	*fs = fs_find(call->args[0]);
	*node = *fs != NULL ? tmpfs_node_find(*fs, call->args[1]) : NULL;
	return *node != NULL ? EOK : ENOENT;
}

/*
 * Mounting.
 */

/** The wall clock in nanoseconds since 1970 for the nodes' times; 0 (1970)
 *  when there is none (the RTC gave no valid date at boot). */
static uint64_t tmpfs_now(void)
{
	int64_t ns;
	return clock_realtime_ns(&ns) == EOK && ns > 0 ? (uint64_t) ns : 0;
}

/** Gives back a taken module's area (a file system's backing). */
static void module_area_free(void *base)
{
	DISCARD(ours_at_that_base, as_area_destroy((uintptr_t) base));
}

/** Module @a name as @a fs's backing: mapped read-only for good when it
 *  can be (its files' pages may then be shared, FS_SHARE_FILE), else with
 *  @a take taken over (its frames become an area of ours), else read into
 *  the heap. */
static errno_t backing_get(tmpfs_fs_t *fs, const char *name, bool take, size_t *size)
{
	void *data;
	errno_t rc = module_map(name, &data, size);
	if (rc == EOK) {
		tmpfs_fs_backing_set(fs, data, module_area_free);
		fs->backing_shareable = true;
		return EOK;
	}
	if (rc != ENOTSUP && rc != ENOEXEC)
		return rc;
	rc = take ? module_take(name, &data, size)
		  : module_load(name, (char **) &data, size);
	if (rc == EOK)
		tmpfs_fs_backing_set(fs, data, take ? module_area_free : free);
	return rc;
}

/**
 * Fills @a fs from the archive in boot module @a name, in place: the
 * archive becomes @a fs's backing (backing_get) and its files borrow their
 * data from it (kept once, not copied; a file is copied only when it
 * changes).
 */
static errno_t fill_from_module(tmpfs_fs_t *fs, const char *name, bool take)
{
	size_t size;
	errno_t rc = backing_get(fs, name, take, &size);
	return rc == EOK ? tmpfs_archive_fill_in_place(fs, fs->backing, size) : rc;
}

/** A file system for @a opts, filled from its archive if it names one. */
static errno_t fs_build(const tmpfs_options_t *opts, tmpfs_fs_t **out)
{
	tmpfs_fs_t *fs = NULL;
	errno_t rc = tmpfs_fs_create(opts->size_limit, tmpfs_now, &fs);
	if (rc != EOK || opts->archive[0] == '\0') {
		*out = fs;
		return rc;
	}
	rc = fill_from_module(fs, opts->archive, opts->take);
	if (rc != EOK) {
		printf("tmpfs: cannot fill from module %s: %s\n", opts->archive,
		    strerror(rc));
		tmpfs_fs_destroy(fs);
		return rc;
	}
	*out = fs;
	return EOK;
}

/** Adds @a inst to the instances unless its number is taken. */
static errno_t inst_add(tmpfs_inst_t *inst)
{
	fibril_mutex_lock(&tmpfs_lock);
	errno_t rc = inst_find(inst->id) != NULL ? EEXIST : EOK;
	if (rc == EOK)
		list_append(&inst->link, &instances);
	fibril_mutex_unlock(&tmpfs_lock);
	return rc;
}

/** Makes instance @a id with the options @a text; its root's index in
 *  *@a root. */
static errno_t mount_make(sysarg_t id, const char *text, uint64_t *root)
{
	tmpfs_options_t opts;
	errno_t rc = tmpfs_options_parse(text, &opts);
	if (rc != EOK)
		return rc;
	tmpfs_inst_t *inst = malloc(sizeof(*inst));
	if (inst == NULL)
		return ENOMEM;
	inst->id = id;
	rc = fs_build(&opts, &inst->fs);
	if (rc == EOK) {
		*root = inst->fs->root->index;
		rc = inst_add(inst);
		if (rc != EOK)
			tmpfs_fs_destroy(inst->fs);
	}
	if (rc != EOK)
		free(inst);
	return rc;
}

static void op_mounted(ipc_call_t *call)
{
	char *text;
	errno_t rc = async_data_write_accept(
	    (void **) &text, true, 0, VFS_OPTS_MAX, 0, NULL);
	uint64_t root = 0;
	if (rc == EOK) {
		rc = mount_make(call->args[0], text, &root);
		free(text);
	}
	fsrv_answer(call, rc, root, 0, 0);
}

static void op_unmounted(ipc_call_t *call)
{
	fibril_mutex_lock(&tmpfs_lock);
	tmpfs_inst_t *inst = inst_find(call->args[0]);
	if (inst != NULL)
		list_remove(&inst->link);
	fibril_mutex_unlock(&tmpfs_lock);
	if (inst != NULL) {
		tmpfs_fs_destroy(inst->fs);
		free(inst);
	}
	fsrv_answer(call, inst != NULL ? EOK : ENOENT, 0, 0, 0);
}

/*
 * Calls with a path.
 */

static void op_lookup(ipc_call_t *call)
{
	char *path;
	errno_t rc = fsrv_path_receive(&path);
	if (rc != EOK) {
		fsrv_answer(call, rc, 0, 0, 0);
		return;
	}
	sysarg_t index = 0, size = 0, type = 0;
	fibril_mutex_lock(&tmpfs_lock);
	tmpfs_fs_t *fs = fs_find(call->args[0]);
	tmpfs_node_t *node;
	rc = fs != NULL ? tmpfs_lookup(fs, path, (unsigned) call->args[1], &node)
			: ENOENT;
	if (rc == EOK) {
		index = node->index;
		size = tmpfs_node_size(node);
		type = node->type;
	}
	fibril_mutex_unlock(&tmpfs_lock);
	free(path);
	fsrv_answer(call, rc, index, size, type);
}

static void op_unlink(ipc_call_t *call)
{
	char *path;
	errno_t rc = fsrv_path_receive(&path);
	if (rc != EOK) {
		fsrv_answer(call, rc, 0, 0, 0);
		return;
	}
	fibril_mutex_lock(&tmpfs_lock);
	tmpfs_fs_t *fs = fs_find(call->args[0]);
	rc = fs != NULL ? tmpfs_unlink(fs, path, (unsigned) call->args[1]) : ENOENT;
	fibril_mutex_unlock(&tmpfs_lock);
	free(path);
	fsrv_answer(call, rc, 0, 0, 0);
}

static void op_rename(ipc_call_t *call)
{
	/* Both writes are taken even if the first is refused: they belong to
	 * this call. */
	char *old_path = NULL, *new_path = NULL;
	errno_t rc = fsrv_path_receive(&old_path);
	errno_t rc2 = fsrv_path_receive(&new_path);
	if (rc == EOK)
		rc = rc2;
	if (rc == EOK) {
		fibril_mutex_lock(&tmpfs_lock);
		tmpfs_fs_t *fs = fs_find(call->args[0]);
		rc = fs != NULL ? tmpfs_rename(fs, old_path, new_path) : ENOENT;
		fibril_mutex_unlock(&tmpfs_lock);
	}
	free(old_path);
	free(new_path);
	fsrv_answer(call, rc, 0, 0, 0);
}

/*
 * Calls on a node.
 */

/** Writes whole chunks (tmpfs_file_run_fits): the data write @a wcall of
 *  @a len bytes goes straight into a run of new chunks that then replace
 *  the file's (one copy, the kernel's). True if it was taken so (answered,
 *  its result in *@a rc); false leaves @a wcall to the buffered path. The
 *  lock is held (the finalize is an answer: nothing waits). */
static bool write_run(tmpfs_fs_t *fs, tmpfs_node_t *node, uint64_t pos, ipc_call_t *wcall,
    size_t len, errno_t *rc)
{
	if (!tmpfs_file_run_fits(fs, node, pos, len))
		return false;
	uint8_t *run = tmpfs_chunk_run_alloc(len / TMPFS_CHUNK_SIZE);
	if (run == NULL)
		return false;
	*rc = async_data_write_finalize(wcall, run, len);
	if (*rc == EOK) {
		tmpfs_file_run_adopt(fs, node, pos, run, len);
		return true;
	}
	for (size_t off = 0; off < len; off += TMPFS_CHUNK_SIZE)
		tmpfs_chunk_free(run + off);
	return true;
}

/** The buffered path: the data into fsrv's write buffer, then copied into
 *  the file's chunks. The lock is held. */
static errno_t write_buffered(tmpfs_fs_t *fs, tmpfs_node_t *node, uint64_t pos,
    ipc_call_t *wcall, size_t len, size_t *done)
{
	void *data;
	errno_t rc = fsrv_write_take(wcall, len, &data);
	if (rc != EOK)
		return rc;
	rc = tmpfs_file_write(fs, node, pos, data, len, done);
	fsrv_write_release(data);
	return rc;
}

static void op_write(ipc_call_t *call)
{
	ipc_call_t wcall;
	size_t len;
	if (!async_data_write_receive(&wcall, &len)) {
		DISCARD(answer, async_answer_0(&wcall, EINVAL));
		fsrv_answer(call, EINVAL, 0, 0, 0);
		return;
	}
	size_t done = 0;
	uint64_t size = 0;
	fibril_mutex_lock(&tmpfs_lock);
	tmpfs_fs_t *fs;
	tmpfs_node_t *node;
	errno_t rc = node_get(call, &fs, &node);
	if (rc != EOK)
		DISCARD(answer, async_answer_0(&wcall, rc));
	else if (write_run(fs, node, call->args[2], &wcall, len, &rc))
		done = rc == EOK ? len : 0;
	else
		rc = write_buffered(fs, node, call->args[2], &wcall, len, &done);
	if (rc == EOK)
		size = node->size;
	fibril_mutex_unlock(&tmpfs_lock);
	fsrv_answer(call, rc, done, size, 0);
}

/** One step of a call on a node; the lock is held. */
typedef errno_t (*node_fn_t)(tmpfs_fs_t *fs, tmpfs_node_t *node, ipc_call_t *call);

/** Runs @a fn on the node @a call names and answers with its result. */
static void node_call(ipc_call_t *call, node_fn_t fn)
{
	fibril_mutex_lock(&tmpfs_lock);
	tmpfs_fs_t *fs;
	tmpfs_node_t *node;
	errno_t rc = node_get(call, &fs, &node);
	if (rc == EOK)
		rc = fn(fs, node, call);
	fibril_mutex_unlock(&tmpfs_lock);
	fsrv_answer(call, rc, 0, 0, 0);
}

static errno_t node_open(tmpfs_fs_t *fs, tmpfs_node_t *node, ipc_call_t *call)
{
	return tmpfs_node_open(node);
}

static errno_t node_close(tmpfs_fs_t *fs, tmpfs_node_t *node, ipc_call_t *call)
{
	if (node->opens == 0)
		return EINVAL; /* not open */
	tmpfs_node_close(fs, node);
	return EOK;
}

static errno_t node_truncate(tmpfs_fs_t *fs, tmpfs_node_t *node, ipc_call_t *call)
{
	return tmpfs_file_truncate(fs, node, call->args[2]);
}

static errno_t node_sync(tmpfs_fs_t *fs, tmpfs_node_t *node, ipc_call_t *call)
{
	return EOK; /* nothing is stored anywhere else */
}

static void op_open_node(ipc_call_t *call)
{
	node_call(call, node_open);
}

static void op_close_node(ipc_call_t *call)
{
	node_call(call, node_close);
}

static void op_truncate(ipc_call_t *call)
{
	node_call(call, node_truncate);
}

static void op_sync(ipc_call_t *call)
{
	node_call(call, node_sync);
}

/** FS_SHARE_FILE: the client's share-in that follows @a call answered with
 *  the file's pages in the archive (tmpfs_file_pages), read-only; the
 *  call with the file's size. The pages never change, so nothing is held
 *  once answered. */
static void op_share_file(ipc_call_t *call)
{
	ipc_call_t scall;
	size_t size;
	if (!async_share_in_receive(&scall, &size, NULL)) {
		DISCARD(answer, async_answer_0(&scall, EINVAL));
		fsrv_answer(call, EINVAL, 0, 0, 0);
		return;
	}
	fibril_mutex_lock(&tmpfs_lock);
	tmpfs_fs_t *fs;
	tmpfs_node_t *node;
	const void *pages = NULL;
	errno_t rc = node_get(call, &fs, &node);
	if (rc == EOK)
		rc = tmpfs_file_pages(fs, node, size, &pages);
	uint64_t file_size = rc == EOK ? node->size : 0;
	fibril_mutex_unlock(&tmpfs_lock);
	if (rc == EOK)
		rc = async_share_in_finalize_flags(
		    &scall, (void *) pages, AS_AREA_READ | AS_AREA_CACHEABLE);
	else
		DISCARD(answer, async_answer_0(&scall, rc));
	fsrv_answer(call, rc, file_size, 0, 0);
}

/*
 * Calls answered with a data read.
 */

static errno_t fill_read(
    ipc_call_t *call, void *buf, size_t size, size_t *len, sysarg_t *result)
{
	tmpfs_fs_t *fs;
	tmpfs_node_t *node;
	errno_t rc = node_get(call, &fs, &node);
	if (rc == EOK)
		rc = tmpfs_file_read(node, call->args[2], buf, size, len);
	*result = *len;
	return rc;
}

static errno_t fill_stat(
    ipc_call_t *call, void *buf, size_t size, size_t *len, sysarg_t *result)
{
	tmpfs_fs_t *fs;
	tmpfs_node_t *node;
	errno_t rc = node_get(call, &fs, &node);
	if (rc != EOK)
		return rc;
	vfs_stat_t st;
	tmpfs_node_stat(node, &st);
	*len = fsrv_copy_out(buf, size, &st, sizeof(st));
	return EOK;
}

static errno_t fill_readdir(
    ipc_call_t *call, void *buf, size_t size, size_t *len, sysarg_t *result)
{
	tmpfs_fs_t *fs;
	tmpfs_node_t *node;
	errno_t rc = node_get(call, &fs, &node);
	const char *name;
	if (rc == EOK)
		rc = tmpfs_dir_entry(node, call->args[2], &name);
	if (rc != EOK)
		return rc;
	*len = fsrv_copy_out(buf, size, name, strlen(name) + 1);
	*result = call->args[2] + 1;
	return EOK;
}

static errno_t fill_statfs(
    ipc_call_t *call, void *buf, size_t size, size_t *len, sysarg_t *result)
{
	tmpfs_fs_t *fs = fs_find(call->args[0]);
	if (fs == NULL)
		return ENOENT;
	vfs_statfs_t st;
	tmpfs_fs_statfs(fs, &st);
	*len = fsrv_copy_out(buf, size, &st, sizeof(st));
	return EOK;
}

/*
 * Dispatch.
 */

/* Answered with a data read, filled under tmpfs_lock. */
static const fsrv_fills_t fills = {
    FSRV_OP(FS_READ) = fill_read,
    FSRV_OP(FS_STAT) = fill_stat,
    FSRV_OP(FS_READDIR) = fill_readdir,
    FSRV_OP(FS_STATFS) = fill_statfs,
};

static const fsrv_ops_t ops = {
    FSRV_OP(FS_MOUNTED) = op_mounted,
    FSRV_OP(FS_UNMOUNTED) = op_unmounted,
    FSRV_OP(FS_LOOKUP) = op_lookup,
    FSRV_OP(FS_OPEN_NODE) = op_open_node,
    FSRV_OP(FS_CLOSE_NODE) = op_close_node,
    FSRV_OP(FS_WRITE) = op_write,
    FSRV_OP(FS_TRUNCATE) = op_truncate,
    FSRV_OP(FS_UNLINK) = op_unlink,
    FSRV_OP(FS_RENAME) = op_rename,
    FSRV_OP(FS_SYNC) = op_sync,
    FSRV_OP(FS_SHARE_FILE) = op_share_file,
};

/*
 * Direct reads (fsrv.h): the open of a granted node, held by a client's
 * connection.
 */

static errno_t direct_open(sysarg_t inst, uint64_t index)
{
	tmpfs_fs_t *fs = fs_find(inst);
	tmpfs_node_t *node = fs != NULL ? tmpfs_node_find(fs, index) : NULL;
	if (node == NULL)
		return ENOENT;
	if (node->type != VFS_NODE_FILE)
		return EISDIR;
	return tmpfs_node_open(node);
}

/** The node may be gone with its instance (unmounted): nothing to do. */
static void direct_close(sysarg_t inst, uint64_t index)
{
	tmpfs_fs_t *fs = fs_find(inst);
	tmpfs_node_t *node = fs != NULL ? tmpfs_node_find(fs, index) : NULL;
	if (node != NULL)
		tmpfs_node_close(fs, node);
}

const fsrv_direct_t tmpfs_direct = {direct_open, direct_close, fill_read, &tmpfs_lock};

void tmpfs_call_handle(ipc_call_t *call)
{
	fsrv_dispatch_fills(ops, fills, &tmpfs_lock, call);
}
