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

/** An open file of its own (read-only) on the node of descriptor @a fd:
 *  the pager never waits for the lock of a file a client's call holds
 *  (a write from a mapping of the file it writes). */
static errno_t pager_file_open(vfs_table_t *t, sysarg_t fd, vfs_file_t **own)
{
	vfs_file_t *file;
	errno_t rc = vfs_fd_get(t, fd, &file);
	if (rc != EOK)
		return rc;
	fibril_mutex_lock(&file->lock);
	vfs_file_follow(file);
	rc = (file->oflags & O_ACCMODE) == O_WRONLY
	    ? EBADF
	    : vfs_file_open(file->mount, file->index, file->rest, O_RDONLY, own);
	fibril_mutex_unlock(&file->lock);
	vfs_file_put(file);
	return rc;
}

void vfs_pager_bind(vfs_conn_t *conn, ipc_call_t *call)
{
	vfs_file_t *file = NULL;
	errno_t rc = conn->mapped != NULL ? EBUSY : EOK;
	if (rc == EOK && (conn->page = malloc(PAGE)) == NULL)
		rc = ENOMEM;
	if (rc == EOK)
		rc = pager_file_open(conn->table, call->args[0], &file);
	if (rc == EOK)
		conn->mapped = file;
	vfs_answer(call, rc, 0, 0);
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
	conn->page = NULL;
}
