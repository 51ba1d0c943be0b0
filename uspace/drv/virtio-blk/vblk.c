/*
 * virtio-blk: the driver's entry point. Started by devman for a virtio
 * block device on PCI (virtio-blk.ma) with the device's BARs and INTx line
 * granted; brings the device up through libvirtio (virtio/virtio.h: the
 * structures, features, the request queue, the ISR read by the kernel's
 * IRQ program), reads its size and exposes it as disk0 in category "disk".
 */
#include "vblk.h"
#include <as.h>
#include <drv.h>
#include <stdio.h>
#include <string.h>

#define WANTED_FEATURES \
	((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_BLK_F_SIZE_MAX) | \
	    (1ull << VIRTIO_BLK_F_SEG_MAX) | (1ull << VIRTIO_BLK_F_RO) | \
	    (1ull << VIRTIO_BLK_F_BLK_SIZE) | (1ull << VIRTIO_BLK_F_FLUSH))

static vblk_t disk;

static void vblk_irq_handler(ipc_call_t *call, void *arg)
{
	vblk_irq(arg, (uint8_t) call->args[0]);
}

static void disk_connection(ipc_call_t *icall, void *arg)
{
	vblk_t *v = arg;
	bd_srv_conn(icall, &v->bd);
}

static bool has(const vblk_t *v, unsigned feature)
{
	return (v->vdev.features & (1ull << feature)) != 0;
}

static uint32_t cfg32(const vblk_t *v, size_t offset, uint32_t fallback)
{
	uint32_t x;
	return virtio_device_cfg_read(&v->vdev, offset, &x, sizeof(x)) == EOK ? x
									      : fallback;
}

/** Block size and count from the device's configuration: the logical
 *  block size when it offers one we can serve (512..4096, a power of
 *  two), 512 bytes otherwise. */
static errno_t read_geometry(vblk_t *v)
{
	uint64_t sectors;
	errno_t rc = virtio_device_cfg_read(&v->vdev, VBLK_CFG_CAPACITY, &sectors, 8);
	if (rc != EOK)
		return rc;
	uint32_t bs = has(v, VIRTIO_BLK_F_BLK_SIZE)
	    ? cfg32(v, VBLK_CFG_BLK_SIZE, VBLK_SECTOR)
	    : VBLK_SECTOR;
	if (bs < VBLK_SECTOR || bs > 4096 || (bs & (bs - 1)) != 0)
		bs = VBLK_SECTOR;
	v->bd = (bd_srv_dev_t){.ops = &vblk_bd_ops,
	    .dev = v,
	    .block_size = bs,
	    .block_count = sectors / (bs / VBLK_SECTOR)};
	v->read_only = has(v, VIRTIO_BLK_F_RO);
	v->has_flush = has(v, VIRTIO_BLK_F_FLUSH);
	return v->bd.block_count == 0 ? ENOENT : EOK;
}

/** How a request's data is cut into descriptors: at most size_max bytes
 *  each (when the device says), at most seg_max of them and never more
 *  than the queue holds besides header and status. */
static void plan_segments(vblk_t *v)
{
	uint32_t seg = has(v, VIRTIO_BLK_F_SIZE_MAX)
	    ? cfg32(v, VBLK_CFG_SIZE_MAX, VBLK_XFER_MAX)
	    : VBLK_XFER_MAX;
	if (seg < VBLK_SECTOR)
		seg = VBLK_SECTOR;
	seg &= ~(uint32_t) (VBLK_SECTOR - 1);
	uint32_t segs = has(v, VIRTIO_BLK_F_SEG_MAX) ? cfg32(v, VBLK_CFG_SEG_MAX, 1)
						     : UINT32_MAX;
	if (segs == 0)
		segs = 1;
	if (segs > v->rq.vq.size - 2u)
		segs = v->rq.vq.size - 2u;
	uint64_t max = (uint64_t) seg * segs;
	v->seg_size = seg > VBLK_XFER_MAX ? VBLK_XFER_MAX : seg;
	v->xfer_max = max > VBLK_XFER_MAX ? VBLK_XFER_MAX : (size_t) max;
	v->xfer_max -= v->xfer_max % v->bd.block_size;
	if (v->xfer_max == 0)
		v->xfer_max = v->bd.block_size;
}

/** The device up (virtio 1.0, 3.1.1), up to DRIVER_OK. */
static errno_t bring_up(drv_dev_t *dev, vblk_t *v)
{
	errno_t rc = virtio_pci_start(dev, &v->vdev, WANTED_FEATURES);
	if (rc == EOK)
		rc = virtio_queue_setup(&v->vdev, 0, VBLK_QUEUE_MAX, &v->rq);
	if (rc == EOK && v->rq.vq.size < 3)
		rc = ENOTSUP; /* a request needs three descriptors */
	if (rc == EOK)
		rc = dmamem_map_anonymous(
		    VBLK_DMA_SIZE, 0, (void **) &v->dma, &v->dma_phys);
	if (rc == EOK)
		rc = read_geometry(v);
	if (rc == EOK)
		rc = virtio_irq_subscribe(&v->vdev, vblk_irq_handler, v);
	if (rc != EOK) {
		virtio_fail(&v->vdev);
		return rc;
	}
	plan_segments(v);
	virtio_driver_ok(&v->vdev);
	return EOK;
}

static errno_t vblk_dev_add(drv_dev_t *dev)
{
	vblk_t *v = &disk;
	fibril_mutex_initialize(&v->lock);
	fibril_mutex_initialize(&v->irq_lock);
	fibril_condvar_initialize(&v->irq_cv);
	errno_t rc = bring_up(dev, v);
	if (rc != EOK) {
		printf("%s: %s: %s\n", NAME, drv_dev_path(dev), strerror(rc));
		return rc;
	}
	rc = drv_fun_expose(dev, "disk0", BD_CATEGORY, disk_connection, v, NULL);
	if (rc == EOK)
		printf("%s: %s/disk0: %llu blocks of %zu bytes%s\n", NAME,
		    drv_dev_path(dev), (unsigned long long) v->bd.block_count,
		    v->bd.block_size, v->read_only ? ", read-only" : "");
	return rc;
}

static const driver_ops_t vblk_driver = {.name = NAME, .dev_add = vblk_dev_add};

int main(int argc, char **argv)
{
	return drv_main(&vblk_driver, argc, argv);
}
