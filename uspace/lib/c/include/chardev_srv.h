/*
 * The server side of the character-device protocol (abi/chardev.h): a
 * device supplies read and write; CHARDEV_READ and CHARDEV_WRITE calls with
 * their data transfers are handled here, the data read always received
 * first so the client's pair of calls stays matched whatever is answered.
 */
#ifndef LIBC_CHARDEV_SRV_H
#define LIBC_CHARDEV_SRV_H

#include <abi/chardev.h>
#include <async.h>
#include <stdbool.h>
#include <stdint.h>

/* The most one CHARDEV_READ returns. */
#define CHARDEV_SRV_READ_MAX 4096

typedef struct {
	/** Up to @a size (> 0) bytes into @a buf, waiting for one unless
	 *  @a nonblock (then EAGAIN); the count in *@a got. NULL: ENOTSUP
	 *  (and the same for write). */
	errno_t (*read)(uint8_t *buf, size_t size, bool nonblock, size_t *got);
	/** All @a size bytes of @a buf. */
	errno_t (*write)(const uint8_t *buf, size_t size);
	/** Puts back, ahead of everything else, the @a size bytes a read
	 *  took for a reader that died before it got them (the answer failed
	 *  with EHANGUP), so the next reader (a restarted console) gets them.
	 *  NULL: such bytes are lost. */
	void (*unread)(const uint8_t *buf, size_t size);
} chardev_ops_t;

/** Handles @a call if it is CHARDEV_READ or CHARDEV_WRITE (and answers it);
 *  false if it is neither (then it is still to be answered). */
bool chardev_srv_call(ipc_call_t *call, const chardev_ops_t *ops);
/** A whole client connection of a character device: accepts @a icall, then
 *  serves calls until the client hangs up, each first offered to @a other
 *  (unless NULL; true: it answered the call), then to @a ops; anything else
 *  gets ENOTSUP. */
void chardev_srv_conn(
    ipc_call_t *icall, const chardev_ops_t *ops, bool (*other)(ipc_call_t *call));

#endif
