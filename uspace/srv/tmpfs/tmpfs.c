/*
 * tmpfs: a file-system server keeping its files in memory. It registers
 * with the VFS and serves the VFS's calls on the callback connection it
 * offers (one fibril per connection, one call at a time; ops.c).
 */
#include "server.h"
#include <abi/vfs.h>
#include <ns.h>
#include <stdio.h>
#include <string.h>

#define TMPFS_NAME "tmpfs"

/** The session to the VFS; kept open while tmpfs is registered. */
static async_sess_t *vfs_sess;

/** Serves the calls of one connection until the VFS hangs it up. */
static void tmpfs_connection(ipc_call_t *icall, void *arg)
{
	if (icall->imethod == IPC_M_CONNECT_ME_TO && async_accept_0(icall) != EOK)
		return;
	for (;;) {
		ipc_call_t call;
		async_get_call(&call);
		if (call.imethod == 0)
			break;
		tmpfs_call_handle(&call);
	}
	printf("tmpfs: the VFS hung up\n");
}

/** VFS_FS_REGISTER + the name, and the callback connection, on @a exch. */
static errno_t tmpfs_register_on(async_exch_t *exch)
{
	ipc_call_t answer;
	aid_t req = async_send_0(exch, VFS_FS_REGISTER, &answer);
	if (req == 0)
		return ENOMEM;
	errno_t rc = async_data_write_start(exch, TMPFS_NAME, strlen(TMPFS_NAME));
	if (rc == EOK)
		rc = async_create_callback_port(
		    exch, VFS_IFACE_FS, 0, 0, tmpfs_connection, NULL, NULL);
	if (rc != EOK) {
		async_forget(req);
		return rc;
	}
	errno_t retval;
	async_wait_for(req, &retval);
	return retval;
}

static errno_t tmpfs_register(void)
{
	errno_t rc;
	vfs_sess = service_connect_blocking(
	    service_id_from_name(VFS_SERVICE_NAME), VFS_IFACE_FS, 0, &rc);
	if (vfs_sess == NULL)
		return rc;
	async_exch_t *exch = async_exchange_begin(vfs_sess);
	if (exch == NULL)
		rc = ENOMEM;
	else
		rc = tmpfs_register_on(exch);
	if (exch != NULL)
		async_exchange_end(exch);
	if (rc != EOK) {
		(void) async_hangup(vfs_sess);
		vfs_sess = NULL;
	}
	return rc;
}

int main(int argc, char *argv[])
{
	errno_t rc = tmpfs_register();
	if (rc != EOK) {
		printf("tmpfs: cannot register with the VFS: %s\n", str_error(rc));
		return 1;
	}
	printf("tmpfs: started\n");
	async_manager();
}
