/*
 * fat: the FAT_* calls of the VFS (abi/vfs.h) over the mounted volumes.
 *
 * The volumes are fsrv_vol.h's. Each handler takes its call's data
 * transfers first, then works under `vols.lock`, which guards the volume
 * list and every volume (their block caches included); device I/O happens
 * with it held, so calls on FAT volumes run one at a time. Dirty blocks
 * go to the device on FS_SYNC, at unmount, when the cache evicts them and
 * every FLUSH_USEC from the flusher fibril.
 */
#include "fat.h"
#include "server.h"
#include <bd.h>
#include <fsrv.h>
#include <fsrv_vol.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CACHE_BLOCKS 2048 /* 1 MiB of 512-byte sectors per volume */
#define FLUSH_USEC   (5 * 1000 * 1000)
/* A mounted volume: its block cache and the volume over it. */
typedef struct {
	bcache_t *bc;
	fat_fs_t *fs;
} fat_vol_t;

static fsrv_vols_t vols;

/** The volume of mount instance @a id, NULL if none; vols.lock held. */
static fat_fs_t *fs_find(sysarg_t id)
{
	fat_vol_t *vol = fsrv_vol_find(&vols, id);
	return vol != NULL ? vol->fs : NULL;
}

/** The wall clock as FAT packs it; without one (the RTC gave no valid date
 *  at boot) FAT's first instant, 1980-01-01 00:00. */
static uint32_t fat_now(void)
{
	time_t now = time(NULL);
	return fat_time_pack(now != -1 ? now : 0);
}

static errno_t vol_mount(bd_t *bd, bool rdonly, void **out)
{
	fat_vol_t *vol = calloc(1, sizeof(*vol));
	if (vol == NULL)
		return ENOMEM;
	vol->bc = bcache_create(
	    &bd_cache_ops, bd, bd->block_size, bd->block_count, CACHE_BLOCKS);
	errno_t rc = vol->bc != NULL ? EOK : ENOMEM;
	if (rc == EOK)
		rc = fat_mount(
		    vol->bc, bd->block_size, bd->block_count, rdonly, fat_now, &vol->fs);
	if (rc != EOK) {
		bcache_destroy(vol->bc);
		free(vol);
		return rc;
	}
	*out = vol;
	return EOK;
}

static errno_t vol_unmount(void *arg)
{
	fat_vol_t *vol = arg;
	errno_t rc = fat_unmount(vol->fs);
	bcache_destroy(vol->bc);
	free(vol);
	return rc;
}

static errno_t vol_sync(void *arg)
{
	return fat_sync(((fat_vol_t *) arg)->fs);
}

static const char *mount_error(errno_t rc)
{
	return rc == EINVAL ? "not a FAT volume" : strerror(rc);
}

static const fsrv_vol_ops_t vol_ops = {.name = "fat",
    .mount = vol_mount,
    .unmount = vol_unmount,
    .sync = vol_sync,
    .mount_error = mount_error};

static void op_mounted(ipc_call_t *call)
{
	fsrv_vols_mounted(&vols, call, FAT_ROOT_INDEX);
}

static void op_unmounted(ipc_call_t *call)
{
	fsrv_vols_unmounted(&vols, call);
}

static void op_lookup(ipc_call_t *call)
{
	char *path;
	errno_t rc = fsrv_path_receive(&path);
	sysarg_t index = 0, size = 0, type = 0;
	if (rc == EOK) {
		fibril_mutex_lock(&vols.lock);
		fat_fs_t *fs = fs_find(call->args[0]);
		fat_node_t *node;
		rc = fs != NULL ? fat_lookup(fs, path, (unsigned) call->args[1], &node)
				: ENOENT;
		if (rc == EOK) {
			index = node->index;
			size = node->size;
			type = node->is_dir ? VFS_NODE_DIR : VFS_NODE_FILE;
		}
		fibril_mutex_unlock(&vols.lock);
		free(path);
	}
	fsrv_answer(call, rc, index, size, type);
}

static void op_unlink(ipc_call_t *call)
{
	char *path;
	errno_t rc = fsrv_path_receive(&path);
	if (rc == EOK) {
		fibril_mutex_lock(&vols.lock);
		fat_fs_t *fs = fs_find(call->args[0]);
		rc = fs != NULL ? fat_unlink(fs, path, (unsigned) call->args[1]) : ENOENT;
		fibril_mutex_unlock(&vols.lock);
		free(path);
	}
	fsrv_answer(call, rc, 0, 0, 0);
}

static void op_rename(ipc_call_t *call)
{
	/* Both writes belong to this call: both are taken. */
	char *from = NULL, *to = NULL;
	errno_t rc = fsrv_path_receive(&from);
	errno_t rc2 = fsrv_path_receive(&to);
	if (rc == EOK)
		rc = rc2;
	if (rc == EOK) {
		fibril_mutex_lock(&vols.lock);
		fat_fs_t *fs = fs_find(call->args[0]);
		rc = fs != NULL ? fat_rename(fs, from, to) : ENOENT;
		fibril_mutex_unlock(&vols.lock);
	}
	free(from);
	free(to);
	fsrv_answer(call, rc, 0, 0, 0);
}

/** The volume and node (args[0], args[1]) of @a call; vols.lock held. */
static errno_t node_get(ipc_call_t *call, fat_fs_t **fs, fat_node_t **node)
{
	*fs = fs_find(call->args[0]);
	*node = *fs != NULL ? fat_node_find(*fs, call->args[1]) : NULL;
	return *node != NULL ? EOK : ENOENT;
}

static void op_write(ipc_call_t *call)
{
	void *data;
	size_t len;
	errno_t rc = fsrv_write_receive(&data, &len);
	size_t done = 0;
	uint64_t size = 0;
	if (rc == EOK) {
		fibril_mutex_lock(&vols.lock);
		fat_fs_t *fs;
		fat_node_t *node;
		rc = node_get(call, &fs, &node);
		if (rc == EOK)
			rc = fat_file_write(fs, node, call->args[2], data, len, &done);
		if (rc == EOK)
			size = node->size;
		fibril_mutex_unlock(&vols.lock);
		fsrv_write_release(data);
	}
	fsrv_answer(call, rc, done, size, 0);
}

/* A call on one node; vols.lock held. */
typedef errno_t (*node_op_t)(fat_fs_t *fs, fat_node_t *node, ipc_call_t *call);

static void node_call(ipc_call_t *call, node_op_t op)
{
	fibril_mutex_lock(&vols.lock);
	fat_fs_t *fs;
	fat_node_t *node;
	errno_t rc = node_get(call, &fs, &node);
	if (rc == EOK)
		rc = op(fs, node, call);
	fibril_mutex_unlock(&vols.lock);
	fsrv_answer(call, rc, 0, 0, 0);
}

static errno_t do_open(fat_fs_t *fs, fat_node_t *node, ipc_call_t *call)
{
	fat_node_open(node);
	return EOK;
}

static errno_t do_close(fat_fs_t *fs, fat_node_t *node, ipc_call_t *call)
{
	return fat_node_close(fs, node);
}

static errno_t do_truncate(fat_fs_t *fs, fat_node_t *node, ipc_call_t *call)
{
	return node->is_dir ? EISDIR : fat_file_truncate(fs, node, call->args[2]);
}

/** FS_SYNC of any node writes the whole volume back. */
static errno_t do_sync(fat_fs_t *fs, fat_node_t *node, ipc_call_t *call)
{
	return fat_sync(fs);
}

static void op_open_node(ipc_call_t *call)
{
	node_call(call, do_open);
}

static void op_close_node(ipc_call_t *call)
{
	node_call(call, do_close);
}

static void op_truncate(ipc_call_t *call)
{
	node_call(call, do_truncate);
}

static void op_sync(ipc_call_t *call)
{
	node_call(call, do_sync);
}

static errno_t fill_read(
    ipc_call_t *call, void *buf, size_t size, size_t *len, sysarg_t *result)
{
	fat_fs_t *fs;
	fat_node_t *node;
	errno_t rc = node_get(call, &fs, &node);
	if (rc == EOK)
		rc = node->is_dir
		    ? EISDIR
		    : fat_file_read(fs, node, call->args[2], buf, size, len);
	*result = *len;
	return rc;
}

static errno_t fill_stat(
    ipc_call_t *call, void *buf, size_t size, size_t *len, sysarg_t *result)
{
	fat_fs_t *fs;
	fat_node_t *node;
	errno_t rc = node_get(call, &fs, &node);
	if (rc != EOK)
		return rc;
	vfs_stat_t st;
	fat_node_stat(node, &st);
	if (node->is_dir)
		rc = fat_dir_count(fs, node, &st.size);
	*len = fsrv_copy_out(buf, size, &st, sizeof(st));
	return rc;
}

static errno_t fill_readdir(
    ipc_call_t *call, void *buf, size_t size, size_t *len, sysarg_t *result)
{
	fat_fs_t *fs;
	fat_node_t *node;
	errno_t rc = node_get(call, &fs, &node);
	if (rc == EOK && !node->is_dir)
		rc = ENOTDIR;
	char *name = rc == EOK ? malloc(FAT_NAME_MAX * 3 + 1) : NULL;
	if (rc == EOK && name == NULL)
		rc = ENOMEM;
	uint64_t next = 0;
	if (rc == EOK)
		rc = fat_readdir(fs, node, call->args[2], name, &next);
	if (rc == EOK) {
		*len = fsrv_copy_out(buf, size, name, strlen(name) + 1);
		*result = next;
	}
	free(name);
	return rc;
}

static errno_t fill_statfs(
    ipc_call_t *call, void *buf, size_t size, size_t *len, sysarg_t *result)
{
	fat_fs_t *fs = fs_find(call->args[0]);
	if (fs == NULL)
		return ENOENT;
	vfs_statfs_t st;
	fat_statfs(fs, &st);
	*len = fsrv_copy_out(buf, size, &st, sizeof(st));
	return EOK;
}

/* Answered with a data read, filled under vols.lock. */
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
};

void fat_call_handle(ipc_call_t *call)
{
	fsrv_dispatch_fills(ops, fills, &vols.lock, call);
}

void fat_serve_start(void)
{
	fsrv_vols_init(&vols, &vol_ops);
	fsrv_vols_flusher_start(&vols, FLUSH_USEC);
}
