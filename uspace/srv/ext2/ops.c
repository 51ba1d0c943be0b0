/*
 * ext2: the FS_* calls of the VFS (abi/vfs.h) over the mounted volumes.
 *
 * The volumes are fsrv_vol.h's. Each handler takes its call's data
 * transfers first, then works under `vols.lock`, which guards the volume
 * list and every volume (their block caches included); device I/O happens
 * with it held, so calls on ext2 volumes run one at a time. Dirty blocks
 * go to the device on FS_SYNC, at unmount, when the cache evicts them and
 * every FLUSH_USEC from the flusher fibril.
 */
#include "ext2.h"
#include "server.h"
#include <bd.h>
#include <fsrv.h>
#include <fsrv_vol.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FLUSH_USEC (5 * 1000 * 1000)

static fsrv_vols_t vols;

/** The volume of mount instance @a id, NULL if none; vols.lock held. */
static ext2_fs_t *fs_find(sysarg_t id)
{
	return fsrv_vol_find(&vols, id);
}

/** The wall clock in seconds since 1970; 0 (1970) when there is none (the
 *  RTC gave no valid date at boot). ext2's 32-bit times end in 2106. */
static uint32_t ext2_now(void)
{
	time_t now = time(NULL);
	return now > 0 && now <= UINT32_MAX ? (uint32_t) now : 0;
}

static errno_t vol_mount(bd_t *bd, bool rdonly, void **vol)
{
	return ext2_mount(&bd_cache_ops, bd, (uint32_t) bd->block_size, bd->block_count,
	    rdonly, ext2_now, (ext2_fs_t **) vol);
}

static errno_t vol_unmount(void *vol)
{
	return ext2_unmount(vol);
}

static errno_t vol_sync(void *vol)
{
	return ext2_sync(vol);
}

static const char *mount_error(errno_t rc)
{
	switch (rc) {
	case EINVAL:
		return "not an ext2 volume (or a damaged one)";
	case ENOTSUP:
		return "uses features this server does not know";
	case EROFS:
		return "uses features this server may only read: mount it read-only";
	default:
		return strerror(rc);
	}
}

static const fsrv_vol_ops_t vol_ops = {.name = "ext2",
    .mount = vol_mount,
    .unmount = vol_unmount,
    .sync = vol_sync,
    .mount_error = mount_error};

static void op_mounted(ipc_call_t *call)
{
	fsrv_vols_mounted(&vols, call, EXT2_ROOT_INO);
}

static void op_unmounted(ipc_call_t *call)
{
	fsrv_vols_unmounted(&vols, call);
}

static void op_lookup(ipc_call_t *call)
{
	char *path;
	errno_t rc = fsrv_path_receive(&path);
	sysarg_t size = 0, type = 0;
	uint32_t ino = 0;
	if (rc == EOK) {
		fibril_mutex_lock(&vols.lock);
		ext2_fs_t *fs = fs_find(call->args[0]);
		ext2_inode_t in;
		rc = fs != NULL
		    ? ext2_lookup(fs, path, (unsigned) call->args[1], &ino, &in)
		    : ENOENT;
		if (rc == EOK) {
			size = ext2_inode_size(&in);
			type = ext2_is_dir(&in) ? VFS_NODE_DIR : VFS_NODE_FILE;
		}
		fibril_mutex_unlock(&vols.lock);
		free(path);
	}
	fsrv_answer(call, rc, ino, size, type);
}

static void op_unlink(ipc_call_t *call)
{
	char *path;
	errno_t rc = fsrv_path_receive(&path);
	if (rc == EOK) {
		fibril_mutex_lock(&vols.lock);
		ext2_fs_t *fs = fs_find(call->args[0]);
		rc = fs != NULL ? ext2_unlink(fs, path, (unsigned) call->args[1])
				: ENOENT;
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
		ext2_fs_t *fs = fs_find(call->args[0]);
		rc = fs != NULL ? ext2_rename(fs, from, to) : ENOENT;
		fibril_mutex_unlock(&vols.lock);
	}
	free(from);
	free(to);
	fsrv_answer(call, rc, 0, 0, 0);
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
		ext2_fs_t *fs = fs_find(call->args[0]);
		rc = fs != NULL ? ext2_file_write(fs, call->args[1], call->args[2], data,
				      len, &done, &size)
				: ENOENT;
		fibril_mutex_unlock(&vols.lock);
		fsrv_write_release(data);
	}
	fsrv_answer(call, rc, done, size, 0);
}

/* A call on one node of a volume; vols.lock held. */
typedef errno_t (*node_op_t)(ext2_fs_t *fs, ipc_call_t *call);

static void node_call(ipc_call_t *call, node_op_t op)
{
	fibril_mutex_lock(&vols.lock);
	ext2_fs_t *fs = fs_find(call->args[0]);
	errno_t rc = fs != NULL ? op(fs, call) : ENOENT;
	fibril_mutex_unlock(&vols.lock);
	fsrv_answer(call, rc, 0, 0, 0);
}

static errno_t do_open(ext2_fs_t *fs, ipc_call_t *call)
{
	return ext2_node_open(fs, call->args[1]);
}

static errno_t do_close(ext2_fs_t *fs, ipc_call_t *call)
{
	return ext2_node_close(fs, call->args[1]);
}

static errno_t do_truncate(ext2_fs_t *fs, ipc_call_t *call)
{
	return ext2_file_truncate(fs, call->args[1], call->args[2]);
}

/** FS_SYNC of any node writes the whole volume back. */
static errno_t do_sync(ext2_fs_t *fs, ipc_call_t *call)
{
	return ext2_sync(fs);
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
	ext2_fs_t *fs = fs_find(call->args[0]);
	errno_t rc = fs != NULL
	    ? ext2_file_read(fs, call->args[1], call->args[2], buf, size, len)
	    : ENOENT;
	*result = *len;
	return rc;
}

static errno_t fill_stat(
    ipc_call_t *call, void *buf, size_t size, size_t *len, sysarg_t *result)
{
	ext2_fs_t *fs = fs_find(call->args[0]);
	vfs_stat_t st;
	errno_t rc = fs != NULL ? ext2_node_stat(fs, call->args[1], &st) : ENOENT;
	if (rc == EOK)
		*len = fsrv_copy_out(buf, size, &st, sizeof(st));
	return rc;
}

static errno_t fill_readdir(
    ipc_call_t *call, void *buf, size_t size, size_t *len, sysarg_t *result)
{
	ext2_fs_t *fs = fs_find(call->args[0]);
	char name[EXT2_NAME_MAX + 1];
	uint64_t next = 0;
	errno_t rc = fs != NULL
	    ? ext2_readdir(fs, call->args[1], call->args[2], name, &next)
	    : ENOENT;
	if (rc == EOK) {
		*len = fsrv_copy_out(buf, size, name, strlen(name) + 1);
		*result = next;
	}
	return rc;
}

static errno_t fill_statfs(
    ipc_call_t *call, void *buf, size_t size, size_t *len, sysarg_t *result)
{
	ext2_fs_t *fs = fs_find(call->args[0]);
	if (fs == NULL)
		return ENOENT;
	vfs_statfs_t st;
	ext2_statfs(fs, &st);
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

void ext2_call_handle(ipc_call_t *call)
{
	fsrv_dispatch_fills(ops, fills, &vols.lock, call);
}

void ext2_serve_start(void)
{
	fsrv_vols_init(&vols, &vol_ops);
	fsrv_vols_flusher_start(&vols, FLUSH_USEC);
}
