/*
 * vfs: the pager of mapped files (abi/pager.h; VFS_MMAP in abi/vfs.h). A
 * client connection that sent VFS_MMAP pages that descriptor's open file:
 * each IPC_M_PAGE_IN the kernel sends through it (a page of the client's
 * mapping touched for the first time) is answered with the file's bytes at
 * the offset asked, read from its file system into the connection's page
 * buffer, zeros past the end of the file; a page wholly past the end is
 * refused with ERANGE (the kernel then kills the task, as a bus error would).
 * The connection holds an open file of its own on the descriptor's node
 * until it ends: the mapping's end hangs it up (the kernel holds the
 * phone), so closing the descriptor keeps the mapping readable.
 *
 * A shared writable mapping (VFS_MMAP_WRITE) opens that file read-write:
 * each IPC_M_PAGE_OUT (a written page on msync, munmap or the mapping's
 * end) is written to the file, cut at its end, before the answer, so the
 * writer's msync returns once a read() of the file sees the bytes. The
 * kernel sends a page-out only after the mapping's earlier calls on this
 * connection, and the connection's calls are served one at a time.
 */
#include "vfs.h"
#include <pager.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096

/** Fills @a page with the page of @a file at @a offset; ERANGE if it
 *  begins past the end. */
static errno_t pager_fill(vfs_file_t *file, uint64_t offset, uint8_t *page)
{
	size_t filled = 0;
	errno_t rc = EOK;
	fibril_mutex_lock(&file->lock);
	vfs_file_follow(file);
	while (rc == EOK && filled < PAGE) {
		size_t got = 0;
		rc = vfs_fs_read(file->mount, file->index, offset + filled, page + filled,
		    PAGE - filled, &got);
		if (got == 0)
			break; /* the end of the file */
		filled += got;
	}
	fibril_mutex_unlock(&file->lock);
	if (rc == EOK && filled == 0)
		return ERANGE;
	memset(page + filled, 0, PAGE - filled);
	return rc;
}

/** The stat of @a file's node. */
static errno_t pager_stat(vfs_file_t *file, vfs_stat_t *st)
{
	return vfs_fs_req_read(file->mount, FS_STAT, file->index, st, sizeof(*st));
}

/** Whether @a file (locked) may back a shared writable mapping: opened
 *  read-write (EPERM), on a writable mount (EROFS), a regular file
 *  (ENOTSUP). */
static errno_t pager_write_check(vfs_file_t *file)
{
	if ((file->oflags & O_ACCMODE) != O_RDWR)
		return EPERM;
	if (file->mount->flags & VFS_MOUNT_RDONLY)
		return EROFS;
	vfs_stat_t st;
	errno_t rc = pager_stat(file, &st);
	return rc == EOK && st.type != VFS_NODE_FILE ? ENOTSUP : rc;
}

/** An open file of its own on the node of descriptor @a fd, read-only or
 *  (@a write) read-write: the pager never waits for the lock of a file a
 *  client's call holds (a write from a mapping of the file it writes). */
static errno_t pager_file_open(vfs_table_t *t, sysarg_t fd, bool write, vfs_file_t **own)
{
	vfs_file_t *file;
	errno_t rc = vfs_fd_get(t, fd, &file);
	if (rc != EOK)
		return rc;
	fibril_mutex_lock(&file->lock);
	vfs_file_follow(file);
	rc = (file->oflags & O_ACCMODE) == O_WRONLY ? EBADF : EOK;
	if (rc == EOK && write)
		rc = pager_write_check(file);
	if (rc == EOK)
		rc = vfs_file_open(
		    file->mount, file->index, file->rest, write ? O_RDWR : O_RDONLY, own);
	fibril_mutex_unlock(&file->lock);
	vfs_file_put(file);
	return rc;
}

void vfs_pager_bind(vfs_conn_t *conn, ipc_call_t *call)
{
	vfs_file_t *file = NULL;
	sysarg_t flags = call->args[1];
	errno_t rc = conn->mapped != NULL ? EBUSY : EOK;
	if (rc == EOK && (flags & ~(sysarg_t) VFS_MMAP_WRITE) != 0)
		rc = EINVAL;
	if (rc == EOK && (conn->page = malloc(PAGE)) == NULL)
		rc = ENOMEM;
	if (rc == EOK)
		rc = pager_file_open(
		    conn->table, call->args[0], flags & VFS_MMAP_WRITE, &file);
	if (rc == EOK) {
		conn->mapped = file;
		conn->map_write = (flags & VFS_MMAP_WRITE) != 0;
	}
	vfs_answer(call, rc, 0, 0);
}

/** FS_WRITE of the @a size bytes at @a buf to @a file at @a pos; a short
 *  write is ENOSPC (the volume is full). */
static errno_t pager_fs_write(
    vfs_file_t *file, uint64_t pos, const void *buf, size_t size)
{
	vfs_mount_t *m = file->mount;
	async_exch_t *exch;
	errno_t rc = vfs_fs_begin(m->fs, &exch);
	if (rc != EOK)
		return rc;
	ipc_call_t answer;
	aid_t req = async_send_4(exch, FS_WRITE, m->inst, file->index, pos, 0, &answer);
	errno_t wrc = async_data_write_start(exch, buf, size);
	async_wait_for(req, &rc);
	if (rc == EOK && wrc != EOK)
		rc = wrc;
	if (rc == EOK && answer.args[0] != size)
		rc = ENOSPC;
	return vfs_fs_end(m->fs, exch, rc);
}

/** Writes @a page, the page of @a file at @a offset, to the file, cut at
 *  its end: a mapping never grows its file. */
static errno_t pager_store(vfs_file_t *file, uint64_t offset, const uint8_t *page)
{
	vfs_stat_t st;
	fibril_mutex_lock(&file->lock);
	vfs_file_follow(file);
	errno_t rc = pager_stat(file, &st);
	if (rc == EOK && offset < st.size)
		rc = pager_fs_write(file, offset, page,
		    st.size - offset < PAGE ? (size_t) (st.size - offset) : PAGE);
	fibril_mutex_unlock(&file->lock);
	return rc;
}

void vfs_pager_page_out(vfs_conn_t *conn, ipc_call_t *call)
{
	pager_request_t req;
	pager_request_get(call, &req);
	errno_t rc = conn->mapped == NULL || !conn->map_write ? ENOTSUP
	    : req.size != PAGE				      ? EINVAL
							      : EOK;
	if (rc == EOK)
		rc = pager_page_out_read(call->cap, conn->page, PAGE);
	if (rc == EOK)
		rc = pager_store(conn->mapped, req.offset, conn->page);
	DISCARD(answer, async_answer_0(call, rc));
}

void vfs_pager_page_in(vfs_conn_t *conn, ipc_call_t *call)
{
	pager_request_t req;
	pager_request_get(call, &req);
	errno_t rc = conn->mapped == NULL ? ENOTSUP
	    : req.size != PAGE		  ? EINVAL
			       : pager_fill(conn->mapped, req.offset, conn->page);
	if (rc == EOK)
		DISCARD(answer, pager_answer(call->cap, conn->page, PAGE));
	else
		DISCARD(answer, async_answer_0(call, rc));
}

void vfs_pager_end(vfs_conn_t *conn)
{
	if (conn->mapped != NULL)
		vfs_file_put(conn->mapped);
	free(conn->page);
	conn->mapped = NULL;
	conn->map_write = false;
	conn->page = NULL;
}
