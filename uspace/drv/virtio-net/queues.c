/*
 * virtio-net: the receive and transmit queues (vnet.h has the slots and
 * the locking). A frame is copied once each way, between the client's
 * buffer and its slot.
 */
#include "vnet.h"
#include <as.h>
#include <string.h>

#define SLOTS_BYTES ((VNET_RX_MAX + VNET_TX_MAX) * VNET_SLOT_SIZE)

static uint16_t rx_count(const vnet_t *v)
{
	return v->rxq.vq.size < VNET_RX_MAX ? v->rxq.vq.size : VNET_RX_MAX;
}

static uint8_t *slot(vnet_t *v, unsigned i)
{
	return v->slots + (size_t) i * VNET_SLOT_SIZE;
}

static uint64_t slot_phys(const vnet_t *v, unsigned i)
{
	return v->slots_phys + (uint64_t) i * VNET_SLOT_SIZE;
}

/** Gives receive slot @a i to the device (not yet notified). */
static errno_t rx_post(vnet_t *v, uint16_t i)
{
	virtq_buf_t b = {slot_phys(v, i), VNET_SLOT_SIZE, true};
	uint16_t head;
	errno_t rc = virtq_add(&v->rxq.vq, &b, 1, &head);
	if (rc == EOK)
		v->rx_slot[head] = i;
	return rc;
}

errno_t vnet_queues_init(vnet_t *v)
{
	void *mem;
	errno_t rc = dmamem_map_anonymous(SLOTS_BYTES, 0, &mem, &v->slots_phys);
	if (rc != EOK)
		return rc;
	v->slots = mem;
	for (uint16_t i = 0; i < rx_count(v) && rc == EOK; i++)
		rc = rx_post(v, i);
	uint16_t tx = v->txq.vq.size < VNET_TX_MAX ? v->txq.vq.size : VNET_TX_MAX;
	v->tx_free_count = 0;
	for (uint16_t i = 0; i < tx; i++)
		v->tx_free[v->tx_free_count++] = VNET_RX_MAX + i;
	return rc;
}

/** One used receive chain of @a len bytes (header and frame) in slot
 *  @a i: the frame goes to the receivers, a chain shorter than the header
 *  or longer than the slot is a receive error. */
static void rx_take(vnet_t *v, uint16_t i, uint32_t len)
{
	if (len < VNET_HDR_LEN || len > VNET_SLOT_SIZE)
		nic_srv_rx_error(&v->nic);
	else
		nic_srv_received(&v->nic, slot(v, i) + VNET_HDR_LEN, len - VNET_HDR_LEN);
}

void vnet_rx_poll(vnet_t *v)
{
	uint16_t head, taken = 0;
	uint32_t len;
	errno_t rc;
	while (!v->broken && (rc = virtq_get_used(&v->rxq.vq, &head, &len)) != EAGAIN) {
		if (rc != EOK) {
			v->broken =
			    true; /* the ring no longer says what the device did */
			nic_srv_rx_error(&v->nic);
			break;
		}
		uint16_t i = v->rx_slot[head];
		rx_take(v, i, len);
		if (rx_post(v, i) == EOK)
			taken++;
	}
	if (taken != 0)
		virtio_queue_notify(&v->rxq);
}

/** Frees the slots of completed transmissions. Caller holds tx_lock. */
static void tx_reclaim_locked(vnet_t *v)
{
	uint16_t head;
	uint32_t len;
	errno_t rc;
	while (!v->broken && (rc = virtq_get_used(&v->txq.vq, &head, &len)) != EAGAIN) {
		if (rc != EOK) {
			v->broken = true;
			nic_srv_tx_error(&v->nic);
			break;
		}
		v->tx_free[v->tx_free_count++] = v->tx_slot[head];
	}
}

void vnet_tx_reclaim(vnet_t *v)
{
	fibril_mutex_lock(&v->tx_lock);
	tx_reclaim_locked(v);
	fibril_condvar_broadcast(&v->tx_cv);
	fibril_mutex_unlock(&v->tx_lock);
}

/** Notifies the transmit queue of chains added since; tx_lock held. */
static void tx_kick_locked(vnet_t *v)
{
	if (!v->tx_unkicked)
		return;
	virtio_queue_notify(&v->txq);
	v->tx_unkicked = false;
}

static void tx_ring_reclaim(void *dev)
{
	tx_reclaim_locked(dev);
}

static errno_t tx_ring_room(void *dev)
{
	vnet_t *v = dev;
	if (v->broken)
		return EIO;
	return v->tx_free_count == 0 ? EAGAIN : EOK;
}

static void tx_ring_kick(void *dev)
{
	tx_kick_locked(dev);
}

static const nic_tx_ring_t vnet_tx_ring = {
    .reclaim = tx_ring_reclaim, .room = tx_ring_room, .kick = tx_ring_kick};

static void vnet_kick(void *dev)
{
	vnet_t *v = dev;
	fibril_mutex_lock(&v->tx_lock);
	tx_kick_locked(v);
	fibril_mutex_unlock(&v->tx_lock);
}

/** Puts a frame behind a zero header in a free transmit slot (vnet_kick
 *  notifies the device); waits NIC_SEND_WAIT_US at most for a slot (a
 *  completed transmission's interrupt frees one), the device told first.
 *  EIO once the device is broken. */
static errno_t vnet_send(void *dev, const void *frame, size_t len)
{
	vnet_t *v = dev;
	fibril_mutex_lock(&v->tx_lock);
	errno_t rc = nic_srv_tx_wait(&vnet_tx_ring, v, &v->tx_lock, &v->tx_cv);
	if (rc != EOK) {
		fibril_mutex_unlock(&v->tx_lock);
		return rc;
	}
	uint16_t i = v->tx_free[--v->tx_free_count];
	memset(slot(v, i), 0, VNET_HDR_LEN);
	memcpy(slot(v, i) + VNET_HDR_LEN, frame, len);
	virtq_buf_t b = {slot_phys(v, i), (uint32_t) (VNET_HDR_LEN + len), false};
	uint16_t head;
	rc = virtq_add(&v->txq.vq, &b, 1, &head);
	if (rc == EOK) {
		v->tx_slot[head] = i;
		v->tx_unkicked = true;
	} else {
		v->tx_free[v->tx_free_count++] = i;
		rc = EAGAIN;
	}
	fibril_mutex_unlock(&v->tx_lock);
	return rc;
}

const nic_ops_t vnet_nic_ops = {.send = vnet_send, .kick = vnet_kick};
