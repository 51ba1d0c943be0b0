/*
 * vfs: file sessions (VFS_IFACE_FILE in abi/vfs.h). A task asks for one
 * with IPC_M_CONNECT_ME_TO naming one of its descriptors; the connection is
 * then bound to that open file (a reference: position and access mode are
 * the descriptor's) and to nothing else. Its calls run on a table of its
 * own holding the file as descriptor 0, so the client calls of ops.c serve
 * them, and only those that act on an open file are let through: a session
 * never reaches its task's other files or any path. The access mode holds
 * as for descriptors: a session of a file opened O_RDONLY refuses writes
 * and truncation with EBADF, so handing one on hands on reading only.
 *
 * Rights of the session's phone: CAP_RIGHT_FORWARD is withheld (a call
 * forwarded through it would act on this file for another request);
 * CAP_RIGHT_CLONE is kept, since the session names one file with its mode,
 * not the task's table, and passing it on is what it is for.
 */
#include "vfs.h"

/** Whether a session lets @a method through (it acts on its open file). */
static bool session_allows(sysarg_t method)
{
	switch (method) {
	case VFS_READ:
	case VFS_WRITE:
	case VFS_SEEK:
	case VFS_TRUNCATE:
	case VFS_FSTAT:
	case VFS_READDIR:
	case VFS_SYNC:
		return true;
	default:
		return false;
	}
}

/** One call on session table @a arg. Anything else, including the data
 *  transfers that follow a refused call, is refused with EPERM. */
static void session_call(ipc_call_t *call, void *arg)
{
	vfs_table_t *t = arg;
	if (session_allows(call->imethod) && call->args[0] == 0)
		vfs_client_call(t, call);
	else
		vfs_answer(call, session_allows(call->imethod) ? EBADF : EPERM, 0, 0);
}

void vfs_session_connection(ipc_call_t *icall, void *arg)
{
	(void) arg;
	vfs_table_t *own = vfs_client_table(async_call_task_id(icall));
	vfs_file_t *file = NULL;
	errno_t rc = own != NULL ? vfs_fd_get(own, icall->args[2], &file) : ENOMEM;
	vfs_table_t *t = rc == EOK ? vfs_table_of_file(file) : NULL;
	if (rc == EOK && t == NULL) {
		vfs_file_put(file);
		rc = ENOMEM;
	}
	if (rc != EOK) {
		DISCARD(answer, async_answer_0(icall, rc));
		return;
	}
	async_serve_withholding(icall, CAP_RIGHT_FORWARD, session_call, t);
	vfs_table_of_file_free(t);
}
