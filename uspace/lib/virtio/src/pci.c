/*
 * libvirtio: the PCI transport of virtio 1.0 (virtio/virtio.h). Registers
 * are accessed 8, 16 or 32 bits at a time through volatile pointers into
 * the BARs mapped uncached; 64-bit fields are written as two halves, low
 * first, as the specification allows.
 */
#include <virtio/virtio.h>
#include <as.h>
#include <ddi.h>
#include <fibril.h>
#include <ipc.h>
#include <loc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE		4096
#define RESET_POLLS	1000
#define RESET_POLL_USEC 100
#define PCI_DEVICES_MAX 64

static void write64(volatile uint64_t *reg, uint64_t v)
{
	volatile uint32_t *half = (volatile uint32_t *) reg;
	half[0] = (uint32_t) v;
	half[1] = (uint32_t) (v >> 32);
}

/** "BB:DD.F", the last part of a PCI function's path, into @a d. */
static errno_t parse_function(const char *path, pci_dev_info_t *d)
{
	const char *name = strrchr(path, '/');
	if (name == NULL)
		return EINVAL;
	char *end;
	unsigned long bus = strtoul(name + 1, &end, 16);
	if (*end != ':')
		return EINVAL;
	unsigned long dev = strtoul(end + 1, &end, 16);
	if (*end != '.')
		return EINVAL;
	unsigned long fn = strtoul(end + 1, &end, 16);
	if (*end != '\0' || bus > 255 || dev > 31 || fn > 7)
		return EINVAL;
	d->bus = (uint8_t) bus;
	d->dev = (uint8_t) dev;
	d->fn = (uint8_t) fn;
	return EOK;
}

/** A session with the "ctl" service of the PCI driver above @a path:
 *  "devices/" + the parent's path with '\' for '/' + "\ctl". */
static async_sess_t *connect_parent_pci(const char *path, errno_t *rc)
{
	char name[LOC_NAME_MAX + 1];
	const char *last = strrchr(path, '/');
	int n = snprintf(
	    name, sizeof(name), "devices/%.*s/ctl", (int) (last - path), path);
	if (n < 0 || (size_t) n >= sizeof(name)) {
		*rc = ENAMETOOLONG;
		return NULL;
	}
	for (char *p = name + strlen("devices/"); *p != '\0'; p++) {
		if (*p == '/')
			*p = '\\';
	}
	loc_id_t id;
	*rc = loc_service_get_id(name, &id, 0);
	if (*rc != EOK)
		return NULL;
	return loc_service_connect(id, PCI_IFACE, rc);
}

/** The PCI driver's record of the function @a d names (bus, dev, fn). */
static errno_t fetch_info(async_sess_t *sess, pci_dev_info_t *d)
{
	pci_dev_info_t *all = calloc(PCI_DEVICES_MAX, sizeof(*all));
	if (all == NULL)
		return ENOMEM;
	size_t got;
	sysarg_t count;
	async_exch_t *exch = async_exchange_begin(sess);
	errno_t rc = async_req_read(exch, PCI_GET_DEVICES, 0, 0, all,
	    PCI_DEVICES_MAX * sizeof(*all), &got, &count);
	async_exchange_end(exch);
	size_t n = rc == EOK ? got / sizeof(*all) : 0;
	rc = rc == EOK ? ENOENT : rc;
	for (size_t i = 0; i < n; i++) {
		if (all[i].bus == d->bus && all[i].dev == d->dev && all[i].fn == d->fn) {
			*d = all[i];
			rc = EOK;
			break;
		}
	}
	free(all);
	return rc;
}

static errno_t fetch_config(async_sess_t *sess, const pci_dev_info_t *d, uint8_t *config)
{
	size_t got;
	async_exch_t *exch = async_exchange_begin(sess);
	errno_t rc = async_req_read(exch, PCI_GET_CONFIG, d->bus,
	    (sysarg_t) d->dev << 8 | d->fn, config, PCI_CONFIG_SIZE, &got, NULL);
	async_exchange_end(exch);
	if (rc == EOK && got != PCI_CONFIG_SIZE)
		rc = EIO;
	return rc;
}

/** The function's record and its structures, from the PCI driver. */
static errno_t find_structures(virtio_dev_t *dev)
{
	errno_t rc = parse_function(drv_dev_path(dev->drv), &dev->info);
	if (rc != EOK)
		return rc;
	async_sess_t *sess = connect_parent_pci(drv_dev_path(dev->drv), &rc);
	if (sess == NULL)
		return rc;
	uint8_t config[PCI_CONFIG_SIZE];
	rc = fetch_info(sess, &dev->info);
	if (rc == EOK)
		rc = fetch_config(sess, &dev->info, config);
	DISCARD(cleanup, async_hangup(sess));
	if (rc == EOK)
		rc = virtio_pci_find_caps(config, &dev->caps);
	return rc;
}

/** Maps BAR @a bar (once) and returns the address of @a r in it. */
static errno_t map_region(
    virtio_dev_t *dev, const virtio_region_t *r, volatile void **out)
{
	const pci_bar_info_t *b = &dev->info.bars[r->bar];
	if (b->kind != PCI_BAR_MEM32 && b->kind != PCI_BAR_MEM64)
		return EINVAL; /* an I/O BAR: the legacy interface */
	if ((uint64_t) r->offset + r->length > b->size)
		return EINVAL;
	uint64_t base = b->base & ~(uint64_t) (PAGE - 1);
	if (dev->bar_map[r->bar] == 0) {
		size_t size = (b->base - base + b->size + PAGE - 1) &
		    ~(size_t) (PAGE - 1);
		uintptr_t virt;
		errno_t rc = physmem_map(base, size, AS_AREA_READ | AS_AREA_WRITE, &virt);
		if (rc != EOK)
			return rc;
		dev->bar_map[r->bar] = virt;
	}
	*out = (volatile void *) (dev->bar_map[r->bar] + (b->base - base) + r->offset);
	return EOK;
}

errno_t virtio_pci_open(drv_dev_t *drv, virtio_dev_t *dev)
{
	memset(dev, 0, sizeof(*dev));
	dev->drv = drv;
	errno_t rc = find_structures(dev);
	volatile void *common, *notify, *isr, *device = NULL;
	if (rc == EOK)
		rc = map_region(dev, &dev->caps.common, &common);
	if (rc == EOK)
		rc = map_region(dev, &dev->caps.notify, &notify);
	if (rc == EOK)
		rc = map_region(dev, &dev->caps.isr, &isr);
	if (rc == EOK && dev->caps.device.present)
		rc = map_region(dev, &dev->caps.device, &device);
	if (rc != EOK)
		return rc;
	dev->common = common;
	dev->notify = notify;
	dev->device_cfg = device;
	dev->isr_phys = dev->info.bars[dev->caps.isr.bar].base + dev->caps.isr.offset;
	return EOK;
}

static void set_status(virtio_dev_t *dev, uint8_t bits)
{
	dev->common->device_status = (uint8_t) (dev->common->device_status | bits);
}

/** Writing 0 resets the device; it reads 0 once the reset is done. */
static errno_t reset(virtio_dev_t *dev)
{
	dev->common->device_status = 0;
	for (unsigned i = 0; i < RESET_POLLS; i++) {
		if (dev->common->device_status == 0)
			return EOK;
		fibril_usleep(RESET_POLL_USEC);
	}
	return ETIMEOUT;
}

static uint64_t device_features(virtio_dev_t *dev)
{
	dev->common->device_feature_select = 0;
	uint64_t lo = dev->common->device_feature;
	dev->common->device_feature_select = 1;
	uint64_t hi = dev->common->device_feature;
	return hi << 32 | lo;
}

static void driver_features(virtio_dev_t *dev, uint64_t f)
{
	dev->common->driver_feature_select = 0;
	dev->common->driver_feature = (uint32_t) f;
	dev->common->driver_feature_select = 1;
	dev->common->driver_feature = (uint32_t) (f >> 32);
}

errno_t virtio_negotiate(virtio_dev_t *dev, uint64_t wanted, uint64_t *got)
{
	errno_t rc = reset(dev);
	if (rc != EOK)
		return rc;
	set_status(dev, VIRTIO_STATUS_ACKNOWLEDGE);
	set_status(dev, VIRTIO_STATUS_DRIVER);
	uint64_t agreed = device_features(dev) & wanted;
	if (!(agreed & (1ull << VIRTIO_F_VERSION_1)))
		return ENOTSUP;
	driver_features(dev, agreed);
	set_status(dev, VIRTIO_STATUS_FEATURES_OK);
	if (!(dev->common->device_status & VIRTIO_STATUS_FEATURES_OK))
		return ENOTSUP;
	dev->features = agreed;
	*got = agreed;
	return EOK;
}

errno_t virtio_pci_start(drv_dev_t *drv, virtio_dev_t *dev, uint64_t wanted)
{
	uint64_t got;
	errno_t rc = virtio_pci_open(drv, dev);
	if (rc == EOK)
		rc = virtio_negotiate(dev, wanted, &got);
	if (rc == EOK)
		rc = drv_dev_dma_enable(drv);
	return rc;
}

static uint16_t round_down_pow2(uint16_t n)
{
	uint16_t p = 1;
	while ((uint16_t) (p << 1) != 0 && (uint16_t) (p << 1) <= n)
		p = (uint16_t) (p << 1);
	return p;
}

/** Where queue @a q's notifications go: inside the notify structure. */
static errno_t find_doorbell(virtio_dev_t *dev, virtio_queue_t *q)
{
	uint64_t off = (uint64_t) dev->common->queue_notify_off * dev->caps.notify_mult;
	if (off + sizeof(uint16_t) > dev->caps.notify.length)
		return EINVAL;
	q->doorbell = (volatile uint16_t *) (dev->notify + off);
	return EOK;
}

errno_t virtio_queue_setup(
    virtio_dev_t *dev, uint16_t index, uint16_t max_size, virtio_queue_t *q)
{
	memset(q, 0, sizeof(*q));
	q->dev = dev;
	q->index = index;
	dev->common->queue_select = index;
	uint16_t offered = dev->common->queue_size;
	if (offered == 0 || index >= dev->common->num_queues)
		return ENOENT;
	uint16_t size = round_down_pow2(offered < max_size ? offered : max_size);
	if (size > VIRTQ_SIZE_MAX)
		size = VIRTQ_SIZE_MAX;
	virtq_layout_t l;
	errno_t rc = virtq_layout(size, &l);
	if (rc == EOK)
		rc = find_doorbell(dev, q);
	if (rc == EOK)
		rc = dmamem_map_anonymous(l.total, 0, &q->mem, &q->phys);
	if (rc != EOK)
		return rc;
	virtq_init(&q->vq, q->mem, size);
	dev->common->queue_size = size;
	write64(&dev->common->queue_desc, q->phys + l.desc);
	write64(&dev->common->queue_driver, q->phys + l.avail);
	write64(&dev->common->queue_device, q->phys + l.used);
	dev->common->queue_enable = 1;
	return EOK;
}

errno_t virtio_irq_subscribe(
    virtio_dev_t *dev, async_notification_handler_t handler, void *arg)
{
	const hw_resource_t *irq = drv_dev_find_resource(dev->drv, HWRES_IRQ, 0);
	if (irq == NULL)
		return ENOENT;
	/* Reading the ISR status clears it and lowers the line; a line shared
	 * with another device finds it 0 and declines. */
	irq_cmd_t cmds[] = {
	    {.cmd = IRQ_CMD_MEM_READ_8, .value = dev->isr_phys, .dst = 1},
	    {.cmd = IRQ_CMD_PREDICATE, .src = 1, .value = 1},
	    {.cmd = IRQ_CMD_ACCEPT},
	    {.cmd = IRQ_CMD_DECLINE},
	};
	cap_handle_t handle;
	return async_irq_subscribe(
	    (int) irq->base, handler, arg, cmds, sizeof(cmds) / sizeof(cmds[0]), &handle);
}

void virtio_driver_ok(virtio_dev_t *dev)
{
	set_status(dev, VIRTIO_STATUS_DRIVER_OK);
}

void virtio_fail(virtio_dev_t *dev)
{
	if (dev->common != NULL)
		set_status(dev, VIRTIO_STATUS_FAILED);
}

bool virtio_needs_reset(const virtio_dev_t *dev)
{
	return (dev->common->device_status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) != 0;
}

void virtio_queue_notify(virtio_queue_t *q)
{
	if (!virtq_notify_suppressed(&q->vq))
		*q->doorbell = q->index;
}

errno_t virtio_device_cfg_read(
    const virtio_dev_t *dev, size_t offset, void *buf, size_t size)
{
	if (dev->device_cfg == NULL || offset > dev->caps.device.length ||
	    size > dev->caps.device.length - offset)
		return EINVAL;
	uint8_t *out = buf;
	uint8_t before;
	do {
		before = dev->common->config_generation;
		for (size_t i = 0; i < size; i++)
			out[i] = dev->device_cfg[offset + i];
	} while (dev->common->config_generation != before);
	return EOK;
}
