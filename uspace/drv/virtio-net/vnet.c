/*
 * virtio-net: the driver's entry point. Started by devman for a virtio
 * network device on PCI (virtio-net.ma) with the device's BARs and INTx
 * line granted; brings the device up through libvirtio (virtio/virtio.h:
 * the structures, features, both queues, the ISR read by the kernel's IRQ
 * program), reads its MAC address and link state and exposes function
 * "port0" in category "nic" (abi/nic.h), served by nic_srv.
 */
#include "vnet.h"
#include <drv_nic.h>
#include <stdio.h>
#include <string.h>

#define WANTED_FEATURES \
	((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_NET_F_MAC) | \
	    (1ull << VIRTIO_NET_F_STATUS))

static vnet_t nic0;

static bool has(const vnet_t *v, unsigned feature)
{
	return (v->vdev.features & (1ull << feature)) != 0;
}

/** The link as the device says (up when it cannot say: no F_STATUS). */
static bool link_up(const vnet_t *v)
{
	uint16_t status;
	if (!has(v, VIRTIO_NET_F_STATUS) ||
	    virtio_device_cfg_read(&v->vdev, VNET_CFG_STATUS, &status, 2) != EOK)
		return true;
	return (status & VIRTIO_NET_S_LINK_UP) != 0;
}

/** The interrupt (ISR status in args[0], read and so cleared by the
 *  kernel's IRQ program). Each notification looks at both queues whatever
 *  the status says, so interrupts merged into one notification lose
 *  nothing; a configuration change may be the link. */
static void vnet_irq(ipc_call_t *call, void *arg)
{
	vnet_t *v = arg;
	uint8_t isr = (uint8_t) call->args[0];
	nic_srv_interrupt(&v->nic);
	vnet_rx_poll(v);
	vnet_tx_reclaim(v);
	if ((isr & VIRTIO_ISR_CONFIG) != 0)
		nic_srv_link_set(&v->nic, link_up(v));
}

/** The MAC address from the configuration; ENOTSUP without F_MAC (a
 *  device that leaves the address to the driver is not served). */
static errno_t read_mac(vnet_t *v, uint8_t mac[6])
{
	if (!has(v, VIRTIO_NET_F_MAC))
		return ENOTSUP;
	return virtio_device_cfg_read(&v->vdev, VNET_CFG_MAC, mac, 6);
}

/** The device up (virtio 1.0, 3.1.1), up to DRIVER_OK. */
static errno_t bring_up(drv_dev_t *dev, vnet_t *v)
{
	uint8_t mac[6];
	errno_t rc = virtio_pci_start(dev, &v->vdev, WANTED_FEATURES);
	if (rc == EOK)
		rc = read_mac(v, mac);
	if (rc == EOK)
		rc = virtio_queue_setup(&v->vdev, VNET_RXQ, VNET_RX_MAX, &v->rxq);
	if (rc == EOK)
		rc = virtio_queue_setup(&v->vdev, VNET_TXQ, VNET_TX_MAX, &v->txq);
	if (rc == EOK) {
		nic_srv_init(&v->nic, &vnet_nic_ops, v, mac);
		rc = vnet_queues_init(v);
	}
	if (rc == EOK)
		rc = virtio_irq_subscribe(&v->vdev, vnet_irq, v);
	if (rc != EOK) {
		virtio_fail(&v->vdev);
		return rc;
	}
	virtio_driver_ok(&v->vdev);
	virtio_queue_notify(&v->rxq); /* the receive slots are there */
	nic_srv_link_set(&v->nic, link_up(v));
	return EOK;
}

static errno_t vnet_dev_add(drv_dev_t *dev)
{
	vnet_t *v = &nic0;
	fibril_mutex_initialize(&v->tx_lock);
	fibril_condvar_initialize(&v->tx_cv);
	errno_t rc = bring_up(dev, v);
	if (rc != EOK) {
		printf("%s: %s: %s\n", NAME, drv_dev_path(dev), strerror(rc));
		return rc;
	}
	return drv_nic_expose(dev, &v->nic, NAME);
}

static const driver_ops_t vnet_driver = {.name = NAME, .dev_add = vnet_dev_add};

int main(int argc, char **argv)
{
	return drv_main(&vnet_driver, argc, argv);
}
