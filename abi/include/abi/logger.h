/*
 * The log service's protocol (uspace/srv/logger). The logger keeps one
 * LOGGER_RING_SIZE-byte ring of text: the kernel log, copied in as the
 * kernel writes it (EVENT_KLOG), and lines that programs send, each stored
 * as "NAME: TEXT" with the sender's task name. Readers hold a cursor, a
 * count of bytes ever stored (0: the oldest text still held); a reader that
 * fell more than a ring behind is told how many bytes it missed.
 *
 *   LOGGER_WRITE () + DATA_WRITE text     stores the text (1..LOGGER_LINE_MAX
 *       bytes; each of its lines gets the prefix, control characters become
 *       '?'). EINVAL for no data, ELIMIT for too much.
 *   LOGGER_READ (cursor) + DATA_READ      text from @a cursor on, as much as
 *       the read asks for and the ring holds -> (bytes, new cursor, bytes
 *       missed, end: bytes ever stored). 0 bytes: nothing new yet.
 */
#ifndef ABI_LOGGER_H
#define ABI_LOGGER_H

#include <abi/ipc.h>

#define LOGGER_SERVICE	 "logger"
#define LOGGER_IFACE	 0x6c6f6701
#define LOGGER_RING_SIZE 65536
#define LOGGER_LINE_MAX	 1024

#define LOGGER_METHODS(M) \
	M(LOGGER_WRITE, "logger.write") \
	M(LOGGER_READ, "logger.read")

IFACE_METHOD_ENUM(LOGGER, LOGGER_METHODS, IPC_FIRST_USER_METHOD);

#endif
