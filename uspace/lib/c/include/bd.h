/*
 * Block devices from the client's side (abi/bd.h): what every file system
 * and the volume server use. A bd_t is a session to one device with its
 * geometry; the calls move whole blocks. Requests larger than one data
 * transfer (IPC_DATA_MAX bytes) are split here.
 */
#ifndef LIBC_BD_H
#define LIBC_BD_H

#include <abi/bd.h>
#include <async.h>
#include <bcache.h>
#include <discard.h>
#include <loc.h>
#include <stdint.h>

typedef struct {
	async_sess_t *sess;
	size_t block_size;
	uint64_t block_count;
	void *shared; /* the session's shared buffer, NULL if none */
	size_t shared_size;
} bd_t;

/** Opens the block device registered as service @a id. */
_NODISCARD errno_t bd_open(loc_id_t id, bd_t **out);
/** Opens the block device of the service named @a name ("devices/..."). */
_NODISCARD errno_t bd_open_name(const char *name, bd_t **out);
/** A block device on an existing session (owned by the bd_t from then). */
_NODISCARD errno_t bd_open_sess(async_sess_t *sess, bd_t **out);
void bd_close(bd_t *bd);

/** @a count blocks from block @a ba into @a buf. */
_NODISCARD errno_t bd_read(bd_t *bd, uint64_t ba, size_t count, void *buf);
_NODISCARD errno_t bd_write(bd_t *bd, uint64_t ba, size_t count, const void *buf);
_NODISCARD errno_t bd_sync(bd_t *bd);

/** Gives the session a shared buffer of @a size bytes (page multiple, at
 *  most BD_SHARED_MAX); bd_read_shared/bd_write_shared then move data
 *  through it without a copy by the kernel. */
_NODISCARD errno_t bd_share(bd_t *bd, size_t size);
/** Blocks to/from bd->shared + @a offset. */
_NODISCARD errno_t bd_read_shared(bd_t *bd, uint64_t ba, size_t count, size_t offset);
_NODISCARD errno_t bd_write_shared(bd_t *bd, uint64_t ba, size_t count, size_t offset);

/** A block cache's device (bcache.h) over a bd_t, the cache's device
 *  argument; its blocks are the device's. */
extern const bcache_dev_t bd_cache_ops;

/** The file system on @a bd by its signature: "fat" or "ext2" in *@a type;
 *  ENOENT when none is recognised, EIO when the device cannot be read. */
_NODISCARD errno_t bd_probe_fs(bd_t *bd, const char **type);

/** Asks the volume server to scan the disks (VOL_SCAN, abi/bd.h), which
 *  starts it when init has it on demand; EOK once the partitions of every
 *  disk exposed so far are registered. ENOENT when no volume server runs
 *  nor is started on demand, or the start's error: never a wait for a
 *  server that does not come. */
_NODISCARD errno_t vol_scan(void);

#endif
