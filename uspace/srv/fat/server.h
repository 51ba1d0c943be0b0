/*
 * fat's server side: the VFS's FS_* calls (abi/vfs.h) over the mounted
 * volumes, each on a block device (bd.h) behind a block cache (bcache.h).
 */
#ifndef FAT_SERVER_H
#define FAT_SERVER_H

#include <async.h>

/** Handles and answers one call of the VFS. */
void fat_call_handle(ipc_call_t *call);
/** Sets up the volume table and starts the fibril that writes dirty
 *  blocks back every few seconds. */
void fat_serve_start(void);

#endif
