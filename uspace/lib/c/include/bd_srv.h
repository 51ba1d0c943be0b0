/*
 * The server side of the block-device protocol (abi/bd.h). A driver
 * describes a device (block size, count, read/write/sync of block ranges)
 * and hands each client connection to bd_srv_conn(), which decodes every
 * call, checks ranges and sizes and moves the data (by data transfer or
 * through the session's shared buffer); the device's functions see only
 * requests already checked to lie inside the device.
 */
#ifndef LIBC_BD_SRV_H
#define LIBC_BD_SRV_H

#include <abi/bd.h>
#include <async.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct {
	/** Blocks @a ba .. @a ba + @a count - 1 (inside the device, count >
	 *  0) into @a buf (count * block size bytes). EIO on a device error. */
	errno_t (*read)(void *dev, uint64_t ba, size_t count, void *buf);
	/** The same blocks from @a buf. */
	errno_t (*write)(void *dev, uint64_t ba, size_t count, const void *buf);
	/** Everything written is on the medium. NULL: nothing to do. */
	errno_t (*sync)(void *dev);
} bd_ops_t;

typedef struct {
	const bd_ops_t *ops;
	void *dev;	   /* the driver's device, passed to the ops */
	size_t block_size; /* bytes, a power of two from 512 to 4096 */
	uint64_t block_count;
} bd_srv_dev_t;

/** Whether @a count blocks from @a ba, @a bytes of data, are a valid request
 *  on a device of @a block_count blocks of @a block_size bytes. */
bool bd_srv_range_ok(
    size_t block_size, uint64_t block_count, uint64_t ba, uint64_t count, size_t bytes);

/** A whole client connection of @a dev: accepts @a icall and serves calls
 *  until the client hangs up; unknown calls get ENOTSUP. */
void bd_srv_conn(ipc_call_t *icall, const bd_srv_dev_t *dev);

#endif
