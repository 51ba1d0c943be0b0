/*
 * virtio-blk: a virtio 1.0 block device over PCI (libvirtio), its one
 * request queue driven with interrupt-driven completion, exposed as
 * function disk0 in category "disk" (abi/bd.h) like an ATA disk.
 *
 * Locking: `lock` is held for a whole request (one request in flight: the
 * header, data and status live in one DMA block); `irq_lock` guards
 * `irqs`, which the interrupt handler's fibril bumps, and is taken inside
 * `lock`.
 */
#ifndef VBLK_H
#define VBLK_H

#include <bd_srv.h>
#include <fibril_synch.h>
#include <virtio/virtio.h>

#define NAME "virtio-blk"

/* Device configuration (virtio 1.0, 5.2.4). */
#define VBLK_CFG_CAPACITY 0  /* le64: 512-byte sectors */
#define VBLK_CFG_SIZE_MAX 8  /* le32: bytes of one segment (F_SIZE_MAX) */
#define VBLK_CFG_SEG_MAX  12 /* le32: segments of one request (F_SEG_MAX) */
#define VBLK_CFG_BLK_SIZE 20 /* le32: the logical block size (F_BLK_SIZE) */

/* Feature bits (5.2.3). */
#define VIRTIO_BLK_F_SIZE_MAX 1
#define VIRTIO_BLK_F_SEG_MAX  2
#define VIRTIO_BLK_F_RO	      5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH    9

/* Requests (5.2.6): a header the device reads, the data, a status byte
 * it writes. */
#define VIRTIO_BLK_T_IN	   0
#define VIRTIO_BLK_T_OUT   1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_S_OK	   0

typedef struct {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector; /* in 512-byte units whatever the block size */
} vblk_req_hdr_t;

#define VBLK_SECTOR    512
#define VBLK_QUEUE_MAX 128
#define VBLK_XFER_MAX  (64 * 1024) /* data bytes of one request */
/* How often a waiting request looks at the device without an interrupt:
 * never an error by itself (a slow host is not a broken device). */
#define VBLK_POLL_USEC (1000 * 1000)

typedef struct {
	virtio_dev_t vdev;
	virtio_queue_t rq;
	fibril_mutex_t lock;
	fibril_mutex_t irq_lock;
	fibril_condvar_t irq_cv;
	uint64_t irqs; /* interrupts seen */
	bool read_only;
	bool has_flush;
	bool broken;	   /* the device needs a reset: every request EIO */
	bool error_logged; /* an I/O error was logged (once) */
	size_t xfer_max;   /* data bytes of one request */
	uint32_t seg_size; /* bytes of one data descriptor */
	/* The DMA block: the header, the status byte, then the data. */
	uint8_t *dma;
	uintptr_t dma_phys;
	bd_srv_dev_t bd;
} vblk_t;

/* Offsets in the DMA block. */
#define VBLK_DMA_HDR	0
#define VBLK_DMA_STATUS 16
#define VBLK_DMA_DATA	4096
#define VBLK_DMA_SIZE	(VBLK_DMA_DATA + VBLK_XFER_MAX)

extern const bd_ops_t vblk_bd_ops;

/** The interrupt handler's part: an interrupt came (ISR status @a isr). */
void vblk_irq(vblk_t *v, uint8_t isr);

#endif
