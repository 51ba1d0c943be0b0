/*
 * The server side of the NIC protocol (abi/nic.h). A driver describes its
 * NIC (MAC address, a send function) and hands each client connection to
 * nic_srv_conn(), which decodes and checks every call; the driver's
 * interrupt handler hands received frames to nic_srv_received(), which
 * queues them for the receivers (NIC_RX_QUEUE at most, the rest dropped and
 * counted).
 *
 * Locking: nic_srv_t.lock guards the receive queue, the link state and the
 * counters; the library never holds it while calling the driver's send, so
 * the driver may call back in (nic_srv_tx_error) from there.
 *
 * The receive queue is a ring of records laid out as NIC_RECV gives them
 * (a 2-byte big-endian length, the frame), never split at the ring's end:
 * a record that would not fit there starts again at offset 0 and rx_end
 * marks where the older ones stop. So a receiver's read is answered
 * straight from the ring, the frames at its front in one piece, and a
 * frame is copied once in the driver (from the device's buffer into the
 * ring), not again into a buffer for the read.
 */
#ifndef LIBC_NIC_SRV_H
#define LIBC_NIC_SRV_H

#include <abi/nic.h>
#include <async.h>
#include <common/adt/list.h>
#include <fibril_synch.h>
#include <stdbool.h>
#include <stdint.h>

#define NIC_RX_RECORD (2 + NIC_FRAME_MAX)
/* One record more than the queue holds: whatever the ring's end wastes
 * (less than a record), NIC_RX_QUEUE frames always fit. */
#define NIC_RX_RING ((NIC_RX_QUEUE + 1) * NIC_RX_RECORD)

typedef struct {
	/** Puts @a len bytes (NIC_FRAME_MIN..NIC_FRAME_MAX, padded) in the
	 *  transmit ring. EAGAIN when it stayed full, EIO on a device error.
	 *  The device need not be told yet (kick does): a batch of frames
	 *  costs one doorbell write, a trap into the device. A send that has
	 *  to wait for room tells the device of what is queued first. */
	errno_t (*send)(void *dev, const void *frame, size_t len);
	/** Tells the device of every frame send queued (its doorbell). */
	void (*kick)(void *dev);
} nic_ops_t;

/** A driver's transmit ring as nic_srv_tx_wait sees it; every hook is
 *  called with the driver's transmit lock held. */
typedef struct {
	/** Takes back the slots of completed transmissions. */
	void (*reclaim)(void *dev);
	/** EOK: a slot is free; EAGAIN: none is; another error: none ever
	 *  will be (EIO: a broken device). */
	errno_t (*room)(void *dev);
	/** Tells the device of the frames queued (its doorbell). */
	void (*kick)(void *dev);
} nic_tx_ring_t;

typedef struct {
	const nic_ops_t *ops;
	void *dev; /* the driver's device, passed to the ops */
	uint8_t mac[6];
	unsigned speed_mbps;
	fibril_mutex_t lock;
	fibril_condvar_t rx_cv;		 /* broadcast when a frame is queued */
	size_t rx_head, rx_tail, rx_end; /* in rx_ring, below */
	bool rx_wrapped;
	size_t rx_count; /* frames queued */
	bool link_up;
	nic_stats_t stats;
	/* Records of the frames queued, oldest at rx_head: in [rx_head,
	 * rx_tail) or, when rx_wrapped, in [rx_head, rx_end) then [0, rx_tail).
	 * Last, so that nic_srv_init does not touch its pages. */
	uint8_t rx_ring[NIC_RX_RING];
} nic_srv_t;

void nic_srv_init(nic_srv_t *nic, const nic_ops_t *ops, void *dev, const uint8_t mac[6]);
/** A frame the device received (@a len bytes, without the FCS): queued,
 *  or counted as dropped (queue full) or as an error (too long, too short). */
void nic_srv_received(nic_srv_t *nic, const void *frame, size_t len);
/** The device reported a receive error (CRC, overrun). */
void nic_srv_rx_error(nic_srv_t *nic);
/** A transmission the device reported failed (collisions, a device error). */
void nic_srv_tx_error(nic_srv_t *nic);
/** The device interrupted (counted). */
void nic_srv_interrupt(nic_srv_t *nic);
void nic_srv_link_set(nic_srv_t *nic, bool up);
/** Waits for a free transmit slot of @a dev with @a lock (the driver's
 *  transmit lock, which @a cv is broadcast under when transmissions
 *  complete) held: takes back completed slots, tells the device of what
 *  waits before waiting, and gives up after NIC_SEND_WAIT_US without a
 *  slot (EAGAIN), so a device that stopped cannot hang the stack. The
 *  ring's own error (room's) otherwise. */
errno_t nic_srv_tx_wait(
    const nic_tx_ring_t *ring, void *dev, fibril_mutex_t *lock, fibril_condvar_t *cv);
/** A whole client connection: accepts @a icall and serves calls until the
 *  client hangs up; unknown calls get ENOTSUP. */
void nic_srv_conn(ipc_call_t *icall, nic_srv_t *nic);

#endif
