/*
 * The frame of a file-system server (fsrv.h).
 */
#include <abi/vfs.h>
#include <fsrv.h>
#include <ns.h>
#include <stdio.h>
#include <string.h>
#include <task.h>

/* The session to the VFS; kept open while the server is registered. */
static async_sess_t *vfs_sess;
static const char *fs_name;

/** Serves the calls of one connection until the VFS hangs it up. */
static void fsrv_connection(ipc_call_t *icall, void *arg)
{
	fsrv_call_handler_t handle = (fsrv_call_handler_t) arg;
	if (icall->imethod == IPC_M_CONNECT_ME_TO && async_accept_0(icall) != EOK)
		return;
	for (;;) {
		ipc_call_t call;
		async_get_call(&call);
		if (call.imethod == 0)
			break;
		handle(&call);
	}
	printf("%s: the VFS hung up\n", fs_name);
}

/** VFS_FS_REGISTER + the name, and the callback connection, on @a exch. */
static errno_t register_on(
    async_exch_t *exch, const char *name, fsrv_call_handler_t handle)
{
	ipc_call_t answer;
	aid_t req = async_send_0(exch, VFS_FS_REGISTER, &answer);
	if (req == 0)
		return ENOMEM;
	errno_t rc = async_data_write_start(exch, name, strlen(name));
	if (rc == EOK)
		rc = async_create_callback_port(
		    exch, VFS_IFACE_FS, 0, 0, fsrv_connection, (void *) handle, NULL);
	if (rc != EOK) {
		async_forget(req);
		return rc;
	}
	errno_t retval;
	async_wait_for(req, &retval);
	return retval;
}

errno_t fsrv_register(const char *name, fsrv_call_handler_t handle)
{
	errno_t rc;
	fs_name = name;
	vfs_sess = service_connect_blocking(
	    service_id_from_name(VFS_SERVICE_NAME), VFS_IFACE_FS, 0, &rc);
	if (vfs_sess == NULL)
		return rc;
	async_exch_t *exch = async_exchange_begin(vfs_sess);
	rc = exch != NULL ? register_on(exch, name, handle) : ENOMEM;
	if (exch != NULL)
		async_exchange_end(exch);
	if (rc != EOK) {
		(void) async_hangup(vfs_sess);
		vfs_sess = NULL;
	}
	return rc;
}

void fsrv_dispatch(const fsrv_ops_t ops, ipc_call_t *call)
{
	sysarg_t m = call->imethod;
	if (m < FS_MOUNTED || m - FS_MOUNTED >= FSRV_OPS || ops[m - FS_MOUNTED] == NULL)
		async_answer_0(call, ENOTSUP);
	else
		ops[m - FS_MOUNTED](call);
}

int fsrv_main(const char *name, fsrv_call_handler_t handle)
{
	errno_t rc = fsrv_register(name, handle);
	if (rc != EOK) {
		printf("%s: cannot register with the VFS: %s\n", name, str_error(rc));
		return 1;
	}
	printf("%s: started\n", name);
	(void) task_retval(0); /* ready: for init's "ready" lines */
	async_manager();
}
