/*
 * virtio-blk: requests. Each runs with the device's lock held (vblk.h):
 * the header and data go into the DMA block, one chain (header, data in
 * descriptors of at most seg_size bytes, status) into the queue, a
 * notification to the device, and the request waits for the used ring to
 * move: woken by the interrupt handler, and every VBLK_POLL_USEC it looks
 * by itself (an interrupt lost or late is no error; a device that reports
 * DEVICE_NEEDS_RESET is, for good).
 */
#include "vblk.h"
#include <stdio.h>
#include <string.h>

void vblk_irq(vblk_t *v, uint8_t isr)
{
	fibril_mutex_lock(&v->irq_lock);
	v->irqs++;
	fibril_condvar_broadcast(&v->irq_cv);
	fibril_mutex_unlock(&v->irq_lock);
}

/** Logs the first I/O error of the device; EIO. */
static errno_t device_error(vblk_t *v, const char *what, uint64_t sector, const char *why)
{
	if (!v->error_logged) {
		v->error_logged = true;
		printf("%s: %s %s at sector %llu failed: %s\n", NAME,
		    drv_dev_path(v->vdev.drv), what, (unsigned long long) sector, why);
	}
	return EIO;
}

/** Waits until the device has used a chain. EIO when it needs a reset. */
static errno_t wait_used(vblk_t *v)
{
	fibril_mutex_lock(&v->irq_lock);
	while (!virtq_has_used(&v->rq.vq) && !v->broken) {
		if (virtio_needs_reset(&v->vdev)) {
			v->broken = true;
			break;
		}
		DISCARD(woken,
		    fibril_condvar_wait_timeout(
			&v->irq_cv, &v->irq_lock, VBLK_POLL_USEC));
	}
	fibril_mutex_unlock(&v->irq_lock);
	return v->broken ? EIO : EOK;
}

/** The chain of a request of @a type with @a bytes of data (0: none) into
 *  @a bufs; its length. */
static size_t build_chain(vblk_t *v, uint32_t type, size_t bytes, virtq_buf_t *bufs)
{
	size_t n = 0;
	bufs[n++] = (virtq_buf_t){
	    v->dma_phys + VBLK_DMA_HDR, sizeof(vblk_req_hdr_t), false};
	for (size_t off = 0; off < bytes; off += v->seg_size) {
		size_t len = bytes - off < v->seg_size ? bytes - off : v->seg_size;
		bufs[n++] = (virtq_buf_t){v->dma_phys + VBLK_DMA_DATA + off,
		    (uint32_t) len, type == VIRTIO_BLK_T_IN};
	}
	bufs[n++] = (virtq_buf_t){v->dma_phys + VBLK_DMA_STATUS, 1, true};
	return n;
}

/** One request on the device, the data already in (or bound for) the DMA
 *  block. The lock is held. */
static errno_t submit(vblk_t *v, uint32_t type, uint64_t sector, size_t bytes)
{
	if (v->broken)
		return device_error(v, "request", sector, "the device needs a reset");
	vblk_req_hdr_t *hdr = (vblk_req_hdr_t *) (v->dma + VBLK_DMA_HDR);
	*hdr = (vblk_req_hdr_t){.type = type, .sector = sector};
	volatile uint8_t *status = v->dma + VBLK_DMA_STATUS;
	*status = 0xff; /* no status yet */
	virtq_buf_t bufs[VBLK_QUEUE_MAX];
	size_t n = build_chain(v, type, bytes, bufs);
	uint16_t head, used;
	uint32_t len;
	errno_t rc = virtq_add(&v->rq.vq, bufs, n, &head);
	if (rc != EOK)
		return device_error(v, "request", sector, "queue full");
	virtio_queue_notify(&v->rq);
	rc = wait_used(v);
	if (rc == EOK)
		rc = virtq_get_used(&v->rq.vq, &used, &len);
	if (rc != EOK || used != head) {
		v->broken = true; /* the queue no longer says what the device did */
		return device_error(v, "request", sector, "bad used ring");
	}
	if (*status != VIRTIO_BLK_S_OK)
		return device_error(v, type == VIRTIO_BLK_T_FLUSH ? "flush" : "transfer",
		    sector, *status == 2 ? "unsupported" : "device error");
	return EOK;
}

static uint64_t sector_of(const vblk_t *v, uint64_t ba)
{
	return ba * (v->bd.block_size / VBLK_SECTOR);
}

/** @a count blocks from @a ba in requests of at most xfer_max bytes, copied
 *  out of the DMA block into @a in (reads) or into it from @a out
 *  (writes), whichever is not NULL. */
static errno_t transfer(vblk_t *v, uint64_t ba, size_t count, void *in, const void *out)
{
	size_t bs = v->bd.block_size, per = v->xfer_max / bs;
	uint32_t type = in != NULL ? VIRTIO_BLK_T_IN : VIRTIO_BLK_T_OUT;
	errno_t rc = EOK;
	fibril_mutex_lock(&v->lock);
	for (size_t done = 0; done < count && rc == EOK;) {
		size_t n = count - done < per ? count - done : per;
		if (out != NULL)
			memcpy(v->dma + VBLK_DMA_DATA, (const uint8_t *) out + done * bs,
			    n * bs);
		rc = submit(v, type, sector_of(v, ba + done), n * bs);
		if (rc == EOK && in != NULL)
			memcpy(
			    (uint8_t *) in + done * bs, v->dma + VBLK_DMA_DATA, n * bs);
		done += n;
	}
	fibril_mutex_unlock(&v->lock);
	return rc;
}

static errno_t vblk_read(void *dev, uint64_t ba, size_t count, void *buf)
{
	return transfer(dev, ba, count, buf, NULL);
}

static errno_t vblk_write(void *dev, uint64_t ba, size_t count, const void *buf)
{
	vblk_t *v = dev;
	if (v->read_only)
		return EROFS;
	return transfer(v, ba, count, NULL, buf);
}

/** Without VIRTIO_BLK_F_FLUSH the device writes through: nothing to do. */
static errno_t vblk_sync(void *dev)
{
	vblk_t *v = dev;
	if (!v->has_flush || v->read_only)
		return EOK;
	fibril_mutex_lock(&v->lock);
	errno_t rc = submit(v, VIRTIO_BLK_T_FLUSH, 0, 0);
	fibril_mutex_unlock(&v->lock);
	return rc;
}

const bd_ops_t vblk_bd_ops = {.read = vblk_read, .write = vblk_write, .sync = vblk_sync};
