/*
 * vfs: direct read connections (VFS_IFACE_DIRECT in abi/vfs.h). A client
 * asks with IPC_M_CONNECT_ME_TO (VFS_IFACE_DIRECT, 0, fd) on its VFS
 * connection; if fd's open file is its alone and read-only, the file's
 * server is told to expect the request (FS_DIRECT_GRANT: the task, the
 * descriptor and the node) and the request is forwarded to it, so the new
 * phone reaches the file-system server (libc fsrv serves it). The client
 * then keeps the position itself: the VFS's copy is stale until the client
 * gives it back (libc does before VFS_PASS or a file session, which would
 * share the file; docs/vfs.md). A file only its own task holds cannot be
 * seen by anyone else, so a client that keeps no such promise only
 * confuses itself.
 *
 * A server without direct reads (anything but tmpfs now) answers the grant
 * ENOTSUP once; its mounts are refused at once after that.
 */
#include "vfs.h"

/** Whether @a file may be read directly: EBADF unless it was opened
 *  read-only and not as a directory, EBUSY if it is shared. */
static errno_t direct_check(vfs_file_t *file)
{
	if ((file->oflags & O_ACCMODE) != O_RDONLY || (file->oflags & O_DIRECTORY))
		return EBADF;
	if (!vfs_file_alone(file))
		return EBUSY;
	if (__atomic_load_n(&file->mount->fs->direct_none, __ATOMIC_RELAXED))
		return ENOTSUP;
	return EOK;
}

/** Grants @a task's descriptor @a fd of @a file to its server and forwards
 *  @a icall there; @a file's lock is held. Answers @a icall on failure. */
static errno_t direct_forward(
    vfs_file_t *file, task_id_t task, sysarg_t fd, ipc_call_t *icall)
{
	vfs_mount_t *m = file->mount;
	sysarg_t out[3];
	errno_t rc = vfs_fs_req(m, FS_DIRECT_GRANT, file->index, task, fd, out);
	if (rc == ENOTSUP)
		__atomic_store_n(&m->fs->direct_none, true, __ATOMIC_RELAXED);
	async_exch_t *exch = NULL;
	if (rc == EOK)
		rc = vfs_fs_begin(m->fs, &exch);
	if (rc == EOK) {
		const sysarg_t none[IPC_CALL_ARGS] = {0};
		rc = vfs_fs_end(m->fs, exch, async_forward_args(icall, exch, 0, none, 0));
	}
	if (rc != EOK)
		DISCARD(
		    answer, async_answer_0(icall, rc)); /* if the kernel left it to us */
	return rc;
}

void vfs_direct_connection(ipc_call_t *icall, void *arg)
{
	(void) arg;
	task_id_t task = async_call_task_id(icall);
	sysarg_t fd = icall->args[2];
	vfs_table_t *t = vfs_client_table(task);
	vfs_file_t *file = NULL;
	errno_t rc = t != NULL ? vfs_fd_get(t, fd, &file) : ENOMEM;
	if (rc == EOK)
		rc = direct_check(file);
	if (rc != EOK) {
		DISCARD(answer, async_answer_0(icall, rc));
		if (file != NULL)
			vfs_file_put(file);
		return;
	}
	fibril_mutex_lock(&file->lock);
	vfs_file_follow(file);
	DISCARD(answered_or_forwarded, direct_forward(file, task, fd, icall));
	fibril_mutex_unlock(&file->lock);
	vfs_file_put(file);
}
