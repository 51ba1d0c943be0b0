/*
 * libvirtio: a virtio 1.0 ("modern") PCI device for a driver on the driver
 * framework (drv.h). Generic over device types: virtio-blk uses it
 * (uspace/drv/virtio-blk), a virtio-net driver would the same way.
 *
 * Bringing a device up (virtio 1.0, 3.1.1), in this order:
 *
 *	virtio_dev_t vdev;
 *	virtio_pci_start(dev, &vdev, wanted);    the three steps below in one:
 *	  virtio_pci_open(dev, &vdev);           structures found and mapped
 *	  virtio_negotiate(&vdev, wanted, &got); reset, features, FEATURES_OK
 *	  drv_dev_dma_enable(dev);               bus mastering, after the reset
 *	virtio_queue_setup(&vdev, 0, 128, &q);   each queue, in DMA memory
 *	virtio_irq_subscribe(&vdev, handler, arg);
 *	virtio_driver_ok(&vdev);                 the device runs
 *
 * then per request: virtq_add(&q.vq, bufs, n, &head) (virtio/virtq.h),
 * virtio_queue_notify(&q), and when the interrupt handler ran (its
 * notification's first argument is the ISR status, read and so cleared by
 * the kernel's IRQ program) virtq_get_used(&q.vq, ...). Any error before
 * virtio_driver_ok() should end in virtio_fail().
 *
 * Resources: the device's memory BARs and its INTx line, granted by devman
 * (the PCI driver's resources of the function). The capability list comes
 * from the parent PCI driver's "ctl" service (PCI_GET_CONFIG); the PCI
 * driver has turned bus mastering on. MSI-X is not used.
 *
 * A virtio_dev_t and its queues have one owner; the driver serialises
 * calls on them (the ISR read happens in the kernel).
 */
#ifndef VIRTIO_VIRTIO_H
#define VIRTIO_VIRTIO_H

#include <abi/pci.h>
#include <async.h>
#include <drv.h>
#include <virtio/caps.h>
#include <virtio/hw.h>
#include <virtio/virtq.h>

typedef struct {
	drv_dev_t *drv;
	pci_dev_info_t info; /* the function, as the PCI driver found it */
	virtio_pci_caps_t caps;
	volatile virtio_pci_common_cfg_t *common;
	volatile uint8_t *notify;     /* the notify structure */
	volatile uint8_t *device_cfg; /* NULL when the device has none */
	uint64_t isr_phys;	      /* the ISR byte, read by the IRQ program */
	uintptr_t bar_map[PCI_BARS];  /* where each BAR used is mapped, or 0 */
	uint64_t features;	      /* what virtio_negotiate() agreed */
} virtio_dev_t;

typedef struct {
	virtio_dev_t *dev;
	uint16_t index;
	virtq_t vq;
	void *mem; /* the queue's DMA block */
	uintptr_t phys;
	volatile uint16_t *doorbell; /* where a notification is written */
} virtio_queue_t;

/** Finds @a drv's virtio structures through the PCI driver and maps them.
 *  ENOENT: not a virtio 1.0 device (no common, notify or ISR structure),
 *  EINVAL: a structure outside its BAR or in an I/O BAR, EPERM: a BAR not
 *  granted; errors of the PCI driver and of physmem_map. */
errno_t virtio_pci_open(drv_dev_t *drv, virtio_dev_t *dev);
/** Resets the device and agrees on features: the device's offer and
 *  @a wanted, which must include VIRTIO_F_VERSION_1 (the device must offer
 *  it: ENOTSUP otherwise, as when it refuses FEATURES_OK). *@a got gets the
 *  agreed set. */
errno_t virtio_negotiate(virtio_dev_t *dev, uint64_t wanted, uint64_t *got);
/** Opens @a drv's device, negotiates @a wanted (the agreed set is in
 *  @a dev->features) and turns the function's DMA on: the reset of the
 *  negotiation has stopped whatever a driver before this one started, so
 *  the device may now master the bus. The errors of the three steps. */
errno_t virtio_pci_start(drv_dev_t *drv, virtio_dev_t *dev, uint64_t wanted);
/** Sets up queue @a index with at most @a max_size descriptors (the device's
 *  size or less, a power of two) in DMA memory. ENOENT: no such queue;
 *  EINVAL: a notification address outside the notify structure; ENOMEM. */
errno_t virtio_queue_setup(
    virtio_dev_t *dev, uint16_t index, uint16_t max_size, virtio_queue_t *q);
/** Subscribes the device's INTx line with an IRQ program that reads the ISR
 *  status (which clears it and lowers the line) and accepts only when it
 *  is not zero; @a handler(call, @a arg) gets it in args[0]. ENOENT
 *  without a granted line. */
errno_t virtio_irq_subscribe(
    virtio_dev_t *dev, async_notification_handler_t handler, void *arg);
/** Tells the device the driver is ready (DRIVER_OK). */
void virtio_driver_ok(virtio_dev_t *dev);
/** Tells the device the driver gave up (FAILED). */
void virtio_fail(virtio_dev_t *dev);
/** Whether the device reported an error it needs a reset for. */
bool virtio_needs_reset(const virtio_dev_t *dev);
/** Tells the device about new chains in @a q (unless it asked not to be). */
void virtio_queue_notify(virtio_queue_t *q);
/** Copies @a size bytes at @a offset of the device-specific configuration,
 *  consistently (again while the device changes it meanwhile). EINVAL
 *  outside the structure or without one. */
errno_t virtio_device_cfg_read(
    const virtio_dev_t *dev, size_t offset, void *buf, size_t size);

#endif
