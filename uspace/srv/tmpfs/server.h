/*
 * tmpfs's server side: the VFS's FS_* calls (abi/vfs.h) on the callback
 * connection, handled by ops.c over the file systems of tmpfs.h.
 */
#ifndef TMPFS_SERVER_H
#define TMPFS_SERVER_H

#include <async.h>
#include <fsrv.h>

/** Handles and answers one call of the VFS (ENOTSUP for an unknown
 *  method); takes the data transfers that belong to it. */
void tmpfs_call_handle(ipc_call_t *call);
/** Direct reads of tmpfs files (fsrv_direct_enable). */
extern const fsrv_direct_t tmpfs_direct;

#endif
