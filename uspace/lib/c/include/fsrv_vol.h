/*
 * The mounted volumes of a disk file-system server (fat, ext2): each mount
 * instance is a block device (bd.h) opened from the mount options (its
 * service name, or its file under /loc) with the server's volume on it.
 * FS_MOUNTED, FS_UNMOUNTED and a flusher fibril that writes every volume
 * back periodically are handled here; the server supplies its volume's
 * mount, unmount and sync.
 *
 * One lock (fsrv_vols_t.lock) guards the list and every volume: a server
 * holds it around every call on a volume (fsrv_dispatch_fills takes it for
 * the fills), so calls on one server's volumes run one at a time.
 */
#ifndef LIBC_FSRV_VOL_H
#define LIBC_FSRV_VOL_H

#include <common/adt/list.h>
#include <async.h>
#include <bd.h>
#include <fibril_synch.h>

typedef struct {
	const char *name; /* the server's, for its messages ("fat") */
	/** Mounts the volume on @a bd (read-only with @a rdonly); the server's
	 *  state of it in *@a vol. */
	errno_t (*mount)(bd_t *bd, bool rdonly, void **vol);
	/** Writes @a vol back and frees it (not the device). */
	errno_t (*unmount)(void *vol);
	errno_t (*sync)(void *vol);
	/** What a failed mount's @a rc means, for the message. */
	const char *(*mount_error)(errno_t rc);
} fsrv_vol_ops_t;

typedef struct {
	const fsrv_vol_ops_t *ops;
	fibril_mutex_t lock;
	list_t list; /* fsrv_vol_t, private to fsrv_vol.c */
} fsrv_vols_t;

void fsrv_vols_init(fsrv_vols_t *vols, const fsrv_vol_ops_t *ops);
/** The volume of mount instance @a id, NULL if none; vols->lock held. */
void *fsrv_vol_find(fsrv_vols_t *vols, sysarg_t id);
/** FS_MOUNTED: opens the device the options name and mounts it; answers
 *  with @a root, the root's node index. */
void fsrv_vols_mounted(fsrv_vols_t *vols, ipc_call_t *call, sysarg_t root);
/** FS_UNMOUNTED: writes the volume back and drops it. */
void fsrv_vols_unmounted(fsrv_vols_t *vols, ipc_call_t *call);
/** Starts the fibril that syncs every volume each @a usec (a failure is
 *  logged once per error and volume). */
void fsrv_vols_flusher_start(fsrv_vols_t *vols, uint64_t usec);

#endif
