/*
 * The block-device protocol: a disk, a partition, anything read and written
 * in whole blocks. Block drivers (ata, ...) serve it on the functions they
 * register in the location service in category BD_CATEGORY; file systems
 * reach it through libc's bd.h, drivers serve it with bd_srv.h (which makes
 * every check below once, for all of them).
 *
 *   BD_GET_INFO -> (block size in bytes, number of blocks)
 *   BD_READ (first block, count) + DATA_READ of count * block size bytes
 *       The blocks first .. first + count - 1. EINVAL for count 0, a range
 *       past the end or a data read of another size (at most IPC_DATA_MAX
 *       bytes); EIO if the device failed.
 *   BD_WRITE (first block, count) + DATA_WRITE of count * block size bytes
 *       The same checks; the data is on the device, or in a write cache
 *       that BD_SYNC empties, when the answer comes.
 *   BD_SYNC: everything written so far is on the medium.
 *   BD_SHARE + SHARE_OUT of a buffer of up to BD_SHARED_MAX bytes, page
 *       aligned: the session's shared buffer (a later one replaces it).
 *   BD_READ_SHARED (first block, count, offset), BD_WRITE_SHARED (the same):
 *       BD_READ/BD_WRITE with the data at @offset of the shared buffer
 *       instead of a data transfer; EINVAL without a buffer or when the
 *       bytes do not fit in it.
 *   Any other method: ENOTSUP.
 */
#ifndef ABI_BD_H
#define ABI_BD_H

#include <abi/ipc.h>

#define BD_IFACE    0x62640001 /* "bd" 1 */
#define BD_CATEGORY "disk"

/* The largest shared buffer of a session. */
#define BD_SHARED_MAX (1024 * 1024)

#define BD_METHODS(M) \
	M(BD_GET_INFO, "bd.get_info") \
	M(BD_READ, "bd.read") \
	M(BD_WRITE, "bd.write") \
	M(BD_SYNC, "bd.sync") \
	M(BD_SHARE, "bd.share") \
	M(BD_READ_SHARED, "bd.read_shared") \
	M(BD_WRITE_SHARED, "bd.write_shared")

IFACE_METHOD_ENUM(BD, BD_METHODS, IPC_FIRST_USER_METHOD);

/*
 * The volume server's own service in the naming service, beside the
 * partitions it serves as block devices through the location service:
 *
 *   VOL_SCAN: the answer comes once every disk of category BD_CATEGORY
 *       has been scanned and its partitions registered (a scan already
 *       under way is waited for).
 *
 * A block driver calls it (libc's vol_scan(), bd.h) once it has exposed its
 * disks: init starts the volume server on demand at that first connect
 * (init.conf's demand=volsrv), so a boot without a disk never starts it,
 * and the partitions are there before the driver reports ready.
 */
#define VOL_SERVICE_NAME "volsrv"
#define VOL_IFACE	 0x766f6c01 /* "vol" 1 */

#define VOL_METHODS(M) M(VOL_SCAN, "vol.scan")

IFACE_METHOD_ENUM(VOL, VOL_METHODS, IPC_FIRST_USER_METHOD + 0x100);

#endif
