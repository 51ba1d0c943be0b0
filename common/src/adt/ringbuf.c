/*
 * Overwriting record ring.
 */
#include <common/adt/ringbuf.h>
#include <common/str.h>

void ringbuf_init(ringbuf_t *rb, void *data, size_t rec_size, size_t capacity)
{
	rb->data = data;
	rb->rec_size = rec_size;
	rb->capacity = capacity;
	rb->head = 0;
}

void ringbuf_put(ringbuf_t *rb, const void *rec)
{
	size_t slot = rb->head & (rb->capacity - 1);
	memcpy(rb->data + slot * rb->rec_size, rec, rb->rec_size);
	rb->head++;
}

size_t ringbuf_read(
    const ringbuf_t *rb, uint64_t *cursor, void *out, size_t max, uint64_t *missed)
{
	uint64_t oldest = rb->head > rb->capacity ? rb->head - rb->capacity : 0;
	uint64_t pos = *cursor;
	*missed = 0;
	if (pos < oldest) {
		*missed = oldest - pos;
		pos = oldest;
	}
	if (pos > rb->head)
		pos = rb->head;
	size_t n = 0;
	uint8_t *dst = out;
	while (n < max && pos < rb->head) {
		size_t slot = pos & (rb->capacity - 1);
		memcpy(
		    dst + n * rb->rec_size, rb->data + slot * rb->rec_size, rb->rec_size);
		n++;
		pos++;
	}
	*cursor = pos;
	return n;
}

size_t ringbuf_count(const ringbuf_t *rb)
{
	return rb->head < rb->capacity ? (size_t) rb->head : rb->capacity;
}
