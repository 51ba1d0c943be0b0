/*
 * The logger's text ring (logbuf.h).
 */
#include "logbuf.h"
#include <stdio.h>
#include <string.h>

void logbuf_init(logbuf_t *lb)
{
	ringbuf_init(&lb->ring, lb->data, 1, LOGGER_RING_SIZE);
	lb->partial_len = 0;
	lb->kernel_missed = 0;
}

static void put(logbuf_t *lb, const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		ringbuf_put(&lb->ring, &text[i]);
}

/** Stores the held kernel text (with no newline of its own). */
static void flush_partial(logbuf_t *lb)
{
	put(lb, lb->partial, lb->partial_len);
	lb->partial_len = 0;
}

void logbuf_kernel(logbuf_t *lb, const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (lb->partial_len == LOGBUF_PARTIAL_MAX)
			flush_partial(lb);
		lb->partial[lb->partial_len++] = text[i];
		if (text[i] == '\n')
			flush_partial(lb);
	}
}

void logbuf_kernel_missed(logbuf_t *lb, uint64_t bytes)
{
	if (bytes == 0)
		return;
	lb->kernel_missed += bytes;
	char note[96];
	int n = snprintf(note, sizeof(note),
	    "logger: %llu bytes of the kernel log were lost before they were read\n",
	    (unsigned long long) bytes);
	/* The lost text may have ended a line that the held text began. */
	lb->partial_len = 0;
	put(lb, note, (size_t) n);
}

/** Stores one line of @a source: prefix, text made printable, newline. */
static void put_line(logbuf_t *lb, const char *source, const char *text, size_t len)
{
	put(lb, source, strlen(source));
	put(lb, ": ", 2);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char) text[i];
		char out = (c < 0x20 && c != '\t') || c == 0x7f ? '?' : (char) c;
		ringbuf_put(&lb->ring, &out);
	}
	put(lb, "\n", 1);
}

void logbuf_line(logbuf_t *lb, const char *source, const char *text, size_t len)
{
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		/* A final newline ends the last line; it does not begin another. */
		if (i < len || i > start)
			put_line(lb, source, text + start, i - start);
		start = i + 1;
	}
}

uint64_t logbuf_end(const logbuf_t *lb)
{
	return lb->ring.head;
}

size_t logbuf_read(
    const logbuf_t *lb, uint64_t *cursor, char *out, size_t max, uint64_t *missed)
{
	return ringbuf_read(&lb->ring, cursor, out, max, missed);
}
