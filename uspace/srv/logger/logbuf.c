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
	ringbuf_put_many(&lb->ring, text, len);
}

/** Stores the held kernel text (with no newline of its own). */
static void flush_partial(logbuf_t *lb)
{
	put(lb, lb->partial, lb->partial_len);
	lb->partial_len = 0;
}

/** Holds @a len bytes of kernel text with no newline in them, storing the
 *  held text first whenever it reaches LOGBUF_PARTIAL_MAX. */
static void hold_partial(logbuf_t *lb, const char *text, size_t len)
{
	while (len > 0) {
		if (lb->partial_len == LOGBUF_PARTIAL_MAX)
			flush_partial(lb);
		size_t n = LOGBUF_PARTIAL_MAX - lb->partial_len;
		n = n < len ? n : len;
		memcpy(lb->partial + lb->partial_len, text, n);
		lb->partial_len += n;
		text += n;
		len -= n;
	}
}

void logbuf_kernel(logbuf_t *lb, const char *text, size_t len)
{
	/* Up to the last newline the text ends lines: stored after the held
	 * text, in one piece (the ring gets the bytes in the same order as
	 * when they went through `partial`). */
	size_t whole = len;
	while (whole > 0 && text[whole - 1] != '\n')
		whole--;
	if (whole > 0) {
		flush_partial(lb);
		put(lb, text, whole);
	}
	hold_partial(lb, text + whole, len - whole);
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
	char chunk[64];
	for (size_t done = 0; done < len;) {
		size_t n = len - done < sizeof(chunk) ? len - done : sizeof(chunk);
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char) text[done + i];
			chunk[i] = (c < 0x20 && c != '\t') || c == 0x7f ? '?' : (char) c;
		}
		put(lb, chunk, n);
		done += n;
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
