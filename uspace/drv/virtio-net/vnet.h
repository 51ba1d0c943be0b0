/*
 * virtio-net: a virtio 1.0 network device over PCI (libvirtio), its
 * receive queue (0) and transmit queue (1) driven by interrupts that come
 * as messages, exposed as function port0 in category "nic" (abi/nic.h)
 * like the e1000.
 *
 * Every frame travels in a buffer slot of 2 KiB in DMA memory behind the
 * 12-byte header virtio 1.0 puts before it (no offloads are negotiated, so
 * the header is zero on the way out and ignored on the way in). A chain is
 * one descriptor: one slot. Slots never move; rx_slot[h] and tx_slot[h]
 * say which slot the chain headed by descriptor h carries.
 *
 * Locking: tx_lock guards the transmit queue, its free slots and tx_slot;
 * the receive queue and rx_slot are touched only by the interrupt
 * notification handler, which the async framework runs one at a time (and
 * by the bring-up before the interrupt is subscribed). nic_srv_t's lock is
 * taken inside tx_lock, never the other way.
 */
#ifndef VNET_H
#define VNET_H

#include <fibril_synch.h>
#include <nic_srv.h>
#include <virtio/virtio.h>

#define NAME "virtio-net"

/* Feature bits (virtio 1.0, 5.1.3). */
#define VIRTIO_NET_F_MAC    5
#define VIRTIO_NET_F_STATUS 16

/* Device configuration (5.1.4). */
#define VNET_CFG_MAC	     0 /* u8[6], with F_MAC */
#define VNET_CFG_STATUS	     6 /* le16, with F_STATUS */
#define VIRTIO_NET_S_LINK_UP 1

/* The header before every frame (5.1.6); num_buffers is always there in
 * virtio 1.0. Zero: no checksum or segmentation offload. */
typedef struct {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;
} __attribute__((packed)) vnet_hdr_t;

#define VNET_HDR_LEN   sizeof(vnet_hdr_t)
#define VNET_SLOT_SIZE 2048 /* header and the longest frame fit */
#define VNET_RX_MAX    128  /* receive slots (and descriptors at most) */
#define VNET_TX_MAX    64   /* transmit slots */
#define VNET_RXQ       0
#define VNET_TXQ       1

typedef struct {
	virtio_dev_t vdev;
	virtio_queue_t rxq, txq;
	uint8_t *slots; /* receive slots, then transmit slots */
	uintptr_t slots_phys;
	uint16_t rx_slot[VIRTQ_SIZE_MAX];
	bool broken;	  /* the device named a chain not in flight: no more I/O */
	bool tx_unkicked; /* chains added the device was not told of yet */
	fibril_mutex_t tx_lock;
	fibril_condvar_t tx_cv; /* broadcast when transmissions complete */
	uint16_t tx_slot[VIRTQ_SIZE_MAX];
	uint16_t tx_free[VNET_TX_MAX]; /* a stack of free transmit slots */
	unsigned tx_free_count;
	nic_srv_t nic;
} vnet_t;

/* queues.c */
/** Allocates the slots and gives the device every receive slot. */
errno_t vnet_queues_init(vnet_t *v);
/** Takes in every frame the device received; gives the slots back. */
void vnet_rx_poll(vnet_t *v);
/** Frees the slots of completed transmissions; wakes waiting senders. */
void vnet_tx_reclaim(vnet_t *v);
extern const nic_ops_t vnet_nic_ops;

#endif
