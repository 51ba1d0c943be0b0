/*
 * e1000: the descriptor rings (e1000.h has the locking). Both rings and
 * their buffers live in DMA memory below 4 GiB: one page of descriptors
 * (receive ring, then transmit ring) and one area of 2 KiB buffers, a
 * buffer per descriptor, never moved, so a frame is copied once each way.
 */
#include "e1000.h"
#include <as.h>
#include <string.h>

#define RX_RING_BYTES (E1000_RX_COUNT * sizeof(e1000_rx_desc_t))
#define TX_RING_BYTES (E1000_TX_COUNT * sizeof(e1000_tx_desc_t))
#define BUFS_BYTES    ((E1000_RX_COUNT + E1000_TX_COUNT) * E1000_BUF_SIZE)

static uint8_t *rx_buf(e1000_t *e, unsigned i)
{
	return e->bufs + (size_t) i * E1000_BUF_SIZE;
}

static uint8_t *tx_buf(e1000_t *e, unsigned i)
{
	return e->bufs + (size_t) (E1000_RX_COUNT + i) * E1000_BUF_SIZE;
}

static uint64_t tx_buf_phys(e1000_t *e, unsigned i)
{
	return e->bufs_phys + (uint64_t) (E1000_RX_COUNT + i) * E1000_BUF_SIZE;
}

static void ring_regs(e1000_t *e, uint32_t bal, uint64_t phys, uint32_t bytes)
{
	e1000_write(e, bal, (uint32_t) phys);
	e1000_write(e, bal + 4, (uint32_t) (phys >> 32));
	e1000_write(e, bal + 8, bytes);
}

errno_t e1000_rings_init(e1000_t *e)
{
	void *desc, *bufs;
	uintptr_t desc_phys;
	errno_t rc = dmamem_map_anonymous(
	    RX_RING_BYTES + TX_RING_BYTES, DMAMEM_BELOW_4G, &desc, &desc_phys);
	if (rc != EOK)
		return rc;
	rc = dmamem_map_anonymous(BUFS_BYTES, DMAMEM_BELOW_4G, &bufs, &e->bufs_phys);
	if (rc != EOK) {
		DISCARD(cleanup, as_area_destroy((uintptr_t) desc));
		return rc;
	}
	e->rx = desc;
	e->tx = (e1000_tx_desc_t *) ((uint8_t *) desc + RX_RING_BYTES);
	e->bufs = bufs;
	for (unsigned i = 0; i < E1000_RX_COUNT; i++)
		e->rx[i].addr = e->bufs_phys + (uint64_t) i * E1000_BUF_SIZE;
	for (unsigned i = 0; i < E1000_TX_COUNT; i++) {
		e->tx[i].addr = tx_buf_phys(e, i);
		e->tx[i].status = TXD_DD; /* free */
	}
	ring_regs(e, E1000_RDBAL, desc_phys, RX_RING_BYTES);
	e1000_write(e, E1000_RDH, 0);
	e1000_write(e, E1000_RDT, E1000_RX_COUNT - 1);
	ring_regs(e, E1000_TDBAL, desc_phys + RX_RING_BYTES, TX_RING_BYTES);
	e1000_write(e, E1000_TDH, 0);
	e1000_write(e, E1000_TDT, 0);
	return EOK;
}

/** One completed receive descriptor: its frame goes to the receivers
 *  unless the device marked it bad or it spans buffers (longer than any
 *  frame we accept: the device only does that for oversized frames). */
static void rx_take(e1000_t *e, volatile e1000_rx_desc_t *d, unsigned i)
{
	bool whole = (d->status & RXD_EOP) != 0;
	if (!whole || (d->errors & RXD_ERR_FRAME) != 0 || d->length > NIC_FRAME_MAX)
		nic_srv_rx_error(&e->nic);
	else
		nic_srv_received(&e->nic, rx_buf(e, i), d->length);
}

/* The descriptors taken are given back with one write of the tail after
 * the batch, not one per frame: each write of RDT is a trap into the
 * device model, which also retries its queued frames there. */
void e1000_rx_poll(e1000_t *e)
{
	unsigned taken = 0;
	for (unsigned n = 0; n < E1000_RX_COUNT; n++) {
		unsigned i = e->rx_next;
		volatile e1000_rx_desc_t *d = &e->rx[i];
		if ((d->status & RXD_DD) == 0)
			break;
		__atomic_thread_fence(__ATOMIC_ACQUIRE); /* the status before the data */
		rx_take(e, d, i);
		d->status = 0;
		d->errors = 0;
		e->rx_next = (i + 1) % E1000_RX_COUNT;
		taken++;
	}
	if (taken == 0)
		return;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	/* Up to the last one taken, the descriptors are the device's again. */
	e1000_write(e, E1000_RDT, (e->rx_next + E1000_RX_COUNT - 1) % E1000_RX_COUNT);
}

/** Advances tx_clean over completed descriptors. Caller holds tx_lock. */
static void tx_reclaim_locked(e1000_t *e)
{
	while (e->tx_clean != e->tx_tail) {
		volatile e1000_tx_desc_t *d = &e->tx[e->tx_clean];
		if ((d->status & TXD_DD) == 0)
			break;
		if ((d->status & TXD_ERR) != 0)
			nic_srv_tx_error(&e->nic);
		e->tx_clean = (e->tx_clean + 1) % E1000_TX_COUNT;
	}
}

void e1000_tx_reclaim(e1000_t *e)
{
	fibril_mutex_lock(&e->tx_lock);
	tx_reclaim_locked(e);
	fibril_condvar_broadcast(&e->tx_cv);
	fibril_mutex_unlock(&e->tx_lock);
}

static void tx_ring_reclaim(void *dev)
{
	tx_reclaim_locked(dev);
}

static errno_t tx_ring_room(void *dev)
{
	e1000_t *e = dev;
	return (e->tx_tail + 1) % E1000_TX_COUNT == e->tx_clean ? EAGAIN : EOK;
}

/** Tells the device of the descriptors filled since the last time (TDT).
 *  Caller holds tx_lock. */
static void tx_kick_locked(e1000_t *e)
{
	if (e->tx_kicked == e->tx_tail)
		return;
	__atomic_thread_fence(__ATOMIC_RELEASE); /* the descriptors before the tail */
	e1000_write(e, E1000_TDT, e->tx_tail);
	e->tx_kicked = e->tx_tail;
}

static void tx_ring_kick(void *dev)
{
	tx_kick_locked(dev);
}

static const nic_tx_ring_t e1000_tx_ring = {
    .reclaim = tx_ring_reclaim, .room = tx_ring_room, .kick = tx_ring_kick};

static void e1000_kick(void *dev)
{
	e1000_t *e = dev;
	fibril_mutex_lock(&e->tx_lock);
	tx_kick_locked(e);
	fibril_mutex_unlock(&e->tx_lock);
}

/** Puts a frame in the transmit ring (the device is told by e1000_kick);
 *  waits NIC_SEND_WAIT_US at most for room (the interrupt of a completed
 *  descriptor makes it), having told the device of what waits. */
static errno_t e1000_send(void *dev, const void *frame, size_t len)
{
	e1000_t *e = dev;
	fibril_mutex_lock(&e->tx_lock);
	errno_t rc = nic_srv_tx_wait(&e1000_tx_ring, e, &e->tx_lock, &e->tx_cv);
	if (rc != EOK) {
		fibril_mutex_unlock(&e->tx_lock);
		return rc;
	}
	unsigned i = e->tx_tail;
	memcpy(tx_buf(e, i), frame, len);
	volatile e1000_tx_desc_t *d = &e->tx[i];
	d->length = (uint16_t) len;
	d->cso = 0;
	d->css = 0;
	d->special = 0;
	d->cmd = TXD_CMD_EOP | TXD_CMD_IFCS | TXD_CMD_RS;
	d->status = 0;
	e->tx_tail = (i + 1) % E1000_TX_COUNT;
	fibril_mutex_unlock(&e->tx_lock);
	return EOK;
}

const nic_ops_t e1000_nic_ops = {.send = e1000_send, .kick = e1000_kick};
