/*
 * Overwriting record ring.
 */
#include <common/adt/ringbuf.h>
#include <common/str.h>

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

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

void ringbuf_put_many(ringbuf_t *rb, const void *recs, size_t count)
{
	const uint8_t *src = recs;
	if (count > rb->capacity) {
		/* Only the last capacity records would survive: store just them. */
		src += (count - rb->capacity) * rb->rec_size;
		rb->head += count - rb->capacity;
		count = rb->capacity;
	}
	size_t slot = rb->head & (rb->capacity - 1);
	size_t first = min_size(count, rb->capacity - slot); /* up to the ring's end */
	memcpy(rb->data + slot * rb->rec_size, src, first * rb->rec_size);
	memcpy(rb->data, src + first * rb->rec_size, (count - first) * rb->rec_size);
	rb->head += count;
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
	size_t n = rb->head - pos < max ? (size_t) (rb->head - pos) : max;
	size_t slot = pos & (rb->capacity - 1);
	size_t first = min_size(n, rb->capacity - slot); /* up to the ring's end */
	uint8_t *dst = out;
	memcpy(dst, rb->data + slot * rb->rec_size, first * rb->rec_size);
	memcpy(dst + first * rb->rec_size, rb->data, (n - first) * rb->rec_size);
	*cursor = pos + n;
	return n;
}

size_t ringbuf_count(const ringbuf_t *rb)
{
	return rb->head < rb->capacity ? (size_t) rb->head : rb->capacity;
}
