/*
 * libvirtio: split virtqueues, the driver's half (virtio/virtq.h).
 *
 * Ordering with the device: a chain's descriptors and its slot in the
 * available ring are written before avail->idx moves (a store barrier;
 * x86 keeps stores in order, the compiler must too), and used->idx is
 * read before the used elements it covers.
 */
#include <virtio/virtq.h>
#include <string.h>

#define ALIGN(x, a) (((x) + (a) -1) & ~((size_t) (a) -1))

/* Alignments of virtio 1.0, 2.4: table 16, available ring 2, used ring 4. */
#define DESC_ALIGN  16
#define AVAIL_ALIGN 2
#define USED_ALIGN  4

static void store_barrier(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static void load_barrier(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

errno_t virtq_layout(uint16_t size, virtq_layout_t *out)
{
	if (size == 0 || size > VIRTQ_SIZE_MAX || (size & (size - 1)) != 0)
		return EINVAL;
	out->desc = 0;
	out->avail = ALIGN(out->desc + size * sizeof(virtq_desc_t), AVAIL_ALIGN);
	/* flags, idx, ring[size], used_event */
	size_t avail_bytes = 2 * sizeof(uint16_t) + size * sizeof(uint16_t) +
	    sizeof(uint16_t);
	out->used = ALIGN(out->avail + avail_bytes, USED_ALIGN);
	/* flags, idx, ring[size], avail_event */
	size_t used_bytes = 2 * sizeof(uint16_t) + size * sizeof(virtq_used_elem_t) +
	    sizeof(uint16_t);
	out->total = ALIGN(out->used + used_bytes, DESC_ALIGN);
	return EOK;
}

void virtq_init(virtq_t *q, void *mem, uint16_t size)
{
	virtq_layout_t l;
	errno_t rc = virtq_layout(size, &l);
	(void) rc; /* the caller checked it */
	memset(q, 0, sizeof(*q));
	q->size = size;
	q->desc = (virtq_desc_t *) ((char *) mem + l.desc);
	q->avail = (volatile virtq_avail_t *) ((char *) mem + l.avail);
	q->used = (volatile virtq_used_t *) ((char *) mem + l.used);
	for (uint16_t i = 0; i < size; i++)
		q->desc[i].next = (uint16_t) (i + 1);
	q->free_head = 0;
	q->num_free = size;
}

/** Fills the free descriptors from the head on with @a bufs (the chain
 *  follows the free list, so each `next` already names the following
 *  buffer); returns the first descriptor the chain did not take. */
static uint16_t fill_chain(virtq_t *q, const virtq_buf_t *bufs, size_t n)
{
	uint16_t d = q->free_head;
	for (size_t i = 0; i < n; i++) {
		virtq_desc_t *desc = &q->desc[d];
		desc->addr = bufs[i].phys;
		desc->len = bufs[i].len;
		desc->flags = (uint16_t) ((bufs[i].device_writes ? VIRTQ_DESC_F_WRITE
								 : 0) |
		    (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
		d = desc->next; /* after the last: the first free one left */
	}
	return d;
}

errno_t virtq_add(virtq_t *q, const virtq_buf_t *bufs, size_t n, uint16_t *head)
{
	if (n == 0)
		return EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (bufs[i].len == 0)
			return EINVAL;
	}
	if (n > q->num_free)
		return ENOSPC;
	uint16_t h = q->free_head;
	q->free_head = fill_chain(q, bufs, n);
	q->num_free = (uint16_t) (q->num_free - n);
	q->chain_len[h] = (uint16_t) n;
	q->avail->ring[q->avail_idx & (q->size - 1)] = h;
	store_barrier(); /* the chain and its slot before the index */
	q->avail_idx++;
	q->avail->idx = q->avail_idx;
	*head = h;
	return EOK;
}

bool virtq_has_used(const virtq_t *q)
{
	return q->used->idx != q->last_used;
}

/** Gives the chain headed by @a h back to the free list. */
static void free_chain(virtq_t *q, uint16_t h)
{
	uint16_t last = h;
	for (uint16_t i = 1; i < q->chain_len[h]; i++)
		last = q->desc[last].next;
	q->desc[last].next = q->free_head;
	q->free_head = h;
	q->num_free = (uint16_t) (q->num_free + q->chain_len[h]);
	q->chain_len[h] = 0;
}

errno_t virtq_get_used(virtq_t *q, uint16_t *head, uint32_t *len)
{
	if (!virtq_has_used(q))
		return EAGAIN;
	load_barrier(); /* the index before the element it covers */
	volatile virtq_used_elem_t *e = &q->used->ring[q->last_used & (q->size - 1)];
	uint32_t id = e->id;
	uint32_t written = e->len;
	if (id >= q->size || q->chain_len[id] == 0)
		return EIO;
	q->last_used++;
	free_chain(q, (uint16_t) id);
	*head = (uint16_t) id;
	*len = written;
	return EOK;
}

bool virtq_notify_suppressed(const virtq_t *q)
{
	/* Our avail->idx store is seen before we read the device's flag. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return (q->used->flags & VIRTQ_USED_F_NO_NOTIFY) != 0;
}
