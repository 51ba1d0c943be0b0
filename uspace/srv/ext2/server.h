/*
 * ext2's server side: the VFS's FS_* calls (abi/vfs.h) over the mounted
 * volumes, each on a block device (bd.h) behind the volume's block cache.
 */
#ifndef EXT2_SERVER_H
#define EXT2_SERVER_H

#include <async.h>

/** Handles and answers one call of the VFS. */
void ext2_call_handle(ipc_call_t *call);
/** Sets up the volume table and starts the fibril that writes dirty
 *  blocks back every few seconds. */
void ext2_serve_start(void);

#endif
