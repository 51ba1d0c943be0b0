/*
 * The system log: reading the kernel's own log ring (SYS_KLOG_READ) and the
 * log service's client calls (abi/logger.h). The session to the logger is
 * made on first use and kept; its calls run one exchange at a time.
 */
#ifndef LIBC_LOG_H
#define LIBC_LOG_H

#include <discard.h>

#include <abi/errno.h>
#include <abi/logger.h>
#include <stddef.h>
#include <stdint.h>

/** Copies up to @a size bytes of the kernel log from *@a cursor on into
 *  @a buf; advances the cursor, stores the count in *@a nread and in
 *  *@a missed the bytes the ring lost before they were read. EBADMEM for a
 *  bad buffer. */
_NODISCARD errno_t klog_read(
    uint64_t *cursor, void *buf, size_t size, size_t *nread, uint64_t *missed);

/** Stores @a text (1..LOGGER_LINE_MAX bytes) in the system log under our
 *  task name. ENOENT if the log service is not running. */
_NODISCARD errno_t log_write(const char *text);
/** What one log_read() brought. */
typedef struct {
	size_t bytes;	 /* copied to the buffer; 0: nothing new */
	uint64_t missed; /* lost to the ring's wrapping before they were read */
	uint64_t end;	 /* the log's end at the time: bytes ever stored */
} log_read_info_t;

/** Reads up to @a size bytes of the system log from *@a cursor on (0: the
 *  oldest text held) and advances the cursor; *@a info says what came.
 *  ENOENT if the log service is not running. */
_NODISCARD errno_t log_read(
    uint64_t *cursor, void *buf, size_t size, log_read_info_t *info);

#endif
