/*
 * Overwriting ring of fixed-size records (a byte log is a ring of 1-byte
 * records). The writer never blocks: when full, the oldest records are lost.
 * Each reader keeps its own cursor (a count of records ever written); a reader
 * that fell behind is told how many records it missed.
 * Not synchronised: the owner's lock protects it.
 */
#ifndef COMMON_ADT_RINGBUF_H
#define COMMON_ADT_RINGBUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint8_t *data;
	size_t rec_size;
	size_t capacity; /* records; a power of two */
	uint64_t head;	 /* records ever written */
} ringbuf_t;

/** @a capacity must be a power of two; @a data holds capacity * rec_size bytes. */
void ringbuf_init(ringbuf_t *rb, void *data, size_t rec_size, size_t capacity);
void ringbuf_put(ringbuf_t *rb, const void *rec);
/** Appends the @a count records at @a recs, in at most two copies (more
 *  than capacity: only the last capacity of them are kept, as one by one). */
void ringbuf_put_many(ringbuf_t *rb, const void *recs, size_t count);
/** Copies up to @a max records from @a *cursor on (in at most two copies);
 *  advances the cursor; stores in @a missed how many records were
 *  overwritten before being read. */
size_t ringbuf_read(
    const ringbuf_t *rb, uint64_t *cursor, void *out, size_t max, uint64_t *missed);
/** Records currently held (at most capacity). */
size_t ringbuf_count(const ringbuf_t *rb);

#endif
