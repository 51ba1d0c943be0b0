/*
 * tmpfs's server side: the VFS's FS_* calls (abi/vfs.h) on the callback
 * connection, handled by ops.c over the file systems of tmpfs.h.
 */
#ifndef TMPFS_SERVER_H
#define TMPFS_SERVER_H

#include <async.h>

/** Handles and answers one call of the VFS (ENOTSUP for an unknown
 *  method); takes the data transfers that belong to it. */
void tmpfs_call_handle(ipc_call_t *call);

#endif
