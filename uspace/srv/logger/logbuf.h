/*
 * The logger's text ring (pure logic, host-tested): kernel text and
 * programs' lines in one overwriting ring of LOGGER_RING_SIZE bytes read
 * from cursors (abi/logger.h). Kernel text goes in whole lines only: the
 * tail after its last newline waits in `partial`, so a program's line never
 * lands in the middle of a kernel line. Not synchronised: the server's lock
 * guards it.
 */
#ifndef LOGGER_LOGBUF_H
#define LOGGER_LOGBUF_H

#include <abi/logger.h>
#include <common/adt/ringbuf.h>
#include <stddef.h>
#include <stdint.h>

/* A kernel line longer than this is stored in pieces. */
#define LOGBUF_PARTIAL_MAX 256

typedef struct {
	ringbuf_t ring;
	uint8_t data[LOGGER_RING_SIZE];
	char partial[LOGBUF_PARTIAL_MAX]; /* kernel text not yet ended by '\n' */
	size_t partial_len;
	uint64_t kernel_missed; /* kernel log bytes lost before we read them */
} logbuf_t;

void logbuf_init(logbuf_t *lb);
/** Appends @a len bytes of kernel log text (its complete lines). */
void logbuf_kernel(logbuf_t *lb, const char *text, size_t len);
/** Notes that the kernel's own ring lost @a bytes before we read them: a
 *  line saying so goes in, and the total grows. */
void logbuf_kernel_missed(logbuf_t *lb, uint64_t bytes);
/** Appends @a text (@a len bytes) from @a source: one "SOURCE: LINE\n" per
 *  line of it; control characters become '?'; empty text adds nothing. */
void logbuf_line(logbuf_t *lb, const char *source, const char *text, size_t len);
/** Copies up to @a max bytes from *@a cursor on into @a out (as
 *  ringbuf_read); the count. */
size_t logbuf_read(
    const logbuf_t *lb, uint64_t *cursor, char *out, size_t max, uint64_t *missed);
/** The end of the log: bytes ever stored (a cursor past all text). */
uint64_t logbuf_end(const logbuf_t *lb);

#endif
