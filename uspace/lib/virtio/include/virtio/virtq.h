/*
 * libvirtio: split virtqueues (virtio 1.0, 2.4), the driver's half. Pure
 * code over memory the caller provides (DMA memory in a driver, plain
 * memory in host tests); no I/O: telling the device is the transport's job
 * (virtio_queue_notify in virtio.h).
 *
 * A queue of `size` descriptors (a power of two up to VIRTQ_SIZE_MAX) lives
 * in one block laid out by virtq_layout(): descriptor table, available ring,
 * used ring, each aligned as the specification asks. Free descriptors form
 * a list through their `next` fields.
 *
 * Concurrency: a virtq_t has one owner at a time (the driver serialises
 * calls with its own lock); the device reads the table and available ring
 * and writes the used ring concurrently, which the barriers in virtq.c
 * order.
 */
#ifndef VIRTIO_VIRTQ_H
#define VIRTIO_VIRTQ_H

#include <abi/errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <virtio/hw.h>

#define VIRTQ_SIZE_MAX 256

/** Where the parts of a queue of @a size descriptors lie in its block. */
typedef struct {
	size_t desc;  /* offset of the descriptor table (0) */
	size_t avail; /* of the available ring */
	size_t used;  /* of the used ring */
	size_t total; /* bytes of the whole block */
} virtq_layout_t;

/** One buffer of a chain: physical address, length, written by the device. */
typedef struct {
	uint64_t phys;
	uint32_t len;
	bool device_writes;
} virtq_buf_t;

typedef struct {
	uint16_t size;
	virtq_desc_t *desc;
	volatile virtq_avail_t *avail;
	volatile virtq_used_t *used;
	uint16_t free_head; /* first free descriptor */
	uint16_t num_free;
	uint16_t avail_idx; /* our copy of avail->idx */
	uint16_t last_used; /* used->idx we have consumed up to */
	/* chain_len[h]: descriptors of the chain headed by h while the device
	 * owns it, 0 otherwise. */
	uint16_t chain_len[VIRTQ_SIZE_MAX];
} virtq_t;

/** The layout of a queue of @a size descriptors; EINVAL unless @a size is
 *  a power of two from 1 to VIRTQ_SIZE_MAX. */
errno_t virtq_layout(uint16_t size, virtq_layout_t *out);
/** Takes up the zeroed block @a mem laid out for @a size descriptors
 *  (virtq_layout succeeded for it), every descriptor free. */
void virtq_init(virtq_t *q, void *mem, uint16_t size);
/** Puts the chain of @a n buffers in the available ring; *@a head names it
 *  for virtq_get_used(). EINVAL for n == 0 or a buffer of length 0,
 *  ENOSPC when fewer than @a n descriptors are free. The device sees it
 *  once notified. */
errno_t virtq_add(virtq_t *q, const virtq_buf_t *bufs, size_t n, uint16_t *head);
/** Whether the device used a chain we have not taken yet. */
bool virtq_has_used(const virtq_t *q);
/** Takes the next used chain: its head and the bytes the device wrote, and
 *  frees its descriptors. EAGAIN when there is none; EIO when the device
 *  names a descriptor that is not the head of a chain in flight (nothing
 *  is freed then). */
errno_t virtq_get_used(virtq_t *q, uint16_t *head, uint32_t *len);
/** Whether the device asked not to be notified (VIRTQ_USED_F_NO_NOTIFY). */
bool virtq_notify_suppressed(const virtq_t *q);

#endif
