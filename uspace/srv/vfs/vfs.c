/*
 * vfs: ports and loops. Clients connect to service "vfs" with
 * VFS_IFACE_CLIENT; each connection's calls are handled one at a time in
 * its fibril, on the descriptor table of the client's task. File-system
 * servers connect with VFS_IFACE_FS (fs.c), file sessions with
 * VFS_IFACE_FILE (session.c), direct read connections with
 * VFS_IFACE_DIRECT (direct.c).
 */
#include "vfs.h"
#include <fibril.h>
#include <ns.h>
#include <stdio.h>
#include <task.h>
#include <string.h>
#include <getopt.h>

#define USAGE "(a server; the kernel starts it)"

FIBRIL_MUTEX_INITIALIZE(vfs_lock);

errno_t vfs_answer(ipc_call_t *call, errno_t rc, sysarg_t a1, sysarg_t a2)
{
	errno_t arc = async_answer_2(call, rc, a1, a2);
	if (arc != EOK && arc != EHANGUP)
		printf("vfs: cannot answer method %lu: %s\n",
		    (unsigned long) call->imethod, strerror(arc));
	return arc;
}

void vfs_refuse_data(errno_t rc)
{
	ipc_call_t call;
	async_get_call(&call);
	DISCARD(answer, async_answer_0(&call, rc));
}

/** One call of a client connection @a arg (vfs_conn_t). */
static void client_call(ipc_call_t *call, void *arg)
{
	vfs_conn_t *conn = arg;
	if (call->imethod == VFS_MMAP)
		vfs_pager_bind(conn, call);
	else if (call->imethod == IPC_M_PAGE_IN)
		vfs_pager_page_in(conn, call);
	else if (call->imethod == IPC_M_PAGE_OUT)
		vfs_pager_page_out(conn, call);
	else if (call->imethod == VFS_READ_SHARED)
		vfs_read_shared(conn, call);
	else if (call->imethod == IPC_M_SHARE_OUT)
		vfs_read_buffer_bind(conn, call);
	else
		vfs_client_call(conn->table, call);
}

static void vfs_client_connection(ipc_call_t *icall, void *arg)
{
	vfs_conn_t conn = {.table = vfs_client_table(async_call_task_id(icall))};
	if (conn.table == NULL) {
		DISCARD(answer, async_answer_0(icall, ENOMEM));
		return;
	}
	/* The connection is bound to the client's file table: a clone of it in
	 * another task, or a call forwarded through it, would act on that
	 * table. Files go to another task explicitly (VFS_PASS). */
	async_serve_withholding(
	    icall, CAP_RIGHT_CLONE | CAP_RIGHT_FORWARD, client_call, &conn);
	vfs_pager_end(&conn);
	vfs_read_buffer_end(&conn);
}

int main(int argc, char *argv[])
{
	int status;
	if (cmd_check_words(argc, argv, USAGE, NULL, &status))
		return status;
	async_set_client_data_constructor(vfs_client_create);
	async_set_client_data_destructor(vfs_client_destroy);
	fid_t worker = fibril_create(vfs_client_worker, NULL);
	if (worker == 0) {
		printf("vfs: out of memory\n");
		return 1;
	}
	fibril_add_ready(worker);
	service_id_t svc = service_id_from_name(VFS_SERVICE_NAME);
	errno_t rc = service_register(svc, VFS_IFACE_CLIENT, vfs_client_connection, NULL);
	if (rc == EOK)
		rc = service_register(svc, VFS_IFACE_FS, vfs_fs_connection, NULL);
	if (rc == EOK)
		rc = service_register(svc, VFS_IFACE_FILE, vfs_session_connection, NULL);
	/* Asked for on a client's own VFS connection only. */
	if (rc == EOK)
		rc = async_create_port(
		    VFS_IFACE_DIRECT, vfs_direct_connection, NULL, NULL);
	if (rc != EOK) {
		printf("vfs: cannot register: %s\n", strerror(rc));
		return 1;
	}
	printf("vfs: started\n");
	DISCARD(best_effort, task_retval(0)); /* ready: for init's "ready" lines */
	async_manager();
}
