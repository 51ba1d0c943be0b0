/*
 * The FS_* calls (abi/vfs.h) of locfs. Every mount shows the same tree, so
 * instances need no state. Nothing is created or removed here: L_CREATE
 * of a missing name, unlink and rename answer EROFS.
 *
 * Reads and writes of a service file go to the service as a character
 * device (abi/chardev.h) on a session made for the call (a device keeps
 * its state itself, so nothing is lost between calls): CHARDEV_READ, which
 * waits until the device has data as a read of a terminal does (the VFS
 * reaches locfs on a connection per concurrent call, so a waiting read
 * holds up no other), and CHARDEV_WRITE, with the VFS's data transfer
 * forwarded along, so the data
 * does not pass through locfs. A service that does not speak the protocol
 * answers with an error, which goes back as it is.
 */
#include "locfs.h"
#include <fsrv.h>
#include <abi/chardev.h>
#include <loc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Takes and frees a path written after a call (the data is not needed). */
static errno_t path_skip(void)
{
	char *path;
	errno_t rc = async_data_write_accept(
	    (void **) &path, true, 0, VFS_PATH_MAX, 0, NULL);
	if (rc == EOK)
		free(path);
	return rc == ELIMIT ? ENAMETOOLONG : rc;
}

static void op_mounted(ipc_call_t *call)
{
	errno_t rc = path_skip(); /* the options: locfs takes none */
	fsrv_answer(call, rc, LOCFS_ROOT, 0, 0);
}

/** Applies the lookup flags @a lflags to the result @a rc for @a node. */
static errno_t lookup_check(errno_t rc, unsigned lflags, const locfs_node_t *node)
{
	if (rc == ENOENT && (lflags & L_CREATE) != 0)
		return EROFS;
	if (rc != EOK)
		return rc;
	if ((lflags & (L_CREATE | L_EXCL)) == (L_CREATE | L_EXCL))
		return EEXIST;
	if ((lflags & L_DIRECTORY) != 0 && node->type != VFS_NODE_DIR)
		return ENOTDIR;
	if ((lflags & L_FILE) != 0 && node->type == VFS_NODE_DIR)
		return EISDIR;
	return EOK;
}

static void op_lookup(ipc_call_t *call)
{
	char *path;
	errno_t rc = async_data_write_accept(
	    (void **) &path, true, 0, VFS_PATH_MAX, 0, NULL);
	if (rc != EOK) {
		fsrv_answer(call, rc == ELIMIT ? ENAMETOOLONG : rc, 0, 0, 0);
		return;
	}
	locfs_node_t node = {0};
	rc = locfs_node_lookup(path, &node);
	free(path);
	rc = lookup_check(rc, (unsigned) call->args[1], &node);
	if (rc == EOK)
		fsrv_answer(call, EOK, node.index, 0, node.type);
	else
		fsrv_answer(call, rc, 0, 0, 0);
}

static void op_path_rofs(ipc_call_t *call)
{
	errno_t rc = path_skip();
	if (call->imethod == FS_RENAME) {
		errno_t rc2 = path_skip();
		rc = rc == EOK ? rc2 : rc;
	}
	fsrv_answer(call, rc == EOK ? EROFS : rc, 0, 0, 0);
}

/** The node @a call names (args[1]), answering the call if there is none. */
static bool node_of_call(ipc_call_t *call, locfs_node_t *node)
{
	errno_t rc = locfs_node_get(call->args[1], node);
	if (rc != EOK)
		fsrv_answer(call, rc, 0, 0, 0);
	return rc == EOK;
}

/** Calls that only need the node to exist: open, close, sync, truncate. */
static void op_node_exists(ipc_call_t *call)
{
	locfs_node_t node;
	if (node_of_call(call, &node))
		fsrv_answer(call, EOK, 0, 0, 0);
}

/*
 * Reads and writes, forwarded to the service.
 */

/** Refuses the data transfer that follows a call (a read if @a read). */
static void transfer_refuse(bool read, errno_t rc)
{
	ipc_call_t dcall;
	size_t size;
	bool ok = read ? async_data_read_receive(&dcall, &size)
		       : async_data_write_receive(&dcall, &size);
	(void) ok; /* anything else is refused all the same */
	fsrv_answer(&dcall, rc, 0, 0, 0);
}

/** A session to the service file @a call names (EISDIR for a directory). */
static async_sess_t *service_sess(ipc_call_t *call, errno_t *rc)
{
	locfs_node_t node;
	*rc = locfs_node_get(call->args[1], &node);
	if (*rc == EOK && node.type == VFS_NODE_DIR)
		*rc = EISDIR;
	if (*rc != EOK)
		return NULL;
	return loc_service_connect(node.id, CHARDEV_IFACE, rc);
}

/** Forwards the call's read (@a read) or write to the service. */
static void op_transfer(ipc_call_t *call, bool read)
{
	errno_t rc;
	async_sess_t *sess = service_sess(call, &rc);
	async_exch_t *exch = sess != NULL ? async_exchange_begin(sess) : NULL;
	if (sess != NULL && exch == NULL)
		rc = ENOMEM;
	ipc_call_t dev = {0};
	if (exch != NULL) {
		rc = read
		    ? async_data_read_forward_fast(exch, CHARDEV_READ, 0, 0, 0, 0, &dev)
		    : async_data_write_forward_fast(
			  exch, CHARDEV_WRITE, 0, 0, 0, 0, &dev);
		async_exchange_end(exch);
	} else {
		transfer_refuse(read, rc);
	}
	if (sess != NULL)
		DISCARD(cleanup, async_hangup(sess));
	fsrv_answer(call, rc, rc == EOK ? dev.args[0] : 0, 0, 0);
}

static void op_read(ipc_call_t *call)
{
	op_transfer(call, true);
}

static void op_write(ipc_call_t *call)
{
	op_transfer(call, false);
}

/*
 * Calls answered with a data read.
 */

static void op_stat(ipc_call_t *call)
{
	locfs_node_t node;
	errno_t rc = locfs_node_get(call->args[1], &node);
	vfs_stat_t st = {0};
	if (rc == EOK) {
		st.index = node.index;
		st.type = node.type;
		st.links = 1;
	}
	fsrv_read_answer(call, rc, &st, sizeof(st), 0);
}

static void op_readdir(ipc_call_t *call)
{
	locfs_node_t node;
	char name[LOC_NAME_MAX + 1];
	errno_t rc = locfs_node_get(call->args[1], &node);
	if (rc == EOK)
		rc = locfs_dir_entry(&node, call->args[2], name);
	fsrv_read_answer(
	    call, rc, name, rc == EOK ? strlen(name) + 1 : 0, call->args[2] + 1);
}

static void op_statfs(ipc_call_t *call)
{
	vfs_statfs_t st = {0};
	strcpy(st.fs_type, "locfs");
	st.block_size = 1;
	fsrv_read_answer(call, EOK, &st, sizeof(st), 0);
}

static void op_unmounted(ipc_call_t *call)
{
	fsrv_answer(call, EOK, 0, 0, 0);
}

static const fsrv_ops_t ops = {
    FSRV_OP(FS_MOUNTED) = op_mounted,
    FSRV_OP(FS_UNMOUNTED) = op_unmounted,
    FSRV_OP(FS_LOOKUP) = op_lookup,
    FSRV_OP(FS_OPEN_NODE) = op_node_exists,
    FSRV_OP(FS_CLOSE_NODE) = op_node_exists,
    FSRV_OP(FS_READ) = op_read,
    FSRV_OP(FS_WRITE) = op_write,
    FSRV_OP(FS_TRUNCATE) = op_node_exists,
    FSRV_OP(FS_STAT) = op_stat,
    FSRV_OP(FS_READDIR) = op_readdir,
    FSRV_OP(FS_UNLINK) = op_path_rofs,
    FSRV_OP(FS_RENAME) = op_path_rofs,
    FSRV_OP(FS_SYNC) = op_node_exists,
    FSRV_OP(FS_STATFS) = op_statfs,
};

void locfs_call_handle(ipc_call_t *call)
{
	fsrv_dispatch(ops, call);
}
